// A hostile server's attacks, class by class, on both engines: what a server (or whoever sits
// between Courier and it) can try against the promises of doc/security.md, doc/errors.md and
// doc/reliability.md. Every server is in-process (TestServer, plain or TLS), scripted per test;
// host names other than 127.0.0.1 are reached through the in-process server acting as an HTTP
// proxy, so that a.test, b.a.test and a.test on another port are distinct hosts to the client.
//
// Classes: TLS pins (before any byte of the request), cookies (host-only, IP hosts, ports and
// schemes, caps, refused responses), framing and status lines, content decoding (truncation,
// bombs, chains), redirects (secrets and hosts across origins), and HTTP/2 connections retired
// by the server.

#include <Courier/Client>
#include <Courier/CookieJar>
#include <Courier/Response>

#include "peers.h"
#include "spy.h"
#include "testserver.h"

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxy>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;
using namespace std::chrono_literals;

namespace {

// Waits for \a r, failing the test past \a msecs.
#define FINISH(r, msecs) QVERIFY2((r)->waitForFinished(msecs), "the response did not finish in time")

} // namespace

class tst_Hostile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    // TLS
    void pinsRefuseBeforeAnyByteIsSent_data();
    void pinsRefuseBeforeAnyByteIsSent();
    void pinsMatchingAreServed();

private:
    // Trusts the test PKI's self-signed cert.pem and its CA.
    TlsOptions trusting() const;
    TestPki pki;
};

void tst_Hostile::initTestCase()
{
    QString why;
    COURIER_REQUIRE_STARTED(pki.create(&why), why);
    qInfo() << "engine under test:" << (Client::defaultEngine() == Client::Engine::Curl ? "curl" : "qt");
}

TlsOptions tst_Hostile::trusting() const
{
    TlsOptions tls;
    tls.addCaCertificates(pki.certificates(QStringLiteral("cert.pem")) + pki.certificates(QStringLiteral("ca.pem")));
    return tls;
}

// ---------------------------------------------------------------------------------------------
// TLS

void tst_Hostile::pinsRefuseBeforeAnyByteIsSent_data()
{
    QTest::addColumn<QString>("hop");
    QTest::newRow("first hop") << QStringLiteral("first");
    QTest::newRow("redirect hop") << QStringLiteral("redirect");
    QTest::newRow("reused connection") << QStringLiteral("reused");
}

void tst_Hostile::pinsRefuseBeforeAnyByteIsSent()
{
    // A server whose key is not pinned must not get a single byte of the request: not the
    // bearer token, not the body. Pins are checked when the connection is up and before the
    // request is written, on a redirect's next hop and on a connection opened earlier by a
    // request without pins.
    QFETCH(QString, hop);
    TestServer pinned(pki.certificates(QStringLiteral("cert.pem")), pki.key(QStringLiteral("key.pem")));
    TestServer other(pki.certificates(QStringLiteral("other.pem")), pki.key(QStringLiteral("other.key")));
    TestServer &refused = hop == QLatin1String("redirect") ? other : pinned;
    pinned.setHandler([&](TestConnection *c, const RawRequest &) {
        if (hop == QLatin1String("redirect"))
            c->respond(307, "Temporary Redirect", {{"Location", other.url(QStringLiteral("/next")).toEncoded()}});
        else
            c->respond(200, "OK", {}, "served");
    });

    Client client;
    client.setTlsOptions(trusting());
    if (hop == QLatin1String("reused")) {
        // The first request, without pins, leaves a kept-alive connection to the server.
        Response *first = client.get(pinned.url());
        FINISH(first, 10000);
        QCOMPARE(first->error(), Response::NoError);
        QCOMPARE(pinned.requests().size(), 1);
    }
    const qint64 before = refused.bytesReceived();
    const int requestsBefore = int(refused.requests().size());

    TlsOptions tls = trusting();
    if (hop == QLatin1String("redirect"))
        QVERIFY(tls.addPinnedPublicKey(TlsOptions::publicKeyPin(pki.certificates(QStringLiteral("cert.pem")).first())));
    else
        QVERIFY(tls.addPinnedPublicKey(QByteArray(32, 'x').toBase64()));
    Request request(pinned.url(QStringLiteral("/upload")), "POST");
    request.setTlsOptions(tls);
    request.setBearerToken("secret-token");
    request.setBody("secret body", "text/plain");
    Response *r = client.send(request);
    SignalLog log(r);
    FINISH(r, 20000);
    QCOMPARE(r->error(), Response::SslHandshakeFailed);
    QVERIFY2(r->errorString().contains(QLatin1String("pinned public key")), qPrintable(r->errorString()));
    // Nothing of the body went to the refused server: no upload progress after the last hop began.
    const QStringList afterRedirect = log.names.mid(log.names.lastIndexOf(QStringLiteral("redirected")) + 1);
    QVERIFY2(!afterRedirect.contains(QStringLiteral("upload")), qPrintable(log.sequence()));
    QCOMPARE(log.names.mid(log.names.size() - 2), (QStringList{QStringLiteral("error"), QStringLiteral("finished")}));
    QTest::qWait(100); // whatever the client might still write would have arrived
    QCOMPARE(refused.bytesReceived(), before);
    QCOMPARE(int(refused.requests().size()), requestsBefore);
    if (hop == QLatin1String("redirect"))
        QCOMPARE(pinned.requests().size(), 1);
}

void tst_Hostile::pinsMatchingAreServed()
{
    // The same check lets the right key through, again on a reused connection.
    TestServer server(pki.certificates(QStringLiteral("cert.pem")), pki.key(QStringLiteral("key.pem")));
    TlsOptions tls = trusting();
    QVERIFY(tls.addPinnedPublicKey(TlsOptions::publicKeyPin(pki.certificates(QStringLiteral("cert.pem")).first())));
    Client client;
    client.setTlsOptions(tls);
    for (int i = 0; i < 3; ++i) {
        Response *r = client.get(server.url());
        FINISH(r, 10000);
        QCOMPARE(r->error(), Response::NoError);
        QCOMPARE(r->readAll(), QByteArray("ok"));
    }
    QCOMPARE(server.connectionCount(), 1);
}

QTEST_MAIN(tst_Hostile)
#include "tst_hostile.moc"
