// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// The engines themselves. Client's choice of engine (COURIER_ENGINE, Client::Engine), and the
// QNetworkAccessManager of the engine under test used directly, as an application without
// Courier's Response would: the same assertions hold for Qt's manager and for CurlAccessManager,
// so the -qt ctest entry states Qt's behaviour and the -curl entry checks the libcurl engine
// against it. What only CurlAccessManager has (Qt's engine taking over) is checked in both.

#include "codings.h"
#include "peers.h"
#include "spy.h"
#include "socks5proxy.h"
#include "testserver.h"

#include <Courier/Client>
#include <Courier/TlsOptions>
#include <Courier/Response>
#include <Courier/version.h>
#if COURIER_HAS_CURL
#include <Courier/CurlAccessManager>
#endif

#include <QtCore/QBuffer>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtNetwork/QAuthenticator>
#include <QtNetwork/QNetworkCookieJar>
#include <QtNetwork/QNetworkDiskCache>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QNetworkProxyFactory>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QSslConfiguration>
#include <QtTest/QtTest>

#include <memory>

using namespace Courier;
using namespace Courier::Test;

namespace {
// A sequential body that produces \a total bytes over time, in pieces of \a piece every 5 ms.
class TrickleDevice : public QIODevice
{
public:
    TrickleDevice(qint64 total, qint64 piece)
        : m_total(total)
        , m_piece(piece)
    {
        open(QIODevice::ReadOnly);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            m_ready = std::min(m_total, m_ready + m_piece);
            if (m_ready == m_total)
                m_timer.stop();
            Q_EMIT readyRead();
            if (m_ready == m_total)
                Q_EMIT readChannelFinished();
        });
        m_timer.start(5);
    }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_ready - m_read + QIODevice::bytesAvailable(); }
    bool atEnd() const override { return m_read == m_total; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min(maxSize, m_ready - m_read);
        for (qint64 i = 0; i < n; ++i)
            data[i] = char('a' + (m_read + i) % 26);
        m_read += n;
        return n == 0 && m_read == m_total ? -1 : n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QTimer m_timer;
    qint64 m_total;
    qint64 m_piece;
    qint64 m_ready = 0;
    qint64 m_read = 0;
};

QByteArray trickled(qint64 total)
{
    QByteArray bytes(total, Qt::Uninitialized);
    for (qint64 i = 0; i < total; ++i)
        bytes[i] = char('a' + i % 26);
    return bytes;
}
} // namespace

class tst_Engine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();

    void chosenByEnvironment();
    void chosenByConstructor();
    void managerSignalsCourierReplies();

    void getWithStatusHeadersAndBody();
    void signalsComeFromTheEventLoop();
    void repeatedHeadersAreCombined();
    void connectionsComeAndGo();
    void methodsAndBodies_data();
    void methodsAndBodies();
    void streamedUploadWaitsForTheDevice();
    void requestsInARowKeepOnlyTheirOwnOptions();
    void tlsRequestsInARowKeepOnlyTheirOwnOptions();
    void errorStatusesSetQtsError_data();
    void errorStatusesSetQtsError();
    void connectionRefused();
    void abortEndsAtOnce();
    void deleteInsideReadyRead();
    void readBufferSizeBoundsMemory();
    void decompressionBombWithReadBuffer();
    void redirectsFollowedByPolicy();
    void redirectToHttpRefusedFromHttps();
    void sameOriginRedirectPolicyStopsAtTheOrigin();
    void manualRedirectPolicyStops();
    void cookiesOfTheManagersJar();
    void credentialsFromTheUrl_data();
    void credentialsFromTheUrl();
    void throughAnHttpProxy();
    void proxyCredentials();
    void throughASocks5Proxy();
    void applicationProxyAsItIsNow();
    void cleartextHttp2OnlyWhenAsked();
    void tlsVerifiedAndHttp2();
    void http2AnswerBeforeTheBodyIsSent();
    void tlsUnknownCaRefused();
    void transferTimeout();
    void curlHandsOtherSchemesToQt();
    void curlHandsCacheableRequestsToQt();

private:
    std::unique_ptr<QNetworkAccessManager> newManager() const;
    // Waits for \a reply to finish: long enough for valgrind (scripts/memcheck runs this suite, where
    // a TLS handshake with a client certificate took more than 10 s beside two busy loops).
    QNetworkReply *wait(QNetworkReply *reply, int timeout = 60000);
    // A request to \a url that trusts nginx's self-signed certificate.
    QNetworkRequest trustingNginx(const QUrl &url) const;

    std::unique_ptr<TestServer> server;
    NginxPeer nginx;
    HttpbinPeer httpbin;
    Client::Engine engine = Client::Engine::Qt;
};

void tst_Engine::initTestCase()
{
    engine = Client::defaultEngine();
    qInfo() << "engine under test:" << (engine == Client::Engine::Curl ? "curl" : "qt");
    COURIER_REQUIRE_PEER(nginx);
    COURIER_REQUIRE_PEER(httpbin);
    QVERIFY(nginx.addFile(QStringLiteral("hello.txt"), "hello"));
    QVERIFY(nginx.addRandomFile(QStringLiteral("big.bin"), 8 * 1024 * 1024).size() > 0);
}

void tst_Engine::init() { server = std::make_unique<TestServer>(); }

std::unique_ptr<QNetworkAccessManager> tst_Engine::newManager() const
{
#if COURIER_HAS_CURL
    if (engine == Client::Engine::Curl)
        return std::make_unique<CurlAccessManager>();
#endif
    return std::make_unique<QNetworkAccessManager>();
}

QNetworkRequest tst_Engine::trustingNginx(const QUrl &url) const
{
    QNetworkRequest request(url);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromData(nginx.certificatePem()));
    request.setSslConfiguration(tls);
    return request;
}

QNetworkReply *tst_Engine::wait(QNetworkReply *reply, int timeout)
{
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(timeout);
    }
    return reply;
}

void tst_Engine::chosenByEnvironment()
{
    // ctest runs this suite once per engine, naming it in COURIER_ENGINE.
    const QByteArray name = qgetenv("COURIER_ENGINE");
    if (name == "qt")
        QCOMPARE(Client::defaultEngine(), Client::Engine::Qt);
    else if (name == "curl")
        QCOMPARE(Client::defaultEngine(), Client::Engine::Curl);
    Client client;
    QCOMPARE(client.engine(), Client::defaultEngine());
    QCOMPARE(client.property("engine").value<Client::Engine>(), Client::defaultEngine());
}

