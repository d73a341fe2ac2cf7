// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Request: value semantics, headers, validation helpers, and every kind of body and query as it
// arrives on the wire at the in-process server. The value types' equality and debug output
// (Request, TlsOptions, RetryPolicy, DownloadOptions, TimelineEvent), without a network.

#include <Courier/Client>
#include <Courier/Request>

#include "peers.h"
#include "testserver.h"

#include <QtCore/QBuffer>
#include <QtCore/QDebug>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryFile>
#include <QtNetwork/QHttpMultiPart>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

Q_DECLARE_METATYPE(Courier::TlsOptions)
Q_DECLARE_METATYPE(Courier::DownloadOptions)

namespace {

// The columns of an equality test: a value, the same with one member changed, and that change
// made again to a value built apart (so that equality is seen member by member, not through
// shared data).
template <typename T>
void equalityColumns()
{
    QTest::addColumn<T>("original");
    QTest::addColumn<T>("changed");
    QTest::addColumn<T>("again");
}

template <typename Make, typename Change>
void equalityRow(const char *name, Make make, Change change)
{
    auto changed = make();
    auto again = make();
    change(changed);
    change(again);
    QTest::newRow(name) << make() << changed << again;
}

template <typename T>
void checkEquality()
{
    QFETCH(T, original);
    QFETCH(T, changed);
    QFETCH(T, again);
    QVERIFY(changed != original);
    QVERIFY(original != changed);
    QVERIFY(!(changed == original));
    QVERIFY(changed == again);
    QVERIFY(!(changed != again));
    const T copy = changed;
    QVERIFY(copy == changed);
    QVERIFY(original == original);
}

// What qDebug() shows of \a value.
template <typename T>
QString debugged(const T &value)
{
    QString out;
    QDebug(&out).nospace() << value;
    return out;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_Request : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void implicitSharing();
    void requestEquality_data();
    void requestEquality();
    void tlsOptionsEquality_data();
    void tlsOptionsEquality();
    void retryPolicyEquality_data();
    void retryPolicyEquality();
    void downloadOptionsEquality_data();
    void downloadOptionsEquality();
    void timelineEventEquality_data();
    void timelineEventEquality();
    void debugRequest_data();
    void debugRequest();
    void debugRequestHidesSecrets();
    void debugTlsOptions();
    void debugRetryPolicy();
    void debugTimelineEvent();
    void headers();
    void validators_data();
    void validators();
    void wire_data();
    void wire();
    void everyMethodOnTheWire_data();
    void everyMethodOnTheWire();
    void streamedFileBody();
    void multipartBody();
    void unsupportedDataType();

private:
    RawRequest roundTrip(const Request &request);
    std::unique_ptr<TestServer> server;
    std::unique_ptr<Client> client;
    TestPki pki;
    TlsOptions withClientCertificate; // client.pem with its key, read with the passphrase "secret"
    QBuffer deviceA; // bodies compared by pointer
    QBuffer deviceB;
    QHttpMultiPart multipartA;
    QHttpMultiPart multipartB;
};

void tst_Request::initTestCase()
{
    QString why;
    QVERIFY2(pki.create(&why), qPrintable(why));
    multipartB.setBoundary(multipartA.boundary()); // the same Content-Type: only the pointer differs
    QVERIFY(withClientCertificate.setClientCertificateFromPem(
        readFile(pki.file(QStringLiteral("client.pem"))), readFile(pki.file(QStringLiteral("client.key"))), "secret"));
}

void tst_Request::init()
{
    server = std::make_unique<TestServer>();
    client = std::make_unique<Client>();
}

RawRequest tst_Request::roundTrip(const Request &request)
{
    Response *r = client->send(request);
    if (!r->waitForFinished(10000) || r->error() != Response::NoError)
        qWarning() << "request failed:" << r->errorString();
    return server->lastRequest();
}

void tst_Request::implicitSharing()
{
    Request a(QUrl(QStringLiteral("http://127.0.0.1/a")));
    a.setHeader("X-One", "1");
    Request b = a;
    b.setUrl(QUrl(QStringLiteral("http://127.0.0.1/b")));
    b.setHeader("X-One", "changed");
    b.setMethod("PUT");
    QCOMPARE(a.url().path(), QStringLiteral("/a"));
    QCOMPARE(a.header("X-One"), QByteArray("1"));
    QCOMPARE(a.method(), QByteArray("GET"));
    QCOMPARE(b.method(), QByteArray("PUT"));
    Request c = std::move(b);
    QCOMPARE(c.header("x-one"), QByteArray("changed"));
    swap(a, c);
    QCOMPARE(a.method(), QByteArray("PUT"));
    QCOMPARE(a.readTimeout(), Request::UseClientDefault);
    QCOMPARE(a.maximumRedirects(), -1);
}

void tst_Request::requestEquality_data()
{
    // One row per member: a member that operator== forgets makes its row fail.
    equalityColumns<Request>();
    const auto base = [] {
        Request r(QUrl(QStringLiteral("http://127.0.0.1/p")), "POST");
        r.setHeader("Accept", "a");
        r.setHeader("X-Two", "2");
        r.setBody("body", "text/plain");
        r.setCredentials(QStringLiteral("alice"), QStringLiteral("one"));
        return r;
    };
    equalityRow("url", base, [](Request &r) { r.setUrl(QUrl(QStringLiteral("http://127.0.0.1/q"))); });
    equalityRow("method", base, [](Request &r) { r.setMethod("PUT"); });
    equalityRow("header value", base, [](Request &r) { r.setHeader("X-Two", "3"); });
    equalityRow("header added", base, [](Request &r) { r.addHeader("X-Three", "3"); });
    equalityRow("header name spelled otherwise", base, [](Request &r) {
        r.removeHeader("X-Two");
        r.setHeader("x-two", "2");
    });
    equalityRow("header order", base, [](Request &r) {
        r.removeHeader("Accept");
        r.addHeader("Accept", "a");
    });
    equalityRow("userAgent", base, [](Request &r) { r.setUserAgent("Agent/1"); });
    equalityRow("query", base, [](Request &r) { r.addQueryItem(QStringLiteral("a"), QStringLiteral("1")); });
    equalityRow("body", base, [](Request &r) { r.setBody("other", "text/plain"); });
    equalityRow("contentType", base, [](Request &r) { r.setBody("body", "application/json"); });
    // Rows whose original is the base changed first.
    const auto from = [&base](auto first) {
        return [base, first] {
            Request r = base();
            first(r);
            return r;
        };
    };
    equalityRow("bodyKind", from([](Request &r) { r.clearBody(); }), [](Request &r) { r.setData(QVariant()); });
    equalityRow("data", from([](Request &r) {
                    r.setData(QVariantMap{{QStringLiteral("n"), 1}});
                }),
                [](Request &r) {
                    r.setData(QVariantMap{{QStringLiteral("n"), 2}});
                });
    const auto withDevice = from([this](Request &r) { r.setBodyDevice(&deviceA, 10); });
    equalityRow("bodyDevice", withDevice, [this](Request &r) { r.setBodyDevice(&deviceB, 10); });
    equalityRow("bodyDeviceSize", withDevice, [this](Request &r) { r.setBodyDevice(&deviceA, 11); });
    equalityRow("multipart", from([this](Request &r) { r.setMultipart(&multipartA); }),
                [this](Request &r) { r.setMultipart(&multipartB); });
    equalityRow("connectTimeout", base, [](Request &r) { r.setConnectTimeout(5000); });
    equalityRow("readTimeout", base, [](Request &r) { r.setReadTimeout(5000); });
    equalityRow("totalTimeout", base, [](Request &r) { r.setTotalTimeout(5000); });
    equalityRow("maximumRedirects", base, [](Request &r) { r.setMaximumRedirects(3); });
    // Set to the Client's default value is not left to the Client's default.
    equalityRow("insecureRedirectsAllowed", base, [](Request &r) { r.setInsecureRedirectsAllowed(false); });
    equalityRow("sensitiveHeaders", base, [](Request &r) { r.addSensitiveHeader("X-Key"); });
    equalityRow("user", base, [](Request &r) { r.setCredentials(QStringLiteral("bob"), QStringLiteral("one")); });
    equalityRow("password", base, [](Request &r) { r.setCredentials(QStringLiteral("alice"), QStringLiteral("two")); });
    equalityRow("preemptiveAuthentication", base, [](Request &r) { r.setPreemptiveAuthentication(true); });
    equalityRow("bearerToken", base, [](Request &r) { r.setBearerToken("token"); });
    equalityRow("maximumAuthRetries", base, [](Request &r) { r.setMaximumAuthRetries(2); });
    const auto defaultTls = [](Request &r) { r.setTlsOptions(TlsOptions()); };
    equalityRow("tlsOptions set", base, defaultTls);
    equalityRow("tlsOptions", from(defaultTls), [](Request &r) {
        TlsOptions tls;
        tls.setPeerVerifyName(QStringLiteral("other.test"));
        r.setTlsOptions(tls);
    });
    equalityRow("protocol", base, [](Request &r) { r.setProtocol(Request::Protocol::Http2); });
    equalityRow("priority", base, [](Request &r) { r.setPriority(2); });
    equalityRow("readBufferSize", base, [](Request &r) { r.setReadBufferSize(1024); });
    equalityRow("maximumBodySize", base, [](Request &r) { r.setMaximumBodySize(1024); });
    const auto defaultRetry = [](Request &r) { r.setRetryPolicy(RetryPolicy()); };
    equalityRow("retryPolicy set", base, defaultRetry);
    equalityRow("retryPolicy", from(defaultRetry), [](Request &r) { r.setRetryPolicy(RetryPolicy(3)); });
    equalityRow("usingCache", base, [](Request &r) { r.setUsingCache(false); });
    equalityRow("expectedDataType", base, [](Request &r) { r.setExpectedDataType(Request::DataType::Json); });
}

void tst_Request::requestEquality() { checkEquality<Request>(); }

void tst_Request::tlsOptionsEquality_data()
{
    equalityColumns<TlsOptions>();
    const auto base = [this] { return withClientCertificate; };
    const QSslCertificate otherCertificate = pki.certificates(QStringLiteral("cert.pem")).value(0);
    const QSslKey otherKey = pki.key(QStringLiteral("key.pem"));
    QVERIFY(!otherCertificate.isNull() && !otherKey.isNull());
    equalityRow("caCertificates", base,
                [this](TlsOptions &o) { o.addCaCertificates(pki.certificates(QStringLiteral("ca.pem"))); });
    equalityRow("systemCaCertificatesUsed", base, [](TlsOptions &o) { o.setSystemCaCertificatesUsed(false); });
    equalityRow("clientCertificate", base,
                [&otherCertificate](TlsOptions &o) { o.setClientCertificate(otherCertificate, o.clientKey()); });
    equalityRow("clientKey", base,
                [&otherKey](TlsOptions &o) { o.setClientCertificate(o.clientCertificate(), otherKey); });
    equalityRow("peerVerifyName", base, [](TlsOptions &o) { o.setPeerVerifyName(QStringLiteral("other.test")); });
    equalityRow("hostNameCheckEnabled", base, [](TlsOptions &o) { o.setHostNameCheckEnabled(false); });
    equalityRow("pinnedPublicKeys", base,
                [](TlsOptions &o) { QVERIFY(o.addPinnedPublicKey("sha256//" + QByteArray(32, 'p').toBase64())); });
    equalityRow("minimumProtocol", base, [](TlsOptions &o) { o.setMinimumProtocol(QSsl::TlsV1_3OrLater); });
}

void tst_Request::tlsOptionsEquality() { checkEquality<TlsOptions>(); }

void tst_Request::retryPolicyEquality_data()
{
    equalityColumns<RetryPolicy>();
    const auto base = [] { return RetryPolicy(3); };
    equalityRow("maximumAttempts", base, [](RetryPolicy &p) { p.setMaximumAttempts(4); });
    equalityRow("initialDelay", base, [](RetryPolicy &p) { p.setInitialDelay(std::chrono::seconds(1)); });
    equalityRow("multiplier", base, [](RetryPolicy &p) { p.setMultiplier(3); });
    equalityRow("maximumDelay", base, [](RetryPolicy &p) { p.setMaximumDelay(std::chrono::seconds(10)); });
    equalityRow("jitter", base, [](RetryPolicy &p) { p.setJitter(0.1); });
    equalityRow("retriedStatuses", base, [](RetryPolicy &p) { p.setRetriedStatuses({503}); });
    equalityRow("nonIdempotentRetried", base, [](RetryPolicy &p) { p.setNonIdempotentRetried(true); });
}

void tst_Request::retryPolicyEquality() { checkEquality<RetryPolicy>(); }

void tst_Request::downloadOptionsEquality_data()
{
    equalityColumns<DownloadOptions>();
    const auto base = [] {
        DownloadOptions o;
        o.setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        return o;
    };
    equalityRow("resume", base, [](DownloadOptions &o) { o.setResume(false); });
    equalityRow("sha256", base, [](DownloadOptions &o) { o.setSha256("00"); });
}

void tst_Request::downloadOptionsEquality() { checkEquality<DownloadOptions>(); }

void tst_Request::timelineEventEquality_data()
{
    equalityColumns<TimelineEvent>();
    const auto base = [] {
        TimelineEvent event;
        event.kind = TimelineEvent::Connecting;
        event.msecs = 5;
        event.url = QUrl(QStringLiteral("http://127.0.0.1/p"));
        return event;
    };
    equalityRow("kind", base, [](TimelineEvent &e) { e.kind = TimelineEvent::TlsEstablished; });
    equalityRow("msecs", base, [](TimelineEvent &e) { e.msecs = 6; });
    equalityRow("url", base, [](TimelineEvent &e) { e.url = QUrl(QStringLiteral("http://127.0.0.1/q")); });
}

void tst_Request::timelineEventEquality() { checkEquality<TimelineEvent>(); }

void tst_Request::debugRequest_data()
{
    QTest::addColumn<Request>("request");
    QTest::addColumn<QString>("shown");
    const QUrl url(QStringLiteral("http://127.0.0.1/p"));
    QTest::newRow("plain") << Request(url) << QStringLiteral("Courier::Request(\"GET\", QUrl(\"http://127.0.0.1/p\"))");
    Request r(url, "POST");
    r.setHeader("Accept", "application/json");
    r.setUserAgent("Agent/1");
    r.addQueryItem(QStringLiteral("q"), QStringLiteral("a b"));
    r.setBody("{\"n\":1}", "application/json");
    QTest::newRow("headers, query and body")
        << r
        << QStringLiteral("Courier::Request(\"POST\", QUrl(\"http://127.0.0.1/p\"), headers: {\"Accept\": "
                          "\"application/json\"}, userAgent: \"Agent/1\", query: \"q=a%20b\", body: 7 bytes, "
                          "contentType: \"application/json\")");
    r = Request(url, "PUT");
    r.setData(QVariantMap{{QStringLiteral("n"), 1}});
    QTest::newRow("data: its type only")
        << r << QStringLiteral("Courier::Request(\"PUT\", QUrl(\"http://127.0.0.1/p\"), data: QVariantMap)");
    r = Request(url);
    r.setConnectTimeout(std::chrono::seconds(2));
    r.setReadTimeout(0);
    r.setMaximumRedirects(0);
    r.setInsecureRedirectsAllowed(true);
    r.setProtocol(Request::Protocol::Http2);
    r.setPriority(7);
    r.setReadBufferSize(1024);
    r.setUsingCache(false);
    r.setExpectedDataType(Request::DataType::Json);
    r.setRetryPolicy(RetryPolicy(2));
    QTest::newRow("options set")
        << r
        << QStringLiteral("Courier::Request(\"GET\", QUrl(\"http://127.0.0.1/p\"), connectTimeout: 2000ms, "
                          "readTimeout: 0ms, maximumRedirects: 0, insecureRedirectsAllowed: true, protocol: Http2, "
                          "priority: 7, readBufferSize: 1024, retryPolicy: Courier::RetryPolicy(maximumAttempts: 2, "
                          "initialDelay: 500ms, multiplier: 2, maximumDelay: 30000ms, jitter: 0.5, retriedStatuses: "
                          "QList(408, 429, 500, 502, 503, 504), nonIdempotentRetried: false), usingCache: false, "
                          "expectedDataType: Json)");
}

void tst_Request::debugRequest()
{
    QFETCH(Request, request);
    QFETCH(QString, shown);
    QCOMPARE(debugged(request), shown);
}

void tst_Request::debugRequestHidesSecrets()
{
    // Each secret is shown as set, never with its value.
    Request r(QUrl(QStringLiteral("https://alice:url-secret@127.0.0.1/p")), "POST");
    r.setHeader("Authorization", "Basic header-secret");
    r.setHeader("proxy-authorization", "Basic proxy-secret");
    r.setHeader("Cookie", "session=cookie-secret");
    r.setHeader("X-Api-Key", "key-secret");
    r.addSensitiveHeader("x-api-key");
    r.setHeader("X-Shown", "visible");
    r.setCredentials(QStringLiteral("bob"), QStringLiteral("password-secret"));
    r.setBearerToken("token-secret");
    r.setTlsOptions(withClientCertificate);
    r.setData(QVariantMap{{QStringLiteral("password"), QStringLiteral("data-secret")}});
    const QString shown = debugged(r);
    for (const char *secret : {"url-secret", "header-secret", "proxy-secret", "cookie-secret", "key-secret",
                               "password-secret", "token-secret", "data-secret"})
        QVERIFY2(!shown.contains(QLatin1String(secret)), qPrintable(shown));
    for (const char *set : {"QUrl(\"https://alice@127.0.0.1/p\"), urlPassword: <redacted>",
                            "\"Authorization\": <redacted>", "\"proxy-authorization\": <redacted>",
                            "\"Cookie\": <redacted>", "\"X-Api-Key\": <redacted>", "\"X-Shown\": \"visible\"",
                            "user: \"bob\", password: <redacted>", "bearerToken: <redacted>", "clientKey: <redacted>"})
        QVERIFY2(shown.contains(QLatin1String(set)), qPrintable(shown));

    // As qDebug() writes it too.
    Request plain(QUrl(QStringLiteral("http://u:url-secret@127.0.0.1/")));
    QTest::ignoreMessage(QtDebugMsg,
                         "request: Courier::Request(\"GET\", QUrl(\"http://u@127.0.0.1/\"), urlPassword: <redacted>)");
    qDebug() << "request:" << plain;
}

void tst_Request::debugTlsOptions()
{
    QCOMPARE(debugged(TlsOptions()), QStringLiteral("Courier::TlsOptions(default)"));
    TlsOptions tls = withClientCertificate;
    tls.addCaCertificates(pki.certificates(QStringLiteral("ca.pem")));
    tls.setSystemCaCertificatesUsed(false);
    tls.setPeerVerifyName(QStringLiteral("courier.test"));
    tls.setHostNameCheckEnabled(false);
    QVERIFY(tls.addPinnedPublicKey("sha256//" + QByteArray(32, 'p').toBase64()));
    tls.setMinimumProtocol(QSsl::TlsV1_3OrLater);
    const QString shown = debugged(tls);
    const QString ca = pki.certificates(QStringLiteral("ca.pem")).value(0).subjectDisplayName();
    QCOMPARE(shown,
             QStringLiteral("Courier::TlsOptions(caCertificates: QList(\"%1\"), systemCaCertificatesUsed: false, "
                            "clientCertificate: \"courier-client\", clientKey: <redacted>, peerVerifyName: "
                            "\"courier.test\", hostNameCheckEnabled: false, pinnedPublicKeys: QList(\"sha256//%2\"), "
                            "minimumProtocol: TlsV1_3OrLater)")
                 .arg(ca, QLatin1String(QByteArray(32, 'p').toBase64())));
    // Nothing of the private key, nor of the passphrase it was read with.
    const QByteArray key = tls.clientKey().toDer().toBase64();
    QVERIFY(!key.isEmpty());
    for (qsizetype at = 0; at + 16 <= key.size(); at += 16)
        QVERIFY2(!shown.contains(QLatin1String(key.mid(at, 16))), qPrintable(shown));
    QVERIFY2(!shown.contains(QLatin1String("secret")), qPrintable(shown));
}

void tst_Request::debugRetryPolicy()
{
    RetryPolicy policy(4);
    policy.setInitialDelay(std::chrono::milliseconds(250));
    policy.setMultiplier(1.5);
    policy.setMaximumDelay(std::chrono::seconds(5));
    policy.setJitter(0);
    policy.setRetriedStatuses({503});
    policy.setNonIdempotentRetried(true);
    QCOMPARE(
        debugged(policy),
        QStringLiteral("Courier::RetryPolicy(maximumAttempts: 4, initialDelay: 250ms, multiplier: 1.5, "
                       "maximumDelay: 5000ms, jitter: 0, retriedStatuses: QList(503), nonIdempotentRetried: true)"));
}

void tst_Request::debugTimelineEvent()
{
    TimelineEvent event;
    event.kind = TimelineEvent::TlsEstablished;
    event.msecs = 12;
    event.url = QUrl(QStringLiteral("https://alice:url-secret@example.org/p"));
    QCOMPARE(debugged(event),
             QStringLiteral("Courier::TimelineEvent(TlsEstablished, 12ms, QUrl(\"https://alice@example.org/p\"), "
                            "urlPassword: <redacted>)"));
}

void tst_Request::headers()
{
    Request r;
    r.setHeader("Accept", "a");
    r.addHeader("accept", "b");
    r.setHeader("X-Other", "o");
    QCOMPARE(r.header("ACCEPT"), QByteArray("a, b"));
    QVERIFY(r.hasHeader("x-other"));
    QCOMPARE(r.headers().size(), 3);
    r.setHeader("Accept", "c"); // replaces both
    QCOMPARE(r.header("Accept"), QByteArray("c"));
    r.removeHeader("ACCEPT");
    QVERIFY(!r.hasHeader("Accept"));
    QVERIFY(r.header("Accept").isNull());
    r.setHeader("X-Empty", "");
    QCOMPARE(r.header("X-Empty"), QByteArray(""));
    QVERIFY(!r.header("X-Empty").isNull());
}

void tst_Request::validators_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("method");
    QTest::addColumn<bool>("name");
    QTest::addColumn<bool>("value");
    QTest::newRow("GET") << QByteArray("GET") << true << true << true;
    QTest::newRow("PROPFIND") << QByteArray("PROPFIND") << true << true << true;
    QTest::newRow("M-SEARCH") << QByteArray("M-SEARCH") << true << true << true;
    QTest::newRow("tchar symbols") << QByteArray("!#$%&'*+-.^_`|~") << true << true << true;
    QTest::newRow("empty") << QByteArray("") << false << false << true;
    QTest::newRow("space") << QByteArray("GET X") << false << false << true;
    QTest::newRow("tab") << QByteArray("a\tb") << false << false << true;
    QTest::newRow("colon") << QByteArray("a:b") << false << false << true;
    QTest::newRow("CR") << QByteArray("a\rb") << false << false << false;
    QTest::newRow("LF") << QByteArray("a\nb") << false << false << false;
    QTest::newRow("NUL") << QByteArray("a\0b", 3) << false << false << false;
    QTest::newRow("DEL") << QByteArray("a\x7f") << false << false << false;
    QTest::newRow("UTF-8") << QByteArray("caf\xc3\xa9") << false << false << true;
}

