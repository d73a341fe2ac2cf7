// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Courier's rules, one table per decision, with no engine, no server and no clock: what each
// pure function of src/ answers for each case. These tables are the reference of the rules;
// the suites with peers check that the engines carry the answers out.

#include <Courier/Request>
#include <Courier/Response>
#include <Courier/version.h>

#include "auth_p.h"
#include "authpolicy_p.h"
#include "cookies_p.h"
#if COURIER_HAS_CURL
#include "curlerrors_p.h"
#endif
#include "engine_p.h"
#include "eventsourcepolicy_p.h"
#include "headers_p.h"
#include "hoprequest_p.h"
#include "limits_p.h"
#include "options_p.h"
#include "outcome_p.h"
#include "peers.h"
#include "redirect_p.h"
#include "retry_p.h"
#include "sha512_256_p.h"
#include "status_p.h"
#include "url_p.h"

#include <QtCore/QBuffer>
#include <QtNetwork/QNetworkProxy>

#include <cerrno>
#include <QtTest/QTest>

using namespace Courier;
using namespace std::chrono_literals;

using Fields = QList<QPair<QByteArray, QByteArray>>;
Q_DECLARE_METATYPE(Response::Error)
Q_DECLARE_METATYPE(Fields)
Q_DECLARE_METATYPE(TimeoutKind)

class tst_Policy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eventSourceRefusal_data();
    void eventSourceRefusal();
    void eventSourceAfterEnding_data();
    void eventSourceAfterEnding();
    void eventSourceDelay_data();
    void eventSourceDelay();
    void redirectMethod_data();
    void redirectMethod();
    void redirectRefusals_data();
    void redirectRefusals();
    void redirectTarget_data();
    void redirectTarget();
    void redirectHeaders_data();
    void redirectHeaders();
    void redirectLimit();
    void authorizationFor_data();
    void authorizationFor();
    void answerChallenge_data();
    void answerChallenge();
    void credentialsFromUrl();
    void digest_data();
    void digest();
    void sha512_256_data();
    void sha512_256();
    void retryDelay_data();
    void retryDelay();
    void transient_data();
    void transient();
    void headerBlockSize_data();
    void headerBlockSize();
    void headerBlock_data();
    void headerBlock();
    void announcedLength_data();
    void announcedLength();
    void bodyLimits_data();
    void bodyLimits();
    void shortBody_data();
    void shortBody();
    void statusOutcome_data();
    void statusOutcome();
    void timeoutMessages_data();
    void timeoutMessages();
    void transportErrors_data();
    void transportErrors();
    void proxyErrors_data();
    void proxyErrors();
    void curlOutcome_data();
    void curlOutcome();
    void unprocessedHttp2_data();
    void unprocessedHttp2();
    void resolveOptions();
    void hopRequest();
    void urls_data();
    void urls();
    void cookies();
};

namespace {
Request bodyRequest(const QByteArray &method)
{
    Request r(QUrl(QStringLiteral("https://a.test/form#top")), method);
    if (method != "GET" && method != "HEAD")
        r.setBody("x=1", "application/x-www-form-urlencoded");
    r.setHeader("Authorization", "Bearer app");
    r.setHeader("Cookie", "a=1");
    r.setHeader("X-Key", "secret");
    return r;
}

RedirectRules rules(int maximum = 10, bool insecure = false)
{
    return RedirectRules{maximum, insecure, {QByteArrayLiteral("X-Key")}};
}
} // namespace

// --- Redirects (redirect_p.h) -----------------------------------------------------------------

void tst_Policy::redirectMethod_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("nextMethod");
    QTest::addColumn<bool>("keepsBody");
    // RFC 9110 section 15.4 and the Fetch standard: 303 turns everything but HEAD into a GET,
    // 301 and 302 turn POST into a GET, 307 and 308 never change the method or the body.
    const QList<QByteArray> methods{"GET", "HEAD", "POST", "PUT"};
    for (int status : {301, 302, 303, 307, 308}) {
        for (const QByteArray &method : methods) {
            const bool toGet = (status == 303 && method != "HEAD")
                || ((status == 301 || status == 302) && method == "POST");
            const QByteArray next = toGet ? QByteArray("GET") : method;
            const bool keeps = !toGet && method != "GET" && method != "HEAD";
            QTest::addRow("%d %s", status, method.constData()) << status << method << next << keeps;
        }
    }
}

void tst_Policy::redirectMethod()
{
    QFETCH(int, status);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, nextMethod);
    QFETCH(bool, keepsBody);
    const RedirectDecision d = decideRedirect(bodyRequest(method), status, "/next", 0, rules());
    QVERIFY(d.follows());
    QCOMPARE(d.next.method(), nextMethod);
    QCOMPARE(d.next.bodyKind() != Request::BodyKind::None, keepsBody);
    QCOMPARE(!d.next.contentType().isEmpty(), keepsBody);
    QVERIFY(!d.rewindBody); // bytes need no rewinding; a device does (redirectHeaders)
    QVERIFY(StatusRules::isFollowedRedirect(status));
}

void tst_Policy::redirectRefusals_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QByteArray>("location");
    QTest::addColumn<bool>("insecureAllowed");
    QTest::addColumn<Response::Error>("error");
    QTest::addColumn<QString>("message");

    const QString https = QStringLiteral("https://a.test/");
    QTest::newRow("file")
        << https << QByteArray("file:///etc/passwd") << false << Response::ProtocolUnknown
        << QStringLiteral(
               "Unsupported protocol: the server redirected to a \"file\" URL; only http and https are followed");
    QTest::newRow("data")
        << https << QByteArray("data:text/plain,hi") << false << Response::ProtocolUnknown
        << QStringLiteral(
               "Unsupported protocol: the server redirected to a \"data\" URL; only http and https are followed");
    QTest::newRow("javascript")
        << https << QByteArray("javascript:alert(1)") << false << Response::ProtocolUnknown
        << QStringLiteral(
               "Unsupported protocol: the server redirected to a \"javascript\" URL; only http and https are followed");
    QTest::newRow("ftp")
        << https << QByteArray("ftp://a.test/f") << false << Response::ProtocolUnknown
        << QStringLiteral(
               "Unsupported protocol: the server redirected to a \"ftp\" URL; only http and https are followed");
    QTest::newRow("empty") << https << QByteArray("  ") << false << Response::ProtocolFailure
                           << QStringLiteral("Protocol error: the server redirected to an invalid Location \"\"");
    QTest::newRow("no host") << https << QByteArray("http://") << false << Response::ProtocolFailure
                             << QStringLiteral(
                                    "Protocol error: the server redirected to an invalid Location \"http://\"");
    QTest::newRow("control characters")
        << https << QByteArray("http://[::1\r\nX: y") << false << Response::ProtocolFailure
        << QStringLiteral("Protocol error: the server redirected to an invalid Location \"http://[::1\\r\\nX: y\"");
    QTest::newRow("https to http")
        << https << QByteArray("http://a.test/") << false << Response::InsecureRedirect
        << QStringLiteral("Insecure redirect refused: https://a.test/ redirected from https to http://a.test/");
    QTest::newRow("https to http, allowed")
        << https << QByteArray("http://a.test/") << true << Response::NoError << QString();
    QTest::newRow("http to https") << QStringLiteral("http://a.test/") << QByteArray("https://a.test/") << false
                                   << Response::NoError << QString();
}

void tst_Policy::redirectRefusals()
{
    QFETCH(QString, from);
    QFETCH(QByteArray, location);
    QFETCH(bool, insecureAllowed);
    QFETCH(Response::Error, error);
    QFETCH(QString, message);
    const RedirectDecision d = decideRedirect(Request(QUrl(from)), 302, location, 0, rules(10, insecureAllowed));
    QCOMPARE(d.failure.error, error);
    QCOMPARE(d.failure.message, message);
    QCOMPARE(d.follows(), error == Response::NoError);
}

void tst_Policy::redirectTarget_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QByteArray>("location");
    QTest::addColumn<QString>("target");

    QTest::newRow("relative") << QStringLiteral("https://a.test/x/y") << QByteArray("z")
                              << QStringLiteral("https://a.test/x/z");
    QTest::newRow("absolute path") << QStringLiteral("https://a.test/x/y") << QByteArray("/z?q=1")
                                   << QStringLiteral("https://a.test/z?q=1");
    QTest::newRow("scheme-relative") << QStringLiteral("https://a.test/") << QByteArray("//b.test/p")
                                     << QStringLiteral("https://b.test/p");
    // RFC 9110 section 10.2.2: a Location without a fragment keeps the request's.
    QTest::newRow("fragment kept") << QStringLiteral("https://a.test/#top") << QByteArray("/b")
                                   << QStringLiteral("https://a.test/b#top");
    QTest::newRow("fragment replaced") << QStringLiteral("https://a.test/#top") << QByteArray("/b#end")
                                       << QStringLiteral("https://a.test/b#end");
    QTest::newRow("credentials dropped") << QStringLiteral("https://a.test/") << QByteArray("https://u:p@b.test/")
                                         << QStringLiteral("https://b.test/");
    QTest::newRow("surrounding spaces") << QStringLiteral("https://a.test/") << QByteArray(" /b ")
                                        << QStringLiteral("https://a.test/b");
}

void tst_Policy::redirectTarget()
{
    QFETCH(QString, from);
    QFETCH(QByteArray, location);
    QFETCH(QString, target);
    const RedirectDecision d = decideRedirect(Request(QUrl(from)), 301, location, 0, rules());
    QVERIFY2(d.follows(), qPrintable(d.failure.message));
    QCOMPARE(d.next.url().toString(), target);
}

void tst_Policy::redirectHeaders_data()
{
    QTest::addColumn<QByteArray>("location");
    QTest::addColumn<bool>("stripped");

    QTest::newRow("same origin") << QByteArray("/b") << false;
    QTest::newRow("same origin, default port spelled") << QByteArray("https://a.test:443/b") << false;
    QTest::newRow("host name case") << QByteArray("https://A.TEST/b") << false;
    QTest::newRow("another host") << QByteArray("https://b.test/") << true;
    QTest::newRow("a subdomain") << QByteArray("https://b.a.test/") << true;
    QTest::newRow("another port") << QByteArray("https://a.test:8443/") << true;
    QTest::newRow("another scheme") << QByteArray("http://a.test/") << true;
}

