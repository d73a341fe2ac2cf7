// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// The response cache against nginx (which sends ETag and Last-Modified): fresh responses served
// without the network, revalidation answered by 304, no-store, usingCache, the size bound,
// flush(), clear() and the cache's lifetime.

#include <Courier/Client>
#include <Courier/Response>
#include <Courier/ResponseCache>

#include "peers.h"

#include <QtCore/QDirIterator>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QAbstractNetworkCache>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

class tst_Cache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void freshServedWithoutNetwork();
    void revalidatedWith304();
    void changedResourceFetchedAgain();
    void noStoreNotStored();
    void usingCacheFalse();
    void sizeIsBounded();
    void clearDisablesAndDeletes();
    void cacheDestroyedMeansNetwork();
    void defaults();

private:
    /*! Requests for \a path in nginx's access log, as "status" strings. */
    QList<QByteArray> logged(const QString &path) const;
    Response *fetch(const QString &path, bool useCache = true);
    static qint64 filesUnder(const QString &dir);

    NginxPeer nginx;
    QTemporaryDir dir;
    std::unique_ptr<Client> client;
    std::unique_ptr<ResponseCache> cache;
};

void tst_Cache::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    COURIER_REQUIRE_PEER(nginx);
    QVERIFY(dir.isValid());
}

void tst_Cache::init()
{
    client = std::make_unique<Client>();
    static int n = 0;
    cache = std::make_unique<ResponseCache>(ResponseCache::DefaultMaximumSize,
                                            dir.filePath(QStringLiteral("cache%1").arg(++n)));
    client->setCache(cache.get());
    QCOMPARE(client->cache(), cache.get());
}

QList<QByteArray> tst_Cache::logged(const QString &path) const
{
    QList<QByteArray> statuses;
    const QByteArray needle = " GET " + path.toUtf8() + ' ';
    for (const QByteArray &line : nginx.accessLog()) {
        if (line.contains(needle))
            statuses.append(line.split(' ').last());
    }
    return statuses;
}

Response *tst_Cache::fetch(const QString &path, bool useCache)
{
    Request request(nginx.url(path));
    request.setUsingCache(useCache);
    Response *r = client->send(request);
    r->waitForFinished(20000);
    return r;
}

qint64 tst_Cache::filesUnder(const QString &path)
{
    qint64 files = 0;
    QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++files;
    }
    return files;
}

void tst_Cache::freshServedWithoutNetwork()
{
    const QString path = QStringLiteral("/cache/fresh/a.txt");
    QVERIFY(nginx.addFile(path, "fresh body\n"));
    Response *first = fetch(path);
    QCOMPARE(first->statusCode(), 200);
    QVERIFY(!first->fromCache());
    QCOMPARE(first->readAll(), QByteArray("fresh body\n"));
    QTRY_COMPARE(logged(path).size(), 1);
    QVERIFY(cache->contains(nginx.url(path)));

    Response *second = fetch(path);
    QCOMPARE(second->error(), Response::NoError);
    QCOMPARE(second->statusCode(), 200);
    QVERIFY(second->fromCache());
    QCOMPARE(second->readAll(), QByteArray("fresh body\n"));
    QTest::qWait(200); // nginx writes its log as it serves; nothing more may come
    QCOMPARE(logged(path).size(), 1);
}

void tst_Cache::revalidatedWith304()
{
    const QString path = QStringLiteral("/cache/revalidate/b.txt");
    QVERIFY(nginx.addFile(path, "revalidated body\n"));
    Response *first = fetch(path);
    QVERIFY(!first->fromCache());
    QVERIFY(!first->header("ETag").isEmpty());
    QVERIFY(!first->header("Last-Modified").isEmpty());
    QCOMPARE(first->readAll(), QByteArray("revalidated body\n"));

    Response *second = fetch(path);
    QCOMPARE(second->error(), Response::NoError);
    QVERIFY(second->fromCache());
    QCOMPARE(second->statusCode(), 200); // the stored status
    QCOMPARE(second->readAll(), QByteArray("revalidated body\n"));
    QTRY_COMPARE(logged(path), (QList<QByteArray>{"200", "304"})); // asked, and told "not modified"
}

void tst_Cache::changedResourceFetchedAgain()
{
    const QString path = QStringLiteral("/cache/revalidate/c.txt");
    QVERIFY(nginx.addFile(path, "version 1\n"));
    QCOMPARE(fetch(path)->readAll(), QByteArray("version 1\n"));
    QTest::qWait(1100); // Last-Modified has whole seconds
    QVERIFY(nginx.addFile(path, "version 2, longer\n"));
    Response *r = fetch(path);
    QVERIFY(!r->fromCache());
    QCOMPARE(r->readAll(), QByteArray("version 2, longer\n"));
    QTRY_COMPARE(logged(path), (QList<QByteArray>{"200", "200"}));
}

