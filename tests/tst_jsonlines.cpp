// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// JSON lines (NDJSON): the parser fed whole and cut at every byte, and JsonLinesReader on a
// Response: values with their line numbers as they arrive, a bad line reported without losing the
// next ones, the last line without its LF, a line too long, a paused reader.

#include <Courier/Client>
#include <Courier/JsonLinesReader>
#include <Courier/MockServer>

#include "../src/streamparsers_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Courier;
using namespace std::chrono_literals;

namespace {

// "N:json" per value, "N!error" per bad line.
QStringList parse(JsonLinesParser &parser, const QList<QByteArray> &pieces, bool clean = true)
{
    QList<JsonLinesItem> items;
    for (const QByteArray &piece : pieces)
        parser.feed(piece, items);
    parser.finish(clean, items);
    QStringList out;
    for (const JsonLinesItem &item : items) {
        if (!item.error.isEmpty()) {
            out << QStringLiteral("%1!").arg(item.line) + item.error;
            continue;
        }
        const QJsonDocument wrapped(QJsonArray{item.value});
        const QByteArray json = wrapped.toJson(QJsonDocument::Compact);
        out << QStringLiteral("%1:").arg(item.line) + QString::fromUtf8(json.mid(1, json.size() - 2));
    }
    return out;
}

QStringList parse(const QByteArray &stream, bool clean = true)
{
    JsonLinesParser parser;
    return parse(parser, {stream}, clean);
}

QString text(const char *utf8) { return QString::fromUtf8(utf8); }
template <typename... Items>
QStringList list(const Items &...items)
{
    return QStringList{text(items)...};
}

const QByteArray kLines = "\xEF\xBB\xBF{\"id\":1,\"name\":\"\xC3\xA9\"}\r\n"
                          "[1,2,3]\n"
                          "\n"
                          "   \t\r\n"
                          "\"text\"\n"
                          "{\"broken\": \n"
                          "42\n"
                          "true\n"
                          "null\n"
                          "{\"last\":true}";

MockResponse jsonLines(const QByteArray &body)
{
    return MockResponse(200, body).setHeader("Content-Type", "application/x-ndjson");
}

} // namespace

