// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "timers_p.h"

#include <QtCore/QObject>

#include <algorithm>
#include <limits>

namespace Courier {

namespace {
// QBasicTimer (Qt 6.4) takes an int: longer waits are capped at about 24 days.
int timerMsecs(qint64 msecs) { return int(std::clamp<qint64>(msecs, 0, std::numeric_limits<int>::max())); }
} // namespace

void ResponseTimers::start(QObject *owner, ms connect, ms read)
{
    m_owner = owner;
    m_connect = connect;
    m_read = read;
    m_clock.start();
}

void ResponseTimers::startTotal(ms total)
{
    if (total.count() <= 0)
        return;
    m_totalTimer.start(timerMsecs(total.count()), m_owner);
    m_deadline = elapsed() + total.count();
}

std::optional<ResponseTimers::ms> ResponseTimers::timeLeft() const
{
    if (m_deadline < 0)
        return std::nullopt;
    return ms(m_deadline - elapsed());
}

void ResponseTimers::connecting()
{
    m_readTimer.stop();
    if (m_connect.count() > 0)
        m_connectTimer.start(timerMsecs(m_connect.count()), m_owner);
}

void ResponseTimers::activity(bool connecting)
{
    if (connecting || m_read.count() <= 0)
        return; // while connecting the connect timeout runs instead
    m_lastActivity = elapsed();
    if (!m_readTimer.isActive())
        m_readTimer.start(timerMsecs(m_read.count()), m_owner);
}

void ResponseTimers::startRetry(ms delay) { m_retryTimer.start(timerMsecs(delay.count()), m_owner); }

void ResponseTimers::stopHop()
{
    m_connectTimer.stop();
    m_readTimer.stop();
}

void ResponseTimers::stopAll()
{
    stopHop();
    m_totalTimer.stop();
    m_retryTimer.stop();
}

ResponseTimers::Fired ResponseTimers::onTimerEvent(int timerId)
{
    if (timerId == m_readTimer.timerId()) {
        m_readTimer.stop();
        // Activity since the timer was armed moved the deadline: wait for the rest of it.
        const qint64 idle = elapsed() - m_lastActivity;
        if (idle < m_read.count()) {
            m_readTimer.start(timerMsecs(m_read.count() - idle), m_owner);
            return Fired::Nothing;
        }
        return Fired::Read;
    }
    if (timerId == m_connectTimer.timerId()) {
        m_connectTimer.stop();
        return Fired::Connect;
    }
    if (timerId == m_totalTimer.timerId()) {
        m_totalTimer.stop();
        return Fired::Total;
    }
    if (timerId == m_retryTimer.timerId()) {
        m_retryTimer.stop();
        return Fired::Retry;
    }
    return Fired::NotOurs;
}

} // namespace Courier
