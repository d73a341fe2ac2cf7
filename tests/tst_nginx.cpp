// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Against a real nginx: static files, a large file streamed and checked as it arrives,
// keep-alive shown from the server's own log, HEAD, and a 404; and server-sent events through
// nginx as a reverse proxy (proxy_buffering off) from an upstream in the test's thread.

#include <Courier/Client>
#include <Courier/EventSource>
#include <Courier/EventStreamReader>

#include "peers.h"
#include "spy.h"
#include "testserver.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QJsonObject>
#include <QtCore/QPointer>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;
using namespace std::chrono_literals;

namespace {

// The server nginx proxies /upstream/ to, in the test's thread. It answers every request with the
// head of a chunked text/event-stream and then sends only what the test gives it, when the test
// gives it: an event that reaches the client while the upstream holds the rest back went through
// nginx as it came. That is what shows streaming rather than buffering, with no clock involved.
class EventUpstream
{
public:
    EventUpstream()
    {
        m_server.setHandler([this](TestConnection *connection, const RawRequest &request) {
            m_requests.append(request);
            m_stream = connection;
            connection->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n");
            // A comment at once, as event stream servers send one: nginx speaking HTTP/2 over TLS
            // holds the head back until body bytes follow it.
            send(": open\n\n");
        });
    }

    quint16 port() const { return m_server.port(); }
    /*! The requests that reached the upstream since the last clear(), in order. */
    QList<RawRequest> requests() const { return m_requests; }
    void clear()
    {
        m_requests.clear();
        m_stream.clear();
    }
    /*! Sends \a bytes as one chunk of the latest stream. */
    void send(const QByteArray &bytes)
    {
        QVERIFY(m_stream);
        m_stream->write(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
    }
    /*! Ends the latest stream cleanly (its last chunk); nginx ends the client's response in turn. */
    void end()
    {
        QVERIFY(m_stream);
        m_stream->write("0\r\n\r\n");
    }

private:
    TestServer m_server;
    QList<RawRequest> m_requests;
    QPointer<TestConnection> m_stream;
};

} // namespace

class tst_Nginx : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void staticFile();
    void largeFileStreamed();
    void keepAlive();
    void head();
    void notFound();
    void eventsArriveAsSent_data() { addProxyRows(); }
    void eventsArriveAsSent();
    void reconnectsThroughProxy_data() { addProxyRows(); }
    void reconnectsThroughProxy();
    void eventStreamOfAPost_data() { addProxyRows(); }
    void eventStreamOfAPost();

private:
    static void addProxyRows();
    Request proxied(const QString &pathAndQuery) const;

    EventUpstream upstream;
    NginxPeer nginx;
    TlsOptions trustNginx;
    QByteArray largeSha;
    static constexpr qint64 LargeSize = 48 * 1024 * 1024 + 123;
};

void tst_Nginx::initTestCase()
{
    nginx.setUpstreamPort(upstream.port());
    COURIER_REQUIRE_PEER(nginx);
    QVERIFY(trustNginx.addCaCertificatesFromPem(nginx.certificatePem()));
    QVERIFY(nginx.addFile(QStringLiteral("hello.txt"), "hello, nginx\n"));
    largeSha = nginx.addRandomFile(QStringLiteral("large.bin"), LargeSize);
    QVERIFY(!largeSha.isEmpty());
}

