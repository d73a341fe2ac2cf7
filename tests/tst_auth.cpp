// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Authentication: Basic and Digest answered from credentials on the Client, the Request or the
// URL; preemptive Basic in one round trip; a bounded number of attempts ending in
// AuthenticationRequired with the 401 readable; bearer tokens; credentials that never reach
// another origin, another request, a log line or an error string. httpbin checks the protocol;
// the in-process server counts round trips and shows what was sent.

#include <Courier/Client>

#include "auth_p.h"
#include "peers.h"
#include "sha512_256_p.h"
#include "spy.h"
#include "testserver.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

namespace {

// Answers 401 with a Basic challenge unless the request carries exactly Basic user:passwd.
void basicProtected(TestConnection *c, const RawRequest &r)
{
    if (r.header("Authorization") == "Basic " + QByteArray("user:passwd").toBase64())
        return c->respond(200, "OK", {}, "welcome");
    c->respond(401, "Unauthorized", {{"WWW-Authenticate", "Basic realm=\"test\""}}, "who are you?");
}

// A Digest server of RFC 7616's: 401 with one WWW-Authenticate field per algorithm offered,
// then 200, with the algorithm answered as the body, for an answer that checks out. It checks
// with its own arithmetic (the hashes are the same; Courier's Digest code is not used).
struct DigestServer
{
    QList<QByteArray> algorithms;
    bool userhash = false;
    QString user;
    QString password;

    static constexpr char realm[] = "tests@courier";
    static constexpr char nonce[] = "0c7e1c8f3f2c4b0aa2f7b5f2";

    static QByteArray hash(const QByteArray &algorithm, const QByteArray &data)
    {
        const QByteArray base = algorithm.toUpper().replace("-SESS", "");
        if (base == "SHA-512-256")
            return sha512_256(data).toHex();
        return QCryptographicHash::hash(data, base == "SHA-256" ? QCryptographicHash::Sha256 : QCryptographicHash::Md5)
            .toHex();
    }

    bool accepts(const RawRequest &r) const
    {
        const QList<Auth::Challenge> credentials = Auth::parseChallenges(r.header("Authorization"));
        if (credentials.size() != 1 || credentials.first().scheme != "digest")
            return false;
        const QMap<QByteArray, QByteArray> &p = credentials.first().params;
        const QByteArray algorithm = p.value("algorithm");
        const auto h = [&algorithm](const QByteArray &data) { return hash(algorithm, data); };
        // One of username (perhaps hashed) and username* (RFC 8187), never both.
        const QByteArray name = user.toUtf8();
        const QByteArray extended = p.value("username*");
        const QByteArray sentName = !p.contains("username*") ? p.value("username")
            : extended.startsWith("UTF-8''")                 ? QByteArray::fromPercentEncoding(extended.mid(7))
                                                             : QByteArray();
        if (p.contains("username") == p.contains("username*") || sentName != (userhash ? h(name + ':' + realm) : name)
            || (p.value("userhash") == "true") != userhash || !algorithms.contains(algorithm)
            || p.value("realm") != realm || p.value("nonce") != nonce || p.value("uri") != r.target
            || p.value("qop") != "auth")
            return false;
        QByteArray ha1 = h(name + ':' + realm + ':' + password.toUtf8());
        if (algorithm.endsWith("-sess"))
            ha1 = h(ha1 + ':' + nonce + ':' + p.value("cnonce"));
        const QByteArray ha2 = h(r.method + ':' + r.target);
        return p.value("response")
            == h(ha1 + ':' + nonce + ':' + p.value("nc") + ':' + p.value("cnonce") + ":auth:" + ha2);
    }

    void operator()(TestConnection *c, const RawRequest &r) const
    {
        if (accepts(r))
            return c->respond(200, "OK", {},
                              Auth::parseChallenges(r.header("Authorization")).first().params.value("algorithm"));
        QList<QPair<QByteArray, QByteArray>> challenges;
        for (const QByteArray &algorithm : algorithms) {
            challenges.append({"WWW-Authenticate",
                               "Digest realm=\"" + QByteArray(realm) + "\", qop=\"auth\", algorithm=" + algorithm
                                   + ", nonce=\"" + nonce + "\", opaque=\"x\"" + (userhash ? ", userhash=true" : "")});
        }
        c->respond(401, "Unauthorized", challenges, "who are you?");
    }
};

QStringList capturedLog;
void captureMessages(QtMsgType, const QMessageLogContext &, const QString &message) { capturedLog << message; }

} // namespace

