// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// The asynchronous styles besides signals, on both engines: co_await on a Response (C++20, in a
// bare coroutine type and inside QCoro's Task), Response::future(), and the Client's callback
// overloads. Each is tried on success, abort(), a timeout, and the Client or the callback's
// context going away mid-flight. The server is in-process; a silent handler makes a request that
// only a timeout, an abort or a deletion ends, so no outcome depends on the machine's speed.

#include <Courier/Client>
#include <Courier/Coroutine>
#include <Courier/Response>

#include "testserver.h"

#include <QCoro/QCoroTask>

#include <QtCore/QPointer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <coroutine>
#include <exception>
#include <memory>

using namespace Courier;
using namespace Courier::Test;
using namespace std::chrono_literals;

namespace {

// The least a coroutine type can be: starts at once, nobody awaits it. Proves that co_await on a
// Response needs no coroutine library.
struct Detached
{
    struct promise_type
    {
        Detached get_return_object() { return {}; }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_never final_suspend() noexcept { return {}; }
        void return_void() { }
        void unhandled_exception() { std::terminate(); }
    };
};

// What a coroutine saw: whether it resumed, what co_await gave, and the Response's outcome then.
struct Seen
{
    bool resumed = false;
    Response *response = nullptr;
    Response::Error error = Response::NoError;
    int status = 0;
    QByteArray body;
    QStringList order;
};

Detached awaitResponse(Response *r, Seen *seen)
{
    Response *got = co_await *r;
    seen->resumed = true;
    seen->order << QStringLiteral("resumed");
    seen->response = got;
    if (got) {
        seen->error = got->error();
        seen->status = got->statusCode();
        seen->body = got->readAll();
    }
}

QCoro::Task<QByteArray> fetchText(Client *client, QUrl url)
{
    Response *r = co_await *client->get(url);
    r->deleteLater();
    co_return r->readAll();
}

// Two requests one after the other, each awaited inside a Task that is itself awaited.
QCoro::Task<QByteArray> fetchBoth(Client *client, QUrl first, QUrl second)
{
    const QByteArray a = co_await fetchText(client, first);
    const QByteArray b = co_await fetchText(client, second);
    co_return a + '+' + b;
}

QCoro::Task<Response::Error> errorOf(Response *r)
{
    Response *got = co_await *r;
    co_return got ? got->error() : Response::UnknownNetworkError;
}

// The callback overloads refuse what post(url, data) refuses: a number is no body.
template <typename T, typename = void>
struct PostsWithCallback : std::false_type
{
};
template <typename T>
struct PostsWithCallback<
    T,
    std::void_t<decltype(std::declval<Client &>().post(QUrl(), std::declval<T>(), static_cast<QObject *>(nullptr),
                                                       std::declval<void (*)(Response &)>()))>> : std::true_type
{
};
static_assert(PostsWithCallback<QByteArray>::value);
static_assert(PostsWithCallback<QVariantMap>::value);
static_assert(!PostsWithCallback<int>::value);
static_assert(!PostsWithCallback<bool>::value);
static_assert(!PostsWithCallback<double>::value);

} // namespace

class tst_Async : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    // co_await
    void awaitResumesAfterFinished();
    void awaitFinishedResponseDoesNotSuspend();
    void awaitAbort();
    void awaitTimeout();
    void awaitRefusedRequest();
    void awaitClientDeletedResumesWithNull();
    void awaitInsideQCoroTask();
    void awaitTimeoutInsideQCoroTask();

    // QFuture
    void futureCompletesWithTheResponse();
    void futureOfAFinishedResponseIsReady();
    void futureTimeout();
    void futureCanceledWhenTheResponseIsDestroyed();
    void cancellingTheFutureAborts();

    // callbacks
    void callbackCalledOnceThenResponseDeleted();
    void callbackWithoutArgumentsAndWithData();
    void callbackAfterAbortAndTimeout();
    void callbackNotCalledWhenContextDies();
    void callbackNotCalledWhenClientDies();
    void callbackWithoutContext();

private:
    TestServer m_server;
    QUrl m_ok;
    QUrl m_silent; // never answered
};

void tst_Async::init()
{
    m_server.setHandler([](TestConnection *c, const RawRequest &request) {
        if (request.target == "/silent")
            return;
        if (request.method == "POST")
            c->respond(201, "Created", {}, "got " + request.body);
        else
            c->respond(200, "OK", {}, request.target == "/second" ? "two" : "one");
    });
    m_ok = m_server.url(QStringLiteral("/first"));
    m_silent = m_server.url(QStringLiteral("/silent"));
}