class tst_JsonLines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyJsonValueWithItsLineNumber()
    {
        QCOMPARE(parse(kLines),
                 list("1:{\"id\":1,\"name\":\"\xC3\xA9\"}", "2:[1,2,3]", "5:\"text\"",
                      "6!line 6, column 11: unterminated object", "7:42", "8:true", "9:null", "10:{\"last\":true}"));
    }
    void aBadLineLosesNoOtherLine()
    {
        QCOMPARE(parse("{\"a\":1}\n{oops}\n{\"b\":2}\n"),
                 list("1:{\"a\":1}", "2!line 2, column 3: unterminated object", "3:{\"b\":2}"));
    }
    void moreThanOneValueOnALineIsAnError()
    {
        QCOMPARE(parse("1, 2\n"), list("1!line 1, column 2: more than one JSON value"));
        QCOMPARE(parse("{} {}\n").first().left(13), QStringLiteral("1!line 1, col"));
        QCOMPARE(parse("1 2\n").size(), 1);
        QVERIFY(parse("1 2\n").first().startsWith(QLatin1String("1!")));
    }
    void columnsCountFromTheLinesStart()
    {
        QCOMPARE(parse("   {\"a\": nope}\n"), list("1!line 1, column 12: illegal value"));
        QCOMPARE(parse("  tru\n"), list("1!line 1, column 4: illegal value"));
    }
    void lastLineWithoutLineFeed()
    {
        QCOMPARE(parse("1\n2", true), list("1:1", "2:2"));
        // Cut short by an error: the last line may be a piece of one; it is dropped.
        QCOMPARE(parse("1\n2", false), list("1:1"));
    }
    void whitespaceLinesAreSkippedAndCounted() { QCOMPARE(parse("\n \n\t\r\n1\n"), list("4:1")); }
    void deepNestingIsAnErrorNotACrash()
    {
        const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
        const QStringList got = parse(deep + "\n7\n");
        QCOMPARE(got.size(), 2);
        QVERIFY(got.first().startsWith(QLatin1String("1!")));
        QCOMPARE(got.last(), QStringLiteral("2:7"));
    }
    void cutAtEveryByteGivesTheSameValues()
    {
        const QStringList whole = parse(kLines);
        for (qsizetype cut = 0; cut <= kLines.size(); ++cut) {
            JsonLinesParser parser;
            QCOMPARE(parse(parser, {kLines.left(cut), kLines.mid(cut)}), whole);
        }
        JsonLinesParser bytewise;
        QList<QByteArray> bytes;
        for (const char c : kLines)
            bytes << QByteArray(1, c);
        QCOMPARE(parse(bytewise, bytes), whole);
    }
    void lineLongerThanTheLimitStopsTheParser()
    {
        JsonLinesParser parser;
        parser.setMaximumSize(100);
        QList<JsonLinesItem> items;
        QVERIFY(parser.feed("{\"short\":1}\n", items));
        QVERIFY(parser.feed(QByteArray(60, ' '), items));
        QVERIFY(!parser.feed(QByteArray(QByteArray(60, ' ') + "1\n2\n"), items));
        QCOMPARE(items.size(), 1);
        QVERIFY2(parser.tooLargeMessage().contains(QLatin1String("line 2")), qPrintable(parser.tooLargeMessage()));
        QVERIFY(parser.tooLargeMessage().contains(QLatin1String("100 bytes")));
    }

    // --- JsonLinesReader on a Response ---
    void readerDeliversValuesAsTheyArrive_data()
    {
        QTest::addColumn<qint64>("chunk");
        QTest::addColumn<qint64>("throttle");
        QTest::newRow("whole") << qint64(0) << qint64(0);
        QTest::newRow("chunked, 1 byte") << qint64(1) << qint64(0);
        QTest::newRow("3 bytes per write") << qint64(0) << qint64(3);
    }
    void readerDeliversValuesAsTheyArrive()
    {
        QFETCH(qint64, chunk);
        QFETCH(qint64, throttle);
        MockServer server;
        QVERIFY(server.listen());
        MockResponse answer = jsonLines(kLines);
        if (chunk)
            answer.setChunked(chunk);
        if (throttle)
            answer.setThrottle(throttle, 1ms);
        server.enqueue(answer);
        Client client;
        Response *response = client.get(server.url(QStringLiteral("/feed")));
        auto *reader = new JsonLinesReader(response);
        QList<qint64> lines;
        QList<qint64> badLines;
        QString error;
        connect(reader, &JsonLinesReader::valueReceived, this, [&](const QJsonValue &, qint64 line) { lines << line; });
        connect(reader, &JsonLinesReader::parseErrorOccurred, this, [&](qint64 line, const QString &why) {
            badLines << line;
            error = why;
        });
        QSignalSpy finished(reader, &StreamReader::finished);
        QVERIFY(finished.wait(20000));
        QCOMPARE(lines, (QList<qint64>{1, 2, 5, 7, 8, 9, 10}));
        QCOMPARE(badLines, QList<qint64>{6});
        QVERIFY2(error.startsWith(QLatin1String("line 6, column")), qPrintable(error));
        QCOMPARE(reader->parseErrorCount(), 1);
        QCOMPARE(reader->itemCount(), 8);
        QCOMPARE(finished.size(), 1);
        delete response;
    }
    void lineLongerThanTheLimitEndsTheResponse()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.enqueue(jsonLines("1\n\"" + QByteArray(5000, 'x') + "\"\n3\n"));
        Client client;
        Response *response = client.get(server.url(QStringLiteral("/feed")));
        auto *reader = new JsonLinesReader(response);
        reader->setMaximumItemSize(1024);
        QList<qint64> lines;
        connect(reader, &JsonLinesReader::valueReceived, this, [&](const QJsonValue &, qint64 line) { lines << line; });
        QSignalSpy finished(reader, &StreamReader::finished);
        QVERIFY(finished.wait(20000));
        QCOMPARE(lines, QList<qint64>{1});
        QCOMPARE(response->error(), Response::UnknownContentError);
        QVERIFY2(
            response->errorString().contains(QLatin1String("line 2 longer than the maximum line size of 1024 bytes")),
            qPrintable(response->errorString()));
        delete response;
    }
    void truncatedLastLineIsDroppedAfterAReset()
    {
        MockServer server;
        QVERIFY(server.listen());
        const QByteArray before = "{\"a\":1}\n{\"b\":";
        server.enqueue(
            jsonLines(before + "2}\n").setFault(MockResponse::Fault::Reset, MockResponse::Phase::Body, before.size()));
        Client client;
        Response *response = client.get(server.url(QStringLiteral("/feed")));
        auto *reader = new JsonLinesReader(response);
        QSignalSpy values(reader, &JsonLinesReader::valueReceived);
        QSignalSpy errors(reader, &JsonLinesReader::parseErrorOccurred);
        QSignalSpy finished(reader, &StreamReader::finished);
        QVERIFY(finished.wait(20000));
        QVERIFY(response->hasTransportError());
        QCOMPARE(values.size(), 1);
        QCOMPARE(errors.size(), 0);
        delete response;
    }
    void pausedReaderHoldsBack()
    {
        MockServer server;
        QVERIFY(server.listen());
        QByteArray body;
        for (int i = 1; i <= 5000; ++i)
            body += "{\"n\":" + QByteArray::number(i) + ",\"pad\":\"" + QByteArray(64, 'p') + "\"}\n";
        server.enqueue(jsonLines(body).setChunked(8192));
        Client client;
        Request request(server.url(QStringLiteral("/feed")));
        request.setReadBufferSize(16 * 1024);
        Response *response = client.send(request);
        auto *reader = new JsonLinesReader(response);
        qint64 last = 0;
        connect(reader, &JsonLinesReader::valueReceived, this, [&](const QJsonValue &value, qint64 line) {
            QCOMPARE(value.toObject().value(QLatin1String("n")).toInteger(), line);
            last = line;
            if (line == 100)
                reader->pause();
        });
        QSignalSpy paused(reader, &StreamReader::pausedChanged);
        QVERIFY(paused.wait(20000));
        QTest::qWait(200);
        QCOMPARE(last, 100);
        QVERIFY(response->bytesAvailable() <= 2 * 16 * 1024 + 8192);
        reader->resume();
        QTRY_VERIFY_WITH_TIMEOUT(reader->isFinished(), 20000);
        QCOMPARE(last, 5000);
        delete response;
    }
};

QTEST_MAIN(tst_JsonLines)
#include "tst_jsonlines.moc"
