// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// TLS against nginx: verification on by default with Qt's reasons in the error string; extra CA
// certificates (PEM bytes or file, added to or replacing the system set); the host-name check and
// the peer verify name; public-key pinning (also on a reused connection); mutual TLS with an
// encrypted client key; the minimum TLS version; https -> http redirects.

#include <Courier/Client>
#include <Courier/version.h>
#if COURIER_HAS_CURL
#include <Courier/CurlAccessManager>
#endif

#include "peers.h"
#include "spy.h"

#include <QtCore/QFile>
#include <QtCore/QLoggingCategory>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QSslConfiguration>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

namespace {
QStringList capturedLog;
void captureMessages(QtMsgType, const QMessageLogContext &, const QString &message) { capturedLog << message; }
} // namespace

class tst_Tls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sslConfigurationIsBuiltOnce();
    void initTestCase();
    void untrustedIsRefused();
    void trustedSucceeds();
    void caFromFile();
    void caOptionsReadFailures();
    void replacingTheSystemSet();
    void unknownCaIsRefused();
    void casGivenToLibcurl();
    void hostNameMismatch();
    void peerVerifyName();
    void hostNameCheckOff();
    void requestOptionsReplaceClientOptions();
    void pinMatchesCurl();
    void pinning_data();
    void pinning();
    void pinsCheckedOnReusedConnection_data();
    void pinsCheckedOnReusedConnection();
    void mutualTls();
    void minimumProtocol();
    void httpsToHttpRedirectIsRefused();
    void httpsToHttpRedirectAllowedExplicitly();
    void httpToHttpsRedirectIsFollowed();

private:
    TlsOptions trusting() const;
    TlsOptions trustingCa() const;
    Response *fetch(Client &client, const QUrl &url);

    NginxPeer nginx;
};

TlsOptions tst_Tls::trusting() const
{
    TlsOptions tls;
    tls.addCaCertificatesFromPem(nginx.certificatePem());
    return tls;
}

TlsOptions tst_Tls::trustingCa() const
{
    TlsOptions tls;
    [&] { QVERIFY(tls.addCaCertificatesFromFile(nginx.pkiFile(QStringLiteral("ca.pem")))); }();
    return tls;
}

Response *tst_Tls::fetch(Client &client, const QUrl &url)
{
    Response *r = client.get(url);
    r->waitForFinished(20000);
    return r;
}

void tst_Tls::initTestCase()
{
    COURIER_REQUIRE_PEER(nginx);
    QVERIFY(nginx.addFile(QStringLiteral("hello.txt"), "hello over tls"));
    QVERIFY(TlsOptions().isDefault());
    QCOMPARE(TlsOptions().minimumProtocol(), QSsl::TlsV1_2OrLater);
    QVERIFY(TlsOptions().hostNameCheckEnabled());
    QVERIFY(TlsOptions().systemCaCertificatesUsed());
}

void tst_Tls::untrustedIsRefused()
{
    Client client;
    Response *r = client.get(nginx.tlsUrl(QStringLiteral("/hello.txt")));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::SslHandshakeFailed);
    QCOMPARE(r->category(), Response::Network);
    QVERIFY2(r->errorString().contains(QLatin1String("self signed"), Qt::CaseInsensitive)
                 || r->errorString().contains(QLatin1String("self-signed"), Qt::CaseInsensitive),
             qPrintable(r->errorString()));
    QCOMPARE(r->readAll(), QByteArray());
    QCOMPARE(log.sequence(), QStringLiteral("download error finished"));
}

void tst_Tls::trustedSucceeds()
{
    Client client;
    client.setTlsOptions(trusting());
    Response *r = fetch(client, nginx.tlsUrl(QStringLiteral("/hello.txt")));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->statusMessage(), QStringLiteral("OK")); // HTTP/2 has no reason phrase: from the table
    QCOMPARE(r->protocol(), Request::Protocol::Http2); // ALPN still offered with Courier's configuration
    QCOMPARE(r->readAll(), QByteArray("hello over tls"));
}

