// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Redirects followed by Courier: chains, method rewriting, body replay, limits, schemes, and
// credentials that never reach another origin.

#include <Courier/Client>

#include "spy.h"
#include "testserver.h"

#include <QtCore/QBuffer>
#include <QtCore/QProcess>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

class tst_Redirects : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void followsAChain();
    void methodRewriting_data();
    void methodRewriting();
    void replaysRandomAccessDevice();
    void sequentialDeviceCannotBeResent();
    void limit_data();
    void limit();
    void notFollowedWhenZero();
    void unsupportedScheme();
    void invalidLocation();
    void credentialsStayWithTheOrigin();
    void sensitiveHeadersStayWithTheOrigin();
    void hugeRedirectBody();
    void abortInsideRedirected();

private:
    std::unique_ptr<TestServer> server;
    std::unique_ptr<Client> client;
};

void tst_Redirects::init()
{
    server = std::make_unique<TestServer>();
    client = std::make_unique<Client>();
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        // /hop/N redirects to /hop/N-1; /hop/0 answers.
        if (r.target.startsWith("/hop/")) {
            const int n = r.target.mid(5).toInt();
            if (n > 0)
                return c->respond(302, "Found", {{"Location", "/hop/" + QByteArray::number(n - 1)}}, "moved");
        }
        c->respond(200, "OK", {}, "arrived " + r.method + " " + r.body);
    });
}

void tst_Redirects::followsAChain()
{
    Response *r = client->get(server->url(QStringLiteral("/hop/3")));
    SignalLog log(r);
    QList<QUrl> hops;
    connect(r, &Response::redirected, this, [&](const QUrl &u) { hops << u; });
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->redirectCount(), 3);
    QCOMPARE(hops,
             (QList<QUrl>{server->url(QStringLiteral("/hop/2")), server->url(QStringLiteral("/hop/1")),
                          server->url(QStringLiteral("/hop/0"))}));
    QCOMPARE(r->url(), server->url(QStringLiteral("/hop/0")));
    QCOMPARE(r->readAll(), QByteArray("arrived GET ")); // never the redirect's own body
    QCOMPARE(log.sequence(), QStringLiteral("redirected headers download finished"));
    QCOMPARE(log.count(QStringLiteral("redirected")), 3);
    QCOMPARE(log.count(QStringLiteral("headers")), 1);
    QCOMPARE(server->connectionCount(), 1); // the connection is kept across hops
}

void tst_Redirects::methodRewriting_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("arrives");
    QTest::newRow("301 POST -> GET") << 301 << QByteArray("POST") << QByteArray("arrived GET ");
    QTest::newRow("302 POST -> GET") << 302 << QByteArray("POST") << QByteArray("arrived GET ");
    QTest::newRow("303 POST -> GET") << 303 << QByteArray("POST") << QByteArray("arrived GET ");
    QTest::newRow("303 PUT -> GET") << 303 << QByteArray("PUT") << QByteArray("arrived GET ");
    QTest::newRow("302 PUT keeps") << 302 << QByteArray("PUT") << QByteArray("arrived PUT payload");
    QTest::newRow("307 POST keeps") << 307 << QByteArray("POST") << QByteArray("arrived POST payload");
    QTest::newRow("308 PATCH keeps") << 308 << QByteArray("PATCH") << QByteArray("arrived PATCH payload");
}

void tst_Redirects::methodRewriting()
{
    QFETCH(int, status);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, arrives);
    server->setHandler([status](TestConnection *c, const RawRequest &r) {
        if (r.target == "/start")
            return c->respond(status, "Moved", {{"Location", "/end"}});
        c->respond(200, "OK", {},
                   "arrived " + r.method + " " + r.body
                       + (r.hasHeader("Content-Type") && r.method == "GET" ? " with type" : ""));
    });
    Request request(server->url(QStringLiteral("/start")), method);
    request.setBody("payload", "text/plain");
    Response *r = client->send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll(), arrives);
}

void tst_Redirects::replaysRandomAccessDevice()
{
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/start")
            return c->respond(307, "Temporary Redirect", {{"Location", "/end"}});
        c->respond(200, "OK", {}, r.body);
    });
    QBuffer buffer;
    buffer.setData(QByteArray(100000, 'b') + "end");
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    Request request(server->url(QStringLiteral("/start")), "PUT");
    request.setBodyDevice(&buffer);
    Response *r = client->send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll(), QByteArray(100000, 'b') + "end");
}

void tst_Redirects::sequentialDeviceCannotBeResent()
{
    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->respond(308, "Permanent Redirect", {{"Location", "/end"}});
    });
    // A pipe is sequential: what was sent cannot be read again.
    QProcess device;
    device.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("printf streamed-once")});
    QVERIFY(device.waitForStarted(5000));
    Request request(server->url(QStringLiteral("/start")), "POST");
    request.setBodyDevice(&device, 13);
    Response *r = client->send(request);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::ContentReSend);
    QCOMPARE(r->category(), Response::Content);
    QVERIFY(r->hasTransportError());
    QVERIFY2(r->errorString().contains(QLatin1String("308")), qPrintable(r->errorString()));
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
}

void tst_Redirects::limit_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("hops");
    QTest::addColumn<bool>("tooMany");
    QTest::newRow("3 of 3") << 3 << 3 << false;
    QTest::newRow("4 over 3") << 3 << 4 << true;
    QTest::newRow("default 50 allows 50") << -1 << 50 << false;
    QTest::newRow("default 50 refuses 51") << -1 << 51 << true;
}

