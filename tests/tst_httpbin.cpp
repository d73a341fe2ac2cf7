// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Against httpbin under gunicorn: every method reaches /anything with its verb and body, and
// httpbin's status, redirect, header, streaming, drip and gzip endpoints behave through Courier;
// its streams read as JSON lines, as they arrive.

#include <Courier/Client>
#include <Courier/JsonLinesReader>

#include "peers.h"
#include "spy.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

namespace {

// What a JsonLinesReader delivered, in order: "value 1", "error 2", …, "finished".
class JsonLinesLog : public QObject
{
public:
    explicit JsonLinesLog(JsonLinesReader *reader)
    {
        connect(reader, &JsonLinesReader::valueReceived, this, [this](const QJsonValue &value, qint64 line) {
            values << value;
            lines << line;
            sequence << QStringLiteral("value %1").arg(line);
        });
        connect(reader, &JsonLinesReader::parseErrorOccurred, this, [this](qint64 line, const QString &error) {
            errors << qMakePair(line, error);
            sequence << QStringLiteral("error %1").arg(line);
        });
        connect(reader, &StreamReader::finished, this, [this] { sequence << QStringLiteral("finished"); });
    }

    /*! The line numbers reported, values and errors alike, in the order they came. */
    QList<qint64> reported() const
    {
        QList<qint64> numbers;
        for (const QString &entry : sequence) {
            if (entry != QLatin1String("finished"))
                numbers << entry.section(QLatin1Char(' '), 1).toLongLong();
        }
        return numbers;
    }

    QList<QJsonValue> values;
    QList<qint64> lines; // of the values
    QList<QPair<qint64, QString>> errors;
    QStringList sequence;
};

} // namespace

class tst_Httpbin : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void crossOriginRedirectDropsCredentials();
    void methods_data();
    void methods();
    void status_data();
    void status();
    void redirects();
    void requestHeaders();
    void bytes();
    void streamLines();
    void drip();
    void gzip();
    void jsonLinesStream_data();
    void jsonLinesStream();
    void jsonLinesBackpressure_data();
    void jsonLinesBackpressure();
    void jsonLinesParseErrors();
    void jsonLinesDrip();
    void jsonLinesRandomBytes();

private:
    HttpbinPeer httpbin;
    Client client;
};

void tst_Httpbin::initTestCase() { COURIER_REQUIRE_PEER(httpbin); }

void tst_Httpbin::methods_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("echoed"); // httpbin's /anything echoes these; others it answers 405
    for (const char *m : {"GET", "DELETE", "TRACE"})
        QTest::newRow(m) << QByteArray(m) << QByteArray() << true;
    for (const char *m : {"POST", "PUT", "PATCH"})
        QTest::newRow(m) << QByteArray(m) << QByteArray("{\"m\":\"") + m + "\"}" << true;
    QTest::newRow("HEAD") << QByteArray("HEAD") << QByteArray() << false;
    QTest::newRow("OPTIONS") << QByteArray("OPTIONS") << QByteArray() << false;
    for (const char *m : {"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "NOTIFY", "SUBSCRIBE",
                          "UNSUBSCRIBE", "CONNECT", "X-CUSTOM"})
        QTest::newRow(m) << QByteArray(m) << QByteArray("<body/>") << false;
}

void tst_Httpbin::methods()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);
    QFETCH(bool, echoed);
    Request request(httpbin.url(QStringLiteral("/anything/path")), method);
    if (!body.isEmpty())
        request.setBody(body, body.startsWith('{') ? "application/json" : "application/xml");
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(20000));
    QVERIFY2(!r->hasTransportError(), qPrintable(r->errorString()));
    if (echoed) {
        QCOMPARE(r->statusCode(), 200);
        const QJsonObject json = r->json().toObject();
        QCOMPARE(json.value(QStringLiteral("method")).toString().toLatin1(), method);
        QCOMPARE(json.value(QStringLiteral("data")).toString().toLatin1(), body);
    } else if (method == "HEAD" || method == "OPTIONS") {
        QCOMPARE(r->statusCode(), 200);
        if (method == "OPTIONS")
            QVERIFY(r->header("Allow").contains("GET"));
    } else {
        // The server got the verb as sent and refused it as a method it does not route.
        QVERIFY2(r->statusCode() == 405 || r->statusCode() == 400, QByteArray::number(r->statusCode()).constData());
        if (r->statusCode() == 405)
            QCOMPARE(r->error(), Response::ContentOperationNotPermitted);
    }
    delete r;
}