void tst_Engine::chosenByConstructor()
{
    QVERIFY(Client::isEngineAvailable(Client::Engine::Qt));
    QCOMPARE(Client::isEngineAvailable(Client::Engine::Curl), bool(COURIER_HAS_CURL));
    Client qt(Client::Engine::Qt);
    QCOMPARE(qt.engine(), Client::Engine::Qt);
    Client curl(Client::Engine::Curl);
    QCOMPARE(curl.engine(), COURIER_HAS_CURL ? Client::Engine::Curl : Client::Engine::Qt);
    QNetworkAccessManager own;
    Client given(&own);
    QCOMPARE(given.engine(), Client::Engine::Qt);
    QCOMPARE(given.networkAccessManager(), &own);
#if COURIER_HAS_CURL
    QVERIFY(qobject_cast<CurlAccessManager *>(curl.networkAccessManager()));
    CurlAccessManager fast;
    Client overCurl(&fast);
    QCOMPARE(overCurl.engine(), Client::Engine::Curl);
    QVERIFY(CurlAccessManager::curlVersion().startsWith(QLatin1String("libcurl/")));
    QCOMPARE(fast.maximumConnectionsPerHost(), 6);
    fast.setMaximumConnectionsPerHost(0);
    QCOMPARE(fast.maximumConnectionsPerHost(), 1);
#endif
    // Both engines give the same Response.
    for (Client *client : {&qt, &curl}) {
        Response *r = client->get(nginx.url(QStringLiteral("/hello.txt")));
        QVERIFY(r->waitForFinished(10000));
        QCOMPARE(r->statusCode(), 200);
        QCOMPARE(r->readAll(), QByteArray("hello"));
    }
}

void tst_Engine::managerSignalsCourierReplies()
{
    // A Client's requests, whatever the method and body, are the manager's replies as if made
    // through its methods: it emits finished() for each, and encrypted() for a new TLS connection.
    server->setHandler(
        [](TestConnection *c, const RawRequest &r) { c->respond(200, "OK", {}, r.method + ' ' + r.body); });
    auto manager = newManager();
    Client client(manager.get());
    QSignalSpy finished(manager.get(), &QNetworkAccessManager::finished);
    QSignalSpy encrypted(manager.get(), &QNetworkAccessManager::encrypted);
    QBuffer device;
    device.setData("streamed");
    QVERIFY(device.open(QIODevice::ReadOnly));
    const QUrl url = server->url(QStringLiteral("/"));
    Request streamed(url);
    streamed.setMethod("PUT");
    streamed.setBodyDevice(&device);
    const QList<Response *> responses{client.get(url), client.head(url), client.post(url, QByteArray("bytes")),
                                      client.send(streamed), client.deleteResource(url)};
    const QList<QByteArray> bodies{"GET ", "", "POST bytes", "PUT streamed", "DELETE "};
    for (qsizetype i = 0; i < responses.size(); ++i) {
        Response *r = responses.at(i);
        QVERIFY(r->waitForFinished(10000));
        QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
        QCOMPARE(r->readAll(), bodies.at(i));
        QVERIFY(r->reply());
    }
    QCOMPARE(finished.size(), responses.size());
    for (Response *r : responses) {
        const bool found = std::any_of(finished.cbegin(), finished.cend(), [r](const QList<QVariant> &arguments) {
            return arguments.at(0).value<QNetworkReply *>() == r->reply();
        });
        QVERIFY(found);
    }
    QCOMPARE(encrypted.size(), 0);

    TlsOptions tls;
    tls.addCaCertificatesFromPem(nginx.certificatePem());
    client.setTlsOptions(tls);
    Response *secure = client.get(nginx.tlsUrl(QStringLiteral("/hello.txt")));
    QVERIFY(secure->waitForFinished(10000));
    QVERIFY2(secure->error() == Response::NoError, qPrintable(secure->errorString()));
    QCOMPARE(encrypted.size(), 1);
    QCOMPARE(encrypted.last().at(0).value<QNetworkReply *>(), secure->reply());
    QCOMPARE(finished.last().at(0).value<QNetworkReply *>(), secure->reply());
}

void tst_Engine::getWithStatusHeadersAndBody()
{
    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->respond(201, "Made Here", {{"X-One", "1"}, {"Content-Type", "text/plain"}}, "the body");
    });
    auto manager = newManager();
    QNetworkReply *reply = wait(manager->get(QNetworkRequest(server->url(QStringLiteral("/x?y=1")))));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray(), QByteArray("Made Here"));
    QCOMPARE(reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool(), false);
    QCOMPARE(reply->rawHeader("x-one"), QByteArray("1"));
    QCOMPARE(reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(), 8);
    QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(), QStringLiteral("text/plain"));
    QCOMPARE(reply->readAll(), QByteArray("the body"));
    QCOMPARE(reply->url(), server->url(QStringLiteral("/x?y=1")));
    QCOMPARE(server->lastRequest().target, QByteArray("/x?y=1"));
    QCOMPARE(server->lastRequest().method, QByteArray("GET"));
    QVERIFY(!server->lastRequest().hasHeader("Expect"));
    QVERIFY(!server->lastRequest().hasHeader("Accept"));
    // Both engines ask for the codings they undo, once (Qt's list is longer).
    const auto &sent = server->lastRequest().headers;
    QCOMPARE(std::count_if(sent.cbegin(), sent.cend(),
                           [](const auto &h) { return h.first.compare("Accept-Encoding", Qt::CaseInsensitive) == 0; }),
             1);
    if (engine == Client::Engine::Curl)
        QCOMPARE(server->lastRequest().header("Accept-Encoding"), QByteArray("gzip, deflate"));
    delete reply;

    // The URL as asked, its fragment too, when no redirect was followed.
    QUrl withFragment = server->url(QStringLiteral("/x?y=1"));
    withFragment.setFragment(QStringLiteral("part"));
    reply = wait(manager->get(QNetworkRequest(withFragment)));
    QCOMPARE(reply->url(), withFragment);
    QCOMPARE(server->lastRequest().target, QByteArray("/x?y=1"));
    delete reply;
}

