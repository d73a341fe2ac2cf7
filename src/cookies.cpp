// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "cookies_p.h"

#include "headers_p.h"

namespace Courier::Cookies {

QByteArray requestHeader(const QByteArray &own, const QList<QNetworkCookie> &cookies)
{
    QByteArray header = own;
    for (const QNetworkCookie &cookie : cookies) {
        if (!header.isEmpty())
            header += "; ";
        header += cookie.toRawForm(QNetworkCookie::NameAndValueOnly);
    }
    return header;
}

QList<QNetworkCookie> fromSetCookie(const QByteArray &value)
{
    return QNetworkCookie::parseCookies(Headers::withoutBareCarriageReturns(value));
}

} // namespace Courier::Cookies
