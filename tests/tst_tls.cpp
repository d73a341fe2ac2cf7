// TLS against nginx: an untrusted self-signed server is refused with Qt's reason; once its
// certificate is trusted the request succeeds; an https -> http redirect is refused.

#include <Courier/Client>

#include "peers.h"
#include "spy.h"

#include <QtNetwork/QSslConfiguration>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

class tst_Tls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void untrustedIsRefused();
    void trustedSucceeds();
    void httpsToHttpRedirectIsRefused();
    void httpToHttpsRedirectIsFollowed();

private:
    NginxPeer nginx;
};

void tst_Tls::initTestCase()
{
    COURIER_REQUIRE_PEER(nginx);
    QVERIFY(nginx.addFile(QStringLiteral("hello.txt"), "hello over tls"));
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
    // The application trusts the test CA the way Qt applications do; Courier's own TLS options
    // come with the transport issue.
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.addCaCertificates(QSslCertificate::fromData(nginx.certificatePem(), QSsl::Pem));
    QSslConfiguration::setDefaultConfiguration(config);

    Client client;
    Response *r = client.get(nginx.tlsUrl(QStringLiteral("/hello.txt")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->statusMessage(), QStringLiteral("OK")); // HTTP/2 has no reason phrase: from the table
    QCOMPARE(r->readAll(), QByteArray("hello over tls"));
}

void tst_Tls::httpsToHttpRedirectIsRefused()
{
    Client client;
    Response *r = client.get(nginx.tlsUrl(QStringLiteral("/to-http")));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::InsecureRedirect);
    QVERIFY2(r->errorString().contains(QLatin1String("https to http")), qPrintable(r->errorString()));
    QCOMPARE(log.count(QStringLiteral("redirected")), 0);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    // nothing was requested over cleartext
    for (const QByteArray &line : nginx.accessLog())
        QVERIFY2(!(line.contains("/hello.txt") && line.contains("HTTP/1.1")), line.constData());
}

void tst_Tls::httpToHttpsRedirectIsFollowed()
{
    Client client;
    Response *r = client.get(nginx.url(QStringLiteral("/redirect-to-https")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->url().scheme(), QStringLiteral("https"));
    QCOMPARE(r->readAll(), QByteArray("hello over tls"));
}

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_tls.moc"
