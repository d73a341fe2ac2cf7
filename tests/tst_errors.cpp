// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Every error Courier can produce locally: HTTP status mapping, refused, host not found, bad
// URLs and schemes, invalid methods and headers, resets. Each ends from the event loop with
// errorOccurred then finished, exactly once. messages(): the exact words of each failure, the same
// on both engines, and the same as doc/errors.md shows them. The servers are Courier::Test's
// MockServer, but for a listener whose accept queue is full (FullBacklog) and a SOCKS5 proxy.

#include <Courier/Client>
#include <Courier/MockServer>
#include <Courier/TlsOptions>

#include "peers.h"
#include "socks5proxy.h"
#include "spy.h"
#include "testserver.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QMetaEnum>
#include <QtCore/QRegularExpression>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxy>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <functional>

using namespace Courier;
using namespace Courier::Test;
using namespace std::chrono_literals;

namespace {

// An answer that does not come within any test: the request is read, and nothing is sent.
MockResponse never() { return MockResponse().setHeadersDelay(1h); }

// A valid URL host longer than DNS allows (253 octets): the resolver refuses it without sending a
// query, so the tests get a real lookup failure and no packet leaves the machine (a shorter
// ".invalid" name would be sent to the configured name server).
QString unresolvableHost()
{
    return QStringList(5, QString(63, QLatin1Char('a'))).join(QLatin1Char('.')) + QStringLiteral(".invalid");
}

// What a row of messages() provokes its failure with: a Client, and the peers the row starts.
struct Stage
{
    TestPki *pki = nullptr;
    Client client;
    std::unique_ptr<MockServer> server;
    std::unique_ptr<FullBacklog> backlog;
    std::unique_ptr<Socks5Proxy> socks;
    quint16 port = 0; // the port of the row's peer, written 8000 in the expected message

