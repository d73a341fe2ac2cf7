// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Content codings: Courier undoes gzip, deflate (zlib-wrapped and raw), br and zstd itself, the
// same way on both engines. First ContentDecoder alone, by tables (no network): every coding and
// chains of them, fed whole and a byte at a time, bounded output, and what it refuses. Then
// through a Client on each engine: what is asked for, what arrives, lengths and progress, the
// read buffer with a coded body, and a body the application asked to keep coded.
//
// The hostile cases (truncation, bombs, nested chains) are tst_hostile's.

#include <Courier/Client>
#include <Courier/Response>

#include "codings.h"
#include "decoder_p.h"
#include "spy.h"
#include "testserver.h"

#include <QtCore/QRandomGenerator>
#include <QtCore/QTimer>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

Q_DECLARE_METATYPE(QList<Courier::Test::Coding>)

namespace {

// Some text and some noise: what a real body holds.
QByteArray sampleBody(qsizetype size)
{
    QByteArray body;
    body.reserve(size);
    QRandomGenerator random(42);
    while (body.size() < size) {
        body += "line " + QByteArray::number(body.size()) + " of a body that compresses well\n";
        for (int i = 0; i < 16; ++i)
            body += char(random.bounded(256));
    }
    body.truncate(size);
    return body;
}

QByteArray headerOf(const QList<Coding> &codings)
{
    QByteArrayList names;
    for (const Coding c : codings)
        names += codingName(c);
    return names.join(", ");
}

// Decodes \a wire with a decoder for \a header, given \a step bytes at a time (all at once for 0)
// and taking at most \a outStep per decode() call; false with \a why on a refusal.
bool decodeAll(const QByteArray &header, const QByteArray &wire, qsizetype step, qint64 outStep, QByteArray *out,
               QString *why)
{
    std::unique_ptr<ContentDecoder> decoder = ContentDecoder::create(header, why);
    if (!decoder)
        return false;
    const qsizetype piece = step > 0 ? step : std::max<qsizetype>(wire.size(), 1);
    for (qsizetype at = 0; at < wire.size(); at += piece) {
        decoder->addInput(wire.mid(at, piece));
        for (;;) {
            const qsizetype before = out->size();
            if (!decoder->decode(out, outStep, why))
                return false;
            if (out->size() - before > outStep) {
                *why = QStringLiteral("decode() gave more than it was asked for");
                return false;
            }
            if (out->size() == before)
                break;
        }
    }
    return decoder->finish(why);
}

} // namespace

class tst_Decoding : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // ContentDecoder alone
    void decodes_data();
    void decodes();
    void byteAtATime_data();
    void byteAtATime();
    void acceptEncodingNamesWhatItDecodes();
    void refuses_data();
    void refuses();
    void outputIsBounded();

    // Through a Client, on each engine
    void init();
    void everyCodingArrivesDecoded_data();
    void everyCodingArrivesDecoded();
    void lengthsAndProgressOfACodedBody();
    void readBufferHoldsDecodedBytes();
    void applicationsOwnAcceptEncodingKeepsTheBody();

private:
    std::unique_ptr<TestServer> server;
};

// ---------------------------------------------------------------------------------------------
// ContentDecoder alone

void tst_Decoding::decodes_data()
{
    QTest::addColumn<QList<Coding>>("codings");
    QTest::addColumn<qsizetype>("size");
    const QList<QPair<const char *, QList<Coding>>> chains = {
        {"gzip", {Coding::Gzip}},
        {"deflate", {Coding::Deflate}},
        {"raw deflate", {Coding::RawDeflate}},
        {"br", {Coding::Brotli}},
        {"zstd", {Coding::Zstd}},
        {"gzip, br", {Coding::Gzip, Coding::Brotli}},
        {"deflate, gzip, zstd", {Coding::Deflate, Coding::Gzip, Coding::Zstd}},
        {"five codings", {Coding::Gzip, Coding::Gzip, Coding::Brotli, Coding::Zstd, Coding::Deflate}},
    };
    for (const auto &[name, chain] : chains) {
        for (const qsizetype size : {qsizetype(0), qsizetype(1), qsizetype(1000), qsizetype(300 * 1024)})
            QTest::addRow("%s, %lld bytes", name, qint64(size)) << chain << size;
    }
}

