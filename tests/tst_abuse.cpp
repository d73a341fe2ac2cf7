// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Hostile servers and hostile input: a gzip bomb of 1 GiB, header blocks of a megabyte and of
// ten thousand fields, an endless body, slowloris servers, secrets that must stay with their
// origin across every kind of redirect chain, control characters in every part of a request, and
// TLS servers that must be refused with their reason. Memory is measured with the kernel's peak
// RSS (reset through /proc/self/clear_refs) where a bound is the point.

#include <Courier/Client>
#include <Courier/CookieJar>
#include <Courier/TlsOptions>

#include "peers.h"
#include "memory.h"
#include "spy.h"
#include "testserver.h"

#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;
using namespace std::chrono_literals;

namespace {

// Writes \a piece every \a intervalMs until the peer goes or \a bound bytes were written; returns
// the count of bytes written so far, kept up to date.
std::shared_ptr<qint64> pour(TestConnection *c, const QByteArray &piece, int intervalMs, qint64 bound)
{
    auto *timer = new QTimer(c);
    auto written = std::make_shared<qint64>(0);
    QObject::connect(timer, &QTimer::timeout, c, [c, timer, piece, written, bound] {
        if (*written >= bound || c->socket()->state() != QAbstractSocket::ConnectedState) {
            timer->stop();
            return;
        }
        // Only as fast as the client takes it: a full kernel buffer is the client not reading.
        if (c->socket()->bytesToWrite() > (1 << 20))
            return;
        c->write(piece);
        *written += piece.size();
    });
    timer->start(intervalMs);
    return written;
}

} // namespace

class tst_Abuse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void gzipBomb();
    void oversizedHeaderBlock_data();
    void oversizedHeaderBlock();
    void endlessBody_data();
    void endlessBody();
    void slowloris_data();
    void slowloris();
    void secretsStayWithTheOrigin_data();
    void secretsStayWithTheOrigin();
    void httpsToHttpCarriesNoSecret();
    void controlCharacters_data();
    void controlCharacters();
    void tlsRefusals_data();
    void tlsRefusals();

private:
    NginxPeer nginx;
};

void tst_Abuse::initTestCase()
{
    COURIER_REQUIRE_PEER(nginx);
    QVERIFY(nginx.addFile(QStringLiteral("hello.txt"), "hello over tls"));
    QVERIFY2(resetPeakRss(), "/proc/self/clear_refs is not writable");
}

void tst_Abuse::gzipBomb()
{
    // 1 GiB of zeros, gzip -9: about 1 MiB on the wire.
    QProcess gzip;
    gzip.start(QStringLiteral("/bin/sh"),
               {QStringLiteral("-c"), QStringLiteral("head -c 1073741824 /dev/zero | gzip -9")});
    QVERIFY(gzip.waitForFinished(120000));
    const QByteArray bomb = gzip.readAllStandardOutput();
    QVERIFY2(bomb.size() > 500000 && bomb.size() < 2000000, QByteArray::number(bomb.size()).constData());

    TestServer server;
    server.setHandler([&bomb](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"Content-Type", "application/octet-stream"}, {"Content-Encoding", "gzip"}}, bomb);
    });
    Client client;
    QVERIFY(resetPeakRss());
    const qint64 before = statusKiB("VmRSS");
    Response *r = client.get(server.url());
    SignalLog log(r);
    qint64 decoded = 0;
    connect(r, &QIODevice::readyRead, this, [&] { decoded += r->skip(r->bytesAvailable()); });
    QVERIFY(r->waitForFinished(120000));
    const qint64 peakGrowth = statusKiB("VmHWM") - before;
    qInfo("gzip bomb: %lld bytes compressed, %lld decoded before the refusal, peak RSS +%lld KiB", qint64(bomb.size()),
          decoded, peakGrowth);
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QVERIFY2(r->errorString().contains(QLatin1String("could not be decoded")), qPrintable(r->errorString()));
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QVERIFY(decoded < 64 << 20);
    QVERIFY2(peakGrowth < 128 * 1024, "more than 128 MiB held for a body refused as a bomb");
}

