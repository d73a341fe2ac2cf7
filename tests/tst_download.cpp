// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Client::download(): a body saved to a file through <path>.part and renamed into place only when
// complete and verified; resumed with Range and If-Range from nginx; started over when the server
// ignores the range or the resource changed; refused when a 206 does not continue the file; a
// target that is never half-written, a partial file kept for the next attempt, a SHA-256 check,
// and the file system's own failures.

#include <Courier/Client>

#include "peers.h"
#include "spy.h"
#include "testserver.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>

using namespace Courier;
using namespace Courier::Test;

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("(missing)");
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

// A partial download as an earlier attempt leaves it: the first bytes, and the validator.
bool leavePartial(const QString &path, const QByteArray &bytes, const QUrl &url, const QByteArray &validator)
{
    const QJsonObject meta{{QStringLiteral("url"), url.toString(QUrl::FullyEncoded)},
                           {QStringLiteral("validator"), QString::fromLatin1(validator)}};
    return writeFile(path + QStringLiteral(".part"), bytes)
        && writeFile(path + QStringLiteral(".part.meta"), QJsonDocument(meta).toJson());
}

} // namespace

class tst_Download : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void wholeFileFromNginx();
    void interruptedThenResumedFromNginx();
    void changedResourceStartsOver();
    void partialFileKeepsNoCredentials();
    void serverIgnoringTheRangeStartsOver();
    void contentRangeThatDoesNotContinue();
    void symlinksAreNeverFollowed_data();
    void symlinksAreNeverFollowed();
    void partialFileReplacedWhileResuming_data();
    void partialFileReplacedWhileResuming();
    void fifoIsNeverRead();
    void hostilePartialContent_data();
    void hostilePartialContent();
    void notSatisfiableDropsThePartial();
    void withoutValidatorNoResume();
    void failureKeepsTargetAndPartial();
    void checksum();
    void errorStatusBodyStaysReadable();
    void noBodyToSaveIsAnError();
    void unwritableFolderIsRefused();
    void fileSystemFailure();

private:
    Response *run(Response *r);
    NginxPeer nginx;
    QByteArray big; // 8 MiB, served by nginx as big.bin and rate/big.bin
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<TestServer> server;
    Client client;
};

void tst_Download::initTestCase()
{
    COURIER_REQUIRE_PEER(nginx);
    big.resize(8 << 20);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char((i * 7919) >> 8);
    QVERIFY(nginx.addFile(QStringLiteral("big.bin"), big));
    QVERIFY(nginx.addFile(QStringLiteral("rate/big.bin"), big));
}

void tst_Download::init()
{
    dir = std::make_unique<QTemporaryDir>();
    QVERIFY(dir->isValid());
    server = std::make_unique<TestServer>();
}

Response *tst_Download::run(Response *r)
{
    [&] { QVERIFY(r->waitForFinished(60000)); }();
    return r;
}

void tst_Download::wholeFileFromNginx()
{
    const QString path = dir->filePath(QStringLiteral("big.bin"));
    DownloadOptions options;
    options.setSha256(sha256(big).toUpper()); // either case
    Response *r = client.download(nginx.url(QStringLiteral("/big.bin")), path, options);
    SignalLog log(r);
    int readyReads = 0;
    connect(r, &QIODevice::readyRead, this, [&] { ++readyReads; });
    QList<QPair<QByteArray, bool>> seenAtFinish;
    connect(r, &Response::finished, this, [&] {
        // The file is in place before finished() is emitted.
        seenAtFinish.append({sha256(readFile(path)), QFile::exists(path + QStringLiteral(".part"))});
    });
    run(r);
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(sha256(readFile(path)), sha256(big));
    QCOMPARE(seenAtFinish, (QList<QPair<QByteArray, bool>>{{sha256(big), false}}));
    QVERIFY(!QFile::exists(path + QStringLiteral(".part.meta")));
    QCOMPARE(readyReads, 0); // the body went to the file
    QCOMPARE(r->bytesAvailable(), 0);
    QCOMPARE(r->bytesReceived(), big.size());
    QCOMPARE(r->resumedFrom(), 0);
    QCOMPARE(log.downloads.last(), (QPair<qint64, qint64>{big.size(), big.size()}));
    // Asked for as stored, so that byte ranges are file offsets.
    QVERIFY(!r->hasHeader("Content-Encoding"));
}

