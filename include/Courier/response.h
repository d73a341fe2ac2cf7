// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>
#include <Courier/request.h>
#include <Courier/timeline.h>

#include <QtCore/QFuture>
#include <QtCore/QIODevice>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QUrl>
#include <QtCore/QVariantMap>
#include <QtNetwork/QNetworkCookie>

#include <memory>

QT_BEGIN_NAMESPACE
class QDebug;
class QNetworkReply;
class QJsonParseError;
QT_END_NAMESPACE

namespace Courier {

class Client;
class ResponsePrivate;

/*!
    \class Courier::Response
    \brief One logical HTTP request and its answer: a read-only, sequential QIODevice of the body.

    A Response is made by Client (get(), post(), send(), …) and is open for reading from the
    start. The body streams through it as it arrives: readyRead() tells that data is there;
    read(), readAll() and bytesAvailable() work as on any sequential QIODevice. Around the body it
    gives the status code and message, the headers, a categorised error() and progress signals.

    ### Signals and their guarantees

    - No signal is emitted from inside the Client call that created the Response: connect
        after the call returns. A request refused at once (invalid URL, unsupported scheme, a header
        with CR or LF) fails from the event loop, exactly like a network failure.
    - headersReceived() at most once, when the final response's status line and headers are in.
    - downloadProgress() at least once; `(0, 0)` when there is no body; the total is -1 while
        it is unknown (chunked, or compressed content).
    - uploadProgress() only when the request sends a body.
    - redirected() once per redirect followed, with the new URL, before the next hop starts.
    - retrying() once per new attempt the RetryPolicy makes, always before headersReceived():
        an attempt whose headers reached the application is never repeated.
    - errorOccurred() at most once, and only before finished().
    - finished() exactly once, last. The final bytes are readable when it is emitted.

    ### Statuses and errors

    An HTTP error status is not a transport failure, but both questions have an answer:
    statusCode() keeps the exact code (404); error() names its category in the classic scheme
    (ContentNotFound, 203) and category() says Content or Server. hasTransportError() is true
    only when the exchange itself failed (connection, TLS, timeout, protocol, cancel), in which case
    the body may be incomplete. isHttpSuccess() asks for a 2xx status alone.

    ### Redirects

    One Response is one logical request: Courier follows redirects itself (301, 302, 303, 307, 308;
    up to Client::maximumRedirects(), 50 by default), each hop with its own QNetworkReply. The
    status, headers, body and progress describe the final hop; url() is the final URL.
    A redirect from https to http is refused (InsecureRedirect) unless allowed, and
    Authorization, Cookie, Proxy-Authorization and the sensitive headers of Client and Request are
    not sent to another origin; credentials are only offered to the origin of the request.

    ### Memory

    With Request::readBufferSize() set, a body read as it arrives makes Courier and Qt hold about
    that much (briefly up to twice it), whatever its size; Request::maximumBodySize() bounds what
    a response may send, and header blocks are
    limited to MaximumHeaderSize. Responses can come from the Client's ResponseCache
    (fromCache()).

    ### Timeouts

    Three timers guard a request, each ending it with Timeout and an errorString() that names
    it and its value: the connect timeout (while Qt opens a connection for it, TLS included),
    the read timeout (the longest silence, restarted by every byte sent or received) and the
    total timeout (a deadline for the whole request, redirects included). abort() is never
    reported as a Timeout, nor a timeout as OperationCanceled.

    Qt 6.4 reports nothing while it reads a status line and header block, so until the block is
    complete the read timeout counts from the last byte sent: a server that drips its headers
    one byte at a time is stopped by it, however steady the drip.

    ### Ownership and threads

    The Response is a child of the Client that made it; the caller owns it and should
    deleteLater() it when done (deleting the Client deletes its Responses). Deleting a Response
    at any time is safe, also in the middle of a transfer and from inside a slot connected to its
    own signals: the transfer is aborted and no further signal is emitted.
    A Response lives in its Client's thread and must be used from there; that thread needs an
    event loop (waitForFinished() runs one locally).
*/
class COURIER_EXPORT Response : public QIODevice
{
    Q_OBJECT
    Q_PROPERTY(int statusCode READ statusCode NOTIFY headersReceived)
    Q_PROPERTY(QString statusMessage READ statusMessage NOTIFY headersReceived)
    Q_PROPERTY(QVariantMap headers READ headerMap NOTIFY headersReceived)
    Q_PROPERTY(qint64 contentLength READ contentLength NOTIFY headersReceived)
    Q_PROPERTY(Courier::Response::Error error READ error NOTIFY errorOccurred)
    Q_PROPERTY(Courier::Response::ErrorCategory category READ category NOTIFY errorOccurred)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorOccurred)
    Q_PROPERTY(QUrl url READ url NOTIFY urlChanged)
    Q_PROPERTY(bool running READ isRunning NOTIFY runningChanged)
    Q_PROPERTY(bool complete READ isComplete NOTIFY finished)
    Q_PROPERTY(qint64 bytesReceived READ bytesReceived NOTIFY downloadProgress)
    Q_PROPERTY(qint64 bytesTotal READ bytesTotal NOTIFY downloadProgress)
    Q_PROPERTY(qint64 resumedFrom READ resumedFrom NOTIFY headersReceived)
    Q_PROPERTY(qint64 bytesSent READ bytesSent NOTIFY uploadProgress)
    Q_PROPERTY(qint64 bytesToSend READ bytesToSend NOTIFY uploadProgress)
    Q_PROPERTY(int redirectCount READ redirectCount NOTIFY urlChanged)
    Q_PROPERTY(int attempts READ attempts NOTIFY retrying)
    Q_PROPERTY(bool fromCache READ fromCache NOTIFY headersReceived)
    Q_PROPERTY(bool ok READ isHttpSuccess NOTIFY headersReceived)
    Q_PROPERTY(QVariantList cookies READ cookieList NOTIFY headersReceived)
    Q_PROPERTY(Courier::Request::DataType resultType READ resultType NOTIFY headersReceived)
    Q_PROPERTY(QVariant result READ result NOTIFY finished)
    Q_PROPERTY(QString resultError READ resultError NOTIFY finished)
    // Bindings see the timeline again at finished(); reading it in code always gives it as it is.
    Q_PROPERTY(QVariantList timeline READ timelineList NOTIFY finished)
    Q_PROPERTY(Courier::Request::Protocol protocol READ protocol NOTIFY headersReceived)

public:
    /*!
        The largest header block accepted, names and values summed: 64 KiB, twice what nginx
        accepts from clients by default. A response with more fails with ProtocolFailure when its
        headers arrive, before headersReceived().

        The status line counts. Qt 6.4 reads the header block before Courier sees any of it,
        and its parser has limits of its own (100 fields, 100 KiB per field, 256 KiB in all).
        Beyond those, or at a malformed line, Qt drops the whole block without reporting it and
        goes on with the status alone: Courier sees a response with no fields, whose body has no
        known end, and the read timeout (or the server closing) ends it.
    */
    static constexpr qint64 MaximumHeaderSize = 64 * 1024;