void tst_Tls::caFromFile()
{
    TlsOptions tls;
    QVERIFY(tls.addCaCertificatesFromFile(nginx.pkiFile(QStringLiteral("cert.pem"))));
    QCOMPARE(tls.caCertificates().size(), 1);
    Client client;
    client.setTlsOptions(tls);
    Response *r = fetch(client, nginx.tlsUrl(QStringLiteral("/hello.txt")));
    QCOMPARE(r->error(), Response::NoError);
}

void tst_Tls::caOptionsReadFailures()
{
    TlsOptions tls;
    QVERIFY(!tls.addCaCertificatesFromFile(nginx.pkiFile(QStringLiteral("no-such.pem"))));
    QVERIFY(!tls.addCaCertificatesFromPem("not a certificate"));
    QVERIFY(!tls.addCaCertificatesFromFile(nginx.pkiFile(QStringLiteral("key.pem")))); // a key, no certificate
    QVERIFY(tls.caCertificates().isEmpty());
    QVERIFY(tls.isDefault());
}

void tst_Tls::replacingTheSystemSet()
{
    // Only the given CA: the server is trusted through it alone.
    TlsOptions only = trusting();
    only.setSystemCaCertificatesUsed(false);
    Client client;
    client.setTlsOptions(only);
    QCOMPARE(fetch(client, nginx.tlsUrl(QStringLiteral("/hello.txt")))->error(), Response::NoError);

    // An empty replacement trusts nothing at all.
    TlsOptions none;
    none.setSystemCaCertificatesUsed(false);
    Client untrusting;
    untrusting.setTlsOptions(none);
    QCOMPARE(fetch(untrusting, nginx.tlsUrl(QStringLiteral("/hello.txt")))->error(), Response::SslHandshakeFailed);
}

void tst_Tls::casGivenToLibcurl()
{
    // Which CAs each engine trusts, by the outcome: the system's and the extra one, only the extra
    // one, and none at all. On the libcurl engine, also what libcurl is given: a file with the
    // extra CAs only (the system's list is never decoded nor written out), with libcurl's own
    // system folder when the system's CAs are used too, and nothing else when they are not (an
    // empty list included, which the QNetworkAccessManager API cannot tell from the default).
    TlsOptions withSystem = trusting();
    TlsOptions only = trusting();
    only.setSystemCaCertificatesUsed(false);
    TlsOptions none;
    none.setSystemCaCertificatesUsed(false);
    const struct
    {
        TlsOptions tls;
        Response::Error error;
        int certificates;
        QString system; // how the log line ends
    } cases[] = {
        {withSystem, Response::NoError, 1, QStringLiteral(", and the system's in /etc/ssl/certs")},
        {only, Response::NoError, 1, QStringLiteral(", not the system's")},
        {none, Response::SslHandshakeFailed, 0, QStringLiteral(", not the system's")},
    };
    for (const auto &c : cases) {
        capturedLog.clear();
        QLoggingCategory::setFilterRules(QStringLiteral("courier.tls.debug=true"));
        const QtMessageHandler previous = qInstallMessageHandler(captureMessages);
        Client client;
        client.setTlsOptions(c.tls);
        const Response::Error error = fetch(client, nginx.tlsUrl(QStringLiteral("/hello.txt")))->error();
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());
        QCOMPARE(error, c.error);
        if (client.engine() != Client::Engine::Curl)
            continue;
        static const QRegularExpression line(
            QStringLiteral("^libcurl trusts (\\d+) CA certificate\\(s\\) in (\\S+)(,.*)$"));
        QRegularExpressionMatch m;
        for (const QString &message : std::as_const(capturedLog)) {
            if ((m = line.match(message)).hasMatch())
                break;
        }
        QVERIFY2(m.hasMatch(), qPrintable(capturedLog.join(u'\n')));
        QCOMPARE(m.captured(1).toInt(), c.certificates);
        QFile file(m.captured(2));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(capturedLog.join(u'\n')));
        QCOMPARE(file.readAll().count("-----BEGIN CERTIFICATE-----"), c.certificates);
        QCOMPARE(m.captured(3), c.system);
    }
}