    // A server answering every request (and every connection, for a fault at Phase::Connect)
    // with \a answer; the URL of \a path on it.
    QUrl serve(const QString &path, const MockResponse &answer)
    {
        server = std::make_unique<MockServer>();
        if (!server->listen())
            return {};
        server->setDefaultResponse(answer);
        port = server->port();
        return server->url(path);
    }
    // An https server with the certificate of \a pemFile and the key of \a keyFile (TestPki's).
    QUrl serveTls(const QString &pemFile, const QString &keyFile)
    {
        server = std::make_unique<MockServer>();
        if (!server->useTls(pki->certificates(pemFile), pki->key(keyFile)) || !server->listen())
            return {};
        port = server->port();
        return server->url();
    }
    // Stalls: reads the request and never answers.
    QUrl stall() { return serve(QStringLiteral("/"), never()); }
    void trust(const QString &pemFile, const QByteArray &pin = {})
    {
        TlsOptions tls;
        QFile pem(pki->file(pemFile));
        QVERIFY(pem.open(QIODevice::ReadOnly));
        QVERIFY(tls.addCaCertificatesFromPem(pem.readAll()));
        if (!pin.isEmpty())
            QVERIFY(tls.addPinnedPublicKey(pin));
        client.setTlsOptions(tls);
    }
    void proxy(QNetworkProxy::ProxyType type, const QString &host, quint16 proxyPort)
    {
        client.networkAccessManager()->setProxy(QNetworkProxy(type, host, proxyPort));
    }
};

using Provoke = std::function<Response *(Stage &)>;

// One failure, as doc/errors.md shows it: the row's peer at 127.0.0.1:8000, an unresolvable
// name as no-such-host.invalid.
struct MessageCase
{
    const char *name;
    Response::Error error;
    bool transport;
    QString message;
    Provoke provoke;
};

const QString shownHost = QStringLiteral("no-such-host.invalid");
const QString shownPeer = QStringLiteral("127.0.0.1:8000");

const QList<MessageCase> &messageCases()
{
    static const QList<MessageCase> cases = {
        {"connection refused", Response::ConnectionRefused, true, QStringLiteral("Connection refused (127.0.0.1:1)"),
         [](Stage &s) { return s.client.get(QUrl(QStringLiteral("http://127.0.0.1:1/"))); }},
        {"connection refused, https", Response::ConnectionRefused, true,
         QStringLiteral("Connection refused (127.0.0.1:1)"),
         [](Stage &s) { return s.client.get(QUrl(QStringLiteral("https://127.0.0.1:1/"))); }},
        {"host not found", Response::HostNotFound, true, QStringLiteral("Host not found (no-such-host.invalid)"),
         [](Stage &s) { return s.client.get(QUrl(QStringLiteral("http://%1/").arg(unresolvableHost()))); }},
        {"closed before the status line", Response::RemoteHostClosed, true,
         QStringLiteral("The server closed the connection early (127.0.0.1:8000: before a complete HTTP response)"),
         [](Stage &s) {
             // Nothing, then the connection closes (a raw answer's fault comes after its bytes).
             return s.client.get(
                 s.serve(QStringLiteral("/"),
                         MockResponse::raw({}).setFault(MockResponse::Fault::Close, MockResponse::Phase::StatusLine)));
         }},
        {"closed in the body", Response::RemoteHostClosed, true,
         QStringLiteral("The server closed the connection early (127.0.0.1:8000: after 40 of the 100 bytes "
                        "announced by Content-Length)"),
         [](Stage &s) {
             return s.client.get(s.serve(QStringLiteral("/"),
                                         MockResponse(200, QByteArray(100, 'x'))
                                             .setFault(MockResponse::Fault::Close, MockResponse::Phase::Body, 40)));
         }},
        {"connect timeout", Response::Timeout, true,
         QStringLiteral("Timed out (127.0.0.1:8000: no connection within 200 ms, the connect timeout)"),
         [](Stage &s) {
             s.backlog = std::make_unique<FullBacklog>();
             s.port = s.backlog->port();
             s.client.setConnectTimeout(200);
             return s.client.get(s.backlog->url());
         }},
        {"read timeout", Response::Timeout, true,
         QStringLiteral("Timed out (127.0.0.1:8000: no data for 200 ms, the read timeout)"),
         [](Stage &s) {
             s.client.setReadTimeout(200);
             return s.client.get(s.stall());
         }},
        {"total timeout", Response::Timeout, true,
         QStringLiteral("Timed out (127.0.0.1:8000: the request took longer than its total timeout of 200 ms)"),
         [](Stage &s) {
             s.client.setTotalTimeout(200);
             return s.client.get(s.stall());
         }},
        {"untrusted certificate", Response::SslHandshakeFailed, true,
         QStringLiteral("TLS handshake failed (127.0.0.1:8000: The certificate is self-signed, and untrusted)"),
         [](Stage &s) { return s.client.get(s.serveTls(QStringLiteral("cert.pem"), QStringLiteral("key.pem"))); }},
        {"expired certificate", Response::SslHandshakeFailed, true,
         QStringLiteral("TLS handshake failed (127.0.0.1:8000: The certificate has expired)"),
         [](Stage &s) {
             s.trust(QStringLiteral("ca.pem"));
             return s.client.get(s.serveTls(QStringLiteral("expired.pem"), QStringLiteral("expired.key")));
         }},
        {"certificate for another name", Response::SslHandshakeFailed, true,
         QStringLiteral("TLS handshake failed (127.0.0.1:8000: The host name did not match any of the valid hosts "
                        "for this certificate)"),
         [](Stage &s) {
             s.trust(QStringLiteral("ca.pem"));
             return s.client.get(s.serveTls(QStringLiteral("named.pem"), QStringLiteral("named.key")));
         }},
        {"no pinned key", Response::SslHandshakeFailed, true,
         QStringLiteral("TLS handshake failed (127.0.0.1:8000: no certificate in the server's chain of 1 matches a "
                        "pinned public key)"),
         [](Stage &s) {
             s.trust(QStringLiteral("cert.pem"),
                     TlsOptions::publicKeyPin(s.pki->certificates(QStringLiteral("other.pem")).value(0)));
             return s.client.get(s.serveTls(QStringLiteral("cert.pem"), QStringLiteral("key.pem")));
         }},
        {"HTTP proxy refused", Response::ProxyConnectionRefused, true,
         QStringLiteral("The proxy refused the connection (127.0.0.1:1)"),
         [](Stage &s) {
             s.proxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), 1);
             return s.client.get(QUrl(QStringLiteral("http://127.0.0.1:9/")));
         }},
        {"HTTP proxy refused, https", Response::ProxyConnectionRefused, true,
         QStringLiteral("The proxy refused the connection (127.0.0.1:1)"),
         [](Stage &s) {
             s.proxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), 1);
             return s.client.get(QUrl(QStringLiteral("https://127.0.0.1:9/")));
         }},
        {"SOCKS5 proxy refused", Response::ProxyConnectionRefused, true,
         QStringLiteral("The proxy refused the connection (127.0.0.1:1)"),
         [](Stage &s) {
             s.proxy(QNetworkProxy::Socks5Proxy, QStringLiteral("127.0.0.1"), 1);
             return s.client.get(QUrl(QStringLiteral("http://127.0.0.1:9/")));
         }},
        {"HTTP proxy not found", Response::ProxyNotFound, true,
         QStringLiteral("Proxy not found (no-such-host.invalid)"),
         [](Stage &s) {
             s.proxy(QNetworkProxy::HttpProxy, unresolvableHost(), 3128);
             return s.client.get(QUrl(QStringLiteral("http://127.0.0.1:9/")));
         }},
        {"refused behind a SOCKS5 proxy", Response::ConnectionRefused, true,
         QStringLiteral("Connection refused (127.0.0.1:1)"),
         [](Stage &s) {
             s.socks = std::make_unique<Socks5Proxy>();
             s.proxy(QNetworkProxy::Socks5Proxy, QStringLiteral("127.0.0.1"), s.socks->port());
             return s.client.get(QUrl(QStringLiteral("http://127.0.0.1:1/")));
         }},
        {"too many redirects", Response::TooManyRedirects, true,
         QStringLiteral("Too many redirects: stopped after 3, the limit (last one to http://127.0.0.1:8000/loop)"),
         [](Stage &s) {
             s.client.setMaximumRedirects(3);
             return s.client.get(s.serve(QStringLiteral("/loop"), MockResponse(302).setHeader("Location", "/loop")));
         }},
        {"invalid URL", Response::ProtocolInvalidOperation, true,
         QStringLiteral("Invalid request: the URL \"http:///path\" has no host"),
         [](Stage &s) { return s.client.get(QUrl(QStringLiteral("http:///path"))); }},
        {"unsupported scheme", Response::ProtocolUnknown, true,
         QStringLiteral("Unsupported protocol: \"ftp\" URLs are not supported, only http and https"),
         [](Stage &s) { return s.client.get(QUrl(QStringLiteral("ftp://127.0.0.1/file"))); }},
        {"canceled", Response::OperationCanceled, true, QStringLiteral("Canceled: the request was aborted"),
         [](Stage &s) {
             Response *r = s.client.get(s.serve(QStringLiteral("/"), never()));
             QObject::connect(s.server.get(), &MockServer::requestReceived, r, &Response::abort); // once it is in
             return r;
         }},
        {"404", Response::ContentNotFound, false, QStringLiteral("Not found: the server replied 404 Not Found"),
         [](Stage &s) {
             return s.client.get(s.serve(QStringLiteral("/missing"),
                                         MockResponse(404, "no such page").setHeader("Content-Type", "text/plain")));
         }},
    };
    return cases;
}