void tst_Engine::signalsComeFromTheEventLoop()
{
    auto manager = newManager();
    QNetworkReply *reply = manager->get(QNetworkRequest(server->url()));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QSignalSpy errors(reply, &QNetworkReply::errorOccurred);
    QSignalSpy meta(reply, &QNetworkReply::metaDataChanged);
    QSignalSpy ready(reply, &QNetworkReply::readyRead);
    QSignalSpy progress(reply, &QNetworkReply::downloadProgress);
    QCOMPARE(finished.size(), 0); // nothing from inside get()
    QVERIFY(finished.wait(10000));
    QTest::qWait(20);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(errors.size(), 0);
    QVERIFY(meta.size() >= 1);
    QVERIFY(ready.size() >= 1);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toLongLong(), 2);
    QCOMPARE(progress.last().at(1).toLongLong(), 2);
    QVERIFY(reply->isFinished());
    QCOMPARE(reply->readAll(), QByteArray("ok"));

    // A request refused before anything is sent also ends from the event loop.
    QNetworkRequest bad(server->url());
    bad.setRawHeader("X-Bad", "a\r\nInjected: yes");
    QNetworkReply *refused = manager->get(bad);
    QSignalSpy refusedFinished(refused, &QNetworkReply::finished);
    QVERIFY(refusedFinished.wait(10000));
    QCOMPARE(refusedFinished.size(), 1);
    QTest::qWait(50);
    // The libcurl engine refuses CR and LF in a header; Qt 6.4 sends them as given (Courier's
    // Request refuses them before either engine sees them).
    if (engine == Client::Engine::Curl) {
        QCOMPARE(refused->error(), QNetworkReply::ProtocolInvalidOperationError);
        for (const RawRequest &r : server->requests())
            QVERIFY(!r.hasHeader("Injected"));
    }
}

void tst_Engine::repeatedHeadersAreCombined()
{
    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK",
                   {{"X-Many", "a"},
                    {"Set-Cookie", "a=1"},
                    {"x-many", "b"},
                    {"X-One", "1"},
                    {"Set-Cookie", "b=2"},
                    {"X-MANY", "c"},
                    {"set-cookie", "c=3"}},
                   "x");
    });
    auto manager = newManager();
    QNetworkReply *reply = wait(manager->get(QNetworkRequest(server->url())));
    // Whatever the case of the names, in the order they came.
    QCOMPARE(reply->rawHeader("X-Many"), QByteArray("a, b, c"));
    QCOMPARE(reply->rawHeader("Set-Cookie"), QByteArray("a=1\nb=2\nc=3"));
    QCOMPARE(reply->rawHeader("X-One"), QByteArray("1"));
    QCOMPARE(reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(), 1);
    QCOMPARE(reply->readAll(), QByteArray("x"));
    delete reply;
}

void tst_Engine::connectionsComeAndGo()
{
    // Connections the server closes, announced or not, then one kept for several requests: the
    // libcurl engine watches each new socket (often of a number a closed one had) and stops
    // watching an idle one, whatever happens to it meanwhile.
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        const bool announced = r.target.startsWith("/close");
        c->respond(200, "OK", {{"Connection", announced ? "close" : "keep-alive"}}, r.target);
        if (announced || r.target.startsWith("/drop"))
            c->close();
    });
    auto manager = newManager();
    QList<QByteArray> paths;
    for (int i = 0; i < 4; ++i)
        paths << "/close" + QByteArray::number(i);
    for (int i = 0; i < 4; ++i)
        paths << "/drop" + QByteArray::number(i);
    for (int i = 0; i < 4; ++i)
        paths << "/keep" + QByteArray::number(i);
    for (const QByteArray &path : std::as_const(paths)) {
        QNetworkReply *reply = wait(manager->get(QNetworkRequest(server->url(QString::fromLatin1(path)))));
        QVERIFY2(reply->error() == QNetworkReply::NoError,
                 QByteArray(path + ": " + reply->errorString().toUtf8()).constData());
        QCOMPARE(reply->readAll(), path);
        delete reply;
    }
    // A connection for each closed one, then one for all that were kept.
    QCOMPARE(server->connectionCount(), 9);
}

void tst_Engine::methodsAndBodies_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("POST") << QByteArray("POST") << QByteArray("posted");
    QTest::newRow("PUT") << QByteArray("PUT") << QByteArray("put");
    QTest::newRow("PATCH") << QByteArray("PATCH") << QByteArray("patched");
    QTest::newRow("DELETE") << QByteArray("DELETE") << QByteArray();
    QTest::newRow("PROPFIND") << QByteArray("PROPFIND") << QByteArray("<propfind/>");
    QTest::newRow("HEAD") << QByteArray("HEAD") << QByteArray();
    QTest::newRow("OPTIONS") << QByteArray("OPTIONS") << QByteArray();
    QTest::newRow("POST of 1 MiB") << QByteArray("POST") << trickled(1024 * 1024);
}

void tst_Engine::methodsAndBodies()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        c->respond(200, "OK", {{"X-Got", QByteArray::number(r.body.size())}}, r.method);
    });
    auto manager = newManager();
    QNetworkRequest request(server->url());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
    QNetworkReply *reply = nullptr;
    if (method == "HEAD")
        reply = manager->head(request);
    else if (body.isEmpty())
        reply = manager->sendCustomRequest(request, method);
    else
        reply = manager->sendCustomRequest(request, method, body);
    QSignalSpy upload(reply, &QNetworkReply::uploadProgress);
    wait(reply);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    const RawRequest got = server->lastRequest();
    QCOMPARE(got.method, method);
    QCOMPARE(got.body, body);
    if (!body.isEmpty()) {
        QCOMPARE(got.header("Content-Length"), QByteArray::number(body.size()));
        qint64 sent = 0;
        for (const QList<QVariant> &progress : std::as_const(upload))
            sent = std::max(sent, progress.at(0).toLongLong());
        QCOMPARE(sent, body.size()); // Qt also reports (0, 0) once it is over
    }
    QCOMPARE(reply->readAll(), method == "HEAD" ? QByteArray() : method);
    delete reply;
}

void tst_Engine::streamedUploadWaitsForTheDevice()
{
    // A sequential body of unknown size, produced over time: the libcurl engine sends it chunked
    // as it comes; Qt 6.4 reads it to its end first, then sends it with a Content-Length.
    const qint64 total = 300 * 1000;
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        c->respond(200, "OK", {}, QByteArray::number(r.body.size()) + ' ' + r.header("Transfer-Encoding"));
    });
    auto manager = newManager();
    TrickleDevice device(total, 16 * 1000);
    QNetworkRequest request(server->url());
    request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    QNetworkReply *reply = wait(manager->post(request, &device), 30000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->readAll(), engine == Client::Engine::Curl ? QByteArray("300000 chunked") : QByteArray("300000 "));
    QCOMPARE(server->lastRequest().body, trickled(total));
    delete reply;
}

