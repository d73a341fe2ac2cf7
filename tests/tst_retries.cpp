// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Retries: the RetryPolicy (off by default; statuses, transient errors, idempotent methods,
// replayable bodies), backoff and Retry-After in both forms, the retrying() signal and timeline,
// one Response across attempts, and abort or total timeout while waiting. The server is
// Courier::Test's MockServer, each attempt's answer scripted in the order the attempts come.

#include <Courier/Client>
#include <Courier/MockServer>
#include <Courier/Response>
#include <Courier/RetryPolicy>

#include "headers_p.h"
#include "spy.h"

#include <QtCore/QBuffer>
#include <QtCore/QLocale>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;
using namespace std::chrono_literals;

namespace {

// An answer that does not come within any test: the request is read, and nothing is sent.
MockResponse never() { return MockResponse().setHeadersDelay(1h); }

} // namespace

class tst_Retries : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void offByDefault();
    void retriedStatuses_data();
    void retriedStatuses();
    void givesUpAfterMaximumAttempts();
    void connectionRefused();
    void closedBeforeResponse();
    void readTimeoutRetried();
    void nonIdempotentOnlyWhenOptedIn();
    void bodySentAgain();
    void sequentialBodyNotRetried();
    void retryAfterSeconds();
    void retryAfterDate();
    void retryAfterOverTheCap();
    void totalTimeoutLeavesNoTime();
    void abortWhileWaiting();
    void backoff();
    void retryAfterParsing_data();
    void retryAfterParsing();
    void clientDefaultAndRequestOverride();

private:
    static RetryPolicy quick(int attempts);
    std::unique_ptr<MockServer> server;
};

RetryPolicy tst_Retries::quick(int attempts)
{
    RetryPolicy policy(attempts);
    policy.setInitialDelay(10ms);
    policy.setJitter(0);
    return policy;
}

void tst_Retries::init()
{
    server = std::make_unique<MockServer>();
    QVERIFY2(server->listen(), qPrintable(server->errorString()));
}

void tst_Retries::offByDefault()
{
    server->setDefaultResponse(MockResponse(503, "busy"));
    Client client;
    QVERIFY(!client.retryPolicy().isEnabled());
    Response *r = client.get(server->url());
    QSignalSpy retrying(r, &Response::retrying);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->statusCode(), 503);
    QCOMPARE(server->requestCount(), 1);
    QCOMPARE(r->attempts(), 1);
    QCOMPARE(retrying.size(), 0);
}

void tst_Retries::retriedStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("retried");
    for (int status : {408, 429, 500, 502, 503, 504})
        QTest::addRow("%d", status) << status << true;
    for (int status : {400, 404, 501, 505})
        QTest::addRow("%d not", status) << status << false;
}

void tst_Retries::retriedStatuses()
{
    QFETCH(int, status);
    QFETCH(bool, retried);
    server->enqueue(
        MockResponse(status, "first attempt's body").setStatus(status, "Failed").setHeader("X-Attempt", "1"));
    if (retried)
        server->enqueue(MockResponse(200, "second").setHeader("X-Attempt", "2"));
    Client client;
    Request request(server->url());
    request.setRetryPolicy(quick(3));
    Response *r = client.send(request);
    SignalLog log(r);
    QSignalSpy retrying(r, &Response::retrying);
    QVERIFY(r->waitForFinished(10000));
    QVERIFY2(server->isSatisfied(), qPrintable(server->report())); // one request each, no more
    if (!retried) {
        QCOMPARE(r->statusCode(), status);
        QCOMPARE(server->requestCount(), 1);
        QCOMPARE(retrying.size(), 0);
        return;
    }
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->header("X-Attempt"), QByteArray("2"));
    QCOMPARE(r->readAll(), QByteArray("second")); // the failed attempt's body is not shown
    QCOMPARE(server->requestCount(), 2);
    QCOMPARE(r->attempts(), 2);
    QCOMPARE(retrying.size(), 1);
    QCOMPARE(retrying.first().at(0).toInt(), 2);
    QCOMPARE(retrying.first().at(1).toInt(), 10);
    QCOMPARE(log.count(QStringLiteral("headers")), 1);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QStringList kinds;
    for (const TimelineEvent &e : r->timeline())
        kinds << e.name();
    QVERIFY2(kinds.contains(QLatin1String("Retrying")), qPrintable(kinds.join(QLatin1Char(' '))));
    QCOMPARE(kinds.count(QStringLiteral("Started")), 1);
    QCOMPARE(kinds.last(), QStringLiteral("Finished"));
}

