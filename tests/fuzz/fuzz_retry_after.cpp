// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Retry-After values and HTTP-dates: no crash; a wait is never below -1 (not a value), and
// delta-seconds never beyond the 68 years the parser clamps them to (a date may be further).
#include "headers_p.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    static const QDateTime now(QDate(2026, 11, 22), QTime(6, 0), Qt::UTC);
    const qint64 wait = Courier::Headers::retryAfterMsecs(bytes, now);
    if (wait < -1)
        std::abort();
    const QByteArray trimmed = bytes.trimmed();
    const bool digits = !trimmed.isEmpty()
        && std::all_of(trimmed.cbegin(), trimmed.cend(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits && wait > qint64(std::numeric_limits<int>::max()) * 1000)
        std::abort();
    const QDateTime date = Courier::Headers::parseHttpDate(bytes);
    if (date.isValid() && date.timeSpec() != Qt::UTC)
        std::abort();
    return 0;
}