class tst_Auth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void basicOnChallenge();
    void digest_data();
    void digest();
    void digestRfc7616_data();
    void digestRfc7616();
    void challengeParsing();
    void unsupportedChallengeEndsAt401_data();
    void unsupportedChallengeEndsAt401();
    void wrongCredentialsEndWithThe401();
    void maximumAuthRetries_data();
    void maximumAuthRetries();
    void preemptiveBasicIsOneRoundTrip();
    void credentialsFromUrl();
    void requestCredentialsOverrideClient();
    void noCredentialsLeakToOtherRequests();
    void bearerToken();
    void bearerTokenWithControlCharactersIsRefused();
    void credentialsStayWithTheOrigin();
    void passwordNeverLogged();

private:
    HttpbinPeer httpbin;
    std::unique_ptr<TestServer> server;
};

void tst_Auth::initTestCase()
{
    COURIER_REQUIRE_PEER(httpbin);
    Client client;
    QCOMPARE(client.maximumAuthRetries(), 1);
    QVERIFY(!client.preemptiveAuthentication());
    QCOMPARE(Request().maximumAuthRetries(), -1);
    QVERIFY(!Request().preemptiveAuthentication().has_value());
}

void tst_Auth::init()
{
    server = std::make_unique<TestServer>();
    server->setHandler(basicProtected);
}

void tst_Auth::basicOnChallenge()
{
    Client client;
    client.setCredentials(QStringLiteral("user"), QStringLiteral("passwd"));
    Response *r = client.get(httpbin.url(QStringLiteral("/basic-auth/user/passwd")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->json().toObject().value(QLatin1String("authenticated")).toBool(), true);

    // On the wire: first without credentials, then with them, answering the challenge.
    Response *counted = client.get(server->url(QStringLiteral("/")));
    QVERIFY(counted->waitForFinished(20000));
    QCOMPARE(counted->readAll(), QByteArray("welcome"));
    QCOMPARE(server->requests().size(), 2);
    QVERIFY(!server->requests().at(0).hasHeader("Authorization"));
}

void tst_Auth::digest_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("auth, MD5") << QStringLiteral("/digest-auth/auth/user/passwd/MD5");
    QTest::newRow("auth-int, MD5") << QStringLiteral("/digest-auth/auth-int/user/passwd/MD5");
    QTest::newRow("no algorithm given") << QStringLiteral("/digest-auth/auth/user/passwd");
    // Qt 6.4's own Digest knows MD5 only; Courier's answers these too.
    QTest::newRow("auth, SHA-256") << QStringLiteral("/digest-auth/auth/user/passwd/SHA-256");
    QTest::newRow("auth, SHA-512") << QStringLiteral("/digest-auth/auth/user/passwd/SHA-512");
}

void tst_Auth::digest()
{
    QFETCH(QString, path);
    Client client;
    client.setCredentials(QStringLiteral("user"), QStringLiteral("passwd"));
    Response *r = client.get(httpbin.url(path));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->error(), Response::NoError);
}

void tst_Auth::digestRfc7616_data()
{
    // What httpbin does not offer: SHA-512-256, userhash, username*, a choice of challenges.
    QTest::addColumn<QList<QByteArray>>("offered"); // one WWW-Authenticate field each, in this order
    QTest::addColumn<bool>("userhash");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QByteArray>("answered");
    const QString user = QStringLiteral("user");
    const QString jason = QString::fromUtf8("J\xc3\xa4s\xc3\xb8n Doe");
    QTest::newRow("SHA-512-256") << QList<QByteArray>{"SHA-512-256"} << false << user << QByteArray("SHA-512-256");
    QTest::newRow("SHA-512-256-sess") << QList<QByteArray>{"SHA-512-256-sess"} << false << user
                                      << QByteArray("SHA-512-256-sess");
    QTest::newRow("userhash") << QList<QByteArray>{"SHA-256"} << true << user << QByteArray("SHA-256");
    QTest::newRow("userhash, a name in UTF-8")
        << QList<QByteArray>{"SHA-512-256"} << true << jason << QByteArray("SHA-512-256");
    QTest::newRow("username*") << QList<QByteArray>{"SHA-256"} << false << jason << QByteArray("SHA-256");
    QTest::newRow("SHA-256 rather than MD5")
        << QList<QByteArray>{"MD5", "SHA-256"} << false << user << QByteArray("SHA-256");
    QTest::newRow("SHA-512-256 rather than SHA-256 or MD5")
        << QList<QByteArray>{"MD5", "SHA-512-256", "SHA-256"} << false << user << QByteArray("SHA-512-256");
}

