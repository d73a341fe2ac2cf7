// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "progressbar.h"

#include <QtCore/QByteArray>

ProgressBar::ProgressBar(std::FILE *out)
    : m_out(out)
{
    m_clock.start();
}

QString ProgressBar::formatBytes(double bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (bytes >= 1024.0 && unit < 4) {
        bytes /= 1024.0;
        ++unit;
    }
    return QString::number(bytes, 'f', unit == 0 ? 0 : 1) + QLatin1Char(' ') + QLatin1String(units[unit]);
}

void ProgressBar::update(qint64 done, qint64 total, bool force)
{
    const qint64 now = m_clock.elapsed();
    if (!force && now - m_lastDraw < 100)
        return;
    m_lastDraw = now;
    draw(done, total);
}

void ProgressBar::finish(qint64 done, qint64 total)
{
    draw(done, total);
    if (m_drawn)
        std::fputc('\n', m_out);
    std::fflush(m_out);
}

void ProgressBar::draw(qint64 done, qint64 total)
{
    constexpr int width = 30;
    const double seconds = std::max<double>(m_clock.elapsed(), 1) / 1000.0;
    const double rate = double(done) / seconds;
    QString bar;
    QString tail;
    if (total > 0) {
        const double fraction = std::min(1.0, double(done) / double(total));
        const int filled = int(fraction * width);
        bar = QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('.'));
        const double left = rate > 0 ? double(total - done) / rate : 0;
        tail = QStringLiteral("%1% %2 / %3  %4/s  ETA %5s")
                   .arg(int(fraction * 100), 3)
                   .arg(formatBytes(double(done)), formatBytes(double(total)), formatBytes(rate))
                   .arg(qint64(left + 0.5));
    } else {
        // Unknown total: a marker bouncing across the bar.
        const int span = width - 3;
        const int step = m_bounce++ % (2 * span);
        const int pos = step < span ? step : 2 * span - step;
        bar = QString(pos, QLatin1Char(' ')) + QStringLiteral("<=>") + QString(span - pos, QLatin1Char(' '));
        tail = QStringLiteral("     %1  %2/s").arg(formatBytes(double(done)), formatBytes(rate));
    }
    const QByteArray line = (QStringLiteral("\r[") + bar + QStringLiteral("] ") + tail + QStringLiteral("\x1b[K"))
                                .toUtf8();
    std::fwrite(line.constData(), 1, size_t(line.size()), m_out);
    std::fflush(m_out);
    m_drawn = true;
}
