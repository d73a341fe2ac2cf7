// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "proxy_p.h"

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxyFactory>

namespace Courier::Proxies {

QList<QNetworkProxy> query(const QNetworkAccessManager *manager, const QNetworkProxyQuery &query)
{
    if (!manager)
        return {QNetworkProxy(QNetworkProxy::NoProxy)};
    if (manager->proxy().type() != QNetworkProxy::DefaultProxy)
        return {manager->proxy()};
    if (QNetworkProxyFactory *factory = manager->proxyFactory())
        return factory->queryProxy(query);
    return QNetworkProxyFactory::proxyForQuery(query);
}

QNetworkProxy forUrl(const QNetworkAccessManager *manager, const QUrl &url)
{
    return query(manager, QNetworkProxyQuery(url)).value(0, QNetworkProxy(QNetworkProxy::NoProxy));
}

bool isHttpProxy(const QNetworkProxy &proxy)
{
    return proxy.type() == QNetworkProxy::HttpProxy || proxy.type() == QNetworkProxy::HttpCachingProxy;
}

bool isProxy(const QNetworkProxy &proxy) { return isHttpProxy(proxy) || proxy.type() == QNetworkProxy::Socks5Proxy; }

QString hostAndPort(const QNetworkProxy &proxy)
{
    return proxy.hostName() + QLatin1Char(':') + QString::number(proxy.port());
}

} // namespace Courier::Proxies