void tst_Tls::unknownCaIsRefused()
{
    TlsOptions tls;
    tls.setPeerVerifyName(QStringLiteral("courier.test"));
    Client client;
    client.setTlsOptions(tls); // the name matches, but ca.pem is not trusted
    Response *r = fetch(client, nginx.url(NginxPeer::NamedTls, QStringLiteral("/client")));
    QCOMPARE(r->error(), Response::SslHandshakeFailed);
    QVERIFY2(r->errorString().contains(QLatin1String("issuer"), Qt::CaseInsensitive), qPrintable(r->errorString()));
}

void tst_Tls::hostNameMismatch()
{
    Client client;
    client.setTlsOptions(trustingCa()); // trusted chain, but issued for courier.test, reached as 127.0.0.1
    Response *r = fetch(client, nginx.url(NginxPeer::NamedTls, QStringLiteral("/client")));
    QCOMPARE(r->error(), Response::SslHandshakeFailed);
    QVERIFY2(r->errorString().contains(QLatin1String("host name"), Qt::CaseInsensitive), qPrintable(r->errorString()));
    QCOMPARE(r->readAll(), QByteArray());
}

void tst_Tls::peerVerifyName()
{
    TlsOptions tls = trustingCa();
    tls.setPeerVerifyName(QStringLiteral("courier.test"));
    Client client;
    client.setTlsOptions(tls);
    Response *r = fetch(client, nginx.url(NginxPeer::NamedTls, QStringLiteral("/client")));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll(), QByteArray("NONE ")); // no client certificate was asked for

    tls.setPeerVerifyName(QStringLiteral("other.test"));
    client.setTlsOptions(tls);
    client.networkAccessManager()->clearConnectionCache();
    QCOMPARE(fetch(client, nginx.url(NginxPeer::NamedTls, QStringLiteral("/client")))->error(),
             Response::SslHandshakeFailed);
}

void tst_Tls::hostNameCheckOff()
{
    TlsOptions tls = trustingCa();
    tls.setHostNameCheckEnabled(false);
    Client client;
    client.setTlsOptions(tls);
    // Loud: a warning when the request is sent, and with Qt's engine, which reports the mismatch
    // before accepting it, one when the mismatch is accepted (libcurl does not check the name).
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("host-name check is off")));
    if (client.engine() == Client::Engine::Qt)
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("does not name")));
    Response *r = fetch(client, nginx.url(NginxPeer::NamedTls, QStringLiteral("/client")));
    QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));

    // Only the name is forgiven: an untrusted chain is still refused.
    TlsOptions untrusted;
    untrusted.setHostNameCheckEnabled(false);
    Client other;
    other.setTlsOptions(untrusted);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("host-name check is off")));
    Response *refused = fetch(other, nginx.url(NginxPeer::NamedTls, QStringLiteral("/client")));
    QCOMPARE(refused->error(), Response::SslHandshakeFailed);
}

void tst_Tls::requestOptionsReplaceClientOptions()
{
    Client client; // trusts nothing extra
    Request request(nginx.tlsUrl(QStringLiteral("/hello.txt")));
    request.setTlsOptions(trusting());
    QVERIFY(request.tlsOptions().has_value());
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);

    Client trustingClient;
    trustingClient.setTlsOptions(trusting());
    Request strict(nginx.tlsUrl(QStringLiteral("/hello.txt")));
    strict.setTlsOptions(TlsOptions()); // replaces, not merges: the default trusts no test CA
    Response *refused = trustingClient.send(strict);
    QVERIFY(refused->waitForFinished(20000));
    QCOMPARE(refused->error(), Response::SslHandshakeFailed);
}