void tst_Policy::redirectHeaders()
{
    QFETCH(QByteArray, location);
    QFETCH(bool, stripped);
    Request hop = bodyRequest("PUT");
    hop.setHeader("Proxy-Authorization", "Basic cHJveHk=");
    hop.setHeader("Host", "a.test");
    hop.setHeader("X-Other", "kept");
    const RedirectDecision d = decideRedirect(hop, 307, location, 0, rules(10, true));
    QVERIFY(d.follows());
    QCOMPARE(d.crossOrigin, stripped);
    for (const char *name : {"Authorization", "Cookie", "Proxy-Authorization", "Host", "X-Key"})
        QVERIFY2(d.next.hasHeader(name) == !stripped, name);
    QCOMPARE(d.next.header("X-Other"), QByteArray("kept"));

    QBuffer device;
    device.setData("body");
    device.open(QIODevice::ReadOnly);
    hop.setBodyDevice(&device);
    QVERIFY(decideRedirect(hop, 307, location, 0, rules(10, true)).rewindBody);
    QVERIFY(!decideRedirect(hop, 303, location, 0, rules(10, true)).rewindBody);
}

void tst_Policy::redirectLimit()
{
    const Request hop(QUrl(QStringLiteral("https://a.test/")));
    QVERIFY(decideRedirect(hop, 302, "/b", 2, rules(3)).follows());
    const RedirectDecision d = decideRedirect(hop, 302, "/b", 3, rules(3));
    QCOMPARE(d.failure.error, Response::TooManyRedirects);
    QCOMPARE(d.failure.message,
             QStringLiteral("Too many redirects: stopped after 3, the limit (last one to https://a.test/b)"));
    // The scheme is refused before the limit: the message names what is wrong with the hop.
    QCOMPARE(decideRedirect(hop, 302, "file:///x", 3, rules(3)).failure.error, Response::ProtocolUnknown);
}

// --- Authentication (authpolicy_p.h) ----------------------------------------------------------

void tst_Policy::authorizationFor_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("own"); // the application's Authorization
    QTest::addColumn<QByteArray>("bearer");
    QTest::addColumn<bool>("preemptive");
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<bool>("preemptiveBasic");

    const QString origin = QStringLiteral("https://a.test/p");
    const QByteArray basic = "Basic dTpw"; // u:p
    QTest::newRow("nothing") << origin << QByteArray() << QByteArray() << false << QByteArray() << QByteArray()
                             << false;
    QTest::newRow("preemptive") << origin << QByteArray() << QByteArray() << true << QByteArray() << basic << true;
    QTest::newRow("answer") << origin << QByteArray() << QByteArray() << true << QByteArray("Digest x")
                            << QByteArray("Digest x") << false;
    QTest::newRow("bearer first") << origin << QByteArray() << QByteArray("t0k") << true << QByteArray("Digest x")
                                  << QByteArray("Bearer t0k") << false;
    QTest::newRow("the application's own")
        << origin << QByteArray("Custom") << QByteArray("t0k") << true << QByteArray() << QByteArray() << false;
    QTest::newRow("another origin") << QStringLiteral("https://b.test/") << QByteArray() << QByteArray("t0k") << true
                                    << QByteArray() << QByteArray() << false;
    QTest::newRow("another port") << QStringLiteral("https://a.test:444/") << QByteArray() << QByteArray() << true
                                  << QByteArray() << QByteArray() << false;
    QTest::newRow("downgraded scheme") << QStringLiteral("http://a.test/") << QByteArray() << QByteArray("t0k") << true
                                       << QByteArray() << QByteArray() << false;
}

void tst_Policy::authorizationFor()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, own);
    QFETCH(QByteArray, bearer);
    QFETCH(bool, preemptive);
    QFETCH(QByteArray, answer);
    QFETCH(QByteArray, header);
    QFETCH(bool, preemptiveBasic);
    Request hop{QUrl(url)};
    if (!own.isEmpty())
        hop.setHeader("Authorization", own);
    Options options = defaultOptions();
    options.credentials = {QStringLiteral("u"), QStringLiteral("p")};
    options.bearerToken = bearer;
    options.preemptiveAuthentication = preemptive;
    const Auth::HopAuthorization a = Auth::authorizationFor(hop, QUrl(QStringLiteral("https://a.test/")), options,
                                                            answer);
    QCOMPARE(a.header, header);
    QCOMPARE(a.preemptiveBasic, preemptiveBasic);
}

void tst_Policy::answerChallenge_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("challenge");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QByteArray>("bearer");
    QTest::addColumn<int>("offered");
    QTest::addColumn<QByteArray>("answerStart");
    QTest::addColumn<QString>("refusal");

    const QString origin = QStringLiteral("https://a.test/p");
    const QByteArray digest = "Digest realm=\"r\", nonce=\"n\", qop=\"auth\", algorithm=SHA-256";
    QTest::newRow("basic") << origin << QByteArray("Basic realm=\"r\"") << QStringLiteral("u") << QByteArray() << 0
                           << QByteArray("Basic dTpw") << QString();
    QTest::newRow("digest before basic") << origin << QByteArray("Basic realm=\"r\", " + digest) << QStringLiteral("u")
                                         << QByteArray() << 0 << QByteArray("Digest username=\"u\"") << QString();
    QTest::newRow("no credentials") << origin << QByteArray("Basic realm=\"r\"") << QString() << QByteArray() << 0
                                    << QByteArray() << QString();
    QTest::newRow("a bearer token answers for itself")
        << origin << QByteArray("Basic realm=\"r\"") << QStringLiteral("u") << QByteArray("t") << 0 << QByteArray()
        << QString();
    QTest::newRow("refused once already")
        << origin << QByteArray("Basic realm=\"r\"") << QStringLiteral("u") << QByteArray() << 1 << QByteArray()
        << QStringLiteral("the credentials were refused 1 time(s)");
    QTest::newRow("another origin") << QStringLiteral("https://b.test/") << QByteArray("Basic realm=\"r\"")
                                    << QStringLiteral("u") << QByteArray() << 0 << QByteArray()
                                    << QStringLiteral("the challenge comes from another origin than the request's");
    QTest::newRow("unsupported scheme") << origin << QByteArray("Negotiate abc=") << QStringLiteral("u") << QByteArray()
                                        << 0 << QByteArray()
                                        << QStringLiteral("no challenge Courier can answer: Negotiate abc=");
    QTest::newRow("unsupported Digest algorithm")
        << origin << QByteArray("Digest realm=\"r\", nonce=\"n\", algorithm=SHA3-256") << QStringLiteral("u")
        << QByteArray() << 0 << QByteArray()
        << QStringLiteral("no challenge Courier can answer (Digest algorithm SHA3-256 is not supported): "
                          "Digest realm=\"r\", nonce=\"n\", algorithm=SHA3-256");
}

void tst_Policy::answerChallenge()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, challenge);
    QFETCH(QString, user);
    QFETCH(QByteArray, bearer);
    QFETCH(int, offered);
    QFETCH(QByteArray, answerStart);
    QFETCH(QString, refusal);
    Options options = defaultOptions(); // one offer of credentials
    options.credentials = {user, QStringLiteral("p")};
    options.bearerToken = bearer;
    const Auth::ChallengeAnswer a = Auth::answerChallenge(Request(QUrl(url)), QUrl(QStringLiteral("https://a.test/")),
                                                          challenge, options, offered, "c0ffee");
    QVERIFY2(a.authorization.startsWith(answerStart), a.authorization.constData());
    QCOMPARE(a.authorization.isEmpty(), answerStart.isEmpty());
    QCOMPARE(a.refusal, refusal);
}

void tst_Policy::credentialsFromUrl()
{
    Credentials none;
    QCOMPARE(Auth::takeCredentialsFromUrl(QUrl(QStringLiteral("https://u%40x:p%3Aw@a.test/")), &none),
             QUrl(QStringLiteral("https://a.test/")));
    QCOMPARE(none.user, QStringLiteral("u@x"));
    QCOMPARE(none.password, QStringLiteral("p:w"));
    // Credentials set on the request or the Client win; the URL's are still taken out.
    Credentials set{QStringLiteral("me"), QStringLiteral("mine")};
    QCOMPARE(Auth::takeCredentialsFromUrl(QUrl(QStringLiteral("https://u:p@a.test/")), &set),
             QUrl(QStringLiteral("https://a.test/")));
    QCOMPARE(set.user, QStringLiteral("me"));
    Credentials untouched;
    QCOMPARE(Auth::takeCredentialsFromUrl(QUrl(QStringLiteral("https://a.test/")), &untouched),
             QUrl(QStringLiteral("https://a.test/")));
    QVERIFY(untouched.user.isNull());
}

// --- Digest (auth_p.h, sha512_256_p.h) --------------------------------------------------------

