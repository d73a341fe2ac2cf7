// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Courier::Test's MockServer: what it sends for each scripted answer (read byte for byte by a raw
// socket, so that the server is checked without a client's interpretation), what it records, its
// three ways of answering, its reports, TLS, and its use with Courier's Client on each engine.
// The fault matrix (tst_faults) shows what each engine makes of every fault.

#include <Courier/Client>
#include <Courier/MockServer>

#include "spy.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryFile>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Courier;
using namespace std::chrono_literals;
using Fault = MockResponse::Fault;
using Phase = MockResponse::Phase;

namespace {

// A raw HTTP/1.1 client: sends bytes, then reads until the server closes, resets or goes
// silent (nothing for quietMs once something, or nothing at all, came).
struct RawExchange
{
    QByteArray received;
    bool closed = false; // FIN or RST
    bool reset = false;
};

RawExchange exchange(const QUrl &url, const QByteArray &request, int quietMs = 300, int limitMs = 10000)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress(url.host()), quint16(url.port()));
    RawExchange result;
    if (!socket.waitForConnected(limitMs))
        return result;
    socket.write(request);
    QElapsedTimer elapsed;
    elapsed.start();
    while (elapsed.elapsed() < limitMs) {
        if (socket.waitForReadyRead(quietMs)) {
            result.received += socket.readAll();
            continue;
        }
        result.received += socket.readAll();
        if (socket.state() != QAbstractSocket::ConnectedState) {
            result.closed = true;
            result.reset = socket.error() == QAbstractSocket::RemoteHostClosedError
                ? false
                : socket.error() != QAbstractSocket::UnknownSocketError;
            break;
        }
        break; // silent
    }
    return result;
}

const QByteArray kGet = "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
const QByteArray kBody = QByteArray("0123456789").repeated(10);

} // namespace

class tst_MockServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void answersAsScripted_data();
    void answersAsScripted();
    void faultsAsDocumented_data();
    void faultsAsDocumented();
    void faultAtConnectComesFirst();
    void requestBodyFaultStopsReading();
    void recordsEveryRequest();
    void keepAliveAndPipelining();
    void queueRoutesAndDispatcher();
    void defaultResponseNeverRunsOut();
    void reportsWhatIsAmiss();
    void takeRequestWaitsAndTimesOut();
    void expectContinue();
    void bodyFromAFile();
    void withCourier_data();
    void withCourier();
    void delaysMeetTimeouts();
    void uploadsRecorded();
    void tlsWithItsOwnCertificate();
    void serversSideBySide();
};

void tst_MockServer::answersAsScripted_data()
{
    QTest::addColumn<MockResponse>("response");
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<bool>("closes");

    QTest::newRow("status, phrase, length")
        << MockResponse(404, "nope") << kGet << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope")
        << false;
    QTest::newRow("own phrase, headers in order")
        << MockResponse(200, "x").setStatus(299, "Fine").addHeader("A", "1").addHeader("a", "2").setHeader("B", "3")
        << kGet << QByteArray("HTTP/1.1 299 Fine\r\nA: 1\r\na: 2\r\nB: 3\r\nContent-Length: 1\r\n\r\nx") << false;
    QTest::newRow("a lie about the length is sent as it is")
        << MockResponse(200, "short").setHeader("Content-Length", "100").setHeader("Connection", "close") << kGet
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nshort") << true;
    QTest::newRow("chunked") << MockResponse(200, "abcdefghij").setChunked(4) << kGet
                             << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                           "4\r\nabcd\r\n4\r\nefgh\r\n2\r\nij\r\n0\r\n\r\n")
                             << false;
    QTest::newRow("json") << MockResponse::json(QJsonDocument(QJsonObject{{QStringLiteral("a"), 1}}), 201) << kGet
                          << QByteArray("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                                        "Content-Length: 7\r\n\r\n{\"a\":1}")
                          << false;
    QTest::newRow("HEAD: no body") << MockResponse(200, "body") << QByteArray("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n")
                                   << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n") << false;
    QTest::newRow("204: no body, no length")
        << MockResponse(204) << kGet << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << false;
    QTest::newRow("the client asks to close")
        << MockResponse(200, "ok") << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok") << true;
    QTest::newRow("HTTP/1.0 closes") << MockResponse(200, "ok") << QByteArray("GET / HTTP/1.0\r\n\r\n")
                                     << QByteArray(
                                            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                                     << true;
    QTest::newRow("raw") << MockResponse::raw("HTTP/1.1 200 OK\r\n\r\nanything") << kGet
                         << QByteArray("HTTP/1.1 200 OK\r\n\r\nanything") << false;
    QTest::newRow("throttled: same bytes")
        << MockResponse(200, kBody).setThrottle(25, 10ms) << kGet
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + kBody) << false;
    QTest::newRow("raw, throttled: same bytes")
        << MockResponse::raw("HTTP/1.1 200 OK\r\n\r\nanything").setThrottle(3, 5ms) << kGet
        << QByteArray("HTTP/1.1 200 OK\r\n\r\nanything") << false;
    // The next piece is an hour away: what arrives is the first piece, status line cut.
    QTest::newRow("raw, throttled: a piece at a time")
        << MockResponse::raw("HTTP/1.1 200 OK\r\n\r\nanything").setThrottle(4, 1h) << kGet << QByteArray("HTTP")
        << false;
}