void tst_Retries::givesUpAfterMaximumAttempts()
{
    server->setDefaultResponse(MockResponse(503, "still busy"));
    Client client;
    RetryPolicy policy = quick(3);
    policy.setMultiplier(3);
    client.setRetryPolicy(policy);
    Response *r = client.get(server->url());
    QSignalSpy retrying(r, &Response::retrying);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(server->requestCount(), 3);
    QCOMPARE(r->attempts(), 3);
    QCOMPARE(r->statusCode(), 503); // the last answer, as it is
    QCOMPARE(r->error(), Response::ServiceUnavailable);
    QCOMPARE(r->readAll(), QByteArray("still busy"));
    QCOMPARE(retrying.size(), 2);
    QCOMPARE(retrying.at(0), (QVariantList{2, 10}));
    QCOMPARE(retrying.at(1), (QVariantList{3, 30})); // exponential: 10 ms × 3
}

void tst_Retries::connectionRefused()
{
    const QUrl url = server->url();
    server->close();
    Client client;
    client.setRetryPolicy(quick(3));
    Response *r = client.get(url);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::ConnectionRefused);
    QCOMPARE(r->attempts(), 3);
    QCOMPARE(log.count(QStringLiteral("error")), 1);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
}

void tst_Retries::closedBeforeResponse()
{
    // Every connection is closed without a word (a raw answer of no bytes, its fault after them).
    // Qt itself sends a request again on a new connection a few times when that happens; when it
    // gives up, Courier's policy takes over.
    server->setDefaultResponse(
        MockResponse::raw({}).setFault(MockResponse::Fault::Close, MockResponse::Phase::Headers));
    Client client;
    client.setRetryPolicy(quick(2));
    Response *r = client.get(server->url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::RemoteHostClosed);
    QCOMPARE(r->attempts(), 2);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    qInfo("%d connections for 2 attempts", server->connectionCount());
    QVERIFY(server->connectionCount() >= 2);
}

void tst_Retries::readTimeoutRetried()
{
    server->enqueue(never()); // the first request gets no answer
    server->enqueue(MockResponse(200, "ok"));
    Client client;
    Request request(server->url());
    request.setReadTimeout(200);
    request.setRetryPolicy(quick(2));
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->attempts(), 2);
    // Without attempts left, the timeout is the answer.
    server->enqueue(never());
    server->enqueue(never());
    request.setRetryPolicy(quick(2));
    Response *again = client.send(request);
    QVERIFY(again->waitForFinished(10000));
    QCOMPARE(again->error(), Response::Timeout);
    QCOMPARE(again->attempts(), 2);
    QVERIFY2(server->isSatisfied(), qPrintable(server->report()));
}

void tst_Retries::nonIdempotentOnlyWhenOptedIn()
{
    server->setDefaultResponse(MockResponse(503));
    Client client;
    client.setRetryPolicy(quick(3));
    for (const QByteArray method : {"POST", "PATCH", "CONNECT"}) {
        Request request(server->url(), method);
        request.setBody("x", "text/plain");
        const int before = server->requestCount();
        Response *r = client.send(request);
        QVERIFY(r->waitForFinished(10000));
        QCOMPARE(server->requestCount(), before + 1);
    }
    for (const QByteArray method : {"PUT", "DELETE", "OPTIONS", "HEAD", "TRACE"}) {
        const int before = server->requestCount();
        Response *r = client.send(Request(server->url(), method));
        QVERIFY(r->waitForFinished(10000));
        QVERIFY2(server->requestCount() == before + 3, method.constData());
    }
    RetryPolicy optIn = quick(3);
    optIn.setNonIdempotentRetried(true);
    Request post(server->url(), "POST");
    post.setRetryPolicy(optIn);
    const int before = server->requestCount();
    QVERIFY(client.send(post)->waitForFinished(10000));
    QCOMPARE(server->requestCount(), before + 3);
}