void tst_Httpbin::status_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<Response::Error>("error");
    QTest::newRow("200") << 200 << Response::NoError;
    QTest::newRow("204") << 204 << Response::NoError;
    QTest::newRow("401") << 401 << Response::AuthenticationRequired;
    QTest::newRow("403") << 403 << Response::ContentAccessDenied;
    QTest::newRow("404") << 404 << Response::ContentNotFound;
    QTest::newRow("409") << 409 << Response::ContentConflict;
    QTest::newRow("410") << 410 << Response::ContentGone;
    QTest::newRow("418") << 418 << Response::UnknownContentError;
    QTest::newRow("500") << 500 << Response::InternalServerError;
    QTest::newRow("501") << 501 << Response::OperationNotImplemented;
    QTest::newRow("502") << 502 << Response::UnknownServerError;
    QTest::newRow("503") << 503 << Response::ServiceUnavailable;
}

void tst_Httpbin::status()
{
    QFETCH(int, code);
    QFETCH(Response::Error, error);
    Response *r = client.get(httpbin.url(QStringLiteral("/status/%1").arg(code)));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), code);
    QCOMPARE(r->error(), error);
    QVERIFY(!r->hasTransportError());
    QCOMPARE(log.count(QStringLiteral("error")), error == Response::NoError ? 0 : 1);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
}

void tst_Httpbin::redirects()
{
    Response *r = client.get(httpbin.url(QStringLiteral("/redirect/4")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->redirectCount(), 4);
    QCOMPARE(r->url().path(), QStringLiteral("/get"));

    Request capped(httpbin.url(QStringLiteral("/redirect/6")));
    capped.setMaximumRedirects(5);
    r = client.send(capped);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::TooManyRedirects);
}

void tst_Httpbin::requestHeaders()
{
    Request request(httpbin.url(QStringLiteral("/headers")));
    request.setHeader("X-Courier-Test", "yes");
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(20000));
    const QJsonObject headers = r->json().toObject().value(QStringLiteral("headers")).toObject();
    QCOMPARE(headers.value(QStringLiteral("X-Courier-Test")).toString(), QStringLiteral("yes"));
    QVERIFY(headers.value(QStringLiteral("User-Agent")).toString().startsWith(QLatin1String("Courier/")));
}

void tst_Httpbin::bytes()
{
    Response *r = client.get(httpbin.url(QStringLiteral("/bytes/70000?seed=3")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll().size(), 70000);
}

void tst_Httpbin::streamLines()
{
    Response *r = client.get(httpbin.url(QStringLiteral("/stream/7")));
    QList<QByteArray> lines;
    connect(r, &QIODevice::readyRead, this, [&] {
        while (r->canReadLine())
            lines << r->readLine();
    });
    QVERIFY(r->waitForFinished(20000));
    while (r->canReadLine())
        lines << r->readLine();
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(lines.size(), 7);
    QCOMPARE(QJsonDocument::fromJson(lines.last()).object().value(QStringLiteral("id")).toInt(), 6);
}

void tst_Httpbin::drip()
{
    Response *r = client.get(httpbin.url(QStringLiteral("/drip?numbytes=5&duration=1&delay=0")));
    int readyReads = 0;
    connect(r, &QIODevice::readyRead, this, [&] { ++readyReads; });
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll(), QByteArray("*****"));
    QVERIFY2(readyReads >= 2, QByteArray::number(readyReads).constData()); // it arrived over time
}