// \a message as the documentation shows it: the row's peer at 127.0.0.1:8000, the unresolvable
// name as no-such-host.invalid.
QString shown(QString message, quint16 port)
{
    if (port != 0)
        message.replace(QStringLiteral("127.0.0.1:%1").arg(port), shownPeer);
    return message.replace(unresolvableHost(), shownHost);
}

// A stretch of 12 characters that occurs twice in \a message (a detail said again), or empty.
QString repeatedPart(const QString &message)
{
    constexpr int window = 12;
    for (int i = 0; i + window <= message.size(); ++i) {
        const QString part = message.mid(i, window);
        if (message.indexOf(part, i + 1) >= 0)
            return part;
    }
    return {};
}

QString readDoc(const QString &page)
{
    QFile f(QStringLiteral(COURIER_SOURCE_DIR "/") + page);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

Q_DECLARE_METATYPE(Provoke)

class tst_Errors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void statusMapping_data();
    void statusMapping();
    void connectionRefused();
    void hostNotFound();
    void refusedBeforeSending_data();
    void refusedBeforeSending();
    void resetMidBody_data();
    void resetMidBody();
    void categories();
    void messages_data();
    void messages();
    void documentedMessages();
    void errorStringEmptyWithoutError();

private:
    void expectOnce(const SignalLog &log, Response::Error error);
    std::unique_ptr<MockServer> server;
    std::unique_ptr<Client> client;
    TestPki pki;
};

