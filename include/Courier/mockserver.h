// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// Part of the Courier::Test library (find_package(Courier COMPONENTS Test), pkg-config
// courier-test): a scriptable HTTP server for an application's own tests.

#include <Courier/TlsOptions>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QPair>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QSsl>

#include <chrono>
#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QDebug;
class QJsonDocument;
class QSslCertificate;
class QSslKey;
QT_END_NAMESPACE

namespace Courier {

class MockResponseData;
class MockRequestData;
class MockServerPrivate;
struct MockResponseAccess;

/*!
    \class Courier::MockResponse
    \brief One scripted answer of a MockServer: status, headers, body, pacing and a fault.

    \code
    server.enqueue(Courier::MockResponse(200, "hello"));
    server.enqueue(Courier::MockResponse(503).setHeader("Retry-After", "2"));
    server.enqueue(Courier::MockResponse::json(QJsonDocument(QJsonObject{{"id", 7}})));
    server.enqueue(Courier::MockResponse(200, QByteArray(100, 'x'))
                       .setFault(Courier::MockResponse::Fault::Reset, Courier::MockResponse::Phase::Body));
    \endcode

    The server adds `Content-Length` (the body's size) unless the response sets `Content-Length` or
    `Transfer-Encoding` itself, is chunked (setChunked()), or has a status that has no body (1xx,
    204, 304). Headers are sent as given, repeated names and lies included: a response that sets
    `Content-Length: 100` and a 40-byte body sends exactly that. A response to HEAD sends no body.
    A response that sets `Connection: close`, or answers a request that asked for it, closes the
    connection once it is sent; otherwise the connection stays open for the next request.

    \section faults Faults
    setFault() makes the server fail on purpose at one phase of the exchange. What each fault sends
    at each phase, and what each engine reports for it, is in doc/testing.md:

    | phase | Close, Reset, Stall come... | Garbage | Oversized |
    |---|---|---|---|
    | Connect | when the connection is accepted (https: once the ClientHello is in) | bytes that are not HTTP (https: not TLS) | 256 KiB without a line end (https: a TLS record of 65,535 bytes) |
    | RequestBody | after `afterBytes` of the request body (the server stops reading first) | a line that is not HTTP, read on | this response, at once, then `Connection: close` |
    | StatusLine | after `HTTP/1.1 ` and the status's first two digits | bytes that are not a status line | a 256 KiB reason phrase |
    | Headers | in the middle of the first header line | a header line of binary bytes | 128 KiB of header fields |
    | Body | after `afterBytes` of a fixed-length body | `Content-Encoding: gzip` on a body that is not gzip | `Content-Length` of 1 TiB, the body, then close |
    | ChunkBoundary | after the chunks that hold `afterBytes` | a chunk-size line that is not hexadecimal | a chunk size of 25 hex digits |
    | InsideChunk | `afterBytes` into a chunk announcing the whole body | a chunk longer than it announces | a chunk of 0x7fffffffffffffff bytes |

    `afterBytes` is half the body (rounded down) unless given; for RequestBody it is half the
    announced request body, at most 64 KiB. Close and Reset wait until what was sent before them
    has left the server and 100 ms more, so that the client has read it first. A stalled connection
    stays open and silent until the client closes it or the server stops. After Garbage or an
    oversized chunk the server sends nothing more on that connection.

    MockResponse is an implicitly shared value type; it may be built and copied in any thread.
*/
class MockResponse
{
    Q_GADGET
public:
    /*! How the server fails; None for a well-formed answer. */
    enum class Fault { None, Close, Reset, Stall, Garbage, Oversized };
    Q_ENUM(Fault)
    /*! Where in the exchange the fault comes (see the table above). */
    enum class Phase { Connect, RequestBody, StatusLine, Headers, Body, ChunkBoundary, InsideChunk };
    Q_ENUM(Phase)

    /*! 200 OK with an empty body. */
    MockResponse();
    /*! \a status with its standard reason phrase and \a body. */
    explicit MockResponse(int status, const QByteArray &body = {});
    /*! 200 (or \a status) with \a document as its body and `Content-Type: application/json`. */
    static MockResponse json(const QJsonDocument &document, int status = 200);
    /*!
        \a bytes written as they are, status line and framing included: for what no well-formed
        response can express. A fault set on it comes after the bytes, whatever its phase; a
        throttle (setThrottle()) sends them a piece at a time, cut anywhere.
    */
    static MockResponse raw(const QByteArray &bytes);
    /*!
        An answer that is only \a fault at \a phase: 200 with a 100-byte text body ("0123456789"
        ten times) besides the fault; 413 for Oversized at Phase::RequestBody.
    */
    static MockResponse failing(Fault fault, Phase phase);