void tst_Httpbin::gzip()
{
    Response *r = client.get(httpbin.url(QStringLiteral("/gzip")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QVERIFY(r->isComplete());
    QCOMPARE(r->header("Content-Encoding"), QByteArray("gzip"));
    const QJsonObject json = r->json().toObject(); // decompressed by Qt
    QCOMPARE(json.value(QStringLiteral("gzipped")).toBool(), true);
    QCOMPARE(r->bytesReceived(), qint64(r->body().size()));
}

void tst_Httpbin::jsonLinesStream_data()
{
    QTest::addColumn<int>("count");
    for (const int count : {1, 5, 100})
        QTest::addRow("%d", count) << count;
}

void tst_Httpbin::jsonLinesStream()
{
    // /stream/N: N JSON objects, one a line, with ids from 0, as gunicorn writes them.
    QFETCH(int, count);
    Response *r = client.get(httpbin.url(QStringLiteral("/stream/%1").arg(count)));
    auto *reader = new JsonLinesReader(r);
    JsonLinesLog log(reader);
    QTRY_VERIFY_WITH_TIMEOUT(reader->isFinished(), 20000);
    QCOMPARE(r->error(), Response::NoError);
    QVERIFY(log.errors.isEmpty());
    QCOMPARE(log.values.size(), count);
    for (int i = 0; i < count; ++i) {
        const QJsonObject object = log.values.at(i).toObject();
        QCOMPARE(object.value(QStringLiteral("id")).toInt(-1), i);
        QCOMPARE(log.lines.at(i), qint64(i + 1));
        QVERIFY(object.value(QStringLiteral("url")).toString().endsWith(QStringLiteral("/stream/%1").arg(count)));
    }
    QCOMPARE(log.sequence.count(QStringLiteral("finished")), 1);
    QCOMPARE(log.sequence.last(), QStringLiteral("finished"));
    QCOMPARE(reader->itemCount(), qint64(count));
    QCOMPARE(reader->parseErrorCount(), qint64(0));
    delete r;
}

void tst_Httpbin::jsonLinesBackpressure_data()
{
    QTest::addColumn<int>("pauseAfter");
    QTest::newRow("paused before the first line") << 0;
    QTest::newRow("paused after the first line") << 1;
    QTest::newRow("paused after line 60") << 60;
}

void tst_Httpbin::jsonLinesBackpressure()
{
    // A reader paused (at once, or from its own slot) with a small read buffer: nothing is
    // delivered while the Response fills up behind it, and every line is once it resumes.
    QFETCH(int, pauseAfter);
    constexpr int Count = 100; // about 20 KB
    constexpr qint64 Buffer = 1024;
    Request request(httpbin.url(QStringLiteral("/stream/%1").arg(Count)));
    request.setReadBufferSize(Buffer);
    Response *r = client.send(request);
    auto *reader = new JsonLinesReader(r);
    JsonLinesLog log(reader); // connected first: its slot runs before the one that pauses
    connect(reader, &JsonLinesReader::valueReceived, this, [&] {
        if (log.values.size() == pauseAfter)
            reader->pause();
    });
    if (pauseAfter == 0)
        reader->pause();
    int arrivedWhilePaused = 0;
    connect(r, &QIODevice::readyRead, this, [&] { arrivedWhilePaused += reader->isPaused() ? 1 : 0; });
    QTRY_COMPARE_WITH_TIMEOUT(log.values.size(), pauseAfter, 20000);
    QVERIFY(reader->isPaused());
    // Body arrives while the reader is paused, and waits in the Response untaken (until the
    // engine stops reading the network for it), or the whole body is in already.
    QTRY_VERIFY_WITH_TIMEOUT((arrivedWhilePaused > 0 && r->bytesAvailable() > 0) || r->isFinished(), 20000);
    QCOMPARE(log.values.size(), pauseAfter);
    QVERIFY(log.errors.isEmpty());
    QVERIFY(!reader->isFinished());
    qInfo("paused after %d lines: %lld bytes received, %lld waiting in the Response", pauseAfter, r->bytesReceived(),
          r->bytesAvailable());

    reader->resume();
    QCOMPARE(log.values.size(), pauseAfter); // delivered from the event loop, not from resume()
    QTRY_VERIFY_WITH_TIMEOUT(reader->isFinished(), 20000);
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(log.values.size(), Count);
    for (int i = 0; i < Count; ++i) {
        QCOMPARE(log.values.at(i).toObject().value(QStringLiteral("id")).toInt(-1), i);
        QCOMPARE(log.lines.at(i), qint64(i + 1));
    }
    QCOMPARE(log.sequence.count(QStringLiteral("finished")), 1);
    QCOMPARE(log.sequence.last(), QStringLiteral("finished"));
    delete r;
}

void tst_Httpbin::jsonLinesParseErrors()
{
    // /base64/<value> answers the decoded text as it is: JSON lines with lines that are no JSON,
    // blank lines, a CRLF, UTF-8, and no line end at the end.
    const QByteArray text = "{\"id\": 1}\n"
                            "not json\n"
                            "{\"id\": 3}\r\n"
                            "\n"
                            "  \t \n"
                            "{\"unterminated\": \"x\n"
                            "[1, 2, 3]\n"
                            "\"\xc3\xa9t\xc3\xa9\"\n"
                            "42";
    Response *r = client.get(
        httpbin.url(QStringLiteral("/base64/") + QString::fromLatin1(text.toBase64(QByteArray::Base64UrlEncoding))));
    auto *reader = new JsonLinesReader(r);
    JsonLinesLog log(reader);
    QTRY_VERIFY_WITH_TIMEOUT(reader->isFinished(), 20000);
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(log.sequence.join(QLatin1Char(',')),
             QStringLiteral("value 1,error 2,value 3,error 6,value 7,value 8,value 9,finished"));
    QCOMPARE(log.values.at(0).toObject().value(QStringLiteral("id")).toInt(), 1);
    QCOMPARE(log.values.at(1).toObject().value(QStringLiteral("id")).toInt(), 3);
    QCOMPARE(log.values.at(2).toArray(), (QJsonArray{1, 2, 3}));
    QCOMPARE(log.values.at(3).toString(), QStringLiteral("\u00e9t\u00e9"));
    QCOMPARE(log.values.at(4).toInt(), 42);
    QVERIFY2(log.errors.at(0).second.contains(QLatin1String("line 2")), qPrintable(log.errors.at(0).second));
    QVERIFY2(log.errors.at(1).second.contains(QLatin1String("line 6")), qPrintable(log.errors.at(1).second));
    QCOMPARE(reader->parseErrorCount(), qint64(2));
    QCOMPARE(reader->itemCount(), qint64(7)); // values and errors
    delete r;
}

void tst_Httpbin::jsonLinesDrip()
{
    // /drip sends "*****" a byte at a time: one line, no JSON, reported once when it is whole
    // (at the end: it has no line end), not once per piece.
    Response *r = client.get(httpbin.url(QStringLiteral("/drip?numbytes=5&duration=0.25&delay=0")));
    auto *reader = new JsonLinesReader(r);
    JsonLinesLog log(reader);
    QTRY_VERIFY_WITH_TIMEOUT(reader->isFinished(), 20000);
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(log.sequence.join(QLatin1Char(',')), QStringLiteral("error 1,finished"));
    QVERIFY2(log.errors.first().second.contains(QLatin1String("line 1")), qPrintable(log.errors.first().second));
    delete r;
}

void tst_Httpbin::jsonLinesRandomBytes()
{
    // /stream-bytes: random bytes (a seed makes them the same each time), chunked in pieces of
    // 97 bytes that cut lines and UTF-8 anywhere. Read as JSON lines they are mostly errors, but
    // each line that is not blank is reported once, with its number, and none is lost.
    const QUrl url = httpbin.url(QStringLiteral("/stream-bytes/20000?seed=7&chunk_size=97"));
    Response *raw = client.get(url);
    QVERIFY(raw->waitForFinished(20000));
    QCOMPARE(raw->error(), Response::NoError);
    QByteArray bytes = raw->readAll();
    QCOMPARE(bytes.size(), 20000);
    delete raw;
    if (bytes.endsWith('\n'))
        bytes.chop(1);
    const QList<QByteArray> split = bytes.split('\n');
    QList<qint64> expected;
    for (qsizetype i = 0; i < split.size(); ++i) {
        const QByteArray &line = split.at(i);
        const bool blank = std::all_of(line.cbegin(), line.cend(),
                                       [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
        // The seed is one whose lines are blank or not whatever whitespace is taken to mean.
        QCOMPARE(line.trimmed().isEmpty(), blank);
        if (!blank)
            expected << i + 1;
    }
    QVERIFY(expected.size() > 20);

    Response *r = client.get(url);
    auto *reader = new JsonLinesReader(r);
    JsonLinesLog log(reader);
    QTRY_VERIFY_WITH_TIMEOUT(reader->isFinished(), 20000);
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(log.reported(), expected);
    QVERIFY(!log.errors.isEmpty());
    for (const auto &[line, error] : std::as_const(log.errors)) {
        QVERIFY2(error.contains(QRegularExpression(QStringLiteral("\\bline %1\\b").arg(line))), qPrintable(error));
    }
    QCOMPARE(log.sequence.last(), QStringLiteral("finished"));
    delete r;
}

void tst_Httpbin::crossOriginRedirectDropsCredentials()
{
    // httpbin on a second port is another origin: /redirect-to sends there, /headers shows what
    // arrived. Credentials of every kind stay behind; other headers follow.
    HttpbinPeer second;
    COURIER_REQUIRE_PEER(second);
    const QByteArray target = second.url(QStringLiteral("/headers")).toEncoded();
    Client courier;
    courier.setBearerToken("secret-token");
    courier.setSensitiveHeaders({"X-Api-Key"});
    Request request(httpbin.url(QStringLiteral("/redirect-to?url=") + QString::fromLatin1(target.toPercentEncoding())));
    request.setHeader("Cookie", "session=secret");
    request.setHeader("X-Api-Key", "secret-key");
    request.setHeader("X-Trace", "kept");
    Response *r = courier.send(request);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->redirectCount(), 1);
    QCOMPARE(r->url().port(), int(second.port()));
    const QJsonObject arrived = r->json().toObject().value(QLatin1String("headers")).toObject();
    QVERIFY(!arrived.contains(QLatin1String("Authorization")));
    QVERIFY(!arrived.contains(QLatin1String("Cookie")));
    QVERIFY(!arrived.contains(QLatin1String("X-Api-Key")));
    QCOMPARE(arrived.value(QLatin1String("X-Trace")).toString(), QStringLiteral("kept"));

    // The same request without a redirect does carry them (the test would pass vacuously otherwise).
    Request direct(second.url(QStringLiteral("/headers")));
    direct.setHeader("Cookie", "session=secret");
    Response *d = courier.send(direct);
    QVERIFY(d->waitForFinished(20000));
    const QJsonObject sent = d->json().toObject().value(QLatin1String("headers")).toObject();
    QCOMPARE(sent.value(QLatin1String("Authorization")).toString(), QStringLiteral("Bearer secret-token"));
    QCOMPARE(sent.value(QLatin1String("Cookie")).toString(), QStringLiteral("session=secret"));
}

QTEST_GUILESS_MAIN(tst_Httpbin)
#include "tst_httpbin.moc"