void tst_Engine::requestsInARowKeepOnlyTheirOwnOptions()
{
    // One manager, requests one after the other, each made otherwise: the libcurl engine hands a
    // finished request's transfer handle to the next one, which must see none of its options.
    const TestServer::Handler echo = [](TestConnection *c, const RawRequest &r) {
        if (r.header("X-Challenge") == "yes" && !r.hasHeader("Authorization")) {
            c->respond(401, "Unauthorized", {{"WWW-Authenticate", "Basic realm=\"r\""}}, "who?");
            return;
        }
        QByteArray seen = r.method + ' ' + r.target + " body=" + r.body;
        for (const QByteArray name : {"Authorization", "X-Custom", "Expect", "Content-Length", "Transfer-Encoding"}) {
            if (r.hasHeader(name))
                seen += ' ' + name + '=' + r.header(name);
        }
        c->respond(200, "OK", {}, seen);
    };
    server->setHandler(echo);
    // Qt's engine offers credentials that worked again to the same server: the request with
    // credentials goes to another one.
    TestServer guarded;
    guarded.setHandler(echo);
    auto manager = newManager();
    connect(manager.get(), &QNetworkAccessManager::authenticationRequired, this,
            [](QNetworkReply *, QAuthenticator *a) {
                a->setUser(QStringLiteral("user"));
                a->setPassword(QStringLiteral("pass"));
            });
    const auto answer = [&](QNetworkReply *reply) {
        wait(reply);
        const QByteArray body = reply->error() == QNetworkReply::NoError ? reply->readAll()
                                                                         : reply->errorString().toUtf8();
        delete reply;
        return body;
    };
    const auto plainGet = [&] { return answer(manager->get(QNetworkRequest(server->url(QStringLiteral("/plain"))))); };
    const QByteArray plain = "GET /plain body=";

    QUrl withCredentials = guarded.url(QStringLiteral("/put"));
    withCredentials.setUserName(QStringLiteral("user"));
    withCredentials.setPassword(QStringLiteral("pass"));
    QNetworkRequest put(withCredentials);
    put.setRawHeader("X-Custom", "1");
    put.setRawHeader("X-Challenge", "yes");
    put.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
    put.setTransferTimeout(30000);
    const QByteArray basic = "Basic " + QByteArray("user:pass").toBase64();
    QCOMPARE(answer(manager->put(put, QByteArray("abc"))),
             "PUT /put body=abc Authorization=" + basic + " X-Custom=1 Content-Length=3");
    QCOMPARE(plainGet(), plain);

    QNetworkRequest head(server->url(QStringLiteral("/head")));
    QCOMPARE(answer(manager->head(head)), QByteArray());
    QCOMPARE(plainGet(), plain); // with its body

    QNetworkRequest post(server->url(QStringLiteral("/post")));
    post.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
    QCOMPARE(answer(manager->post(post, QByteArray("posted"))), QByteArray("POST /post body=posted Content-Length=6"));
    QCOMPARE(plainGet(), plain);

    QCOMPARE(answer(manager->sendCustomRequest(QNetworkRequest(server->url(QStringLiteral("/gone"))), "DELETE")),
             QByteArray("DELETE /gone body="));
    QCOMPARE(plainGet(), plain);

    QCOMPARE(answer(manager->sendCustomRequest(post, "PROPFIND", QByteArray("<p/>"))),
             QByteArray("PROPFIND /post body=<p/> Content-Length=4"));
    QCOMPARE(plainGet(), plain);

    // Through a proxy (the test server, which sees the target in absolute form), then without.
    manager->setProxy(QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), server->port()));
    QCOMPARE(answer(manager->get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:9/far"))))),
             QByteArray("GET http://127.0.0.1:9/far body="));
    manager->setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    QCOMPARE(plainGet(), plain);
}

void tst_Engine::tlsRequestsInARowKeepOnlyTheirOwnOptions()
{
    // As above, for what TLS adds: a CA list, a client certificate, another name for the
    // certificate to name, a minimum protocol.
    QFile certificateFile(nginx.pkiFile(QStringLiteral("client.pem")));
    QFile keyFile(nginx.pkiFile(QStringLiteral("client.key")));
    QVERIFY(certificateFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    TlsOptions client;
    QVERIFY(client.setClientCertificateFromPem(certificateFile.readAll(), keyFile.readAll(), "secret"));
    QFile caFile(nginx.pkiFile(QStringLiteral("ca.pem")));
    QVERIFY(caFile.open(QIODevice::ReadOnly));
    QSslConfiguration trustingCa = QSslConfiguration::defaultConfiguration();
    trustingCa.setCaCertificates(QSslCertificate::fromData(caFile.readAll()));
    QSslConfiguration withCertificate = trustingCa;
    withCertificate.setLocalCertificate(client.clientCertificate());
    withCertificate.setPrivateKey(client.clientKey());

    auto manager = newManager();
    using Result = std::pair<QNetworkReply::NetworkError, QByteArray>;
    const auto fetch = [&](const QNetworkRequest &request) {
        // Qt's engine keeps a connection whatever the next request's TLS settings: each starts anew.
        manager->clearConnectionCache();
        QNetworkReply *reply = wait(manager->get(request));
        const Result result(reply->error(), reply->readAll());
        delete reply;
        return result;
    };
    QNetworkRequest named(nginx.url(NginxPeer::NamedTls, QStringLiteral("/client")));
    named.setPeerVerifyName(QStringLiteral("courier.test"));
    named.setSslConfiguration(withCertificate);
    QCOMPARE(fetch(named), Result(QNetworkReply::NoError, "SUCCESS CN=courier-client"));
    named.setSslConfiguration(trustingCa);
    QCOMPARE(fetch(named), Result(QNetworkReply::NoError, "NONE "));
    // Neither the CA list nor the name stay: the system's CAs do not know nginx's.
    QCOMPARE(fetch(QNetworkRequest(nginx.url(NginxPeer::NamedTls, QStringLiteral("/client")))).first,
             QNetworkReply::SslHandshakeFailedError);

    QNetworkRequest tls12 = trustingNginx(nginx.url(NginxPeer::Tls12, QStringLiteral("/hello.txt")));
    QSslConfiguration tls13 = tls12.sslConfiguration();
    tls13.setProtocol(QSsl::TlsV1_3OrLater);
    QNetworkRequest tooNew = tls12;
    tooNew.setSslConfiguration(tls13);
    QCOMPARE(fetch(tooNew).first, QNetworkReply::SslHandshakeFailedError);
    QCOMPARE(fetch(tls12), Result(QNetworkReply::NoError, "hello"));
}

void tst_Engine::errorStatusesSetQtsError_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QNetworkReply::NetworkError>("error");
    QTest::newRow("401") << 401 << QNetworkReply::AuthenticationRequiredError;
    QTest::newRow("403") << 403 << QNetworkReply::ContentAccessDenied;
    QTest::newRow("404") << 404 << QNetworkReply::ContentNotFoundError;
    QTest::newRow("409") << 409 << QNetworkReply::ContentConflictError;
    QTest::newRow("422") << 422 << QNetworkReply::UnknownContentError;
    QTest::newRow("500") << 500 << QNetworkReply::InternalServerError;
    QTest::newRow("503") << 503 << QNetworkReply::ServiceUnavailableError;
    QTest::newRow("599") << 599 << QNetworkReply::UnknownServerError;
}

