// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
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

#include "codings.h"
#include "memory.h"
#include "peers.h"
#include "spy.h"
#include "testserver.h"

#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxy>
#include <QtTest/QTest>

#include <memory>
#include <utility>

using namespace Courier;
using namespace Courier::Test;
using namespace std::chrono_literals;

namespace {

// A decompression bomb is refused past 10 MiB of output; a reader may have taken that much, and
// one last piece.
constexpr qint64 ContentDecoderBound = (10 << 20) + (1 << 20);

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
    void tlsRefusalsAreNamed_data();
    void tlsRefusalsAreNamed();

    // Cookies
    void hostOnlyCookiesStayOnTheirHost();
    void ipHostsGetHostOnlyCookies();
    void cookiesOfAnotherPortOrSchemeChangeNothing();
    void secureCookiesNeedHttps();
    void refusedResponsesSetNoCookies_data();
    void refusedResponsesSetNoCookies();
    void cookieFloodIsBounded();

    // Content codings
    void codedBodyCutShortByClose_data();
    void codedBodyCutShortByClose();
    void codingCutShortInsideAWholeBody_data();
    void codingCutShortInsideAWholeBody();
    void bombsEndPromptlyInBoundedMemory_data();
    void bombsEndPromptlyInBoundedMemory();
    void codingsNotToBeDecoded_data();
    void codingsNotToBeDecoded();

    // Status lines and header fields
    void statusOutsideTheRange_data();
    void statusOutsideTheRange();
    void interimResponses_data();
    void interimResponses();
    void unsolicitedSwitchingProtocols();
    void bareCarriageReturnInAValue();
    void whitespaceBeforeTheColon();
    void headerFloodThenClose();

    // Redirects
    void redirectsToOtherSchemes_data();
    void redirectsToOtherSchemes();
    void hostHeaderStaysWithItsOrigin();
    void credentialsInALocationAreNotUsed();
    void proxyAuthorizationNeverInsideTls();

private:
    // Trusts the test PKI's self-signed cert.pem and its CA.
    TlsOptions trusting() const;
    TestPki pki;
};

namespace {

// The host a request through the proxy is for, from its absolute-form target.
QString hostOf(const RawRequest &request) { return QUrl::fromEncoded(request.target).host(); }

// Sends every request of \a client through \a proxy, an in-process server that answers requests
// in absolute form: any host name is then a host of its own to the client, and nothing is looked
// up or sent beyond 127.0.0.1.
void useProxy(Client &client, const TestServer &proxy)
{
    client.networkAccessManager()->setProxy(
        QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxy.port()));
}

// The Cookie header \a client sends to \a url (through its proxy, if any), as \a server saw it.
QByteArray cookieSentTo(Client &client, TestServer &server, const QUrl &url)
{
    Response *r = client.get(url);
    r->waitForFinished(10000);
    r->deleteLater();
    return server.lastRequest().header("Cookie");
}

} // namespace

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

void tst_Hostile::tlsRefusalsAreNamed_data()
{
    QTest::addColumn<QStringList>("server"); // openssl s_server's arguments
    QTest::addColumn<QString>("words");
    const auto with = [this](const char *certificate, const char *key, const QStringList &more) {
        return QStringList{QStringLiteral("-cert"), pki.file(QLatin1String(certificate)), QStringLiteral("-key"),
                           pki.file(QLatin1String(key))}
        + more;
    };
    const QStringList requireClientCertificate{QStringLiteral("-Verify"), QStringLiteral("1"),
                                               QStringLiteral("-CAfile"), pki.file(QStringLiteral("ca.pem"))};
    const QStringList lowSecurityLevel{QStringLiteral("-cipher"), QStringLiteral("DEFAULT:@SECLEVEL=0")};
    // A server that requires a client certificate, asked without one. In TLS 1.3 its refusal,
    // a "certificate required" alert, comes after the client's side of the handshake, when it
    // reads: still the TLS handshake failing (errors.md), not the server closing early.
    QTest::newRow("client certificate required, TLS 1.3")
        << with("cert.pem", "key.pem", requireClientCertificate + QStringList{QStringLiteral("-tls1_3")})
        << QStringLiteral("certificate required");
    QTest::newRow("client certificate required, TLS 1.2")
        << with("cert.pem", "key.pem", requireClientCertificate + QStringList{QStringLiteral("-tls1_2")})
        << QStringLiteral("handshake failure");
    // What OpenSSL's default security level refuses (the server lowers its own level to offer
    // it): named, not "Unknown error".
    QTest::newRow("RSA 1024") << with("rsa1024.pem", "rsa1024.key", lowSecurityLevel) << QStringLiteral("weak");
    QTest::newRow("SHA-1 signature") << with("sha1.pem", "sha1.key", lowSecurityLevel) << QStringLiteral("weak");
}