void tst_MockServer::answersAsScripted()
{
    QFETCH(MockResponse, response);
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, expected);
    QFETCH(bool, closes);

    MockServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.enqueue(response);
    const RawExchange got = exchange(server.url(), request);
    QCOMPARE(got.received, expected);
    QCOMPARE(got.closed, closes);
    QVERIFY2(server.isSatisfied(), qPrintable(server.report()));
}

void tst_MockServer::faultsAsDocumented_data()
{
    QTest::addColumn<int>("phase");
    QTest::addColumn<int>("fault");
    QTest::addColumn<QByteArray>("startsWith");
    QTest::addColumn<QByteArray>("endsWith");
    QTest::addColumn<int>("size"); // -1: any
    QTest::addColumn<bool>("closed");

    const QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n";
    const auto row = [](Phase p, Fault f, const QByteArray &start, const QByteArray &end, int size, bool closed) {
        QTest::addRow("%s/%s", QMetaEnum::fromType<Phase>().valueToKey(int(p)),
                      QMetaEnum::fromType<Fault>().valueToKey(int(f)))
            << int(p) << int(f) << start << end << size << closed;
    };
    const QByteArray half = kBody.left(50);
    row(Phase::StatusLine, Fault::Close, "HTTP/1.1 20", "HTTP/1.1 20", 11, true);
    row(Phase::StatusLine, Fault::Reset, "HTTP/1.1 20", "HTTP/1.1 20", 11, true);
    row(Phase::StatusLine, Fault::Stall, "HTTP/1.1 20", "HTTP/1.1 20", 11, false);
    row(Phase::StatusLine, Fault::Garbage, "\x01\x02garbage", "\r\n\r\n", 14, false);
    row(Phase::StatusLine, Fault::Oversized, "HTTP/1.1 200 AAAA", kBody, -1, false);
    row(Phase::Headers, Fault::Close, "HTTP/1.1 200 OK\r\nContent-Type", "Content-Type", 29, true);
    row(Phase::Headers, Fault::Stall, "HTTP/1.1 200 OK\r\nContent-Type", "Content-Type", 29, false);
    row(Phase::Headers, Fault::Garbage, "HTTP/1.1 200 OK\r\n\x01\x02\xff garbage", kBody, -1, false);
    row(Phase::Headers, Fault::Oversized, "HTTP/1.1 200 OK\r\nX-Filler-0: ffff", kBody, -1, false);
    row(Phase::Body, Fault::Close, head + "Content-Length: 100\r\n\r\n", half, -1, true);
    row(Phase::Body, Fault::Reset, head + "Content-Length: 100\r\n\r\n", half, -1, true);
    row(Phase::Body, Fault::Stall, head + "Content-Length: 100\r\n\r\n", half, -1, false);
    row(Phase::Body, Fault::Garbage, head + "Content-Encoding: gzip\r\nContent-Length: 100\r\n\r\n", kBody, -1, false);
    row(Phase::Body, Fault::Oversized, head + "Content-Length: 1099511627776\r\n\r\n", kBody, -1, true);
    row(Phase::ChunkBoundary, Fault::Close, head + "Transfer-Encoding: chunked\r\n\r\n32\r\n", half + "\r\n", -1, true);
    row(Phase::ChunkBoundary, Fault::Stall, head + "Transfer-Encoding: chunked\r\n\r\n32\r\n", half + "\r\n", -1,
        false);
    row(Phase::ChunkBoundary, Fault::Garbage, head + "Transfer-Encoding: chunked\r\n\r\n32\r\n", "\r\nzz\r\n", -1,
        false);
    row(Phase::ChunkBoundary, Fault::Oversized, head + "Transfer-Encoding: chunked\r\n\r\n32\r\n",
        QByteArray(25, 'f') + "\r\n" + kBody.mid(50), -1, false);
    row(Phase::InsideChunk, Fault::Close, head + "Transfer-Encoding: chunked\r\n\r\n64\r\n", half, -1, true);
    row(Phase::InsideChunk, Fault::Garbage, head + "Transfer-Encoding: chunked\r\n\r\n32\r\n", kBody + "\r\n0\r\n\r\n",
        -1, false);
    row(Phase::InsideChunk, Fault::Oversized, head + "Transfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\n", kBody,
        -1, false);
}