void tst_Errors::init()
{
    server = std::make_unique<MockServer>();
    QVERIFY2(server->listen(), qPrintable(server->errorString()));
    client = std::make_unique<Client>();
}

void tst_Errors::expectOnce(const SignalLog &log, Response::Error error)
{
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QCOMPARE(log.names.last(), QStringLiteral("finished"));
    if (error == Response::NoError) {
        QCOMPARE(log.count(QStringLiteral("error")), 0);
    } else {
        QCOMPARE(log.errors, QList<Response::Error>{error});
        QCOMPARE(log.names.at(log.names.size() - 2), QStringLiteral("error"));
    }
    QVERIFY(log.count(QStringLiteral("download")) >= 1);
}

void tst_Errors::statusMapping_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<Response::Error>("error");
    QTest::newRow("200") << 200 << Response::NoError;
    QTest::newRow("201") << 201 << Response::NoError;
    QTest::newRow("299") << 299 << Response::NoError;
    QTest::newRow("304") << 304 << Response::NoError;
    QTest::newRow("399") << 399 << Response::NoError;
    QTest::newRow("400") << 400 << Response::UnknownContentError;
    QTest::newRow("401") << 401 << Response::AuthenticationRequired;
    QTest::newRow("402") << 402 << Response::UnknownContentError;
    QTest::newRow("403") << 403 << Response::ContentAccessDenied;
    QTest::newRow("404") << 404 << Response::ContentNotFound;
    QTest::newRow("405") << 405 << Response::ContentOperationNotPermitted;
    QTest::newRow("407") << 407 << Response::ProxyAuthenticationRequired;
    QTest::newRow("408") << 408 << Response::UnknownContentError;
    QTest::newRow("409") << 409 << Response::ContentConflict;
    QTest::newRow("410") << 410 << Response::ContentGone;
    QTest::newRow("418") << 418 << Response::UnknownContentError;
    QTest::newRow("422") << 422 << Response::UnknownContentError;
    QTest::newRow("429") << 429 << Response::UnknownContentError;
    QTest::newRow("451") << 451 << Response::UnknownContentError;
    QTest::newRow("499") << 499 << Response::UnknownContentError;
    QTest::newRow("500") << 500 << Response::InternalServerError;
    QTest::newRow("501") << 501 << Response::OperationNotImplemented;
    QTest::newRow("502") << 502 << Response::UnknownServerError;
    QTest::newRow("503") << 503 << Response::ServiceUnavailable;
    QTest::newRow("504") << 504 << Response::UnknownServerError;
    QTest::newRow("511") << 511 << Response::UnknownServerError;
    QTest::newRow("599") << 599 << Response::UnknownServerError;
}

