// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Against a real nginx: static files, a large file streamed and checked as it arrives,
// keep-alive shown from the server's own log, HEAD, and a 404.

#include <Courier/Client>

#include "peers.h"
#include "spy.h"

#include <QtCore/QCryptographicHash>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

class tst_Nginx : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void staticFile();
    void largeFileStreamed();
    void keepAlive();
    void head();
    void notFound();

private:
    NginxPeer nginx;
    QByteArray largeSha;
    static constexpr qint64 LargeSize = 48 * 1024 * 1024 + 123;
};

void tst_Nginx::initTestCase()
{
    COURIER_REQUIRE_PEER(nginx);
    QVERIFY(nginx.addFile(QStringLiteral("hello.txt"), "hello, nginx\n"));
    largeSha = nginx.addRandomFile(QStringLiteral("large.bin"), LargeSize);
    QVERIFY(!largeSha.isEmpty());
}

void tst_Nginx::staticFile()
{
    Client client;
    Response *r = client.get(nginx.url(QStringLiteral("/hello.txt")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->header("Content-Type"), QByteArray("text/plain"));
    QVERIFY(r->header("Server").startsWith("nginx"));
    QCOMPARE(r->contentLength(), 13);
    QVERIFY(r->isComplete());
    QCOMPARE(r->text(), QStringLiteral("hello, nginx\n"));
}

void tst_Nginx::largeFileStreamed()
{
    Client client;
    Response *r = client.get(nginx.url(QStringLiteral("/large.bin")));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 got = 0;
    qint64 maxBuffered = 0;
    SignalLog log(r);
    connect(r, &QIODevice::readyRead, this, [&] {
        maxBuffered = std::max(maxBuffered, r->bytesAvailable());
        const QByteArray chunk = r->readAll();
        got += chunk.size();
        hash.addData(chunk);
    });
    QVERIFY(r->waitForFinished(120000));
    const QByteArray rest = r->readAll();
    got += rest.size();
    hash.addData(rest);
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(got, LargeSize);
    QCOMPARE(hash.result(), largeSha);
    QCOMPARE(r->contentLength(), LargeSize);
    QCOMPARE(r->bytesReceived(), LargeSize);
    QVERIFY(r->isComplete());
    QVERIFY(log.count(QStringLiteral("download")) > 1);
    QCOMPARE(log.downloads.last(), (QPair<qint64, qint64>(LargeSize, LargeSize)));
    qInfo("largest amount waiting to be read: %lld bytes of %lld", maxBuffered, LargeSize);
}

void tst_Nginx::keepAlive()
{
    Client client;
    const qsizetype before = nginx.accessLog().size();
    for (int i = 0; i < 5; ++i) {
        Response *r = client.get(nginx.url(QStringLiteral("/hello.txt?n=%1").arg(i)));
        QVERIFY(r->waitForFinished(20000));
        QCOMPARE(r->error(), Response::NoError);
        delete r;
    }
    QTRY_COMPARE_WITH_TIMEOUT(nginx.accessLog().size(), before + 5, 5000);
    const QList<QByteArray> lines = nginx.accessLog().mid(before);
    const QByteArray connection = lines.first().split(' ').at(1);
    for (const QByteArray &line : lines)
        QCOMPARE(line.split(' ').at(1), connection); // one TCP connection served all five
}

void tst_Nginx::head()
{
    Client client;
    Response *r = client.head(nginx.url(QStringLiteral("/large.bin")));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->header("Content-Length"), QByteArray::number(LargeSize));
    QCOMPARE(r->readAll(), QByteArray());
    QCOMPARE(log.downloads.last(), (QPair<qint64, qint64>(0, 0)));
}

void tst_Nginx::notFound()
{
    Client client;
    Response *r = client.get(nginx.url(QStringLiteral("/missing")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), 404);
    QCOMPARE(r->error(), Response::ContentNotFound);
    QCOMPARE(r->category(), Response::Content);
    QVERIFY(!r->hasTransportError());
    QVERIFY(r->text().contains(QLatin1String("404 Not Found")));
}

QTEST_GUILESS_MAIN(tst_Nginx)
#include "tst_nginx.moc"