void tst_Policy::digest_data()
{
    QTest::addColumn<QByteArray>("challenge"); // the WWW-Authenticate value (repeated fields joined)
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body"); // the request's body
    QTest::addColumn<bool>("streamed"); // the body is a stream: Courier does not have it
    QTest::addColumn<QByteArray>("answer"); // the Authorization; empty: none
    QTest::addColumn<QString>("why"); // the reason there is none

    // RFC 7616 section 3.9.1, the same request answered with MD5 and with SHA-256.
    const QString mufasa = QStringLiteral("Mufasa");
    const QString lion = QStringLiteral("Circle of Life");
    const QByteArray challenge = "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", "
                                 "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
                                 "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", algorithm=";
    const QByteArray head = "realm=\"http-auth@example.org\", nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
                            "uri=\"/dir/index.html\", algorithm=";
    const QByteArray tail = "\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", qop=auth, nc=00000001, "
                            "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\"";
    const auto mufasaAnswer = [&](const QByteArray &algorithm, const QByteArray &response) -> QByteArray {
        return "Digest username=\"Mufasa\", " + head + algorithm + ", response=\"" + response + tail;
    };
    const QByteArray md5 = mufasaAnswer("MD5", "8ca523f5e9506fed4657c9700eebdbec");
    const QByteArray sha256 = mufasaAnswer("SHA-256",
                                           "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    QTest::newRow("RFC 7616 3.9.1, MD5") << challenge + "MD5" << mufasa << lion << QByteArray("GET") << QByteArray()
                                         << false << md5 << QString();
    QTest::newRow("RFC 7616 3.9.1, SHA-256")
        << challenge + "SHA-256" << mufasa << lion << QByteArray("GET") << QByteArray() << false << sha256 << QString();

    // RFC 7616 section 3.9.2. Its printed username and response (488869…, ae66e6…) were computed
    // with a draft of SHA-512/256, as erratum 4897 says; these are the erratum's, checked with
    // Python's hashlib. The response hashes the name itself; the hashed one replaces it.
    const QString jason = QString::fromUtf8("J\xc3\xa4s\xc3\xb8n Doe");
    const QString secret = QStringLiteral("Secret, or not?");
    const QByteArray api = "Digest realm=\"api@example.org\", qop=\"auth\", algorithm=SHA-512-256, "
                           "nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", "
                           "opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\", charset=UTF-8, userhash=";
    const QByteArray apiAnswer = "realm=\"api@example.org\", nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", "
                                 "uri=\"/doe.json\", algorithm=SHA-512-256, "
                                 "response=\"3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5\", "
                                 "opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\", qop=auth, nc=00000001, "
                                 "cnonce=\"NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v\"";
    QTest::newRow("RFC 7616 3.9.2, SHA-512-256, userhash")
        << api + "true" << jason << secret << QByteArray("GET") << QByteArray() << false
        << "Digest username=\"793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b\", " + apiAnswer
            + ", userhash=true"
        << QString();
    // Section 3.4.4: without userhash, a name a quoted-string cannot carry goes in username*.
    QTest::newRow("RFC 7616 3.9.2 without userhash: username*")
        << api + "false" << jason << secret << QByteArray("GET") << QByteArray() << false
        << "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, " + apiAnswer << QString();
    QTest::newRow("a control character: username*")
        << challenge + "MD5" << QStringLiteral("a\177b") << lion << QByteArray("GET") << QByteArray() << false
        << mufasaAnswer("MD5", "3f7bdaf1cd1217eb1d3ec7d9f5e42a9c")
               .replace("username=\"Mufasa\"", "username*=UTF-8''a%7Fb")
        << QString();
    QTest::newRow("quotes and backslashes are quoted")
        << challenge + "MD5" << QStringLiteral("say \"hi\"\\") << lion << QByteArray("GET") << QByteArray() << false
        << mufasaAnswer("MD5", "ec01ff07675d6e91bbd00aa875cd6683").replace("\"Mufasa\"", "\"say \\\"hi\\\"\\\\\"")
        << QString();

    // The other algorithms on 3.9.1's request (expected values from Python's hashlib).
    const QList<std::pair<QByteArray, QByteArray>> others = {
        {"MD5-sess", "e783283f46242139c486a698fec7211d"},
        {"SHA-256-sess", "2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7"},
        {"SHA-512-256", "430d05014cecc49cab6fbe03176d41a1da86cbfe24a16580e22aaad928d960d0"},
        {"SHA-512-256-sess", "3f2a34f923c38b0fb26dce2fdfc2ce326c23cecf86fbb1444f3e51fbbc2cb92e"},
        {"SHA-512",
         "27d9ebedb4e86595d8b99152ce456620c8e47c48afbd771dbc4468bb758ca66e"
         "7312383d49ad044219d4a2c5c218e66c584fa00b2728798bcff9435825eed0ad"},
        {"SHA-512-sess",
         "5bc820f8c0e5cf83d5ff0a673af99c13a028be576c765c41f23d4fb46722a447"
         "50a331317b0b8646d55243e0c06cbacf64cc061404459769fbedddb0ecfacc5f"},
    };
    for (const auto &[algorithm, response] : others) {
        QTest::addRow("%s", algorithm.constData())
            << challenge + algorithm << mufasa << lion << QByteArray("GET") << QByteArray() << false
            << mufasaAnswer(algorithm, response) << QString();
    }
    QTest::newRow("names are case-insensitive, sent back as they came")
        << challenge + "sha-512-256-Sess" << mufasa << lion << QByteArray("GET") << QByteArray() << false
        << mufasaAnswer("sha-512-256-Sess", "3f2a34f923c38b0fb26dce2fdfc2ce326c23cecf86fbb1444f3e51fbbc2cb92e")
        << QString();
    QTest::newRow("no algorithm: MD5") << challenge.chopped(12) << mufasa << lion << QByteArray("GET") << QByteArray()
                                       << false << md5 << QString();
    QTest::newRow("no qop (RFC 2069)")
        << QByteArray("Digest realm=\"http-auth@example.org\", nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\"")
        << mufasa << lion << QByteArray("GET") << QByteArray() << false
        << "Digest username=\"Mufasa\", " + head + "MD5, response=\"7b2cc3b30e75b4777ea31027084363fd\"" << QString();
    const QByteArray authInt = QByteArray(challenge).replace("\"auth, auth-int\"", "auth-int") + "SHA-256";
    QTest::newRow("auth-int") << authInt << mufasa << lion << QByteArray("POST") << QByteArray("hello") << false
                              << mufasaAnswer("SHA-256",
                                              "c98b95dbdb463c4483e324bced57d591946a6f84098142757b1333c52c47d62e")
                                     .replace("qop=auth,", "qop=auth-int,")
                              << QString();

    // Several challenges: Digest's strongest answerable (RFC 7616 section 3.7), then Basic.
    QTest::newRow("SHA-256 over MD5") << challenge + "MD5, " + challenge + "SHA-256" << mufasa << lion
                                      << QByteArray("GET") << QByteArray() << false << sha256 << QString();
    QTest::newRow("SHA-512-256 over SHA-256 and MD5")
        << challenge + "SHA-256, " + challenge + "SHA-512-256, " + challenge + "MD5" << mufasa << lion
        << QByteArray("GET") << QByteArray() << false
        << mufasaAnswer("SHA-512-256", "430d05014cecc49cab6fbe03176d41a1da86cbfe24a16580e22aaad928d960d0") << QString();
    const QByteArray otherRealm = QByteArray(challenge).replace("http-auth@", "other@") + "MD5";
    QTest::newRow("the first of equals") << challenge + "MD5, " + otherRealm << mufasa << lion << QByteArray("GET")
                                         << QByteArray() << false << md5 << QString();
    QTest::newRow("an unsupported algorithm is passed over")
        << challenge + "SHA3-256, " + challenge + "MD5" << mufasa << lion << QByteArray("GET") << QByteArray() << false
        << md5 << QString();
    QTest::newRow("a stronger challenge without nonce is passed over")
        << "Digest realm=\"x\", algorithm=SHA-256, " + challenge + "MD5" << mufasa << lion << QByteArray("GET")
        << QByteArray() << false << md5 << QString();
    QTest::newRow("Digest before Basic") << "Basic realm=\"b\", " + challenge + "MD5" << mufasa << lion
                                         << QByteArray("GET") << QByteArray() << false << md5 << QString();
    QTest::newRow("Basic when no Digest can be answered")
        << QByteArray("Digest realm=\"x\", nonce=\"n\", algorithm=SHA3-256, Basic realm=\"b\"") << mufasa << lion
        << QByteArray("GET") << QByteArray() << false << QByteArray("Basic TXVmYXNhOkNpcmNsZSBvZiBMaWZl") << QString();

    // None: the 401 stays the response, for these reasons.
    QTest::newRow("unsupported algorithm")
        << QByteArray("Digest realm=\"x\", nonce=\"n\", qop=auth, algorithm=SHA3-256") << mufasa << lion
        << QByteArray("GET") << QByteArray() << false << QByteArray()
        << QStringLiteral("Digest algorithm SHA3-256 is not supported");
    QTest::newRow("no nonce") << QByteArray("Digest realm=\"x\"") << mufasa << lion << QByteArray("GET") << QByteArray()
                              << false << QByteArray() << QStringLiteral("a Digest challenge has no nonce");
    QTest::newRow("auth-int without the body")
        << QByteArray("Digest realm=\"x\", nonce=\"n\", qop=auth-int") << mufasa << lion << QByteArray("POST")
        << QByteArray() << true << QByteArray()
        << QStringLiteral("Digest qop \"auth-int\" cannot be answered for a streamed body");
    QTest::newRow("unknown qop") << QByteArray("Digest realm=\"x\", nonce=\"n\", qop=\"auth-conf\"") << mufasa << lion
                                 << QByteArray("GET") << QByteArray() << false << QByteArray()
                                 << QStringLiteral("Digest qop \"auth-conf\" cannot be answered");
    // -sess hashes the client nonce into HA1, and without qop no cnonce is sent.
    QTest::newRow("-sess without qop") << QByteArray("Digest realm=\"x\", nonce=\"n\", algorithm=SHA-256-sess")
                                       << mufasa << lion << QByteArray("GET") << QByteArray() << false << QByteArray()
                                       << QStringLiteral("Digest algorithm SHA-256-sess without qop");
    QTest::newRow("every reason") << QByteArray("Digest realm=\"x\", algorithm=SHA-256, "
                                                "Digest realm=\"x\", nonce=\"n\", algorithm=SHA3")
                                  << mufasa << lion << QByteArray("GET") << QByteArray() << false << QByteArray()
                                  << QStringLiteral("Digest algorithm SHA3 is not supported; "
                                                    "a Digest challenge has no nonce");
    QTest::newRow("not Digest nor Basic") << QByteArray("Negotiate abc=") << mufasa << lion << QByteArray("GET")
                                          << QByteArray() << false << QByteArray() << QString();
}

void tst_Policy::digest()
{
    QFETCH(QByteArray, challenge);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);
    QFETCH(bool, streamed);
    QFETCH(QByteArray, answer);
    QFETCH(QString, why);
    // The request of RFC 7616 section 3.9.2 (realm api@example.org), or else of section 3.9.1.
    const bool api = challenge.contains("api@example.org");
    const QByteArray uri = api ? "/doe.json" : "/dir/index.html";
    const QByteArray cnonce = api ? "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v"
                                  : "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    QString reason;
    QCOMPARE(Auth::authorization(challenge, method, uri, user, password, streamed ? nullptr : &body, cnonce, &reason),
             answer);
    QCOMPARE(reason, why);
}