void tst_Auth::digestRfc7616()
{
    QFETCH(QList<QByteArray>, offered);
    QFETCH(bool, userhash);
    QFETCH(QString, user);
    QFETCH(QByteArray, answered);
    const QString password = QStringLiteral("Secret, or not?");
    server->setHandler(DigestServer{offered, userhash, user, password});
    Client client;
    client.setCredentials(user, password);
    Response *r = client.get(server->url(QStringLiteral("/doe.json?x=1")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->readAll(), answered);
    QCOMPARE(server->requests().size(), 2);
}

void tst_Auth::challengeParsing()
{
    // Two fields joined by Qt with ", ", a quoted comma and escaped quote, a token68 scheme.
    const QList<Auth::Challenge> c = Auth::parseChallenges(
        "Negotiate YWJj==, Basic realm=\"a, \\\"b\\\"\", charset=UTF-8, Digest realm=x, nonce=\"n\", "
        "qop=\"auth,auth-int\"");
    QCOMPARE(c.size(), 3);
    QCOMPARE(c.at(0).scheme, QByteArray("negotiate"));
    QCOMPARE(c.at(0).params.value(QByteArray()), QByteArray("YWJj=="));
    QCOMPARE(c.at(1).scheme, QByteArray("basic"));
    QCOMPARE(c.at(1).params.value("realm"), QByteArray("a, \"b\""));
    QCOMPARE(c.at(1).params.value("charset"), QByteArray("UTF-8"));
    QCOMPARE(c.at(2).params.value("qop"), QByteArray("auth,auth-int"));
    // Garbage never hangs nor crashes.
    for (const QByteArray &junk : {QByteArray(), QByteArray(",,,"), QByteArray("=\"unterminated"),
                                   QByteArray("Basic realm=\"x"), QByteArray("\x01\x02 = , ="), QByteArray(10000, '=')})
        Auth::parseChallenges(junk);
    QCOMPARE(Auth::authorization("Negotiate abc", "GET", "/", QStringLiteral("u"), QStringLiteral("p"), nullptr),
             QByteArray());
    QCOMPARE(Auth::authorization("Digest realm=x", "GET", "/", QStringLiteral("u"), QStringLiteral("p"), nullptr),
             QByteArray()); // no nonce
    QCOMPARE(Auth::authorization("Digest realm=x, nonce=n, qop=auth-int", "POST", "/", QStringLiteral("u"),
                                 QStringLiteral("p"), nullptr),
             QByteArray()); // auth-int needs the body, which a stream does not give
}

void tst_Auth::unsupportedChallengeEndsAt401_data()
{
    QTest::addColumn<QByteArray>("challenge");
    QTest::addColumn<QString>("logged"); // courier.auth's debug line says why
    QTest::newRow("Negotiate") << QByteArray("Negotiate")
                               << QStringLiteral("no challenge Courier can answer: Negotiate");
    QTest::newRow("a Digest algorithm of no RFC")
        << QByteArray("Digest realm=\"r\", nonce=\"n\", qop=\"auth\", algorithm=SHA3-256")
        << QStringLiteral("no challenge Courier can answer (Digest algorithm SHA3-256 is not supported)");
}

void tst_Auth::unsupportedChallengeEndsAt401()
{
    QFETCH(QByteArray, challenge);
    QFETCH(QString, logged);
    server->setHandler([challenge](TestConnection *c, const RawRequest &) {
        c->respond(401, "Unauthorized", {{"WWW-Authenticate", challenge}}, "not for you");
    });
    QLoggingCategory::setFilterRules(QStringLiteral("courier.auth.debug=true"));
    capturedLog.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureMessages);
    Client client;
    client.setCredentials(QStringLiteral("user"), QStringLiteral("passwd"));
    Response *r = client.get(server->url(QStringLiteral("/")));
    const bool finished = r->waitForFinished(20000);
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());
    QVERIFY(finished);
    QCOMPARE(r->statusCode(), 401);
    QCOMPARE(r->error(), Response::AuthenticationRequired);
    QCOMPARE(r->readAll(), QByteArray("not for you"));
    QCOMPARE(server->requests().size(), 1);
    QVERIFY2(std::any_of(capturedLog.cbegin(), capturedLog.cend(),
                         [&logged](const QString &line) { return line.contains(logged); }),
             qPrintable(capturedLog.join(QLatin1Char('\n'))));
}

