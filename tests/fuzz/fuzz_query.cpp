// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Query building: items (key=value pairs split from the input at NUL and '=') encoded by Courier.
// No crash; the result holds only unreserved characters, percent escapes, '=' and '&'; and Qt
// decodes it back to the same items (Qt turns Unicode noncharacters into U+FFFD when decoding, so
// items holding one are not compared).
#include "url_p.h"

#include <QtCore/QUrlQuery>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QList<QPair<QString, QString>> items;
    for (const QByteArray &part : bytes.split('\0')) {
        const qsizetype eq = part.indexOf('=');
        items.append({QString::fromUtf8(eq < 0 ? part : part.left(eq)),
                      QString::fromUtf8(eq < 0 ? QByteArray() : part.mid(eq + 1))});
    }
    const QByteArray encoded = Courier::Url::encodeQuery(items);
    for (const char c : encoded) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
            || c == '.' || c == '_' || c == '~';
        if (!unreserved && c != '%' && c != '=' && c != '&')
            std::abort();
    }
    const auto noncharacter = [](const QString &text) {
        for (const char32_t c : text.toUcs4()) {
            if ((c & 0xFFFE) == 0xFFFE || (c >= 0xFDD0 && c <= 0xFDEF))
                return true;
        }
        return false;
    };
    bool comparable = true;
    for (const auto &item : std::as_const(items))
        comparable = comparable && !item.first.isEmpty() && !noncharacter(item.first) && !noncharacter(item.second);
    if (comparable) {
        const QUrlQuery decoded(QString::fromLatin1(encoded));
        if (decoded.queryItems(QUrl::FullyDecoded) != items)
            std::abort();
    }
    return 0;
}
