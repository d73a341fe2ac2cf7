// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Streaming with bounded memory and the limits on what a response may make Courier hold: the read
// buffer (backpressure) against nginx with a slow reader, the read timeout under backpressure,
// maximumBodySize, Qt's decompression-bomb check, oversized headers, and request bodies streamed
// from devices (random access, sequential of known size, sequential of unknown size).

#include <Courier/Client>
#include <Courier/Response>

#include "peers.h"
#include "spy.h"
#include "testserver.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QTemporaryFile>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

namespace {

/*!
    A sequential device that makes \a total bytes on demand ('a'..'z' repeating), as a pipe or a
    generator would. It counts what was taken from it and ends with readChannelFinished().
*/
class Generator : public QIODevice
{
public:
    explicit Generator(qint64 total, QObject *parent = nullptr)
        : QIODevice(parent)
        , m_total(total)
    {
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_total - m_produced + QIODevice::bytesAvailable(); }
    bool atEnd() const override { return m_produced == m_total && QIODevice::bytesAvailable() == 0; }
    qint64 produced() const { return m_produced; }
    static QByteArray expected(qint64 total)
    {
        QByteArray out(total, Qt::Uninitialized);
        for (qint64 i = 0; i < total; ++i)
            out[i] = char('a' + i % 26);
        return out;
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min(maxSize, m_total - m_produced);
        for (qint64 i = 0; i < n; ++i)
            data[i] = char('a' + (m_produced + i) % 26);
        m_produced += n;
        if (n == 0) {
            if (!m_ended) {
                m_ended = true;
                QMetaObject::invokeMethod(this, &QIODevice::readChannelFinished, Qt::QueuedConnection);
            }
            return -1;
        }
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    qint64 m_total;
    qint64 m_produced = 0;
    bool m_ended = false;
};

} // namespace

class tst_Streaming : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void slowReaderHoldsAtMostTheBuffer_data();
    void slowReaderHoldsAtMostTheBuffer();
    void backpressureIsNotAReadTimeout();
    void maximumBodySizeAnnounced();
    void maximumBodySizeChunked();
    void maximumBodySizeNotReached();
    void decompressionBomb();
    void oversizedHeaders();
    void uploadFromFile();
    void uploadSequentialKnownSizeStreams();
    void uploadSequentialUnknownSize();

private:
    NginxPeer nginx;
    QByteArray largeSha;
    std::unique_ptr<TestServer> server;
    static constexpr qint64 LargeSize = 64 * 1024 * 1024;
};

void tst_Streaming::initTestCase()
{
    COURIER_REQUIRE_PEER(nginx);
    largeSha = nginx.addRandomFile(QStringLiteral("large.bin"), LargeSize);
    QVERIFY(!largeSha.isEmpty());
}

void tst_Streaming::init() { server = std::make_unique<TestServer>(); }

void tst_Streaming::slowReaderHoldsAtMostTheBuffer_data()
{
    QTest::addColumn<qint64>("bufferSize");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<bool>("post");
    QTest::newRow("http GET, 256 KiB") << qint64(256 * 1024) << false << false;
    QTest::newRow("http GET, 1 MiB") << qint64(1024 * 1024) << false << false;
    // With a body, Qt's engine hands the request to its HTTP thread later, from the event loop.
    QTest::newRow("http POST, 256 KiB") << qint64(256 * 1024) << false << true;
    QTest::newRow("https GET, 256 KiB") << qint64(256 * 1024) << true << false;
    QTest::newRow("https POST, 256 KiB") << qint64(256 * 1024) << true << true;
}

