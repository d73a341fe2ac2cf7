// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Redirects followed by Courier: chains, method rewriting, body replay, limits, schemes, and
// credentials that never reach another origin. The servers are Courier::Test's MockServer.

#include <Courier/Client>
#include <Courier/MockServer>

#include "spy.h"

#include <QtCore/QBuffer>
#include <QtCore/QProcess>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;
using namespace std::chrono_literals;

namespace {

MockResponse redirect(int status, const QByteArray &location)
{
    return MockResponse(status).setHeader("Location", location);
}

} // namespace

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
    std::unique_ptr<MockServer> server;
    std::unique_ptr<Client> client;
};

void tst_Redirects::init()
{
    server = std::make_unique<MockServer>();
    QVERIFY2(server->listen(), qPrintable(server->errorString()));
    client = std::make_unique<Client>();
    server->setDispatcher([](const MockRequest &r) {
        // /hop/N redirects to /hop/N-1; /hop/0 answers.
        if (r.path().startsWith(QLatin1String("/hop/"))) {
            const int n = r.path().mid(5).toInt();
            if (n > 0)
                return redirect(302, "/hop/" + QByteArray::number(n - 1)).setBody("moved");
        }
        return MockResponse(200, "arrived " + r.method() + " " + r.body());
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
    QCOMPARE(server->requestCount(), 4);
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
    server->setDispatcher([status](const MockRequest &r) {
        if (r.path() == QLatin1String("/start"))
            return redirect(status, "/end");
        return MockResponse(200,
                            "arrived " + r.method() + " " + r.body()
                                + (r.hasHeader("Content-Type") && r.method() == "GET" ? " with type" : ""));
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
    server->setDispatcher([](const MockRequest &r) {
        return r.path() == QLatin1String("/start") ? redirect(307, "/end") : MockResponse(200, r.body());
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
    server->setDispatcher([](const MockRequest &) { return redirect(308, "/end"); });
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
    QCOMPARE(server->requestCount(), std::min(hops, max) + 1);
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
    server->setDispatcher([](const MockRequest &) { return redirect(302, "ftp://127.0.0.1/file"); });
    Response *r = client->get(server->url());
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::ProtocolUnknown);
    QVERIFY2(r->errorString().contains(QLatin1String("ftp")), qPrintable(r->errorString()));
}

void tst_Redirects::invalidLocation()
{
    server->setDispatcher([](const MockRequest &) { return redirect(302, "http://[::1"); });
    Response *r = client->get(server->url());
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QVERIFY(r->errorString().contains(QLatin1String("Location")));
}

void tst_Redirects::credentialsStayWithTheOrigin()
{
    MockServer other; // same host, another port: another origin
    QVERIFY(other.listen());
    other.enqueue(MockResponse());
    const QByteArray landing = other.url(QStringLiteral("/landing")).toEncoded();
    server->setDispatcher([landing](const MockRequest &r) {
        if (r.path() == QLatin1String("/same"))
            return redirect(302, "/landing");
        if (r.path() == QLatin1String("/cross"))
            return redirect(302, landing);
        return MockResponse();
    });
    Request request(server->url(QStringLiteral("/same")));
    request.setHeader("Authorization", "Bearer secret");
    request.setHeader("Cookie", "session=secret");
    request.setHeader("Proxy-Authorization", "Basic c2VjcmV0");
    request.setHeader("X-Harmless", "kept");
    Response *r = client->send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(server->takeRequest().path(), QStringLiteral("/same"));
    MockRequest landed = server->takeRequest();
    QCOMPARE(landed.path(), QStringLiteral("/landing"));
    QCOMPARE(landed.header("Authorization"), QByteArray("Bearer secret")); // same origin: kept
    QCOMPARE(landed.header("Cookie"), QByteArray("session=secret"));

    request.setUrl(server->url(QStringLiteral("/cross")));
    r = client->send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(other.requestCount(), 1);
    QVERIFY2(other.isSatisfied(), qPrintable(other.report()));
    landed = other.takeRequest();
    QVERIFY(!landed.hasHeader("Authorization"));
    QVERIFY(!landed.hasHeader("Cookie"));
    QVERIFY(!landed.hasHeader("Proxy-Authorization"));
    QCOMPARE(landed.header("X-Harmless"), QByteArray("kept"));
}

void tst_Redirects::sensitiveHeadersStayWithTheOrigin()
{
    MockServer other;
    QVERIFY(other.listen());
    other.enqueue(MockResponse());
    const QByteArray landing = other.url(QStringLiteral("/landing")).toEncoded();
    server->setDispatcher([landing](const MockRequest &r) {
        if (r.path() == QLatin1String("/cross"))
            return redirect(302, landing);
        return redirect(302, "/cross"); // a same-origin hop first
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
    QCOMPARE(server->takeRequest().path(), QStringLiteral("/start"));
    const MockRequest sameOrigin = server->takeRequest(); // /cross, still the origin: all kept
    QCOMPARE(sameOrigin.path(), QStringLiteral("/cross"));
    QCOMPARE(sameOrigin.header("X-Api-Key"), QByteArray("client-listed"));
    QCOMPARE(sameOrigin.header("X-Session"), QByteArray("request-listed"));
    QVERIFY2(other.isSatisfied(), qPrintable(other.report()));
    const MockRequest landed = other.takeRequest();
    QVERIFY(!landed.hasHeader("X-Api-Key"));
    QVERIFY(!landed.hasHeader("X-Session"));
    QCOMPARE(landed.header("X-Harmless"), QByteArray("kept"));
}

void tst_Redirects::hugeRedirectBody()
{
    // A redirect whose body never ends: followed without reading it all.
    server->setDispatcher([](const MockRequest &r) {
        if (r.path() == QLatin1String("/end"))
            return MockResponse(200, "end");
        return redirect(302, "/end")
            .setHeader("Content-Length", "1000000000")
            .setBody(QByteArray(1000 * 16384, 'j'))
            .setThrottle(16384, 1ms);
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
    QCOMPARE(server->requestCount(), 1); // the next hop never started
}

QTEST_GUILESS_MAIN(tst_Redirects)
#include "tst_redirects.moc"