void tst_Engine::errorStatusesSetQtsError()
{
    QFETCH(int, status);
    QFETCH(QNetworkReply::NetworkError, error);
    server->setHandler([status](TestConnection *c, const RawRequest &) { c->respond(status, "Nope", {}, "why"); });
    auto manager = newManager();
    QNetworkReply *reply = manager->get(QNetworkRequest(server->url()));
    QSignalSpy errors(reply, &QNetworkReply::errorOccurred);
    wait(reply);
    QCOMPARE(reply->error(), error);
    QCOMPARE(errors.size(), 1);
    // Qt words a 401 as "Host requires authentication"; otherwise both quote the reason phrase.
    QVERIFY2(reply->errorString().contains(
                 QLatin1String(status == 401 && engine == Client::Engine::Qt ? "authentication" : "Nope")),
             qPrintable(reply->errorString()));
    QCOMPARE(reply->readAll(), QByteArray("why")); // the body of an error status stays readable
    delete reply;
}

void tst_Engine::connectionRefused()
{
    const QUrl closed = server->url();
    server.reset(); // nothing listens there any more
    auto manager = newManager();
    QNetworkReply *reply = wait(manager->get(QNetworkRequest(closed)));
    QCOMPARE(reply->error(), QNetworkReply::ConnectionRefusedError);
    QCOMPARE(reply->errorString(), QStringLiteral("Connection refused")); // the libcurl engine words it as Qt does
    delete reply;
}

void tst_Engine::abortEndsAtOnce()
{
    server->setHandler([](TestConnection *, const RawRequest &) {}); // never answers
    auto manager = newManager();
    QNetworkReply *reply = manager->get(QNetworkRequest(server->url()));
    QTRY_COMPARE(server->requests().size(), 1);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QSignalSpy errors(reply, &QNetworkReply::errorOccurred);
    reply->abort();
    QCOMPARE(finished.size(), 1); // before abort() returns, as Qt's replies do
    QCOMPARE(errors.size(), 1);
    QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
    QVERIFY(reply->isFinished());
    reply->abort(); // again: nothing more
    QTest::qWait(50);
    QCOMPARE(finished.size(), 1);
    delete reply;
}

void tst_Engine::deleteInsideReadyRead()
{
    auto manager = newManager();
    QPointer<QNetworkReply> reply = manager->get(QNetworkRequest(nginx.url(QStringLiteral("/big.bin"))));
    int reads = 0;
    connect(reply, &QNetworkReply::readyRead, this, [&] {
        ++reads;
        // The libcurl engine takes delete inside any of its signals. Qt's asks for deleteLater()
        // (a delete here makes Qt 6.4 read the freed reply afterwards, valgrind shows).
        if (engine == Client::Engine::Curl)
            delete reply.data();
        else
            reply->deleteLater();
    });
    QTRY_VERIFY(reply.isNull());
    QTest::qWait(100); // nothing of the deleted reply arrives later
    if (engine == Client::Engine::Curl)
        QCOMPARE(reads, 1);
    // The manager goes on with other requests.
    QNetworkReply *next = wait(manager->get(QNetworkRequest(nginx.url(QStringLiteral("/hello.txt")))));
    QCOMPARE(next->readAll(), QByteArray("hello"));
    delete next;
}

void tst_Engine::readBufferSizeBoundsMemory()
{
    // 8 MiB with a 64 KiB read buffer, read late: the reply never holds much more than its buffer.
    auto manager = newManager();
    QNetworkReply *reply = manager->get(QNetworkRequest(nginx.url(QStringLiteral("/big.bin"))));
    reply->setReadBufferSize(64 * 1024);
    qint64 most = 0;
    qint64 got = 0;
    connect(reply, &QNetworkReply::readyRead, this, [&] {
        most = std::max(most, reply->bytesAvailable());
        QTimer::singleShot(1, reply, [&, reply] { got += reply->readAll().size(); });
    });
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 60000);
    got += reply->readAll().size();
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(got, 8 * 1024 * 1024);
    // The libcurl engine does nothing before the event loop runs, so the limit holds from the start.
    // Qt's HTTP thread may read a burst before setReadBufferSize() reaches it (megabytes under
    // valgrind): no bound is asserted for it here; Courier's own tests cover its Responses.
    if (engine == Client::Engine::Curl)
        QVERIFY2(most <= 64 * 1024 + 128 * 1024, QByteArray::number(most).constData());
    delete reply;
}

void tst_Engine::decompressionBombWithReadBuffer()
{
    // A gzip bomb read through a 1 MiB read buffer, the reader slow: each engine's own decoding
    // stops it with an error, promptly. (libcurl's engine found it while flushing what a pause
    // held back, and lost the error: the reply waited forever.)
    const QByteArray bomb = gzipZeros(qint64(256) << 20);
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"Content-Encoding", "gzip"}}, bomb);
    });
    auto manager = newManager();
    QNetworkReply *reply = manager->get(QNetworkRequest(server->url()));
    reply->setReadBufferSize(1 << 20);
    connect(reply, &QNetworkReply::readyRead, this,
            [&] { QTimer::singleShot(5, reply, [reply] { reply->read(256 * 1024); }); });
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30000);
    QCOMPARE(reply->error(), QNetworkReply::UnknownContentError);
    delete reply;
}

void tst_Engine::redirectsFollowedByPolicy()
{
    // Qt's default policy, NoLessSafeRedirectPolicy: two hops, reported, then the final answer.
    auto manager = newManager();
    QNetworkReply *reply = manager->get(QNetworkRequest(httpbin.url(QStringLiteral("/redirect/2"))));
    QSignalSpy redirected(reply, &QNetworkReply::redirected);
    wait(reply);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(reply->url().path(), QStringLiteral("/get"));
    QCOMPARE(redirected.size(), 2);
    QCOMPARE(redirected.last().at(0).toUrl().path(), QStringLiteral("/get"));

    QNetworkRequest limited(httpbin.url(QStringLiteral("/redirect/3")));
    limited.setMaximumRedirectsAllowed(2);
    QNetworkReply *tooMany = wait(manager->get(limited));
    QCOMPARE(tooMany->error(), QNetworkReply::TooManyRedirectsError);
    delete reply;
    delete tooMany;

    // A POST answered with 302 or 303 goes on as a GET, without its body; with 307 it stays a POST.
    // Checked on the libcurl engine: Qt 6.4 ends these redirected POSTs with an error reading
    // "Unknown error" in most runs here (not investigated further; Courier follows redirects itself).
    for (int status : {302, 303, 307}) {
        if (engine != Client::Engine::Curl)
            break;
        QNetworkRequest post(httpbin.url(QStringLiteral("/redirect-to?url=/anything&status_code=%1").arg(status)));
        post.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
        QNetworkReply *moved = wait(manager->post(post, QByteArrayLiteral("payload")));
        QVERIFY2(moved->error() == QNetworkReply::NoError, qPrintable(moved->errorString()));
        const QJsonObject echo = QJsonDocument::fromJson(moved->readAll()).object();
        QCOMPARE(echo.value(QStringLiteral("method")).toString(),
                 status == 307 ? QStringLiteral("POST") : QStringLiteral("GET"));
        QCOMPARE(echo.value(QStringLiteral("data")).toString(), status == 307 ? QStringLiteral("payload") : QString());
        delete moved;
    }
}