void tst_Hostile::tlsRefusalsAreNamed()
{
    QFETCH(QStringList, server);
    QFETCH(QString, words);
    OpensslServerPeer peer;
    QString why;
    COURIER_REQUIRE_STARTED(peer.start(server, &why), why);
    Client client;
    client.setTlsOptions(trusting());
    Response *r = client.get(peer.url());
    FINISH(r, 20000);
    QCOMPARE(r->error(), Response::SslHandshakeFailed);
    QVERIFY2(r->errorString().contains(words, Qt::CaseInsensitive), qPrintable(r->errorString()));
    QVERIFY2(!r->errorString().contains(QLatin1String("Unknown error")), qPrintable(r->errorString()));
}

// ---------------------------------------------------------------------------------------------
// Cookies

void tst_Hostile::hostOnlyCookiesStayOnTheirHost()
{
    // RFC 6265 5.3 step 6: a cookie without a Domain attribute goes back to its host only. A
    // subdomain (a tenant's site, a compromised host) must not receive the bank's session.
    TestServer proxy;
    proxy.setHandler([](TestConnection *c, const RawRequest &request) {
        if (hostOf(request) == QLatin1String("bank.test"))
            c->respond(200, "OK",
                       {{"Set-Cookie", "session=s3cret; Path=/"}, {"Set-Cookie", "wide=1; Domain=bank.test; Path=/"}});
        else
            c->respond(200, "OK");
    });
    Client client;
    useProxy(client, proxy);
    QCOMPARE(cookieSentTo(client, proxy, QUrl(QStringLiteral("http://bank.test/login"))), QByteArray());
    QCOMPARE(proxy.lastRequest().target, QByteArray("http://bank.test/login")); // through the proxy indeed
    QCOMPARE(cookieSentTo(client, proxy, QUrl(QStringLiteral("http://bank.test/account"))),
             QByteArray("session=s3cret; wide=1"));
    QCOMPARE(cookieSentTo(client, proxy, QUrl(QStringLiteral("http://evil.bank.test/"))), QByteArray("wide=1"));
    QCOMPARE(cookieSentTo(client, proxy, QUrl(QStringLiteral("http://a.evil.bank.test/"))), QByteArray("wide=1"));
    QCOMPARE(cookieSentTo(client, proxy, QUrl(QStringLiteral("http://notbank.test/"))), QByteArray());
    QCOMPARE(cookieSentTo(client, proxy, QUrl(QStringLiteral("http://test/"))), QByteArray());
}

void tst_Hostile::ipHostsGetHostOnlyCookies()
{
    // RFC 6265 5.1.3: an IP address domain-matches itself only. A Domain attribute from a server
    // reached by address is refused unless it is that address, and then the cookie is host-only.
    TestServer proxy;
    proxy.setHandler([](TestConnection *c, const RawRequest &request) {
        if (hostOf(request) == QLatin1String("127.0.0.1"))
            c->respond(200, "OK",
                       {{"Set-Cookie", "dotted=1; Domain=.0.1; Path=/"},
                        {"Set-Cookie", "tail=1; Domain=0.0.1; Path=/"},
                        {"Set-Cookie", "self=1; Domain=127.0.0.1; Path=/"},
                        {"Set-Cookie", "plain=1; Path=/"}});
        else
            c->respond(200, "OK");
    });
    Client client;
    useProxy(client, proxy);
    QCOMPARE(cookieSentTo(client, proxy, QUrl(QStringLiteral("http://127.0.0.1/"))), QByteArray());
    QCOMPARE(proxy.lastRequest().target, QByteArray("http://127.0.0.1/"));
    QCOMPARE(cookieSentTo(client, proxy, QUrl(QStringLiteral("http://127.0.0.1/again"))),
             QByteArray("self=1; plain=1"));
    QCOMPARE(cookieSentTo(client, proxy, QUrl(QStringLiteral("http://127.1.0.1/"))), QByteArray());
    QCOMPARE(cookieSentTo(client, proxy, QUrl(QStringLiteral("http://10.0.0.1/"))), QByteArray());
    QCOMPARE(qobject_cast<CookieJar *>(client.cookieJar())->cookies().size(), 2);
}

