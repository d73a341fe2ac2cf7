// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Content-Type values: the charset (a token or a quoted-string, RFC 9110 section 5.6.4) and the
// media type Courier reads from them. No crash; both come out lower-case, and the media type has
// no parameters.
#include "headers_p.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QByteArray charset = Courier::Headers::charsetOf(bytes);
    const QByteArray type = Courier::Headers::mimeTypeOf(bytes);
    if (charset != charset.toLower() || type != type.toLower() || type.contains(';'))
        std::abort();
    return 0;
}