void tst_Tls::pinMatchesCurl()
{
    // The pin format is curl's --pinnedpubkey: base64 SHA-256 of the DER SubjectPublicKeyInfo.
    QProcess shell;
    shell.start(QStringLiteral("/bin/sh"),
                {QStringLiteral("-c"),
                 QStringLiteral("openssl x509 -in '%1' -pubkey -noout | openssl pkey -pubin -outform der | "
                                "openssl dgst -sha256 -binary | base64")
                     .arg(nginx.pkiFile(QStringLiteral("cert.pem")))});
    QVERIFY(shell.waitForFinished(20000));
    const QByteArray expected = shell.readAllStandardOutput().trimmed();
    QCOMPARE(expected.size(), 44);
    const QSslCertificate certificate(nginx.certificatePem(), QSsl::Pem);
    QCOMPARE(TlsOptions::publicKeyPin(certificate), expected);
}

void tst_Tls::pinning_data()
{
    QTest::addColumn<QByteArray>("pin");
    QTest::addColumn<bool>("accepted");
    const QByteArray right = TlsOptions::publicKeyPin(QSslCertificate(nginx.certificatePem(), QSsl::Pem));
    const QByteArray wrong = QByteArray(32, 'x').toBase64();
    QTest::newRow("right") << right << true;
    QTest::newRow("right, curl prefix") << QByteArray("sha256//" + right) << true;
    QTest::newRow("wrong") << wrong << false;
}

void tst_Tls::pinning()
{
    QFETCH(QByteArray, pin);
    QFETCH(bool, accepted);
    TlsOptions tls = trusting();
    QVERIFY(tls.addPinnedPublicKey(pin));
    QVERIFY(!tls.addPinnedPublicKey("c2hvcnQ=")); // not 32 bytes
    QVERIFY(!tls.addPinnedPublicKey("!!not base64!!"));
    QCOMPARE(tls.pinnedPublicKeys().size(), 1);
    Client client;
    client.setTlsOptions(tls);
    Response *r = client.get(nginx.tlsUrl(QStringLiteral("/hello.txt")));
    SignalLog log(r);
    QStringList connection; // the connection signals, as they come
    connect(r, &Response::connecting, this, [&] { connection.append(QStringLiteral("connecting")); });
    connect(r, &Response::connected, this, [&] { connection.append(QStringLiteral("connected")); });
    connect(r, &Response::tlsEstablished, this, [&] { connection.append(QStringLiteral("tls")); });
    connect(r, &Response::requestSent, this, [&] { connection.append(QStringLiteral("sent")); });
    QVERIFY(r->waitForFinished(20000));
    if (accepted) {
        QCOMPARE(r->error(), Response::NoError);
        QCOMPARE(r->readAll(), QByteArray("hello over tls"));
        QCOMPARE(connection.join(QLatin1Char(' ')), QStringLiteral("connecting connected tls sent"));
    } else {
        // Nobody hears of a connection to a server whose key is not pinned.
        QVERIFY2(!connection.contains(QLatin1String("connected")) && !connection.contains(QLatin1String("tls"))
                     && !connection.contains(QLatin1String("sent")),
                 qPrintable(connection.join(QLatin1Char(' '))));
        QCOMPARE(r->error(), Response::SslHandshakeFailed);
        QVERIFY2(r->errorString().contains(QLatin1String("pinned public key")), qPrintable(r->errorString()));
        QCOMPARE(r->readAll(), QByteArray()); // nothing from an unpinned server is readable
        QCOMPARE(log.count(QStringLiteral("headers")), 0);
        QCOMPARE(log.count(QStringLiteral("finished")), 1);
    }
}

void tst_Tls::pinsCheckedOnReusedConnection_data()
{
    QTest::addColumn<bool>("ownManager");
    QTest::newRow("the Client's own manager") << true;
    QTest::newRow("a manager the application gives") << false;
}

