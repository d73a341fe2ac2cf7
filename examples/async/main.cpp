// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// async-styles URL: GETs URL three times, once in each asynchronous style Courier offers besides
// its signals, one after the other, and prints what each saw:
//   1. a callback with a context: client.get(url, context, callback)
//   2. a QFuture: response->future().then(context, ...)
//   3. a C++20 coroutine: co_await *response (here in the least coroutine type there is; QCoro's
//      QCoro::Task works the same way)

#include <Courier/Client>
#include <Courier/Coroutine>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

#include <coroutine>
#include <cstdio>
#include <exception>
#include <functional>

namespace {

// A coroutine that starts at once and that nobody awaits: enough for co_await on a Response.
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

void report(const char *style, Courier::Response &r)
{
    if (r.hasTransportError())
        std::printf("%-10s %s\n", style, qPrintable(r.errorString()));
    else
        std::printf("%-10s %d %s, %lld bytes\n", style, r.statusCode(), qPrintable(r.statusMessage()),
                    static_cast<long long>(r.bytesAvailable()));
}

Detached withCoroutine(Courier::Client *client, QUrl url, std::function<void()> then)
{
    Courier::Response *r = co_await *client->get(url);
    if (r) { // null only if the Client was deleted meanwhile
        report("co_await", *r);
        r->deleteLater();
    }
    then();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("One GET in each asynchronous style: callback, QFuture, co_await."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("url"), QStringLiteral("The URL to GET."));
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    const QUrl url = QUrl::fromUserInput(parser.positionalArguments().constFirst());

    Courier::Client client;
    // 1. The callback runs once the Response finished; the Response is deleted after it.
    client.get(url, &app, [&client, &app, url](Courier::Response &r) {
        report("callback", r);
        // 2. The future completes with the Response; it stays ours to delete.
        client.get(url)->future().then(&app, [&client, &app, url](Courier::Response *done) {
            report("future", *done);
            done->deleteLater();
            // 3. The coroutine resumes inside finished() with the Response.
            withCoroutine(&client, url, [&app] { app.quit(); });
        });
    });
    return app.exec();
}
