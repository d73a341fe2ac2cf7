// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtQml/QJSValue>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace Courier::Qml {

/*!
    Calls the JavaScript \a function with \a arguments. An exception it throws does not reach the
    caller: it is reported as a warning of \a owner ("file:line: Error: message"), as QML reports
    one thrown by a signal handler, and what called back goes on.
*/
void callBack(const QObject *owner, const QJSValue &function, const QJSValueList &arguments);

} // namespace Courier::Qml