void tst_Abuse::oversizedHeaderBlock_data()
{
    QTest::addColumn<QByteArray>("fields"); // the header block is "HTTP/1.1 200 OK\r\n" + fields + ...
    QTest::addColumn<bool>("endless"); // fields is poured forever instead, the block never ending

    QTest::newRow("one field of 1 MiB") << "X-Big: " + QByteArray(1 << 20, 'b') + "\r\n" << false;
    QByteArray many;
    for (int i = 0; i < 1024; ++i)
        many += "X-Field-" + QByteArray::number(i) + ": " + QByteArray(1000, 'm') + "\r\n";
    QTest::newRow("1 MiB in 1,024 fields") << many << false;
    QByteArray tenThousand;
    for (int i = 0; i < 10000; ++i)
        tenThousand += "X-" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("10,000 fields") << tenThousand << false;
    QTest::newRow("endless header block")
        << QByteArray("X-More: " + QByteArray(1000, 'e') + "\r\n").repeated(64) << true;
}

void tst_Abuse::oversizedHeaderBlock()
{
    QFETCH(QByteArray, fields);
    QFETCH(bool, endless);
    TestServer server;
    server.setHandler([&](TestConnection *c, const RawRequest &) {
        c->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n");
        if (endless)
            pour(c, fields, 1, qint64(1) << 30);
        else
            c->write(fields + "Content-Length: 4\r\n\r\nbody"); // and the connection stays open
    });
    Client client;
    Request request(server.url());
    request.setReadTimeout(2s);
    QVERIFY(resetPeakRss());
    const qint64 before = statusKiB("VmRSS");
    Response *r = client.send(request);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(120000));
    const qint64 peakGrowth = statusKiB("VmHWM") - before;
    qInfo("%s: %s, peak RSS +%lld KiB", QTest::currentDataTag(), qPrintable(r->errorString()), peakGrowth);
    // An error, from Courier's limit or from the read timeout, never a success or a hang. Past
    // its own limits Qt 6.4 drops the whole block and goes on with the status alone: a response
    // without fields, whose body then has no known end (see Response::MaximumHeaderSize).
    QVERIFY2(r->error() == Response::ProtocolFailure || r->error() == Response::Timeout, qPrintable(r->errorString()));
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QVERIFY(r->headers().isEmpty());
    QVERIFY(!r->readAll().contains("X-"));
    QVERIFY(peakGrowth < 256 * 1024);
}

void tst_Abuse::endlessBody_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QByteArray>("piece");
    QTest::addColumn<QString>("words");
    const QByteArray chunk = QByteArray(65536, 'x');
    QTest::newRow("chunked") << QByteArray("Transfer-Encoding: chunked\r\n") << "10000\r\n" + chunk + "\r\n"
                             << QStringLiteral("more than the maximum body size");
    QTest::newRow("to the connection's end")
        << QByteArray("Connection: close\r\n") << chunk << QStringLiteral("more than the maximum body size");
    QTest::newRow("Content-Length of 1 TiB") << QByteArray("Content-Length: 1099511627776\r\n") << chunk
                                             << QStringLiteral("Content-Length is 1099511627776 bytes");
}

void tst_Abuse::endlessBody()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, piece);
    QFETCH(QString, words);
    TestServer server;
    QPointer<TestConnection> connection;
    std::shared_ptr<qint64> poured;
    server.setHandler([&](TestConnection *c, const RawRequest &) {
        connection = c;
        c->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n" + head + "\r\n");
        poured = pour(c, piece, 1, qint64(1) << 30);
    });
    Client client;
    Request request(server.url());
    request.setMaximumBodySize(1 << 20);
    Response *r = client.send(request);
    SignalLog log(r);
    qint64 got = 0;
    connect(r, &QIODevice::readyRead, this, [&] { got += r->skip(r->bytesAvailable()); });
    QVERIFY(r->waitForFinished(60000));
    got += r->skip(r->bytesAvailable());
    QCOMPARE(r->error(), Response::UnknownContentError);
    QVERIFY2(r->errorString().contains(words), qPrintable(r->errorString()));
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    // What arrived before the limit was noticed: the limit and at most a few reads more.
    QVERIFY2(got <= (1 << 20) + (4 << 20), QByteArray::number(got).constData());
    // And the server is told to stop: Courier closes the connection.
    QTRY_VERIFY_WITH_TIMEOUT(!connection || connection->socket()->state() != QAbstractSocket::ConnectedState, 10000);
    QVERIFY(poured);
    qInfo("%s: %lld bytes read, %lld written by the server", QTest::currentDataTag(), got, *poured);
    QVERIFY(*poured < 64 << 20); // it stopped long before its own bound of 1 GiB
}

