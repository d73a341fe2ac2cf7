// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Load and lifetime (issue 7), against a real nginx: 10,000 requests in flight on one Client each
// finish exactly once with the right body; 10,000 requests aborted or deleted at seeded random
// moments (before the event loop, in headersReceived, readyRead, downloadProgress, from a timer,
// in finished) never crash, never signal after deletion and leave no Response or QNetworkReply behind; and
// eight Clients in eight threads each keep their Responses in their own thread. Nothing here
// asserts timing: every wait is bounded by count and a generous timeout. Leaks are for the
// sanitizer build (COURIER_SANITIZE=address) to report.

#include <Courier/Client>

#include "peers.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QPointer>
#include <QtCore/QRandomGenerator>
#include <QtCore/QMap>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QTest>

#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <random>
#include <vector>

using namespace Courier;
using namespace Courier::Test;

namespace {

// Keeps a failure report readable when thousands of requests go wrong the same way.
constexpr int kMaxProblemsShown = 20;

void note(QStringList &problems, int &count, const QString &problem)
{
    if (++count <= kMaxProblemsShown)
        problems << problem;
}

QString describe(Response *r)
{
    return QStringLiteral("error %1 (%2), status %3, %4 body bytes")
        .arg(int(r->error()))
        .arg(r->errorString())
        .arg(r->statusCode())
        .arg(r->bytesReceived());
}

// Lines of nginx's access log ("<port> <connection> <method> <target> <version> <status>") for
// \a target with \a status.
int logCount(const NginxPeer &nginx, const QByteArray &target, const QByteArray &status)
{
    int n = 0;
    const QList<QByteArray> lines = nginx.accessLog();
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() == 6 && fields.at(3) == target && fields.at(5) == status)
            ++n;
    }
    return n;
}

// ---------------------------------------------------------------------------------------------
// The abort storm: one Entry per request, driven from a bounded pool of requests in flight.

// Finished acts from inside the Response's own finished(): abort() must then do nothing, delete must be safe.
enum class Moment { AfterSend, Headers, FirstReadyRead, DownloadProgress, Timer, Finished, Never, Count };
enum class Action { Abort, Delete, DeleteLater, Count };

const char *momentName(Moment m)
{
    static const char *const names[] = {
        "after send", "headersReceived", "first readyRead", "downloadProgress", "timer", "finished", "never"};
    return names[int(m)];
}

const char *actionName(Action a)
{
    static const char *const names[] = {"abort", "delete", "deleteLater"};
    return names[int(a)];
}

struct StormTarget
{
    QUrl url;
    QByteArray body;
};

struct StormEntry
{
    QPointer<Response> response;
    int target = 0;
    Moment moment = Moment::Never;
    Action action = Action::Abort;
    int timerMs = 0;
    bool acted = false; // the action was taken (the moment came while the Response was alive)
    bool runningWhenActed = false;
    bool deleting = false; // delete called or the deferred delete delivered: no signal may follow
    bool destroyed = false;
    int headers = 0;
    int errors = 0;
    int finished = 0;
    Response::Error error = Response::NoError;
};

class Storm : public QObject
{
public:
    Storm(Client *client, QList<StormTarget> targets, int count, int maxInFlight, quint32 seed)
        : m_client(client)
        , m_targets(std::move(targets))
        , m_count(count)
        , m_maxInFlight(maxInFlight)
        , m_random(seed)
    {
        m_entries.resize(size_t(count));
    }

    void pump()
    {
        m_pumpQueued = false;
        while (m_started < m_count && m_started - m_ended < m_maxInFlight)
            launch(m_started++);
    }

    int ended() const { return m_ended; }
    const std::vector<StormEntry> &entries() const { return m_entries; }
    int problemCount = 0;
    QStringList problems;

protected:
    // Sees the deferred delete of a Response before its destructor runs: from then on no signal
    // of it may reach the application.
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::DeferredDelete) {
            const int i = watched->property("stormIndex").toInt();
            m_entries[size_t(i)].deleting = true;
        }
        return false;
    }