void tst_MockServer::faultsAsDocumented()
{
    QFETCH(int, phase);
    QFETCH(int, fault);
    QFETCH(QByteArray, startsWith);
    QFETCH(QByteArray, endsWith);
    QFETCH(int, size);
    QFETCH(bool, closed);

    MockServer server;
    QVERIFY(server.listen());
    server.enqueue(MockResponse::failing(Fault(fault), Phase(phase)));
    const RawExchange got = exchange(server.url(), kGet);
    QVERIFY2(got.received.startsWith(startsWith), got.received.left(200).toPercentEncoding(" \r\n:").constData());
    QVERIFY2(got.received.endsWith(endsWith), got.received.right(200).toPercentEncoding(" \r\n:").constData());
    if (size >= 0)
        QCOMPARE(got.received.size(), size);
    QCOMPARE(got.closed, closed);
    QVERIFY(server.isSatisfied());
}

void tst_MockServer::faultAtConnectComesFirst()
{
    MockServer server;
    QVERIFY(server.listen());
    server.enqueue(MockResponse::failing(Fault::Garbage, Phase::Connect));
    server.enqueue(MockResponse(200, "second connection"));
    // The fault belongs to the first connection, before it sends anything.
    QTcpSocket first;
    first.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(first.waitForConnected(5000));
    QVERIFY(first.waitForReadyRead(5000));
    QCOMPARE(first.readAll(), QByteArray("\x16\x03garbage\x00\xff\r\n\r\n", 15));
    // It takes no request: the next connection's request gets the next answer.
    QCOMPARE(exchange(server.url(), kGet).received,
             QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\nsecond connection"));
    QCOMPARE(server.requestCount(), 1);
    QCOMPARE(server.connectionCount(), 2);
    QVERIFY(server.isSatisfied());

    // Close: the connection ends before a byte.
    server.enqueue(MockResponse::failing(Fault::Close, Phase::Connect));
    const RawExchange closed = exchange(server.url(), kGet);
    QVERIFY(closed.received.isEmpty());
    QVERIFY(closed.closed);
}

void tst_MockServer::requestBodyFaultStopsReading()
{
    MockServer server;
    QVERIFY(server.listen());
    server.enqueue(MockResponse(413, "too large").setFault(Fault::Oversized, Phase::RequestBody, 1000));
    // The answer comes once 1000 bytes of the body are in, long before the rest is sent.
    const QByteArray head = "POST /up HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n";
    const RawExchange got = exchange(server.url(), head + QByteArray(2000, 'u'));
    QCOMPARE(got.received,
             QByteArray("HTTP/1.1 413 Content Too Large\r\nConnection: close\r\n"
                        "Content-Length: 9\r\n\r\ntoo large"));
    const MockRequest request = server.takeRequest(0ms);
    QVERIFY(request.isValid());
    QVERIFY(!request.isComplete());
    QVERIFY(request.body().size() >= 1000);
    QVERIFY(request.body().size() <= 2000);
    QVERIFY(request.toString().contains(QStringLiteral("cut short")));
}

void tst_MockServer::recordsEveryRequest()
{
    MockServer server;
    QVERIFY(server.listen());
    server.enqueue(MockResponse());
    const QByteArray chunked = "PUT /a%20b/c?x=1&y=%2F HTTP/1.1\r\nHost: h\r\nX-One: 1\r\nx-one: 2\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n";
    QVERIFY(exchange(server.url(), chunked).received.startsWith("HTTP/1.1 200 OK"));
    const MockRequest r = server.takeRequest();
    QVERIFY(r.isValid());
    QCOMPARE(r.method(), QByteArray("PUT"));
    QCOMPARE(r.target(), QByteArray("/a%20b/c?x=1&y=%2F"));
    QCOMPARE(r.path(), QStringLiteral("/a b/c"));
    QCOMPARE(r.url().query(QUrl::FullyEncoded), QStringLiteral("x=1&y=%2F"));
    QCOMPARE(r.url().port(), int(server.port()));
    QCOMPARE(r.httpVersion(), QByteArray("HTTP/1.1"));
    QCOMPARE(r.header("X-ONE"), QByteArray("1"));
    QCOMPARE(r.headers().size(), 4);
    QCOMPARE(r.body(), QByteArray("abcde"));
    QVERIFY(r.isComplete());
    QCOMPARE(r.connection(), 1);
    QCOMPARE(r.sequenceNumber(), 0);
    QCOMPARE(r.index(), 0);
    QVERIFY(!r.isEncrypted());
    QCOMPARE(r.toString(), QStringLiteral("PUT /a%20b/c?x=1&y=%2F HTTP/1.1 (request 0, connection 1)"));
    QVERIFY(!server.takeRequest(0ms).isValid()); // each request is taken once
    QCOMPARE(server.requestCount(), 1);
}

void tst_MockServer::keepAliveAndPipelining()
{
    MockServer server;
    QVERIFY(server.listen());
    server.enqueue(MockResponse(200, "one"));
    server.enqueue(MockResponse(200, "two"));
    // Two requests in one write: answered in order on the one connection.
    const RawExchange got = exchange(server.url(), kGet + "POST /y HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi");
    QCOMPARE(got.received,
             QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
                        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo"));
    QVERIFY(!got.closed);
    const MockRequest first = server.takeRequest();
    const MockRequest second = server.takeRequest();
    QCOMPARE(second.connection(), first.connection());
    QCOMPARE(second.sequenceNumber(), 1);
    QCOMPARE(second.body(), QByteArray("hi"));
}

void tst_MockServer::queueRoutesAndDispatcher()
{
    MockServer server;
    QVERIFY(server.listen());
    server.route("*", QStringLiteral("/health"), MockResponse(200, "any method"));
    server.route("GET", QStringLiteral("/health"), MockResponse(200, "up"));
    server.route("GET", QStringLiteral("/health"), MockResponse(200, "up again")); // replaces
    server.enqueue(MockResponse(201, "queued"));
    const auto body = [&](const QByteArray &method, const QByteArray &target) {
        const QByteArray got = exchange(server.url(), method + ' ' + target + " HTTP/1.1\r\n\r\n").received;
        return got.mid(got.indexOf("\r\n\r\n") + 4);
    };
    QCOMPARE(body("GET", "/health?verbose"), QByteArray("up again"));
    QCOMPARE(body("DELETE", "/health"), QByteArray("any method"));
    QCOMPARE(body("GET", "/other"), QByteArray("queued"));
    QCOMPARE(body("GET", "/health"), QByteArray("up again")); // routes are not used up
    QVERIFY(server.isSatisfied());

    server.setDispatcher([](const MockRequest &r) { return MockResponse(200, "echo " + r.target()); });
    QCOMPARE(body("GET", "/health"), QByteArray("echo /health")); // before routes
    server.setDispatcher(nullptr);
    server.clearRoutes();
    QVERIFY(body("GET", "/health").startsWith("MockServer: no answer for GET /health"));
    QVERIFY(!server.isSatisfied());
}

void tst_MockServer::defaultResponseNeverRunsOut()
{
    MockServer server;
    QVERIFY(server.listen());
    const auto body = [&](const QByteArray &target) {
        const QByteArray got = exchange(server.url(), "GET " + target + " HTTP/1.1\r\n\r\n").received;
        return got.mid(got.indexOf("\r\n\r\n") + 4);
    };
    server.setDefaultResponse(MockResponse(503, "down"));
    server.route("GET", QStringLiteral("/health"), MockResponse(200, "up"));
    server.enqueue(MockResponse(200, "queued"));
    // After the routes and the queue, and never used up: every request has an answer.
    QCOMPARE(body("/health"), QByteArray("up"));
    QCOMPARE(body("/a"), QByteArray("queued"));
    QCOMPARE(body("/b"), QByteArray("down"));
    QCOMPARE(body("/c"), QByteArray("down"));
    QVERIFY2(server.isSatisfied(), qPrintable(server.report()));
    QCOMPARE(server.requestCount(), 4);

    // Its fault at Phase::Connect fails every connection, once the queue is empty.
    server.clearRoutes();
    server.setDefaultResponse(MockResponse::failing(Fault::Close, Phase::Connect));
    server.enqueue(MockResponse(200, "queued"));
    QCOMPARE(body("/a"), QByteArray("queued"));
    for (int i = 0; i < 3; ++i) {
        const RawExchange closed = exchange(server.url(), kGet);
        QVERIFY(closed.received.isEmpty());
        QVERIFY(closed.closed);
    }
    QCOMPARE(server.requestCount(), 5);
    QCOMPARE(server.connectionCount(), 8);

    // Its fault at Phase::RequestBody comes while the body arrives, on every request.
    server.setDefaultResponse(MockResponse(413, "too large").setFault(Fault::Oversized, Phase::RequestBody, 10));
    const QByteArray post = "POST /up HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n" + QByteArray(20, 'u');
    for (int i = 0; i < 2; ++i)
        QVERIFY(exchange(server.url(), post).received.startsWith("HTTP/1.1 413 Content Too Large\r\n"));

    // Without it, a request nothing answers is unexpected again.
    server.clearDefaultResponse();
    QVERIFY(body("/d").startsWith("MockServer: no answer for GET /d"));
    QCOMPARE(server.unexpectedRequests().size(), 1);
}

void tst_MockServer::reportsWhatIsAmiss()
{
    MockServer server;
    QVERIFY(server.listen());
    QVERIFY(server.isSatisfied());
    QVERIFY(server.report().isEmpty());
    server.enqueue(MockResponse(200, "used"));
    server.enqueue(MockResponse(503).setHeader("Retry-After", "1"));
    server.enqueue(MockResponse::failing(Fault::Reset, Phase::Body));
    QVERIFY(exchange(server.url(), kGet).received.endsWith("used"));
    QVERIFY(!server.isSatisfied());
    QCOMPARE(server.queue().size(), 2);
    QCOMPARE(server.report(),
             QStringLiteral("MockServer: 2 queued answer(s) not used:\n"
                            "  #0 503 Service Unavailable, 0 bytes\n"
                            "  #1 200 OK, 100 bytes, fault Reset at Body"));
}

void tst_MockServer::takeRequestWaitsAndTimesOut()
{
    MockServer server;
    QVERIFY(server.listen());
    QVERIFY(!server.takeRequest(50ms).isValid());
    // A request this thread sends after takeRequest() started waiting: its event loop runs.
    Client client;
    Response *r = client.get(server.url(QStringLiteral("/late")));
    const MockRequest request = server.takeRequest();
    QVERIFY(request.isValid());
    QCOMPARE(request.path(), QStringLiteral("/late"));
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->statusCode(), 500); // nothing was scripted
    QCOMPARE(server.unexpectedRequests().size(), 1);
}

void tst_MockServer::expectContinue()
{
    MockServer server;
    QVERIFY(server.listen());
    server.enqueue(MockResponse(200, "ok"));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("POST / HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
    QVERIFY(socket.waitForReadyRead(5000));
    QCOMPARE(socket.readAll(), QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    socket.write("abc");
    QTRY_VERIFY(socket.bytesAvailable() > 0 || socket.waitForReadyRead(100));
    QTRY_VERIFY(socket.peek(64).endsWith("ok") || socket.waitForReadyRead(100));
    QCOMPARE(server.takeRequest().body(), QByteArray("abc"));
}

void tst_MockServer::bodyFromAFile()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(kBody);
    file.flush();
    MockServer server;
    QVERIFY(server.listen());
    server.enqueue(MockResponse().setBodyFile(file.fileName()));
    server.enqueue(MockResponse().setBodyFile(QStringLiteral("/nonexistent/body")));
    QVERIFY(exchange(server.url(), kGet).received.endsWith(QByteArray("\r\n\r\n" + kBody)));
    QVERIFY(exchange(server.url(), kGet).received.startsWith("HTTP/1.1 500"));
    QVERIFY(server.report().contains(QStringLiteral("without an answer")));
}

void tst_MockServer::withCourier_data()
{
    QTest::addColumn<MockResponse>("response");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Response::Error>("error");
    QTest::newRow("200") << MockResponse(200, "hello") << 200 << QByteArray("hello") << Response::NoError;
    QTest::newRow("404") << MockResponse(404, "missing") << 404 << QByteArray("missing") << Response::ContentNotFound;
    QTest::newRow("503") << MockResponse(503).setHeader("Retry-After", "2") << 503 << QByteArray()
                         << Response::ServiceUnavailable;
    QTest::newRow("chunked, throttled") << MockResponse(200, kBody).setChunked(7).setThrottle(30, 5ms) << 200 << kBody
                                        << Response::NoError;
    QTest::newRow("reset mid-body") << MockResponse::failing(Fault::Reset, Phase::Body) << 200 << kBody.left(50)
                                    << Response::RemoteHostClosed;
}

void tst_MockServer::withCourier()
{
    QFETCH(MockResponse, response);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(Response::Error, error);

    MockServer server;
    QVERIFY(server.listen());
    // The default answer, not enqueue(): Qt's engine sometimes sends a GET again when its
    // connection breaks mid-body (about 1 run in 20 for the reset row), and the attempt must meet
    // the same answer.
    server.setDefaultResponse(response);
    Client client;
    Response *r = client.get(server.url(QStringLiteral("/thing")));
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), error);
    QCOMPARE(r->statusCode(), status);
    QCOMPARE(r->readAll(), body);
    const MockRequest request = server.takeRequest();
    QCOMPARE(request.method(), QByteArray("GET"));
    QVERIFY(request.hasHeader("User-Agent"));
    QVERIFY2(server.isSatisfied(), qPrintable(server.report()));
}

