// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "eventsource.h"

#include "jscallback.h"

#include <QtQml/QJSEngine>
#include <QtQml/QQmlEngine>
#include <QtQml/qqmlinfo.h>

#include <cmath>

namespace Courier::Qml {

EventSource::EventSource(QObject *parent)
    : QObject(parent)
    , m_source(new Courier::EventSource(this))
{
    using Source = Courier::EventSource;
    connect(m_source, &Source::readyStateChanged, this, [this] {
        if (!m_switching)
            syncReadyState();
    });
    connect(m_source, &Source::opened, this, [this] {
        Q_EMIT opened();
        dispatchSimple(QStringLiteral("open"));
    });
    connect(m_source, &Source::message, this, &EventSource::message);
    connect(m_source, &Source::eventReceived, this, [this](const ServerSentEvent &event) {
        if (!m_listeners.value(event.type).isEmpty()) {
            if (QJSEngine *engine = qjsEngine(this))
                dispatch(event.type, engine->toScriptValue(event));
        }
        Q_EMIT eventReceived(event);
    });
    connect(m_source, &Source::errorOccurred, this, [this] {
        setError(m_source->errorString());
        Q_EMIT errorOccurred();
        dispatchSimple(QStringLiteral("error"));
    });
    connect(m_source, &Source::reconnecting, this, &EventSource::reconnecting);
    connect(m_source, &Source::lastEventIdChanged, this, &EventSource::lastEventIdChanged);
    connect(m_source, &Source::reconnectionTimeChanged, this, &EventSource::reconnectionTimeChanged);
}

EventSource::~EventSource()
{
    // Closed quietly, before this object's members go.
    disconnect(m_source, nullptr, this, nullptr);
    delete m_source;
}

void EventSource::componentComplete()
{
    m_complete = true;
    if (m_active && !m_url.isEmpty())
        connectNow();
}

void EventSource::setUrl(const QUrl &url)
{
    if (url == m_url)
        return;
    m_url = url;
    Q_EMIT urlChanged();
    if (m_complete && m_active)
        connectNow();
}

void EventSource::setHeaders(const QVariantMap &headers)
{
    if (headers == m_headers)
        return;
    m_headers = headers;
    Q_EMIT headersChanged();
    // From the next connection (a reconnection included); bad values are refused when connecting.
    QString problem;
    const Request request = makeRequest(&problem);
    if (problem.isEmpty())
        m_source->setRequest(request);
    else
        qmlWarning(this).noquote() << problem;
}

void EventSource::setClient(HttpClient *client)
{
    if (client == m_client && (client != nullptr) == m_clientGiven)
        return;
    m_client = client;
    m_clientGiven = client != nullptr;
    Q_EMIT clientChanged();
}

void EventSource::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    Q_EMIT activeChanged();
    if (!m_complete)
        return;
    if (active)
        connectNow();
    else
        disconnectNow();
}

void EventSource::open()
{
    if (!m_active)
        setActive(true);
    else if (m_complete && m_readyState == Closed)
        connectNow();
}

void EventSource::close()
{
    if (m_active)
        setActive(false);
    else
        disconnectNow();
}

QString EventSource::lastEventId() const { return m_source->lastEventId(); }
void EventSource::setLastEventId(const QString &id) { m_source->setLastEventId(id); }

int EventSource::reconnectionTime() const { return m_source->reconnectionTimeMsecs(); }

void EventSource::setReconnectionTime(int msecs)
{
    if (msecs != reconnectionTime())
        m_source->setReconnectionTime(std::chrono::milliseconds(msecs)); // told by the source
}

int EventSource::maximumReconnectionDelay() const { return int(m_source->maximumReconnectionDelay().count()); }

void EventSource::setMaximumReconnectionDelay(int msecs)
{
    if (std::max(0, msecs) == maximumReconnectionDelay())
        return;
    m_source->setMaximumReconnectionDelay(std::chrono::milliseconds(msecs));
    Q_EMIT maximumReconnectionDelayChanged();
}

double EventSource::maximumEventSize() const { return double(m_source->maximumEventSize()); }

void EventSource::setMaximumEventSize(double bytes)
{
    const qint64 wanted = std::isfinite(bytes) && bytes > 0 ? qint64(std::min(bytes, 9.0e18)) : 0;
    if (wanted == m_source->maximumEventSize())
        return;
    m_source->setMaximumEventSize(wanted);
    Q_EMIT maximumEventSizeChanged();
}

