// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/request.h"
#include "Courier/retrypolicy.h"

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtNetwork/QNetworkReply>

#include <chrono>
#include <optional>

namespace Courier {

/*! What a retry decision looks at besides the policy: the request and where it stands. */
struct RetryContext
{
    int attempt = 1; // attempts made so far
    QByteArray method; // of the request as the application sent it (the first hop)
    Request::BodyKind bodyKind = Request::BodyKind::None;
    bool deviceRewindable = false; // a device body that can seek back (BodyKind::Device)
    bool responseStarted = false; // the application has seen the final response's headers
    bool ended = false; // aborted, failed by Courier, or past the total timeout
    QByteArray retryAfter; // the Retry-After of the response being retried; empty if none
    QDateTime now; // the clock, for a Retry-After date
    double random = 0; // 0 to 1: the draw for the policy's jitter
    std::optional<std::chrono::milliseconds> timeLeft; // until the total timeout, if one runs
};

/*!
    The wait before the next attempt, or nothing when there is none: the policy is off or its
    attempts are used; the request ended or its response started; the method is not retried
    (idempotent methods unless the policy says otherwise); the body cannot be sent again (a
    sequential device, multipart). The wait is the policy's backoff, or the Retry-After when
    the server gives a valid one (RFC 9110 section 10.2.3); a Retry-After longer than the
    policy's maximumDelay, or a wait that would pass the total timeout, is no retry. \a why
    tells why not, for the log. Pure: the clock and the random draw come in \a context.
*/
std::optional<std::chrono::milliseconds> retryDelay(const RetryPolicy &policy, const RetryContext &context,
                                                    QString *why = nullptr);

/*!
    Whether a hop that failed with \a error before any status (\a status 0) failed for a reason
    another attempt may not meet: the connection refused, closed early or down for a moment,
    or broken while the request body was being sent (\a brokeWhileSending).
*/
bool isTransientFailure(QNetworkReply::NetworkError error, int status, bool brokeWhileSending);

} // namespace Courier