private:
    void schedulePump()
    {
        if (m_pumpQueued)
            return;
        m_pumpQueued = true;
        // Not from inside a destructor or a Response's signal: the next round starts clean.
        QMetaObject::invokeMethod(
            this, [this] { pump(); }, Qt::QueuedConnection);
    }

    void problem(int i, const QString &what)
    {
        const StormEntry &e = m_entries[size_t(i)];
        note(problems, problemCount,
             QStringLiteral("#%1 %2, %3 at %4: %5")
                 .arg(i)
                 .arg(m_targets.at(e.target).url.path(), QLatin1String(actionName(e.action)),
                      QLatin1String(momentName(e.moment)), what));
    }

    // Every signal handler starts here: nothing may arrive once deletion began.
    void signalled(int i, const char *signal)
    {
        if (m_entries[size_t(i)].deleting)
            problem(i, QStringLiteral("%1 emitted after deletion began").arg(QLatin1String(signal)));
    }

    void launch(int i)
    {
        StormEntry &e = m_entries[size_t(i)];
        e.target = int(m_random() % quint32(m_targets.size()));
        e.moment = Moment(m_random() % quint32(Moment::Count));
        e.action = Action(m_random() % quint32(Action::Count));
        e.timerMs = int(m_random() % 21);

        Response *r = m_client->get(m_targets.at(e.target).url);
        e.response = r;
        r->setProperty("stormIndex", i);
        r->installEventFilter(this);

        connect(r, &QObject::destroyed, this, [this, i] {
            StormEntry &entry = m_entries[size_t(i)];
            entry.destroyed = true;
            ++m_ended;
            schedulePump();
        });
        connect(r, &Response::headersReceived, this, [this, i] {
            signalled(i, "headersReceived");
            if (++m_entries[size_t(i)].headers > 1)
                problem(i, QStringLiteral("headersReceived emitted twice"));
            if (m_entries[size_t(i)].moment == Moment::Headers)
                act(i);
        });
        connect(r, &QIODevice::readyRead, this, [this, i] {
            signalled(i, "readyRead");
            if (m_entries[size_t(i)].moment == Moment::FirstReadyRead)
                act(i);
        });
        connect(r, &Response::downloadProgress, this, [this, i] {
            signalled(i, "downloadProgress");
            if (m_entries[size_t(i)].moment == Moment::DownloadProgress)
                act(i);
        });
        connect(r, &Response::errorOccurred, this, [this, i](Response::Error error) {
            signalled(i, "errorOccurred");
            StormEntry &entry = m_entries[size_t(i)];
            if (++entry.errors > 1)
                problem(i, QStringLiteral("errorOccurred emitted twice"));
            if (entry.finished)
                problem(i, QStringLiteral("errorOccurred after finished"));
            entry.error = error;
        });
        connect(r, &Response::finished, this, [this, i, r] {
            signalled(i, "finished");
            StormEntry &entry = m_entries[size_t(i)];
            if (++entry.finished > 1)
                problem(i, QStringLiteral("finished emitted %1 times").arg(entry.finished));
            if (entry.error != r->error())
                problem(
                    i,
                    QStringLiteral("errorOccurred said %1, error() says %2").arg(int(entry.error)).arg(int(r->error())));
            const bool cancelled = entry.acted && entry.action == Action::Abort && entry.runningWhenActed;
            if (cancelled) {
                if (r->error() != Response::OperationCanceled)
                    problem(i, QStringLiteral("aborted, but ended with ") + describe(r));
            } else if (r->error() != Response::NoError || r->statusCode() != 200
                       || r->body() != m_targets.at(entry.target).body) {
                // Nothing else stopped it: it must have run to the end, correctly.
                problem(i, QStringLiteral("not aborted, but ended with ") + describe(r));
            }
            if (entry.moment == Moment::Finished)
                act(i);
            if (entry.response) // not deleted by act()
                r->deleteLater();
        });

        switch (e.moment) {
        case Moment::AfterSend:
            act(i); // before the event loop ran even once for it
            break;
        case Moment::Timer: QTimer::singleShot(e.timerMs, this, [this, i] { act(i); }); break;
        default: break;
        }
    }

    void act(int i)
    {
        StormEntry &e = m_entries[size_t(i)];
        Response *r = e.response;
        if (!r || e.acted || e.deleting)
            return; // gone already, or the moment came a second time
        e.acted = true;
        e.runningWhenActed = r->isRunning();
        switch (e.action) {
        case Action::Abort: {
            const int finishedBefore = e.finished;
            r->abort();
            // When running, errorOccurred(OperationCanceled) and finished() come before abort() returns.
            const int expected = finishedBefore + (e.runningWhenActed ? 1 : 0);
            if (e.finished != expected)
                problem(i,
                        QStringLiteral("finished emitted %1 times by abort(), expected %2")
                            .arg(e.finished - finishedBefore)
                            .arg(expected - finishedBefore));
            break;
        }
        case Action::Delete:
            e.deleting = true;
            delete r;
            break;
        case Action::DeleteLater: r->deleteLater(); break;
        case Action::Count: break;
        }
    }

    Client *m_client;
    QList<StormTarget> m_targets;
    std::vector<StormEntry> m_entries; // sized once: the handlers keep indices into it
    int m_count;
    int m_maxInFlight;
    int m_started = 0;
    int m_ended = 0;
    bool m_pumpQueued = false;
    std::mt19937 m_random;
};