void tst_Hostile::cookiesOfAnotherPortOrSchemeChangeNothing()
{
    // Another server on the same host (another port) sets, overwrites or deletes "its" cookie of
    // the same name: the first server's cookie is bound to its scheme and port and stays.
    TestServer proxy;
    proxy.setHandler([](TestConnection *c, const RawRequest &request) {
        const QUrl url = QUrl::fromEncoded(request.target);
        if (url.port() == 8080 && url.path() == QLatin1String("/set"))
            c->respond(200, "OK", {{"Set-Cookie", "id=genuine; Path=/"}});
        else if (url.port() == 9090 && url.path() == QLatin1String("/overwrite"))
            c->respond(200, "OK", {{"Set-Cookie", "id=forged; Path=/"}});
        else if (url.port() == 9090 && url.path() == QLatin1String("/delete"))
            c->respond(200, "OK", {{"Set-Cookie", "id=; Max-Age=0; Path=/"}});
        else
            c->respond(200, "OK");
    });
    Client client;
    useProxy(client, proxy);
    const QUrl genuine(QStringLiteral("http://a.test:8080/"));
    cookieSentTo(client, proxy, QUrl(QStringLiteral("http://a.test:8080/set")));
    cookieSentTo(client, proxy, QUrl(QStringLiteral("http://a.test:9090/overwrite")));
    QCOMPARE(cookieSentTo(client, proxy, genuine), QByteArray("id=genuine"));
    QCOMPARE(cookieSentTo(client, proxy, QUrl(QStringLiteral("http://a.test:9090/"))), QByteArray("id=forged"));
    cookieSentTo(client, proxy, QUrl(QStringLiteral("http://a.test:9090/delete")));
    QCOMPARE(cookieSentTo(client, proxy, genuine), QByteArray("id=genuine"));
    QCOMPARE(cookieSentTo(client, proxy, QUrl(QStringLiteral("http://a.test:9090/"))), QByteArray());
}

void tst_Hostile::secureCookiesNeedHttps()
{
    // A Secure cookie set over https is not overwritten, shadowed or deleted from http; an http
    // server cannot set a Secure or a __Host- / __Secure- cookie at all (RFC 6265bis).
    TestServer tls(pki.certificates(QStringLiteral("cert.pem")), pki.key(QStringLiteral("key.pem")));
    TestServer plain;
    tls.setHandler([](TestConnection *c, const RawRequest &request) {
        if (request.target == "/set")
            c->respond(
                200, "OK",
                {{"Set-Cookie", "token=genuine; Secure; Path=/"}, {"Set-Cookie", "__Host-id=1; Secure; Path=/"}});
        else
            c->respond(200, "OK");
    });
    plain.setHandler([](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK",
                   {{"Set-Cookie", "token=forged; Secure; Path=/"},
                    {"Set-Cookie", "token=; Max-Age=0; Secure; Path=/"},
                    {"Set-Cookie", "__Secure-x=1; Path=/"},
                    {"Set-Cookie", "__Host-y=1; Path=/"},
                    {"Set-Cookie", "visible=1; Path=/"}});
    });
    Client client;
    client.setTlsOptions(trusting());
    cookieSentTo(client, tls, tls.url(QStringLiteral("/set")));
    QCOMPARE(cookieSentTo(client, plain, plain.url()), QByteArray());
    QCOMPARE(cookieSentTo(client, plain, plain.url()), QByteArray("visible=1"));
    QCOMPARE(cookieSentTo(client, tls, tls.url()), QByteArray("token=genuine; __Host-id=1"));
}

void tst_Hostile::refusedResponsesSetNoCookies_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QString>("words");
    QByteArray filler;
    for (int i = 0; i < 40; ++i)
        filler += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(2048, 'f') + "\r\n";
    const QByteArray cookie = "Set-Cookie: planted=1; Path=/\r\n";
    QTest::newRow("header block over the limit")
        << QByteArray("HTTP/1.1 200 OK\r\n" + cookie + filler + "Content-Length: 2\r\n\r\nok")
        << QStringLiteral("too large");
    QTest::newRow("Content-Length beside Transfer-Encoding") << QByteArray(
        "HTTP/1.1 200 OK\r\n" + cookie + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")
                                                             << QStringLiteral("Transfer-Encoding");
    QTest::newRow("redirect over the limit")
        << QByteArray("HTTP/1.1 302 Found\r\nLocation: /next\r\n" + cookie + filler + "Content-Length: 0\r\n\r\n")
        << QStringLiteral("too large");
    QTest::newRow("redirect with two lengths") << QByteArray("HTTP/1.1 302 Found\r\nLocation: /next\r\n" + cookie
                                                             + "Content-Length: 0\r\nContent-Length: 7\r\n\r\n")
                                               << QStringLiteral("not one length");
}

void tst_Hostile::refusedResponsesSetNoCookies()
{
    // A response Courier refuses at its headers is not used at all: its cookies are not stored,
    // its Location is not followed, and on a redirect hop the same limits hold as on the last.
    QFETCH(QByteArray, response);
    QFETCH(QString, words);
    TestServer server;
    server.setHandler([response](TestConnection *c, const RawRequest &request) {
        if (request.target == "/next")
            c->respond(200, "OK", {{"Set-Cookie", "next=1"}}, "followed");
        else
            c->write(response);
    });
    Client client;
    Response *r = client.get(server.url(QStringLiteral("/start")));
    FINISH(r, 10000);
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QVERIFY2(r->errorString().contains(words), qPrintable(r->errorString()));
    QVERIFY(r->cookies().isEmpty());
    QVERIFY(qobject_cast<CookieJar *>(client.cookieJar())->cookies().isEmpty());
    QCOMPARE(server.requests().size(), 1);
    QVERIFY(r->headers().isEmpty());
}

