// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkProxy>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
QT_END_NAMESPACE

// Which proxy a manager takes for a URL, as Qt's engine chooses it: the libcurl engine configures
// the same one, and Courier names it when it fails.
namespace Courier::Proxies {

/*!
    The proxies \a manager would try for \a query now, best first: its own proxy when it has one,
    else its proxy factory's answer, else the application's (QNetworkProxyFactory).
*/
QList<QNetworkProxy> query(const QNetworkAccessManager *manager, const QNetworkProxyQuery &query);
/*! The first of query() for \a url; NoProxy when \a manager is null or there is none. */
QNetworkProxy forUrl(const QNetworkAccessManager *manager, const QUrl &url);
/*! Whether \a proxy is an HTTP or SOCKS5 proxy, the kinds both engines go through. */
bool isProxy(const QNetworkProxy &proxy);
/*! Whether \a proxy is an HTTP proxy (caching or not). */
bool isHttpProxy(const QNetworkProxy &proxy);
/*! "host:port" of \a proxy, as Url::hostAndPort() names a server. */
QString hostAndPort(const QNetworkProxy &proxy);

} // namespace Courier::Proxies
