// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/response.h>

#include <QtCore/QObject>
#include <QtCore/QTimer>

#if !defined(__cpp_impl_coroutine) || !__has_include(<coroutine>)
#error "<Courier/Coroutine> needs C++20 coroutines: build with CMAKE_CXX_STANDARD 20 (or -std=c++20)"
#endif

#include <coroutine>

namespace Courier {

/*!
    \class Courier::ResponseAwaiter
    \brief What `co_await` on a Response waits with; made by `operator co_await(Response &)`.

    Not used by name: write `co_await *response`. It needs no coroutine library of its own and
    works in any coroutine type, QCoro's `QCoro::Task` included (whose `await_transform` passes
    awaitables through).

    The coroutine is resumed exactly once:
    - when the Response emits finished(), from inside that emission, right after the slots
        connected before the `co_await` (a Response already finished does not suspend at all);
        `co_await` then gives the Response itself. Its error() says how it ended: an abort(), a
        timeout or a refused request resume it the same way.
    - when the Response is destroyed before it finished (its Client was deleted, or someone
        deleted it): from the event loop of the Response's thread, after the deletion, and
        `co_await` gives null. Nothing that was being destroyed is touched.

    The awaiter belongs to the coroutine's frame: destroying a coroutine while it is suspended
    here is not supported (as with any awaiter that Qt signals resume). The coroutine must run in
    the Response's thread.
*/
class ResponseAwaiter
{
public:
    /*! Waits for \a response. */
    explicit ResponseAwaiter(Response &response) noexcept
        : m_response(&response)
    {
    }
    ResponseAwaiter(const ResponseAwaiter &) = delete;
    ResponseAwaiter &operator=(const ResponseAwaiter &) = delete;

    /*! For the compiler: true when the Response has finished already: no suspension. */
    bool await_ready() const noexcept { return !m_response->isRunning(); }

    /*! For the compiler: resumes \a coroutine on finished(), or from the event loop on destruction. */
    void await_suspend(std::coroutine_handle<> coroutine)
    {
        m_finished = QObject::connect(m_response, &Response::finished, m_response, [this, coroutine] {
            disconnectAll();
            coroutine.resume(); // may destroy this awaiter: nothing of it is used afterwards
        });
        m_destroyed = QObject::connect(m_response, &QObject::destroyed, [this, coroutine] {
            disconnectAll();
            m_response = nullptr;
            // Not from inside the destructor: the coroutine may go on to use what the deletion was
            // part of (the Client, its owner).
            QTimer::singleShot(0, [coroutine] { coroutine.resume(); });
        });
    }

    /*! For the compiler: the Response, finished; null when it was destroyed first. */
    Response *await_resume() const noexcept { return m_response; }

private:
    void disconnectAll()
    {
        QObject::disconnect(m_finished);
        QObject::disconnect(m_destroyed);
    }

    Response *m_response;
    QMetaObject::Connection m_finished;
    QMetaObject::Connection m_destroyed;
};

/*!
    \relates Courier::Response

    Suspends the calling coroutine until \a response finished, and gives it back:

    \code
    QCoro::Task<> Catalogue::refresh()   // or any coroutine type
    {
        Courier::Response *r = co_await *m_client->get(QUrl(QStringLiteral("items")));
        if (!r)
            co_return;                   // the Client was deleted meanwhile
        r->deleteLater();
        if (r->isHttpSuccess() && !r->hasTransportError())
            m_items = r->json().toArray();
    }
    \endcode

    See ResponseAwaiter for when exactly the coroutine resumes. C++20; the rest of Courier's API
    stays C++17.
*/
inline ResponseAwaiter operator co_await(Response &response) noexcept { return ResponseAwaiter(response); }

} // namespace Courier