void tst_Auth::wrongCredentialsEndWithThe401()
{
    Client client;
    client.setCredentials(QStringLiteral("user"), QStringLiteral("wrong"));
    Response *r = client.get(server->url(QStringLiteral("/")));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), 401);
    QCOMPARE(r->error(), Response::AuthenticationRequired);
    QCOMPARE(r->category(), Response::Content);
    QVERIFY(!r->hasTransportError());
    QCOMPARE(r->readAll(), QByteArray("who are you?"));
    QCOMPARE(server->requests().size(), 2); // one challenge answered, no loop
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QCOMPARE(log.count(QStringLiteral("headers")), 1); // the final 401 only
    const QList<TimelineEvent> events = r->timeline();
    QVERIFY(std::any_of(events.cbegin(), events.cend(),
                        [](const TimelineEvent &e) { return e.kind == TimelineEvent::Authenticating; }));
}

void tst_Auth::maximumAuthRetries_data()
{
    QTest::addColumn<int>("maximum");
    QTest::addColumn<int>("requests");
    QTest::newRow("0: never answer") << 0 << 1;
    QTest::newRow("1: answer once") << 1 << 2;
    QTest::newRow("3: answer three times") << 3 << 4;
}

void tst_Auth::maximumAuthRetries()
{
    QFETCH(int, maximum);
    QFETCH(int, requests);
    Client client;
    client.setCredentials(QStringLiteral("user"), QStringLiteral("wrong"));
    Request request(server->url(QStringLiteral("/")));
    request.setMaximumAuthRetries(maximum);
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::AuthenticationRequired);
    QCOMPARE(int(server->requests().size()), requests);
}

void tst_Auth::preemptiveBasicIsOneRoundTrip()
{
    Client client;
    client.setCredentials(QStringLiteral("user"), QStringLiteral("passwd"));
    client.setPreemptiveAuthentication(true);
    Response *r = client.get(server->url(QStringLiteral("/")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->readAll(), QByteArray("welcome"));
    QCOMPARE(server->requests().size(), 1);

    // Refused preemptive credentials count as the one attempt: no second try with the same.
    Request wrong(server->url(QStringLiteral("/")));
    wrong.setCredentials(QStringLiteral("user"), QStringLiteral("wrong"));
    Response *refused = client.send(wrong);
    QVERIFY(refused->waitForFinished(20000));
    QCOMPARE(refused->error(), Response::AuthenticationRequired);
    QCOMPARE(server->requests().size(), 2);
}

void tst_Auth::credentialsFromUrl()
{
    Client client;
    QUrl url = httpbin.url(QStringLiteral("/basic-auth/user/p%40ss"));
    url.setUserName(QStringLiteral("user"));
    url.setPassword(QStringLiteral("p@ss"));
    Response *r = client.get(url);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), 200);
    QVERIFY(r->url().userInfo().isEmpty()); // never part of a URL shown
    QVERIFY(r->request().url().userInfo().isEmpty());

    // Explicit credentials win over the URL's.
    Request request(url);
    request.setCredentials(QStringLiteral("user"), QStringLiteral("other"));
    Response *overridden = client.send(request);
    QVERIFY(overridden->waitForFinished(20000));
    QCOMPARE(overridden->statusCode(), 401);
}

void tst_Auth::requestCredentialsOverrideClient()
{
    Client client;
    client.setCredentials(QStringLiteral("user"), QStringLiteral("wrong"));
    Request request(server->url(QStringLiteral("/")));
    request.setCredentials(QStringLiteral("user"), QStringLiteral("passwd"));
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->readAll(), QByteArray("welcome"));
}

void tst_Auth::noCredentialsLeakToOtherRequests()
{
    // Qt would reuse credentials it cached for the host; Courier's requests each use their own.
    Client client;
    Request alice(server->url(QStringLiteral("/")));
    alice.setCredentials(QStringLiteral("user"), QStringLiteral("passwd"));
    Response *first = client.send(alice);
    QVERIFY(first->waitForFinished(20000));
    QCOMPARE(first->statusCode(), 200);

    Response *anonymous = client.get(server->url(QStringLiteral("/")));
    QVERIFY(anonymous->waitForFinished(20000));
    QCOMPARE(anonymous->statusCode(), 401);
    QVERIFY(!server->lastRequest().hasHeader("Authorization"));

    Request mallory(server->url(QStringLiteral("/")));
    mallory.setCredentials(QStringLiteral("user"), QStringLiteral("guess"));
    Response *other = client.send(mallory);
    QVERIFY(other->waitForFinished(20000));
    QCOMPARE(other->statusCode(), 401);
}