void tst_Engine::redirectToHttpRefusedFromHttps()
{
    // nginx's /to-port/<port>/<path> on its TLS server redirects to http on that port.
    auto manager = newManager();
    QNetworkRequest request = trustingNginx(
        nginx.url(NginxPeer::Tls, QStringLiteral("/to-port/%1/hello.txt").arg(nginx.port(NginxPeer::Plain))));
    QNetworkReply *reply = wait(manager->get(request));
    QCOMPARE(reply->error(), QNetworkReply::InsecureRedirectError);
    delete reply;
}

void tst_Engine::sameOriginRedirectPolicyStopsAtTheOrigin()
{
    // httpbin's redirect-to goes to another port: another origin.
    auto manager = newManager();
    QNetworkRequest request(httpbin.url(
        QStringLiteral("/redirect-to?url=%1")
            .arg(QString::fromLatin1(QUrl::toPercentEncoding(server->url(QStringLiteral("/elsewhere")).toString())))));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    QNetworkReply *reply = wait(manager->get(request));
    QCOMPARE(reply->error(), QNetworkReply::InsecureRedirectError);
    QVERIFY(server->requests().isEmpty()); // the other origin never heard of it
    delete reply;

    // Within the origin, it is followed.
    QNetworkRequest same(httpbin.url(QStringLiteral("/redirect/1")));
    same.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    reply = wait(manager->get(same));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->url().path(), QStringLiteral("/get"));
    delete reply;
}

void tst_Engine::manualRedirectPolicyStops()
{
    auto manager = newManager();
    QNetworkRequest request(httpbin.url(QStringLiteral("/redirect-to?url=/get&status_code=307")));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = wait(manager->get(request));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 307);
    QCOMPARE(reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl(), QUrl(QStringLiteral("/get")));
    delete reply;
}

void tst_Engine::cookiesOfTheManagersJar()
{
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/set")
            c->respond(200, "OK", {{"Set-Cookie", "session=abc; Path=/"}}, "set");
        else
            c->respond(200, "OK", {}, r.header("Cookie"));
    });
    auto manager = newManager();
    delete wait(manager->get(QNetworkRequest(server->url(QStringLiteral("/set")))));
    QCOMPARE(manager->cookieJar()->cookiesForUrl(server->url()).size(), 1);
    QNetworkReply *reply = wait(manager->get(QNetworkRequest(server->url(QStringLiteral("/echo")))));
    QCOMPARE(reply->readAll(), QByteArray("session=abc"));
    delete reply;

    // Manual cookie control keeps the jar out.
    QNetworkRequest manual(server->url(QStringLiteral("/echo")));
    manual.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    reply = wait(manager->get(manual));
    QCOMPARE(reply->readAll(), QByteArray());
    delete reply;
}

void tst_Engine::credentialsFromTheUrl_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("Basic") << QStringLiteral("/basic-auth/user/pass");
    QTest::newRow("Digest") << QStringLiteral("/digest-auth/auth/user/pass");
}

void tst_Engine::credentialsFromTheUrl()
{
    // Qt's engine answers the challenge through authenticationRequired(); the libcurl engine
    // answers it itself with the URL's credentials. Both end in 200 with no 401 shown.
    QFETCH(QString, path);
    auto manager = newManager();
    connect(manager.get(), &QNetworkAccessManager::authenticationRequired, this,
            [](QNetworkReply *, QAuthenticator *a) {
                a->setUser(QStringLiteral("user"));
                a->setPassword(QStringLiteral("pass"));
            });
    QUrl url = httpbin.url(path);
    url.setUserName(QStringLiteral("user"));
    url.setPassword(QStringLiteral("pass"));
    QNetworkReply *reply = manager->get(QNetworkRequest(url));
    QList<int> statuses;
    connect(reply, &QNetworkReply::metaDataChanged, this,
            [&] { statuses << reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); });
    wait(reply);
    QVERIFY(!statuses.isEmpty());
    QVERIFY(!statuses.contains(401));
    QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QByteArray body = reply->readAll();
    QVERIFY2(body.contains("\"authenticated\":true"), body.constData());
    delete reply;
}

void tst_Engine::throughAnHttpProxy()
{
    // The test server acts as the proxy: a request for an http URL arrives in absolute form.
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        c->respond(200, "OK", {}, r.target + ' ' + r.header("Proxy-Authorization"));
    });
    auto manager = newManager();
    QNetworkProxy proxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), server->port());
    manager->setProxy(proxy);
    const QUrl target(QStringLiteral("http://127.0.0.1:9/somewhere?q=1")); // never connected to
    QNetworkReply *reply = wait(manager->get(QNetworkRequest(target)));
    QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
    QCOMPARE(reply->readAll().trimmed(), QByteArray("http://127.0.0.1:9/somewhere?q=1"));
    delete reply;

    // And through a Client over that manager: Courier's requests take the same way.
    Client client(manager.get());
    Response *r = client.get(target);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->readAll().trimmed(), QByteArray("http://127.0.0.1:9/somewhere?q=1"));

    // A proxy that refuses the connection is the proxy's error.
    server.reset();
    QNetworkReply *refused = wait(manager->get(QNetworkRequest(target)));
    // Qt 6.4 reports a refusing proxy as the target's ConnectionRefusedError.
    QCOMPARE(refused->error(),
             engine == Client::Engine::Curl ? QNetworkReply::ProxyConnectionRefusedError
                                            : QNetworkReply::ConnectionRefusedError);
    delete refused;
    // Courier knows the proxy it went through: the proxy's error on both engines, at its address.
    Response *proxyRefused = client.get(target);
    QVERIFY(proxyRefused->waitForFinished(10000));
    QCOMPARE(proxyRefused->error(), Response::ProxyConnectionRefused);
    QCOMPARE(proxyRefused->errorString(),
             QStringLiteral("The proxy refused the connection (127.0.0.1:%1)").arg(proxy.port()));
}

