// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "Courier/retrypolicy.h"

#include <QtCore/QSharedData>

#include <algorithm>
#include <cmath>

namespace Courier {

class RetryPolicyData : public QSharedData
{
public:
    int maximumAttempts = 1;
    std::chrono::milliseconds initialDelay{500};
    double multiplier = 2.0;
    std::chrono::milliseconds maximumDelay{30000};
    double jitter = 0.5;
    QList<int> statuses{408, 429, 500, 502, 503, 504};
    bool nonIdempotent = false;

    bool operator==(const RetryPolicyData &o) const noexcept
    {
        return maximumAttempts == o.maximumAttempts && initialDelay == o.initialDelay && multiplier == o.multiplier
            && maximumDelay == o.maximumDelay && jitter == o.jitter && statuses == o.statuses
            && nonIdempotent == o.nonIdempotent;
    }
};

namespace {
// Every default-constructed RetryPolicy shares this data until it is changed (copy on write):
// Courier makes several per request (the options it resolves hold one).
const QSharedDataPointer<RetryPolicyData> &defaultData()
{
    static const QSharedDataPointer<RetryPolicyData> data(new RetryPolicyData);
    return data;
}
} // namespace

RetryPolicy::RetryPolicy()
    : d(defaultData())
{
}

RetryPolicy::RetryPolicy(int maximumAttempts)
    : RetryPolicy()
{
    setMaximumAttempts(maximumAttempts);
}

RetryPolicy::RetryPolicy(const RetryPolicy &other) = default;
RetryPolicy &RetryPolicy::operator=(const RetryPolicy &other) = default;
RetryPolicy::~RetryPolicy() = default;

bool RetryPolicy::isEqual(const RetryPolicy &other) const noexcept { return d == other.d || *d == *other.d; }

bool RetryPolicy::isEnabled() const { return d->maximumAttempts > 1; }
int RetryPolicy::maximumAttempts() const { return d->maximumAttempts; }
void RetryPolicy::setMaximumAttempts(int attempts) { d->maximumAttempts = std::max(attempts, 1); }
std::chrono::milliseconds RetryPolicy::initialDelay() const { return d->initialDelay; }
void RetryPolicy::setInitialDelay(std::chrono::milliseconds delay)
{
    d->initialDelay = std::max(delay, std::chrono::milliseconds(0));
}
double RetryPolicy::multiplier() const { return d->multiplier; }
void RetryPolicy::setMultiplier(double multiplier)
{
    d->multiplier = std::isfinite(multiplier) ? std::max(multiplier, 1.0) : 1.0;
}
std::chrono::milliseconds RetryPolicy::maximumDelay() const { return d->maximumDelay; }
void RetryPolicy::setMaximumDelay(std::chrono::milliseconds delay)
{
    d->maximumDelay = std::max(delay, std::chrono::milliseconds(0));
}
double RetryPolicy::jitter() const { return d->jitter; }
void RetryPolicy::setJitter(double jitter) { d->jitter = std::isfinite(jitter) ? std::clamp(jitter, 0.0, 1.0) : 0.0; }
QList<int> RetryPolicy::retriedStatuses() const { return d->statuses; }
void RetryPolicy::setRetriedStatuses(const QList<int> &statuses) { d->statuses = statuses; }
bool RetryPolicy::nonIdempotentRetried() const { return d->nonIdempotent; }
void RetryPolicy::setNonIdempotentRetried(bool retried) { d->nonIdempotent = retried; }

std::chrono::milliseconds RetryPolicy::delay(int retry, double random) const
{
    const double cap = double(d->maximumDelay.count());
    const double exponent = std::max(retry, 1) - 1;
    const double full = std::min(cap, double(d->initialDelay.count()) * std::pow(d->multiplier, exponent));
    const double jittered = full * (1.0 - d->jitter * std::clamp(random, 0.0, 1.0));
    return std::chrono::milliseconds(qint64(std::llround(jittered)));
}

bool RetryPolicy::isRetriedMethod(const QByteArray &method) const
{
    static const QByteArray idempotent[] = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"};
    return d->nonIdempotent || std::find(std::begin(idempotent), std::end(idempotent), method) != std::end(idempotent);
}

} // namespace Courier