    /*! A copy of \a other (cheap: the data is shared until one of them changes). */
    MockResponse(const MockResponse &other);
    /*! Takes \a other's data. */
    MockResponse(MockResponse &&other) noexcept;
    /*! Makes this a copy of \a other. */
    MockResponse &operator=(const MockResponse &other);
    /*! Takes \a other's data. */
    MockResponse &operator=(MockResponse &&other) noexcept;
    ~MockResponse();

    /*! The status code sent. */
    int status() const;
    /*! The reason phrase sent after the code. */
    QByteArray reasonPhrase() const;
    /*!
        Sets the status and its reason phrase; a null \a reason means the standard phrase of
        \a status (none for an unregistered code). Returns this response, for chaining.
    */
    MockResponse &setStatus(int status, const QByteArray &reason = {});

    /*! The header fields in the order they are sent, repeated names included. */
    QList<QPair<QByteArray, QByteArray>> headers() const;
    /*! Replaces every field named \a name (any case) by one with \a value. */
    MockResponse &setHeader(const QByteArray &name, const QByteArray &value);
    /*! Adds a field, keeping those of the same name (two `Set-Cookie`, or two `Content-Length`). */
    MockResponse &addHeader(const QByteArray &name, const QByteArray &value);
    /*! Removes every field named \a name (any case). */
    MockResponse &removeHeader(const QByteArray &name);

    /*! The body (empty when it comes from a file). */
    QByteArray body() const;
    /*! Sets the body to \a body (and forgets a body file). */
    MockResponse &setBody(const QByteArray &body);
    /*!
        The body is the file at \a path, read when the response is sent (a file that cannot be read
        then is answered with 500 and counted as unexpected).
    */
    MockResponse &setBodyFile(const QString &path);
    /*! The file given to setBodyFile(); empty for a body of bytes. */
    QString bodyFile() const;

    /*!
        Sends the body with `Transfer-Encoding: chunked`, in chunks of \a chunkSize bytes (the whole
        body in one chunk when 0).
    */
    MockResponse &setChunked(qint64 chunkSize = 0);
    /*! Whether the body is sent chunked. */
    bool isChunked() const;
    /*! The size of its chunks; 0 for one chunk. */
    qint64 chunkSize() const;

    /*!
        Sends the body \a bytes at a time, one piece each \a period: a slow server. A raw()
        answer is sent so whole, status line included.
    */
    MockResponse &setThrottle(qint64 bytes, std::chrono::milliseconds period);
    /*! The bytes sent per throttle period; 0 when not throttled. */
    qint64 throttleBytes() const;
    /*! The throttle's period. */
    std::chrono::milliseconds throttlePeriod() const;

    /*! Waits \a delay after the request has arrived before the status line is sent. */
    MockResponse &setHeadersDelay(std::chrono::milliseconds delay);
    /*! The wait before the status line. */
    std::chrono::milliseconds headersDelay() const;
    /*! Waits \a delay between the header block and the body. */
    MockResponse &setBodyDelay(std::chrono::milliseconds delay);
    /*! The wait between the header block and the body. */
    std::chrono::milliseconds bodyDelay() const;

    /*!
        Fails with \a fault at \a phase; \a afterBytes places the body phases' faults (-1: the
        default of the table above). Fault::None removes the fault.
    */
    MockResponse &setFault(Fault fault, Phase phase, qint64 afterBytes = -1);
    /*! The fault; Fault::None for a well-formed answer. */
    Fault fault() const;
    /*! Where the fault comes. */
    Phase faultPhase() const;
    /*! The fault's offset as given to setFault(); -1 for the default. */
    qint64 faultAfterBytes() const;

    /*! One line for failure messages: "503 Service Unavailable, 0 bytes, fault Reset at Body". */
    QString toString() const;

private:
    friend struct MockResponseAccess;
    QSharedDataPointer<MockResponseData> d;
};

/*!
    \class Courier::MockRequest
    \brief A request as a MockServer received it.

    Recorded once the request has arrived whole (or, for a fault at Phase::RequestBody, when the
    fault came: then isComplete() is false and body() is what had arrived). A default-constructed
    MockRequest is invalid: MockServer::takeRequest() returns one when none came in time.

    MockRequest is an implicitly shared value type.
*/
class MockRequest
{
    Q_GADGET
    Q_PROPERTY(bool valid READ isValid CONSTANT)
    Q_PROPERTY(QByteArray method READ method CONSTANT)
    Q_PROPERTY(QByteArray target READ target CONSTANT)
    Q_PROPERTY(QString path READ path CONSTANT)
    Q_PROPERTY(QByteArray body READ body CONSTANT)
    Q_PROPERTY(int connection READ connection CONSTANT)
    Q_PROPERTY(int sequenceNumber READ sequenceNumber CONSTANT)
public:
    MockRequest();
    /*! A copy of \a other (cheap: the data is shared until one of them changes). */
    MockRequest(const MockRequest &other);
    /*! Takes \a other's data. */
    MockRequest(MockRequest &&other) noexcept;
    /*! Makes this a copy of \a other. */
    MockRequest &operator=(const MockRequest &other);
    /*! Takes \a other's data. */
    MockRequest &operator=(MockRequest &&other) noexcept;
    ~MockRequest();