    /*!
        What went wrong. The values are fixed (they match QNetworkReply::NetworkError where Qt has
        the same condition) and grouped by hundreds into ErrorCategory.
    */
    enum Error {
        //! no error: the response is running or succeeded (an HTTP error status has its own value)
        NoError = 0,

        ConnectionRefused = 1, //!< the server refused the connection (nothing listens on the port)
        RemoteHostClosed = 2, //!< the server closed the connection before the response was complete
        HostNotFound = 3, //!< the host name could not be resolved
        Timeout = 4, //!< a connect, read or total timeout fired (errorString() says which and its value)
        OperationCanceled = 5, //!< abort() was called
        SslHandshakeFailed = 6, //!< TLS could not be established or no pinned key matched (errorString() says why)
        TemporaryNetworkFailure = 7, //!< the network went away in the middle
        NetworkSessionFailed = 8, //!< the network session failed
        TooManyRedirects = 10, //!< more redirects than allowed
        InsecureRedirect = 11, //!< a redirect from https to http was refused
        //! any other network error
        UnknownNetworkError = 99,

        //! the proxy refused the connection
        ProxyConnectionRefused = 101,
        //! the proxy closed the connection before the response was complete
        ProxyConnectionClosed = 102,
        //! the proxy's host name could not be resolved
        ProxyNotFound = 103,
        //! the proxy timed out
        ProxyTimeout = 104,
        //! the proxy asked for authentication (HTTP 407) and did not accept the credentials, if any
        ProxyAuthenticationRequired = 105,
        //! any other proxy error
        UnknownProxyError = 199,