void tst_Streaming::slowReaderHoldsAtMostTheBuffer()
{
    // The application reads 64 KiB every few milliseconds, and now and then stops for 200 ms:
    // the server could send far faster. What Courier and Qt hold for it (bytesAvailable(): Courier's
    // device buffer plus the reply's) must stay bounded by the read buffer: Qt's HTTP thread counts
    // what it handed over and what the reply freed, so with data in transit between the threads the
    // reply can briefly hold up to twice the buffer (seen under ASan, where the threads run slower),
    // plus one socket block.
    //
    // Over https the server is nginx. Over http it is the in-process server, on this thread, so it
    // cannot send a byte before send() has returned: Qt's engine passes the limit to its HTTP
    // thread just after handing it the request, and over plain http nothing else orders the two
    // (doc/guide-cpp.md, "Reading as it arrives"). Over https Qt waits for this thread at the end
    // of the TLS handshake, before it sends the request.
    QFETCH(qint64, bufferSize);
    QFETCH(bool, tls);
    QFETCH(bool, post);
    const qint64 slack = 64 * 1024 + 16 * 1024; // one HTTP/1.1 socket read + QIODevice's own chunk
    const qint64 bound = 2 * bufferSize + slack;
    QByteArray large;
    if (!tls) {
        QFile file(nginx.documentRoot() + QStringLiteral("/large.bin"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        large = file.readAll();
        server->setHandler([&large](TestConnection *c, const RawRequest &) {
            c->respond(200, "OK", {{"Content-Type", "application/octet-stream"}}, large);
        });
    }
    Client client;
    Request request(tls ? nginx.tlsUrl(post ? QStringLiteral("/post/large.bin") : QStringLiteral("/large.bin"))
                        : server->url(QStringLiteral("/large.bin")));
    if (tls) {
        TlsOptions options;
        options.addCaCertificatesFromPem(nginx.certificatePem());
        request.setTlsOptions(options);
    }
    if (post) {
        request.setMethod("POST");
        request.setBody(QByteArray("a small body"), "text/plain");
    }
    request.setProtocol(Request::Protocol::Http1);
    request.setReadBufferSize(bufferSize);
    Response *r = client.send(request);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 got = 0;
    qint64 maxHeld = 0;
    int ticks = 0;
    QTimer reader;
    reader.setInterval(2);
    connect(&reader, &QTimer::timeout, this, [&] {
        maxHeld = std::max(maxHeld, r->bytesAvailable());
        if (++ticks % 100 == 0) {
            reader.setInterval(200); // a pause: the network must wait
            return;
        }
        reader.setInterval(2);
        const QByteArray chunk = r->read(64 * 1024);
        got += chunk.size();
        hash.addData(chunk);
        maxHeld = std::max(maxHeld, r->bytesAvailable());
    });
    connect(r, &QIODevice::readyRead, this, [&] { maxHeld = std::max(maxHeld, r->bytesAvailable()); });
    reader.start();
    QTRY_VERIFY_WITH_TIMEOUT(r->isFinished() && r->bytesAvailable() == 0, 180000);
    reader.stop();
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(got, LargeSize);
    QCOMPARE(hash.result(), largeSha);
    qInfo("read buffer %lld: at most %lld bytes held at once for a %lld-byte body", bufferSize, maxHeld, LargeSize);
    QVERIFY2(maxHeld <= bound, qPrintable(QStringLiteral("held %1, more than %2").arg(maxHeld).arg(bound)));
}

void tst_Streaming::backpressureIsNotAReadTimeout()
{
    // The server sends 1 MiB at once; the application does not read for three read timeouts.
    // The silence is the application's, so the read timeout must not fire.
    const QByteArray body = Generator::expected(1024 * 1024);
    server->setHandler([&](TestConnection *c, const RawRequest &) { c->respond(200, "OK", {}, body); });
    Client client;
    Request request(server->url());
    request.setReadTimeout(300);
    request.setReadBufferSize(64 * 1024);
    Response *r = client.send(request);
    QTest::qWait(1000);
    QVERIFY2(!r->isFinished(), qPrintable(r->errorString()));
    QVERIFY(r->bytesAvailable() <= 64 * 1024 + 80 * 1024);
    QByteArray got;
    QTRY_VERIFY_WITH_TIMEOUT((got += r->readAll(), r->isFinished() && r->bytesAvailable() == 0), 20000);
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(got.size(), body.size());
    QVERIFY(got == body);
}

void tst_Streaming::maximumBodySizeAnnounced()
{
    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->write("HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n");
        c->write(QByteArray(1000, 'x'));
    });
    Client client;
    client.setMaximumBodySize(4096);
    Response *r = client.get(server->url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::UnknownContentError);
    QCOMPARE(r->category(), Response::Content);
    QVERIFY(r->hasTransportError());
    QVERIFY2(r->errorString().contains(QLatin1String("maximum body size is 4096")), qPrintable(r->errorString()));
    QCOMPARE(log.count(QStringLiteral("headers")), 0); // refused before the application saw it
    QCOMPARE(log.sequence(), QStringLiteral("download error finished")); // the one (0, 0) progress promised
}

void tst_Streaming::maximumBodySizeChunked()
{
    // No Content-Length and no end: the limit stops it.
    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        QList<QByteArray> pieces;
        for (int i = 0; i < 200; ++i)
            pieces.append("400\r\n" + QByteArray(1024, 'y') + "\r\n");
        c->drip(pieces, 1);
    });
    Request request(server->url());
    request.setMaximumBodySize(50 * 1024);
    Client client;
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::UnknownContentError);
    QVERIFY2(r->errorString().contains(QLatin1String("51200")), qPrintable(r->errorString()));
    const QByteArray kept = r->readAll();
    QVERIFY(kept.size() > 40 * 1024); // what arrived before the limit is still readable
    QVERIFY(kept.size() <= 50 * 1024 + 64 * 1024);
    QVERIFY(kept.count('y') == kept.size());
}

void tst_Streaming::maximumBodySizeNotReached()
{
    server->setHandler([](TestConnection *c, const RawRequest &) { c->respond(200, "OK", {}, QByteArray(4096, 'z')); });
    Client client;
    client.setMaximumBodySize(4096);
    QSignalSpy changed(&client, &Client::maximumBodySizeChanged);
    client.setMaximumBodySize(4096);
    QCOMPARE(changed.size(), 0);
    Response *r = client.get(server->url());
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll().size(), 4096);
}

