// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "retry_p.h"

#include "headers_p.h"

namespace Courier {

std::optional<std::chrono::milliseconds> retryDelay(const RetryPolicy &policy, const RetryContext &context,
                                                    QString *why)
{
    const auto no = [why](const QString &reason) -> std::optional<std::chrono::milliseconds> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    if (!policy.isEnabled() || context.attempt >= policy.maximumAttempts())
        return no(QStringLiteral("no attempts left"));
    if (context.ended || context.responseStarted)
        return no(QStringLiteral("the response ended or started"));
    if (!policy.isRetriedMethod(context.method))
        return no(QStringLiteral("%1 is not retried").arg(QString::fromLatin1(context.method)));
    const bool repeatable = context.bodyKind == Request::BodyKind::Device
        ? context.deviceRewindable
        : context.bodyKind != Request::BodyKind::Multipart;
    if (!repeatable)
        return no(QStringLiteral("the body cannot be sent again"));
    std::chrono::milliseconds delay = policy.delay(context.attempt, context.random);
    if (!context.retryAfter.isEmpty()) {
        const qint64 asked = Headers::retryAfterMsecs(context.retryAfter, context.now);
        if (asked >= 0) {
            if (asked > policy.maximumDelay().count())
                return no(QStringLiteral("Retry-After %1 is longer than the retry cap")
                              .arg(QString::fromLatin1(context.retryAfter.left(64))));
            delay = std::chrono::milliseconds(asked);
        }
    }
    if (context.timeLeft && delay >= *context.timeLeft)
        return no(QStringLiteral("a retry in %1 ms would pass the total timeout").arg(delay.count()));
    return delay;
}

bool isTransientFailure(QNetworkReply::NetworkError error, int status, bool brokeWhileSending)
{
    if (status != 0)
        return false;
    return error == QNetworkReply::ConnectionRefusedError || error == QNetworkReply::RemoteHostClosedError
        || error == QNetworkReply::TemporaryNetworkFailureError || brokeWhileSending;
}

} // namespace Courier