        ContentAccessDenied = 201, //!< HTTP 403
        ContentOperationNotPermitted = 202, //!< HTTP 405
        ContentNotFound = 203, //!< HTTP 404
        AuthenticationRequired = 204, //!< HTTP 401
        ContentReSend = 205, //!< the body had to be sent again and could not be
        ContentConflict = 206, //!< HTTP 409
        ContentGone = 207, //!< HTTP 410
        UnknownContentError = 299, //!< any other 4xx

        ProtocolUnknown = 301, //!< empty URL, or a scheme other than http and https
        ProtocolInvalidOperation = 302, //!< the request cannot be sent as given (invalid URL, method or header)
        ProtocolFailure = 399, //!< the server broke the protocol (garbage, bad framing)

        InternalServerError = 401, //!< HTTP 500
        OperationNotImplemented = 402, //!< HTTP 501
        ServiceUnavailable = 403, //!< HTTP 503
        UnknownServerError = 499, //!< any other 5xx
    };
    Q_ENUM(Error)

    /*! The group an Error belongs to, by hundreds: None for NoError, then one category per hundred. */
    enum ErrorCategory {
        //! NoError
        None = 0,
        //! errors 1–99: connection, name lookup, TLS, timeouts, cancel, redirects
        Network = 1,
        //! errors 101–199: the proxy
        Proxy = 2,
        //! errors 201–299: 4xx statuses, and content errors such as ContentReSend
        Content = 3,
        //! errors 301–399: an unsupported scheme, a request that cannot be sent, a protocol failure
        Protocol = 4,
        //! errors 401–499: 5xx statuses
        Server = 5,
    };
    Q_ENUM(ErrorCategory)

    /*! The category of \a error. */
    static ErrorCategory categoryOf(Error error);
    /*!
        The error that an HTTP status \a code maps onto: NoError below 400, ContentNotFound for 404,
        AuthenticationRequired for 401, ProxyAuthenticationRequired for 407, … UnknownContentError
        for other 4xx and UnknownServerError for other 5xx (and anything above).
    */
    static Error errorForStatus(int code);

    /*!
        Aborts a running transfer. Deleting a Response also aborts it, without signals.
    */
    ~Response() override;

    /*! \name QIODevice */
    //! @{
    /*! Always true: the body is read once, in order. */
    bool isSequential() const override;
    /*! The number of body bytes that can be read now without waiting. */
    qint64 bytesAvailable() const override;
    /*! Whether a whole line of the body can be read now. */
    bool canReadLine() const override;
    /*! Aborts the transfer if it is running and closes the device. */
    void close() override;
    /*! Waits, running a local event loop, until data arrives or the response finishes. */
    bool waitForReadyRead(int msecs) override;
    //! @}