void tst_Download::interruptedThenResumedFromNginx()
{
    const QString path = dir->filePath(QStringLiteral("big.bin"));
    const QUrl url = nginx.url(QStringLiteral("/rate/big.bin")); // 32 MB/s: time to stop it midway
    QVERIFY(writeFile(path, "the previous version"));

    Response *first = client.download(url, path);
    connect(first, &Response::downloadProgress, this, [first](qint64 received, qint64) {
        if (received >= (2 << 20))
            first->abort();
    });
    run(first);
    QCOMPARE(first->error(), Response::OperationCanceled);
    const qint64 kept = QFileInfo(path + QStringLiteral(".part")).size();
    QVERIFY2(kept >= (2 << 20) && kept < big.size(), QByteArray::number(kept).constData());
    QCOMPARE(readFile(path + QStringLiteral(".part")), big.left(kept));
    QCOMPARE(readFile(path), QByteArray("the previous version")); // untouched until complete

    DownloadOptions options;
    options.setSha256(sha256(big)); // the digest covers the resumed part too
    Response *second = client.download(url, path, options);
    SignalLog log(second);
    run(second);
    QCOMPARE(second->error(), Response::NoError);
    QCOMPARE(second->statusCode(), 206);
    QCOMPARE(second->resumedFrom(), kept);
    QCOMPARE(second->bytesReceived(), big.size());
    QCOMPARE(log.downloads.last(), (QPair<qint64, qint64>{big.size(), big.size()}));
    QVERIFY(log.downloads.first().first >= kept); // progress counts the whole file
    QCOMPARE(sha256(readFile(path)), sha256(big));
    QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
    // nginx logs after the response has gone: wait for the line.
    QTRY_VERIFY_WITH_TIMEOUT(nginx.accessLog().last().endsWith(" 206"), 10000);
}

void tst_Download::changedResourceStartsOver()
{
    // A partial file whose validator no longer matches: If-Range makes nginx send it all.
    const QString path = dir->filePath(QStringLiteral("big.bin"));
    const QUrl url = nginx.url(QStringLiteral("/big.bin"));
    QVERIFY(leavePartial(path, QByteArray(1000, 'x'), url, "\"an-old-etag\""));
    Response *r = run(client.download(url, path));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->resumedFrom(), 0);
    QCOMPARE(sha256(readFile(path)), sha256(big));
}

void tst_Download::partialFileKeepsNoCredentials()
{
    // The partial file's companion remembers the URL, never the password in it.
    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->write("HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nContent-Length: 100\r\n\r\n" + QByteArray(40, 'p'));
        c->close();
    });
    QUrl url = server->url(QStringLiteral("/file"));
    url.setUserInfo(QStringLiteral("user:secret-password"));
    const QString path = dir->filePath(QStringLiteral("file"));
    Response *r = run(client.download(url, path));
    QCOMPARE(r->error(), Response::RemoteHostClosed);
    const QByteArray meta = readFile(path + QStringLiteral(".part.meta"));
    QVERIFY2(meta.contains("/file") && !meta.contains("secret-password") && !meta.contains("user@"), meta.constData());
}

void tst_Download::serverIgnoringTheRangeStartsOver()
{
    const QByteArray body = "a body served whole, whatever the Range";
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"ETag", "\"v1\""}}, body);
    });
    const QString path = dir->filePath(QStringLiteral("file"));
    QVERIFY(leavePartial(path, "a body", server->url(), "\"v1\""));
    Response *r = run(client.download(server->url(), path));
    QCOMPARE(server->lastRequest().header("Range"), QByteArray("bytes=6-"));
    QCOMPARE(server->lastRequest().header("If-Range"), QByteArray("\"v1\""));
    QCOMPARE(server->lastRequest().header("Accept-Encoding"), QByteArray("identity"));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(readFile(path), body); // not appended to the 6 bytes
}

void tst_Download::contentRangeThatDoesNotContinue()
{
    const QByteArray body = QByteArray("0123456789").repeated(10);
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(206, "Partial Content", {{"Content-Range", "bytes 0-99/100"}, {"ETag", "\"v1\""}}, body);
    });
    const QString path = dir->filePath(QStringLiteral("file"));
    QVERIFY(writeFile(path, "kept"));
    QVERIFY(leavePartial(path, body.left(40), server->url(), "\"v1\""));
    Response *r = run(client.download(server->url(), path));
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QVERIFY2(r->errorString().contains(QLatin1String("does not continue the 40 bytes")), qPrintable(r->errorString()));
    QCOMPARE(readFile(path), QByteArray("kept"));
    // Not resumable any more: the next attempt starts clean.
    QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
    QVERIFY(!QFile::exists(path + QStringLiteral(".part.meta")));
}