void tst_Async::awaitResumesAfterFinished()
{
    Client client;
    Seen seen;
    Response *r = client.get(m_ok);
    connect(r, &Response::finished, this, [&seen] { seen.order << QStringLiteral("slot"); });
    awaitResponse(r, &seen);
    QVERIFY(!seen.resumed); // suspended: the Response runs
    QTRY_VERIFY(seen.resumed);
    QCOMPARE(seen.response, r);
    QCOMPARE(seen.status, 200);
    QCOMPARE(seen.error, Response::NoError);
    QCOMPARE(seen.body, QByteArray("one"));
    // Resumed inside finished(), after the slot connected before the co_await.
    QCOMPARE(seen.order, (QStringList{QStringLiteral("slot"), QStringLiteral("resumed")}));
    delete r;
}

void tst_Async::awaitFinishedResponseDoesNotSuspend()
{
    Client client;
    std::unique_ptr<Response> r(client.get(m_ok));
    QVERIFY(r->waitForFinished(10000));
    Seen seen;
    awaitResponse(r.get(), &seen);
    QVERIFY(seen.resumed); // no suspension, no event loop needed
    QCOMPARE(seen.response, r.get());
    QCOMPARE(seen.body, QByteArray("one"));
}

void tst_Async::awaitAbort()
{
    Client client;
    std::unique_ptr<Response> r(client.get(m_silent));
    Seen seen;
    awaitResponse(r.get(), &seen);
    QVERIFY(!seen.resumed);
    r->abort();
    QTRY_VERIFY(seen.resumed);
    QCOMPARE(seen.response, r.get());
    QCOMPARE(seen.error, Response::OperationCanceled);
}

void tst_Async::awaitTimeout()
{
    Client client;
    client.setTotalTimeout(100ms);
    std::unique_ptr<Response> r(client.get(m_silent));
    Seen seen;
    awaitResponse(r.get(), &seen);
    QTRY_VERIFY_WITH_TIMEOUT(seen.resumed, 10000);
    QCOMPARE(seen.error, Response::Timeout);
}

void tst_Async::awaitRefusedRequest()
{
    Client client;
    std::unique_ptr<Response> r(client.get(QUrl(QStringLiteral("gopher://127.0.0.1/"))));
    Seen seen;
    awaitResponse(r.get(), &seen);
    QVERIFY(!seen.resumed); // refusals too finish from the event loop
    QTRY_VERIFY(seen.resumed);
    QCOMPARE(seen.error, Response::ProtocolUnknown);
}

void tst_Async::awaitClientDeletedResumesWithNull()
{
    auto *client = new Client;
    Response *r = client->get(m_silent);
    Seen seen;
    seen.response = r;
    awaitResponse(r, &seen);
    delete client; // deletes r, which never finished
    QVERIFY(!seen.resumed); // not from inside the destructor
    QTRY_VERIFY(seen.resumed);
    QCOMPARE(seen.response, nullptr);
}

void tst_Async::awaitInsideQCoroTask()
{
    Client client;
    const QByteArray both = QCoro::waitFor(fetchBoth(&client, m_ok, m_server.url(QStringLiteral("/second"))));
    QCOMPARE(both, QByteArray("one+two"));
}

void tst_Async::awaitTimeoutInsideQCoroTask()
{
    Client client;
    client.setTotalTimeout(100ms);
    std::unique_ptr<Response> r(client.get(m_silent));
    QCOMPARE(QCoro::waitFor(errorOf(r.get())), Response::Timeout);
    std::unique_ptr<Response> aborted(client.get(m_silent));
    QTimer::singleShot(0, aborted.get(), &Response::abort);
    QCOMPARE(QCoro::waitFor(errorOf(aborted.get())), Response::OperationCanceled);
}

void tst_Async::futureCompletesWithTheResponse()
{
    Client client;
    Response *r = client.get(m_ok);
    QFuture<Response *> future = r->future();
    QVERIFY(!future.isFinished());
    QByteArray body;
    Response *got = nullptr;
    QFuture<void> done = future.then(this, [&](Response *response) {
        got = response;
        body = response->readAll();
        response->deleteLater();
    });
    QTRY_VERIFY(done.isFinished());
    QCOMPARE(got, r);
    QCOMPARE(body, QByteArray("one"));
    QVERIFY(!future.isCanceled());
    QCOMPARE(future.result(), r);
}

void tst_Async::futureOfAFinishedResponseIsReady()
{
    Client client;
    std::unique_ptr<Response> r(client.get(m_ok));
    QVERIFY(r->waitForFinished(10000));
    QFuture<Response *> future = r->future();
    QVERIFY(future.isFinished());
    QCOMPARE(future.result(), r.get());
}

void tst_Async::futureTimeout()
{
    Client client;
    client.setTotalTimeout(100ms);
    std::unique_ptr<Response> r(client.get(m_silent));
    QFuture<Response *> future = r->future();
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
    QCOMPARE(future.result()->error(), Response::Timeout);
}