void tst_Tls::pinsCheckedOnReusedConnection()
{
    QFETCH(bool, ownManager);
    std::unique_ptr<QNetworkAccessManager> given;
    if (!ownManager) {
#if COURIER_HAS_CURL
        if (Client::defaultEngine() == Client::Engine::Curl)
            given = std::make_unique<CurlAccessManager>();
#endif
        if (!given)
            given = std::make_unique<QNetworkAccessManager>();
    }
    std::unique_ptr<Client> owner = given ? std::make_unique<Client>(given.get()) : std::make_unique<Client>();
    Client &client = *owner;
    QCOMPARE(client.engine(), Client::defaultEngine());
    client.setTlsOptions(trusting());
    Response *first = fetch(client, nginx.tlsUrl(QStringLiteral("/hello.txt")));
    QCOMPARE(first->error(), Response::NoError);

    const auto handshakes = [](const Response *r) {
        const QList<TimelineEvent> events = r->timeline();
        return std::count_if(events.cbegin(), events.cend(),
                             [](const TimelineEvent &e) { return e.kind == TimelineEvent::TlsEstablished; });
    };
    TlsOptions pinned = trusting();
    pinned.addPinnedPublicKey(QByteArray(32, 'x').toBase64());
    Request request(nginx.tlsUrl(QStringLiteral("/hello.txt")));
    request.setTlsOptions(pinned);
    Response *second = client.send(request);
    QVERIFY(second->waitForFinished(20000));
    QCOMPARE(second->error(), Response::SslHandshakeFailed);
    QCOMPARE(second->statusCode(), 0); // refused before its headers were shown
    // On Qt's engine, other TLS options mean another connection when the Client made its
    // manager (a manager per TlsOptions), where the pins are checked at the handshake; with the
    // application's manager Qt reuses the open connection (no handshake) and the pins are
    // checked against the chain the reply reports. libcurl may reuse the connection (pins are
    // not among the TLS settings it keys connections on) and checks them before each request;
    // tst_hostile shows that nothing is sent either way.
    if (client.engine() == Client::Engine::Qt)
        QCOMPARE(handshakes(second), ownManager ? 1 : 0);

    TlsOptions rightPin = trusting();
    rightPin.addPinnedPublicKey(TlsOptions::publicKeyPin(QSslCertificate(nginx.certificatePem(), QSsl::Pem)));
    request.setTlsOptions(rightPin);
    for (int i = 0; i < 2; ++i) {
        Response *r = client.send(request);
        QVERIFY(r->waitForFinished(20000));
        QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
        if (i == 1) // pinned requests reuse their own connection, checked again each time
            QCOMPARE(handshakes(r), 0);
    }
}

