// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QByteArray>
#include <QtNetwork/QNetworkReply>

// Status-code rules both engines and the Response apply, written once.
namespace Courier::StatusRules {

/*! The Qt error for an HTTP status, as Qt 6 derives it (statusCodeFromHttp in qtbase). */
QNetworkReply::NetworkError qtError(int status);
/*! Whether Courier follows a response with \a status and a Location: 301, 302, 303, 307, 308. */
bool isFollowedRedirect(int status);
/*!
    Whether the response to \a method with \a status has no body whatever its headers say
    (RFC 9110 section 6.4.1): HEAD, 1xx, 204, 304.
*/
bool hasNoBody(const QByteArray &method, int status);

} // namespace Courier::StatusRules