void tst_Policy::sha512_256_data()
{
    // FIPS 180-4's examples (NIST's SHA512_256.pdf) and the padding's edges: 111 bytes fill one
    // block, 112 need a second, 128 are a block and a padding block. Expected values from
    // Python's hashlib and `openssl dgst -sha512-256`, which agree.
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("digest");
    QByteArray high; // bytes 0x80 to 0xff: nothing sign-extends
    for (int b = 0x80; b <= 0xff; ++b)
        high += char(b);
    QByteArray counting;
    for (int i = 0; i < 240; ++i)
        counting += char(i);
    QTest::newRow("empty") << QByteArray()
                           << QByteArray("c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a");
    QTest::newRow("abc") << QByteArray("abc")
                         << QByteArray("53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23");
    QTest::newRow("two blocks") << QByteArray(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnop"
        "qrstnopqrstu") << QByteArray("3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a");
    QTest::newRow("111 bytes") << QByteArray(111, 'a')
                               << QByteArray("0239e429f98d0ed61ee8e2a7c30afe98c1c3a80ce5dff62a107e9c538f7632ce");
    QTest::newRow("112 bytes") << QByteArray(112, 'a')
                               << QByteArray("9216b5303edb66504570bee90e48ea5beaa5e9fe9f760bbd3e0460559fc005f6");
    QTest::newRow("128 bytes over 0x7f") << high
                                         << QByteArray(
                                                "7f607a19744463b9f2a1a648ec6f101280e8a7494541ff19d3acf6970895fc3a");
    QTest::newRow("240 bytes") << counting
                               << QByteArray("6ca13c55886b74a5ca2ac9782c4b9a49fe3aeeefdfc0cefc34984872fb4c54fd");
}

void tst_Policy::sha512_256()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, digest);
    QCOMPARE(Courier::sha512_256(data).toHex(), digest);
}

// --- Retries (retry_p.h) ----------------------------------------------------------------------

void tst_Policy::retryDelay_data()
{
    QTest::addColumn<int>("attempts"); // the policy's maximum
    QTest::addColumn<int>("attempt"); // made so far
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<int>("body"); // 0 none, 1 bytes, 2 seekable device, 3 sequential device, 4 multipart
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<int>("timeLeft"); // ms, -1 for no total timeout
    QTest::addColumn<bool>("started");
    QTest::addColumn<qint64>("delay"); // -1 for no retry

    // The policy: 100 ms, doubling, capped at 2 s, no jitter (random 0).
    QTest::newRow("disabled") << 1 << 1 << QByteArray("GET") << 0 << QByteArray() << -1 << false << qint64(-1);
    QTest::newRow("first retry") << 3 << 1 << QByteArray("GET") << 0 << QByteArray() << -1 << false << qint64(100);
    QTest::newRow("second retry doubles")
        << 3 << 2 << QByteArray("GET") << 0 << QByteArray() << -1 << false << qint64(200);
    QTest::newRow("attempts used") << 3 << 3 << QByteArray("GET") << 0 << QByteArray() << -1 << false << qint64(-1);
    QTest::newRow("POST is not idempotent")
        << 3 << 1 << QByteArray("POST") << 1 << QByteArray() << -1 << false << qint64(-1);
    QTest::newRow("PUT with bytes") << 3 << 1 << QByteArray("PUT") << 1 << QByteArray() << -1 << false << qint64(100);
    QTest::newRow("PUT with a seekable device")
        << 3 << 1 << QByteArray("PUT") << 2 << QByteArray() << -1 << false << qint64(100);
    QTest::newRow("PUT with a sequential device")
        << 3 << 1 << QByteArray("PUT") << 3 << QByteArray() << -1 << false << qint64(-1);
    QTest::newRow("PUT with multipart") << 3 << 1 << QByteArray("PUT") << 4 << QByteArray() << -1 << false
                                        << qint64(-1);
    QTest::newRow("response started") << 3 << 1 << QByteArray("GET") << 0 << QByteArray() << -1 << true << qint64(-1);
    QTest::newRow("Retry-After seconds") << 3 << 1 << QByteArray("GET") << 0 << QByteArray("1") << -1 << false
                                         << qint64(1000);
    QTest::newRow("Retry-After 0") << 3 << 1 << QByteArray("GET") << 0 << QByteArray("0") << -1 << false << qint64(0);
    QTest::newRow("Retry-After date") << 3 << 1 << QByteArray("GET") << 0 << QByteArray("Sun, 06 Nov 1994 08:49:38 GMT")
                                      << -1 << false << qint64(1500);
    QTest::newRow("Retry-After date past")
        << 3 << 1 << QByteArray("GET") << 0 << QByteArray("Sun, 06 Nov 1994 08:49:00 GMT") << -1 << false << qint64(0);
    QTest::newRow("Retry-After over the cap")
        << 3 << 1 << QByteArray("GET") << 0 << QByteArray("3") << -1 << false << qint64(-1);
    QTest::newRow("Retry-After garbage: the backoff")
        << 3 << 1 << QByteArray("GET") << 0 << QByteArray("soon") << -1 << false << qint64(100);
    QTest::newRow("within the total timeout")
        << 3 << 1 << QByteArray("GET") << 0 << QByteArray() << 101 << false << qint64(100);
    QTest::newRow("past the total timeout")
        << 3 << 1 << QByteArray("GET") << 0 << QByteArray() << 100 << false << qint64(-1);
    QTest::newRow("Retry-After past the total timeout")
        << 3 << 1 << QByteArray("GET") << 0 << QByteArray("1") << 999 << false << qint64(-1);
}

void tst_Policy::retryDelay()
{
    QFETCH(int, attempts);
    QFETCH(int, attempt);
    QFETCH(QByteArray, method);
    QFETCH(int, body);
    QFETCH(QByteArray, retryAfter);
    QFETCH(int, timeLeft);
    QFETCH(bool, started);
    QFETCH(qint64, delay);
    RetryPolicy policy(attempts);
    policy.setInitialDelay(100ms);
    policy.setMultiplier(2);
    policy.setMaximumDelay(2000ms);
    RetryContext context;
    context.attempt = attempt;
    context.method = method;
    const Request::BodyKind kinds[] = {Request::BodyKind::None, Request::BodyKind::Bytes, Request::BodyKind::Device,
                                       Request::BodyKind::Device, Request::BodyKind::Multipart};
    context.bodyKind = kinds[body];
    context.deviceRewindable = body == 2;
    context.responseStarted = started;
    context.retryAfter = retryAfter;
    context.now = QDateTime(QDate(1994, 11, 6), QTime(8, 49, 36, 500), Qt::UTC);
    context.random = 0;
    if (timeLeft >= 0)
        context.timeLeft = std::chrono::milliseconds(timeLeft);
    QString why;
    const auto answer = Courier::retryDelay(policy, context, &why);
    QCOMPARE(answer ? answer->count() : -1, delay);
    QCOMPARE(why.isEmpty(), delay >= 0);

    context.ended = true; // aborted, failed by Courier, or past the total timeout: never again
    QVERIFY(!Courier::retryDelay(policy, context));
}

void tst_Policy::transient_data()
{
    QTest::addColumn<QNetworkReply::NetworkError>("error");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("brokeWhileSending");
    QTest::addColumn<bool>("transient");

    QTest::newRow("refused") << QNetworkReply::ConnectionRefusedError << 0 << false << true;
    QTest::newRow("closed") << QNetworkReply::RemoteHostClosedError << 0 << false << true;
    QTest::newRow("temporary") << QNetworkReply::TemporaryNetworkFailureError << 0 << false << true;
    QTest::newRow("broke while sending") << QNetworkReply::UnknownNetworkError << 0 << true << true;
    QTest::newRow("closed mid-body") << QNetworkReply::RemoteHostClosedError << 200 << false << false;
    QTest::newRow("host not found") << QNetworkReply::HostNotFoundError << 0 << false << false;
    QTest::newRow("TLS") << QNetworkReply::SslHandshakeFailedError << 0 << false << false;
}

void tst_Policy::transient()
{
    QFETCH(QNetworkReply::NetworkError, error);
    QFETCH(int, status);
    QFETCH(bool, brokeWhileSending);
    QFETCH(bool, transient);
    QCOMPARE(isTransientFailure(error, status, brokeWhileSending), transient);
}

// --- Limits (limits_p.h) ----------------------------------------------------------------------

void tst_Policy::headerBlockSize_data()
{
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<Fields>("fields");
    QTest::addColumn<qint64>("size");

    // "HTTP/1.1 200 " is counted as 15 bytes with the reason's CRLF; each field as
    // name ": " value CRLF.
    QTest::newRow("status line only") << QByteArray("OK") << Fields{} << qint64(17);
    QTest::newRow("one field") << QByteArray() << Fields{{"A", "bc"}} << qint64(15 + 1 + 2 + 4);
    QTest::newRow("two fields") << QByteArray("OK") << Fields{{"Name", "value"}, {"X", ""}} << qint64(17 + 13 + 5);
}

void tst_Policy::headerBlockSize()
{
    QFETCH(QByteArray, reason);
    QFETCH(Fields, fields);
    QFETCH(qint64, size);
    QCOMPARE(Limits::headerBlockSize(reason, fields), size);
}

