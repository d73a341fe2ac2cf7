// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/responsecache.h"

#include <QtCore/QPointer>
#include <QtNetwork/QAbstractNetworkCache>
#include <QtNetwork/QNetworkDiskCache>

namespace Courier {

/*! QNetworkDiskCache that can be brought back within its bound, for ResponseCache::flush(). */
class DiskCache : public QNetworkDiskCache
{
    Q_OBJECT
public:
    using QNetworkDiskCache::QNetworkDiskCache;
    /*!
        Qt expires entries before storing a new one, so the cache can pass its bound by the last
        entry stored; expire() alone does not record the size it leaves. Shrinking the bound does
        both; it is put back at once.
    */
    qint64 enforceBound()
    {
        const qint64 bound = maximumCacheSize();
        setMaximumCacheSize(bound - 1);
        setMaximumCacheSize(bound);
        return cacheSize();
    }
};

class ResponseCachePrivate
{
public:
    DiskCache *disk = nullptr; // child of the ResponseCache
    bool enabled = true;
};

/*!
    What a Client installs in its QNetworkAccessManager (which owns it): forwards to the Client's
    ResponseCache while it exists and is enabled, and otherwise caches nothing. The manager can
    thus outlive the ResponseCache, and the cache can be changed without Qt deleting it.
*/
class CacheAdapter : public QAbstractNetworkCache
{
    Q_OBJECT
public:
    explicit CacheAdapter(QObject *parent = nullptr);

    void setTarget(ResponseCache *cache) { m_target = cache; }
    ResponseCache *target() const { return m_target; }

    QNetworkCacheMetaData metaData(const QUrl &url) override;
    void updateMetaData(const QNetworkCacheMetaData &metaData) override;
    QIODevice *data(const QUrl &url) override;
    bool remove(const QUrl &url) override;
    qint64 cacheSize() const override;
    QIODevice *prepare(const QNetworkCacheMetaData &metaData) override;
    void insert(QIODevice *device) override;
    void clear() override;

private:
    QAbstractNetworkCache *current() const;

    QPointer<ResponseCache> m_target;
    // Which cache prepared each device being written, so that insert() goes to the same one.
    struct Preparing
    {
        QPointer<QAbstractNetworkCache> cache;
        QUrl url;
    };
    QHash<QIODevice *, Preparing> m_preparing;
};

} // namespace Courier
