// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// EventSource: the HTML standard's connection rules, step by step, against MockServer on both
// engines: open, events and named events, reconnection with Last-Event-ID after the retry delay,
// `retry:` changes, the doubling of failed attempts, 204 and non-event-stream answers that close
// for good, the read timeout as an idle timeout, limits, close() at any moment, redirects,
// credentials and TLS. Each test records the signals in order and compares the whole sequence.

#include <Courier/Client>
#include <Courier/EventSource>
#include <Courier/MockServer>
#include <Courier/Response>

#include <QtCore/QMetaEnum>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>

using namespace Courier;
using namespace std::chrono_literals;

namespace {

MockResponse eventStream(const QByteArray &body)
{
    return MockResponse(200, body).setHeader("Content-Type", "text/event-stream");
}

QString stateName(EventSource::ReadyState state)
{
    return QString::fromLatin1(QMetaEnum::fromType<EventSource::ReadyState>().valueToKey(state));
}

// Every signal of a source, in order: "open", "message a", "event add x", "error Connecting",
// "reconnecting 1 50", "state Open", ….
class Recorder : public QObject
{
public:
    explicit Recorder(EventSource *source, bool withStates = false)
    {
        connect(source, &EventSource::opened, this, [this] { log << QStringLiteral("open"); });
        connect(source, &EventSource::message, this,
                [this](const ServerSentEvent &e) { log << QStringLiteral("message ") + e.data; });
        connect(source, &EventSource::eventReceived, this, [this](const ServerSentEvent &e) {
            if (e.type != QLatin1String("message"))
                log << QStringLiteral("event %1 %2").arg(e.type, e.data);
            events << e;
        });
        connect(source, &EventSource::errorOccurred, this,
                [this, source] { log << QStringLiteral("error ") + stateName(source->readyState()); });
        connect(source, &EventSource::reconnecting, this, [this](int attempt, int delay) {
            log << QStringLiteral("reconnecting %1 %2").arg(attempt).arg(delay);
        });
        if (withStates) {
            connect(source, &EventSource::readyStateChanged, this,
                    [this, source] { log << QStringLiteral("state ") + stateName(source->readyState()); });
        }
    }
    QStringList log;
    QList<ServerSentEvent> events;
};

QString text(const char *utf8) { return QString::fromUtf8(utf8); }
template <typename... Items>
QStringList list(const Items &...items)
{
    return QStringList{text(items)...};
}

bool waitForState(EventSource &source, EventSource::ReadyState state, int msecs = 20000)
{
    QElapsedTimer timer;
    timer.start();
    while (source.readyState() != state && timer.elapsed() < msecs)
        QTest::qWait(5);
    return source.readyState() == state;
}

} // namespace

