// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QUrl>

#include <memory>

QT_BEGIN_NAMESPACE
class QAbstractNetworkCache;
QT_END_NAMESPACE

namespace Courier {

class ResponseCachePrivate;

/*!
    \class Courier::ResponseCache
    \brief A size-bounded disk cache for responses, on QNetworkDiskCache, used by Clients.

    Give it to a Client (Client::setCache()) and the Client's requests use it, unless a request
    says otherwise (Request::setUsingCache(false)). Qt's HTTP caching rules apply (RFC 9111 as
    Qt 6.4 implements it):
    - a fresh stored response (Cache-Control max-age, Expires, or a heuristic from
        Last-Modified) is served without contacting the server;
    - a stale one, or one stored with `Cache-Control: no-cache`, is revalidated: the request
        carries If-None-Match (its ETag) and If-Modified-Since (its Last-Modified), and a 304 Not
        Modified serves the stored body. Response::fromCache() tells when a body came from here;
        statusCode() is then the stored status (200), not 304;
    - a response with `Cache-Control: no-store`, or `private`, is never stored.

    The cache is bounded: maximumSize() bytes on disk, at most MaximumSize (10 MiB, also the
    default, as the platform API Courier follows defines it); the least recently used entries
    go first when it is full.

    clear() is the platform's \c delete: the cache stops serving and storing, and its files are
    removed. A new ResponseCache is needed to cache again.

    ### Ownership and threads

    A QObject of the thread it lives in, owned by the application (or its parent).
    Client::setCache() does not take ownership: when the cache is destroyed, the Client's
    requests simply go to the network. Two ResponseCaches must not share a directory.
*/
class COURIER_EXPORT ResponseCache : public QObject
{
    Q_OBJECT
    Q_PROPERTY(qint64 maximumSize READ maximumSize WRITE setMaximumSize NOTIFY maximumSizeChanged)
    Q_PROPERTY(QString directory READ directory CONSTANT)
    Q_PROPERTY(bool enabled READ isEnabled NOTIFY enabledChanged)

public:
    /*! The default, and largest, maximumSize(): 10 MiB. */
    static constexpr qint64 DefaultMaximumSize = 10 * 1024 * 1024;
    /*! The largest maximumSize() accepted: DefaultMaximumSize. */
    static constexpr qint64 MaximumSize = DefaultMaximumSize;

    /*! A cache of DefaultMaximumSize in defaultDirectory(). */
    explicit ResponseCache(QObject *parent = nullptr);
    /*!
        A cache of \a maximumSize bytes (clamped to 1 byte … MaximumSize, with a warning) in
        \a directory, created when needed; an empty \a directory means defaultDirectory().
    */
    explicit ResponseCache(qint64 maximumSize, const QString &directory = QString(), QObject *parent = nullptr);
    ~ResponseCache() override;

    /*! "courier" under QStandardPaths::CacheLocation. */
    static QString defaultDirectory();

    /*! The most bytes the cache keeps on disk, from 1 to MaximumSize. */
    qint64 maximumSize() const;
    /*! Changes the bound; entries are removed at once when the cache holds more. */
    void setMaximumSize(qint64 bytes);
    /*! The cache's directory (the constructor's, or defaultDirectory()), as QNetworkDiskCache gives it. */
    QString directory() const;
    /*! The bytes the cache uses on disk now. */
    qint64 size() const;
    /*! False after clear(). */
    bool isEnabled() const;

    /*! Whether a response for \a url is stored. */
    bool contains(const QUrl &url) const;
    /*! Removes the stored response for \a url; false when there was none. */
    bool remove(const QUrl &url);

    /*!
        Makes sure everything the cache holds is on disk and within maximumSize(). Each
        response is written when it completes, so this removes the entries over the bound and
        brings size() up to date; responses still arriving are written when they complete.
    */
    void flush();
    /*!
        Disables the cache and deletes its files (the platform's \c delete): requests go to the
        network from now on, also those of Clients still using it.
    */
    void clear();

    /*! The QAbstractNetworkCache behind it, for the Client (not to be installed elsewhere). */
    QAbstractNetworkCache *networkCache() const;

Q_SIGNALS:
    /*! Emitted when maximumSize() changes. */
    void maximumSizeChanged();
    /*! Emitted when isEnabled() changes, that is when clear() disables the cache. */
    void enabledChanged();

private:
    Q_DECLARE_PRIVATE(ResponseCache)
    std::unique_ptr<ResponseCachePrivate> const d_ptr;
};

} // namespace Courier
