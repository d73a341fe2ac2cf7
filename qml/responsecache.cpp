// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "responsecache.h"

#include <QtQml/QJSEngine>
#include <QtQml/qqmlinfo.h>

#include <cmath>

namespace Courier::Qml {

ResponseCache::ResponseCache(QObject *parent)
    : QObject(parent)
{
}

ResponseCache::~ResponseCache() = default;

Courier::ResponseCache *ResponseCache::cache()
{
    if (!m_cache) {
        m_cache = new Courier::ResponseCache(m_maximumSize, m_directory, this);
        connect(m_cache, &Courier::ResponseCache::enabledChanged, this, &ResponseCache::enabledChanged);
        const qint64 before = m_size;
        m_size = m_cache->size();
        if (m_size != before)
            Q_EMIT sizeChanged();
        if (m_directory.isEmpty()) {
            m_directory = m_cache->directory();
            Q_EMIT directoryChanged();
        }
    }
    return m_cache;
}

double ResponseCache::maximumSize() const { return double(m_cache ? m_cache->maximumSize() : m_maximumSize); }

void ResponseCache::setMaximumSize(double bytes)
{
    const qint64 wanted = std::isfinite(bytes) ? qint64(bytes) : Courier::ResponseCache::MaximumSize;
    const qint64 clamped = std::clamp<qint64>(wanted, 1, Courier::ResponseCache::MaximumSize);
    if (clamped != wanted)
        qmlWarning(this) << "maximumSize " << wanted << " is out of range 1 to " << Courier::ResponseCache::MaximumSize
                         << "; using " << clamped;
    if (clamped == qint64(maximumSize()))
        return;
    m_maximumSize = clamped;
    if (m_cache)
        m_cache->setMaximumSize(clamped);
    Q_EMIT maximumSizeChanged();
}

QString ResponseCache::directory() const { return m_directory; }

void ResponseCache::setDirectory(const QString &directory)
{
    if (directory == m_directory)
        return;
    if (m_cache) {
        qmlWarning(this) << "directory is read when the cache is made, in its declaration; unchanged";
        return;
    }
    m_directory = directory;
    Q_EMIT directoryChanged();
}

bool ResponseCache::isEnabled() const { return !m_cache || m_cache->isEnabled(); }
bool ResponseCache::contains(const QUrl &url) { return cache()->contains(url); }
bool ResponseCache::remove(const QUrl &url) { return cache()->remove(url); }

QJSValue ResponseCache::resolved(const QJSValue &value)
{
    QJSEngine *engine = qjsEngine(this);
    if (!engine)
        return QJSValue();
    QJSValue resolve = engine->evaluate(QStringLiteral("(function(v) { return Promise.resolve(v); })"));
    return resolve.call({value});
}

QJSValue ResponseCache::flush()
{
    cache()->flush();
    const qint64 before = std::exchange(m_size, m_cache->size());
    if (m_size != before)
        Q_EMIT sizeChanged();
    return resolved(QJSValue(double(m_size)));
}

QJSValue ResponseCache::clear()
{
    cache()->clear();
    const qint64 before = std::exchange(m_size, m_cache->size());
    if (m_size != before)
        Q_EMIT sizeChanged();
    return resolved(QJSValue());
}

} // namespace Courier::Qml