void tst_Errors::statusMapping()
{
    QFETCH(int, status);
    QFETCH(Response::Error, error);
    server->enqueue(MockResponse(status, "the body")
                        .setStatus(status, "Reason " + QByteArray::number(status))
                        .setHeader("Content-Type", "text/plain"));
    Response *r = client->get(server->url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->statusCode(), status);
    QCOMPARE(r->statusMessage(), QStringLiteral("Reason %1").arg(status));
    QCOMPARE(r->error(), error);
    QCOMPARE(r->error(), Response::errorForStatus(status));
    QCOMPARE(r->category(),
             error == Response::NoError ? Response::None
                 : status >= 500        ? Response::Server
                 : status == 407        ? Response::Proxy
                                        : Response::Content);
    QVERIFY(!r->hasTransportError()); // the exchange worked; the status is the server's answer
    QVERIFY(r->isComplete());
    QCOMPARE(r->isHttpSuccess(), status >= 200 && status < 300);
    // An error page is readable; a 304 has no body by definition.
    QCOMPARE(r->readAll(), status == 304 ? QByteArray() : QByteArray("the body"));
    if (error != Response::NoError)
        QVERIFY2(r->errorString().contains(QString::number(status)), qPrintable(r->errorString()));
    QCOMPARE(log.sequence(),
             error == Response::NoError ? QStringLiteral("headers download finished")
                                        : QStringLiteral("headers download error finished"));
    expectOnce(log, error);
}

void tst_Errors::connectionRefused()
{
    const QUrl url = server->url();
    server.reset(); // nothing listens on that port now
    Response *r = client->get(url);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::ConnectionRefused);
    QCOMPARE(r->category(), Response::Network);
    QVERIFY(r->hasTransportError());
    QCOMPARE(r->statusCode(), 0);
    QVERIFY2(r->errorString().contains(QLatin1String("refused")), qPrintable(r->errorString()));
    QVERIFY(r->errorString().contains(QString::number(url.port())));
    QCOMPARE(log.sequence(), QStringLiteral("download error finished"));
    QCOMPARE(log.downloads, (QList<QPair<qint64, qint64>>{{0, 0}}));
    expectOnce(log, Response::ConnectionRefused);
}

void tst_Errors::hostNotFound()
{
    const QUrl url(QStringLiteral("http://%1/").arg(unresolvableHost()));
    QVERIFY(url.isValid());
    Response *r = client->get(url);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(30000));
    QCOMPARE(r->error(), Response::HostNotFound);
    QCOMPARE(r->category(), Response::Network);
    QVERIFY2(r->errorString().startsWith(QLatin1String("Host not found")), qPrintable(r->errorString()));
    expectOnce(log, Response::HostNotFound);
}

