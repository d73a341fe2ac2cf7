// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>
#include <Courier/request.h>
#include <Courier/serversentevent.h>

#include <QtCore/QObject>
#include <QtCore/QUrl>

#include <chrono>
#include <memory>

namespace Courier {

class Client;
class Response;
class EventSourcePrivate;

/*!
    \class Courier::EventSource
    \brief A server-sent event stream that stays connected: the HTML standard's `EventSource`,
    with all of Courier's request options.

    An EventSource sends its request() with a Client, reads the `text/event-stream` answer with
    an EventStreamReader and, when the connection drops, connects again after the reconnection
    time, sending the last event ID it saw in a `Last-Event-ID` header so that the server can go on
    where it stopped.

    \code
    Courier::EventSource source(&client, Courier::Request(QUrl("https://example.com/updates")));
    QObject::connect(&source, &Courier::EventSource::message, [](const Courier::ServerSentEvent &e) {
        qDebug() << e.data;
    });
    source.open();
    \endcode

    ### The rules (the standard's, and where Courier decides)

    - The request is sent with `Accept: text/event-stream` and `Cache-Control: no-cache` unless it
      sets them, never from the cache, and with `Last-Event-ID` when lastEventId() is not empty.
      Redirects are followed as for any request; url() stays the first URL. An ID that is no
      valid header value (a control character but tab, which a server may send) is not sent:
      the stream starts over rather than being refused.
    - A 200 answer whose Content-Type is `text/event-stream` (parameters ignored) opens the
      stream: readyState() becomes Open and opened() is emitted.
    - Any other answer fails the stream for good: readyState() becomes Closed and errorOccurred()
      is emitted, with an errorString() that names the status or the Content-Type. This includes
      204 No Content, the standard's way for a server to say "stop", and every other 2xx.
    - When an open stream ends, cleanly or not, or a connection cannot be made for a reason
      that may pass (refused, reset, name lookup, timeout, a protocol error), the source
      reconnects: readyState() becomes Connecting, errorOccurred() is emitted, then after the
      delay reconnecting(attempt, delay) announces the next request.
    - Errors that would only repeat end the stream instead (Closed): TLS handshake failures,
      too many or insecure redirects, an unsupported scheme or invalid URL, authentication
      refused, an event larger than maximumEventSize(), a body larger than
      Request::maximumBodySize().
    - The delay: the reconnection time (reconnectionTime(), 3 seconds at first, then the
      server's latest `retry:` field) after a connection that delivered events and after the
      first attempt that did not; from the second failed attempt in a row on, it doubles each
      time, starting from at least half a second (so that `retry: 0` cannot make a busy loop).
      It is never more than maximumReconnectionDelay() (30 seconds by default), which also caps
      a `retry:` value. A connection that delivers an event resets the doubling.
    - close() stops for good, at once, in any state: no further signal but readyStateChanged().

    ### Timeouts

    The connect timeout applies to every connection as usual. The total timeout does not apply
    (a stream has no end). The read timeout keeps its meaning, the longest silence, but on an
    open stream it is an idle timeout: a stream silent for longer (no event and no comment; many
    servers send `:` comments as heartbeats) counts as a dropped connection, and the source
    reconnects instead of failing. Set the Request's or Client's read timeout above the server's
    heartbeat period, or to 0 to wait forever.

    ### Memory

    The request's read buffer is 64 KiB unless it sets one, so a stream holds that much and the
    event being received, never more than maximumEventSize() (8 MiB by default).

    ### Ownership and threads

    The EventSource does not own the Client; a Client deleted while the source runs closes it with
    an error. The Responses it makes are its own and are deleted as each connection ends; do not
    keep the pointer response() returns. An EventSource lives in its Client's thread.
*/
class COURIER_EXPORT EventSource : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QUrl url READ url NOTIFY requestChanged)
    Q_PROPERTY(Courier::EventSource::ReadyState readyState READ readyState NOTIFY readyStateChanged)
    Q_PROPERTY(QString lastEventId READ lastEventId WRITE setLastEventId NOTIFY lastEventIdChanged)
    Q_PROPERTY(int reconnectionTime READ reconnectionTimeMsecs NOTIFY reconnectionTimeChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorOccurred)