void tst_Download::symlinksAreNeverFollowed_data()
{
    QTest::addColumn<QString>("link"); // which file is a symbolic link: ".part" or ".part.meta"
    QTest::addColumn<bool>("resume");
    QTest::newRow(".part, resuming") << QStringLiteral(".part") << true;
    QTest::newRow(".part, from the start") << QStringLiteral(".part") << false;
    QTest::newRow(".part.meta, resuming") << QStringLiteral(".part.meta") << true;
}

void tst_Download::symlinksAreNeverFollowed()
{
    // Someone with write access to the download folder plants a symbolic link where Courier keeps
    // the partial file or its validator, pointing at a file of the user's. Courier must neither
    // write through it nor read the victim's size as a Range offset: the victim stays as it was,
    // and the download arrives whole and right.
    QFETCH(QString, link);
    QFETCH(bool, resume);
    const QByteArray body = QByteArray("the resource's own bytes ").repeated(8);
    server->setHandler([&](TestConnection *c, const RawRequest &request) {
        if (request.hasHeader("Range"))
            c->respond(206, "Partial Content",
                       {{"Content-Range",
                         "bytes " + request.header("Range").mid(6) + QByteArray::number(body.size() - 1) + "/"
                             + QByteArray::number(body.size())},
                        {"ETag", "\"v1\""}},
                       body.mid(request.header("Range").mid(6).chopped(1).toInt()));
        else
            c->respond(200, "OK", {{"ETag", "\"v1\""}}, body);
    });
    const QString path = dir->filePath(QStringLiteral("file"));
    const QString victim = dir->filePath(QStringLiteral("victim"));
    const QByteArray precious = "the user's own file, 45 bytes long, kept as is";
    QVERIFY(writeFile(victim, precious));
    if (link == QLatin1String(".part.meta")) {
        QVERIFY(leavePartial(path, body.left(10), server->url(), "\"v1\""));
        QVERIFY(QFile::remove(path + link));
    }
    QVERIFY(QFile::link(victim, path + link));
    DownloadOptions options;
    options.setResume(resume);
    Response *r = run(client.download(server->url(), path, options));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(readFile(path), body);
    QCOMPARE(readFile(victim), precious);
    QVERIFY(!QFileInfo(path).isSymLink());
    if (link == QLatin1String(".part"))
        QVERIFY(!server->lastRequest().hasHeader("Range")); // the victim's size was not an offset
}

void tst_Download::partialFileReplacedWhileResuming_data()
{
    QTest::addColumn<bool>("symlink"); // a link to a file of the user's, or another file
    QTest::newRow("another file of the same size") << false;
    QTest::newRow("a symbolic link") << true;
}

void tst_Download::partialFileReplacedWhileResuming()
{
    // Between the look at the partial file (its size is the Range offset) and its opening to
    // append the 206, someone puts another file or a link in its place. Nothing is appended to
    // it, the victim stays as it was, and the partial file is not kept for a resume. (The other
    // file is an hour older: the Qt-only file operations tell files apart by size and time.)
    QFETCH(bool, symlink);
    const QByteArray body = QByteArray("0123456789").repeated(10);
    const QString path = dir->filePath(QStringLiteral("file"));
    const QString part = path + QStringLiteral(".part");
    const QString victim = dir->filePath(QStringLiteral("victim"));
    const QByteArray precious = QByteArray("user data ").repeated(4); // 40 bytes, as the partial file
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        QFile::remove(part);
        if (symlink) {
            QVERIFY(QFile::link(victim, part));
        } else {
            QVERIFY(writeFile(part, QByteArray(40, 'y')));
            QFile other(part);
            QVERIFY(other.open(QIODevice::ReadWrite));
            QVERIFY(other.setFileTime(QDateTime::currentDateTime().addSecs(-3600), QFileDevice::FileModificationTime));
        }
        c->respond(206, "Partial Content", {{"ETag", "\"v1\""}, {"Content-Range", "bytes 40-99/100"}}, body.mid(40));
    });
    QVERIFY(writeFile(path, "kept"));
    QVERIFY(writeFile(victim, precious));
    QVERIFY(leavePartial(path, body.left(40), server->url(), "\"v1\""));
    Response *r = run(client.download(server->url(), path));
    QCOMPARE(server->lastRequest().header("Range"), QByteArray("bytes=40-"));
    QCOMPARE(r->error(), Response::UnknownContentError);
    QVERIFY2(r->errorString().contains(QLatin1String("the partial file changed")), qPrintable(r->errorString()));
    QCOMPARE(readFile(path), QByteArray("kept"));
    QCOMPARE(readFile(victim), precious);
    QVERIFY(!QFileInfo(part).exists() && !QFileInfo(part).isSymLink());
    QVERIFY(!QFile::exists(path + QStringLiteral(".part.meta")));
}

