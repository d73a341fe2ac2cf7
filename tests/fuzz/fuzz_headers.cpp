// Header names, values and method tokens as Courier validates them, and its splitting of header
// values into list elements: no crash, and what is accepted can never carry CR, LF or NUL.
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
    return 0;
}
