// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "proxy_p.h"

#include <QtNetwork/QHostAddress>
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

namespace {
// Qt takes no proxy of the application's for a loopback host: QGlobalNetworkProxy::proxyForQuery()
// answers NoProxy before it looks at them, and the same test here spares its lock and lists.
bool isLoopbackHost(const QUrl &url)
{
    const QString host = url.host();
    if (host == QLatin1String("localhost") || host.startsWith(QLatin1String("localhost.")))
        return true;
    // An address starts with a digit (IPv4) or has a colon (IPv6): a name is none.
    if (host.isEmpty() || !(host.front().isDigit() || host.contains(QLatin1Char(':'))))
        return false;
    return QHostAddress(host).isLoopback();
}
} // namespace

QNetworkProxy forUrl(const QNetworkAccessManager *manager, const QUrl &url)
{
    if (manager && manager->proxy().type() == QNetworkProxy::DefaultProxy && !manager->proxyFactory()
        && isLoopbackHost(url))
        return QNetworkProxy(QNetworkProxy::NoProxy);
    const QList<QNetworkProxy> proxies = query(manager, QNetworkProxyQuery(url));
    return proxies.isEmpty() ? QNetworkProxy(QNetworkProxy::NoProxy) : proxies.first();
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
