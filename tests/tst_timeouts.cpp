// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Connect, read and total timeouts: each fires on its own condition, names itself in the error
// string, is settable on the Client and overridden by the Request, and is never confused with a
// user's abort(). The servers that stall are in-process: a TCP listener whose accept queue is full
// (the handshake never completes), and Courier::Test's MockServer for the rest (a ClientHello that
// gets no answer, answers that come late or slowly).

#include <Courier/Client>
#include <Courier/MockServer>

#include "spy.h"
#include "testserver.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;
using namespace std::chrono_literals;

namespace {

bool hasEvent(Response *r, TimelineEvent::Kind kind)
{
    const QList<TimelineEvent> events = r->timeline();
    return std::any_of(events.cbegin(), events.cend(), [kind](const TimelineEvent &e) { return e.kind == kind; });
}

} // namespace

class tst_Timeouts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void connectTimeoutWhenHandshakeNeverCompletes();
    void connectTimeoutCoversTls();
    void connectTimeoutExcludesQueueing();
    void connectTimeoutZeroMeansNone();
    void requestOverridesClient();
    void readTimeoutRestartsOnEveryByte();
    void readTimeoutWhileHeadersAwaited();
    void totalTimeoutSpansRedirects();
    void abortDuringConnectIsCanceled();

private:
    void expectTimeout(Response *r, const SignalLog &log, const QString &which, qint64 msecs);
};

void tst_Timeouts::expectTimeout(Response *r, const SignalLog &log, const QString &which, qint64 msecs)
{
    QCOMPARE(r->error(), Response::Timeout);
    QCOMPARE(r->category(), Response::Network);
    QVERIFY(r->hasTransportError());
    QVERIFY2(r->errorString().contains(which), qPrintable(r->errorString()));
    QVERIFY2(r->errorString().contains(QStringLiteral("%1 ms").arg(msecs)), qPrintable(r->errorString()));
    QCOMPARE(log.count(QStringLiteral("error")), 1);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QCOMPARE(log.names.last(), QStringLiteral("finished"));
}

void tst_Timeouts::defaults()
{
    Client client;
    QCOMPARE(client.connectTimeout(), 60000ms);
    QCOMPARE(client.readTimeout(), 60000ms);
    QCOMPARE(client.totalTimeout(), 0ms);
    QCOMPARE(Request().connectTimeout(), Request::UseClientDefault);

    QSignalSpy changed(&client, &Client::connectTimeoutChanged);
    QVERIFY(changed.isValid());
    client.setConnectTimeout(1500);
    client.setConnectTimeout(1500ms); // no change, no signal
    QCOMPARE(changed.count(), 1);
    QCOMPARE(client.property("connectTimeout").toInt(), 1500);
    client.setConnectTimeout(-5ms);
    QCOMPARE(client.connectTimeout(), 0ms);
}