void tst_Abuse::slowloris_data()
{
    QTest::addColumn<QByteArray>("head"); // sent at once, then the rest one byte at a time
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<int>("readTimeoutMs");
    QTest::addColumn<int>("totalTimeoutMs");
    QTest::addColumn<QString>("words");
    const QByteArray headers = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
    QTest::newRow("body, a byte every 2 s") << headers << 2000 << 1000 << 0 << QStringLiteral("read timeout");
    QTest::newRow("body, a byte every 100 ms") << headers << 100 << 1000 << 2000 << QStringLiteral("total timeout");
    // Qt reads the header block before it tells anything: until the block ends, the read timeout
    // counts from the request, however steadily the bytes come.
    QTest::newRow("headers, a byte every 100 ms")
        << QByteArray("HTTP/1.1 200 OK\r\n") << 100 << 1000 << 0 << QStringLiteral("read timeout");
}

void tst_Abuse::slowloris()
{
    QFETCH(QByteArray, head);
    QFETCH(int, intervalMs);
    QFETCH(int, readTimeoutMs);
    QFETCH(int, totalTimeoutMs);
    QFETCH(QString, words);
    TestServer server;
    server.setHandler([&](TestConnection *c, const RawRequest &) {
        c->write(head);
        QList<QByteArray> bytes;
        for (int i = 0; i < 200; ++i)
            bytes << (head.endsWith("\r\n\r\n") ? QByteArray("s") : QByteArray("X-Slow: s\r\n").mid(i % 11, 1));
        c->drip(bytes, intervalMs);
    });
    Client client;
    Request request(server.url());
    request.setReadTimeout(readTimeoutMs);
    if (totalTimeoutMs > 0)
        request.setTotalTimeout(totalTimeoutMs);
    Response *r = client.send(request);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(60000));
    QCOMPARE(r->error(), Response::Timeout);
    QVERIFY2(r->errorString().contains(words), qPrintable(r->errorString()));
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
}

void tst_Abuse::secretsStayWithTheOrigin_data()
{
    QTest::addColumn<QByteArrayList>("chain"); // what the origin answers /start and each next hop with
    // "B:/x" redirects to the other server's /x; "/x" stays on the origin.
    QTest::newRow("301 to another port") << QByteArrayList{"301 B:/landing"};
    QTest::newRow("302 to another port") << QByteArrayList{"302 B:/landing"};
    QTest::newRow("303 to another port") << QByteArrayList{"303 B:/landing"};
    QTest::newRow("307 to another port") << QByteArrayList{"307 B:/landing"};
    QTest::newRow("308 to another port") << QByteArrayList{"308 B:/landing"};
    QTest::newRow("same origin first") << QByteArrayList{"302 /middle", "302 B:/landing"};
    QTest::newRow("there and back and there") << QByteArrayList{"302 B:/away", "302 A:/back", "302 B:/landing"};
}

void tst_Abuse::secretsStayWithTheOrigin()
{
    QFETCH(QByteArrayList, chain);
    TestServer origin;
    TestServer other; // 127.0.0.1 too: same host, another port, another origin
    // Each server answers a hop by its index in the chain; the last hop answers 200.
    auto hop = std::make_shared<int>(0);
    const auto answer = [&, hop](TestConnection *c, bool fromOrigin) {
        if (*hop >= chain.size())
            return c->respond(200, "OK", {}, "landed");
        const QByteArray step = chain.at((*hop)++);
        const int status = step.left(3).toInt();
        QByteArray target = step.mid(4);
        if (target.startsWith("B:"))
            target = other.url(QString::fromLatin1(target.mid(2))).toEncoded();
        else if (target.startsWith("A:"))
            target = origin.url(QString::fromLatin1(target.mid(2))).toEncoded();
        // Every hop of the origin also sets a cookie, which must not travel to the other port.
        if (fromOrigin)
            c->respond(status, "Moved", {{"Location", target}, {"Set-Cookie", "jar=secret; Path=/"}});
        else
            c->respond(status, "Moved", {{"Location", target}});
    };
    origin.setHandler([answer](TestConnection *c, const RawRequest &) { answer(c, true); });
    other.setHandler([answer](TestConnection *c, const RawRequest &) { answer(c, false); });

    Client client;
    client.setCredentials(QStringLiteral("user"), QStringLiteral("password"));
    client.setPreemptiveAuthentication(true);
    Request request(origin.url(QStringLiteral("/start")),
                    chain.first().startsWith("307") || chain.first().startsWith("308") ? QByteArray("POST")
                                                                                       : QByteArray("GET"));
    if (request.method() == "POST")
        request.setBody("form=1");
    request.setHeader("Cookie", "explicit=secret");
    request.setHeader("X-Api-Key", "secret");
    client.setSensitiveHeaders({"X-Api-Key"});
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll(), QByteArray("landed"));

    QVERIFY(origin.requests().first().hasHeader("Authorization"));
    QVERIFY(origin.requests().first().hasHeader("X-Api-Key"));
    QVERIFY(!other.requests().isEmpty());
    for (const RawRequest &got : other.requests()) {
        QVERIFY2(!got.hasHeader("Authorization"), got.header("Authorization").constData());
        QVERIFY2(!got.hasHeader("Cookie"), got.header("Cookie").constData());
        QVERIFY(!got.hasHeader("X-Api-Key"));
    }
    // The origin's cookie is in the jar, and stays with the origin's port on direct requests too.
    QVERIFY(!client.cookieJar()->cookiesForUrl(origin.url()).isEmpty());
    QVERIFY(client.cookieJar()->cookiesForUrl(other.url()).isEmpty());
}

