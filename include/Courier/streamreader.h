// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>
#include <Courier/serversentevent.h>

#include <QtCore/QJsonValue>
#include <QtCore/QObject>

#include <memory>

namespace Courier {

class Response;
class StreamReaderPrivate;

/*!
    \class Courier::StreamReader
    \brief What EventStreamReader and JsonLinesReader share: reading a Response as it arrives,
    item by item, in bounded memory.

    A reader is made on a running Response and becomes its child: it reads the body from the
    Response as it arrives (the application must not read it too) and delivers each complete
    item, an event or a line, with a signal of its own, from the event loop. An item may arrive in
    any number of pieces, each cut anywhere, also inside a UTF-8 sequence or between CR and LF.

    ### Memory and backpressure

    The reader holds the item being received and, while paused, the items it already parsed from
    the last piece it took from the Response (at most 16 KiB of them); nothing more. An item larger than
    maximumItemSize() (for a JSON line, its bytes; for an event, its fields held so far and the
    line being read; comments and line ends hold nothing) ends the Response with Response::UnknownContentError and an errorString() that names the limit,
    as Request::maximumBodySize() does; the items before it have been delivered.

    While paused(), the reader takes nothing from the Response: with Request::readBufferSize() set
    (EventSource sets it), the Response stops reading from the network once its buffer is full,
    and the server is slowed down by TCP flow control. setPaused(false) delivers what waits, from
    the event loop. A slot that is slow applies the same backpressure on its own: the reader
    takes the next bytes only when the slot returns.

    ### Signals and their guarantees

    - The item signals come in the order of the stream, never from inside the call that made
      the reader, and never while paused.
    - finished() exactly once, last: once the Response finished and the reader delivered every
      item that arrived (a paused reader waits until it is resumed). The reader reads the last
      bytes as the Response's finished() is emitted, so slots connected to that signal after the
      reader was made run after every item and after the reader's finished(). When the Response
      ended with an error, the item it cut short is dropped.

    Deleting the reader stops it (the Response goes on; its remaining body can be read).
    Deleting the Response deletes the reader. A reader lives in its Response's thread.
*/
class COURIER_EXPORT StreamReader : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool paused READ isPaused WRITE setPaused NOTIFY pausedChanged)
    Q_PROPERTY(qint64 maximumItemSize READ maximumItemSize WRITE setMaximumItemSize NOTIFY maximumItemSizeChanged)

public:
    /*! The default maximumItemSize(): 8 MiB. */
    static constexpr qint64 DefaultMaximumItemSize = 8 * 1024 * 1024;

    ~StreamReader() override;

    /*! The Response the reader reads; null once it was deleted. */
    Response *response() const;

    /*! Whether the reader holds back: see the class description. False at first. */
    bool isPaused() const;
    /*! Pauses (true) or resumes (false) the reader. */
    void setPaused(bool paused);

    /*! The largest item, in bytes, before the stream is ended; 0 means no limit. */
    qint64 maximumItemSize() const;
    /*! Sets the item limit to \a bytes (negative counts as 0, no limit). Applies to the item being received too. */
    void setMaximumItemSize(qint64 bytes);

    /*! True once finished() was emitted. */
    bool isFinished() const;

    /*! Items delivered so far: events, or JSON lines (those that failed to parse included). */
    qint64 itemCount() const;

    /*!
        Why the reader stopped before the end of the body: an item larger than maximumItemSize().
        Empty otherwise. The Response's errorString() says the same when it was still running;
        when it had already finished (the last bytes waited in it), only the reader tells.
    */
    QString errorString() const;

public Q_SLOTS:
    /*! setPaused(true). */
    void pause() { setPaused(true); }
    /*! setPaused(false). */
    void resume() { setPaused(false); }

Q_SIGNALS:
    /*! Emitted when isPaused() changes. */
    void pausedChanged();
    /*! Emitted when maximumItemSize() changes. */
    void maximumItemSizeChanged();
    /*!
        Emitted exactly once, when the Response finished and the last item was delivered: see the
        class description. The Response's error(), if any, says how the stream ended.
    */
    void finished();

protected:
    //! \cond internal
    StreamReader(std::unique_ptr<StreamReaderPrivate> d, Response *response);
    std::unique_ptr<StreamReaderPrivate> const d_ptr;
    //! \endcond