void tst_Retries::bodySentAgain()
{
    server->enqueue(MockResponse(502));
    server->enqueue(MockResponse(200, "stored"));
    QBuffer buffer;
    buffer.setData("0123456789body");
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    QVERIFY(buffer.seek(10)); // sent from where it stands
    Client client;
    Request request(server->url(), "PUT");
    request.setBodyDevice(&buffer);
    request.setRetryPolicy(quick(2));
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(server->takeRequest().body(), QByteArray("body"));
    QCOMPARE(server->takeRequest().body(), QByteArray("body"));
    QVERIFY2(server->isSatisfied(), qPrintable(server->report()));
}

namespace {
class Pipe : public QBuffer
{
public:
    using QBuffer::QBuffer;
    bool isSequential() const override { return true; }
};
} // namespace

void tst_Retries::sequentialBodyNotRetried()
{
    server->setDefaultResponse(MockResponse(503, "busy"));
    Pipe pipe;
    pipe.setData("streamed once");
    QVERIFY(pipe.open(QIODevice::ReadOnly));
    Client client;
    Request request(server->url(), "PUT");
    request.setBodyDevice(&pipe, 13);
    request.setRetryPolicy(quick(3));
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->statusCode(), 503);
    QCOMPARE(server->requestCount(), 1);
    QCOMPARE(r->attempts(), 1);
}

void tst_Retries::retryAfterSeconds()
{
    server->enqueue(MockResponse(429).setHeader("Retry-After", "1"));
    server->enqueue(MockResponse(200, "ok"));
    Client client;
    client.setRetryPolicy(quick(2)); // 10 ms of its own: Retry-After wins
    Response *r = client.get(server->url());
    QSignalSpy retrying(r, &Response::retrying);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(retrying.size(), 1);
    QCOMPARE(retrying.first().at(1).toInt(), 1000);
}

void tst_Retries::retryAfterDate()
{
    const QDateTime when = QDateTime::currentDateTimeUtc().addSecs(2);
    const QByteArray date = QLocale::c().toString(when, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'")).toLatin1();
    server->enqueue(MockResponse(503).setHeader("Retry-After", date));
    server->enqueue(MockResponse(200, "ok"));
    Client client;
    client.setRetryPolicy(quick(2));
    Response *r = client.get(server->url());
    QSignalSpy retrying(r, &Response::retrying);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(retrying.size(), 1);
    const int delay = retrying.first().at(1).toInt();
    QVERIFY2(delay > 500 && delay <= 2000, qPrintable(QString::number(delay))); // a date has whole seconds
}

void tst_Retries::retryAfterOverTheCap()
{
    server->setDefaultResponse(MockResponse(503, "come back later").setHeader("Retry-After", "120"));
    Client client;
    client.setRetryPolicy(quick(3)); // capped at 30 s
    Response *r = client.get(server->url());
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(server->requestCount(), 1);
    QCOMPARE(r->statusCode(), 503);
    QCOMPARE(r->header("Retry-After"), QByteArray("120")); // for the application to decide
    QCOMPARE(r->readAll(), QByteArray("come back later"));
}

void tst_Retries::totalTimeoutLeavesNoTime()
{
    server->setDefaultResponse(MockResponse(503));
    RetryPolicy policy(3);
    policy.setInitialDelay(5s);
    policy.setJitter(0);
    Client client;
    Request request(server->url());
    request.setRetryPolicy(policy);
    request.setTotalTimeout(1000);
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->statusCode(), 503); // delivered at once: a 5 s wait cannot fit in 1 s
    QCOMPARE(r->attempts(), 1);
}