void tst_Nginx::staticFile()
{
    Client client;
    Response *r = client.get(nginx.url(QStringLiteral("/hello.txt")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->header("Content-Type"), QByteArray("text/plain"));
    QVERIFY(r->header("Server").startsWith("nginx"));
    QCOMPARE(r->contentLength(), 13);
    QVERIFY(r->isComplete());
    QCOMPARE(r->text(), QStringLiteral("hello, nginx\n"));
}

void tst_Nginx::largeFileStreamed()
{
    Client client;
    Response *r = client.get(nginx.url(QStringLiteral("/large.bin")));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 got = 0;
    qint64 maxBuffered = 0;
    SignalLog log(r);
    connect(r, &QIODevice::readyRead, this, [&] {
        maxBuffered = std::max(maxBuffered, r->bytesAvailable());
        const QByteArray chunk = r->readAll();
        got += chunk.size();
        hash.addData(chunk);
    });
    QVERIFY(r->waitForFinished(120000));
    const QByteArray rest = r->readAll();
    got += rest.size();
    hash.addData(rest);
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(got, LargeSize);
    QCOMPARE(hash.result(), largeSha);
    QCOMPARE(r->contentLength(), LargeSize);
    QCOMPARE(r->bytesReceived(), LargeSize);
    QVERIFY(r->isComplete());
    QVERIFY(log.count(QStringLiteral("download")) > 1);
    QCOMPARE(log.downloads.last(), (QPair<qint64, qint64>(LargeSize, LargeSize)));
    qInfo("largest amount waiting to be read: %lld bytes of %lld", maxBuffered, LargeSize);
}

void tst_Nginx::keepAlive()
{
    Client client;
    const qsizetype before = nginx.accessLog().size();
    for (int i = 0; i < 5; ++i) {
        Response *r = client.get(nginx.url(QStringLiteral("/hello.txt?n=%1").arg(i)));
        QVERIFY(r->waitForFinished(20000));
        QCOMPARE(r->error(), Response::NoError);
        delete r;
    }
    QTRY_COMPARE_WITH_TIMEOUT(nginx.accessLog().size(), before + 5, 5000);
    const QList<QByteArray> lines = nginx.accessLog().mid(before);
    const QByteArray connection = lines.first().split(' ').at(1);
    for (const QByteArray &line : lines)
        QCOMPARE(line.split(' ').at(1), connection); // one TCP connection served all five
}

void tst_Nginx::head()
{
    Client client;
    Response *r = client.head(nginx.url(QStringLiteral("/large.bin")));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->header("Content-Length"), QByteArray::number(LargeSize));
    QCOMPARE(r->readAll(), QByteArray());
    QCOMPARE(log.downloads.last(), (QPair<qint64, qint64>(0, 0)));
}

void tst_Nginx::notFound()
{
    Client client;
    Response *r = client.get(nginx.url(QStringLiteral("/missing")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), 404);
    QCOMPARE(r->error(), Response::ContentNotFound);
    QCOMPARE(r->category(), Response::Content);
    QVERIFY(!r->hasTransportError());
    QVERIFY(r->text().contains(QLatin1String("404 Not Found")));
}

// The ways the streams go through nginx: the row's server, the protocol asked for, and the one
// the answer must come in.
void tst_Nginx::addProxyRows()
{
    QTest::addColumn<int>("server");
    QTest::addColumn<Request::Protocol>("asked");
    QTest::addColumn<Request::Protocol>("used");
    QTest::newRow("HTTP/1.1") << int(NginxPeer::Plain) << Request::Protocol::Auto << Request::Protocol::Http1;
    QTest::newRow("h2c") << int(NginxPeer::H2c) << Request::Protocol::Http2PriorKnowledge << Request::Protocol::Http2;
    QTest::newRow("TLS, HTTP/1.1") << int(NginxPeer::Tls) << Request::Protocol::Http1 << Request::Protocol::Http1;
    QTest::newRow("TLS, HTTP/2") << int(NginxPeer::Tls) << Request::Protocol::Http2 << Request::Protocol::Http2;
}

// A request for \a pathAndQuery below the upstream, through the row's server and protocol.
Request tst_Nginx::proxied(const QString &pathAndQuery) const
{
    QFETCH(int, server);
    QFETCH(Request::Protocol, asked);
    Request request(nginx.url(NginxPeer::Server(server), QStringLiteral("/upstream") + pathAndQuery));
    request.setProtocol(asked);
    request.setTlsOptions(trustNginx);
    return request;
}

