// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Protocol choice and what the Response reports (HTTP/1.1, HTTP/2 through ALPN, h2c with prior
// knowledge) against nginx and nghttpd; persistent connections proven from the server side; the
// timeline of a request's steps.

#include <Courier/Client>

#include "peers.h"
#include "testserver.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

namespace {

QList<TimelineEvent::Kind> kinds(const Response *r)
{
    QList<TimelineEvent::Kind> out;
    for (const TimelineEvent &e : r->timeline())
        out << e.kind;
    return out;
}

} // namespace

class tst_Protocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void protocols_data();
    void protocols();
    void protocolDefaultsAndOverride();
    void nghttpdCleartext();
    void nghttpdTls();
    void persistentConnectionInProcess();
    void persistentConnectionNginx_data();
    void persistentConnectionNginx();
    void timelineOfAFirstRequest();
    void timelineOfAReusedConnection();
    void timelineOfARedirect();
    void http2ConnectionRetiredByTheServer_data();
    void http2ConnectionRetiredByTheServer();
    void http2ResponseBeforeTheBodyIsSent();

private:
    Response *fetch(Client &client, const Request &request);

    NginxPeer nginx;
    TlsOptions trustNginx;
};

void tst_Protocol::initTestCase()
{
    COURIER_REQUIRE_PEER(nginx);
    QVERIFY(nginx.addFile(QStringLiteral("hello.txt"), "hello"));
    QVERIFY(trustNginx.addCaCertificatesFromPem(nginx.certificatePem()));
}

Response *tst_Protocol::fetch(Client &client, const Request &request)
{
    Response *r = client.send(request);
    r->waitForFinished(20000);
    return r;
}

void tst_Protocol::protocols_data()
{
    QTest::addColumn<int>("server");
    QTest::addColumn<Request::Protocol>("asked");
    QTest::addColumn<Request::Protocol>("used");
    QTest::newRow("cleartext, Auto") << int(NginxPeer::Plain) << Request::Protocol::Auto << Request::Protocol::Http1;
    QTest::newRow("cleartext, Http1") << int(NginxPeer::Plain) << Request::Protocol::Http1 << Request::Protocol::Http1;
    QTest::newRow("cleartext, Http2 (no upgrade)")
        << int(NginxPeer::Plain) << Request::Protocol::Http2 << Request::Protocol::Http1;
    QTest::newRow("h2c, prior knowledge")
        << int(NginxPeer::H2c) << Request::Protocol::Http2PriorKnowledge << Request::Protocol::Http2;
    QTest::newRow("TLS, Auto (ALPN)") << int(NginxPeer::Tls) << Request::Protocol::Auto << Request::Protocol::Http2;
    QTest::newRow("TLS, Http2 (ALPN)") << int(NginxPeer::Tls) << Request::Protocol::Http2 << Request::Protocol::Http2;
    QTest::newRow("TLS, Http1 forced") << int(NginxPeer::Tls) << Request::Protocol::Http1 << Request::Protocol::Http1;
    QTest::newRow("TLS, prior knowledge")
        << int(NginxPeer::Tls) << Request::Protocol::Http2PriorKnowledge << Request::Protocol::Http2;
    QTest::newRow("TLS 1.2 server without h2, Auto")
        << int(NginxPeer::Tls12) << Request::Protocol::Auto << Request::Protocol::Http1;
}

void tst_Protocol::protocols()
{
    QFETCH(int, server);
    QFETCH(Request::Protocol, asked);
    QFETCH(Request::Protocol, used);
    Client client;
    client.setTlsOptions(trustNginx);
    Request request(nginx.url(NginxPeer::Server(server), QStringLiteral("/hello.txt")));
    request.setProtocol(asked);
    const qsizetype logged = nginx.accessLog().size();
    Response *r = client.send(request);
    QCOMPARE(r->protocol(), Request::Protocol::Auto); // unknown until the headers
    QVERIFY(r->waitForFinished(20000));
    QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
    QCOMPARE(r->protocol(), used);
    QCOMPARE(r->readAll(), QByteArray("hello"));
    // nginx writes its log line after the response has gone: on a busy machine, after the client
    // has finished. Wait for this request's line rather than read the previous row's.
    QTRY_VERIFY_WITH_TIMEOUT(nginx.accessLog().size() > logged, 10000);
    const QByteArray line = nginx.accessLog().at(logged);
    QVERIFY2(line.contains(used == Request::Protocol::Http2 ? "HTTP/2.0" : "HTTP/1.1"), line.constData());
}