public:
    /*! The states of the standard's `readyState`, with its numbers. */
    enum ReadyState {
        Connecting = 0, //!< connecting, or waiting to reconnect
        Open = 1, //!< the stream is open: events are delivered
        Closed = 2, //!< not connected and not reconnecting: before open(), after close() or a failure
    };
    Q_ENUM(ReadyState)

    /*! The reconnection time before any `retry:` field: 3 seconds. */
    static constexpr std::chrono::milliseconds DefaultReconnectionTime{3000};
    /*! The default maximumReconnectionDelay(): 30 seconds. */
    static constexpr std::chrono::milliseconds DefaultMaximumReconnectionDelay{30000};

    /*! An EventSource with no Client and an empty request; set both before open(). */
    explicit EventSource(QObject *parent = nullptr);
    /*! An EventSource that sends \a request with \a client; open() starts it. */
    EventSource(Client *client, const Request &request, QObject *parent = nullptr);
    /*! Closes the stream; no signal is emitted. */
    ~EventSource() override;

    /*! The Client that sends the requests; not owned. */
    Client *client() const;
    /*! Sets the Client; takes effect at the next connection. */
    void setClient(Client *client);

    /*! The request sent at each connection (before the rules above add their headers). */
    Request request() const;
    /*! Sets the request; takes effect at the next connection. */
    void setRequest(const Request &request);
    /*! request().url(). */
    QUrl url() const;

    /*! The state; Closed before open(). */
    ReadyState readyState() const;

    /*! The last event ID string: sent as `Last-Event-ID` when connecting. Empty at first. */
    QString lastEventId() const;
    /*!
        Sets the last event ID string, for instance to resume a stream saved by an earlier run;
        the next connection sends it. Ignored when it is no valid header value (a control
        character but tab).
    */
    void setLastEventId(const QString &id);

    /*! The reconnection time: DefaultReconnectionTime, then the server's latest `retry:`. */
    std::chrono::milliseconds reconnectionTime() const;
    /*! reconnectionTime() in milliseconds. */
    int reconnectionTimeMsecs() const { return int(reconnectionTime().count()); }
    /*! Sets the reconnection time until the server sends `retry:` (negative counts as 0). */
    void setReconnectionTime(std::chrono::milliseconds time);

    /*! The longest wait before reconnecting, whatever the backoff or `retry:` asks. */
    std::chrono::milliseconds maximumReconnectionDelay() const;
    /*! Sets the longest wait before reconnecting (negative counts as 0). */
    void setMaximumReconnectionDelay(std::chrono::milliseconds delay);

    /*! The largest event, in bytes, before the stream fails: 8 MiB by default; 0 means no limit. */
    qint64 maximumEventSize() const;
    /*! Sets the event size limit to \a bytes (negative counts as 0); see StreamReader::maximumItemSize(). */
    void setMaximumEventSize(qint64 bytes);

    /*! Reconnection attempts in a row so far that delivered no event (0 while events arrive). */
    int failedAttempts() const;

    /*!
        The status code of the latest connection's answer, kept once the source closed: 204 when
        the server asked it to stop, 404 or 401 when the stream was refused, 200 for a stream that
        dropped. 0 while a connection awaits its answer, or when none came (refused, TLS, …).
    */
    int statusCode() const;

    /*! Why the stream last failed or dropped: empty while it never did. */
    QString errorString() const;

    /*! The Response of the current connection, or null between connections; see the class description. */
    Response *response() const;

public Q_SLOTS:
    /*!
        Starts the stream when readyState() is Closed (else does nothing): readyState() becomes
        Connecting at once, as a browser's EventSource is when made, and the request is sent from
        the event loop, so no other signal comes from inside this call.
    */
    void open();
    /*! Disconnects and stops reconnecting; readyState() becomes Closed. */
    void close();

Q_SIGNALS:
    /*! Emitted when readyState() changes. */
    void readyStateChanged();
    /*! Emitted each time a connection opens the stream (readyState() becomes Open). */
    void opened();
    /*! Emitted for each event of type "message" (events without an `event:` field). */
    void message(const Courier::ServerSentEvent &event);
    /*! Emitted for each event, of any type, after message() for those of type "message". */
    void eventReceived(const Courier::ServerSentEvent &event);
    /*!
        Emitted when a connection drops or fails; readyState() then says whether the source
        reconnects (Connecting) or stopped (Closed), and errorString() why. Not emitted by close().
    */
    void errorOccurred();
    /*! Emitted as a new connection starts: the \a attempt in a row (from 1), after \a delayMs. */
    void reconnecting(int attempt, int delayMs);
    /*! Emitted when lastEventId() changes. */
    void lastEventIdChanged();
    /*! Emitted when reconnectionTime() changes. */
    void reconnectionTimeChanged();
    /*! Emitted when request() changes. */
    void requestChanged();

private:
    Q_DECLARE_PRIVATE(EventSource)
    std::unique_ptr<EventSourcePrivate> const d_ptr;
    Q_DISABLE_COPY_MOVE(EventSource)
};

} // namespace Courier