void tst_Nginx::eventsArriveAsSent()
{
    QFETCH(int, server);
    QFETCH(Request::Protocol, used);
    const QString origin
        = nginx.url(NginxPeer::Server(server), QStringLiteral("/")).adjusted(QUrl::RemovePath).toString();
    upstream.clear();
    Client client;
    EventSource source(&client, proxied(QStringLiteral("/events")));
    QList<ServerSentEvent> events;
    connect(&source, &EventSource::message, this, [&](const ServerSentEvent &event) { events << event; });
    source.open();
    QTRY_COMPARE_WITH_TIMEOUT(source.readyState(), EventSource::Open, 20000);
    QCOMPARE(upstream.requests().size(), 1);
    QCOMPARE(upstream.requests().first().version, QByteArray("HTTP/1.1")); // nginx to the upstream
    QCOMPARE(upstream.requests().first().header("Accept"), QByteArray("text/event-stream"));
    const Response *r = source.response();
    QVERIFY(r);
    QCOMPARE(r->protocol(), used);
    QVERIFY(r->header("Server").startsWith("nginx"));
    QCOMPARE(r->contentLength(), -1);
    if (used == Request::Protocol::Http1)
        QCOMPARE(r->header("Transfer-Encoding"), QByteArray("chunked"));

    // Each event is sent only once the one before has reached the client.
    for (int i = 1; i <= 5; ++i) {
        const QByteArray n = QByteArray::number(i);
        upstream.send("id: " + n + "\ndata: event " + n + "\n\n");
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), i, 20000);
        QCOMPARE(events.last().data, QStringLiteral("event ") + QString::fromLatin1(n));
        QCOMPARE(events.last().lastEventId, QString::fromLatin1(n));
        QCOMPARE(events.last().origin, origin);
    }
    // A heartbeat, then an event the upstream sends in two pieces: one event, whole.
    upstream.send(": heartbeat\n\ndata: cut in");
    upstream.send(" two\n\n");
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 6, 20000);
    QCOMPARE(events.last().data, QStringLiteral("cut in two"));
    QCOMPARE(source.readyState(), EventSource::Open);
    QCOMPARE(upstream.requests().size(), 1); // one stream throughout, still open
    source.close();
}
void tst_Nginx::reconnectsThroughProxy()
{
    // The upstream ends each stream cleanly: the source reconnects after the server's retry:,
    // through nginx, on the connection nginx kept alive, telling the upstream where it stopped.
    upstream.clear();
    Client client;
    // A path of this row's own, to find its requests in nginx's log.
    static int row = 0;
    const QString path = QStringLiteral("/events?reconnect=%1").arg(++row);
    EventSource source(&client, proxied(path));
    QList<ServerSentEvent> events;
    QList<int> delays;
    QList<int> attempts;
    QList<EventSource::ReadyState> statesAtError;
    connect(&source, &EventSource::message, this, [&](const ServerSentEvent &event) { events << event; });
    connect(&source, &EventSource::reconnecting, this, [&](int attempt, int delayMs) {
        attempts << attempt;
        delays << delayMs;
    });
    connect(&source, &EventSource::errorOccurred, this, [&] { statesAtError << source.readyState(); });
    source.open();
    QTRY_COMPARE_WITH_TIMEOUT(source.readyState(), EventSource::Open, 20000);
    upstream.send("retry: 40\nid: 1\ndata: one\n\n");
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 20000);
    QCOMPARE(source.reconnectionTime(), 40ms);
    QCOMPARE(source.lastEventId(), QStringLiteral("1"));
    QVERIFY(!upstream.requests().first().hasHeader("Last-Event-ID"));

    upstream.end();
    QTRY_COMPARE_WITH_TIMEOUT(upstream.requests().size(), 2, 20000);
    QCOMPARE(statesAtError, QList<EventSource::ReadyState>{EventSource::Connecting});
    QCOMPARE(delays, QList<int>{40}); // the server's retry:, not the default 3 seconds
    QCOMPARE(attempts, QList<int>{1});
    QCOMPARE(upstream.requests().at(1).header("Last-Event-ID"), QByteArray("1"));
    QCOMPARE(upstream.requests().at(1).target, upstream.requests().at(0).target);

    // The second stream changes the reconnection time; its event resets the backoff.
    QTRY_COMPARE_WITH_TIMEOUT(source.readyState(), EventSource::Open, 20000);
    upstream.send("retry: 10\nid: 2\ndata: two\n\n");
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 2, 20000);
    QCOMPARE(source.reconnectionTime(), 10ms);
    upstream.end();
    QTRY_COMPARE_WITH_TIMEOUT(upstream.requests().size(), 3, 20000);
    QCOMPARE(delays, (QList<int>{40, 10}));
    QCOMPARE(attempts, (QList<int>{1, 1}));
    QCOMPARE(upstream.requests().at(2).header("Last-Event-ID"), QByteArray("2"));
    QCOMPARE(events.at(0).data, QStringLiteral("one"));
    QCOMPARE(events.at(1).data, QStringLiteral("two"));
    source.close();

    // nginx logged the two streams that ended as served, one after the other, on one client
    // connection: the source's reconnections kept the connection alive.
    QList<QByteArray> logged;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            logged.clear();
            for (const QByteArray &line : nginx.accessLog()) {
                if (line.contains(path.toUtf8()))
                    logged << line;
            }
            return logged.size() >= 2;
        }(),
        10000);
    for (const QByteArray &line : logged.mid(0, 2)) {
        QVERIFY2(line.endsWith(" 200"), line.constData());
        QCOMPARE(line.split(' ').at(1), logged.first().split(' ').at(1));
    }
}