void tst_Policy::headerBlock_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<Fields>("fields");
    QTest::addColumn<QString>("refusal");
    QTest::addColumn<bool>("interim");

    QTest::newRow("200") << 200 << Fields{{"Content-Length", "3"}} << QString() << false;
    QTest::newRow("chunked") << 200 << Fields{{"Transfer-Encoding", "chunked"}} << QString() << false;
    QTest::newRow("repeated equal lengths") << 200 << Fields{{"Content-Length", "3, 3"}} << QString() << false;
    QTest::newRow("status 99")
        << 99 << Fields{}
        << QStringLiteral("Protocol error (a.test:443: the status code 99 is not an HTTP status, which is 100 to 599)")
        << false;
    QTest::newRow("status 600")
        << 600 << Fields{}
        << QStringLiteral("Protocol error (a.test:443: the status code 600 is not an HTTP status, which is 100 to 599)")
        << false;
    QTest::newRow("101") << 101 << Fields{}
                         << QStringLiteral("Protocol error (a.test:443: the server switched protocols (101) though the "
                                           "request asked for no upgrade)")
                         << false;
    QTest::newRow("103 as the final response")
        << 103 << Fields{}
        << QStringLiteral("Protocol error (a.test:443: an interim 103 response came as the final one: Qt 6.4's engine "
                          "reads no further "
                          "than a 1xx other than 100 Continue; the libcurl engine skips it)")
        << true;
    QTest::newRow("too large") << 200 << Fields{{"X", QByteArray(Response::MaximumHeaderSize, 'a')}}
                               << QStringLiteral("The response headers are too large: %1 bytes, more than %2")
                                      .arg(Response::MaximumHeaderSize + 15 + 2 + 1 + 4)
                                      .arg(Response::MaximumHeaderSize)
                               << false;
    QTest::newRow("two lengths") << 200 << Fields{{"Content-Length", "3, 4"}}
                                 << QStringLiteral("Protocol error (a.test:443: ") << false;
    QTest::newRow("length and chunked") << 200 << Fields{{"Content-Length", "3"}, {"Transfer-Encoding", "chunked"}}
                                        << QStringLiteral("Protocol error (a.test:443: ") << false;
    QTest::newRow("gzip transfer coding")
        << 200 << Fields{{"Transfer-Encoding", "gzip, chunked"}}
        << QStringLiteral("Protocol error (a.test:443: Transfer-Encoding \"gzip, chunked\" was not asked for; "
                          "only chunked may be used)")
        << false;
}

void tst_Policy::headerBlock()
{
    QFETCH(int, status);
    QFETCH(Fields, fields);
    QFETCH(QString, refusal);
    QFETCH(bool, interim);
    const Limits::HeaderVerdict verdict = Limits::checkHeaderBlock(status, "OK", Headers::Summary::of(fields),
                                                                   QUrl(QStringLiteral("https://a.test/")));
    // Framing refusals end with Headers::framingProblem()'s words, tested in tst_hostile.
    QVERIFY2(refusal.isEmpty() ? verdict.refusal.isEmpty() : verdict.refusal.startsWith(refusal),
             qPrintable(verdict.refusal));
    QCOMPARE(verdict.interim, interim);
}

void tst_Policy::announcedLength_data()
{
    QTest::addColumn<Fields>("fields");
    QTest::addColumn<qint64>("length");

    // What both engines count a body against.
    QTest::newRow("none") << Fields{} << qint64(-1);
    QTest::newRow("a number") << Fields{{"content-length", " 42 "}} << qint64(42);
    QTest::newRow("zero") << Fields{{"Content-Length", "0"}} << qint64(0);
    QTest::newRow("chunked wins") << Fields{{"Content-Length", "42"}, {"Transfer-Encoding", "Chunked"}} << qint64(-1);
    QTest::newRow("a list") << Fields{{"Content-Length", "42, 42"}} << qint64(-1);
    QTest::newRow("negative") << Fields{{"Content-Length", "-1"}} << qint64(-1);
    QTest::newRow("not a number") << Fields{{"Content-Length", "4x"}} << qint64(-1);
}

void tst_Policy::announcedLength()
{
    QFETCH(Fields, fields);
    QFETCH(qint64, length);
    QCOMPARE(Headers::announcedLength(fields), length);
    QVERIFY(Headers::isIdentityCoding("") && Headers::isIdentityCoding(" Identity "));
    QVERIFY(!Headers::isIdentityCoding("gzip") && !Headers::isIdentityCoding("identity, gzip"));
}

void tst_Policy::bodyLimits_data()
{
    QTest::addColumn<qint64>("contentLength");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<qint64>("maximum");
    QTest::addColumn<bool>("refusedAtHeaders");

    QTest::newRow("no limit") << qint64(1 << 30) << QByteArray() << qint64(0) << false;
    QTest::newRow("at the limit") << qint64(100) << QByteArray() << qint64(100) << false;
    QTest::newRow("over") << qint64(101) << QByteArray() << qint64(100) << true;
    QTest::newRow("identity") << qint64(101) << QByteArray(" Identity ") << qint64(100) << true;
    QTest::newRow("gzip: counted decoded") << qint64(101) << QByteArray("gzip") << qint64(100) << false;
    QTest::newRow("unknown length") << qint64(-1) << QByteArray() << qint64(100) << false;
}

void tst_Policy::bodyLimits()
{
    QFETCH(qint64, contentLength);
    QFETCH(QByteArray, encoding);
    QFETCH(qint64, maximum);
    QFETCH(bool, refusedAtHeaders);
    const QString refusal = Limits::bodyTooLargeByLength(contentLength, encoding, maximum);
    QCOMPARE(!refusal.isEmpty(), refusedAtHeaders);
    if (refusedAtHeaders)
        QCOMPARE(refusal,
                 QStringLiteral(
                     "The response body is too large: Content-Length is %1 bytes, and the maximum body size is %2")
                     .arg(contentLength)
                     .arg(maximum));
    // As the body comes: one byte over the limit fails, whatever the headers said.
    QVERIFY(Limits::bodyTooLarge(maximum, maximum).isEmpty());
    QCOMPARE(Limits::bodyTooLarge(maximum + 1, maximum).isEmpty(), maximum == 0);
}

void tst_Policy::shortBody_data()
{
    QTest::addColumn<qint64>("received");
    QTest::addColumn<qint64>("contentLength");
    QTest::addColumn<bool>("bodyless");
    QTest::addColumn<QString>("refusal");

    QTest::newRow("whole") << qint64(10) << qint64(10) << false << QString();
    QTest::newRow("no length") << qint64(3) << qint64(-1) << false << QString();
    QTest::newRow("HEAD, 204, 304") << qint64(0) << qint64(10) << true << QString();
    QTest::newRow("short") << qint64(3) << qint64(10) << false
                           << QStringLiteral("The server closed the connection early (a.test:80: after 3 of the 10 "
                                             "bytes announced by Content-Length)");
}

void tst_Policy::shortBody()
{
    QFETCH(qint64, received);
    QFETCH(qint64, contentLength);
    QFETCH(bool, bodyless);
    QFETCH(QString, refusal);
    QCOMPARE(Limits::shortBody(received, contentLength, bodyless, QUrl(QStringLiteral("http://a.test/"))), refusal);
    QVERIFY(StatusRules::hasNoBody("HEAD", 200));
    QVERIFY(StatusRules::hasNoBody("GET", 204) && StatusRules::hasNoBody("GET", 304)
            && StatusRules::hasNoBody("GET", 103));
    QVERIFY(!StatusRules::hasNoBody("GET", 200));
}

// --- Outcomes (outcome_p.h) -------------------------------------------------------------------

void tst_Policy::statusOutcome_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<Response::Error>("error");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QNetworkReply::NetworkError>("qtError");

    QTest::newRow("200") << 200 << Response::NoError << QString() << QNetworkReply::NoError;
    QTest::newRow("304") << 304 << Response::NoError << QString() << QNetworkReply::NoError;
    QTest::newRow("404") << 404 << Response::ContentNotFound
                         << QStringLiteral("Not found: the server replied 404 Reason")
                         << QNetworkReply::ContentNotFoundError;
    QTest::newRow("407") << 407 << Response::ProxyAuthenticationRequired
                         << QStringLiteral("Proxy authentication required: the proxy replied 407 Reason")
                         << QNetworkReply::ProxyAuthenticationRequiredError;
    QTest::newRow("418") << 418 << Response::UnknownContentError
                         << QStringLiteral("Client error: the server replied 418 Reason")
                         << QNetworkReply::ProtocolInvalidOperationError;
    QTest::newRow("503") << 503 << Response::ServiceUnavailable
                         << QStringLiteral("Service unavailable: the server replied 503 Reason")
                         << QNetworkReply::ServiceUnavailableError;
    QTest::newRow("599") << 599 << Response::UnknownServerError
                         << QStringLiteral("Server error: the server replied 599 Reason")
                         << QNetworkReply::UnknownServerError;
}

void tst_Policy::statusOutcome()
{
    QFETCH(int, status);
    QFETCH(Response::Error, error);
    QFETCH(QString, message);
    QFETCH(QNetworkReply::NetworkError, qtError);
    const Failure outcome = Courier::statusOutcome(status, QStringLiteral("Reason"));
    QCOMPARE(outcome.error, error);
    QCOMPARE(outcome.message, message);
    QVERIFY(!outcome.transport); // a complete exchange: the server's answer, not a broken transfer
    QCOMPARE(StatusRules::qtError(status), qtError);
    // Both engines report a 4xx or 5xx with the error Qt derives from it: the exchange worked.
    QVERIFY(exchangeWorked(qtError, status));
    QVERIFY(!exchangeWorked(QNetworkReply::RemoteHostClosedError, status));
}

void tst_Policy::timeoutMessages_data()
{
    QTest::addColumn<TimeoutKind>("kind");
    QTest::addColumn<QString>("message");

    QTest::newRow("connect") << TimeoutKind::Connect
                             << QStringLiteral(
                                    "Timed out (a.test:443: no connection within 250 ms, the connect timeout)");
    QTest::newRow("read") << TimeoutKind::Read
                          << QStringLiteral("Timed out (a.test:443: no data for 250 ms, the read timeout)");
    QTest::newRow("total") << TimeoutKind::Total
                           << QStringLiteral(
                                  "Timed out (a.test:443: the request took longer than its total timeout of 250 ms)");
}