void tst_Hostile::cookieFloodIsBounded()
{
    // A redirect chain over many host names, each hop setting 90 cookies of 200 bytes (within the
    // header limit, and Qt 6.4's 100 fields): the jar keeps at most its limits.
    constexpr int hops = 25;
    TestServer proxy;
    proxy.setHandler([](TestConnection *c, const RawRequest &request) {
        const QString host = hostOf(request);
        const int n = host.section(QLatin1Char('.'), 0, 0).mid(1).toInt(); // h<n>.flood.test
        QList<QPair<QByteArray, QByteArray>> headers;
        for (int i = 0; i < 90; ++i)
            headers.append({"Set-Cookie",
                            "c" + QByteArray::number(n) + "_" + QByteArray::number(i) + "=" + QByteArray(190, 'v')
                                + "; Domain=flood.test; Path=/"});
        if (n < hops)
            headers.append({"Location", "http://h" + QByteArray::number(n + 1) + ".flood.test/"});
        c->respond(n < hops ? 302 : 200, n < hops ? "Found" : "OK", headers, "end");
    });
    Client client;
    useProxy(client, proxy);
    Response *r = client.get(QUrl(QStringLiteral("http://h1.flood.test/")));
    FINISH(r, 60000);
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->redirectCount(), hops - 1);
    const QList<QNetworkCookie> kept = qobject_cast<CookieJar *>(client.cookieJar())->cookies();
    QVERIFY(kept.size() <= CookieJar::MaximumCookiesPerDomain); // one domain: flood.test
    QCOMPARE(kept.size(), 180);

    // Many domains: the total holds.
    CookieJar jar;
    for (int d = 0; d < 40; ++d) {
        QList<QNetworkCookie> batch;
        for (int i = 0; i < 100; ++i)
            batch += QNetworkCookie::parseCookies("k" + QByteArray::number(i) + "=v; Path=/");
        jar.setCookiesFromUrl(batch, QUrl(QStringLiteral("http://d%1.test/").arg(d)));
    }
    QCOMPARE(jar.cookies().size(), CookieJar::MaximumCookies);
    // The oldest went: the first domain's cookies, and the newest are all there.
    QVERIFY(jar.cookiesForUrl(QUrl(QStringLiteral("http://d0.test/"))).isEmpty());
    QCOMPARE(jar.cookiesForUrl(QUrl(QStringLiteral("http://d39.test/"))).size(), 100);
}

// ---------------------------------------------------------------------------------------------
// Content codings

void tst_Hostile::codedBodyCutShortByClose_data()
{
    QTest::addColumn<int>("coding");
    for (const Coding c : {Coding::Gzip, Coding::Deflate, Coding::Brotli, Coding::Zstd})
        QTest::addRow("%s", codingName(c).constData()) << int(c);
}

void tst_Hostile::codedBodyCutShortByClose()
{
    // Content-Length says how long the coded body is; the server closes half-way. Counting the
    // decoded bytes against it (or not counting at all) would call that complete.
    QFETCH(int, coding);
    const QByteArray wire = encode(Coding(coding), QByteArray("a body worth compressing. ").repeated(4000));
    TestServer server;
    server.setHandler([&](TestConnection *c, const RawRequest &) {
        c->write("HTTP/1.1 200 OK\r\nContent-Encoding: " + codingName(Coding(coding))
                 + "\r\nContent-Length: " + QByteArray::number(wire.size()) + "\r\n\r\n" + wire.left(wire.size() / 2));
        c->socket()->flush();
        QTimer::singleShot(50, c, [c] { c->close(); });
    });
    Client client;
    Response *r = client.get(server.url());
    FINISH(r, 20000);
    QCOMPARE(r->error(), Response::RemoteHostClosed);
    QVERIFY2(r->errorString().contains(QStringLiteral("of the %1 bytes announced by Content-Length").arg(wire.size())),
             qPrintable(r->errorString()));
    QVERIFY(!r->isComplete());
}

void tst_Hostile::codingCutShortInsideAWholeBody_data()
{
    QTest::addColumn<QByteArray>("response");
    const QByteArray body = QByteArray("a body worth compressing. ").repeated(4000);
    const auto framed = [](const QByteArray &name, const QByteArray &coded) -> QByteArray {
        return "HTTP/1.1 200 OK\r\nContent-Encoding: " + name
            + "\r\nContent-Length: " + QByteArray::number(coded.size()) + "\r\n\r\n" + coded;
    };
    const auto chunked = [](const QByteArray &name, const QByteArray &coded) -> QByteArray {
        return "HTTP/1.1 200 OK\r\nContent-Encoding: " + name + "\r\nTransfer-Encoding: chunked\r\n\r\n"
            + QByteArray::number(coded.size(), 16) + "\r\n" + coded + "\r\n0\r\n\r\n";
    };
    for (const Coding c : {Coding::Gzip, Coding::Deflate, Coding::Brotli, Coding::Zstd}) {
        const QByteArray cut = encode(c, body).chopped(20);
        QTest::addRow("%s, Content-Length", codingName(c).constData()) << framed(codingName(c), cut);
        QTest::addRow("%s, chunked", codingName(c).constData()) << chunked(codingName(c), cut);
    }
    QTest::newRow("gzip, br, the inner one cut")
        << framed("gzip, br", encode(Coding::Brotli, encode(Coding::Gzip, body).chopped(20)));
}