void tst_Tls::mutualTls()
{
    QFile certificate(nginx.pkiFile(QStringLiteral("client.pem")));
    QFile key(nginx.pkiFile(QStringLiteral("client.key")));
    QVERIFY(certificate.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
    const QByteArray certificatePem = certificate.readAll();
    const QByteArray keyPem = key.readAll();
    QVERIFY(keyPem.contains("ENCRYPTED"));

    TlsOptions tls = trustingCa();
    tls.setPeerVerifyName(QStringLiteral("courier.test"));
    QVERIFY(!tls.setClientCertificateFromPem(certificatePem, keyPem, "wrong password"));
    QVERIFY(tls.clientCertificate().isNull());
    QVERIFY(tls.setClientCertificateFromPem(certificatePem, keyPem, "secret"));
    QVERIFY(!tls.clientKey().isNull());

    Client client;
    client.setTlsOptions(tls);
    Response *r = fetch(client, nginx.url(NginxPeer::NamedTls, QStringLiteral("/client")));
    QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
    QCOMPARE(r->readAll(), QByteArray("SUCCESS CN=courier-client"));
}

void tst_Tls::minimumProtocol()
{
    const QUrl url = nginx.url(NginxPeer::Tls12, QStringLiteral("/hello.txt"));
    Client client;
    client.setTlsOptions(trusting());
    QCOMPARE(fetch(client, url)->error(), Response::NoError); // TLS 1.2 is accepted by default

    TlsOptions tls13 = trusting();
    tls13.setMinimumProtocol(QSsl::TlsV1_3OrLater);
    Client strict;
    strict.setTlsOptions(tls13);
    Response *r = fetch(strict, url);
    QCOMPARE(r->error(), Response::SslHandshakeFailed);
}

void tst_Tls::httpsToHttpRedirectIsRefused()
{
    Client client;
    client.setTlsOptions(trusting());
    Response *r = client.get(nginx.tlsUrl(QStringLiteral("/to-http")));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::InsecureRedirect);
    QVERIFY2(r->errorString().contains(QLatin1String("https to http")), qPrintable(r->errorString()));
    QCOMPARE(log.count(QStringLiteral("redirected")), 0);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    // nothing was requested over cleartext
    const QByteArray plain = QByteArray::number(nginx.port(NginxPeer::Plain)) + ' ';
    for (const QByteArray &line : nginx.accessLog())
        QVERIFY2(!line.startsWith(plain), line.constData());
}

void tst_Tls::httpsToHttpRedirectAllowedExplicitly()
{
    Client client;
    client.setTlsOptions(trusting());
    QSignalSpy changed(&client, &Client::insecureRedirectsAllowedChanged);
    client.setInsecureRedirectsAllowed(true);
    QCOMPARE(changed.count(), 1);
    Response *r = fetch(client, nginx.tlsUrl(QStringLiteral("/to-http")));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->url().scheme(), QStringLiteral("http"));
    QCOMPARE(r->readAll(), QByteArray("hello over tls"));

    // Per request, both ways.
    Request allowed(nginx.tlsUrl(QStringLiteral("/to-http")));
    allowed.setInsecureRedirectsAllowed(true);
    Client strict;
    strict.setTlsOptions(trusting());
    Response *a = strict.send(allowed);
    QVERIFY(a->waitForFinished(20000));
    QCOMPARE(a->error(), Response::NoError);
    Request refused(nginx.tlsUrl(QStringLiteral("/to-http")));
    refused.setInsecureRedirectsAllowed(false);
    Response *b = client.send(refused);
    QVERIFY(b->waitForFinished(20000));
    QCOMPARE(b->error(), Response::InsecureRedirect);
}

void tst_Tls::httpToHttpsRedirectIsFollowed()
{
    Client client;
    client.setTlsOptions(trusting());
    Response *r = client.get(nginx.url(QStringLiteral("/redirect-to-https")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->url().scheme(), QStringLiteral("https"));
    QCOMPARE(r->readAll(), QByteArray("hello over tls"));
}

void tst_Tls::sslConfigurationIsBuiltOnce()
{
    // Every request of a Client carries the configuration: it is built once, then shared.
    TlsOptions options;
    QVERIFY(options.addCaCertificatesFromPem(nginx.certificatePem()));
    const QSslConfiguration first = options.sslConfiguration();
    QCOMPARE(first.caCertificates().size(), QSslConfiguration::systemCaCertificates().size() + 1);
    QCOMPARE(options.sslConfiguration(), first);
    const TlsOptions copy = options; // shares it too
    QCOMPARE(copy.sslConfiguration(), first);
    options.setSystemCaCertificatesUsed(false); // a change builds it again
    QCOMPARE(options.sslConfiguration().caCertificates().size(), 1);
    QCOMPARE(copy.sslConfiguration().caCertificates().size(), first.caCertificates().size());
    options.setMinimumProtocol(QSsl::TlsV1_3OrLater);
    QCOMPARE(options.sslConfiguration().protocol(), QSsl::TlsV1_3OrLater);
}

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_tls.moc"