class tst_EventSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void opensAndDeliversMessagesAndNamedEvents()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.enqueue(eventStream(": hi\n\ndata: a\n\nevent: add\ndata: x\n\ndata: b\n\n")
                           .setHeader("Content-Type", "text/event-stream; charset=utf-8"));
        server.enqueue(MockResponse(204));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        QCOMPARE(source.readyState(), EventSource::Closed);
        Recorder recorder(&source, true);
        source.open();
        // Connecting at once, as a browser's constructor does; the request goes from the event loop.
        QCOMPARE(recorder.log, list("state Connecting"));
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log,
                 list("state Connecting", "state Open", "open", "message a", "event add x", "message b",
                      "state Connecting", "error Connecting", "reconnecting 1 3000", "state Closed", "error Closed"));
        const MockRequest request = server.takeRequest();
        QCOMPARE(request.method(), QByteArray("GET"));
        QCOMPARE(request.header("Accept"), QByteArray("text/event-stream"));
        QCOMPARE(request.header("Cache-Control"), QByteArray("no-cache"));
        QVERIFY(!request.hasHeader("Last-Event-ID"));
        QCOMPARE(recorder.events.first().origin, QStringLiteral("http://127.0.0.1:%1").arg(server.port()));
        QVERIFY2(source.errorString().contains(QLatin1String("204")), qPrintable(source.errorString()));
        QVERIFY(!source.response());
    }

    void reconnectsWithLastEventIdAfterTheStreamEnds()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.enqueue(eventStream("retry: 50\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n"));
        server.enqueue(eventStream("id: 3\ndata: c\n\ndata: no id\n\n"));
        server.enqueue(MockResponse(204));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        Recorder recorder(&source);
        QSignalSpy ids(&source, &EventSource::lastEventIdChanged);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log,
                 list("open", "message a", "message b", "error Connecting", "reconnecting 1 50", "open", "message c",
                      "message no id", "error Connecting", "reconnecting 1 50", "error Closed"));
        QCOMPARE(server.requestCount(), 3);
        QVERIFY(!server.takeRequest().hasHeader("Last-Event-ID"));
        QCOMPARE(server.takeRequest().header("Last-Event-ID"), QByteArray("2"));
        QCOMPARE(server.takeRequest().header("Last-Event-ID"), QByteArray("3"));
        QCOMPARE(source.lastEventId(), QStringLiteral("3"));
        QCOMPARE(ids.size(), 3);
        QCOMPARE(recorder.events.at(3).lastEventId, QStringLiteral("3")); // "no id": the ID stands
        QCOMPARE(source.reconnectionTime(), 50ms);
    }
    void emptyIdStopsSendingLastEventId()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.enqueue(eventStream("retry: 10\nid: 5\ndata: a\n\nid\ndata: b\n\n"));
        server.enqueue(MockResponse(204));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        server.takeRequest();
        QVERIFY(!server.takeRequest().hasHeader("Last-Event-ID"));
        QCOMPARE(source.lastEventId(), QString());
    }
    void idWithAControlCharacterIsNotSent()
    {
        // Sent, it would get the request refused: a server could close the stream with one.
        MockServer server;
        QVERIFY(server.listen());
        server.enqueue(eventStream("retry: 10\nid: a\x01"
                                   "b\ndata: x\n\n"));
        server.enqueue(MockResponse(204));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        Recorder recorder(&source);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log, list("open", "message x", "error Connecting", "reconnecting 1 10", "error Closed"));
        QCOMPARE(source.statusCode(), 204);
        server.takeRequest();
        QVERIFY(!server.takeRequest().hasHeader("Last-Event-ID"));
    }
    void lastEventIdSetByTheApplicationIsSent()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.enqueue(MockResponse(204));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        source.setLastEventId(QStringLiteral("resume-\u00E9"));
        source.setLastEventId(QStringLiteral("bad\r\nInjected: 1")); // ignored
        QCOMPARE(source.lastEventId(), QStringLiteral("resume-\u00E9"));
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        const MockRequest request = server.takeRequest();
        QCOMPARE(request.header("Last-Event-ID"), QByteArray("resume-\xC3\xA9"));
        QVERIFY(!request.hasHeader("Injected"));
    }
    void retryChangesTheDelay()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.enqueue(eventStream("retry: 40\ndata: a\n\n"));
        server.enqueue(eventStream("data: b\n\nretry: 80\n\n"));
        server.enqueue(eventStream("retry: nonsense\ndata: c\n\n"));
        server.enqueue(MockResponse(204));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        Recorder recorder(&source);
        QSignalSpy changes(&source, &EventSource::reconnectionTimeChanged);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log.filter(QStringLiteral("reconnecting")),
                 list("reconnecting 1 40", "reconnecting 1 80", "reconnecting 1 80"));
        QCOMPARE(changes.size(), 2);
        QCOMPARE(source.reconnectionTimeMsecs(), 80);
    }
    void retryIsCappedByTheMaximumDelay()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.enqueue(eventStream("retry: 86400000\ndata: a\n\n"));
        server.enqueue(MockResponse(204));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        source.setMaximumReconnectionDelay(30ms);
        Recorder recorder(&source);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QVERIFY(recorder.log.contains(QStringLiteral("reconnecting 1 30")));
    }
    void failedAttemptsDoubleTheDelayUntilAnEventArrives()
    {
        MockServer server;
        QVERIFY(server.listen());
        // Two connections without an event, one with, one without, then stop.
        server.enqueue(eventStream(": nothing\n\n"));
        server.enqueue(eventStream(": nothing\n\n"));
        server.enqueue(eventStream("data: x\n\n"));
        server.enqueue(eventStream(""));
        server.enqueue(MockResponse(204));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        source.setReconnectionTime(20ms);
        QList<int> failed;
        connect(&source, &EventSource::errorOccurred, this, [&] { failed << source.failedAttempts(); });
        Recorder recorder(&source);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log.filter(QStringLiteral("reconnecting")),
                 list("reconnecting 2 20", "reconnecting 3 1000", "reconnecting 1 20", "reconnecting 2 20"));
        QCOMPARE(failed, (QList<int>{1, 2, 0, 1, 1}));
    }
    void refusedConnectionsAreRetriedWithBackoff()
    {
        MockServer probe;
        QVERIFY(probe.listen());
        const QUrl url = probe.url(QStringLiteral("/events"));
        probe.close(); // nothing listens there now: connection refused
        Client client;
        EventSource source(&client, Request(url));
        source.setReconnectionTime(10ms);
        source.setMaximumReconnectionDelay(1200ms);
        Recorder recorder(&source);
        connect(&source, &EventSource::reconnecting, this, [&](int attempt, int) {
            if (attempt == 4)
                source.close();
        });
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log.filter(QStringLiteral("reconnecting")),
                 list("reconnecting 2 10", "reconnecting 3 1000", "reconnecting 4 1200"));
        QCOMPARE(recorder.log.count(QStringLiteral("error Connecting")), 3);
        QCOMPARE(source.statusCode(), 0);
        QVERIFY(!recorder.log.contains(QStringLiteral("error Closed"))); // close() says nothing
        QVERIFY2(source.errorString().contains(QLatin1String("refused")), qPrintable(source.errorString()));
    }
    void answersThatCloseForGood_data()
    {
        QTest::addColumn<MockResponse>("answer");
        QTest::addColumn<QString>("words");
        QTest::newRow("204") << MockResponse(204) << QStringLiteral("204 No Content");
        QTest::newRow("500") << eventStream("data: x\n\n").setStatus(500) << QStringLiteral("500");
        QTest::newRow("404 html") << MockResponse(404, "<html>").setHeader("Content-Type", "text/html")
                                  << QStringLiteral("404");
        QTest::newRow("200 html") << MockResponse(200, "<html>").setHeader("Content-Type", "text/html")
                                  << QStringLiteral("text/html");
        QTest::newRow("200 no type") << MockResponse(200, "data: x\n\n") << QStringLiteral("no Content-Type");
        QTest::newRow("201") << eventStream("data: x\n\n").setStatus(201) << QStringLiteral("201");
        QTest::newRow("401") << MockResponse(401).setHeader("WWW-Authenticate", "Bearer") << QStringLiteral("401");
    }
    void answersThatCloseForGood()
    {
        QFETCH(MockResponse, answer);
        QFETCH(QString, words);
        MockServer server;
        QVERIFY(server.listen());
        server.setDefaultResponse(answer);
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        source.setReconnectionTime(1ms);
        Recorder recorder(&source);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log, list("error Closed"));
        QVERIFY2(source.errorString().contains(words), qPrintable(source.errorString()));
        QCOMPARE(source.statusCode(), answer.status());
        QTest::qWait(50); // no reconnection is pending: nothing more comes
        QCOMPARE(server.requestCount(), 1);
        QCOMPARE(recorder.log.size(), 1);
    }
    void resetMidStreamReconnects()
    {
        MockServer server;
        QVERIFY(server.listen());
        const QByteArray first = "retry: 10\nid: 7\ndata: a\n\n";
        const MockResponse cut = eventStream(first + "data: cut")
                                     .setChunked(4)
                                     .setFault(MockResponse::Fault::Reset, MockResponse::Phase::InsideChunk,
                                               first.size() + 5);
        // By what the request carries: Qt's engine may send a request again on its own when its
        // connection breaks, which a queue of answers would count as the reconnection.
        server.setDispatcher([cut](const MockRequest &request) {
            return request.header("Last-Event-ID") == "7" ? MockResponse(204) : cut;
        });
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        Recorder recorder(&source);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log, list("open", "message a", "error Connecting", "reconnecting 1 10", "error Closed"));
        QVERIFY2(source.errorString().contains(QLatin1String("204")), qPrintable(source.errorString()));
    }
    void readTimeoutIsAnIdleTimeoutThatReconnects()
    {
        MockServer server;
        QVERIFY(server.listen());
        const QByteArray first = "retry: 10\nid: 1\ndata: a\n\n";
        server.enqueue(eventStream(first + "data: never\n\n")
                           .setFault(MockResponse::Fault::Stall, MockResponse::Phase::Body, first.size()));
        server.enqueue(MockResponse(204));
        Client client;
        Request request(server.url(QStringLiteral("/events")));
        request.setReadTimeout(300ms);
        EventSource source(&client, request);
        Recorder recorder(&source);
        QString why;
        connect(&source, &EventSource::errorOccurred, this, [&] {
            if (why.isEmpty())
                why = source.errorString();
        });
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log, list("open", "message a", "error Connecting", "reconnecting 1 10", "error Closed"));
        QVERIFY2(why.contains(QLatin1String("read timeout")), qPrintable(why));
        server.takeRequest();
        QCOMPARE(server.takeRequest().header("Last-Event-ID"), QByteArray("1"));
    }
    void totalTimeoutDoesNotApply()
    {
        MockServer server;
        QVERIFY(server.listen());
        QByteArray body = "retry: 10\n";
        for (int i = 0; i < 10; ++i)
            body += "data: " + QByteArray::number(i) + "\n\n";
        server.enqueue(eventStream(body).setThrottle(10, 30ms)); // 300 ms at least
        server.enqueue(MockResponse(204));
        Client client;
        client.setTotalTimeout(100ms);
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        Recorder recorder(&source);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.events.size(), 10);
        QCOMPARE(recorder.log.count(QStringLiteral("open")), 1);
    }
    void eventLargerThanTheLimitClosesForGood()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.setDefaultResponse(eventStream("data: ok\n\ndata: " + QByteArray(8192, 'x') + "\n\n"));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        source.setMaximumEventSize(1024);
        source.setReconnectionTime(1ms);
        Recorder recorder(&source);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log, list("open", "message ok", "error Closed"));
        QVERIFY2(source.errorString().contains(QLatin1String("1024 bytes")), qPrintable(source.errorString()));
        QCOMPARE(source.statusCode(), 200);
        QCOMPARE(server.requestCount(), 1);
    }
    void bodyLargerThanTheMaximumBodySizeClosesForGood()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.setDefaultResponse(eventStream("data: ok\n\n" + QByteArray(4096, ':') + "\n").setChunked(512));
        Client client;
        Request request(server.url(QStringLiteral("/events")));
        request.setMaximumBodySize(1024);
        EventSource source(&client, request);
        source.setReconnectionTime(1ms);
        Recorder recorder(&source);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log, list("open", "message ok", "error Closed"));
        QVERIFY2(source.errorString().contains(QLatin1String("maximum body size")), qPrintable(source.errorString()));
        QCOMPARE(server.requestCount(), 1);
    }
    void closeFromAMessageSlot()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.setDefaultResponse(eventStream("data: a\n\ndata: b\n\ndata: c\n\n"));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        source.setReconnectionTime(1ms);
        Recorder recorder(&source, true);
        connect(&source, &EventSource::message, &source, &EventSource::close);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QTest::qWait(50);
        QCOMPARE(recorder.log, list("state Connecting", "state Open", "open", "message a", "state Closed"));
        QCOMPARE(server.requestCount(), 1);
        QVERIFY(!source.response());
    }
    void closeWhileWaitingToReconnect()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.setDefaultResponse(eventStream("retry: 20000\ndata: a\n\n"));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        Recorder recorder(&source);
        source.open();
        QTRY_VERIFY(recorder.log.contains(QStringLiteral("error Connecting")));
        QCOMPARE(source.readyState(), EventSource::Connecting);
        source.close();
        QCOMPARE(source.readyState(), EventSource::Closed);
        QCOMPARE(recorder.log, list("open", "message a", "error Connecting"));
        // And open() starts afresh, at once, with the ID it had.
        source.open();
        QTRY_COMPARE(recorder.log.count(QStringLiteral("open")), 2);
        QVERIFY(!recorder.log.join(QLatin1Char(' ')).contains(QLatin1String("reconnecting")));
        source.close();
    }
    void openTwiceIsOneConnection()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.setDefaultResponse(MockResponse(204));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        QSignalSpy opened(&source, &EventSource::opened);
        source.open();
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(server.requestCount(), 1);
    }
    void redirectsAreFollowed()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.route("GET", QStringLiteral("/old"), MockResponse(302).setHeader("Location", "/events"));
        server.route("GET", QStringLiteral("/events"), eventStream("data: moved\n\n"));
        Client client;
        EventSource source(&client, Request(server.url(QStringLiteral("/old"))));
        Recorder recorder(&source);
        source.open();
        QTRY_VERIFY(recorder.log.contains(QStringLiteral("message moved")));
        QCOMPARE(source.url(), server.url(QStringLiteral("/old")));
        QCOMPARE(recorder.events.first().origin, QStringLiteral("http://127.0.0.1:%1").arg(server.port()));
        source.close();
    }
    void requestOptionsApplyToEveryConnection()
    {
        MockServer server;
        QVERIFY(server.useTls());
        QVERIFY(server.listen());
        server.enqueue(eventStream("retry: 5\nid: 1\ndata: a\n\n"));
        server.enqueue(MockResponse(204));
        Client client;
        client.setTlsOptions(server.tlsOptions());
        Request request(server.url(QStringLiteral("/events")));
        request.setHeader("X-Channel", "news");
        request.setBearerToken("secret");
        EventSource source(&client, request);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        for (int i = 0; i < 2; ++i) {
            const MockRequest sent = server.takeRequest();
            QVERIFY(sent.isEncrypted());
            QCOMPARE(sent.header("X-Channel"), QByteArray("news"));
            QCOMPARE(sent.header("Authorization"), QByteArray("Bearer secret"));
        }
    }
    void tlsFailureClosesForGood()
    {
        MockServer server;
        QVERIFY(server.useTls());
        QVERIFY(server.listen());
        Client client; // does not trust the server's certificate
        EventSource source(&client, Request(server.url(QStringLiteral("/events"))));
        source.setReconnectionTime(1ms);
        Recorder recorder(&source);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log, list("error Closed"));
    }
    void destroyingTheClientClosesTheSource()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.setDefaultResponse(
            eventStream("data: a\n\ndata: b\n\n").setFault(MockResponse::Fault::Stall, MockResponse::Phase::Body, 9));
        auto *client = new Client;
        EventSource source(client, Request(server.url(QStringLiteral("/events"))));
        Recorder recorder(&source);
        source.open();
        QTRY_VERIFY(recorder.log.contains(QStringLiteral("message a")));
        delete client;
        QVERIFY2(source.readyState() == EventSource::Closed,
                 qPrintable(recorder.log.join(QLatin1Char(';')) + source.errorString()));
        QCOMPARE(recorder.log.last(), QStringLiteral("error Closed"));
        QVERIFY2(source.errorString().contains(QLatin1String("Client")), qPrintable(source.errorString()));
    }
    void noClientClosesWithAnError()
    {
        EventSource source;
        Recorder recorder(&source);
        source.open();
        QVERIFY(waitForState(source, EventSource::Closed));
        QCOMPARE(recorder.log, list("error Closed"));
    }
    void deletingTheSourceFromASlot()
    {
        MockServer server;
        QVERIFY(server.listen());
        server.setDefaultResponse(eventStream("data: a\n\ndata: b\n\n"));
        Client client;
        auto *source = new EventSource(&client, Request(server.url(QStringLiteral("/events"))));
        QPointer<EventSource> guard(source);
        int messages = 0;
        connect(source, &EventSource::message, this, [&] {
            ++messages;
            delete source;
        });
        source->open();
        QTRY_VERIFY(!guard);
        QTest::qWait(50);
        QCOMPARE(messages, 1);
    }
};

QTEST_MAIN(tst_EventSource)
#include "tst_eventsource.moc"