void tst_Hostile::codingCutShortInsideAWholeBody()
{
    // The framing is whole (the length matches, the last chunk came), but the coded stream stops
    // before its end: a truncated body, never NoError.
    QFETCH(QByteArray, response);
    TestServer server;
    server.setHandler([&](TestConnection *c, const RawRequest &) { c->write(response); });
    Client client;
    Response *r = client.get(server.url());
    SignalLog log(r);
    FINISH(r, 20000);
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QVERIFY2(r->errorString().contains(QLatin1String("ends early")), qPrintable(r->errorString()));
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
}

void tst_Hostile::bombsEndPromptlyInBoundedMemory_data()
{
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("bomb");
    QTest::addColumn<qint64>("readBuffer");
    const QByteArray gzipGiB = gzipZeros(qint64(1) << 30); // 1 GiB of zeros, about 1 MiB on the wire
    QTest::newRow("gzip 1 GiB") << QByteArray("gzip") << gzipGiB << qint64(0);
    QTest::newRow("gzip 1 GiB, 1 MiB read buffer") << QByteArray("gzip") << gzipGiB << qint64(1 << 20);
    const QByteArray nested = encodeChain({Coding::Gzip, Coding::Gzip}, gzipGiB);
    QTest::newRow("gzip, gzip, gzip") << QByteArray("gzip, gzip, gzip") << nested << qint64(0);
    QTest::newRow("gzip, gzip, gzip, 1 MiB read buffer") << QByteArray("gzip, gzip, gzip") << nested << qint64(1 << 20);
    const QByteArray zeros(256 << 20, '\0');
    QTest::newRow("zstd") << QByteArray("zstd") << encode(Coding::Zstd, zeros) << qint64(0);
    QTest::newRow("br") << QByteArray("br") << encode(Coding::Brotli, zeros) << qint64(1 << 20);
}

void tst_Hostile::bombsEndPromptlyInBoundedMemory()
{
    // Every bomb ends in ProtocolFailure once it has expanded past 10 MiB at more than 40 to 1,
    // whatever its coding and nesting, whatever the read buffer: not in a read timeout, not in
    // "out of memory", and without the process holding anything like the bomb's size.
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, bomb);
    QFETCH(qint64, readBuffer);
    QVERIFY(!bomb.isEmpty());
    TestServer server;
    server.setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"Content-Type", "application/octet-stream"}, {"Content-Encoding", encoding}}, bomb);
    });
    Client client;
    Request request(server.url());
    request.setReadBufferSize(readBuffer);
    request.setReadTimeout(30000); // far above what refusing takes: a stall shows as Timeout
    QVERIFY(resetPeakRss());
    const qint64 before = statusKiB("VmRSS");
    Response *r = client.send(request);
    SignalLog log(r);
    qint64 taken = 0;
    connect(r, &QIODevice::readyRead, this, [&] { taken += r->skip(r->bytesAvailable()); });
    FINISH(r, 60000);
    const qint64 peakGrowth = statusKiB("VmHWM") - before;
    qInfo("%s bomb, %lld bytes on the wire: %s after %lld decoded bytes reached the reader, peak RSS +%lld KiB",
          encoding.constData(), qint64(bomb.size()), qPrintable(r->errorString()), taken, peakGrowth);
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QVERIFY2(r->errorString().contains(QLatin1String("decompression bomb")), qPrintable(r->errorString()));
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QVERIFY(taken <= ContentDecoderBound);
    QVERIFY2(peakGrowth < 64 * 1024, "more than 64 MiB held for a body refused as a bomb");
}

void tst_Hostile::codingsNotToBeDecoded_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QString>("words");
    const QByteArray gz = encode(Coding::Gzip, "hello");
    const auto with = [](const QByteArray &fields, const QByteArray &body) -> QByteArray {
        return "HTTP/1.1 200 OK\r\n" + fields + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"
            + body;
    };
    QTest::newRow("six codings") << with("Content-Encoding: gzip, gzip, gzip, gzip, gzip, gzip\r\n", gz)
                                 << QStringLiteral("more than the 5");
    QTest::newRow("a coding never asked for")
        << with("Content-Encoding: compress\r\n", "x") << QStringLiteral("not one Courier asked for");
    QTest::newRow("garbage after the coded body")
        << with("Content-Encoding: gzip\r\n", gz + "garbage") << QStringLiteral("after the end of the gzip stream");
    QTest::newRow("not the coding it claims")
        << with("Content-Encoding: br\r\n", "plain text") << QStringLiteral("could not be decoded");
    QTest::newRow("Transfer-Encoding gzip")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + QByteArray::number(gz.size(), 16)
                      + "\r\n" + gz + "\r\n0\r\n\r\n")
        << QStringLiteral("was not asked for");
}