void tst_Errors::refusedBeforeSending_data()
{
    QTest::addColumn<QUrl>("url"); // empty with a header or method: the test server's URL
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("headerName");
    QTest::addColumn<QByteArray>("headerValue");
    QTest::addColumn<Response::Error>("error");
    QTest::addColumn<QString>("mentions");
    const QUrl ok(QStringLiteral("http://127.0.0.1:0/placeholder"));
    QTest::newRow("empty URL") << QUrl() << QByteArray("GET") << QByteArray() << QByteArray()
                               << Response::ProtocolUnknown << QStringLiteral("no URL");
    QTest::newRow("no scheme") << QUrl(QStringLiteral("just/a/path")) << QByteArray("GET") << QByteArray()
                               << QByteArray() << Response::ProtocolUnknown << QStringLiteral("no scheme");
    QTest::newRow("ftp") << QUrl(QStringLiteral("ftp://127.0.0.1/file")) << QByteArray("GET") << QByteArray()
                         << QByteArray() << Response::ProtocolUnknown << QStringLiteral("\"ftp\"");
    QTest::newRow("file") << QUrl(QStringLiteral("file:///etc/passwd")) << QByteArray("GET") << QByteArray()
                          << QByteArray() << Response::ProtocolUnknown << QStringLiteral("\"file\"");
    QTest::newRow("gopher") << QUrl(QStringLiteral("gopher://127.0.0.1/")) << QByteArray("GET") << QByteArray()
                            << QByteArray() << Response::ProtocolUnknown << QStringLiteral("\"gopher\"");
    QTest::newRow("invalid URL") << QUrl(QStringLiteral("http://[::1")) << QByteArray("GET") << QByteArray()
                                 << QByteArray() << Response::ProtocolInvalidOperation << QStringLiteral("not valid");
    QTest::newRow("no host") << QUrl(QStringLiteral("http:///path")) << QByteArray("GET") << QByteArray()
                             << QByteArray() << Response::ProtocolInvalidOperation << QStringLiteral("no host");
    QTest::newRow("CRLF in value") << ok << QByteArray("GET") << QByteArray("X-Evil")
                                   << QByteArray("a\r\nInjected: yes") << Response::ProtocolInvalidOperation
                                   << QStringLiteral("X-Evil");
    QTest::newRow("LF in value") << ok << QByteArray("GET") << QByteArray("X-Evil") << QByteArray("a\nb")
                                 << Response::ProtocolInvalidOperation << QStringLiteral("CR, LF");
    QTest::newRow("NUL in value") << ok << QByteArray("GET") << QByteArray("X-Evil") << QByteArray("a\0b", 3)
                                  << Response::ProtocolInvalidOperation << QStringLiteral("NUL");
    QTest::newRow("CR in name") << ok << QByteArray("GET") << QByteArray("X-Evil\r\nInjected") << QByteArray("v")
                                << Response::ProtocolInvalidOperation << QStringLiteral("X-Evil\\r\\nInjected");
    QTest::newRow("space in name") << ok << QByteArray("GET") << QByteArray("X Evil") << QByteArray("v")
                                   << Response::ProtocolInvalidOperation << QStringLiteral("token");
    QTest::newRow("empty name") << ok << QByteArray("GET") << QByteArray("") << QByteArray("v")
                                << Response::ProtocolInvalidOperation << QStringLiteral("token");
    QTest::newRow("method with space") << ok << QByteArray("GET /x HTTP/1.1\r\nX:") << QByteArray() << QByteArray()
                                       << Response::ProtocolInvalidOperation << QStringLiteral("method");
    QTest::newRow("empty method") << ok << QByteArray("") << QByteArray() << QByteArray()
                                  << Response::ProtocolInvalidOperation << QStringLiteral("method");
}

void tst_Errors::refusedBeforeSending()
{
    QFETCH(QUrl, url);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, headerName);
    QFETCH(QByteArray, headerValue);
    QFETCH(Response::Error, error);
    QFETCH(QString, mentions);
    if (url.path() == QLatin1String("/placeholder"))
        url = server->url();
    Request request(url, method);
    if (!headerName.isNull())
        request.setHeader(headerName, headerValue);
    Response *r = client->send(request);
    SignalLog log(r);
    QVERIFY(r->isRunning());
    QVERIFY(log.names.isEmpty()); // nothing was emitted inside send(): the caller could connect first
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), error);
    QVERIFY(r->hasTransportError());
    QVERIFY2(r->errorString().contains(mentions), qPrintable(r->errorString()));
    QVERIFY(r->reply() == nullptr);
    expectOnce(log, error);
    QTest::qWait(20);
    QCOMPARE(server->connectionCount(), 0); // nothing was sent
}

void tst_Errors::resetMidBody_data()
{
    // Qt 6.4 notices the reset in some event orders and not in others; each row is a new try.
    QTest::addColumn<int>("attempt");
    for (int i = 0; i < 10; ++i)
        QTest::addRow("%d", i) << i;
}

