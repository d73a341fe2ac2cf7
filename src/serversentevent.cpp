// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include <Courier/serversentevent.h>

#include "streamparsers_p.h"

#include <QtCore/QDebug>

namespace Courier {

QJsonValue ServerSentEvent::json(QString *errorString) const
{
    if (data.trimmed().isEmpty()) {
        if (errorString)
            *errorString = QStringLiteral("no JSON: the data is empty");
        return QJsonValue(QJsonValue::Undefined);
    }
    const JsonLinesItem item = JsonLinesParser::parseLine(data.toUtf8(), 1);
    if (errorString) {
        // "line 1, column C: why" reads as "column C: why" for a single text.
        *errorString = item.error.isEmpty() ? QString() : item.error.mid(item.error.indexOf(QLatin1Char(',')) + 2);
    }
    return item.error.isEmpty() ? item.value : QJsonValue(QJsonValue::Undefined);
}

QDebug operator<<(QDebug debug, const ServerSentEvent &event)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "ServerSentEvent(" << event.type << ", " << event.data;
    if (!event.lastEventId.isEmpty())
        debug << ", id " << event.lastEventId;
    debug << ')';
    return debug;
}

} // namespace Courier
