// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>

#include <QtCore/QJsonValue>
#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QString>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace Courier {

/*!
    \class Courier::ServerSentEvent
    \brief One event of a `text/event-stream`, as EventStreamReader and EventSource deliver it.

    The fields are those of the HTML standard's MessageEvent for server-sent events: the event
    type (the `event:` field, "message" when the event has none), the data (the `data:` lines
    joined with "\n", without the last one's line end), the last event ID string in force when
    the event was dispatched (the latest `id:` field of the stream, which does not reset between
    events) and the origin of the stream's final URL ("https://example.com:8443").

    A value type (Q_GADGET): its fields are readable from QML (`event.type`, `event.data`, …),
    and json() is invocable there too.
*/
class COURIER_EXPORT ServerSentEvent
{
    Q_GADGET
    Q_PROPERTY(QString type MEMBER type)
    Q_PROPERTY(QString data MEMBER data)
    Q_PROPERTY(QString lastEventId MEMBER lastEventId)
    Q_PROPERTY(QString origin MEMBER origin)

public:
    /*! The event type: the last `event:` field of the event, or "message". */
    QString type = QStringLiteral("message");
    /*! The data: every `data:` field of the event, joined with "\n". */
    QString data;
    /*! The last event ID string of the stream when this event was dispatched (may be empty). */
    QString lastEventId;
    /*! The origin of the stream's final URL, serialised as the standard does ("http://127.0.0.1:8080"). */
    QString origin;

    /*!
        The data parsed as JSON (any JSON value: an object, an array, a string, a number, true,
        false or null). Undefined when it is no JSON; \a errorString, when given, then says why
        (with the column), and is cleared on success.
    */
    QJsonValue json(QString *errorString = nullptr) const;
    /*! json() for QML: the value, or undefined when the data is no JSON. */
    Q_INVOKABLE QJsonValue toJson() const { return json(); }

    friend bool operator==(const ServerSentEvent &a, const ServerSentEvent &b)
    {
        return a.type == b.type && a.data == b.data && a.lastEventId == b.lastEventId && a.origin == b.origin;
    }
    friend bool operator!=(const ServerSentEvent &a, const ServerSentEvent &b) { return !(a == b); }
};

/*! Writes \a event for qDebug() and Qt Test's failure messages. */
COURIER_EXPORT QDebug operator<<(QDebug debug, const ServerSentEvent &event);

} // namespace Courier

Q_DECLARE_METATYPE(Courier::ServerSentEvent)