void tst_Policy::timeoutMessages()
{
    QFETCH(TimeoutKind, kind);
    QFETCH(QString, message);
    const Failure f = timeoutFailure(kind, QStringLiteral("a.test:443"), 250ms);
    QCOMPARE(f.error, Response::Timeout);
    QCOMPARE(f.message, message);
    QVERIFY(f.transport);
}

void tst_Policy::transportErrors_data()
{
    QTest::addColumn<QNetworkReply::NetworkError>("qtError");
    QTest::addColumn<QString>("qtMessage");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("hasBody");
    QTest::addColumn<qint64>("sent");
    QTest::addColumn<qint64>("toSend");
    QTest::addColumn<qint64>("contentLength");
    QTest::addColumn<qint64>("received");
    QTest::addColumn<QStringList>("sslErrors");
    QTest::addColumn<Response::Error>("error");
    QTest::addColumn<QString>("message");

    const QString u = QStringLiteral("http://a.test:8080/x");
    QTest::newRow("refused") << QNetworkReply::ConnectionRefusedError << QStringLiteral("Connection refused") << 0 << u
                             << false << qint64(0) << qint64(0) << qint64(-1) << qint64(0) << QStringList()
                             << Response::ConnectionRefused << QStringLiteral("Connection refused (a.test:8080)");
    QTest::newRow("closed before a response")
        << QNetworkReply::RemoteHostClosedError << QStringLiteral("Connection closed") << 0 << u << false << qint64(0)
        << qint64(0) << qint64(-1) << qint64(0) << QStringList() << Response::RemoteHostClosed
        << QStringLiteral("The server closed the connection early (a.test:8080: before a complete HTTP response)");
    QTest::newRow("closed mid-body")
        << QNetworkReply::RemoteHostClosedError << QStringLiteral("Connection closed") << 200 << u << false << qint64(0)
        << qint64(0) << qint64(100) << qint64(40) << QStringList() << Response::RemoteHostClosed
        << QStringLiteral("The server closed the connection early (a.test:8080: after 40 of the 100 bytes "
                          "announced by Content-Length)");
    QTest::newRow("closed mid-chunked")
        << QNetworkReply::RemoteHostClosedError << QStringLiteral("Connection closed") << 200 << u << false << qint64(0)
        << qint64(0) << qint64(-1) << qint64(40) << QStringList() << Response::RemoteHostClosed
        << QStringLiteral("The server closed the connection early (a.test:8080: after 40 bytes of the body)");
    QTest::newRow("libcurl's words for a body cut short")
        << QNetworkReply::RemoteHostClosedError
        << QStringLiteral("Connection closed (transfer closed with 60 bytes remaining to read)") << 200 << u << false
        << qint64(0) << qint64(0) << qint64(100) << qint64(40) << QStringList() << Response::RemoteHostClosed
        << QStringLiteral("The server closed the connection early (a.test:8080: after 40 of the 100 bytes "
                          "announced by Content-Length)");
    QTest::newRow("reset mid-body, in Qt's words of nothing")
        << QNetworkReply::UnknownNetworkError << QStringLiteral("Unknown error") << 200 << u << false << qint64(0)
        << qint64(0) << qint64(100) << qint64(40) << QStringList() << Response::UnknownNetworkError
        << QStringLiteral("Network error (a.test:8080: after 40 of the 100 bytes announced by Content-Length)");
    QTest::newRow("broke while sending")
        << QNetworkReply::UnknownNetworkError << QStringLiteral("Unknown error") << 0 << u << true << qint64(1000)
        << qint64(5000) << qint64(-1) << qint64(0) << QStringList() << Response::RemoteHostClosed
        << QStringLiteral("The server closed the connection early (a.test:8080: while the request body was "
                          "being sent, after 1000 of 5000 bytes)");
    QTest::newRow("broke after sending") << QNetworkReply::UnknownNetworkError << QStringLiteral("Unknown error") << 0
                                         << u << true << qint64(5000) << qint64(5000) << qint64(-1) << qint64(0)
                                         << QStringList() << Response::UnknownNetworkError
                                         << QStringLiteral("Network error (a.test:8080)");
    QTest::newRow("re-send without a body")
        << QNetworkReply::ContentReSendError << QStringLiteral("Cannot resend") << 0 << u << false << qint64(0)
        << qint64(0) << qint64(-1) << qint64(0) << QStringList() << Response::RemoteHostClosed
        << QStringLiteral("The server closed the connection early (a.test:8080: before a complete HTTP response)");
    QTest::newRow("TLS alert after the handshake")
        << QNetworkReply::RemoteHostClosedError
        << QStringLiteral("error:0A00045C:SSL routines::tlsv13 alert certificate required") << 0
        << QStringLiteral("https://a.test/") << false << qint64(0) << qint64(0) << qint64(-1) << qint64(0)
        << QStringList() << Response::SslHandshakeFailed
        << QStringLiteral(
               "TLS handshake failed (a.test:443: error:0A00045C:SSL routines::tlsv13 alert certificate required)");
    QTest::newRow("certificate errors") << QNetworkReply::SslHandshakeFailedError << QStringLiteral("handshake") << 0
                                        << QStringLiteral("https://a.test/") << false << qint64(0) << qint64(0)
                                        << qint64(-1) << qint64(0)
                                        << QStringList{QStringLiteral("expired"), QStringLiteral("self-signed")}
                                        << Response::SslHandshakeFailed
                                        << QStringLiteral("TLS handshake failed (a.test:443: expired; self-signed)");
    QTest::newRow("libcurl's titled words")
        << QNetworkReply::SslHandshakeFailedError << QStringLiteral("TLS handshake failed (certificate verify failed)")
        << 0 << QStringLiteral("https://a.test/") << false << qint64(0) << qint64(0) << qint64(-1) << qint64(0)
        << QStringList() << Response::SslHandshakeFailed
        << QStringLiteral("TLS handshake failed (a.test:443: certificate verify failed)");
    QTest::newRow("no password in the message")
        << QNetworkReply::HostNotFoundError << QStringLiteral("Host http://u:s3cret@nowhere.test/ not found (s3cret)")
        << 0 << QStringLiteral("http://u:s3cret@nowhere.test/") << false << qint64(0) << qint64(0) << qint64(-1)
        << qint64(0) << QStringList() << Response::HostNotFound
        << QStringLiteral("Host not found (nowhere.test: Host http://nowhere.test/ not found (***))");
    QTest::newRow("host not found, Qt's words")
        << QNetworkReply::HostNotFoundError << QStringLiteral("Host a.test not found") << 0 << u << false << qint64(0)
        << qint64(0) << qint64(-1) << qint64(0) << QStringList() << Response::HostNotFound
        << QStringLiteral("Host not found (a.test)");
    QTest::newRow("refused for another reason")
        << QNetworkReply::ConnectionRefusedError << QStringLiteral("No route to host") << 0 << u << false << qint64(0)
        << qint64(0) << qint64(-1) << qint64(0) << QStringList() << Response::ConnectionRefused
        << QStringLiteral("Connection refused (a.test:8080: No route to host)");
}

void tst_Policy::proxyErrors_data()
{
    QTest::addColumn<int>("type"); // QNetworkProxy::ProxyType
    QTest::addColumn<QString>("url");
    QTest::addColumn<QNetworkReply::NetworkError>("qtError");
    QTest::addColumn<QString>("qtMessage");
    QTest::addColumn<Response::Error>("error");
    QTest::addColumn<QString>("message");

    const QString http = QStringLiteral("http://a.test:8080/x");
    const QString https = QStringLiteral("https://a.test/x");
    const auto refused = QStringLiteral("The proxy refused the connection (proxy.test:3128)");
    // Qt 6.4's words, and the libcurl engine's.
    QTest::newRow("HTTP proxy, http, Qt")
        << int(QNetworkProxy::HttpProxy) << http << QNetworkReply::ConnectionRefusedError
        << QStringLiteral("Connection refused") << Response::ProxyConnectionRefused << refused;
    QTest::newRow("caching HTTP proxy, http, Qt")
        << int(QNetworkProxy::HttpCachingProxy) << http << QNetworkReply::ConnectionRefusedError
        << QStringLiteral("Connection refused") << Response::ProxyConnectionRefused << refused;
    QTest::newRow("HTTP proxy, https, Qt")
        << int(QNetworkProxy::HttpProxy) << https << QNetworkReply::UnknownNetworkError
        << QStringLiteral("Proxy connection refused") << Response::ProxyConnectionRefused << refused;
    QTest::newRow("SOCKS5 proxy, Qt") << int(QNetworkProxy::Socks5Proxy) << http << QNetworkReply::UnknownNetworkError
                                      << QStringLiteral("Connection to proxy refused")
                                      << Response::ProxyConnectionRefused << refused;
    QTest::newRow("any proxy, libcurl") << int(QNetworkProxy::Socks5Proxy) << https
                                        << QNetworkReply::ProxyConnectionRefusedError
                                        << QStringLiteral("Proxy connection refused")
                                        << Response::ProxyConnectionRefused << refused;
    // Through a tunnel or SOCKS5, a refusal reported as the server's is the server's.
    QTest::newRow("SOCKS5 proxy, the server refused")
        << int(QNetworkProxy::Socks5Proxy) << http << QNetworkReply::ConnectionRefusedError
        << QStringLiteral("Connection refused") << Response::ConnectionRefused
        << QStringLiteral("Connection refused (a.test:8080)");
    QTest::newRow("HTTP proxy, https, the server refused")
        << int(QNetworkProxy::HttpProxy) << https << QNetworkReply::ConnectionRefusedError
        << QStringLiteral("Connection refused") << Response::ConnectionRefused
        << QStringLiteral("Connection refused (a.test:443)");
    QTest::newRow("HTTP proxy not found, Qt")
        << int(QNetworkProxy::HttpProxy) << http << QNetworkReply::HostNotFoundError
        << QStringLiteral("Host proxy.test not found") << Response::ProxyNotFound
        << QStringLiteral("Proxy not found (proxy.test)");
    QTest::newRow("proxy not found, libcurl")
        << int(QNetworkProxy::HttpProxy) << https << QNetworkReply::ProxyNotFoundError
        << QStringLiteral("Proxy not found") << Response::ProxyNotFound
        << QStringLiteral("Proxy not found (proxy.test)");
    QTest::newRow("no proxy") << int(QNetworkProxy::NoProxy) << http << QNetworkReply::ConnectionRefusedError
                              << QStringLiteral("Connection refused") << Response::ConnectionRefused
                              << QStringLiteral("Connection refused (a.test:8080)");
}