// ---------------------------------------------------------------------------------------------
// One worker thread's results, written by that thread only and read after it ended.

struct ThreadResult
{
    int succeeded = 0;
    int finished = 0;
    int wrongThread = 0;
    int problemCount = 0;
    QStringList problems;
    bool timedOut = false;
    QThread *thread = nullptr;
};

} // namespace

class tst_Load : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tenThousandConcurrentToNginx();
    void abortStorm();
    void clientsInEightThreads();

private:
    NginxPeer nginx;
    QByteArray smallBody;
    QByteArray largeBody;
};

void tst_Load::initTestCase()
{
    COURIER_REQUIRE_PEER(nginx);
    smallBody = QByteArray("Courier load test: a small static file, served many times.\n");
    // Large enough to arrive in several reads, so that the storm's moments fall inside the body.
    largeBody.resize(256 * 1024);
    QRandomGenerator generator(7);
    generator.fillRange(reinterpret_cast<quint32 *>(largeBody.data()), largeBody.size() / 4);
    QVERIFY(nginx.addFile(QStringLiteral("load/small.txt"), smallBody));
    QVERIFY(nginx.addFile(QStringLiteral("storm/small.txt"), smallBody));
    QVERIFY(nginx.addFile(QStringLiteral("storm/large.bin"), largeBody));
    // /rate/ is limited to 32 MB/s by NginxPeer: the body comes in over several milliseconds.
    QVERIFY(nginx.addFile(QStringLiteral("rate/storm.bin"), largeBody));
    QVERIFY(nginx.addFile(QStringLiteral("threads/small.txt"), smallBody));
}

void tst_Load::tenThousandConcurrentToNginx()
{
    constexpr int Count = 10000;
    const QString path = QStringLiteral("/load/small.txt");
    QElapsedTimer wall;
    wall.start();

    std::vector<int> finishedCount(Count, 0);
    int done = 0;
    int problemCount = 0;
    QStringList problems;
    Client client; // after the state its handlers use: destroyed first if the test fails early

    // All started before the event loop runs: Qt queues them behind 6 connections, Courier holds
    // 10,000 running Responses.
    for (int i = 0; i < Count; ++i) {
        Response *r = client.get(nginx.url(path));
        connect(r, &Response::finished, this, [&, r, i] {
            if (++finishedCount[size_t(i)] == 1)
                ++done;
            if (r->error() != Response::NoError || r->statusCode() != 200 || r->body() != smallBody)
                note(problems, problemCount, QStringLiteral("#%1: %2").arg(i).arg(describe(r)));
            r->deleteLater(); // keeps memory flat as they finish
        });
    }
    QCOMPARE(client.findChildren<Response *>().size(), qsizetype(Count));
    qInfo("%d requests started in %lld ms", Count, wall.elapsed());

    QTRY_COMPARE_WITH_TIMEOUT(done, Count, 240000);
    QVERIFY2(problemCount == 0,
             qPrintable(QStringLiteral("%1 failed:\n").arg(problemCount) + problems.join(QLatin1Char('\n'))));
    for (int i = 0; i < Count; ++i)
        QVERIFY2(finishedCount[size_t(i)] == 1,
                 qPrintable(QStringLiteral("#%1 finished %2 times").arg(i).arg(finishedCount[size_t(i)])));
    QTRY_VERIFY_WITH_TIMEOUT(client.findChildren<Response *>().isEmpty(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(client.networkAccessManager()->findChildren<QNetworkReply *>().isEmpty(), 10000);

    // The server saw each of them once.
    QTRY_COMPARE_WITH_TIMEOUT(logCount(nginx, path.toLatin1(), "200"), Count, 10000);
    // How Qt spread them (informative: Qt opens up to 6 connections per host and may replace some).
    QMap<int, int> perConnection;
    const QList<QByteArray> lines = nginx.accessLog();
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() == 6 && fields.at(3) == path.toLatin1())
            ++perConnection[fields.at(1).toInt()];
    }
    QStringList spread;
    for (auto it = perConnection.cbegin(); it != perConnection.cend(); ++it)
        spread << QString::number(it.value());
    qInfo("tenThousandConcurrentToNginx: %d responses over %lld connections (%s requests each) in %.2f s", Count,
          qint64(perConnection.size()), qPrintable(spread.join(QLatin1Char(' '))), wall.elapsed() / 1000.0);
}

