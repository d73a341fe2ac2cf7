// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QSharedDataPointer>

#include <chrono>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace Courier {

class RetryPolicyData;

/*!
    \class Courier::RetryPolicy
    \brief When and how a failed request is sent again: attempts, backoff, and what is retried.

    Off by default: a default-constructed policy makes one attempt. With maximumAttempts() above
    one, a request is sent again, as the same Response, when an attempt ends with
    - a retried status (408, 429, 500, 502, 503 and 504 by default; see retriedStatuses()), or
    - a transient transport error before any response headers arrived: ConnectionRefused,
        RemoteHostClosed, TemporaryNetworkFailure, or a connect or read Timeout. Once headers have
        arrived, part of the response may have reached the application, and a failure is final.

    and only when sending it again is safe:
    - the method is idempotent (GET, HEAD, OPTIONS, PUT, DELETE, TRACE; RFC 9110 section
        9.2.2), unless nonIdempotentRetried() opts the request in (POST, PATCH, …);
    - the body can be sent again: bytes, text, JSON or form fields, a random-access device
        (rewound to where it started) or a sequential device Courier copied to a temporary file.
        A QHttpMultiPart or a sequential device of known size is sent once.

    A request aborted, over its total timeout, or failing its TLS checks is never retried.

    The wait before attempt \e n + 1 is initialDelay() × multiplier()^(\e n − 1), at most
    maximumDelay(), less a random part of up to jitter() of it (so that many clients do not
    retry in step). A \c Retry-After header on the response (delta-seconds or an HTTP-date,
    RFC 9110 section 10.2.3) replaces the computed wait; when it asks for longer than
    maximumDelay(), or than the total timeout leaves, the request is not retried and the
    response is delivered as it is, its Retry-After readable. Before each new attempt the
    Response emits retrying() and records a TimelineEvent::Retrying.

    An implicitly shared value type, usable in any thread.
*/
class COURIER_EXPORT RetryPolicy
{
    Q_GADGET
    Q_PROPERTY(int maximumAttempts READ maximumAttempts WRITE setMaximumAttempts)

public:
    /*! Off: one attempt. */
    RetryPolicy();
    /*! Up to \a maximumAttempts attempts with the default backoff. */
    explicit RetryPolicy(int maximumAttempts);
    /*! A copy of \a other (cheap: the data is shared until one of them changes). */
    RetryPolicy(const RetryPolicy &other);
    /*! Makes this policy a copy of \a other. */
    RetryPolicy &operator=(const RetryPolicy &other);
    ~RetryPolicy();

    /*! Whether every setting of \a lhs equals that of \a rhs (the retried statuses in the same order). */
    friend bool operator==(const RetryPolicy &lhs, const RetryPolicy &rhs) noexcept { return lhs.isEqual(rhs); }
    /*! Whether any setting of \a lhs differs from that of \a rhs. */
    friend bool operator!=(const RetryPolicy &lhs, const RetryPolicy &rhs) noexcept { return !lhs.isEqual(rhs); }

    /*! Whether it retries at all: maximumAttempts() above one. */
    bool isEnabled() const;

    /*! Attempts in all, the first one included; 1 (the default) means no retry. */
    int maximumAttempts() const;
    /*! Sets the number of attempts to \a attempts (below 1 counts as 1); see maximumAttempts(). */
    void setMaximumAttempts(int attempts);

    /*! The wait before the first retry; 500 ms by default. */
    std::chrono::milliseconds initialDelay() const;
    /*! Sets the first wait to \a delay (negative counts as 0); see initialDelay(). */
    void setInitialDelay(std::chrono::milliseconds delay);
    /*! The factor from one wait to the next; 2 by default. */
    double multiplier() const;
    /*! Sets the factor to \a multiplier (below 1, or not finite, counts as 1); see multiplier(). */
    void setMultiplier(double multiplier);
    /*! The longest wait, also for Retry-After; 30 s by default. */
    std::chrono::milliseconds maximumDelay() const;
    /*! Sets the longest wait to \a delay (negative counts as 0); see maximumDelay(). */
    void setMaximumDelay(std::chrono::milliseconds delay);
    /*! The share of each wait that is random, from 0 (none) to 1; 0.5 by default. */
    double jitter() const;
    /*! Sets the random share to \a jitter, clamped to 0 … 1 (not finite counts as 0); see jitter(). */
    void setJitter(double jitter);

    /*! The statuses that are retried; 408, 429, 500, 502, 503 and 504 by default. */
    QList<int> retriedStatuses() const;
    /*! Replaces the retried statuses with \a statuses; see retriedStatuses(). */
    void setRetriedStatuses(const QList<int> &statuses);

    /*! Whether non-idempotent methods (POST, PATCH, CONNECT, …) are retried too; false by default. */
    bool nonIdempotentRetried() const;
    /*! Sets whether non-idempotent methods are retried too; see nonIdempotentRetried(). */
    void setNonIdempotentRetried(bool retried);

    /*!
        The wait before retry number \a retry (1 for the second attempt), with \a random in
        [0, 1) choosing the jitter: 0 gives the full computed wait.
    */
    std::chrono::milliseconds delay(int retry, double random) const;

    /*! Whether \a method may be retried under this policy. */
    bool isRetriedMethod(const QByteArray &method) const;

private:
    bool isEqual(const RetryPolicy &other) const noexcept;

    QSharedDataPointer<RetryPolicyData> d;
};

#ifndef QT_NO_DEBUG_STREAM
/*!
    \relates Courier::RetryPolicy
    Writes every setting of \a policy to \a debug.
*/
COURIER_EXPORT QDebug operator<<(QDebug debug, const RetryPolicy &policy);
#endif

} // namespace Courier

Q_DECLARE_METATYPE(Courier::RetryPolicy)