    /*! False for a default-constructed MockRequest (takeRequest() found none). */
    bool isValid() const;
    /*! The method as sent: "GET", "PROPFIND", ... */
    QByteArray method() const;
    /*! The request target as sent: "/path?query" (or an absolute URL, through a proxy). */
    QByteArray target() const;
    /*! The target's path, percent-decoded. */
    QString path() const;
    /*! The full URL: the server's scheme, host and port with the target. */
    QUrl url() const;
    /*! "HTTP/1.1" or "HTTP/1.0". */
    QByteArray httpVersion() const;
    /*! The header fields as received, in order. */
    QList<QPair<QByteArray, QByteArray>> headers() const;
    /*! The value of the first field named \a name (any case); null when there is none. */
    QByteArray header(const QByteArray &name) const;
    /*! Whether a field named \a name (any case) came. */
    bool hasHeader(const QByteArray &name) const;
    /*! The body, with a chunked body's framing removed. */
    QByteArray body() const;
    /*! False when a fault at Phase::RequestBody cut the body short. */
    bool isComplete() const;
    /*! The connection it came on: 1 for the server's first accepted connection, and so on. */
    int connection() const;
    /*! Its place among the requests of its connection, from 0: above 0, the connection was reused. */
    int sequenceNumber() const;
    /*! Its place among all the server's requests, from 0. */
    int index() const;
    /*! Whether it came over TLS, and which version. */
    bool isEncrypted() const;
    /*! The TLS version of its connection; QSsl::UnknownProtocol without TLS. */
    QSsl::SslProtocol tlsProtocol() const;

    /*! One line for failure messages: "GET /path HTTP/1.1 (request 0, connection 1)". */
    QString toString() const;

private:
    friend class MockServerPrivate;
    friend class MockConnection;
    QSharedDataPointer<MockRequestData> d;
};

/*!
    \class Courier::MockServer
    \brief An HTTP server for tests, scripted with MockResponse answers and recording every request.

    \code
    Courier::MockServer server;
    QVERIFY(server.listen());
    server.enqueue(Courier::MockResponse(503).setHeader("Retry-After", "1"));
    server.enqueue(Courier::MockResponse(200, "done"));

    MyApiClient api(server.url());            // the class under test, given the base URL
    api.refresh();
    QTRY_COMPARE(api.state(), MyApiClient::Ready);

    const Courier::MockRequest first = server.takeRequest();
    QCOMPARE(first.method(), "GET");
    QCOMPARE(server.takeRequest().connection(), first.connection()); // the connection was reused
    QVERIFY2(server.isSatisfied(), qPrintable(server.report()));
    \endcode

    It speaks HTTP/1.1 with keep-alive and pipelining, on 127.0.0.1 (or an address given to
    listen()) and a free port unless one is given, so that tests that ctest runs in parallel never
    clash. useTls() turns it into an https server with a certificate it makes for 127.0.0.1, ::1
    and localhost; tlsOptions() trusts that certificate and nothing else. It does not speak HTTP/2:
    an engine asked for HTTP/2 over TLS falls back to HTTP/1.1 through ALPN, and one asked for
    cleartext HTTP/2 with prior knowledge gets a protocol error.

    \section answers Answers
    For each request the server answers with, in this order of precedence: the dispatcher's answer
    when setDispatcher() set one; the route matching the method and path (route()); the next
    answer of the queue (enqueue()); the default answer (setDefaultResponse()); otherwise
    `500 MockServer: no answer for <request>`, and the request is counted as unexpected
    (unexpectedRequests()). A fault at Phase::Connect comes from the queue's head when the
    connection is accepted, or from the default answer when the queue is empty; one at
    Phase::RequestBody from the route, the queue's head or the default answer once the request's
    header block is in.

    \section threads Threads
    The server runs on a thread of its own, so a test may block (Response::waitForFinished(),
    QTRY_COMPARE, QSignalSpy::wait()) while it answers. The MockServer object itself belongs to the
    thread that made it, whose functions must be called there; the dispatcher is called on the
    server's thread. takeRequest() runs the calling thread's event loop while it waits, so requests
    that thread sends go out meanwhile. requestReceived() is emitted in the MockServer's thread.

    The server stops (closing every connection) when the MockServer is destroyed or close() is
    called. It is not owned by anything but its QObject parent.
*/
class MockServer : public QObject
{
    Q_OBJECT
public:
    /*! A MockServer answering a request by its recorded form; called on the server's thread. */
    using Dispatcher = std::function<MockResponse(const MockRequest &)>;