void tst_Timeouts::connectTimeoutWhenHandshakeNeverCompletes()
{
    FullBacklog blackHole;
    QVERIFY(blackHole.port() != 0);
    Client client;
    client.setConnectTimeout(300ms);
    Response *r = client.get(blackHole.url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    expectTimeout(r, log, QStringLiteral("connect timeout"), 300);
    QVERIFY(hasEvent(r, TimelineEvent::Connecting));
    QVERIFY(!hasEvent(r, TimelineEvent::RequestSent));
}

void tst_Timeouts::connectTimeoutCoversTls()
{
    // TCP connects at once; the TLS handshake never gets an answer.
    MockServer silent;
    QVERIFY2(silent.useTls(), qPrintable(silent.errorString()));
    QVERIFY(silent.listen());
    silent.enqueue(MockResponse::failing(MockResponse::Fault::Stall, MockResponse::Phase::Connect));
    Client client;
    client.setConnectTimeout(400ms);
    Request request(silent.url());
    request.setTlsOptions(silent.tlsOptions());
    Response *r = client.send(request);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    expectTimeout(r, log, QStringLiteral("connect timeout"), 400);
    QCOMPARE(silent.connectionCount(), 1);
    QVERIFY2(silent.isSatisfied(), qPrintable(silent.report()));
    QVERIFY(!hasEvent(r, TimelineEvent::TlsEstablished));
}

void tst_Timeouts::connectTimeoutExcludesQueueing()
{
    // Qt opens at most 6 connections per host; the 7th and 8th requests wait for one of them.
    // Their wait (over a second) is not connecting: a 300 ms connect timeout must not fire.
    MockServer slow;
    QVERIFY(slow.listen());
    for (int i = 0; i < 8; ++i)
        slow.enqueue(MockResponse(200, "late").setHeadersDelay(700ms));
    Client client;
    client.setConnectTimeout(300ms);
    QList<Response *> responses;
    for (int i = 0; i < 8; ++i)
        responses << client.get(slow.url(QStringLiteral("/%1").arg(i)));
    for (Response *r : std::as_const(responses)) {
        QVERIFY(r->waitForFinished(20000));
        QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
        QCOMPARE(r->readAll(), QByteArray("late"));
    }
    QCOMPARE(slow.connectionCount(), 6);
    QVERIFY2(slow.isSatisfied(), qPrintable(slow.report()));
}

void tst_Timeouts::connectTimeoutZeroMeansNone()
{
    FullBacklog blackHole;
    Client client;
    client.setConnectTimeout(0ms);
    client.setTotalTimeout(800ms); // bounds the test: the connect timeout must not be what fires
    Response *r = client.get(blackHole.url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    expectTimeout(r, log, QStringLiteral("total timeout"), 800);
}

void tst_Timeouts::requestOverridesClient()
{
    FullBacklog blackHole;
    Client client;
    client.setConnectTimeout(5000ms);
    Request request(blackHole.url());
    request.setConnectTimeout(250);
    QCOMPARE(request.connectTimeout(), 250ms);
    Response *r = client.send(request);
    SignalLog log(r);
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(r->waitForFinished(20000));
    expectTimeout(r, log, QStringLiteral("connect timeout"), 250);
    QVERIFY(elapsed.elapsed() < 4000); // the Client's 5 s would still be running
}

void tst_Timeouts::readTimeoutRestartsOnEveryByte()
{
    // 12 bytes, one every 100 ms: 1.1 s in all, never 400 ms of silence.
    MockServer server;
    QVERIFY(server.listen());
    server.enqueue(MockResponse(200, "abcdefghijkl").setThrottle(1, 100ms));
    Client client;
    client.setReadTimeout(400ms);
    Response *r = client.get(server.url());
    QVERIFY(r->waitForFinished(20000));
    QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
    QCOMPARE(r->readAll(), QByteArray("abcdefghijkl"));
}

void tst_Timeouts::readTimeoutWhileHeadersAwaited()
{
    MockServer server;
    QVERIFY(server.listen());
    server.enqueue(MockResponse().setHeadersDelay(1h)); // reads the request, answers nothing in time
    Client client;
    Request request(server.url());
    request.setReadTimeout(300ms);
    Response *r = client.send(request);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    expectTimeout(r, log, QStringLiteral("read timeout"), 300);
    QVERIFY(hasEvent(r, TimelineEvent::RequestSent));
    QVERIFY(!hasEvent(r, TimelineEvent::HeadersReceived));
    QCOMPARE(server.takeRequest().path(), QStringLiteral("/"));
}

void tst_Timeouts::totalTimeoutSpansRedirects()
{
    // Every hop answers quickly enough for the read timeout; together they pass the deadline.
    MockServer server;
    QVERIFY(server.listen());
    server.setDispatcher([](const MockRequest &r) {
        const int n = r.path().mid(1).toInt();
        return MockResponse(302).setHeader("Location", "/" + QByteArray::number(n + 1)).setHeadersDelay(250ms);
    });
    Client client;
    client.setReadTimeout(2000ms);
    client.setTotalTimeout(900ms);
    Response *r = client.get(server.url(QStringLiteral("/0")));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    expectTimeout(r, log, QStringLiteral("total timeout"), 900);
    QVERIFY(r->redirectCount() >= 2);
}

void tst_Timeouts::abortDuringConnectIsCanceled()
{
    FullBacklog blackHole;
    Client client;
    client.setConnectTimeout(300ms);
    Response *r = client.get(blackHole.url());
    SignalLog log(r);
    QTimer::singleShot(100, r, &Response::abort);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::OperationCanceled);
    QTest::qWait(500); // past the connect timeout: nothing more happens
    QCOMPARE(r->error(), Response::OperationCanceled);
    QCOMPARE(log.count(QStringLiteral("error")), 1);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
}

QTEST_GUILESS_MAIN(tst_Timeouts)
#include "tst_timeouts.moc"