void tst_Download::fifoIsNeverRead()
{
    // A FIFO planted where the partial file's validator is kept: reading it would wait for a
    // writer that never comes. It is not a validator; the download starts over and completes.
    const QByteArray body = "the whole body";
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"ETag", "\"v1\""}}, body);
    });
    const QString path = dir->filePath(QStringLiteral("file"));
    QVERIFY(writeFile(path + QStringLiteral(".part"), "the whole"));
    QVERIFY(::mkfifo(QFile::encodeName(path + QStringLiteral(".part.meta")).constData(), 0600) == 0);
    Response *r = run(client.download(server->url(), path));
    QVERIFY(!server->lastRequest().hasHeader("Range"));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(readFile(path), body);
}

void tst_Download::hostilePartialContent_data()
{
    QTest::addColumn<QByteArray>("response"); // to "Range: bytes=40-" (or to no Range)
    QTest::addColumn<bool>("rangeSent");
    QTest::addColumn<QString>("words");
    QTest::addColumn<QByteArray>("validator"); // of the partial file
    const QByteArray rest = QByteArray("0123456789").repeated(10).mid(40);
    QTest::newRow("another version (ETag)") << QByteArray(
        "HTTP/1.1 206 Partial Content\r\nETag: \"v2\"\r\nContent-Range: bytes 40-99/100\r\nContent-Length: 60\r\n\r\n"
        + rest) << true << QStringLiteral("another version")
                                            << QByteArray("\"v1\"");
    QTest::newRow("another version (Last-Modified)")
        << QByteArray("HTTP/1.1 206 Partial Content\r\nLast-Modified: Wed, 21 Oct 2015 07:28:00 GMT\r\n"
                      "Content-Range: bytes 40-99/100\r\nContent-Length: 60\r\n\r\n"
                      + rest)
        << true << QStringLiteral("another version") << QByteArray("Tue, 20 Oct 2015 07:28:00 GMT");
    QTest::newRow("body past its range") << QByteArray(
        "HTTP/1.1 206 Partial Content\r\nETag: \"v1\"\r\nContent-Range: bytes 40-99/100\r\nContent-Length: 80\r\n\r\n"
        + rest + QByteArray(20, '!')) << true
                                         << QStringLiteral("Content-Range") << QByteArray("\"v1\"");
    QTest::newRow("chunked body past its range")
        << QByteArray("HTTP/1.1 206 Partial Content\r\nETag: \"v1\"\r\nContent-Range: bytes "
                      "40-99/100\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "50\r\n"
                      + rest + QByteArray(20, '!') + "\r\n0\r\n\r\n")
        << true << QStringLiteral("more than its Content-Range") << QByteArray("\"v1\"");
    QTest::newRow("a range short of the end") << QByteArray(
        "HTTP/1.1 206 Partial Content\r\nETag: \"v1\"\r\nContent-Range: bytes 40-59/100\r\nContent-Length: 20\r\n\r\n"
        + rest.left(20)) << true << QStringLiteral("not the whole")
                                              << QByteArray("\"v1\"");
    QTest::newRow("206 to a request without Range") << QByteArray(
        "HTTP/1.1 206 Partial Content\r\nETag: \"v1\"\r\nContent-Range: bytes 40-99/100\r\nContent-Length: 60\r\n\r\n"
        + rest) << false << QStringLiteral("no Range")
                                                    << QByteArray();
}