void tst_Cache::noStoreNotStored()
{
    const QString path = QStringLiteral("/cache/no-store/d.txt");
    QVERIFY(nginx.addFile(path, "secret\n"));
    QVERIFY(!fetch(path)->fromCache());
    QVERIFY(!cache->contains(nginx.url(path)));
    Response *second = fetch(path);
    QVERIFY(!second->fromCache());
    QCOMPARE(second->readAll(), QByteArray("secret\n"));
    QTRY_COMPARE(logged(path), (QList<QByteArray>{"200", "200"}));
}

void tst_Cache::usingCacheFalse()
{
    const QString path = QStringLiteral("/cache/fresh/e.txt");
    QVERIFY(nginx.addFile(path, "e\n"));
    QVERIFY(!fetch(path, false)->fromCache());
    QVERIFY(!cache->contains(nginx.url(path))); // not stored either
    QVERIFY(!fetch(path)->fromCache()); // stored now
    QVERIFY(fetch(path)->fromCache());
    Response *bypass = fetch(path, false); // and bypassed
    QVERIFY(!bypass->fromCache());
    QCOMPARE(bypass->readAll(), QByteArray("e\n"));
    QTRY_COMPARE(logged(path).size(), 3);
}

void tst_Cache::sizeIsBounded()
{
    cache->setMaximumSize(64 * 1024);
    QCOMPARE(cache->maximumSize(), 64 * 1024);
    for (int i = 0; i < 12; ++i) {
        const QString path = QStringLiteral("/cache/fresh/big%1.bin").arg(i);
        QVERIFY(!nginx.addRandomFile(path, 16 * 1024).isEmpty());
        QCOMPARE(fetch(path)->readAll().size(), 16 * 1024);
    }
    cache->flush();
    qInfo("12 responses of 16 KiB in a 64 KiB cache: %lld bytes kept", cache->size());
    QVERIFY(cache->size() <= 64 * 1024);
    QVERIFY(cache->size() > 0);
    QVERIFY(cache->contains(nginx.url(QStringLiteral("/cache/fresh/big11.bin")))); // the newest stays

    QSignalSpy changed(cache.get(), &ResponseCache::maximumSizeChanged);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("response cache size 20971520 is out of range")));
    cache->setMaximumSize(20 * 1024 * 1024);
    QCOMPARE(cache->maximumSize(), ResponseCache::MaximumSize);
    QCOMPARE(changed.size(), 1);
    cache->setMaximumSize(ResponseCache::MaximumSize);
    QCOMPARE(changed.size(), 1);
}

void tst_Cache::clearDisablesAndDeletes()
{
    const QString path = QStringLiteral("/cache/fresh/f.txt");
    QVERIFY(nginx.addFile(path, "f\n"));
    QVERIFY(!fetch(path)->fromCache());
    QVERIFY(fetch(path)->fromCache());
    QVERIFY(filesUnder(cache->directory()) > 0);
    QSignalSpy enabled(cache.get(), &ResponseCache::enabledChanged);
    cache->clear();
    QCOMPARE(enabled.size(), 1);
    QVERIFY(!cache->isEnabled());
    QVERIFY(!cache->contains(nginx.url(path)));
    QCOMPARE(filesUnder(cache->directory()), 0);
    Response *after = fetch(path);
    QVERIFY(!after->fromCache());
    QCOMPARE(after->readAll(), QByteArray("f\n"));
    QVERIFY(!fetch(path)->fromCache()); // nothing is stored any more
    QCOMPARE(filesUnder(cache->directory()), 0);
}

void tst_Cache::cacheDestroyedMeansNetwork()
{
    const QString path = QStringLiteral("/cache/fresh/g.txt");
    QVERIFY(nginx.addFile(path, "g\n"));
    QVERIFY(!fetch(path)->fromCache());
    cache.reset();
    QCOMPARE(client->cache(), nullptr);
    Response *r = fetch(path);
    QCOMPARE(r->error(), Response::NoError);
    QVERIFY(!r->fromCache());
    QCOMPARE(r->readAll(), QByteArray("g\n"));
    client->setCache(nullptr);
}

void tst_Cache::defaults()
{
    ResponseCache defaults;
    QCOMPARE(defaults.maximumSize(), 10 * 1024 * 1024);
    QVERIFY(defaults.isEnabled());
    const QString base = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    QVERIFY2(defaults.directory().startsWith(base), qPrintable(defaults.directory()));
    QVERIFY(defaults.directory().endsWith(QLatin1String("/courier"))
            || defaults.directory().endsWith(QLatin1String("/courier/")));
    Client plain;
    QCOMPARE(plain.cache(), nullptr);
    QCOMPARE(plain.networkAccessManager()->cache(), nullptr); // nothing installed until asked
}

QTEST_GUILESS_MAIN(tst_Cache)
#include "tst_cache.moc"