void tst_Streaming::decompressionBomb()
{
    // 64 MiB of zeros compressed to about 64 KiB: Courier's decoder stops it past 10 MiB, at a
    // ratio above 40 (Qt 6.4's numbers), on either engine.
    const QByteArray zeros(64 * 1024 * 1024, '\0');
    const QByteArray bomb = qCompress(zeros, 9).mid(4); // a zlib stream: Content-Encoding deflate
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"Content-Encoding", "deflate"}}, bomb);
    });
    Client client;
    Response *r = client.get(server->url());
    qint64 maxHeld = 0;
    connect(r, &QIODevice::readyRead, this, [&] { maxHeld = std::max(maxHeld, r->bytesAvailable()); });
    QVERIFY(r->waitForFinished(60000));
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QVERIFY2(r->errorString().contains(QLatin1String("decompression bomb")), qPrintable(r->errorString()));
    qInfo("decompression bomb of %lld bytes stopped with %lld bytes held", qint64(bomb.size()), maxHeld);
    QVERIFY(maxHeld < 16 * 1024 * 1024);
}

void tst_Streaming::oversizedHeaders()
{
    server->setHandler([](TestConnection *c, const RawRequest &) {
        QByteArray wire = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n";
        for (int i = 0; i < 80; ++i) // 80 KiB in 81 fields: under Qt 6.4's own parser limits
            wire += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(1024, 'h') + "\r\n";
        c->write(wire + "\r\nok");
    });
    Client client;
    Response *r = client.get(server->url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::ProtocolFailure);
    QVERIFY2(r->errorString().contains(QLatin1String("headers are too large")), qPrintable(r->errorString()));
    QCOMPARE(log.count(QStringLiteral("headers")), 0);
}

void tst_Streaming::uploadFromFile()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    const QByteArray content = Generator::expected(3 * 1024 * 1024 + 7);
    QCOMPARE(file.write(content), content.size());
    QVERIFY(file.seek(0));
    QByteArray received;
    server->setHandler([&](TestConnection *c, const RawRequest &r) {
        received = r.body;
        c->respond(200, "OK", {}, "stored");
    });
    Client client;
    Request request(server->url(QStringLiteral("/upload")), "PUT");
    request.setBodyDevice(&file, -1, "application/octet-stream");
    Response *r = client.send(request);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(30000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(received.size(), content.size());
    QVERIFY(received == content);
    QCOMPARE(server->lastRequest().header("Content-Length"), QByteArray::number(content.size()));
    QVERIFY(log.count(QStringLiteral("upload")) >= 1);
    QCOMPARE(log.uploads.last(), (QPair<qint64, qint64>(content.size(), content.size())));
    QCOMPARE(r->bytesSent(), content.size());
}

void tst_Streaming::uploadSequentialKnownSizeStreams()
{
    // Qt reads a sequential device entirely into memory before sending unless told not to: with
    // the size known, Courier has it stream. The server sees the request while most of the body
    // is still in the generator.
    const qint64 total = 32 * 1024 * 1024;
    Generator generator(total);
    qint64 producedAtFirstBytes = -1;
    qint64 received = 0;
    server->setHandler([&](TestConnection *c, const RawRequest &r) {
        received = r.body.size();
        c->respond(200, "OK", {}, "ok");
    });
    Client client;
    Request request(server->url(QStringLiteral("/upload")), "POST");
    request.setBodyDevice(&generator, total, "application/octet-stream");
    Response *r = client.send(request);
    connect(r, &Response::uploadProgress, this, [&](qint64 sent, qint64) {
        if (producedAtFirstBytes < 0 && sent > 0)
            producedAtFirstBytes = generator.produced();
    });
    QVERIFY(r->waitForFinished(60000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(received, total);
    qInfo("generator had produced %lld of %lld bytes when the first were sent", producedAtFirstBytes, total);
    QVERIFY(producedAtFirstBytes > 0);
    QVERIFY(producedAtFirstBytes < total / 2);
}

void tst_Streaming::uploadSequentialUnknownSize()
{
    // Qt 6.4 cannot send a body of unknown size (no chunked requests): Courier copies it to a
    // temporary file first, which keeps memory bounded, sends it with its Content-Length, and can
    // send it again for a 307.
    const qint64 total = 5 * 1024 * 1024 + 3;
    auto *generator = new Generator(total);
    QList<qint64> bodies;
    server->setHandler([&](TestConnection *c, const RawRequest &r) {
        bodies.append(r.body.size());
        if (r.target == "/first")
            c->respond(307, "Temporary Redirect", {{"Location", "/second"}});
        else
            c->respond(200, "OK", {}, r.body == Generator::expected(total) ? "intact" : "damaged");
    });
    Client client;
    Request request(server->url(QStringLiteral("/first")), "POST");
    request.setBodyDevice(generator, -1, "application/octet-stream");
    Response *r = client.send(request);
    generator->setParent(r);
    QVERIFY(r->waitForFinished(60000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll(), QByteArray("intact"));
    QCOMPARE(bodies, (QList<qint64>{total, total}));
    QCOMPARE(server->lastRequest().header("Content-Length"), QByteArray::number(total));
}

QTEST_GUILESS_MAIN(tst_Streaming)
#include "tst_streaming.moc"