void tst_Hostile::codingsNotToBeDecoded()
{
    // What a body's codings may not be: too many (curl's CVE-2023-23916 was an unbounded chain),
    // ones never asked for, garbage after the end, a transfer coding besides chunked. Each is the
    // server breaking the protocol, on either engine.
    QFETCH(QByteArray, response);
    QFETCH(QString, words);
    TestServer server;
    server.setHandler([&](TestConnection *c, const RawRequest &) { c->write(response); });
    Client client;
    Response *r = client.get(server.url());
    FINISH(r, 20000);
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QCOMPARE(r->category(), Response::Protocol);
    QVERIFY2(r->errorString().contains(words), qPrintable(r->errorString()));
}

// ---------------------------------------------------------------------------------------------
// Status lines and header fields

void tst_Hostile::statusOutsideTheRange_data()
{
    QTest::addColumn<QByteArray>("code");
    for (const char *code : {"000", "-1", "099", "600", "999", "1000"})
        QTest::newRow(code) << QByteArray(code);
}

void tst_Hostile::statusOutsideTheRange()
{
    // RFC 9110 section 15: status codes are 100 to 599. Anything else is no HTTP response, and
    // must not skip the framing and size checks a real status gets.
    QFETCH(QByteArray, code);
    TestServer server;
    server.setHandler([&](TestConnection *c, const RawRequest &) {
        c->write("HTTP/1.1 " + code + " Whatever\r\nContent-Length: 5\r\n\r\nhello");
    });
    Client client;
    Response *r = client.get(server.url());
    SignalLog log(r);
    FINISH(r, 20000);
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QCOMPARE(log.count(QStringLiteral("headers")), 0);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
}

void tst_Hostile::interimResponses_data()
{
    QTest::addColumn<QByteArray>("interim");
    QTest::addColumn<QString>("host"); // empty: plain http to 127.0.0.1; else https to that host
    const QByteArray early("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n");
    QTest::newRow("103 Early Hints") << early << QString();
    QTest::newRow("102 Processing") << QByteArray("HTTP/1.1 102 Processing\r\n\r\n") << QString();
    QTest::newRow("two of them") << QByteArray(
        "HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n")
                                 << QString();
    QTest::newRow("https by address") << early << QStringLiteral("127.0.0.1");
    QTest::newRow("https by name") << early << QStringLiteral("localhost");
}

void tst_Hostile::interimResponses()
{
    // 1xx responses are interim (RFC 9110 section 15.2): the final response follows on the same
    // connection. It must be the one delivered, and it must never become the answer to the next
    // request on that connection. Several rounds: each connection given up on must stay so.
    QFETCH(QByteArray, interim);
    QFETCH(QString, host);
    Client client;
    // Where the final answer cannot be delivered (Qt), the server holds it back until the next
    // request arrives, on whichever connection, and only then sends it: had that request gone
    // on the interim response's connection, this answer would come first there.
    const bool holdBack = client.engine() == Client::Engine::Qt;
    std::unique_ptr<TestServer> server = host.isEmpty()
        ? std::make_unique<TestServer>()
        : std::make_unique<TestServer>(pki.certificates(QStringLiteral("cert.pem")),
                                       pki.key(QStringLiteral("key.pem")));
    QList<QPointer<TestConnection>> held;
    const auto answerFinally = [](TestConnection *c) {
        c->respond(200, "OK", {{"Content-Type", "text/plain"}}, "the final answer");
    };
    server->setHandler([&](TestConnection *c, const RawRequest &request) {
        if (request.target.startsWith("/next")) {
            for (const QPointer<TestConnection> &first : std::exchange(held, {})) {
                if (first)
                    answerFinally(first);
            }
            c->respond(200, "OK", {}, "the next answer");
            return;
        }
        c->write(interim);
        c->socket()->flush();
        if (holdBack)
            held.append(c);
        else
            QTimer::singleShot(50, c, [c, answerFinally] { answerFinally(c); });
    });
    const auto at = [&](const QString &path) {
        QUrl url = server->url(path);
        if (!host.isEmpty())
            url.setHost(host);
        return url;
    };
    if (!host.isEmpty())
        client.setTlsOptions(trusting());
    for (int round = 0; round < 4; ++round) {
        Response *r = client.get(at(QStringLiteral("/first")));
        SignalLog log(r);
        FINISH(r, 20000);
        QCOMPARE(log.count(QStringLiteral("finished")), 1);
        if (client.engine() == Client::Engine::Qt) {
            // Qt 6.4 takes any 1xx but 100 for the final response and drops what follows:
            // Courier cannot deliver it, and says so rather than calling the 1xx a result.
            QCOMPARE(r->error(), Response::ProtocolFailure);
            QVERIFY2(r->errorString().contains(QLatin1String("interim")), qPrintable(r->errorString()));
        } else {
            QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
            QCOMPARE(r->statusCode(), 200);
            QCOMPARE(r->readAll(), QByteArray("the final answer"));
            QCOMPARE(r->header("Content-Type"), QByteArray("text/plain"));
            QVERIFY(!r->hasHeader("Link"));
        }
        // Two at once: neither may be sent on the connection the interim response came on.
        Response *next = client.get(at(QStringLiteral("/next")));
        Response *also = client.get(at(QStringLiteral("/next-too")));
        FINISH(next, 20000);
        FINISH(also, 20000);
        QVERIFY2(next->error() == Response::NoError, qPrintable(next->errorString()));
        QCOMPARE(next->readAll(), QByteArray("the next answer"));
        QVERIFY2(also->error() == Response::NoError, qPrintable(also->errorString()));
        QCOMPARE(also->readAll(), QByteArray("the next answer"));
    }
}

