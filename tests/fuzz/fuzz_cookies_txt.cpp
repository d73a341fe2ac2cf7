// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// curl's cookies.txt format as CookieJar reads it: no crash, and what it reads survives a round
// trip through what it writes (load -> save -> load gives the same cookies).
#include <Courier/CookieJar>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    bool ok = false;
    QString error;
    const QList<QNetworkCookie> cookies = Courier::CookieJar::fromNetscapeFormat(bytes, &error, &ok);
    if (!ok) {
        if (error.isEmpty() || !cookies.isEmpty())
            std::abort(); // a refusal says why and gives nothing
        return 0;
    }
    bool again = false;
    const QList<QNetworkCookie> back = Courier::CookieJar::fromNetscapeFormat(
        Courier::CookieJar::toNetscapeFormat(cookies), nullptr, &again);
    if (!again || back.size() != cookies.size())
        std::abort();
    for (qsizetype i = 0; i < cookies.size(); ++i) {
        const QNetworkCookie &a = cookies.at(i);
        const QNetworkCookie &b = back.at(i);
        if (a.name() != b.name() || a.value() != b.value() || a.domain() != b.domain() || a.path() != b.path()
            || a.isSecure() != b.isSecure() || a.isHttpOnly() != b.isHttpOnly()
            || a.isSessionCookie() != b.isSessionCookie())
            std::abort();
    }
    return 0;
}