void tst_Engine::proxyCredentials()
{
    // The proxy asks for Basic credentials and takes only alice:secret.
    const QByteArray good = "Basic " + QByteArray("alice:secret").toBase64();
    server->setHandler([good](TestConnection *c, const RawRequest &r) {
        if (r.header("Proxy-Authorization") == good)
            c->respond(200, "OK", {}, r.target);
        else
            c->respond(407, "Proxy Authentication Required", {{"Proxy-Authenticate", "Basic realm=\"proxy\""}}, "who?");
    });
    auto manager = newManager();
    QNetworkProxy proxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), server->port(), QStringLiteral("alice"),
                        QStringLiteral("secret"));
    manager->setProxy(proxy);
    const QUrl target(QStringLiteral("http://127.0.0.1:9/private")); // never connected to
    QNetworkReply *reply = wait(manager->get(QNetworkRequest(target)));
    QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
    QCOMPARE(reply->readAll(), QByteArray("http://127.0.0.1:9/private"));
    delete reply;

    // Wrong credentials: the proxy's refusal, whichever engine, and through a Client too.
    proxy.setPassword(QStringLiteral("wrong"));
    manager->setProxy(proxy);
    reply = wait(manager->get(QNetworkRequest(target)));
    QCOMPARE(reply->error(), QNetworkReply::ProxyAuthenticationRequiredError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 407);
    delete reply;

    Client client(manager.get());
    Response *r = client.get(target);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::ProxyAuthenticationRequired);
    QCOMPARE(r->category(), Response::Proxy);
    QCOMPARE(r->statusCode(), 407);
    QVERIFY2(r->errorString().contains(QLatin1String("the proxy replied 407")), qPrintable(r->errorString()));
    QVERIFY(!r->hasTransportError()); // the proxy's answer, an HTTP status

    // An https URL goes through a CONNECT tunnel, which the proxy refuses the same way.
    Response *tunnel = client.get(QUrl(QStringLiteral("https://127.0.0.1:9/private")));
    QVERIFY(tunnel->waitForFinished(10000));
    QCOMPARE(tunnel->error(), Response::ProxyAuthenticationRequired);
    QCOMPARE(tunnel->statusCode(), 0); // no response from the server
    QVERIFY(tunnel->hasTransportError());

    // A tunnel refused for another reason is the proxy's error too.
    server->setHandler([](TestConnection *c, const RawRequest &) { c->respond(403, "Forbidden", {}, "no"); });
    Response *forbidden = client.get(QUrl(QStringLiteral("https://127.0.0.1:9/private")));
    QVERIFY(forbidden->waitForFinished(10000));
    // Qt 6.4 reports it as a socket access error, UnknownNetworkError ("Proxy denied connection").
    QCOMPARE(forbidden->error(),
             engine == Client::Engine::Curl ? Response::UnknownProxyError : Response::UnknownNetworkError);
    QVERIFY2(forbidden->errorString().contains(engine == Client::Engine::Curl ? QLatin1String("403")
                                                                              : QLatin1String("Proxy")),
             qPrintable(forbidden->errorString()));
    QVERIFY(forbidden->hasTransportError());
}

void tst_Engine::throughASocks5Proxy()
{
    server->setHandler([](TestConnection *c, const RawRequest &r) { c->respond(200, "OK", {}, r.target); });
    Socks5Proxy socks("alice", "secret");
    QVERIFY(socks.port() != 0);
    auto manager = newManager();
    QNetworkProxy proxy(QNetworkProxy::Socks5Proxy, QStringLiteral("127.0.0.1"), socks.port(), QStringLiteral("alice"),
                        QStringLiteral("secret"));
    manager->setProxy(proxy);
    const QUrl target(QStringLiteral("http://localhost:%1/socks?q=1").arg(server->port()));
    QNetworkReply *reply = wait(manager->get(QNetworkRequest(target)));
    QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
    QCOMPARE(reply->readAll(), QByteArray("/socks?q=1"));
    delete reply;
    // The proxy resolves the name: the client asked for "localhost", not an address.
    QCOMPARE(socks.targets, QList<QByteArray>{"localhost:" + QByteArray::number(server->port())});

    // Courier's requests take the same way.
    Client client(manager.get());
    Response *r = client.get(target);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->readAll(), QByteArray("/socks?q=1"));

    // Wrong credentials.
    proxy.setPassword(QStringLiteral("wrong"));
    manager->setProxy(proxy);
    Response *refused = client.get(target);
    QVERIFY(refused->waitForFinished(10000));
    QCOMPARE(refused->error(), Response::ProxyAuthenticationRequired);
    QVERIFY(refused->hasTransportError());
    QCOMPARE(socks.refused, 1);

    // A target the proxy cannot reach.
    proxy.setPassword(QStringLiteral("secret"));
    manager->setProxy(proxy);
    Response *unreachable = client.get(QUrl(QStringLiteral("http://127.0.0.1:9/")));
    QVERIFY(unreachable->waitForFinished(10000));
    QCOMPARE(unreachable->error(), Response::ConnectionRefused);
    QVERIFY(unreachable->hasTransportError());
}

void tst_Engine::applicationProxyAsItIsNow()
{
    // The application's proxy, as set when each request is made, except for a loopback host
    // (Qt's rule); a proxy factory of the manager's, for any host.
    const TestServer::Handler echo = [](TestConnection *c, const RawRequest &r) {
        c->respond(200, "OK", {}, r.target);
    };
    server->setHandler(echo);
    TestServer second;
    second.setHandler(echo);
    const auto restore = qScopeGuard([] { QNetworkProxy::setApplicationProxy(QNetworkProxy()); });
    auto manager = newManager();
    const auto fetch = [&](const QUrl &url) {
        QNetworkReply *reply = wait(manager->get(QNetworkRequest(url)));
        const QByteArray body = reply->error() == QNetworkReply::NoError ? reply->readAll()
                                                                         : reply->errorString().toUtf8();
        delete reply;
        return body;
    };
    const QUrl far(QStringLiteral("http://192.0.2.1:9/far")); // TEST-NET-1: only ever through a proxy

    QNetworkProxy::setApplicationProxy(
        QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), server->port()));
    QCOMPARE(fetch(far), QByteArray("http://192.0.2.1:9/far"));
    QCOMPARE(server->requests().size(), 1);
    QNetworkProxy::setApplicationProxy(
        QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), second.port()));
    QCOMPARE(fetch(far), QByteArray("http://192.0.2.1:9/far"));
    QCOMPARE(second.requests().size(), 1);
    QCOMPARE(server->requests().size(), 1);
    // A loopback host is never sent to the application's proxy.
    QCOMPARE(fetch(server->url(QStringLiteral("/near"))), QByteArray("/near"));
    QCOMPARE(fetch(QUrl(QStringLiteral("http://localhost:%1/named").arg(server->port()))), QByteArray("/named"));
    QCOMPARE(second.requests().size(), 1);

    // The manager's factory answers for every host, loopback ones too.
    class ToSecond : public QNetworkProxyFactory
    {
    public:
        explicit ToSecond(quint16 to)
            : port(to)
        {
        }
        QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &) override
        {
            return {QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), port)};
        }
        quint16 port;
    };
    manager->setProxyFactory(new ToSecond(second.port()));
    const QUrl near = server->url(QStringLiteral("/near"));
    QCOMPARE(fetch(near), near.toEncoded());
    QCOMPARE(second.requests().size(), 2);
}

