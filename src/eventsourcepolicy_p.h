// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// EventSource's decisions as functions of what a connection gave, tested by tables without a
// network (tst_policy); eventsource.cpp carries them out.

#include <Courier/response.h>

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <chrono>

namespace Courier::EventSourcePolicy {

/*!
    Whether an answer with \a statusCode (\a reasonPhrase) and \a contentType opens the stream:
    an empty string when it does (200, text/event-stream, parameters ignored), else the
    errorString of the failure (the stream is then closed for good).
*/
QString refusal(int statusCode, const QString &reasonPhrase, const QByteArray &contentType);

/*! How a connection ended. */
struct Ending
{
    Response::Error error = Response::NoError;
    bool transport = false; //!< Response::hasTransportError()
    QString errorString; //!< the Response's
};

/*! What to do after a connection ended. */
struct Decision
{
    bool reconnect = false;
    QString why; //!< the EventSource's errorString()
};

/*!
    After a connection that got a stream (or none: a network error before it) ended: reconnect
    when it ended cleanly or the failure may pass, close when it would only repeat.
*/
Decision afterEnding(const Ending &ending);

/*! The smallest wait once attempts fail in a row, whatever the reconnection time. */
constexpr std::chrono::milliseconds MinimumBackoff{500};

/*!
    The wait before the next connection: \a reconnectionTime after a connection that delivered
    events (\a failedAttempts 0) or after the first failed attempt; from the second failed
    attempt in a row on, doubled each time from at least MinimumBackoff; never more than
    \a maximum.
*/
std::chrono::milliseconds delay(std::chrono::milliseconds reconnectionTime, int failedAttempts,
                                std::chrono::milliseconds maximum);

} // namespace Courier::EventSourcePolicy