    /*! The request as it was sent for the first hop, with the Client's defaults applied. */
    Request request() const;
    /*! The URL of the final hop: the request URL until a redirect is followed. */
    QUrl url() const;
    /*! How many redirects were followed (by the last attempt). */
    int redirectCount() const;
    /*!
        Whether the body comes from the Client's ResponseCache: stored and fresh, or revalidated
        by the server with 304 Not Modified (statusCode() is then the stored status).
    */
    bool fromCache() const;
    /*! Attempts made so far: 1, plus one per retry the RetryPolicy made. */
    int attempts() const;
    /*!
        The HTTP version of the final response: Request::Protocol::Http1 or Http2 once
        headersReceived() was emitted, Auto before (and when no response came).
    */
    Request::Protocol protocol() const;
    /*!
        What happened so far and when, one event per step of each hop (see TimelineEvent):
        started, connecting, TLS established, request sent, headers received, first byte,
        redirected, finished.
    */
    QList<TimelineEvent> timeline() const;

    /*! The HTTP status code of the final response, 0 until headersReceived() (or when none came). */
    int statusCode() const;
    /*!
        The reason phrase the server sent ("Not Found"); HttpStatus::phrase() of the code when it
        sent none (always so over HTTP/2).
    */
    QString statusMessage() const;
    /*! 2xx: the server says it did what was asked. Independent of hasTransportError(). */
    bool isHttpSuccess() const;

    /*!
        The value of header \a name, case-insensitively; repeated fields come joined with ", "
        (Set-Cookie with "\n"). Null when the header is absent.
    */
    QByteArray header(const QByteArray &name) const;
    /*!
        Every value of \a name: a repeated field, or a field whose value is a comma-separated list
        (split at commas outside quoted strings). Fields that cannot be lists (Date, Expires,
        Last-Modified, Set-Cookie, …) are never split at commas.
    */
    QList<QByteArray> headerValues(const QByteArray &name) const;
    /*! Whether the response has a header \a name (compared case-insensitively). */
    bool hasHeader(const QByteArray &name) const;
    /*! All header fields as received (names as the server spelled them), in order. */
    QList<QPair<QByteArray, QByteArray>> headers() const;
    /*! The headers as a map of lower-case name to value (joined as in header()), for QML. */
    QVariantMap headerMap() const;
    /*!
        Content-Length, or -1 when it is not known (chunked, absent, or before the headers). It
        counts the body as sent: with a Content-Encoding, the decoded body is longer, and
        bytesTotal() is -1.
    */
    qint64 contentLength() const;

    /*! The error of the exchange, NoError while running and on success. */
    Error error() const;
    /*!
        What went wrong, in words (doc/errors.md lists the shapes): empty while the response runs
        and when error() is NoError; for an HTTP error status, the status ("Not found: the server
        replied 404 Not Found"); for a transport error, what failed, where, and the engine's
        detail when it adds something ("Connection refused (127.0.0.1:1)"), in the same words on
        both engines.

        It hides QIODevice::errorString(), which is not virtual: read through a QIODevice
        pointer, a Response without an error has QIODevice's default, "Unknown error".
    */
    QString errorString() const;
    /*! The category of error(). */
    ErrorCategory category() const;
    /*!
        Whether the exchange itself failed: error() is set and did not come from the HTTP status.
        The body may then be incomplete.
    */
    bool hasTransportError() const;

    /*! True from creation until finished() is emitted. */
    bool isRunning() const;
    /*!
        True once finished() was emitted. Not a property (in QML it would hide the signal):
        QML reads the \c running property, false once finished.
    */
    bool isFinished() const;
    /*!
        Whether the whole body arrived: the response finished without a transport error, so every
        byte that Content-Length announced, or the final chunk, was received.
    */
    bool isComplete() const;

    /*!
        Body bytes of the final hop received so far (after Content-Encoding is undone). For a
        Client::download() that resumed, the bytes already on disk count too.
    */
    qint64 bytesReceived() const;
    /*!
        For a Client::download() that continues a partial file: how many bytes were already on
        disk (the server answered 206 from there). 0 otherwise.
    */
    qint64 resumedFrom() const;
    /*! The total body size announced, -1 when unknown. */
    qint64 bytesTotal() const;
    /*! Body bytes sent so far. */
    qint64 bytesSent() const;
    /*! The size of the body to send, 0 when there is none and -1 when unknown. */
    qint64 bytesToSend() const;