void tst_Nginx::eventStreamOfAPost()
{
    // What a language-model API does: a POST answered by a stream of tokens, read with an
    // EventStreamReader as nginx passes each one on.
    QFETCH(Request::Protocol, used);
    upstream.clear();
    Client client;
    Request request = proxied(QStringLiteral("/complete"));
    request.setMethod("POST");
    request.setJson(QJsonDocument(
        QJsonObject{{QStringLiteral("prompt"), QStringLiteral("hello")}, {QStringLiteral("stream"), true}}));
    Response *r = client.send(request);
    auto *reader = new EventStreamReader(r);
    QStringList log;
    QList<ServerSentEvent> events;
    connect(reader, &EventStreamReader::eventReceived, this, [&](const ServerSentEvent &event) {
        events << event;
        log << QStringLiteral("event");
    });
    connect(reader, &StreamReader::finished, this, [&] { log << QStringLiteral("finished"); });
    QTRY_COMPARE_WITH_TIMEOUT(upstream.requests().size(), 1, 20000);
    const RawRequest arrived = upstream.requests().first();
    QCOMPARE(arrived.method, QByteArray("POST"));
    QCOMPARE(arrived.target, QByteArray("/complete"));
    QCOMPARE(arrived.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(QJsonDocument::fromJson(arrived.body).object().value(QStringLiteral("prompt")).toString(),
             QStringLiteral("hello"));

    const QStringList tokens = {QStringLiteral("Hel"), QStringLiteral("lo"), QStringLiteral(", "),
                                QStringLiteral("wörld")};
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        upstream.send("data: {\"token\": \"" + tokens.at(i).toUtf8() + "\"}\n\n");
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), i + 1, 20000);
        QCOMPARE(events.last().json().toObject().value(QStringLiteral("token")).toString(), tokens.at(i));
        QVERIFY(r->isRunning()); // the answer is still coming
    }
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->protocol(), used);
    upstream.send("event: done\ndata: [DONE]\n\n");
    upstream.end();
    QTRY_VERIFY_WITH_TIMEOUT(reader->isFinished(), 20000);
    QCOMPARE(r->error(), Response::NoError);
    QVERIFY(r->isComplete());
    QCOMPARE(events.size(), 5);
    QCOMPARE(events.last().type, QStringLiteral("done"));
    QCOMPARE(events.last().data, QStringLiteral("[DONE]"));
    QCOMPARE(reader->itemCount(), 5);
    QCOMPARE(log.join(QLatin1Char(' ')), QStringLiteral("event event event event event finished"));
    delete r;
}

QTEST_GUILESS_MAIN(tst_Nginx)
#include "tst_nginx.moc"
