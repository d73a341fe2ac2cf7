// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Header names, values and method tokens as Courier validates them, its splitting of header
// values into list elements, and its check of a response's Content-Length: no crash, what is
// accepted can never carry CR, LF or NUL, and an accepted Content-Length is one number.
#include "headers_p.h"

#include <Courier/Request>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const bool value = Courier::isValidHeaderValue(bytes);
    const bool name = Courier::isValidHeaderName(bytes);
    const bool method = Courier::isValidMethod(bytes);
    const bool control = bytes.contains('\r') || bytes.contains('\n') || bytes.contains('\0');
    if (control && (value || name || method))
        std::abort(); // a header that could split the request was accepted
    if ((name || method) && (bytes.isEmpty() || bytes.contains(' ') || bytes.contains(':')))
        std::abort(); // tokens have no spaces or colons
    for (const char *field : {"Accept", "Set-Cookie", "Cache-Control"}) {
        for (const QByteArray &element : Courier::Headers::splitValues(field, bytes)) {
            if (element.isEmpty() || element != element.trimmed())
                std::abort(); // list elements are trimmed and never empty
        }
    }
    if (Courier::Headers::splitValues("Location", bytes) != QList<QByteArray>{bytes})
        std::abort(); // a field that is not a list is its value, whole

    using Courier::Headers::framingProblem;
    if (!framingProblem(bytes, false, true).isEmpty() || framingProblem(bytes, true, true).isEmpty())
        std::abort(); // no Content-Length is no problem; one beside Transfer-Encoding always is
    if (framingProblem(bytes, true, false).isEmpty()) {
        // Accepted: every element is the same run of digits, a length that fits in 63 bits.
        const QList<QByteArray> elements = bytes.split(',');
        bool ok = false;
        const qint64 length = elements.first().trimmed().toLongLong(&ok);
        if (!ok || length < 0)
            std::abort();
        for (const QByteArray &element : elements) {
            if (element.trimmed() != elements.first().trimmed() || element.trimmed().startsWith('+'))
                std::abort();
        }
    }
    return 0;
}