void tst_Errors::resetMidBody()
{
    // 5000 bytes of the 1000000 announced, then a reset once they have left the server.
    server->enqueue(MockResponse(200, QByteArray(5000, 'r'))
                        .setHeader("Content-Length", "1000000")
                        .setFault(MockResponse::Fault::Reset, MockResponse::Phase::Body, 5000));
    Response *r = client->get(server->url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QVERIFY(r->hasTransportError());
    QCOMPARE(r->category(), Response::Network);
    QCOMPARE(r->error(), Response::RemoteHostClosed);
    QVERIFY(!r->isComplete());
    QVERIFY(r->readAll().size() <= 5000);
    expectOnce(log, r->error());
}

void tst_Errors::categories()
{
    QCOMPARE(Response::categoryOf(Response::NoError), Response::None);
    for (auto e : {Response::ConnectionRefused, Response::Timeout, Response::TooManyRedirects,
                   Response::InsecureRedirect, Response::UnknownNetworkError})
        QCOMPARE(Response::categoryOf(e), Response::Network);
    for (auto e :
         {Response::ProxyConnectionRefused, Response::ProxyAuthenticationRequired, Response::UnknownProxyError})
        QCOMPARE(Response::categoryOf(e), Response::Proxy);
    for (auto e : {Response::ContentAccessDenied, Response::ContentReSend, Response::UnknownContentError})
        QCOMPARE(Response::categoryOf(e), Response::Content);
    for (auto e : {Response::ProtocolUnknown, Response::ProtocolInvalidOperation, Response::ProtocolFailure})
        QCOMPARE(Response::categoryOf(e), Response::Protocol);
    for (auto e : {Response::InternalServerError, Response::ServiceUnavailable, Response::UnknownServerError})
        QCOMPARE(Response::categoryOf(e), Response::Server);

    // The numeric values are part of the API.
    const QList<int> values = {0,   1,   2,   3,   4,   5,   6,   7,   8,   10,  11,  99,  101, 102, 103, 104, 105,
                               199, 201, 202, 203, 204, 205, 206, 207, 299, 301, 302, 399, 401, 402, 403, 499};
    const QMetaEnum meta = QMetaEnum::fromType<Response::Error>();
    QList<int> actual;
    for (int i = 0; i < meta.keyCount(); ++i)
        actual << meta.value(i);
    QCOMPARE(actual, values);
}

void tst_Errors::messages_data()
{
    QTest::addColumn<Provoke>("provoke");
    QTest::addColumn<Response::Error>("error");
    QTest::addColumn<bool>("transport");
    QTest::addColumn<QString>("message");
    for (const MessageCase &c : messageCases())
        QTest::newRow(c.name) << c.provoke << c.error << c.transport << c.message;
}

void tst_Errors::messages()
{
    QFETCH(Provoke, provoke);
    QFETCH(Response::Error, error);
    QFETCH(bool, transport);
    QFETCH(QString, message);
    QString why;
    QVERIFY2(pki.create(&why), qPrintable(why));
    Stage stage;
    stage.pki = &pki;
    Response *r = provoke(stage);
    QVERIFY(r);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(30000));
    QCOMPARE(r->error(), error);
    QCOMPARE(r->hasTransportError(), transport);
    expectOnce(log, error);
    // One expected text for both engines: what failed, where, and the detail once.
    const QString actual = shown(r->errorString(), stage.port);
    QCOMPARE(actual, message);
    QVERIFY2(repeatedPart(actual).isEmpty(), qPrintable(repeatedPart(actual)));
    // doc/errors.md shows it.
    QVERIFY2(readDoc(QStringLiteral("doc/errors.md")).contains(QLatin1Char('`') + message + QLatin1Char('`')),
             qPrintable(QStringLiteral("doc/errors.md does not show `%1`").arg(message)));
}