void tst_Async::futureCanceledWhenTheResponseIsDestroyed()
{
    auto *client = new Client;
    QFuture<Response *> future = client->get(m_silent)->future();
    bool thenRan = false;
    bool canceledRan = false;
    QFuture<void> chain = future.then([&](Response *) { thenRan = true; }).onCanceled([&] { canceledRan = true; });
    delete client;
    QVERIFY(future.isCanceled());
    QTRY_VERIFY(chain.isFinished());
    QVERIFY(canceledRan);
    QVERIFY(!thenRan);
}

void tst_Async::cancellingTheFutureAborts()
{
    Client client;
    std::unique_ptr<Response> r(client.get(m_silent));
    QSignalSpy finished(r.get(), &Response::finished);
    QVERIFY(finished.isValid());
    QFuture<Response *> future = r->future();
    future.cancel();
    QVERIFY(r->isRunning()); // the abort comes from the event loop
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(r->error(), Response::OperationCanceled);
    QVERIFY(future.isCanceled());
}

void tst_Async::callbackCalledOnceThenResponseDeleted()
{
    Client client;
    QObject context;
    int calls = 0;
    int status = 0;
    QByteArray body;
    QPointer<Response> r = client.get(m_ok, &context, [&](Response &response) {
        ++calls;
        status = response.statusCode();
        body = response.readAll();
    });
    QVERIFY(r);
    QCOMPARE(calls, 0); // never from inside the call
    QTRY_VERIFY(r.isNull());
    QCOMPARE(calls, 1);
    QCOMPARE(status, 200);
    QCOMPARE(body, QByteArray("one"));
}

void tst_Async::callbackWithoutArgumentsAndWithData()
{
    Client client;
    QObject context;
    bool called = false;
    QPointer<Response> r = client.get(m_ok, &context, [&called] { called = true; });
    QTRY_VERIFY(r.isNull());
    QVERIFY(called);

    QByteArray body;
    int status = 0;
    Request request(m_ok, "POST");
    request.setBody("payload");
    QPointer<Response> posted = client.post(m_ok, QByteArray("data"), &context, [&](Response &response) {
        status = response.statusCode();
        body = response.readAll();
    });
    QTRY_VERIFY(posted.isNull());
    QCOMPARE(status, 201);
    QCOMPARE(body, QByteArray("got data"));
    QPointer<Response> sent = client.send(request, &context, [&](Response &response) { body = response.readAll(); });
    QTRY_VERIFY(sent.isNull());
    QCOMPARE(body, QByteArray("got payload"));
}

void tst_Async::callbackAfterAbortAndTimeout()
{
    Client client;
    QObject context;
    Response::Error aborted = Response::NoError;
    QPointer<Response> r = client.get(m_silent, &context, [&](Response &response) { aborted = response.error(); });
    r->abort();
    QTRY_VERIFY(r.isNull());
    QCOMPARE(aborted, Response::OperationCanceled);

    client.setTotalTimeout(100ms);
    Response::Error timedOut = Response::NoError;
    QPointer<Response> t = client.get(m_silent, &context, [&](Response &response) { timedOut = response.error(); });
    QTRY_VERIFY_WITH_TIMEOUT(t.isNull(), 10000);
    QCOMPARE(timedOut, Response::Timeout);
}

void tst_Async::callbackNotCalledWhenContextDies()
{
    Client client;
    auto *context = new QObject;
    bool called = false;
    QPointer<Response> r = client.get(m_silent, context, [&called] { called = true; });
    QSignalSpy finished(r.data(), &Response::finished);
    QVERIFY(finished.isValid());
    delete context;
    // The Response is aborted (other listeners see it end) and deleted; the callback never runs.
    QTRY_VERIFY(r.isNull());
    QCOMPARE(finished.count(), 1);
    QVERIFY(!called);
}

void tst_Async::callbackNotCalledWhenClientDies()
{
    auto *client = new Client;
    QObject context;
    bool called = false;
    QPointer<Response> r = client->get(m_silent, &context, [&called] { called = true; });
    delete client;
    QVERIFY(r.isNull());
    QTest::qWait(0); // nothing queued calls it later either
    QCoreApplication::sendPostedEvents();
    QVERIFY(!called);
}

void tst_Async::callbackWithoutContext()
{
    Client client;
    bool called = false;
    QPointer<Response> r = client.get(m_ok, nullptr, [&called](Response &) { called = true; });
    QTRY_VERIFY(r.isNull());
    QVERIFY(called);
}

QTEST_GUILESS_MAIN(tst_Async)
#include "tst_async.moc"