    /*!
        Reads all data not yet read and returns the whole body read this way, decoded with the
        charset of Content-Type (UTF-8 when it names none, and when it names one Qt cannot decode).
        The bytes are kept, so text() and json() can each be called any number of times; bytes
        consumed earlier with read() are not part of it. Before finished() it returns what arrived.
    */
    Q_INVOKABLE QString text();
    /*!
        Parses the body (read as text() reads it) as JSON: an object, an array or, as RFC 8259
        allows, a scalar. On malformed JSON it returns an undefined QJsonValue and, when
        \a errorString is given, sets it to the parse error and its offset; it never guesses.
    */
    Q_INVOKABLE QJsonValue json(QString *errorString = nullptr);
    /*! The body bytes kept by text() and json(), after reading all data not yet read. */
    QByteArray body();
    /*! body() under the name QML knows it by (an ArrayBuffer there). */
    Q_INVOKABLE QByteArray arrayBuffer() { return body(); }
    /*!
        The body as the request's Request::expectedDataType() asks, to be called after finished():
        a QString (as text()), a QJsonValue (as json(), scalars included) or a QByteArray (as
        body()). With DataType::Auto the type follows Content-Type (resultType()).
        In QML: a string, a JavaScript value or an ArrayBuffer.
        When JSON was expected and the body is not JSON, it returns an invalid QVariant and, when
        \a errorString is given, sets it to the parse error and its offset; error() is not
        changed (the exchange itself succeeded) and the raw bytes stay readable through body().
    */
    QVariant result(QString *errorString = nullptr);
    /*!
        The cookies the response set (its Set-Cookie fields), redirect hops included, in the order
        received, with domain and path completed from the URL that set them. Whether the jar
        accepted each one is the jar's decision (Client::cookieJar()): a cookie for another
        domain is listed here but not stored.
    */
    QList<QNetworkCookie> cookies() const;
    /*! Why result() is invalid when JSON was expected and the body is not JSON; empty otherwise. */
    QString resultError();
    /*! The type result() returns: the expected data type, or for Auto the one Content-Type gives. */
    Request::DataType resultType() const;

    /*!
        Blocks, running a local event loop, until finished() or until \a msecs have passed (-1:
        no limit). Returns isFinished(). For command-line tools and tests; a GUI should use signals.
    */
    bool waitForFinished(int msecs = 30000);

    /*!
        A QFuture that completes with this Response when finished() is emitted, for code written
        with QFuture continuations:

        \code
        client->get(url)->future().then(this, [this](Courier::Response *r) {
            r->deleteLater();
            show(r->text());
        });
        \endcode

        - The result is this Response, finished; the future is ready at once when the Response has
            finished already. Continuations attached with `then(func)` run inside the finished()
            emission; with `then(context, func)` from the event loop of \a context's thread.
        - The future is canceled when the Response is destroyed before it finished (its Client
            was deleted): `onCanceled()` runs, `then()` does not.
        - Cancelling the future (QFuture::cancel()) aborts the Response, from the event loop:
            finished() follows with OperationCanceled, as after abort().
        - The Response stays the caller's: the future does not delete it.

        Each call makes a new future. Do not block on it (QFuture::waitForFinished(), result())
        in the Response's thread: the thread's event loop must run for the Response to finish.
    */
    QFuture<Courier::Response *> future();