void tst_Download::hostilePartialContent()
{
    // A 206 is spliced onto the partial file only when it is the rest of the same version, and
    // the file is complete only when it holds the whole resource: anything else is refused, and
    // the target is never written.
    QFETCH(QByteArray, response);
    QFETCH(bool, rangeSent);
    QFETCH(QString, words);
    QFETCH(QByteArray, validator);
    server->setHandler([&](TestConnection *c, const RawRequest &) { c->write(response); });
    const QString path = dir->filePath(QStringLiteral("file"));
    QVERIFY(writeFile(path, "kept"));
    if (rangeSent)
        QVERIFY(leavePartial(path, QByteArray("0123456789").repeated(4), server->url(), validator));
    Response *r = run(client.download(server->url(), path));
    QCOMPARE(server->lastRequest().hasHeader("Range"), rangeSent);
    QVERIFY2(r->error() != Response::NoError, readFile(path).constData());
    QVERIFY2(r->errorString().contains(words), qPrintable(r->errorString()));
    QCOMPARE(readFile(path), QByteArray("kept"));
}

void tst_Download::notSatisfiableDropsThePartial()
{
    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->respond(416, "Range Not Satisfiable", {{"Content-Range", "bytes */10"}}, "no such range");
    });
    const QString path = dir->filePath(QStringLiteral("file"));
    QVERIFY(leavePartial(path, QByteArray(40, 'x'), server->url(), "\"v1\""));
    Response *r = run(client.download(server->url(), path));
    QCOMPARE(r->statusCode(), 416);
    QCOMPARE(r->category(), Response::Content);
    QCOMPARE(r->readAll(), QByteArray("no such range")); // an error body stays readable
    QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
    QVERIFY(!QFile::exists(path));
}

void tst_Download::withoutValidatorNoResume()
{
    // No ETag, no Last-Modified: nothing tells a later response is the same resource.
    const QByteArray body = QByteArray("0123456789").repeated(10);
    int served = 0;
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        if (served++ == 0) {
            c->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + body.left(40));
            c->close();
        } else {
            c->respond(200, "OK", {}, body);
        }
    });
    const QString path = dir->filePath(QStringLiteral("file"));
    Response *first = run(client.download(server->url(), path));
    QCOMPARE(first->error(), Response::RemoteHostClosed);
    QCOMPARE(readFile(path + QStringLiteral(".part")), body.left(40));
    QVERIFY(!QFile::exists(path + QStringLiteral(".part.meta")));
    Response *second = run(client.download(server->url(), path));
    QVERIFY(!server->lastRequest().hasHeader("Range"));
    QCOMPARE(second->error(), Response::NoError);
    QCOMPARE(readFile(path), body);
}

void tst_Download::failureKeepsTargetAndPartial()
{
    const QByteArray body = QByteArray("0123456789").repeated(10);
    server->setHandler([&](TestConnection *c, const RawRequest &r) {
        if (!r.hasHeader("Range")) {
            c->write("HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nContent-Length: 100\r\n\r\n" + body.left(40));
            c->close();
            return;
        }
        // The rest, as asked.
        c->respond(206, "Partial Content", {{"ETag", "\"v1\""}, {"Content-Range", "bytes 40-99/100"}}, body.mid(40));
    });
    const QString path = dir->filePath(QStringLiteral("file"));
    QVERIFY(writeFile(path, "old"));
    Response *first = run(client.download(server->url(), path));
    QCOMPARE(first->error(), Response::RemoteHostClosed);
    QCOMPARE(readFile(path), QByteArray("old"));
    QCOMPARE(readFile(path + QStringLiteral(".part")), body.left(40));

    Response *second = run(client.download(server->url(), path));
    QCOMPARE(server->lastRequest().header("Range"), QByteArray("bytes=40-"));
    QCOMPARE(second->error(), Response::NoError);
    QCOMPARE(second->resumedFrom(), 40);
    QCOMPARE(readFile(path), body);

    // resume off: the partial file is thrown away first.
    QVERIFY(leavePartial(path, body.left(40), server->url(), "\"v1\""));
    DownloadOptions fresh;
    fresh.setResume(false);
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"ETag", "\"v1\""}}, body);
    });
    Response *third = run(client.download(server->url(), path, fresh));
    QVERIFY(!server->lastRequest().hasHeader("Range"));
    QCOMPARE(third->error(), Response::NoError);
    QCOMPARE(readFile(path), body);
}