void tst_Retries::abortWhileWaiting()
{
    server->setDefaultResponse(MockResponse(503));
    RetryPolicy policy(3);
    policy.setInitialDelay(5s);
    Client client;
    client.setRetryPolicy(policy);
    Response *r = client.get(server->url());
    SignalLog log(r);
    QSignalSpy retrying(r, &Response::retrying);
    QVERIFY(retrying.wait(10000));
    QVERIFY(r->isRunning());
    r->abort();
    QCOMPARE(r->error(), Response::OperationCanceled);
    QCOMPARE(log.sequence(), QStringLiteral("download error finished"));
    QTest::qWait(100);
    QCOMPARE(server->requestCount(), 1);
}

void tst_Retries::backoff()
{
    RetryPolicy policy(6);
    policy.setInitialDelay(100ms);
    policy.setMultiplier(2);
    policy.setMaximumDelay(1000ms);
    policy.setJitter(0.5);
    QCOMPARE(policy.delay(1, 0.0), 100ms);
    QCOMPARE(policy.delay(2, 0.0), 200ms);
    QCOMPARE(policy.delay(3, 0.0), 400ms);
    QCOMPARE(policy.delay(4, 0.0), 800ms);
    QCOMPARE(policy.delay(5, 0.0), 1000ms); // capped
    QCOMPARE(policy.delay(30, 0.0), 1000ms);
    QCOMPARE(policy.delay(2, 0.999), 100ms); // up to half taken off at random
    QCOMPARE(policy.delay(5, 0.5), 750ms);
    policy.setJitter(7); // clamped to 1
    QCOMPARE(policy.jitter(), 1.0);
    QCOMPARE(policy.delay(1, 0.0), 100ms);
    QCOMPARE(RetryPolicy(0).maximumAttempts(), 1);
    QVERIFY(!RetryPolicy().isEnabled());
    QVERIFY(RetryPolicy(2).isEnabled());
    QCOMPARE(RetryPolicy().retriedStatuses(), (QList<int>{408, 429, 500, 502, 503, 504}));
    QVERIFY(RetryPolicy(2) == RetryPolicy(2));
    QVERIFY(RetryPolicy(2) != RetryPolicy(3));
}

void tst_Retries::retryAfterParsing_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("msecs");
    QTest::newRow("seconds") << QByteArray("120") << qint64(120000);
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("spaces") << QByteArray(" 5 ") << qint64(5000);
    QTest::newRow("huge") << QByteArray("99999999999999999999999") << qint64(std::numeric_limits<int>::max()) * 1000;
    QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
    QTest::newRow("fraction") << QByteArray("1.5") << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    QTest::newRow("empty") << QByteArray("") << qint64(-1);
    // now is Sun, 06 Nov 1994 08:49:37 GMT in these rows
    QTest::newRow("IMF-fixdate") << QByteArray("Sun, 06 Nov 1994 08:50:37 GMT") << qint64(60000);
    QTest::newRow("RFC 850") << QByteArray("Sunday, 06-Nov-94 08:49:47 GMT") << qint64(10000);
    QTest::newRow("asctime") << QByteArray("Sun Nov  6 08:49:39 1994") << qint64(2000);
    QTest::newRow("in the past") << QByteArray("Sat, 05 Nov 1994 08:49:37 GMT") << qint64(0);
    QTest::newRow("bad date") << QByteArray("Sun, 32 Nov 1994 08:49:37 GMT") << qint64(-1);
}

void tst_Retries::retryAfterParsing()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, msecs);
    const QDateTime now(QDate(1994, 11, 6), QTime(8, 49, 37), Qt::UTC);
    QCOMPARE(Headers::retryAfterMsecs(value, now), msecs);
}

void tst_Retries::clientDefaultAndRequestOverride()
{
    Client client;
    QSignalSpy changed(&client, &Client::retryPolicyChanged);
    client.setRetryPolicy(quick(4));
    client.setRetryPolicy(quick(4));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(client.retryPolicy().maximumAttempts(), 4);
    server->setDefaultResponse(MockResponse(500));
    Request request(server->url());
    request.setRetryPolicy(RetryPolicy()); // off for this one
    QVERIFY(client.send(request)->waitForFinished(10000));
    QCOMPARE(server->requestCount(), 1);
}

QTEST_GUILESS_MAIN(tst_Retries)
#include "tst_retries.moc"