void tst_Abuse::httpsToHttpCarriesNoSecret()
{
    // nginx over TLS sets a cookie (not Secure) and redirects to http on the test server's port.
    TestServer plain;
    Client client;
    TlsOptions tls;
    tls.addCaCertificatesFromPem(nginx.certificatePem());
    client.setTlsOptions(tls);
    client.setInsecureRedirectsAllowed(true);
    Request request(nginx.tlsUrl(QStringLiteral("/to-port/%1/landing").arg(plain.port())));
    request.setHeader("Authorization", "Bearer secret");
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->url().scheme(), QStringLiteral("http"));
    QCOMPARE(plain.requests().size(), 1);
    QVERIFY(!plain.lastRequest().hasHeader("Authorization"));
    QVERIFY2(!plain.lastRequest().hasHeader("Cookie"), plain.lastRequest().header("Cookie").constData());
    QCOMPARE(r->cookies().size(), 1); // it was set, and it is in the jar for https
    QCOMPARE(client.cookieJar()->cookiesForUrl(nginx.tlsUrl()).size(), 1);
}

void tst_Abuse::controlCharacters_data()
{
    QTest::addColumn<QString>("part");
    QTest::addColumn<QByteArray>("bad");
    // Row names are joined here and given to newRow(), not formatted by addRow(): GCC's -O3
    // (Release) takes the %s arguments for possibly null (-Wformat-overflow) and -Werror stops.
    const QList<QPair<QByteArray, QByteArray>> characters = {{"CR", "\r"}, {"LF", "\n"}, {"NUL", QByteArray(1, '\0')}};
    for (const char *part :
         {"header name", "header value", "default header", "user agent", "method", "bearer token", "user name",
          "password", "URL path", "URL query", "URL host", "URL user", "URL password"}) {
        for (const auto &[name, bad] : characters) {
            const QByteArray row = QByteArray(part) + '/' + name;
            QTest::newRow(row.constData()) << QString::fromLatin1(part) << bad;
        }
    }
}

