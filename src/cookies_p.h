// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtNetwork/QNetworkCookie>

// How cookies go into a request and come out of a response, the same on both engines.
namespace Courier::Cookies {

/*!
    The Cookie header for a request: \a own (the application's Cookie header, maybe empty), then
    \a cookies as name=value pairs, joined with "; " (RFC 6265 section 5.4).
*/
QByteArray requestHeader(const QByteArray &own, const QList<QNetworkCookie> &cookies);
/*!
    The cookies a Set-Cookie value sets, repeated fields joined with '\n' as Qt joins them; a bare
    CR or NUL inside one is a space, not a line break of the server's choosing.
*/
QList<QNetworkCookie> fromSetCookie(const QByteArray &value);

} // namespace Courier::Cookies
