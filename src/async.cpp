// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// The asynchronous styles besides signals: Response::future() and the Client's callback
// overloads. The coroutine awaiter is header-only (include/Courier/coroutine.h, C++20).

#include <Courier/Client>
#include <Courier/Response>

#include <QtCore/QFutureWatcher>
#include <QtCore/QPointer>
#include <QtCore/QPromise>

#include <memory>

namespace Courier {

QFuture<Response *> Response::future()
{
    auto promise = std::make_shared<QPromise<Response *>>();
    QFuture<Response *> future = promise->future();
    promise->start();
    if (!isRunning()) {
        promise->addResult(this);
        promise->finish();
        return future;
    }
    // The promise lives in the connection: when the Response is destroyed first, the connection
    // goes, the last reference with it, and ~QPromise cancels the unfinished future.
    connect(this, &Response::finished, this, [this, promise] {
        promise->addResult(this);
        promise->finish();
    });
    // QFuture::cancel() from the user aborts; the watcher tells from the event loop.
    auto *watcher = new QFutureWatcher<Response *>(this);
    connect(watcher, &QFutureWatcherBase::canceled, this, [this, watcher] {
        watcher->deleteLater();
        if (isRunning())
            abort();
    });
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    watcher->setFuture(future);
    return future;
}

Response *Client::withCallback(Response *response, const QObject *context, std::function<void(Response &)> callback)
{
    const bool hasContext = context != nullptr;
    QPointer<const QObject> guard(context);
    connect(response, &Response::finished, response, [response, hasContext, guard, callback = std::move(callback)] {
        QPointer<Response> alive(response);
        if (!hasContext || guard)
            callback(*response);
        if (alive)
            alive->deleteLater();
    });
    if (hasContext) {
        // The context's destroyed() comes after QPointer let go of it: the abort's finished()
        // finds the guard null and calls nothing.
        connect(context, &QObject::destroyed, response, [response] {
            if (response->isRunning())
                response->abort();
        });
    }
    return response;
}

} // namespace Courier