void tst_Request::validators()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, method);
    QFETCH(bool, name);
    QFETCH(bool, value);
    QCOMPARE(isValidMethod(text), method);
    QCOMPARE(isValidHeaderName(text), name);
    QCOMPARE(isValidHeaderValue(text), value);
}

void tst_Request::wire_data()
{
    QTest::addColumn<Request>("request");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");

    const QUrl base(QStringLiteral("http://placeholder/p"));
    const QVariantMap object{
        {QStringLiteral("name"), QStringLiteral("a b+c&d")}, {QStringLiteral("n"), 2}, {QStringLiteral("ok"), true}};
    Request r(base, "GET");
    r.setData(object);
    QTest::newRow("GET object -> query") << r << QByteArray("/p?n=2&name=a%20b%2Bc%26d&ok=true") << QByteArray()
                                         << QByteArray();
    r = Request(base, "DELETE");
    r.setData(QJsonObject{{QStringLiteral("id"), 7}});
    QTest::newRow("DELETE object -> query") << r << QByteArray("/p?id=7") << QByteArray() << QByteArray();
    r = Request(QUrl(QStringLiteral("http://placeholder/p?x=1")), "GET");
    r.setData(QStringLiteral("a=1&b=two"));
    QTest::newRow("GET string appended to query")
        << r << QByteArray("/p?x=1&a=1&b=two") << QByteArray() << QByteArray();
    r = Request(base, "POST");
    r.setData(object);
    QTest::newRow("POST object -> JSON") << r << QByteArray("/p")
                                         << QByteArray("{\"n\":2,\"name\":\"a b+c&d\",\"ok\":true}")
                                         << QByteArray("application/json");
    r = Request(base, "PUT");
    r.setData(QVariantList{1, 2});
    QTest::newRow("PUT array -> JSON") << r << QByteArray("/p") << QByteArray("[1,2]")
                                       << QByteArray("application/json");
    r = Request(base, "POST");
    r.setData(QStringLiteral("caf\u00e9"));
    QTest::newRow("POST text") << r << QByteArray("/p") << QByteArray("caf\xc3\xa9")
                               << QByteArray("text/plain; charset=utf-8");
    r = Request(base, "POST");
    r.setData(QByteArray("\x00\x01raw", 5));
    QTest::newRow("POST bytes") << r << QByteArray("/p") << QByteArray("\x00\x01raw", 5)
                                << QByteArray("application/octet-stream");
    r = Request(base, "PROPFIND");
    r.setBody("<propfind/>", "application/xml");
    r.setHeader("Depth", "1");
    QTest::newRow("PROPFIND xml") << r << QByteArray("/p") << QByteArray("<propfind/>")
                                  << QByteArray("application/xml");
    r = Request(base, "POST");
    r.setFormFields(
        QUrlQuery{{QStringLiteral("q"), QStringLiteral("a b+c")}, {QStringLiteral("x"), QStringLiteral("1&2=3")}});
    QTest::newRow("form") << r << QByteArray("/p") << QByteArray("q=a+b%2Bc&x=1%262%3D3")
                          << QByteArray("application/x-www-form-urlencoded");
    r = Request(base, "POST");
    r.setJson(QJsonDocument(QJsonArray{QStringLiteral("x")}));
    r.setHeader("Content-Type", "application/vnd.api+json");
    QTest::newRow("explicit content type wins")
        << r << QByteArray("/p") << QByteArray("[\"x\"]") << QByteArray("application/vnd.api+json");
    r = Request(base, "GET");
    r.addQueryItem(QStringLiteral("q"), QStringLiteral("\u00e9 &="));
    QTest::newRow("query items encoded") << r << QByteArray("/p?q=%C3%A9%20%26%3D") << QByteArray() << QByteArray();
}

