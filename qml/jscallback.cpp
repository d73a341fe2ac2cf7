// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "jscallback.h"

#include <QtQml/qqmlinfo.h>

namespace Courier::Qml {

void callBack(const QObject *owner, const QJSValue &function, const QJSValueList &arguments)
{
    const QJSValue result = function.call(arguments);
    if (result.isError())
        qmlWarning(owner).noquote() << result.property(QStringLiteral("fileName")).toString() << ':'
                                    << result.property(QStringLiteral("lineNumber")).toInt() << ": "
                                    << result.toString();
}

} // namespace Courier::Qml