void EventSource::addEventListener(const QString &type, const QJSValue &callback)
{
    if (!callback.isCallable()) {
        qmlWarning(this) << "addEventListener(\"" << type << "\"): the listener must be a function";
        return;
    }
    QList<QJSValue> &listeners = m_listeners[type];
    if (std::none_of(listeners.cbegin(), listeners.cend(),
                     [&](const QJSValue &l) { return l.strictlyEquals(callback); }))
        listeners.append(callback);
}

void EventSource::removeEventListener(const QString &type, const QJSValue &callback)
{
    const auto found = m_listeners.find(type);
    if (found == m_listeners.end())
        return;
    found->removeIf([&](const QJSValue &l) { return l.strictlyEquals(callback); });
    if (found->isEmpty())
        m_listeners.erase(found);
}

void EventSource::dispatch(const QString &type, const QJSValue &event)
{
    // A copy: a listener may add or remove listeners.
    const QList<QJSValue> listeners = m_listeners.value(type);
    for (const QJSValue &listener : listeners)
        callBack(this, listener, {event});
}

void EventSource::dispatchSimple(const QString &type)
{
    if (m_listeners.value(type).isEmpty())
        return;
    QJSEngine *engine = qjsEngine(this);
    if (!engine)
        return;
    QJSValue event = engine->newObject();
    event.setProperty(QStringLiteral("type"), type);
    dispatch(type, event);
}

Request EventSource::makeRequest(QString *problem) const
{
    Request request(m_url);
    for (auto it = m_headers.cbegin(); it != m_headers.cend(); ++it) {
        const int type = it.value().typeId();
        if (type != QMetaType::QString && type != QMetaType::Double && type != QMetaType::Int
            && type != QMetaType::Bool) {
            *problem = QStringLiteral("headers: the value of \"%1\" must be a string, not %2")
                           .arg(it.key(), typeName(it.value()));
            continue;
        }
        request.setHeader(it.key().toLatin1(), it.value().toString().toUtf8());
    }
    return request;
}

Client *EventSource::requestClient(QString *problem)
{
    HttpClient *http = m_client;
    if (!http && m_clientGiven) {
        *problem = QStringLiteral("the HttpClient given as client was destroyed");
        return nullptr;
    }
    if (!http) {
        QQmlEngine *engine = qmlEngine(this);
        const int type = qmlTypeId("Courier", 1, 0, "Http");
        http = engine && type >= 0 ? engine->singletonInstance<Http *>(type) : nullptr;
        if (!http) {
            *problem = QStringLiteral("no client: an EventSource made outside a QML engine needs one");
            return nullptr;
        }
    }
    if (!http->configurationError().isEmpty()) {
        *problem = QStringLiteral("the HttpClient's settings cannot be used (%1)").arg(http->configurationError());
        return nullptr;
    }
    Client *client = http->clientForRequests();
    if (!client) {
        *problem = QStringLiteral("the Client given to the HttpClient was destroyed");
        return nullptr;
    }
    // Its HttpClient may change Client later: the reconnections follow.
    disconnect(m_followClient);
    m_followClient = connect(http, &HttpClient::clientChanged, m_source, [this, http] {
        if (Client *now = http->client())
            m_source->setClient(now);
    });
    return client;
}

void EventSource::connectNow()
{
    const quint64 generation = ++m_generation;
    if (m_url.isEmpty())
        return disconnectNow();
    QString problem;
    Client *client = requestClient(&problem);
    const Request request = problem.isEmpty() ? makeRequest(&problem) : Request();
    if (!problem.isEmpty()) {
        m_source->close();
        syncReadyState();
        setError(problem);
        // As the source's own failures: from the event loop, unless something else came first.
        QMetaObject::invokeMethod(
            this,
            [this, generation] {
                if (generation != m_generation)
                    return;
                Q_EMIT errorOccurred();
                dispatchSimple(QStringLiteral("error"));
            },
            Qt::QueuedConnection);
        return;
    }
    // Another URL while connected: the old connection goes and the new one starts, and QML sees
    // the state of the new one only.
    m_switching = true;
    m_source->close();
    m_source->setClient(client);
    m_source->setRequest(request);
    m_source->open();
    m_switching = false;
    syncReadyState();
}

void EventSource::disconnectNow()
{
    ++m_generation;
    m_source->close();
    syncReadyState();
}

void EventSource::setError(const QString &errorString)
{
    if (errorString == m_errorString)
        return;
    m_errorString = errorString;
    Q_EMIT errorStringChanged();
}

void EventSource::syncReadyState()
{
    const auto state = ReadyState(m_source->readyState());
    if (state == m_readyState)
        return;
    m_readyState = state;
    Q_EMIT readyStateChanged();
}

} // namespace Courier::Qml