void tst_Auth::bearerToken()
{
    Client client;
    Response *missing = client.get(httpbin.url(QStringLiteral("/bearer")));
    QVERIFY(missing->waitForFinished(20000));
    QCOMPARE(missing->statusCode(), 401);

    client.setBearerToken("t0ken.abc");
    Response *r = client.get(httpbin.url(QStringLiteral("/bearer")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->json().toObject().value(QLatin1String("token")).toString(), QStringLiteral("t0ken.abc"));

    Request request(httpbin.url(QStringLiteral("/bearer")));
    request.setBearerToken("per-request");
    Response *own = client.send(request);
    QVERIFY(own->waitForFinished(20000));
    QCOMPARE(own->json().toObject().value(QLatin1String("token")).toString(), QStringLiteral("per-request"));
}

void tst_Auth::bearerTokenWithControlCharactersIsRefused()
{
    Client client;
    client.setBearerToken("abc\r\nX-Injected: 1");
    Response *r = client.get(server->url(QStringLiteral("/")));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::ProtocolInvalidOperation);
    QVERIFY2(r->errorString().contains(QLatin1String("bearer token")), qPrintable(r->errorString()));
    QCOMPARE(server->requests().size(), 0);
    QCOMPARE(log.sequence(), QStringLiteral("download error finished"));
}

void tst_Auth::credentialsStayWithTheOrigin()
{
    // The origin redirects to another port of the same host: its challenge gets no answer, and
    // neither preemptive Basic nor a bearer token are sent there.
    TestServer other;
    other.setHandler(basicProtected);
    server->setHandler([&other](TestConnection *c, const RawRequest &) {
        c->respond(302, "Found", {{"Location", other.url(QStringLiteral("/landing")).toEncoded()}});
    });
    for (const bool preemptive : {false, true}) {
        Client client;
        client.setCredentials(QStringLiteral("user"), QStringLiteral("passwd"));
        client.setPreemptiveAuthentication(preemptive);
        Response *r = client.get(server->url(QStringLiteral("/start")));
        QVERIFY(r->waitForFinished(20000));
        QCOMPARE(r->statusCode(), 401);
        QCOMPARE(r->error(), Response::AuthenticationRequired);
        for (const RawRequest &seen : other.requests())
            QVERIFY(!seen.hasHeader("Authorization"));
        QCOMPARE(server->lastRequest().hasHeader("Authorization"), preemptive);
    }
    Client bearer;
    bearer.setBearerToken("secret-token");
    Response *r = bearer.get(server->url(QStringLiteral("/start")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(server->lastRequest().header("Authorization"), QByteArray("Bearer secret-token"));
    QVERIFY(!other.lastRequest().hasHeader("Authorization"));
}

void tst_Auth::passwordNeverLogged()
{
    QLoggingCategory::setFilterRules(QStringLiteral("courier.*.debug=true"));
    capturedLog.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureMessages);

    Client client;
    QUrl url = server->url(QStringLiteral("/"));
    url.setUserName(QStringLiteral("user"));
    url.setPassword(QStringLiteral("Sup3rSecretPw"));
    Response *r = client.get(url);
    r->waitForFinished(20000);
    QUrl refused = url;
    refused.setPort(freePort());
    Response *failed = client.get(refused);
    failed->waitForFinished(20000);

    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());
    QCOMPARE(r->statusCode(), 401);
    QCOMPARE(failed->error(), Response::ConnectionRefused);
    QVERIFY(!capturedLog.isEmpty()); // debug output was on
    for (const QString &line : std::as_const(capturedLog))
        QVERIFY2(!line.contains(QLatin1String("Sup3rSecretPw")), qPrintable(line));
    for (Response *each : {r, failed}) {
        QVERIFY(!each->errorString().contains(QLatin1String("Sup3rSecretPw")));
        QVERIFY(!each->url().toString().contains(QLatin1String("Sup3rSecretPw")));
    }
}

QTEST_GUILESS_MAIN(tst_Auth)
#include "tst_auth.moc"