void tst_Policy::proxyErrors()
{
    QFETCH(int, type);
    QFETCH(QString, url);
    QFETCH(QNetworkReply::NetworkError, qtError);
    QFETCH(QString, qtMessage);
    QFETCH(Response::Error, error);
    QFETCH(QString, message);
    TransportError f;
    f.error = qtError;
    f.message = qtMessage;
    f.url = QUrl(url);
    f.proxy = QNetworkProxy(QNetworkProxy::ProxyType(type), QStringLiteral("proxy.test"), 3128);
    const Failure outcome = classifyTransportError(f);
    QCOMPARE(outcome.error, error);
    QCOMPARE(outcome.message, message);
}

// --- The libcurl engine's outcomes (curlerrors_p.h) ------------------------------------------

void tst_Policy::curlOutcome_data()
{
#if COURIER_HAS_CURL
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("osError"); // CURLINFO_OS_ERRNO
    QTest::addColumn<QNetworkReply::NetworkError>("error");
    QTest::addColumn<QString>("message");
    QTest::newRow("refused") << int(CURLE_COULDNT_CONNECT) << ECONNREFUSED << QNetworkReply::ConnectionRefusedError
                             << QStringLiteral("Connection refused");
    QTest::newRow("no route to host") << int(CURLE_COULDNT_CONNECT) << EHOSTUNREACH
                                      << QNetworkReply::ConnectionRefusedError << QStringLiteral("No route to host");
    // The server accepted the connection and reset it before libcurl looked at it: no refusal
    // (that is a reset in answer to the SYN), a connection closed, as Qt's engine reports it.
    QTest::newRow("reset as it was accepted")
        << int(CURLE_COULDNT_CONNECT) << ECONNRESET << QNetworkReply::RemoteHostClosedError
        << QStringLiteral("Connection closed before the request was sent (Connection reset by peer)");
#else
    // CI builds the libcurl engine: there its absence is a failure, not a skip.
    if (Courier::Test::inCI())
        QFAIL("built without the libcurl engine");
    QSKIP("built without the libcurl engine");
#endif
}

void tst_Policy::curlOutcome()
{
#if COURIER_HAS_CURL
    QFETCH(int, code);
    QFETCH(int, osError);
    QFETCH(QNetworkReply::NetworkError, error);
    QFETCH(QString, message);
    CurlResultFacts facts;
    facts.code = CURLcode(code);
    facts.osError = osError;
    facts.url = QUrl(QStringLiteral("http://a.test:8080/x"));
    const CurlOutcome outcome = classifyCurlResult(facts);
    QCOMPARE(outcome.error, error);
    QCOMPARE(outcome.message, message);
#endif
}

void tst_Policy::transportErrors()
{
    QFETCH(QNetworkReply::NetworkError, qtError);
    QFETCH(QString, qtMessage);
    QFETCH(int, status);
    QFETCH(QString, url);
    QFETCH(bool, hasBody);
    QFETCH(qint64, sent);
    QFETCH(qint64, toSend);
    QFETCH(qint64, contentLength);
    QFETCH(qint64, received);
    QFETCH(QStringList, sslErrors);
    QFETCH(Response::Error, error);
    QFETCH(QString, message);
    TransportError f;
    f.error = qtError;
    f.message = qtMessage;
    f.status = status;
    f.url = QUrl(url);
    f.hasBody = hasBody;
    f.sent = sent;
    f.toSend = toSend;
    f.contentLength = contentLength;
    f.received = received;
    f.sslErrors = sslErrors;
    const Failure outcome = classifyTransportError(f);
    QCOMPARE(outcome.error, error);
    QCOMPARE(outcome.message, message);
    QVERIFY(outcome.transport);
}

void tst_Policy::unprocessedHttp2_data()
{
    QTest::addColumn<QNetworkReply::NetworkError>("error");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("unprocessed");

    QTest::newRow("stopped accepting streams")
        << QNetworkReply::ContentReSendError
        << QStringLiteral("Server stopped accepting new streams before this stream was established") << true;
    QTest::newRow("GOAWAY") << QNetworkReply::ProtocolUnknownError
                            << QStringLiteral("GOAWAY received, cannot start a request") << true;
    QTest::newRow("REFUSED_STREAM") << QNetworkReply::ProtocolFailure << QStringLiteral("Server refused a stream")
                                    << true;
    QTest::newRow("another re-send") << QNetworkReply::ContentReSendError << QStringLiteral("Cannot resend") << false;
    QTest::newRow("closed") << QNetworkReply::RemoteHostClosedError << QStringLiteral("GOAWAY received") << false;
}

void tst_Policy::unprocessedHttp2()
{
    QFETCH(QNetworkReply::NetworkError, error);
    QFETCH(QString, message);
    QFETCH(bool, unprocessed);
    QCOMPARE(isUnprocessedHttp2(error, message), unprocessed);
}

// --- Options (options_p.h) --------------------------------------------------------------------

void tst_Policy::resolveOptions()
{
    Options client = defaultOptions();
    QCOMPARE(client.connectTimeout, Client::DefaultConnectTimeout);
    QCOMPARE(client.maximumRedirects, Client::DefaultMaximumRedirects);
    client.sensitiveHeaders = {"X-Client"};
    client.credentials = {QStringLiteral("c"), QStringLiteral("cp")};
    client.bearerToken = "client-token";

    // Nothing overridden: the Client's values.
    Options o = resolve(client, OptionOverrides());
    QCOMPARE(o.readTimeout, Client::DefaultReadTimeout);
    QCOMPARE(o.credentials.user, QStringLiteral("c"));
    QCOMPARE(o.sensitiveHeaders, QList<QByteArray>{"X-Client"});

    OptionOverrides request;
    request.readTimeout = 0ms; // zero is a value (no timeout), not "unset"
    request.maximumRedirects = 0;
    request.sensitiveHeaders = QList<QByteArray>{"X-Request"};
    request.credentials = Credentials{QStringLiteral("r"), QString()};
    request.bearerToken = QByteArray("request-token");
    request.protocol = Request::Protocol::Http1;
    request.readBufferSize = 4096;
    o = resolve(client, request);
    QCOMPARE(o.readTimeout, 0ms);
    QCOMPARE(o.connectTimeout, Client::DefaultConnectTimeout);
    QCOMPARE(o.maximumRedirects, 0);
    QCOMPARE(o.sensitiveHeaders, (QList<QByteArray>{"X-Client", "X-Request"})); // they add up
    QCOMPARE(o.credentials.user, QStringLiteral("r"));
    QCOMPARE(o.credentials.password, QString()); // replaced as a whole
    QCOMPARE(o.bearerToken, QByteArray("request-token"));
    QCOMPARE(o.protocol, Request::Protocol::Http1);
    QCOMPARE(o.readBufferSize, qint64(4096));

    // The public Request API maps onto the overrides: negative means "the Client's".
    Request r;
    r.setReadTimeout(Request::UseClientDefault);
    r.setMaximumRedirects(-1);
    QCOMPARE(r.readTimeout(), Request::UseClientDefault);
    QCOMPARE(r.maximumRedirects(), -1);
    r.setMaximumRedirects(0);
    QCOMPARE(r.maximumRedirects(), 0);
}

// --- The hop's request (hoprequest_p.h) -------------------------------------------------------

void tst_Policy::hopRequest()
{
    HopSpec spec;
    spec.request = Request(QUrl(QStringLiteral("https://a.test/p")), "POST");
    spec.request.setBody("{}", "application/json");
    spec.request.setHeader("Cookie", "own=1");
    spec.request.setHeader("Proxy-Authorization", "Basic eA==");
    spec.request.setHeader("X-Twice", "1");
    spec.request.addHeader("X-Twice", "2");
    spec.request.setUserAgent("agent/1");
    spec.protocol = Request::Protocol::Http2PriorKnowledge;
    spec.cookies = {QNetworkCookie("jar", "2")};
    spec.authorization = "Bearer t";
    spec.connectionName = QStringLiteral("A.test");
    spec.tls.addPinnedPublicKey("sha256//" + QByteArray(32, 'k').toBase64());

    const QNetworkRequest nr = buildHopRequest(spec);
    QCOMPARE(nr.url(), spec.request.url());
    QCOMPARE(nr.attribute(QNetworkRequest::RedirectPolicyAttribute).toInt(),
             int(QNetworkRequest::ManualRedirectPolicy));
    QCOMPARE(nr.attribute(QNetworkRequest::AuthenticationReuseAttribute).toInt(), int(QNetworkRequest::Manual));
    QCOMPARE(nr.attribute(QNetworkRequest::CookieLoadControlAttribute).toInt(), int(QNetworkRequest::Manual));
    // Over TLS HTTP/2 is chosen with ALPN: prior knowledge is for h2c only.
    QVERIFY(nr.attribute(QNetworkRequest::Http2AllowedAttribute).toBool());
    QVERIFY(!nr.attribute(QNetworkRequest::Http2DirectAttribute).toBool());
    QCOMPARE(nr.rawHeader("Cookie"), QByteArray("own=1; jar=2"));
    QVERIFY(!nr.hasRawHeader("Proxy-Authorization")); // it would go inside the tunnel
    QCOMPARE(nr.rawHeader("X-Twice"), QByteArray("1, 2"));
    QCOMPARE(nr.rawHeader("User-Agent"), QByteArray("agent/1"));
    QVERIFY(nr.rawHeader("Accept-Encoding").contains("gzip"));
    QCOMPARE(nr.rawHeader("Authorization"), QByteArray("Bearer t"));
    QCOMPARE(nr.rawHeader("Content-Type"), QByteArray("application/json"));
    QCOMPARE(nr.peerVerifyName(), QStringLiteral("A.test"));
    QCOMPARE(nr.attribute(CurlAttribute::PinnedPublicKeys).value<QList<QByteArray>>(), spec.tls.pinnedPublicKeys());

    spec.request = Request(QUrl(QStringLiteral("http://a.test/")));
    spec.request.setHeader("Accept-Encoding", "identity");
    spec.request.setHeader("Proxy-Authorization", "Basic eA==");
    spec.cookies.clear();
    const QNetworkRequest plain = buildHopRequest(spec);
    QVERIFY(plain.attribute(QNetworkRequest::Http2DirectAttribute).toBool());
    QCOMPARE(plain.rawHeader("Accept-Encoding"), QByteArray("identity")); // the application decodes its own
    QVERIFY(plain.hasRawHeader("Proxy-Authorization")); // the proxy reads it over http
    QVERIFY(!plain.hasRawHeader("Cookie"));
    QVERIFY(!plain.attribute(CurlAttribute::PinnedPublicKeys).isValid()); // pins are for https
}