    /*! A server that does not listen yet (listen()); runs its thread from now on. */
    explicit MockServer(QObject *parent = nullptr);
    /*! Stops the server; connections still open are reset. */
    ~MockServer() override;

    /*!
        Starts listening on 127.0.0.1 and \a port (0: a free port the system picks). Returns false,
        with errorString(), when it cannot (the port is taken).
    */
    bool listen(quint16 port = 0);
    /*! Starts listening on \a address and \a port. */
    bool listen(const QHostAddress &address, quint16 port = 0);
    /*! Whether listen() succeeded and close() has not been called since. */
    bool isListening() const;
    /*! Stops listening and closes every connection. The queue, routes and records stay. */
    void close();
    /*! Why the last listen() or useTls() failed. */
    QString errorString() const;
    /*! The port listened on; 0 when not listening. */
    quint16 port() const;
    /*! The address the URLs name (the loopback for a wildcard address). */
    QHostAddress address() const;

    /*!
        Makes the server https, with a certificate it makes now (a CA and a leaf for 127.0.0.1, ::1
        and localhost, valid for a day). Call before listen(). Returns false when this build of
        Courier::Test cannot make certificates (it needs OpenSSL 3); give one then.
    */
    bool useTls();
    /*! Makes the server https with \a chain (leaf first) and \a key. Call before listen(). */
    bool useTls(const QList<QSslCertificate> &chain, const QSslKey &key);
    /*! Whether the server is https (useTls()). */
    bool isTls() const;
    /*!
        TlsOptions that trust the server's certificate (its CA, or the leaf given to useTls()) and
        no other: give them to the Client or Request under test.
    */
    TlsOptions tlsOptions() const;
    /*! The CA certificate that signed the server's certificate (useTls() without arguments). */
    QSslCertificate caCertificate() const;

    /*!
        http://127.0.0.1:port/ with \a path (which may carry a query), or https:// with useTls().
        Invalid before listen().
    */
    QUrl url(const QString &path = QStringLiteral("/")) const;

    /*! Adds \a response to the queue: it answers one request, in order. */
    void enqueue(const MockResponse &response);
    /*! Answers to come in the queue. */
    QList<MockResponse> queue() const;
    /*!
        Answers every request whose method is \a method ("*" for any) and whose path is \a path
        (without the query) with \a response, before the queue. A later route for the same method
        and path replaces the earlier.
    */
    void route(const QByteArray &method, const QString &path, const MockResponse &response);
    /*! Removes every route. */
    void clearRoutes();
    /*!
        Answers every request that no route or queued answer is there for with \a response, which
        is never used up: a server that is down, or broken the same way, for every request. A
        fault at Phase::Connect in it fails every connection accepted while the queue is empty
        (the routes cannot count then: no request has arrived), so that a client that tries again
        on a new connection meets it again. Requests it answers are not unexpected.
    */
    void setDefaultResponse(const MockResponse &response);
    /*! Removes the default answer: requests nothing answers get the 500 again. */
    void clearDefaultResponse();
    /*! Answers every request by calling \a dispatcher (on the server's thread); null removes it. */
    void setDispatcher(Dispatcher dispatcher);

    /*!
        The oldest request not taken yet, waiting up to \a timeout for one while the calling
        thread's event loop runs. Invalid when none came in time.
    */
    MockRequest takeRequest(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /*! Requests received so far (taken or not). */
    int requestCount() const;
    /*! Connections accepted so far. */
    int connectionCount() const;
    /*! Requests that had no answer (no dispatcher, route or queued answer). */
    QList<MockRequest> unexpectedRequests() const;
    /*! True when every queued answer was used and no request was unexpected. */
    bool isSatisfied() const;
    /*!
        What is amiss, for a failure message: the answers still queued and the unexpected requests,
        one per line; empty when isSatisfied().
    */
    QString report() const;

Q_SIGNALS:
    /*! A request has arrived (emitted in the MockServer's thread, after it was recorded). */
    void requestReceived(const Courier::MockRequest &request);

private:
    Q_DECLARE_PRIVATE(MockServer)
    std::unique_ptr<MockServerPrivate> const d_ptr;
};

} // namespace Courier

Q_DECLARE_METATYPE(Courier::MockRequest)
Q_DECLARE_METATYPE(Courier::MockResponse)