void tst_Errors::documentedMessages()
{
    // Every message the pages quote in the words of a failure messages() checks ("Connection
    // refused (…)", "Timed out (…)") has the shape of one it checks: the same words, with other
    // hosts, ports and numbers allowed. A quote that ends with "…" is the start of one.
    QStringList titles;
    QStringList shapes;
    static const QRegularExpression place(QStringLiteral("[A-Za-z0-9.-]+:[0-9]+"));
    static const QRegularExpression number(QStringLiteral("[0-9]+"));
    const auto shapeOf = [](QString text) {
        return text.replace(place, QStringLiteral("HOST:PORT")).replace(number, QStringLiteral("N"));
    };
    for (const MessageCase &c : messageCases()) {
        static const QRegularExpression title(QStringLiteral("^[^(:]+"));
        titles << QRegularExpression::escape(title.match(c.message).captured().trimmed());
        shapes << shapeOf(c.message).replace(shownHost, QStringLiteral("HOST"));
    }
    titles.removeDuplicates();
    // In backticks, or in double quotes in the prose.
    const QString opening = QStringLiteral("(?:%1)(?: \\(|: )").arg(titles.join(QLatin1Char('|')));
    const QRegularExpression quoted(QStringLiteral("`(%1[^`]*)`|\"(%1[^\"]*)\"").arg(opening));
    QStringList pages = {QStringLiteral("README.md")};
    for (const QString &page : QDir(QStringLiteral(COURIER_SOURCE_DIR "/doc")).entryList({QStringLiteral("*.md")}))
        pages << QStringLiteral("doc/") + page;
    int checked = 0;
    for (const QString &page : pages) {
        const QString text = readDoc(page).simplified(); // a quote may span lines
        for (auto it = quoted.globalMatch(text); it.hasNext(); ++checked) {
            const QRegularExpressionMatch m = it.next();
            const QString quote = m.captured(1).isNull() ? m.captured(2) : m.captured(1);
            QString shape = shapeOf(quote).replace(shownHost, QStringLiteral("HOST"));
            const bool start = shape.endsWith(QChar(0x2026)) || shape.endsWith(QLatin1String("..."));
            if (start)
                shape.chop(shape.endsWith(QChar(0x2026)) ? 1 : 3);
            const bool matches = std::any_of(shapes.cbegin(), shapes.cend(), [&](const QString &s) {
                return start ? s.startsWith(shape) : s == shape;
            });
            QVERIFY2(matches,
                     qPrintable(QStringLiteral("%1 quotes \"%2\", which no row of messages() has").arg(page, quote)));
        }
    }
    QVERIFY(checked >= messageCases().size());
}

void tst_Errors::errorStringEmptyWithoutError()
{
    server->route("GET", QStringLiteral("/missing"), MockResponse(404, "no such page"));
    server->route("GET", QStringLiteral("/"), MockResponse(200, "fine"));
    Response *r = client->get(server->url());
    QVERIFY(r->isRunning());
    QCOMPARE(r->errorString(), QString()); // running
    QCOMPARE(r->property("errorString").toString(), QString());
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->errorString(), QString()); // succeeded, not QIODevice's "Unknown error"
    QCOMPARE(r->property("errorString").toString(), QString());
    r->close();
    QCOMPARE(r->errorString(), QString());

    // A 404 is an answer, not a failure of the exchange, and errorString() says what it is.
    Response *missing = client->get(server->url(QStringLiteral("/missing")));
    QVERIFY(missing->waitForFinished(10000));
    QCOMPARE(missing->error(), Response::ContentNotFound);
    QVERIFY(!missing->hasTransportError());
    QCOMPARE(missing->errorString(), QStringLiteral("Not found: the server replied 404 Not Found"));
    QCOMPARE(missing->property("errorString").toString(), missing->errorString());
    missing->close();
    QCOMPARE(missing->errorString(), QStringLiteral("Not found: the server replied 404 Not Found"));
}

QTEST_GUILESS_MAIN(tst_Errors)
#include "tst_errors.moc"