void tst_MockServer::delaysMeetTimeouts()
{
    MockServer server;
    QVERIFY(server.listen());
    // Delays far longer than the timeouts: the outcome does not depend on the machine's speed.
    server.enqueue(MockResponse(200, "late").setHeadersDelay(60s));
    server.enqueue(MockResponse(200, "late").setBodyDelay(60s));
    Client client;
    Request request(server.url());
    request.setReadTimeout(200ms);
    Response *headers = client.send(request);
    QVERIFY(headers->waitForFinished(10000));
    QCOMPARE(headers->error(), Response::Timeout);
    QCOMPARE(headers->statusCode(), 0);
    Response *body = client.send(request);
    QVERIFY(body->waitForFinished(10000));
    QCOMPARE(body->error(), Response::Timeout);
    QCOMPARE(body->statusCode(), 200);
    QCOMPARE(server.requestCount(), 2);
}

void tst_MockServer::uploadsRecorded()
{
    MockServer server;
    QVERIFY(server.listen());
    server.setDispatcher([](const MockRequest &r) { return MockResponse(200, QByteArray::number(r.body().size())); });
    Client client;
    const QByteArray payload = QByteArray("courier").repeated(300000); // 2.1 MB
    Response *r = client.post(server.url(QStringLiteral("/upload")), payload);
    QVERIFY(r->waitForFinished(30000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll(), QByteArray::number(payload.size()));
    const MockRequest request = server.takeRequest();
    QCOMPARE(request.method(), QByteArray("POST"));
    QCOMPARE(request.body(), payload);
}

void tst_MockServer::tlsWithItsOwnCertificate()
{
    QVERIFY2(QSslSocket::supportsSsl(), "Qt has no TLS back-end here");
    MockServer server;
    QVERIFY2(server.useTls(), qPrintable(server.errorString()));
    QVERIFY(server.listen());
    QCOMPARE(server.url().scheme(), QStringLiteral("https"));
    QVERIFY(!server.caCertificate().isNull());
    server.route("GET", QStringLiteral("/"), MockResponse(200, "secret"));

    Client client;
    // Trusted through tlsOptions(), by address and by name.
    for (const QString &host : {QStringLiteral("127.0.0.1"), QStringLiteral("localhost")}) {
        QUrl url = server.url();
        url.setHost(host);
        Request request(url);
        request.setTlsOptions(server.tlsOptions());
        Response *r = client.send(request);
        QVERIFY(r->waitForFinished(10000));
        QVERIFY2(r->error() == Response::NoError, qPrintable(host + QLatin1Char(' ') + r->errorString()));
        QCOMPARE(r->readAll(), QByteArray("secret"));
        const MockRequest recorded = server.takeRequest();
        QVERIFY(recorded.isEncrypted());
        QVERIFY(recorded.tlsProtocol() == QSsl::TlsV1_3 || recorded.tlsProtocol() == QSsl::TlsV1_2);
        QCOMPARE(recorded.httpVersion(), QByteArray("HTTP/1.1"));
    }
    // Not trusted otherwise: the system's CAs never signed it.
    Response *refused = client.get(server.url());
    QVERIFY(refused->waitForFinished(10000));
    QCOMPARE(refused->error(), Response::SslHandshakeFailed);
    // And only for the names it was made for.
    TlsOptions otherName = server.tlsOptions();
    otherName.setPeerVerifyName(QStringLiteral("example.com"));
    Request other(server.url());
    other.setTlsOptions(otherName);
    Response *mismatch = client.send(other);
    QVERIFY(mismatch->waitForFinished(10000));
    QCOMPARE(mismatch->error(), Response::SslHandshakeFailed);
}

void tst_MockServer::serversSideBySide()
{
    MockServer a;
    MockServer b;
    QVERIFY(a.listen());
    QVERIFY(b.listen());
    QVERIFY(a.port() != b.port());
    MockServer taken;
    QVERIFY(!taken.listen(a.port()));
    QVERIFY(!taken.errorString().isEmpty());
    QVERIFY(!taken.url().isValid());
    QVERIFY(!a.listen()); // once
    a.close();
    QVERIFY(!a.isListening());
    QVERIFY(taken.listen(a.port()) || !taken.errorString().isEmpty());
}

QTEST_MAIN(tst_MockServer)
#include "tst_mockserver.moc"
