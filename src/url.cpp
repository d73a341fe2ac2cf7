// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "url_p.h"

namespace Courier::Url {

bool isHttps(const QUrl &url)
{
    const QString scheme = url.scheme();
    return scheme.size() == 5 && scheme.compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
}

int defaultPort(const QUrl &url) { return isHttps(url) ? 443 : 80; }

int effectivePort(const QUrl &url) { return url.port(defaultPort(url)); }

QString hostAndPort(const QUrl &url) { return url.host() + QLatin1Char(':') + QString::number(effectivePort(url)); }

QString origin(const QUrl &url)
{
    const QString host = url.host(QUrl::FullyEncoded);
    const QString authority = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return url.scheme().toLower() + QLatin1String("://") + authority + QLatin1Char(':')
        + QString::number(effectivePort(url));
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0
        && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && effectivePort(a) == effectivePort(b);
}

QString redacted(const QUrl &url) { return url.toDisplayString(QUrl::RemoveUserInfo); }

QByteArray encodeQuery(const QList<QPair<QString, QString>> &items)
{
    QByteArray out;
    for (const auto &[key, value] : items) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key);
        out += '=';
        out += QUrl::toPercentEncoding(value);
    }
    return out;
}

QUrl withQuery(const QUrl &url, const QUrlQuery &query)
{
    if (query.isEmpty())
        return url;
    QUrl folded = url;
    QByteArray encoded = folded.query(QUrl::FullyEncoded).toLatin1();
    if (!encoded.isEmpty())
        encoded += '&';
    encoded += encodeQuery(query.queryItems(QUrl::FullyDecoded));
    folded.setQuery(QString::fromLatin1(encoded), QUrl::TolerantMode);
    return folded;
}

} // namespace Courier::Url
