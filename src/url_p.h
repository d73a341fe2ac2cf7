// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QString>
#include <QtCore/QUrl>
#include <QtCore/QUrlQuery>

// The URL rules every layer of Courier shares, the libcurl engine included: one definition of
// an origin, a default port and how a URL is shown. Pure functions of their arguments.
namespace Courier::Url {

/*! Whether \a url's scheme is https (in any case). */
bool isHttps(const QUrl &url);
/*! The port \a url's scheme implies: 443 for https, 80 otherwise. */
int defaultPort(const QUrl &url);
/*! \a url's port, or its scheme's default one. */
int effectivePort(const QUrl &url);
/*! "host:port", the port always given: how messages name a server. */
QString hostAndPort(const QUrl &url);
/*! "scheme://host:port" with the scheme lower-cased, an IPv6 host in brackets and the port always given. */
QString origin(const QUrl &url);
/*! Whether \a a and \a b have the same origin: scheme, host and effective port (RFC 6454). */
bool sameOrigin(const QUrl &a, const QUrl &b);
/*! \a url as it may appear in logs and error messages: without user name and password. */
QString redacted(const QUrl &url);
/*! \a items encoded for a URL: every byte but RFC 3986 unreserved characters percent-encoded. */
QByteArray encodeQuery(const QList<QPair<QString, QString>> &items);
/*! \a url with \a query's items appended to its own query, encoded as encodeQuery() does. */
QUrl withQuery(const QUrl &url, const QUrlQuery &query);

} // namespace Courier::Url