void tst_Hostile::unsolicitedSwitchingProtocols()
{
    // A 101 to a request that asked for no upgrade: what follows is no HTTP body. Refused at
    // once, not read as a body until a timeout.
    TestServer server;
    server.setHandler([](TestConnection *c, const RawRequest &) {
        c->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello");
    });
    Client client;
    Request request(server.url());
    request.setReadTimeout(10000);
    Response *r = client.send(request);
    FINISH(r, 20000);
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QVERIFY2(r->errorString().contains(QLatin1String("101")), qPrintable(r->errorString()));
    QCOMPARE(r->readAll(), QByteArray());
}

void tst_Hostile::bareCarriageReturnInAValue()
{
    // RFC 9112 section 2.2: a bare CR is replaced with SP (or the message refused); RFC 9110 5.5:
    // so is NUL. A value must never reach the application, or go back out in a request, with a
    // line break of the server's choosing in it.
    TestServer server;
    server.setHandler([](TestConnection *c, const RawRequest &request) {
        if (request.target == "/again") {
            c->respond(200, "OK", {}, "ok");
            return;
        }
        c->write("HTTP/1.1 200 OK\r\nX-Note: one\rtwo\r\nX-Nul: a" + QByteArray(1, '\0')
                 + "b\r\nSet-Cookie: id=a\rInjected: 1\r\nContent-Length: 2\r\n\r\nok");
    });
    Client client;
    Response *r = client.get(server.url());
    FINISH(r, 20000);
    const QByteArray note = r->header("X-Note");
    QVERIFY2(!note.contains('\r') && !note.contains('\n'), note.constData());
    for (const auto &[name, value] : r->headers()) {
        QVERIFY2(!name.contains('\r') && !value.contains('\r') && !value.contains('\0'), value.constData());
    }
    Response *again = client.get(server.url(QStringLiteral("/again")));
    FINISH(again, 20000);
    QVERIFY(!server.lastRequest().hasHeader("Injected"));
    QVERIFY2(!server.lastRequest().header("Cookie").contains('\r'), server.lastRequest().header("Cookie").constData());
}

void tst_Hostile::whitespaceBeforeTheColon()
{
    // RFC 9112 section 5.1: no whitespace between a field name and its colon; such a field has
    // split responses. "Content-Length : 3" must never be the length shown while five bytes come.
    TestServer server;
    server.setHandler([](TestConnection *c, const RawRequest &) {
        c->write("HTTP/1.1 200 OK\r\nContent-Length : 3\r\nX-Other: 1\r\nConnection: close\r\n\r\nhello");
        c->close();
    });
    Client client;
    Response *r = client.get(server.url());
    FINISH(r, 20000);
    if (client.engine() == Client::Engine::Qt) {
        // Qt 6.4 drops a header block with a malformed line, whole and without a word: the body
        // has no length then, and runs to the close. Consistent, if not what was sent
        // (doc/reliability.md, "Known limits").
        QCOMPARE(r->error(), Response::NoError);
        QVERIFY(r->headers().isEmpty());
        QCOMPARE(r->contentLength(), -1);
        QCOMPARE(r->readAll(), QByteArray("hello"));
        return;
    }
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QVERIFY2(r->errorString().contains(QLatin1String("whitespace before its colon")), qPrintable(r->errorString()));
    QCOMPARE(r->readAll(), QByteArray());
}