void tst_Decoding::decodes()
{
    QFETCH(QList<Coding>, codings);
    QFETCH(qsizetype, size);
    const QByteArray body = sampleBody(size);
    const QByteArray wire = encodeChain(codings, body);
    QVERIFY(!wire.isEmpty());
    QByteArray out;
    QString why;
    QVERIFY2(decodeAll(headerOf(codings), wire, 0, 1 << 20, &out, &why), qPrintable(why));
    QCOMPARE(out.size(), body.size());
    QVERIFY(out == body);
    // In small pieces both ways (odd sizes, so that pieces straddle every structure; tiny ones for
    // the small bodies, byteAtATime() going down to single bytes).
    out.clear();
    const bool small = size <= 1000;
    QVERIFY2(decodeAll(headerOf(codings), wire, small ? 7 : 4093, small ? 13 : 1021, &out, &why), qPrintable(why));
    QVERIFY(out == body);
}

void tst_Decoding::byteAtATime_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QByteArray>("body");
    const QByteArray body = sampleBody(3000);
    for (const Coding c : {Coding::Gzip, Coding::Deflate, Coding::RawDeflate, Coding::Brotli, Coding::Zstd})
        QTest::addRow("%s", codingName(c).constData()) << codingName(c) << encode(c, body) << body;
    // Two gzip members one after the other (RFC 1952 section 2.2), and the aliases.
    QTest::newRow("two gzip members") << QByteArray("gzip")
                                      << QByteArray(encode(Coding::Gzip, "first ") + encode(Coding::Gzip, "second"))
                                      << QByteArray("first second");
    QTest::newRow("x-gzip") << QByteArray("x-gzip") << encode(Coding::Gzip, body) << body;
    QTest::newRow("identity around") << QByteArray("identity, GZIP ,identity") << encode(Coding::Gzip, body) << body;
    QTest::newRow("two zstd frames") << QByteArray("zstd")
                                     << QByteArray(encode(Coding::Zstd, "one ") + encode(Coding::Zstd, "two"))
                                     << QByteArray("one two");
}

void tst_Decoding::byteAtATime()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, wire);
    QFETCH(QByteArray, body);
    QByteArray out;
    QString why;
    QVERIFY2(decodeAll(header, wire, 1, 1, &out, &why), qPrintable(why));
    QCOMPARE(out, body);
}

void tst_Decoding::acceptEncodingNamesWhatItDecodes()
{
    const QByteArray accept = ContentDecoder::acceptEncoding();
    for (const QByteArray &name : accept.split(',')) {
        QString why;
        QVERIFY2(ContentDecoder::create(name.trimmed(), &why), qPrintable(why));
    }
    QCOMPARE(accept, QByteArray("gzip, deflate, br, zstd")); // the test build has them all
    QString why;
    QVERIFY(!ContentDecoder::create("identity", &why));
    QVERIFY(why.isEmpty()); // nothing to decode is no error
    QVERIFY(!ContentDecoder::create("", &why));
    QVERIFY(why.isEmpty());
}