void tst_Redirects::limit()
{
    QFETCH(int, limit);
    QFETCH(int, hops);
    QFETCH(bool, tooMany);
    Request request(server->url(QStringLiteral("/hop/%1").arg(hops)));
    request.setMaximumRedirects(limit);
    Response *r = client->send(request);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(30000));
    QCOMPARE(r->error(), tooMany ? Response::TooManyRedirects : Response::NoError);
    const int max = limit < 0 ? 50 : limit;
    QCOMPARE(r->redirectCount(), std::min(hops, max));
    QCOMPARE(server->requests().size(), std::min(hops, max) + 1);
    if (tooMany) {
        QCOMPARE(r->category(), Response::Network);
        QVERIFY2(r->errorString().contains(QString::number(max)), qPrintable(r->errorString()));
        QCOMPARE(log.sequence().right(14), QStringLiteral("error finished"));
    }
}

void tst_Redirects::notFollowedWhenZero()
{
    client->setMaximumRedirects(0);
    Response *r = client->get(server->url(QStringLiteral("/hop/2")));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->statusCode(), 302);
    QCOMPARE(r->header("Location"), QByteArray("/hop/1"));
    QCOMPARE(r->readAll(), QByteArray("moved"));
    QCOMPARE(log.count(QStringLiteral("redirected")), 0);
}

void tst_Redirects::unsupportedScheme()
{
    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->respond(302, "Found", {{"Location", "ftp://127.0.0.1/file"}});
    });
    Response *r = client->get(server->url());
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::ProtocolUnknown);
    QVERIFY2(r->errorString().contains(QLatin1String("ftp")), qPrintable(r->errorString()));
}

void tst_Redirects::invalidLocation()
{
    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->respond(302, "Found", {{"Location", "http://[::1"}});
    });
    Response *r = client->get(server->url());
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QVERIFY(r->errorString().contains(QLatin1String("Location")));
}

void tst_Redirects::credentialsStayWithTheOrigin()
{
    TestServer other; // same host, another port: another origin
    server->setHandler([&other](TestConnection *c, const RawRequest &r) {
        if (r.target == "/same")
            return c->respond(302, "Found", {{"Location", "/landing"}});
        if (r.target == "/cross")
            return c->respond(302, "Found", {{"Location", other.url(QStringLiteral("/landing")).toEncoded()}});
        c->respond(200, "OK");
    });
    Request request(server->url(QStringLiteral("/same")));
    request.setHeader("Authorization", "Bearer secret");
    request.setHeader("Cookie", "session=secret");
    request.setHeader("Proxy-Authorization", "Basic c2VjcmV0");
    request.setHeader("X-Harmless", "kept");
    Response *r = client->send(request);
    QVERIFY(r->waitForFinished(10000));
    RawRequest landed = server->lastRequest();
    QCOMPARE(landed.target, QByteArray("/landing"));
    QCOMPARE(landed.header("Authorization"), QByteArray("Bearer secret")); // same origin: kept
    QCOMPARE(landed.header("Cookie"), QByteArray("session=secret"));

    request.setUrl(server->url(QStringLiteral("/cross")));
    r = client->send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(other.requests().size(), 1);
    landed = other.lastRequest();
    QVERIFY(!landed.hasHeader("Authorization"));
    QVERIFY(!landed.hasHeader("Cookie"));
    QVERIFY(!landed.hasHeader("Proxy-Authorization"));
    QCOMPARE(landed.header("X-Harmless"), QByteArray("kept"));
}

void tst_Redirects::sensitiveHeadersStayWithTheOrigin()
{
    TestServer other;
    server->setHandler([&other](TestConnection *c, const RawRequest &r) {
        if (r.target == "/cross")
            return c->respond(302, "Found", {{"Location", other.url(QStringLiteral("/landing")).toEncoded()}});
        c->respond(302, "Found", {{"Location", "/cross"}}); // a same-origin hop first
    });
    client->setSensitiveHeaders({"X-Api-Key"});
    QCOMPARE(client->sensitiveHeaders(), QList<QByteArray>{"X-Api-Key"});
    Request request(server->url(QStringLiteral("/start")));
    request.setHeader("x-api-key", "client-listed"); // names compare case-insensitively
    request.setHeader("X-Session", "request-listed");
    request.setHeader("X-Harmless", "kept");
    request.addSensitiveHeader("X-Session");
    Response *r = client->send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->redirectCount(), 2);
    const RawRequest sameOrigin = server->lastRequest(); // /cross, still the origin: all kept
    QCOMPARE(sameOrigin.header("X-Api-Key"), QByteArray("client-listed"));
    QCOMPARE(sameOrigin.header("X-Session"), QByteArray("request-listed"));
    const RawRequest landed = other.lastRequest();
    QVERIFY(!landed.hasHeader("X-Api-Key"));
    QVERIFY(!landed.hasHeader("X-Session"));
    QCOMPARE(landed.header("X-Harmless"), QByteArray("kept"));
}

void tst_Redirects::hugeRedirectBody()
{
    // A redirect whose body never ends: followed without reading it all.
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/end")
            return c->respond(200, "OK", {}, "end");
        c->write("HTTP/1.1 302 Found\r\nLocation: /end\r\nContent-Length: 1000000000\r\n\r\n");
        c->drip(QList<QByteArray>(1000, QByteArray(16384, 'j')), 1);
    });
    Response *r = client->get(server->url(QStringLiteral("/start")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll(), QByteArray("end"));
}

void tst_Redirects::abortInsideRedirected()
{
    Response *r = client->get(server->url(QStringLiteral("/hop/3")));
    SignalLog log(r);
    connect(r, &Response::redirected, r, &Response::abort);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::OperationCanceled);
    QCOMPARE(log.count(QStringLiteral("redirected")), 1);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QTest::qWait(50);
    QCOMPARE(server->requests().size(), 1); // the next hop never started
}

QTEST_GUILESS_MAIN(tst_Redirects)
#include "tst_redirects.moc"