void tst_Request::wire()
{
    QFETCH(Request, request);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QUrl url = request.url();
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(server->port());
    request.setUrl(url);
    const RawRequest seen = roundTrip(request);
    QCOMPARE(seen.method, request.method());
    QCOMPARE(seen.target, target);
    QCOMPARE(seen.body, body);
    QCOMPARE(seen.header("Content-Type"), contentType);
}

void tst_Request::everyMethodOnTheWire_data()
{
    QTest::addColumn<QByteArray>("method");
    for (const char *m :
         {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "PROPPATCH", "MKCOL",
          "COPY", "MOVE", "LOCK", "UNLOCK", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "M-SEARCH"})
        QTest::newRow(m) << QByteArray(m);
}

void tst_Request::everyMethodOnTheWire()
{
    QFETCH(QByteArray, method);
    Request request(server->url(QStringLiteral("/m")), method);
    request.setBody("body of " + method, "text/plain");
    const RawRequest seen = roundTrip(request);
    QCOMPARE(seen.method, method);
    QCOMPARE(seen.body, "body of " + method);
    QCOMPARE(seen.header("Content-Length"), QByteArray::number(8 + method.size()));
}

void tst_Request::streamedFileBody()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    QByteArray content;
    for (int i = 0; i < 200000; ++i)
        content += QByteArray::number(i) + '\n';
    file.write(content);
    file.seek(0);
    Request request(server->url(QStringLiteral("/upload")), "PUT");
    request.setBodyDevice(&file, -1, "text/plain");
    Response *r = client->send(request);
    qint64 lastSent = 0;
    connect(r, &Response::uploadProgress, this, [&](qint64 sent, qint64) { lastSent = sent; });
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    const RawRequest seen = server->lastRequest();
    QCOMPARE(seen.header("Content-Length"), QByteArray::number(content.size()));
    QCOMPARE(seen.body.size(), content.size());
    QVERIFY(seen.body == content);
    QCOMPARE(lastSent, qint64(content.size()));
    QCOMPARE(r->bytesToSend(), qint64(content.size()));
}