void tst_Abuse::controlCharacters()
{
    QFETCH(QString, part);
    QFETCH(QByteArray, bad);
    TestServer server;
    Client client;
    const QByteArray evil = "a" + bad + "Injected: yes";
    const QString evilText = QString::fromLatin1(evil);
    Request request(server.url(QStringLiteral("/path")));
    QUrl url = request.url();
    if (part == QLatin1String("header name"))
        request.setHeader("X-" + evil, "v");
    else if (part == QLatin1String("header value"))
        request.setHeader("X-Evil", evil);
    else if (part == QLatin1String("default header"))
        client.setDefaultHeader("X-Evil", evil);
    else if (part == QLatin1String("user agent"))
        client.setUserAgent(evil);
    else if (part == QLatin1String("method"))
        request.setMethod("GET" + bad);
    else if (part == QLatin1String("bearer token"))
        request.setBearerToken(evil);
    else if (part == QLatin1String("user name"))
        request.setCredentials(evilText, QStringLiteral("pw"));
    else if (part == QLatin1String("password"))
        request.setCredentials(QStringLiteral("user"), evilText);
    else if (part == QLatin1String("URL path"))
        url = QUrl(url.toString() + QLatin1Char('/') + evilText);
    else if (part == QLatin1String("URL query"))
        url = QUrl(url.toString() + QStringLiteral("?q=") + evilText);
    else if (part == QLatin1String("URL host"))
        url = QUrl(QStringLiteral("http://127.0.0.1") + evilText + QStringLiteral(":%1/").arg(server.port()));
    else if (part == QLatin1String("URL user"))
        url = QUrl(QStringLiteral("http://") + evilText + QStringLiteral(":pw@127.0.0.1:%1/").arg(server.port()));
    else if (part == QLatin1String("URL password"))
        url = QUrl(QStringLiteral("http://user:") + evilText + QStringLiteral("@127.0.0.1:%1/").arg(server.port()));
    request.setUrl(url);

    Response *r = client.send(request);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    const QList<RawRequest> received = server.requests();
    if ((part == QLatin1String("URL path") || part == QLatin1String("URL query")) && r->error() == Response::NoError) {
        // QUrl percent-encodes what cannot appear in a URL: the bytes reach the server as %0D,
        // %0A or %00, never as a line break. Nothing else is acceptable.
        QCOMPARE(received.size(), 1);
        QVERIFY(!received.first().hasHeader("Injected"));
        QVERIFY2(!received.first().target.contains(bad), received.first().target.constData());
        qInfo("%s: sent as %s", QTest::currentDataTag(), received.first().target.constData());
        return;
    }
    QVERIFY2(r->error() == Response::ProtocolInvalidOperation, qPrintable(r->errorString()));
    QVERIFY(received.isEmpty()); // refused before anything was sent
    qInfo("%s: %s", QTest::currentDataTag(), qPrintable(r->errorString()));
}

void tst_Abuse::tlsRefusals_data()
{
    QTest::addColumn<int>("server");
    QTest::addColumn<QString>("peerName"); // the name checked instead of the URL's host, if any
    QTest::addColumn<QString>("trusted"); // the PKI file trusted as a CA
    QTest::addColumn<QString>("reason");
    QTest::newRow("expired") << int(NginxPeer::ExpiredTls) << QString() << QStringLiteral("ca.pem")
                             << QStringLiteral("expired");
    QTest::newRow("wrong host name") << int(NginxPeer::NamedTls) << QString() << QStringLiteral("ca.pem")
                                     << QStringLiteral("host name");
    QTest::newRow("unknown CA") << int(NginxPeer::NamedTls) << QStringLiteral("courier.test") << QString()
                                << QStringLiteral("issuer");
    QTest::newRow("self-signed") << int(NginxPeer::Tls) << QString() << QString() << QStringLiteral("self-signed");
}

void tst_Abuse::tlsRefusals()
{
    QFETCH(int, server);
    QFETCH(QString, peerName);
    QFETCH(QString, trusted);
    QFETCH(QString, reason);
    TlsOptions tls;
    if (!trusted.isEmpty())
        QVERIFY(tls.addCaCertificatesFromFile(nginx.pkiFile(trusted)));
    if (!peerName.isEmpty())
        tls.setPeerVerifyName(peerName);
    Client client;
    client.setTlsOptions(tls);
    Response *r = client.get(nginx.url(NginxPeer::Server(server), QStringLiteral("/hello.txt")));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    qInfo("%s: %s", QTest::currentDataTag(), qPrintable(r->errorString()));
    QCOMPARE(r->error(), Response::SslHandshakeFailed);
    QCOMPARE(r->category(), Response::Network);
    QVERIFY2(r->errorString().contains(reason, Qt::CaseInsensitive), qPrintable(r->errorString()));
    QCOMPARE(r->statusCode(), 0);
    QVERIFY(r->readAll().isEmpty());
    QCOMPARE(log.sequence(), QStringLiteral("download error finished"));

    if (server == NginxPeer::ExpiredTls) {
        // The same trust accepts a valid certificate from that CA: expiry alone was the reason.
        tls.setPeerVerifyName(QStringLiteral("courier.test"));
        client.setTlsOptions(tls);
        Response *valid = client.get(nginx.url(NginxPeer::NamedTls, QStringLiteral("/hello.txt")));
        QVERIFY(valid->waitForFinished(20000));
        QVERIFY2(valid->error() == Response::NoError, qPrintable(valid->errorString()));
    }
}

QTEST_MAIN(tst_Abuse)
#include "tst_abuse.moc"