void tst_Load::abortStorm()
{
    constexpr int Count = 10000;
    // Bounded so that the run stays short even under AddressSanitizer.
    constexpr int MaxInFlight = 200;
    quint32 seed = 20240607;
    if (qEnvironmentVariableIsSet("COURIER_STORM_SEED"))
        seed = quint32(qEnvironmentVariable("COURIER_STORM_SEED").toULong());
    qInfo("abortStorm: seed %u (set COURIER_STORM_SEED to replay another)", seed);
    QElapsedTimer wall;
    wall.start();

    Client client;
    // After the Client: destroyed first if the test fails early, so no handler outlives its state.
    Storm storm(&client,
                {{nginx.url(QStringLiteral("/storm/small.txt")), smallBody},
                 {nginx.url(QStringLiteral("/storm/large.bin")), largeBody},
                 {nginx.url(QStringLiteral("/rate/storm.bin")), largeBody}},
                Count, MaxInFlight, seed);
    storm.pump();
    QTRY_COMPARE_WITH_TIMEOUT(storm.ended(), Count, 240000);
    QVERIFY2(
        storm.problemCount == 0,
        qPrintable(QStringLiteral("%1 problems:\n").arg(storm.problemCount) + storm.problems.join(QLatin1Char('\n'))));

    // Each Response either finished exactly once, or was deleted by the test (and then at most once).
    int problemCount = 0;
    QStringList problems;
    int aborted = 0, deleted = 0, natural = 0, finishedBeforeAction = 0;
    int acted[int(Moment::Count)][int(Action::Count)] = {};
    int launched[int(Moment::Count)][int(Action::Count)] = {};
    for (size_t i = 0; i < storm.entries().size(); ++i) {
        const StormEntry &e = storm.entries()[i];
        ++launched[int(e.moment)][int(e.action)];
        if (e.acted)
            ++acted[int(e.moment)][int(e.action)];
        const bool deletedByTest = e.acted && e.action != Action::Abort;
        const QString who = QStringLiteral("#%1 %2 at %3")
                                .arg(i)
                                .arg(QLatin1String(actionName(e.action)), QLatin1String(momentName(e.moment)));
        if (!e.destroyed)
            note(problems, problemCount, who + QStringLiteral(": never destroyed"));
        else if (!e.deleting) // the check of signals after deletion would have watched nothing
            note(problems, problemCount, who + QStringLiteral(": destroyed without the test seeing it begin"));
        if (deletedByTest) {
            ++deleted;
            if (e.finished > 1)
                note(problems, problemCount, who + QStringLiteral(": finished %1 times").arg(e.finished));
            if (e.action == Action::Delete && e.runningWhenActed && e.finished != 0)
                note(problems, problemCount, who + QStringLiteral(": finished although deleted while running"));
        } else if (e.finished != 1) {
            note(problems, problemCount, who + QStringLiteral(": finished %1 times").arg(e.finished));
        }
        if (e.acted && e.action == Action::Abort && e.runningWhenActed)
            ++aborted;
        else if (!deletedByTest)
            ++natural;
        if (e.acted && !e.runningWhenActed)
            ++finishedBeforeAction;
    }
    QVERIFY2(problemCount == 0,
             qPrintable(QStringLiteral("%1 problems:\n").arg(problemCount) + problems.join(QLatin1Char('\n'))));
    QVERIFY(client.findChildren<Response *>().isEmpty());
    // Replies Courier let go of are deleted later, by the manager's thread's event loop.
    QTRY_VERIFY_WITH_TIMEOUT(client.networkAccessManager()->findChildren<QNetworkReply *>().isEmpty(), 10000);

    for (int m = 0; m < int(Moment::Count); ++m) {
        QString row;
        for (int a = 0; a < int(Action::Count); ++a)
            row += QStringLiteral(" %1 %2/%3")
                       .arg(QLatin1String(actionName(Action(a))))
                       .arg(acted[m][a])
                       .arg(launched[m][a]);
        qInfo("  %-17s acted/launched:%s", momentName(Moment(m)), qPrintable(row));
    }
    qInfo("abortStorm: %d requests, %d aborted while running, %d deleted by the test, %d ran to the end "
          "(%d acted on after they had finished), in %.2f s",
          Count, aborted, deleted, natural, finishedBeforeAction, wall.elapsed() / 1000.0);
}