void tst_Protocol::protocolDefaultsAndOverride()
{
    Client client;
    QCOMPARE(client.protocol(), Request::Protocol::Auto);
    QVERIFY(!Request().protocol().has_value());
    QSignalSpy changed(&client, &Client::protocolChanged);
    client.setProtocol(Request::Protocol::Http2PriorKnowledge);
    client.setProtocol(Request::Protocol::Http2PriorKnowledge);
    QCOMPARE(changed.count(), 1);

    Response *h2c = fetch(client, Request(nginx.url(NginxPeer::H2c, QStringLiteral("/hello.txt"))));
    QCOMPARE(h2c->protocol(), Request::Protocol::Http2);

    Request http1(nginx.url(NginxPeer::Plain, QStringLiteral("/hello.txt")));
    http1.setProtocol(Request::Protocol::Http1); // the request's choice wins
    Response *r = fetch(client, http1);
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->protocol(), Request::Protocol::Http1);
}

void tst_Protocol::nghttpdCleartext()
{
    NghttpdPeer nghttpd;
    QString why;
    const bool started = nghttpd.start(nginx.documentRoot(), &why);
    COURIER_REQUIRE_STARTED(started, why);
    Client client;
    client.setProtocol(Request::Protocol::Http2PriorKnowledge);
    Response *r = fetch(client, Request(nghttpd.url(QStringLiteral("/hello.txt"))));
    QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
    QCOMPARE(r->protocol(), Request::Protocol::Http2);
    QCOMPARE(r->statusMessage(), QStringLiteral("OK"));
    QCOMPARE(r->readAll(), QByteArray("hello"));
}

void tst_Protocol::nghttpdTls()
{
    NghttpdPeer nghttpd;
    QString why;
    const bool started = nghttpd.start(nginx.documentRoot(), &why, nginx.pkiFile(QStringLiteral("cert.pem")),
                                       nginx.pkiFile(QStringLiteral("key.pem")));
    COURIER_REQUIRE_STARTED(started, why);
    Client client;
    client.setTlsOptions(trustNginx);
    Response *r = fetch(client, Request(nghttpd.url(QStringLiteral("/hello.txt"))));
    QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
    QCOMPARE(r->protocol(), Request::Protocol::Http2);
    QCOMPARE(r->readAll(), QByteArray("hello"));
}

void tst_Protocol::persistentConnectionInProcess()
{
    TestServer server;
    Client client;
    for (int i = 0; i < 5; ++i) {
        Response *r = client.get(server.url(QStringLiteral("/%1").arg(i)));
        QVERIFY(r->waitForFinished(20000));
        QCOMPARE(r->error(), Response::NoError);
        r->deleteLater();
    }
    QCOMPARE(server.requests().size(), 5);
    QCOMPARE(server.connectionCount(), 1); // accepted once, reused four times
}

void tst_Protocol::persistentConnectionNginx_data()
{
    QTest::addColumn<int>("server");
    QTest::addColumn<Request::Protocol>("protocol");
    QTest::newRow("HTTP/1.1") << int(NginxPeer::Plain) << Request::Protocol::Http1;
    QTest::newRow("h2c") << int(NginxPeer::H2c) << Request::Protocol::Http2PriorKnowledge;
    QTest::newRow("TLS, HTTP/1.1") << int(NginxPeer::Tls) << Request::Protocol::Http1;
    QTest::newRow("TLS, HTTP/2") << int(NginxPeer::Tls) << Request::Protocol::Auto;
}

void tst_Protocol::persistentConnectionNginx()
{
    QFETCH(int, server);
    QFETCH(Request::Protocol, protocol);
    Client client;
    client.setTlsOptions(trustNginx);
    client.setProtocol(protocol);
    const QByteArray port = QByteArray::number(nginx.port(NginxPeer::Server(server))) + ' ';
    const auto linesOfThisServer = [&] {
        QList<QByteArray> lines;
        for (const QByteArray &line : nginx.accessLog()) {
            if (line.startsWith(port))
                lines << line;
        }
        return lines;
    };
    const qsizetype before = linesOfThisServer().size();
    for (int i = 0; i < 4; ++i) {
        Response *r = fetch(client,
                            Request(nginx.url(NginxPeer::Server(server), QStringLiteral("/hello.txt?n=%1").arg(i))));
        QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
        r->deleteLater();
    }
    QTRY_COMPARE_WITH_TIMEOUT(linesOfThisServer().size(), before + 4, 5000);
    const QList<QByteArray> lines = linesOfThisServer().mid(before);
    for (const QByteArray &line : lines)
        QCOMPARE(line.split(' ').at(1), lines.first().split(' ').at(1)); // nginx's $connection
}