// --- URLs and cookies, shared by both engines (url_p.h, cookies_p.h) --------------------------

void tst_Policy::urls_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("sameOrigin");
    QTest::addColumn<QString>("hostAndPort");
    QTest::addColumn<QString>("origin");

    QTest::newRow("default port") << QStringLiteral("https://a.test/") << QStringLiteral("https://a.test:443/x") << true
                                  << QStringLiteral("a.test:443") << QStringLiteral("https://a.test:443");
    QTest::newRow("case") << QStringLiteral("HTTP://A.test/") << QStringLiteral("http://a.TEST:80/") << true
                          << QStringLiteral("a.test:80") << QStringLiteral("http://a.test:80");
    QTest::newRow("port") << QStringLiteral("http://a.test:8080/") << QStringLiteral("http://a.test/") << false
                          << QStringLiteral("a.test:8080") << QStringLiteral("http://a.test:8080");
    QTest::newRow("scheme") << QStringLiteral("https://a.test/") << QStringLiteral("http://a.test:443/") << false
                            << QStringLiteral("a.test:443") << QStringLiteral("https://a.test:443");
    QTest::newRow("IPv6") << QStringLiteral("http://[::1]:81/") << QStringLiteral("http://[::1]:81/") << true
                          << QStringLiteral("::1:81") << QStringLiteral("http://[::1]:81");
}

void tst_Policy::urls()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, sameOrigin);
    QFETCH(QString, hostAndPort);
    QFETCH(QString, origin);
    QCOMPARE(Url::sameOrigin(QUrl(a), QUrl(b)), sameOrigin);
    QCOMPARE(Url::sameOrigin(QUrl(b), QUrl(a)), sameOrigin);
    QCOMPARE(Url::hostAndPort(QUrl(a)), hostAndPort);
    QCOMPARE(Url::origin(QUrl(a)), origin);
    QCOMPARE(Url::redacted(QUrl(QStringLiteral("https://u:p@a.test/x"))), QStringLiteral("https://a.test/x"));

    QUrlQuery query;
    query.addQueryItem(QStringLiteral("q"), QStringLiteral("a b&c"));
    QCOMPARE(Url::withQuery(QUrl(QStringLiteral("http://a.test/?x=1")), query).toString(QUrl::FullyEncoded),
             QStringLiteral("http://a.test/?x=1&q=a%20b%26c"));
    QCOMPARE(Url::withQuery(QUrl(QStringLiteral("http://a.test/")), QUrlQuery()),
             QUrl(QStringLiteral("http://a.test/")));
}

void tst_Policy::cookies()
{
    QCOMPARE(Cookies::requestHeader(QByteArray(), {QNetworkCookie("a", "1"), QNetworkCookie("b", "2")}),
             QByteArray("a=1; b=2"));
    QCOMPARE(Cookies::requestHeader("own=0", {QNetworkCookie("a", "1")}), QByteArray("own=0; a=1"));
    QCOMPARE(Cookies::requestHeader("own=0", {}), QByteArray("own=0"));
    // Repeated Set-Cookie fields come joined with '\n'; a bare CR inside one is a space.
    const QList<QNetworkCookie> set = Cookies::fromSetCookie("a=1; Path=/\nb=2\r; Secure");
    QCOMPARE(set.size(), 2);
    QCOMPARE(set.at(0).name(), QByteArray("a"));
    QCOMPARE(set.at(1).name(), QByteArray("b"));
    QVERIFY(set.at(1).isSecure());
}

// --- EventSource (src/eventsourcepolicy.cpp) ---

void tst_Policy::eventSourceRefusal_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("refusal"); // empty: the stream opens; else words of the refusal
    QTest::newRow("200 event-stream") << 200 << QByteArray("text/event-stream") << QString();
    QTest::newRow("parameters ignored") << 200 << QByteArray("text/event-stream; charset=utf-8") << QString();
    QTest::newRow("case and spaces") << 200 << QByteArray(" Text/Event-Stream ;x=y") << QString();
    QTest::newRow("204: the server says stop")
        << 204 << QByteArray("text/event-stream") << QStringLiteral("204 No Content");
    QTest::newRow("other 2xx") << 201 << QByteArray("text/event-stream") << QStringLiteral("201");
    QTest::newRow("404") << 404 << QByteArray("text/html") << QStringLiteral("404");
    QTest::newRow("500") << 500 << QByteArray("text/event-stream") << QStringLiteral("500");
    QTest::newRow("html") << 200 << QByteArray("text/html") << QStringLiteral("text/html");
    QTest::newRow("no Content-Type") << 200 << QByteArray() << QStringLiteral("no Content-Type");
    QTest::newRow("prefix only") << 200 << QByteArray("text/event-streams") << QStringLiteral("text/event-streams");
}

void tst_Policy::eventSourceRefusal()
{
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, refusal);
    const QString got = EventSourcePolicy::refusal(status, QStringLiteral("Reason"), contentType);
    if (refusal.isEmpty())
        QVERIFY2(got.isEmpty(), qPrintable(got));
    else
        QVERIFY2(got.contains(refusal), qPrintable(got));
}

void tst_Policy::eventSourceAfterEnding_data()
{
    QTest::addColumn<int>("error");
    QTest::addColumn<bool>("transport");
    QTest::addColumn<bool>("reconnect");
    QTest::newRow("clean end") << int(Response::NoError) << false << true;
    QTest::newRow("refused") << int(Response::ConnectionRefused) << true << true;
    QTest::newRow("closed") << int(Response::RemoteHostClosed) << true << true;
    QTest::newRow("host not found") << int(Response::HostNotFound) << true << true;
    QTest::newRow("timeout (idle)") << int(Response::Timeout) << true << true;
    QTest::newRow("protocol failure") << int(Response::ProtocolFailure) << true << true;
    QTest::newRow("temporary failure") << int(Response::TemporaryNetworkFailure) << true << true;
    QTest::newRow("aborted") << int(Response::OperationCanceled) << true << false;
    QTest::newRow("TLS") << int(Response::SslHandshakeFailed) << true << false;
    QTest::newRow("too many redirects") << int(Response::TooManyRedirects) << true << false;
    QTest::newRow("insecure redirect") << int(Response::InsecureRedirect) << true << false;
    QTest::newRow("scheme") << int(Response::ProtocolUnknown) << true << false;
    QTest::newRow("invalid") << int(Response::ProtocolInvalidOperation) << true << false;
    QTest::newRow("item or body too large") << int(Response::UnknownContentError) << true << false;
    QTest::newRow("an error status's category") << int(Response::ContentNotFound) << false << false;
}

void tst_Policy::eventSourceAfterEnding()
{
    QFETCH(int, error);
    QFETCH(bool, transport);
    QFETCH(bool, reconnect);
    const EventSourcePolicy::Decision decision = EventSourcePolicy::afterEnding(
        {Response::Error(error), transport, QStringLiteral("the words")});
    QCOMPARE(decision.reconnect, reconnect);
    QVERIFY(!decision.why.isEmpty());
}

void tst_Policy::eventSourceDelay_data()
{
    QTest::addColumn<int>("reconnectionTime");
    QTest::addColumn<int>("failedAttempts");
    QTest::addColumn<int>("maximum");
    QTest::addColumn<int>("delay");
    QTest::newRow("after events") << 3000 << 0 << 30000 << 3000;
    QTest::newRow("first failure") << 3000 << 1 << 30000 << 3000;
    QTest::newRow("second") << 3000 << 2 << 30000 << 6000;
    QTest::newRow("third") << 3000 << 3 << 30000 << 12000;
    QTest::newRow("capped") << 3000 << 5 << 30000 << 30000;
    QTest::newRow("many, no overflow") << 3000 << 100000 << 30000 << 30000;
    QTest::newRow("retry: 0 after events") << 0 << 0 << 30000 << 0;
    QTest::newRow("retry: 0, first failure") << 0 << 1 << 30000 << 0;
    QTest::newRow("retry: 0, failing: floor") << 0 << 2 << 30000 << 1000;
    QTest::newRow("retry: 0, failing more") << 0 << 4 << 30000 << 4000;
    QTest::newRow("small retry, failing") << 10 << 3 << 30000 << 2000;
    QTest::newRow("huge retry capped") << INT_MAX << 0 << 30000 << 30000;
    QTest::newRow("cap below floor") << 0 << 5 << 100 << 100;
}

void tst_Policy::eventSourceDelay()
{
    QFETCH(int, reconnectionTime);
    QFETCH(int, failedAttempts);
    QFETCH(int, maximum);
    QFETCH(int, delay);
    using std::chrono::milliseconds;
    QCOMPARE(EventSourcePolicy::delay(milliseconds(reconnectionTime), failedAttempts, milliseconds(maximum)).count(),
             delay);
}

QTEST_GUILESS_MAIN(tst_Policy)
#include "tst_policy.moc"