    /*!
        The QNetworkReply of the current hop, or nullptr before the first hop starts and when the
        request was refused before sending. Owned by the Response; valid until the next hop or
        the Response's destruction. Do not read from it: read from the Response.

        On the libcurl engine the reply is made by the CurlAccessManager directly, without
        QNetworkAccessManager::get() and its kin (whose connections cost more than the rest of
        the request's set-up): its QNetworkReply::manager() is nullptr. The manager still emits
        its finished() and encrypted() signals for it.
    */
    QNetworkReply *reply() const;

public Q_SLOTS:
    /*!
        Cancels the request. If it is running, errorOccurred(OperationCanceled) and finished() are
        emitted before abort() returns; data already received stays readable. Does nothing once
        finished.
    */
    void abort();

Q_SIGNALS:
    /*! The final response's status and headers are available. Emitted at most once. */
    void headersReceived();
    /*!
        Body progress of the final hop: \a received bytes out of \a total (-1 when unknown).
        Emitted at least once per Response; `(0, 0)` when there is no body.
    */
    void downloadProgress(qint64 received, qint64 total);
    /*! Upload progress of the body: \a sent of \a total bytes. Only emitted when a body is sent. */
    void uploadProgress(qint64 sent, qint64 total);
    /*! A redirect to \a url is being followed. Emitted once per hop. */
    void redirected(const QUrl &url);
    /*!
        The attempt that just ended will be followed by attempt number \a attempt (2 for the first
        retry) in \a delayMs milliseconds, as the RetryPolicy decided. Emitted once per retry,
        before the wait; the failed attempt's status, headers and body are not shown. The
        Response stays the same object, running, and url() goes back to the request's URL.
    */
    void retrying(int attempt, int delayMs);
    /*! url() changed (a redirect was followed). */
    void urlChanged();
    /*! The request failed with \a error. Emitted at most once, right before finished(). */
    void errorOccurred(Courier::Response::Error error);
    /*! isRunning() changed. */
    void runningChanged();
    /*!
        Qt started opening a connection for the current hop (name lookup, then TCP). Emitted once
        per new connection, as it happens; not for a hop that reuses an open connection.
    */
    void connecting();
    /*!
        The connection of the current hop is open and ready for the request: for https once the
        TLS handshake completed, the server was verified and its key matched the pins (just
        before tlsEstablished()); for http when the request was written (just before
        requestSent()), because Qt 6.4 reports no earlier moment. Emitted once per new connection,
        after connecting(); not for a hop that reuses an open connection.
    */
    void connected();
    /*!
        The TLS handshake of the current hop's connection completed, the server was verified and
        its key matched the pins. Emitted once per new https connection, after connected().
    */
    void tlsEstablished();
    /*!
        The request of the current hop (headers and body) was written. Emitted once per hop,
        redirect hops, authentication rounds and retries included; not for a response from the cache.
    */
    void requestSent();
    /*!
        The response is over: successfully, with an error status, or with a transport error.
        Emitted exactly once, after every other signal of this Response.
    */
    void finished();

protected:
    /*!
        Reads up to \a maxSize body bytes into \a data and returns how many; 0 while the response
        runs and nothing is available, -1 once it has finished and nothing is left.
    */
    qint64 readData(char *data, qint64 maxSize) override;
    /*! Handles the Response's timers (timeouts, the wait before a retry); others go to QIODevice. */
    void timerEvent(QTimerEvent *event) override;
    /*! The Response is read-only: always returns -1. */
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    friend class Client;
    friend class ClientPrivate;
    explicit Response(QObject *parent);
    QVariantList timelineList() const; // the "timeline" property: TimelineEvent values
    QVariantList cookieList() const; // the "cookies" property: objects for QML

    Q_DECLARE_PRIVATE(Response)
    std::unique_ptr<ResponsePrivate> const d_ptr;
};

#ifndef QT_NO_DEBUG_STREAM
/*!
    \relates Courier::Response
    Writes \a response to \a debug, as Qt writes a QObject pointer: its address, the method, the
    url() (without the URL's password), whether it is running or finished, the statusCode() once
    headers came and the error() when there is one, by name. A null \a response writes
    `Courier::Response(0x0)`.
*/
COURIER_EXPORT QDebug operator<<(QDebug debug, const Response *response);
#endif

} // namespace Courier
