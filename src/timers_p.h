// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "outcome_p.h"

#include <QtCore/QBasicTimer>
#include <QtCore/QElapsedTimer>

#include <chrono>
#include <optional>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace Courier {

/*!
    The clock and the four timers of one Response: connect, read (from the last activity),
    total, and the wait before a retry. Plain timer ids (QBasicTimer, events to the owner's
    timerEvent()): four QTimer objects per Response, restarted on every chunk, cost more than
    the rest of Courier's own work. The read timer is re-armed lazily: activity only moves its
    deadline, and onTimerEvent() waits for the rest of it.
*/
class ResponseTimers
{
public:
    using ms = std::chrono::milliseconds;

    /*! What a timer event meant. */
    enum class Fired { NotOurs, Nothing, Connect, Read, Total, Retry };

    /*! Starts the clock for timers of \a owner with these timeouts (0: none). */
    void start(QObject *owner, ms connect, ms read);
    /*! Starts the total timeout when \a total is over 0. */
    void startTotal(ms total);
    /*! Milliseconds since start(). */
    qint64 elapsed() const { return m_clock.isValid() ? m_clock.elapsed() : 0; }
    /*! Time left before the total timeout; nothing when none runs. */
    std::optional<ms> timeLeft() const;

    /*! A connection is being opened: the connect timeout runs, the read timeout waits. */
    void connecting();
    /*! The connection is up: the connect timeout stops. */
    void connected() { m_connectTimer.stop(); }
    /*! Bytes moved: the read timeout counts from now (not while connecting). */
    void activity(bool connecting);
    /*! The application, not the server, is behind: the read timeout stops until activity(). */
    void pauseRead() { m_readTimer.stop(); }
    void startRetry(ms delay);
    /*! Stops every timer but the total one: between attempts. */
    void stopHop();
    void stopAll();

    Fired onTimerEvent(int timerId);

private:
    QObject *m_owner = nullptr;
    ms m_connect{0};
    ms m_read{0};
    QElapsedTimer m_clock;
    qint64 m_lastActivity = 0;
    qint64 m_deadline = -1; // clock time the total timeout ends at, -1 without one
    QBasicTimer m_connectTimer;
    QBasicTimer m_readTimer;
    QBasicTimer m_totalTimer;
    QBasicTimer m_retryTimer;
};

} // namespace Courier