void tst_Protocol::timelineOfAFirstRequest()
{
    Client client;
    client.setTlsOptions(trustNginx);
    client.setProtocol(Request::Protocol::Http1);
    Response *r = fetch(client, Request(nginx.url(NginxPeer::Tls, QStringLiteral("/hello.txt"))));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(
        kinds(r),
        (QList<TimelineEvent::Kind>{TimelineEvent::Started, TimelineEvent::Connecting, TimelineEvent::TlsEstablished,
                                    TimelineEvent::RequestSent, TimelineEvent::HeadersReceived,
                                    TimelineEvent::FirstByte, TimelineEvent::Finished}));
    qint64 previous = 0;
    for (const TimelineEvent &e : r->timeline()) {
        QVERIFY(e.msecs >= previous);
        previous = e.msecs;
        QCOMPARE(e.url, r->url());
    }
    QCOMPARE(r->timeline().at(2).name(), QStringLiteral("TlsEstablished"));
}

void tst_Protocol::timelineOfAReusedConnection()
{
    Client client;
    Response *first = fetch(client, Request(nginx.url(NginxPeer::Plain, QStringLiteral("/hello.txt"))));
    QVERIFY(kinds(first).contains(TimelineEvent::Connecting));
    Response *second = fetch(client, Request(nginx.url(NginxPeer::Plain, QStringLiteral("/hello.txt"))));
    QCOMPARE(
        kinds(second),
        (QList<TimelineEvent::Kind>{TimelineEvent::Started, TimelineEvent::RequestSent, TimelineEvent::HeadersReceived,
                                    TimelineEvent::FirstByte, TimelineEvent::Finished}));
}

void tst_Protocol::timelineOfARedirect()
{
    Client client;
    client.setTlsOptions(trustNginx);
    Response *r = fetch(client, Request(nginx.url(NginxPeer::Plain, QStringLiteral("/redirect-to-https"))));
    QCOMPARE(r->error(), Response::NoError);
    const QList<TimelineEvent> events = r->timeline();
    const auto redirected = std::find_if(events.cbegin(), events.cend(),
                                         [](const TimelineEvent &e) { return e.kind == TimelineEvent::Redirected; });
    QVERIFY(redirected != events.cend());
    QCOMPARE(redirected->url, r->url());
    QCOMPARE(events.first().url, nginx.url(NginxPeer::Plain, QStringLiteral("/redirect-to-https")));
    QCOMPARE(events.last().kind, TimelineEvent::Finished);
    QVERIFY(std::any_of(redirected, events.cend(),
                        [](const TimelineEvent &e) { return e.kind == TimelineEvent::TlsEstablished; }));
}

void tst_Protocol::http2ConnectionRetiredByTheServer_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::newRow("GET") << QByteArray("GET");
    QTest::newRow("POST") << QByteArray("POST");
}

void tst_Protocol::http2ConnectionRetiredByTheServer()
{
    // nginx ends an HTTP/2 connection after 10 requests here (GOAWAY; 1,000 by default). With 60
    // requests in flight on it, those above the GOAWAY's last stream were never processed, and RFC
    // 9113 section 8.7 allows sending them again on a new connection whatever their method:
    // every one must succeed, transparently. nginx reads each POST's body before it answers here:
    // an answer before the body is sent is the next test's case, and on libcurl 7.88 has a
    // window of its own (doc/reliability.md).
    QFETCH(QByteArray, method);
    Client client;
    client.setTlsOptions(trustNginx);
    client.setProtocol(Request::Protocol::Http2);
    QList<Response *> responses;
    for (int i = 0; i < 60; ++i) {
        Request request(nginx.url(NginxPeer::TlsRetiring,
                                  method == "POST" ? QStringLiteral("/read/hello.txt") : QStringLiteral("/hello.txt")),
                        method);
        if (method == "POST")
            request.setBody("a body to send again", "text/plain");
        responses.append(client.send(request));
    }
    for (Response *r : std::as_const(responses)) {
        QVERIFY(r->waitForFinished(30000));
        QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
        QCOMPARE(r->protocol(), Request::Protocol::Http2);
        QCOMPARE(r->readAll(), QByteArray("hello"));
    }
}

void tst_Protocol::http2ResponseBeforeTheBodyIsSent()
{
    // nginx answers a POST to a static file without reading its body, then resets the stream
    // with NO_ERROR. RFC 9113 section 8.1: the client must not discard that response. A body
    // larger than the stream's flow-control window makes it so every time.
    Client client;
    client.setTlsOptions(trustNginx);
    client.setProtocol(Request::Protocol::Http2);
    Request request(nginx.url(NginxPeer::Tls, QStringLiteral("/post/hello.txt")), "POST");
    request.setBody(QByteArray(900 * 1000, 'b'), "application/octet-stream");
    request.setReadTimeout(10000);
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(30000));
    QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->readAll(), QByteArray("hello"));
}

QTEST_GUILESS_MAIN(tst_Protocol)
#include "tst_protocol.moc"