void tst_Engine::cleartextHttp2OnlyWhenAsked()
{
    // On http, HTTP/2 is h2c with prior knowledge (Http2DirectAttribute) or nothing: Qt 6.4 sends
    // no "Upgrade: h2c", whatever the attributes say, and neither may the libcurl engine.
    QList<QByteArray> upgrades;
    server->setHandler([&upgrades](TestConnection *c, const RawRequest &r) {
        upgrades << r.header("Upgrade") + r.header("HTTP2-Settings");
        c->respond(200, "OK", {}, "fine");
    });
    auto manager = newManager();
    for (int asked = 0; asked < 3; ++asked) {
        QNetworkRequest request(server->url(QStringLiteral("/")));
        if (asked >= 1)
            request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
        if (asked == 2)
            request.setAttribute(QNetworkRequest::Http2CleartextAllowedAttribute, true);
        QNetworkReply *reply = wait(manager->get(request));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QVERIFY(!reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool());
        delete reply;
    }
    QCOMPARE(upgrades, QList<QByteArray>(3, QByteArray()));
}

void tst_Engine::tlsVerifiedAndHttp2()
{
    auto manager = newManager();
    QNetworkRequest request = trustingNginx(nginx.tlsUrl(QStringLiteral("/hello.txt")));
    QNetworkReply *reply = manager->get(request);
    QSignalSpy encrypted(reply, &QNetworkReply::encrypted);
    wait(reply);
    QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
    QCOMPARE(reply->readAll(), QByteArray("hello"));
    QCOMPARE(reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool(), true);
    QCOMPARE(reply->attribute(QNetworkRequest::ConnectionEncryptedAttribute).toBool(), true);
    QCOMPARE(encrypted.size(), 1);
    delete reply;

    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    reply = wait(manager->get(request));
    QCOMPARE(reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool(), false);
    QCOMPARE(reply->readAll(), QByteArray("hello"));
    delete reply;
}

void tst_Engine::http2AnswerBeforeTheBodyIsSent()
{
    // nginx answers a POST to a static file without reading its body and resets the stream
    // (NO_ERROR): the answer is the reply's, promptly (libcurl 7.88 spun on the rest of the body
    // until a timeout, or failed with "stream closed").
    auto manager = newManager();
    QNetworkRequest request = trustingNginx(nginx.tlsUrl(QStringLiteral("/post/hello.txt")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/octet-stream"));
    request.setTransferTimeout(10000);
    QNetworkReply *reply = wait(manager->post(request, QByteArray(900 * 1000, 'b')), 30000);
    QVERIFY(reply->isFinished());
    QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
    QCOMPARE(reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool(), true);
    QCOMPARE(reply->readAll(), QByteArray("hello"));
    delete reply;
}

void tst_Engine::tlsUnknownCaRefused()
{
    auto manager = newManager();
    QNetworkRequest request(nginx.tlsUrl(QStringLiteral("/hello.txt")));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates({}); // trusts nothing
    request.setSslConfiguration(tls);
    QNetworkReply *reply = wait(manager->get(request));
    QCOMPARE(reply->error(), QNetworkReply::SslHandshakeFailedError);
    delete reply;
}

void tst_Engine::transferTimeout()
{
    server->setHandler([](TestConnection *, const RawRequest &) {}); // silence
    auto manager = newManager();
    QNetworkRequest request(server->url());
    request.setTransferTimeout(1000);
    QNetworkReply *reply = wait(manager->get(request), 20000);
    QVERIFY(reply->isFinished());
    // Qt 6.4 aborts (OperationCanceledError); the libcurl engine says what happened.
    QVERIFY2(reply->error() == QNetworkReply::OperationCanceledError || reply->error() == QNetworkReply::TimeoutError,
             qPrintable(reply->errorString()));
    delete reply;
}

void tst_Engine::curlHandsOtherSchemesToQt()
{
#if COURIER_HAS_CURL
    CurlAccessManager manager;
    QNetworkReply *reply = wait(manager.get(QNetworkRequest(QUrl(QStringLiteral("data:text/plain,hi%20there")))));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->readAll(), QByteArray("hi there"));
    delete reply;
    QNetworkReply *unknown = wait(manager.get(QNetworkRequest(QUrl(QStringLiteral("gopher://127.0.0.1/")))));
    QCOMPARE(unknown->error(), QNetworkReply::ProtocolUnknownError);
    delete unknown;
#endif
}

void tst_Engine::curlHandsCacheableRequestsToQt()
{
#if COURIER_HAS_CURL
    // With a cache installed, Qt's engine serves requests that may use it; the others stay on libcurl.
    QTemporaryDir dir;
    CurlAccessManager manager;
    auto *cache = new QNetworkDiskCache(&manager);
    cache->setCacheDirectory(dir.path());
    manager.setCache(cache);
    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"Cache-Control", "max-age=600"}}, "cached body");
    });
    QNetworkReply *first = wait(manager.get(QNetworkRequest(server->url())));
    QCOMPARE(first->readAll(), QByteArray("cached body"));
    QVERIFY(first->metaObject()->className() != QByteArray("Courier::CurlReply"));
    delete first;
    QNetworkReply *second = wait(manager.get(QNetworkRequest(server->url())));
    QCOMPARE(second->attribute(QNetworkRequest::SourceIsFromCacheAttribute).toBool(), true);
    QCOMPARE(second->readAll(), QByteArray("cached body"));
    QCOMPARE(server->requests().size(), 1);
    delete second;
    QNetworkRequest network(server->url());
    network.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    QNetworkReply *third = wait(manager.get(network));
    QCOMPARE(third->metaObject()->className(), "Courier::CurlReply");
    QCOMPARE(server->requests().size(), 2);
    delete third;
#endif
}

QTEST_GUILESS_MAIN(tst_Engine)
#include "tst_engine.moc"
