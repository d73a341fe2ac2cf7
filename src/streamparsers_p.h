// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// The two stream formats as pure, incremental parsers: bytes in, items out, no I/O. The readers
// (streamreader.cpp) carry them out on a Response; the tests feed them directly, cut anywhere.

#include <Courier/serversentevent.h>

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QString>

namespace Courier {

/*! What an EventStreamParser hands out, in stream order. */
struct EventStreamItem
{
    enum Kind {
        LastEventId, //!< a dispatch set the last event ID string to \c text
        Retry, //!< a valid `retry:` field: \c retry milliseconds
        Event, //!< an event to deliver
    };
    Kind kind = Event;
    ServerSentEvent event;
    QString text;
    int retry = 0;
};

/*!
    The HTML standard's event stream interpretation ("Parsing an event stream", "Interpreting an
    event stream"), fed any number of byte pieces. Holds the line being read and the fields of
    the event being received; at most maximumSize bytes of them (0: no limit).
*/
class EventStreamParser
{
public:
    explicit EventStreamParser(const QString &lastEventId = QString())
        : m_id(lastEventId.toUtf8())
        , m_lastEventId(lastEventId)
    {
    }

    /*!
        Parses \a bytes, appending what they complete to \a out. False when the event being
        received passed the size limit: the parser then takes nothing more.
    */
    bool feed(QByteArrayView bytes, QList<EventStreamItem> &out);
    /*! The end of the stream: an event not yet dispatched is dropped. */
    void finish();

    void setMaximumSize(qint64 bytes) { m_maximum = bytes; }
    qint64 maximumSize() const { return m_maximum; }
    /*! The origin the events carry (ServerSentEvent::origin). */
    void setOrigin(const QString &origin) { m_origin = origin; }
    /*! The last event ID string as of the items handed out. */
    QString lastEventId() const { return m_lastEventId; }
    /*! Bytes held for the event being received and the line being read. */
    qint64 heldBytes() const { return m_line.size() + m_data.size() + m_type.size() + m_id.size(); }
    /*! Why feed() returned false. */
    QString tooLargeMessage() const;

private:
    void takeLine(QByteArrayView line, QList<EventStreamItem> &out);
    void dispatch(QList<EventStreamItem> &out);
    bool withinLimit() const { return m_maximum <= 0 || heldBytes() <= m_maximum; }

    QByteArray m_line; // the line being read, without its end
    QByteArray m_data; // the data buffer (each data field followed by LF)
    QByteArray m_type; // the event type buffer
    QByteArray m_id; // the last event ID buffer, as bytes: starts with the source's (as browsers do)
    QString m_lastEventId;
    QString m_origin;
    qint64 m_maximum = 0;
    bool m_started = false; // past the byte order mark, if any
    bool m_afterCR = false; // the last line ended with CR: an LF right after it ends nothing
    bool m_tooLarge = false;
};

/*! What a JsonLinesParser hands out, in stream order. */
struct JsonLinesItem
{
    qint64 line = 0; //!< from 1
    QJsonValue value; //!< when error is empty
    QString error; //!< "line 3, column 7: …" when the line is no JSON
};

/*!
    JSON lines: LF ends a line, whitespace-only lines are skipped (and counted), a byte order
    mark before the first line is skipped, the last line may lack its LF (finish()). Holds the
    line being read, at most maximumSize bytes (0: no limit).
*/
class JsonLinesParser
{
public:
    /*! As EventStreamParser::feed(). */
    bool feed(QByteArrayView bytes, QList<JsonLinesItem> &out);
    /*! The end of the stream: a last line without LF is parsed when \a clean, else dropped. */
    void finish(bool clean, QList<JsonLinesItem> &out);

    void setMaximumSize(qint64 bytes) { m_maximum = bytes; }
    qint64 maximumSize() const { return m_maximum; }
    qint64 heldBytes() const { return m_line.size(); }
    QString tooLargeMessage() const;

    /*! One JSON text, any value, with the error as "line N, column C: why". */
    static JsonLinesItem parseLine(QByteArrayView line, qint64 number);

private:
    void takeLine(QByteArrayView line, QList<JsonLinesItem> &out);

    QByteArray m_line;
    qint64 m_number = 0; // lines completed
    qint64 m_maximum = 0;
    bool m_started = false;
    bool m_tooLarge = false;
};

/*! The origin of \a url serialised as the HTML standard does: "scheme://host[:port]". */
QString serializedOrigin(const QUrl &url);

} // namespace Courier
