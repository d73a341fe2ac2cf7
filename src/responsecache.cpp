// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "responsecache_p.h"

#include "logging_p.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>

namespace Courier {

ResponseCache::ResponseCache(QObject *parent)
    : ResponseCache(DefaultMaximumSize, QString(), parent)
{
}

ResponseCache::ResponseCache(qint64 maximumSize, const QString &directory, QObject *parent)
    : QObject(parent)
    , d_ptr(new ResponseCachePrivate)
{
    Q_D(ResponseCache);
    d->disk = new DiskCache(this);
    d->disk->setCacheDirectory(directory.isEmpty() ? defaultDirectory() : directory);
    setMaximumSize(maximumSize);
}

ResponseCache::~ResponseCache() = default;

QString ResponseCache::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/courier");
}

qint64 ResponseCache::maximumSize() const { return d_func()->disk->maximumCacheSize(); }

void ResponseCache::setMaximumSize(qint64 bytes)
{
    Q_D(ResponseCache);
    const qint64 clamped = std::clamp<qint64>(bytes, 1, MaximumSize);
    if (clamped != bytes)
        qCWarning(lcClient) << "response cache size" << bytes << "is out of range 1 to" << MaximumSize << "; using"
                            << clamped;
    if (clamped == d->disk->maximumCacheSize())
        return;
    d->disk->setMaximumCacheSize(clamped); // removes entries at once when it shrinks
    Q_EMIT maximumSizeChanged();
}

QString ResponseCache::directory() const { return d_func()->disk->cacheDirectory(); }
qint64 ResponseCache::size() const { return d_func()->disk->cacheSize(); }
bool ResponseCache::isEnabled() const { return d_func()->enabled; }
bool ResponseCache::contains(const QUrl &url) const { return d_func()->disk->metaData(url).isValid(); }
bool ResponseCache::remove(const QUrl &url) { return d_func()->disk->remove(url); }

void ResponseCache::flush()
{
    Q_D(ResponseCache);
    const qint64 size = d->disk->enforceBound();
    qCDebug(lcClient) << "response cache flushed:" << size << "bytes in" << directory();
}

void ResponseCache::clear()
{
    Q_D(ResponseCache);
    d->disk->clear();
    if (!d->enabled)
        return;
    d->enabled = false;
    Q_EMIT enabledChanged();
}

QAbstractNetworkCache *ResponseCache::networkCache() const
{
    Q_D(const ResponseCache);
    return d->enabled ? d->disk : nullptr;
}

CacheAdapter::CacheAdapter(QObject *parent)
    : QAbstractNetworkCache(parent)
{
}

QAbstractNetworkCache *CacheAdapter::current() const { return m_target ? m_target->networkCache() : nullptr; }

QNetworkCacheMetaData CacheAdapter::metaData(const QUrl &url)
{
    QAbstractNetworkCache *cache = current();
    return cache ? cache->metaData(url) : QNetworkCacheMetaData();
}

void CacheAdapter::updateMetaData(const QNetworkCacheMetaData &metaData)
{
    if (QAbstractNetworkCache *cache = current())
        cache->updateMetaData(metaData);
}

QIODevice *CacheAdapter::data(const QUrl &url)
{
    QAbstractNetworkCache *cache = current();
    return cache ? cache->data(url) : nullptr;
}

bool CacheAdapter::remove(const QUrl &url)
{
    QAbstractNetworkCache *cache = current();
    return cache && cache->remove(url);
}

qint64 CacheAdapter::cacheSize() const
{
    QAbstractNetworkCache *cache = current();
    return cache ? cache->cacheSize() : 0;
}

QIODevice *CacheAdapter::prepare(const QNetworkCacheMetaData &metaData)
{
    QAbstractNetworkCache *cache = current();
    QIODevice *device = cache ? cache->prepare(metaData) : nullptr;
    if (device)
        m_preparing.insert(device, {cache, metaData.url()});
    return device;
}

void CacheAdapter::insert(QIODevice *device)
{
    const Preparing preparing = m_preparing.take(device);
    if (!preparing.cache)
        return; // its cache is gone, and the device with it
    if (preparing.cache == current())
        preparing.cache->insert(device);
    else
        preparing.cache->remove(preparing.url); // cleared or replaced meanwhile: not stored
}

void CacheAdapter::clear()
{
    if (QAbstractNetworkCache *cache = current())
        cache->clear();
}

} // namespace Courier
