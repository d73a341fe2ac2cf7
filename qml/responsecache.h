// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/ResponseCache>

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtQml/QJSValue>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqml.h>

namespace Courier::Qml {

/*!
    \c ResponseCache: a disk cache for the responses of HttpClients, as Courier::ResponseCache.

    \qml
    HttpClient {
        cache: ResponseCache { id: cache; maximumSize: 5 * 1024 * 1024 }
    }
    Button { text: "Empty the cache"; onClicked: cache.clear().then(() => console.log("gone")) }
    \endqml

    \c maximumSize is at most 10 MiB (the default); a larger or smaller value is clamped, with a
    warning. \c directory is read when the cache is made (at the end of the declaration, or when
    first used): a later change is refused with a warning. flush() and clear() (the platform's
    \c flush and \c delete) return Promises: flush() resolves with the bytes the cache holds
    afterwards; clear() resolves once the files are gone, and the cache serves and stores
    nothing from then on (a new ResponseCache is needed to cache again).

    A QObject of the QML engine's thread; owned by QML like any declared object. HttpClients do
    not own it: when it is destroyed, their requests go to the network.
*/
class ResponseCache : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT
    Q_PROPERTY(double maximumSize READ maximumSize WRITE setMaximumSize NOTIFY maximumSizeChanged)
    Q_PROPERTY(QString directory READ directory WRITE setDirectory NOTIFY directoryChanged)
    Q_PROPERTY(bool enabled READ isEnabled NOTIFY enabledChanged)
    Q_PROPERTY(double size READ size NOTIFY sizeChanged)

public:
    explicit ResponseCache(QObject *parent = nullptr);
    ~ResponseCache() override;

    double maximumSize() const;
    void setMaximumSize(double bytes);
    QString directory() const;
    void setDirectory(const QString &directory);
    bool isEnabled() const;
    /*! The bytes on disk when last flushed or cleared. */
    double size() const { return double(m_size); }

    /*! Whether a response for \a url is stored. */
    Q_INVOKABLE bool contains(const QUrl &url);
    /*! Removes the stored response for \a url; false when there was none. */
    Q_INVOKABLE bool remove(const QUrl &url);
    /*! Writes and bounds the cache; a Promise of the bytes it holds afterwards. */
    Q_INVOKABLE QJSValue flush();
    /*! Deletes the cache's files and disables it; a Promise resolved when done. */
    Q_INVOKABLE QJSValue clear();

    /*! The C++ cache, made when first needed. */
    Courier::ResponseCache *cache();

    /*!
        Whether the C++ cache can be made now: after the declaration completed (its bindings,
        \c directory among them, have their values), or once it was made anyway.
    */
    bool isReady() const { return m_cache || m_complete; }

    void classBegin() override { }
    void componentComplete() override
    {
        m_complete = true;
        cache();
    }

Q_SIGNALS:
    void maximumSizeChanged();
    void directoryChanged();
    void enabledChanged();
    void sizeChanged();

private:
    QJSValue resolved(const QJSValue &value);

    Courier::ResponseCache *m_cache = nullptr;
    bool m_complete = false;
    qint64 m_maximumSize = Courier::ResponseCache::DefaultMaximumSize;
    QString m_directory;
    qint64 m_size = 0;
};

} // namespace Courier::Qml