void tst_Download::checksum()
{
    server->setHandler([](TestConnection *c, const RawRequest &) { c->respond(200, "OK", {}, "the real content"); });
    const QString path = dir->filePath(QStringLiteral("file"));
    QVERIFY(writeFile(path, "old"));
    DownloadOptions options;
    options.setSha256(sha256("other content"));
    Response *r = run(client.download(server->url(), path, options));
    QCOMPARE(r->error(), Response::UnknownContentError);
    QVERIFY(r->hasTransportError());
    QVERIFY2(r->errorString().contains(QString::fromLatin1(sha256("the real content"))), qPrintable(r->errorString()));
    QVERIFY(r->errorString().contains(QString::fromLatin1(sha256("other content"))));
    QCOMPARE(readFile(path), QByteArray("old"));
    QVERIFY(!QFile::exists(path + QStringLiteral(".part")));

    options.setSha256(sha256("the real content"));
    r = run(client.download(server->url(), path, options));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(readFile(path), QByteArray("the real content"));
}

void tst_Download::errorStatusBodyStaysReadable()
{
    server->setHandler([](TestConnection *c, const RawRequest &) { c->respond(404, "Not Found", {}, "no such file"); });
    const QString path = dir->filePath(QStringLiteral("file"));
    Response *r = run(client.download(server->url(), path));
    QCOMPARE(r->error(), Response::ContentNotFound);
    QCOMPARE(r->readAll(), QByteArray("no such file"));
    QVERIFY(QDir(dir->path()).isEmpty()); // nothing written
}

void tst_Download::noBodyToSaveIsAnError()
{
    // A redirect not followed (maximumRedirects 0) or a 204: the exchange worked, but there is no
    // file; finished() with NoError would promise one.
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/moved")
            return c->respond(302, "Found", {{"Location", "/elsewhere"}}, "moved");
        c->respond(204, "No Content");
    });
    const QString path = dir->filePath(QStringLiteral("file"));
    Request request(server->url(QStringLiteral("/moved")));
    request.setMaximumRedirects(0);
    Response *r = run(client.download(request, path));
    QCOMPARE(r->statusCode(), 302);
    QCOMPARE(r->error(), Response::UnknownContentError);
    QVERIFY2(r->errorString().contains(QLatin1String("302")), qPrintable(r->errorString()));
    QVERIFY(!QFile::exists(path));
    r = run(client.download(server->url(QStringLiteral("/empty")), path));
    QCOMPARE(r->statusCode(), 204);
    QCOMPARE(r->error(), Response::UnknownContentError);
    QVERIFY(!QFile::exists(path));
}

void tst_Download::unwritableFolderIsRefused()
{
    for (const QString &path : {dir->filePath(QStringLiteral("no/such/folder/file")), dir->path(), QString()}) {
        Response *r = client.download(server->url(), path);
        SignalLog log(r);
        QVERIFY(log.names.isEmpty()); // from the event loop, as for any refused request
        run(r);
        QCOMPARE(r->error(), Response::ProtocolInvalidOperation);
        QVERIFY2(r->errorString().contains(QLatin1String("folder")), qPrintable(r->errorString()));
        QCOMPARE(log.count(QStringLiteral("finished")), 1);
    }
    QCOMPARE(server->requests().size(), 0);
}

void tst_Download::fileSystemFailure()
{
    // The process may not write files past 64 KiB (RLIMIT_FSIZE): write() fails with EFBIG.
    const QByteArray body(1 << 20, 'b');
    server->setHandler([&](TestConnection *c, const RawRequest &) { c->respond(200, "OK", {}, body); });
    const QString path = dir->filePath(QStringLiteral("file"));
    rlimit old{};
    QVERIFY(::getrlimit(RLIMIT_FSIZE, &old) == 0);
    const auto previous = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old;
    small.rlim_cur = 64 << 10;
    QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    Response *r = client.download(server->url(), path);
    r->waitForFinished(60000);
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, previous);
    QCOMPARE(r->error(), Response::UnknownContentError);
    QVERIFY2(r->errorString().contains(QLatin1String("Cannot write the download")), qPrintable(r->errorString()));
    QVERIFY(!QFile::exists(path));
    QVERIFY(QFileInfo(path + QStringLiteral(".part")).size() <= (64 << 10));
}

QTEST_MAIN(tst_Download)
#include "tst_download.moc"