void tst_Load::clientsInEightThreads()
{
    constexpr int Threads = 8;
    constexpr int PerThread = 200;
    const QUrl url = nginx.url(QStringLiteral("/threads/small.txt"));
    const QByteArray expected = smallBody;
    QElapsedTimer wall;
    wall.start();

    std::array<ThreadResult, Threads> results;
    std::array<std::unique_ptr<QThread>, Threads> threads;
    for (int t = 0; t < Threads; ++t) {
        // Even threads send one request at a time, odd ones keep eight in flight.
        const int inFlight = t % 2 ? 8 : 1;
        ThreadResult *result = &results[size_t(t)];
        threads[size_t(t)].reset(QThread::create([url, expected, inFlight, result] {
            QThread *self = QThread::currentThread();
            result->thread = self;
            QEventLoop loop;
            int started = 0;
            // The Client, its manager and its Responses belong to this thread (client.h).
            auto client = std::make_unique<Client>();
            std::function<void()> launch = [&] {
                if (started >= PerThread)
                    return;
                ++started;
                Response *r = client->get(url);
                if (r->thread() != self)
                    ++result->wrongThread;
                QObject::connect(r, &Response::finished, client.get(), [&, r] {
                    if (QThread::currentThread() != self || r->thread() != self || client->thread() != self)
                        ++result->wrongThread;
                    if (r->error() == Response::NoError && r->statusCode() == 200 && r->body() == expected)
                        ++result->succeeded;
                    else
                        note(result->problems, result->problemCount, describe(r));
                    r->deleteLater();
                    if (++result->finished == PerThread)
                        loop.quit();
                    else
                        launch();
                });
            };
            // A bound of the thread's own: the main thread never has to stop a running thread.
            QTimer::singleShot(150000, &loop, [&] {
                result->timedOut = true;
                loop.quit();
            });
            for (int i = 0; i < inFlight; ++i)
                launch();
            loop.exec();
            client.reset(); // while the state its handlers use is still alive
        }));
        threads[size_t(t)]->start();
    }

    // The main thread keeps its event loop running meanwhile (as an application's would).
    const auto allEnded = [&threads] {
        return std::all_of(threads.begin(), threads.end(),
                           [](const std::unique_ptr<QThread> &t) { return t->isFinished(); });
    };
    QDeadlineTimer deadline(200000);
    while (!allEnded() && !deadline.hasExpired())
        QTest::qWait(50);
    for (const auto &thread : threads)
        QVERIFY(thread->wait(60000)); // each ends by itself within its own bound

    int succeeded = 0;
    for (int t = 0; t < Threads; ++t) {
        const ThreadResult &r = results[size_t(t)];
        QVERIFY2(!r.timedOut,
                 qPrintable(QStringLiteral("thread %1 ran out of time after %2 responses").arg(t).arg(r.finished)));
        QVERIFY2(r.problemCount == 0,
                 qPrintable(QStringLiteral("thread %1: %2 failed:\n").arg(t).arg(r.problemCount)
                            + r.problems.join(QLatin1Char('\n'))));
        QCOMPARE(r.wrongThread, 0);
        QCOMPARE(r.finished, PerThread);
        QVERIFY(r.thread && r.thread != thread());
        succeeded += r.succeeded;
    }
    QCOMPARE(succeeded, Threads * PerThread);
    QTRY_COMPARE_WITH_TIMEOUT(logCount(nginx, url.path().toLatin1(), "200"), Threads * PerThread, 10000);
    qInfo("clientsInEightThreads: %d responses in %d threads in %.2f s", succeeded, Threads, wall.elapsed() / 1000.0);
}

QTEST_MAIN(tst_Load)
#include "tst_load.moc"
