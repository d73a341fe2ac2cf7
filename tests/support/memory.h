// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// The process's own memory, from /proc (Linux): how much a test's Response made it hold.

#include <QtCore/QByteArray>
#include <QtCore/QFile>

namespace Courier::Test {

/*! A field of /proc/self/status in KiB ("VmRSS", "VmHWM"), -1 when it cannot be read. */
inline qint64 statusKiB(const QByteArray &field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(QByteArray(field + ':')))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

/*! Starts a new peak: VmHWM becomes the current RSS (Linux 4.0 and later). */
inline bool resetPeakRss()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    return f.open(QIODevice::WriteOnly) && f.write("5") == 1;
}

} // namespace Courier::Test