void tst_Hostile::headerFloodThenClose()
{
    // 10,000 header fields (85 KB), a body, and the connection closed: past Courier's 64 KiB
    // limit. On Qt's engine it is past Qt 6.4's own limit of 100 fields first: Qt drops the block
    // without a word, and reads the body to the close, which Courier cannot tell from a server
    // that sent no fields. The libcurl engine hands the block over and Courier refuses it.
    TestServer server;
    server.setHandler([](TestConnection *c, const RawRequest &) {
        QByteArray block = "HTTP/1.1 200 OK\r\n";
        for (int i = 0; i < 10000; ++i)
            block += "X-" + QByteArray::number(i) + ": v\r\n";
        c->write(block + "\r\nthe body");
        c->close();
    });
    Client client;
    Response *r = client.get(server.url());
    FINISH(r, 30000);
    if (client.engine() == Client::Engine::Qt) {
        QVERIFY(r->headers().isEmpty());
        QEXPECT_FAIL("", "Qt 6.4 drops a header block past its limits without reporting it (doc/reliability.md)",
                     Abort);
    }
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QVERIFY2(r->errorString().contains(QLatin1String("too large")), qPrintable(r->errorString()));
}

// ---------------------------------------------------------------------------------------------
// Redirects

void tst_Hostile::redirectsToOtherSchemes_data()
{
    QTest::addColumn<QByteArray>("location");
    QTest::newRow("file") << QByteArray("file:///etc/passwd");
    QTest::newRow("file with a host") << QByteArray("file://localhost/etc/passwd");
    QTest::newRow("data") << QByteArray("data:text/plain,hello");
    QTest::newRow("javascript") << QByteArray("javascript:alert(1)");
    QTest::newRow("ftp") << QByteArray("ftp://127.0.0.1/file");
    QTest::newRow("qrc") << QByteArray("qrc:/secret.txt");
}

void tst_Hostile::redirectsToOtherSchemes()
{
    // Only http and https are followed; anything else is ProtocolUnknown as doc/errors.md says,
    // whether or not the URL has a host, and nothing of it is read.
    QFETCH(QByteArray, location);
    TestServer server;
    server.setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(302, "Found", {{"Location", location}});
    });
    Client client;
    Response *r = client.get(server.url());
    FINISH(r, 10000);
    QCOMPARE(r->error(), Response::ProtocolUnknown);
    QVERIFY2(r->errorString().contains(QLatin1String("only http and https are followed")),
             qPrintable(r->errorString()));
    QCOMPARE(r->readAll(), QByteArray());
}

void tst_Hostile::hostHeaderStaysWithItsOrigin()
{
    // A Host header the application set names its origin's virtual host; carried to another
    // origin it would route the request there to a host of the first server's choosing. It is
    // dropped when a redirect leaves the origin, as curl drops it.
    TestServer origin;
    TestServer other;
    origin.setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(307, "Temporary Redirect", {{"Location", other.url(QStringLiteral("/landing")).toEncoded()}});
    });
    other.setHandler([](TestConnection *c, const RawRequest &) { c->respond(200, "OK", {}, "landed"); });
    Client client;
    Request request(origin.url(QStringLiteral("/start")));
    request.setHeader("Host", "internal.example");
    Response *r = client.send(request);
    FINISH(r, 10000);
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(origin.lastRequest().header("Host"), QByteArray("internal.example"));
    QCOMPARE(other.lastRequest().header("Host"), QByteArray("127.0.0.1:") + QByteArray::number(other.port()));
}

void tst_Hostile::credentialsInALocationAreNotUsed()
{
    // A Location with user info (http://user:password@host/) is followed without it: no
    // Authorization goes anywhere because a server put credentials in a redirect, and the URL
    // shown to the application carries none.
    TestServer origin;
    TestServer other;
    origin.setHandler([&](TestConnection *c, const RawRequest &) {
        QUrl target = other.url(QStringLiteral("/landing"));
        target.setUserName(QStringLiteral("planted"));
        target.setPassword(QStringLiteral("secret"));
        c->respond(302, "Found", {{"Location", target.toEncoded()}});
    });
    other.setHandler([](TestConnection *c, const RawRequest &) {
        c->respond(401, "Unauthorized", {{"WWW-Authenticate", "Basic realm=\"x\""}}, "no");
    });
    Client client;
    Response *r = client.get(origin.url());
    FINISH(r, 10000);
    QCOMPARE(r->statusCode(), 401);
    QVERIFY(r->url().userInfo().isEmpty());
    QCOMPARE(other.requests().size(), 1);
    QVERIFY(!other.lastRequest().hasHeader("Authorization"));
}

void tst_Hostile::proxyAuthorizationNeverInsideTls()
{
    // Proxy-Authorization is for a proxy. Over https a proxy only sees the CONNECT (whose
    // credentials come from the QNetworkProxy); a header of the request goes inside the tunnel, to
    // the origin server, which must not learn the proxy's password (python-requests'
    // CVE-2023-32681 was this, on redirects).
    TestServer server(pki.certificates(QStringLiteral("cert.pem")), pki.key(QStringLiteral("key.pem")));
    Client client;
    client.setTlsOptions(trusting());
    client.setDefaultHeader("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0");
    Response *r = client.get(server.url());
    FINISH(r, 10000);
    QCOMPARE(r->error(), Response::NoError);
    QVERIFY(!server.lastRequest().hasHeader("Proxy-Authorization"));
}

QTEST_MAIN(tst_Hostile)
#include "tst_hostile.moc"