void tst_Decoding::refuses_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("words");
    const QByteArray body = sampleBody(5000);
    const QByteArray gz = encode(Coding::Gzip, body);
    QTest::newRow("unknown coding") << QByteArray("compress") << QByteArray("x")
                                    << QStringLiteral("not one Courier asked for");
    QTest::newRow("six codings") << QByteArray("gzip, gzip, gzip, gzip, gzip, gzip") << gz
                                 << QStringLiteral("more than the 5");
    QTest::newRow("not gzip at all") << QByteArray("gzip") << QByteArray("plain text, said to be gzip")
                                     << QStringLiteral("incorrect header");
    QTest::newRow("corrupt in the middle")
        << QByteArray("gzip") << QByteArray(gz.left(100) + QByteArray(50, '\xff') + gz.mid(150))
        << QStringLiteral("invalid");
    QTest::newRow("wrong checksum") << QByteArray("gzip") << QByteArray(gz.chopped(8) + QByteArray(8, '\0'))
                                    << QStringLiteral("incorrect");
    QTest::newRow("gzip cut short") << QByteArray("gzip") << gz.left(gz.size() / 2) << QStringLiteral("ends early");
    QTest::newRow("gzip without its trailer") << QByteArray("gzip") << gz.chopped(4) << QStringLiteral("ends early");
    QTest::newRow("garbage after gzip") << QByteArray("gzip") << QByteArray(gz + "trailing")
                                        << QStringLiteral("after the end");
    QTest::newRow("deflate cut short") << QByteArray("deflate") << encode(Coding::Deflate, body).left(100)
                                       << QStringLiteral("ends early");
    QTest::newRow("br cut short") << QByteArray("br") << encode(Coding::Brotli, body).chopped(3)
                                  << QStringLiteral("ends early");
    QTest::newRow("garbage after br") << QByteArray("br") << QByteArray(encode(Coding::Brotli, body) + "x")
                                      << QStringLiteral("after the end");
    QTest::newRow("zstd cut short") << QByteArray("zstd") << encode(Coding::Zstd, body).chopped(3)
                                    << QStringLiteral("ends early");
    QTest::newRow("garbage after zstd") << QByteArray("zstd") << QByteArray(encode(Coding::Zstd, body) + "garbage!")
                                        << QStringLiteral("Unknown frame descriptor");
    QTest::newRow("inner coding cut short")
        << QByteArray("gzip, br") << encode(Coding::Brotli, encode(Coding::Gzip, body).left(200))
        << QStringLiteral("gzip stream ends early");
    QTest::newRow("gzip bomb") << QByteArray("gzip") << gzipZeros(100 << 20) << QStringLiteral("decompression bomb");
    QTest::newRow("nested gzip bomb") << QByteArray("gzip, gzip, gzip")
                                      << encodeChain({Coding::Gzip, Coding::Gzip}, gzipZeros(100 << 20))
                                      << QStringLiteral("decompression bomb");
    QTest::newRow("zstd bomb") << QByteArray("zstd") << encode(Coding::Zstd, QByteArray(100 << 20, '\0'))
                               << QStringLiteral("decompression bomb");
    QTest::newRow("br bomb") << QByteArray("br") << encode(Coding::Brotli, QByteArray(100 << 20, '\0'))
                             << QStringLiteral("decompression bomb");
}

void tst_Decoding::refuses()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, wire);
    QFETCH(QString, words);
    QByteArray out;
    QString why;
    QVERIFY(!decodeAll(header, wire, 64 * 1024, 64 * 1024, &out, &why));
    QVERIFY2(why.contains(words), qPrintable(why));
    // A bomb is stopped early: little past the 10 MiB the check starts at.
    QVERIFY2(out.size() <= ContentDecoder::BombCheckAfter + (1 << 20), QByteArray::number(out.size()).constData());
}

void tst_Decoding::outputIsBounded()
{
    // However much one wire piece holds, decode() gives at most what it is asked for, and the
    // rest comes on the next call: the caller's buffer bounds the memory.
    const QByteArray wire = encode(Coding::Gzip, QByteArray(8 << 20, 'a'));
    QString why;
    std::unique_ptr<ContentDecoder> decoder = ContentDecoder::create("gzip", &why);
    decoder->addInput(wire);
    QByteArray out;
    qint64 calls = 0;
    for (;;) {
        const qsizetype before = out.size();
        QVERIFY(decoder->decode(&out, 100000, &why));
        QVERIFY(out.size() - before <= 100000);
        if (out.size() == before)
            break;
        ++calls;
    }
    QCOMPARE(out.size(), 8 << 20);
    QVERIFY(calls >= (8 << 20) / 100000);
    QVERIFY2(decoder->finish(&why), qPrintable(why));
    QCOMPARE(decoder->wireBytes(), wire.size());
    QCOMPARE(decoder->decodedBytes(), qint64(8 << 20));
}

