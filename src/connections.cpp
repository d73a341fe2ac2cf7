// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "connections_p.h"

#include "logging_p.h"
#include "url_p.h"

#include <QtCore/QStringList>
#include <QtCore/QVariant>
#include <QtNetwork/QHostAddress>

#include <atomic>

namespace Courier::Connections {

namespace {

QByteArray generationKey(const QUrl &url)
{
    return "_courier_connections:" + (url.scheme() + QLatin1String("://") + Url::hostAndPort(url)).toUtf8();
}

// Whether any manager's connections were ever retired. Until then every generation is 0, and
// each request skips looking up a property by a key built from its URL.
std::atomic<bool> anyRetired{false};

int connectionGeneration(const QObject *manager, const QUrl &url)
{
    if (!manager || !anyRetired.load(std::memory_order_relaxed))
        return 0;
    return manager->property(generationKey(url).constData()).toInt();
}

// The spellings of an address that Qt reads as that address, numbered from 0 (the shortest):
// IPv4 octets below 8 padded with zeros (a leading zero is octal, so only those keep their
// value), IPv6 groups padded to four hex digits. Empty past the last.
QString addressSpelling(const QHostAddress &address, int index)
{
    QStringList parts;
    const auto take = [&index](int value, int base, int widest, int shortest) {
        const int choices = widest - shortest + 1;
        const int width = shortest + index % choices;
        index /= choices;
        return QString::number(value, base).rightJustified(width, QLatin1Char('0'));
    };
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        const quint32 ip = address.toIPv4Address();
        for (int shift = 24; shift >= 0; shift -= 8) {
            const int octet = int((ip >> shift) & 0xff);
            const int digits = 1 + (octet >= 10) + (octet >= 100);
            parts.append(take(octet, 10, octet < 8 ? 3 : digits, digits));
        }
        return index == 0 ? parts.join(QLatin1Char('.')) : QString();
    }
    const Q_IPV6ADDR ip = address.toIPv6Address();
    for (int group = 0; group < 8; ++group) {
        const int value = ip[2 * group] << 8 | ip[2 * group + 1];
        const int digits = QString::number(value, 16).size();
        parts.append(take(value, 16, 4, digits));
    }
    return index == 0 && address.scopeId().isEmpty() ? parts.join(QLatin1Char(':')) : QString();
}

// The name Qt verifies the certificate of \a url's server against.
QString nameToVerify(const TlsOptions &tls, const QUrl &url)
{
    return tls.peerVerifyName().isEmpty() ? url.host() : tls.peerVerifyName();
}

// The peer verify name of generation \a generation for \a url, whose name to verify is \a name;
// empty for the first generation, or when no other spelling of the name is left.
QString peerNameOfGeneration(const QUrl &url, const QString &name, int generation)
{
    if (generation <= 0)
        return {};
    if (url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) != 0)
        return QStringLiteral("courier-connection-%1").arg(generation);
    const QHostAddress address(name);
    if (!address.isNull()) {
        // Generation 1 names the literal itself (the cache's first key has no name at all).
        return generation == 1 ? name : addressSpelling(address, generation - 1);
    }
    QString spelled = name.toLower();
    int bit = 0;
    for (QChar &c : spelled) {
        if (!c.isLetter())
            continue;
        if (generation & (1 << bit))
            c = c.toUpper();
        if (++bit >= 30)
            break;
    }
    return (generation >> bit) == 0 ? spelled : QString();
}

} // namespace

int generation(const QObject *manager, const QUrl &url) { return connectionGeneration(manager, url); }

QString peerNameOf(const QUrl &url, const TlsOptions &tls, int generation)
{
    if (generation <= 0)
        return {}; // every request but those after a retired connection: no name to work out
    return peerNameOfGeneration(url, nameToVerify(tls, url), generation);
}

bool retire(QObject *manager, const QUrl &url, const TlsOptions &tls, int current)
{
    if (!manager || connectionGeneration(manager, url) != current)
        return true; // already retired, by another request that failed on it
    if (peerNameOf(url, tls, current + 1).isEmpty()) {
        qCWarning(lcResponse) << "no new connection can be had for" << Url::redacted(url)
                              << ": Qt 6.4 may use the one just given up on again";
        return false;
    }
    qCDebug(lcResponse) << "connections to" << Url::hostAndPort(url) << "given up on: generation" << current + 1;
    anyRetired.store(true, std::memory_order_relaxed);
    manager->setProperty(generationKey(url).constData(), current + 1);
    return true;
}

} // namespace Courier::Connections