private:
    Q_DECLARE_PRIVATE(StreamReader)
    Q_DISABLE_COPY_MOVE(StreamReader)
};

/*!
    \class Courier::EventStreamReader
    \brief Server-sent events (`text/event-stream`), parsed from a Response as they arrive.

    The parser follows the HTML standard's event stream interpretation: a leading byte order mark
    is skipped; lines end with CRLF, LF or CR; an empty line dispatches the event; a line starting
    with ":" is a comment; `event`, `data`, `id` (ignored when it contains NUL) and `retry` (only
    ASCII digits) are understood, other fields are ignored; one space after the colon is dropped;
    an event without data is not dispatched; the bytes are decoded as UTF-8, invalid sequences
    becoming U+FFFD; an event the stream ends in the middle of is dropped.

    Use it for streams that EventSource cannot make, such as the answer to a POST request (the
    token stream of a language-model API); EventSource adds reconnection on top of it. The reader
    does not look at the status code nor the Content-Type: check them in headersReceived() if
    they matter.

    \code
    Courier::Response *response = client.post(url, QJsonObject{{"stream", true}});
    auto *events = new Courier::EventStreamReader(response);
    QObject::connect(events, &Courier::EventStreamReader::eventReceived, [](const Courier::ServerSentEvent &e) {
        qDebug() << e.type << e.data;
    });
    \endcode
*/
class COURIER_EXPORT EventStreamReader : public StreamReader
{
    Q_OBJECT
    Q_PROPERTY(QString lastEventId READ lastEventId NOTIFY lastEventIdChanged)
    Q_PROPERTY(int reconnectionTime READ reconnectionTime NOTIFY reconnectionTimeChanged)

public:
    /*!
        Reads the events of \a response, which must not be null; the reader is its child.
        \a lastEventId starts the stream's last event ID string (EventSource carries it from one
        connection to the next).
    */
    explicit EventStreamReader(Response *response, const QString &lastEventId = QString());
    ~EventStreamReader() override;

    /*! The stream's last event ID string: the latest `id:` field of a dispatched event. */
    QString lastEventId() const;
    /*! The latest `retry:` field, in milliseconds; -1 when the stream sent none. */
    int reconnectionTime() const;

Q_SIGNALS:
    /*! Emitted for each event dispatched, of any type. */
    void eventReceived(const Courier::ServerSentEvent &event);
    /*! Emitted when lastEventId() changes (at a dispatch, which may dispatch no event). */
    void lastEventIdChanged();
    /*! Emitted for each valid `retry:` field, with its value in milliseconds. */
    void reconnectionTimeChanged(int msecs);

private:
    Q_DECLARE_PRIVATE(StreamReader)
};

/*!
    \class Courier::JsonLinesReader
    \brief JSON lines (NDJSON, `application/x-ndjson`, `application/jsonl`), parsed from a
    Response as they arrive.

    Each line is one JSON text, any JSON value. Lines end with LF (a CR before it is whitespace);
    the last line may lack it. A line that holds only whitespace is skipped; a byte order mark
    before the first line is too. Lines are numbered from 1, skipped ones included.

    A line that is no JSON is reported by parseErrorOccurred() with its number and the reason;
    the lines after it are read as usual. An item too large (see StreamReader) ends the stream.
*/
class COURIER_EXPORT JsonLinesReader : public StreamReader
{
    Q_OBJECT

public:
    /*! Reads the lines of \a response, which must not be null; the reader is its child. */
    explicit JsonLinesReader(Response *response);
    ~JsonLinesReader() override;

    /*! Lines that were no JSON so far. */
    qint64 parseErrorCount() const;

Q_SIGNALS:
    /*! Emitted for each line that holds JSON, with its \a value and \a line number (from 1). */
    void valueReceived(const QJsonValue &value, qint64 line);
    /*!
        Emitted for each line that is no JSON; \a errorString names the line and column
        ("line 3, column 7: unterminated string"). Reading goes on with the next line.
    */
    void parseErrorOccurred(qint64 line, const QString &errorString);

private:
    Q_DECLARE_PRIVATE(StreamReader)
};

} // namespace Courier
