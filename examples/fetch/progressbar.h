// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QString>

#include <cstdio>

// A one-line progress bar for a terminal: bytes, rate and time left when the total is known,
// a bouncing indicator when it is not. Redraws at most ten times a second.
class ProgressBar
{
public:
    explicit ProgressBar(std::FILE *out);

    void update(qint64 done, qint64 total, bool force = false);
    /*! Draws the final state and ends the line. */
    void finish(qint64 done, qint64 total);

    static QString formatBytes(double bytes);

private:
    void draw(qint64 done, qint64 total);

    std::FILE *m_out;
    QElapsedTimer m_clock;
    qint64 m_lastDraw = -1000;
    int m_bounce = 0;
    bool m_drawn = false;
};