// ---------------------------------------------------------------------------------------------
// Through a Client

void tst_Decoding::init() { server = std::make_unique<TestServer>(); }

void tst_Decoding::everyCodingArrivesDecoded_data() { decodes_data(); }

void tst_Decoding::everyCodingArrivesDecoded()
{
    QFETCH(QList<Coding>, codings);
    QFETCH(qsizetype, size);
    const QByteArray body = sampleBody(size);
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"Content-Encoding", headerOf(codings)}}, encodeChain(codings, body));
    });
    Client client;
    Response *r = client.get(server->url());
    QVERIFY(r->waitForFinished(20000));
    QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
    QCOMPARE(server->lastRequest().header("Accept-Encoding"), QByteArray("gzip, deflate, br, zstd"));
    const QByteArray got = r->readAll();
    QCOMPARE(got.size(), body.size());
    QVERIFY(got == body);
    QCOMPARE(r->header("Content-Encoding"), headerOf(codings)); // the headers are as sent
}

void tst_Decoding::lengthsAndProgressOfACodedBody()
{
    // Content-Length counts the body as sent; bytesReceived() and progress count it decoded, out
    // of an unknown total (-1): no header tells the decoded size.
    const QByteArray body = sampleBody(200 * 1024);
    const QByteArray wire = encode(Coding::Gzip, body);
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"Content-Encoding", "gzip"}}, wire);
    });
    Client client;
    Response *r = client.get(server->url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->contentLength(), wire.size());
    QCOMPARE(r->bytesReceived(), body.size());
    QCOMPARE(r->bytesTotal(), -1);
    QVERIFY(!log.downloads.isEmpty());
    QCOMPARE(log.downloads.last().first, body.size());
    QCOMPARE(r->readAll(), body);
}

void tst_Decoding::readBufferHoldsDecodedBytes()
{
    // A coded body read as it arrives: Courier decodes only as far as the reader makes room,
    // and finished() comes once the reader has taken the last decoded byte, after the decoder
    // saw the coding end where the body did.
    const QByteArray body = sampleBody(8 << 20);
    const QByteArray wire = encode(Coding::Gzip, body);
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"Content-Encoding", "gzip"}}, wire);
    });
    constexpr qint64 buffer = 256 * 1024;
    Client client;
    Request request(server->url());
    request.setReadBufferSize(buffer);
    Response *r = client.send(request);
    QByteArray got;
    qint64 maxHeld = 0;
    int reads = 0;
    QTimer reader;
    reader.setInterval(1);
    connect(&reader, &QTimer::timeout, this, [&] {
        maxHeld = std::max(maxHeld, r->bytesAvailable());
        if (++reads % 20 == 0)
            got += r->read(32 * 1024);
    });
    reader.start();
    QTRY_VERIFY_WITH_TIMEOUT((got += r->readAll(), r->isFinished()), 120000);
    got += r->readAll();
    reader.stop();
    QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
    QCOMPARE(got.size(), body.size());
    QVERIFY(got == body);
    qInfo("coded body of %lld bytes (%lld on the wire), read buffer %lld: at most %lld decoded bytes held",
          qint64(body.size()), qint64(wire.size()), buffer, maxHeld);
    QVERIFY2(maxHeld <= buffer + 4 * 64 * 1024 + 16 * 1024, QByteArray::number(maxHeld).constData());
}

void tst_Decoding::applicationsOwnAcceptEncodingKeepsTheBody()
{
    // An application that asks for codings itself decodes them itself: the body is as sent.
    const QByteArray wire = encode(Coding::Gzip, "decode me yourself");
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"Content-Encoding", "gzip"}}, wire);
    });
    Client client;
    Request request(server->url());
    request.setHeader("Accept-Encoding", "gzip");
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(server->lastRequest().header("Accept-Encoding"), QByteArray("gzip"));
    QCOMPARE(r->readAll(), wire);
}

QTEST_MAIN(tst_Decoding)
#include "tst_decoding.moc"