void tst_Request::multipartBody()
{
    auto *multi = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    QHttpPart field;
    field.setHeader(QNetworkRequest::ContentDispositionHeader, QStringLiteral("form-data; name=\"title\""));
    field.setBody("hello");
    multi->append(field);
    QHttpPart filePart;
    filePart.setHeader(QNetworkRequest::ContentDispositionHeader,
                       QStringLiteral("form-data; name=\"file\"; filename=\"a.bin\""));
    filePart.setBody(QByteArray(1000, 'f'));
    multi->append(filePart);
    Request request(server->url(QStringLiteral("/form")), "POST");
    request.setMultipart(multi);
    Response *r = client->send(request);
    multi->setParent(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    const RawRequest seen = server->lastRequest();
    QVERIFY(seen.header("Content-Type").startsWith("multipart/form-data; boundary="));
    QVERIFY(seen.header("Content-Type").contains(multi->boundary()));
    QVERIFY(seen.body.contains("name=\"title\"\r\n\r\nhello\r\n"));
    QVERIFY(seen.body.contains(QByteArray(1000, 'f')));
}

void tst_Request::unsupportedDataType()
{
    Request request(server->url(), "POST");
    request.setData(QVariant::fromValue(QPointF(1, 2)));
    Response *r = client->send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::ProtocolInvalidOperation);
    QVERIFY2(r->errorString().contains(QLatin1String("QPointF")), qPrintable(r->errorString()));
    QCOMPARE(server->connectionCount(), 0);

    Request getArray(server->url(), "GET");
    getArray.setData(QVariantList{1});
    r = client->send(getArray);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::ProtocolInvalidOperation);
}

QTEST_GUILESS_MAIN(tst_Request)
#include "tst_request.moc"
