// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// HttpStatus: the whole table — names, phrases, descriptions, classes — and unregistered codes.

#include <Courier/HttpStatus>

#include <QtCore/QMetaEnum>
#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

using namespace Courier;

class tst_HttpStatus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void registry_data();
    void registry();
    void enumMatchesTable();
    void classes_data();
    void classes();
    void unregistered_data();
    void unregistered();
};

// The IANA registry (RFC 9110 and later RFCs) plus 418 and 449, as the issue lists them.
void tst_HttpStatus::registry_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("phrase");
    const QList<QPair<int, const char *>> rows = {
        {100, "Continue"},
        {101, "Switching Protocols"},
        {102, "Processing"},
        {103, "Early Hints"},
        {200, "OK"},
        {201, "Created"},
        {202, "Accepted"},
        {203, "Non-Authoritative Information"},
        {204, "No Content"},
        {205, "Reset Content"},
        {206, "Partial Content"},
        {207, "Multi-Status"},
        {208, "Already Reported"},
        {226, "IM Used"},
        {300, "Multiple Choices"},
        {301, "Moved Permanently"},
        {302, "Found"},
        {303, "See Other"},
        {304, "Not Modified"},
        {305, "Use Proxy"},
        {307, "Temporary Redirect"},
        {308, "Permanent Redirect"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {402, "Payment Required"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {406, "Not Acceptable"},
        {407, "Proxy Authentication Required"},
        {408, "Request Timeout"},
        {409, "Conflict"},
        {410, "Gone"},
        {411, "Length Required"},
        {412, "Precondition Failed"},
        {413, "Content Too Large"},
        {414, "URI Too Long"},
        {415, "Unsupported Media Type"},
        {416, "Range Not Satisfiable"},
        {417, "Expectation Failed"},
        {418, "I'm a teapot"},
        {421, "Misdirected Request"},
        {422, "Unprocessable Content"},
        {423, "Locked"},
        {424, "Failed Dependency"},
        {425, "Too Early"},
        {426, "Upgrade Required"},
        {428, "Precondition Required"},
        {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"},
        {449, "Retry With"},
        {451, "Unavailable For Legal Reasons"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
        {505, "HTTP Version Not Supported"},
        {506, "Variant Also Negotiates"},
        {507, "Insufficient Storage"},
        {508, "Loop Detected"},
        {510, "Not Extended"},
        {511, "Network Authentication Required"},
    };
    for (const auto &[code, phrase] : rows)
        QTest::addRow("%d", code) << code << QString::fromUtf8(phrase);
}

void tst_HttpStatus::registry()
{
    QFETCH(int, code);
    QFETCH(QString, phrase);
    QVERIFY(HttpStatus::isKnown(code));
    QCOMPARE(HttpStatus::phrase(code), phrase);
    const QString description = HttpStatus::description(code);
    QVERIFY2(description.size() > 15, qPrintable(description));
    QVERIFY2(description.endsWith(QLatin1Char('.')) && !description.contains(QLatin1Char('\n')),
             qPrintable(description));

    // The enumerator is the phrase in CamelCase: "Non-Authoritative Information" is
    // NonAuthoritativeInformation, "I'm a teapot" ImATeapot.
    const QMetaEnum meta = QMetaEnum::fromType<HttpStatus::Code>();
    const char *key = meta.valueToKey(code);
    QVERIFY2(key, "no enumerator for this code");
    QString folded = phrase;
    folded.remove(QRegularExpression(QStringLiteral("[^A-Za-z0-9]")));
    QCOMPARE(QString::fromLatin1(key).toLower(), folded.toLower());
}

void tst_HttpStatus::enumMatchesTable()
{
    const QMetaEnum meta = QMetaEnum::fromType<HttpStatus::Code>();
    QList<int> enumerated;
    for (int i = 0; i < meta.keyCount(); ++i)
        enumerated << meta.value(i);
    QCOMPARE(enumerated, HttpStatus::knownCodes());
    QCOMPARE(HttpStatus::knownCodes().size(), 63);
    QVERIFY(std::is_sorted(enumerated.cbegin(), enumerated.cend()));
}

void tst_HttpStatus::classes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("expected");
    for (int code : HttpStatus::knownCodes())
        QTest::addRow("%d", code) << code << code / 100;
    QTest::newRow("599") << 599 << int(HttpStatus::ServerError);
    QTest::newRow("199") << 199 << int(HttpStatus::Informational);
    QTest::newRow("42") << 42 << int(HttpStatus::Unclassified);
    QTest::newRow("0") << 0 << int(HttpStatus::Unclassified);
    QTest::newRow("-1") << -1 << int(HttpStatus::Unclassified);
    QTest::newRow("600") << 600 << int(HttpStatus::Unclassified);
    QTest::newRow("99") << 99 << int(HttpStatus::Unclassified);
}

void tst_HttpStatus::classes()
{
    QFETCH(int, code);
    QFETCH(int, expected);
    QCOMPARE(int(HttpStatus::statusClass(code)), expected);
    QCOMPARE(HttpStatus::isInformational(code), expected == HttpStatus::Informational);
    QCOMPARE(HttpStatus::isSuccess(code), expected == HttpStatus::Success);
    QCOMPARE(HttpStatus::isRedirection(code), expected == HttpStatus::Redirection);
    QCOMPARE(HttpStatus::isClientError(code), expected == HttpStatus::ClientError);
    QCOMPARE(HttpStatus::isServerError(code), expected == HttpStatus::ServerError);
}

void tst_HttpStatus::unregistered_data()
{
    QTest::addColumn<int>("code");
    for (int code : {0, 42, 199, 299, 306, 427, 450, 509, 599, 1000, -404})
        QTest::addRow("%d", code) << code;
}

void tst_HttpStatus::unregistered()
{
    QFETCH(int, code);
    QVERIFY(!HttpStatus::isKnown(code));
    QVERIFY(HttpStatus::phrase(code).isEmpty());
    QVERIFY(HttpStatus::description(code).isEmpty());
}

QTEST_GUILESS_MAIN(tst_HttpStatus)
#include "tst_httpstatus.moc"
