// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include <Courier/client.h>
#include <Courier/eventsource.h>
#include <Courier/response.h>
#include <Courier/streamreader.h>

#include "eventsourcepolicy_p.h"
#include "logging_p.h"

#include <QtCore/QPointer>
#include <QtCore/QTimer>

namespace Courier {

using std::chrono::milliseconds;

class EventSourcePrivate
{
    Q_DECLARE_PUBLIC(EventSource)
public:
    /*! The read buffer of a stream's request when it sets none. */
    static constexpr qint64 DefaultReadBufferSize = 64 * 1024;

    explicit EventSourcePrivate(EventSource *q)
        : q_ptr(q)
    {
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, q, [this] { connectNow(); });
    }

    EventSource *q_ptr;
    QPointer<Client> client;
    Request request;
    EventSource::ReadyState state = EventSource::Closed;
    QString lastEventId;
    milliseconds reconnectionTime = EventSource::DefaultReconnectionTime;
    milliseconds maximumDelay = EventSource::DefaultMaximumReconnectionDelay;
    qint64 maximumEventSize = StreamReader::DefaultMaximumItemSize;
    int failedAttempts = 0;
    int statusCode = 0;
    milliseconds pendingDelay{0};
    bool reconnect = false; // the pending connection is a reconnection
    QString errorString;
    QPointer<Response> response; // the Client's child; dropped (deleted) by us
    QPointer<EventStreamReader> reader; // the Response's child
    bool delivered = false; // the current connection delivered an event
    QTimer timer;

    void setState(EventSource::ReadyState next);
    Request requestToSend() const;
    void connectNow();
    void onHeaders();
    void onEvent(const ServerSentEvent &event);
    void onEnded();
    void dropResponse();
    void fail(const QString &why);
};

void EventSourcePrivate::setState(EventSource::ReadyState next)
{
    if (state == next)
        return;
    state = next;
    Q_EMIT q_func()->readyStateChanged();
}

Request EventSourcePrivate::requestToSend() const
{
    Request r = request;
    if (!r.hasHeader("Accept"))
        r.setHeader("Accept", "text/event-stream");
    if (!r.hasHeader("Cache-Control"))
        r.setHeader("Cache-Control", "no-cache");
    // An ID with a control character cannot be a header value: sent, it would get the request
    // refused and the stream closed, so a server could end it by sending one. The stream starts
    // over instead.
    const QByteArray id = lastEventId.toUtf8();
    if (!id.isEmpty() && isValidHeaderValue(id))
        r.setHeader("Last-Event-ID", id);
    else if (!id.isEmpty())
        qCWarning(lcStream) << "event source: the last event ID has a control character; not sent";
    r.setUsingCache(false);
    r.setTotalTimeout(milliseconds(0)); // a stream has no end; the read timeout is its idle timeout
    const qint64 buffer = r.readBufferSize() < 0 ? client->readBufferSize() : r.readBufferSize();
    if (buffer <= 0)
        r.setReadBufferSize(DefaultReadBufferSize);
    return r;
}

void EventSourcePrivate::connectNow()
{
    Q_Q(EventSource);
    if (state != EventSource::Connecting)
        return;
    if (!client) {
        fail(QStringLiteral("The EventSource has no Client to send its request with"));
        return;
    }
    if (reconnect) {
        QPointer<EventSource> guard(q);
        Q_EMIT q->reconnecting(failedAttempts + 1, int(pendingDelay.count()));
        if (!guard || state != EventSource::Connecting)
            return;
    }
    delivered = false;
    statusCode = 0;
    response = client->send(requestToSend());
    // Deleted with its Client: a stream cannot go on without it.
    QObject::connect(response, &QObject::destroyed, q,
                     [this] { fail(QStringLiteral("The Client of the EventSource was destroyed")); });
    qCDebug(lcStream) << "event source: connecting to" << request.url() << "last event ID" << lastEventId;
    reader = new EventStreamReader(response, lastEventId);
    reader->setMaximumItemSize(maximumEventSize);
    QObject::connect(response, &Response::headersReceived, q, [this] { onHeaders(); });
    QObject::connect(reader, &EventStreamReader::eventReceived, q,
                     [this](const ServerSentEvent &event) { onEvent(event); });
    QObject::connect(reader, &EventStreamReader::reconnectionTimeChanged, q, [this](int msecs) {
        const milliseconds time(msecs);
        if (time == reconnectionTime)
            return;
        reconnectionTime = time;
        Q_EMIT q_func()->reconnectionTimeChanged();
    });
    QObject::connect(reader, &EventStreamReader::lastEventIdChanged, q, [this] {
        if (lastEventId == reader->lastEventId())
            return;
        lastEventId = reader->lastEventId();
        Q_EMIT q_func()->lastEventIdChanged();
    });
    QObject::connect(reader, &StreamReader::finished, q, [this] { onEnded(); });
}

void EventSourcePrivate::onHeaders()
{
    Q_Q(EventSource);
    statusCode = response->statusCode();
    const QString refusal = EventSourcePolicy::refusal(response->statusCode(), response->statusMessage(),
                                                       response->header("Content-Type"));
    if (!refusal.isEmpty()) {
        fail(refusal);
        return;
    }
    // "Announce the connection."
    setState(EventSource::Open);
    if (state == EventSource::Open)
        Q_EMIT q->opened();
}

void EventSourcePrivate::onEvent(const ServerSentEvent &event)
{
    Q_Q(EventSource);
    if (state != EventSource::Open)
        return;
    delivered = true;
    failedAttempts = 0;
    QPointer<EventSource> guard(q);
    if (event.type == QLatin1String("message")) {
        Q_EMIT q->message(event);
        if (!guard || state != EventSource::Open)
            return;
    }
    Q_EMIT q->eventReceived(event);
}

void EventSourcePrivate::onEnded()
{
    Q_Q(EventSource);
    if (!response || state == EventSource::Closed)
        return;
    EventSourcePolicy::Decision decision = EventSourcePolicy::afterEnding(
        {response->error(), response->hasTransportError(), response->errorString()});
    if (reader && !reader->errorString().isEmpty())
        decision = {false, reader->errorString()}; // an event too large, after the body was all in
    dropResponse();
    if (!decision.reconnect) {
        fail(decision.why);
        return;
    }
    // "Reestablish the connection."
    errorString = decision.why;
    failedAttempts = delivered ? 0 : failedAttempts + 1;
    pendingDelay = EventSourcePolicy::delay(reconnectionTime, failedAttempts, maximumDelay);
    reconnect = true;
    qCDebug(lcStream) << "event source:" << decision.why << "- reconnecting in" << pendingDelay.count() << "ms";
    QPointer<EventSource> guard(q);
    setState(EventSource::Connecting);
    if (!guard || state != EventSource::Connecting)
        return;
    Q_EMIT q->errorOccurred();
    if (guard && state == EventSource::Connecting)
        timer.start(pendingDelay);
}

void EventSourcePrivate::dropResponse()
{
    if (!response)
        return;
    Response *old = response.data();
    response = nullptr;
    QObject::disconnect(old, nullptr, q_func(), nullptr);
    for (QObject *child : old->children())
        QObject::disconnect(child, nullptr, q_func(), nullptr);
    delete old; // safe from inside its own signals; aborts what still runs
}

void EventSourcePrivate::fail(const QString &why)
{
    Q_Q(EventSource);
    qCDebug(lcStream) << "event source: closed:" << why;
    timer.stop();
    dropResponse();
    errorString = why;
    QPointer<EventSource> guard(q);
    if (state == EventSource::Closed)
        return;
    setState(EventSource::Closed);
    if (guard)
        Q_EMIT q->errorOccurred();
}

EventSource::EventSource(QObject *parent)
    : QObject(parent)
    , d_ptr(std::make_unique<EventSourcePrivate>(this))
{
}

EventSource::EventSource(Client *client, const Request &request, QObject *parent)
    : EventSource(parent)
{
    d_ptr->client = client;
    d_ptr->request = request;
}

EventSource::~EventSource()
{
    Q_D(EventSource);
    d->timer.stop();
    if (d->response) {
        QObject::disconnect(d->response, nullptr, this, nullptr);
        for (QObject *child : d->response->children())
            QObject::disconnect(child, nullptr, this, nullptr);
        delete d->response.data();
    }
}

Client *EventSource::client() const { return d_func()->client; }

void EventSource::setClient(Client *client) { d_func()->client = client; }

Request EventSource::request() const { return d_func()->request; }

void EventSource::setRequest(const Request &request)
{
    Q_D(EventSource);
    d->request = request;
    Q_EMIT requestChanged();
}

QUrl EventSource::url() const { return d_func()->request.url(); }

EventSource::ReadyState EventSource::readyState() const { return d_func()->state; }

QString EventSource::lastEventId() const { return d_func()->lastEventId; }

void EventSource::setLastEventId(const QString &id)
{
    Q_D(EventSource);
    if (d->lastEventId == id || (!id.isEmpty() && !isValidHeaderValue(id.toUtf8())))
        return;
    d->lastEventId = id;
    Q_EMIT lastEventIdChanged();
}

milliseconds EventSource::reconnectionTime() const { return d_func()->reconnectionTime; }

void EventSource::setReconnectionTime(milliseconds time)
{
    Q_D(EventSource);
    time = std::max(time, milliseconds(0));
    if (d->reconnectionTime == time)
        return;
    d->reconnectionTime = time;
    Q_EMIT reconnectionTimeChanged();
}

milliseconds EventSource::maximumReconnectionDelay() const { return d_func()->maximumDelay; }

void EventSource::setMaximumReconnectionDelay(milliseconds delay)
{
    d_func()->maximumDelay = std::max(delay, milliseconds(0));
}

qint64 EventSource::maximumEventSize() const { return d_func()->maximumEventSize; }

void EventSource::setMaximumEventSize(qint64 bytes) { d_func()->maximumEventSize = std::max<qint64>(bytes, 0); }

int EventSource::failedAttempts() const { return d_func()->failedAttempts; }

int EventSource::statusCode() const { return d_func()->statusCode; }

QString EventSource::errorString() const { return d_func()->errorString; }

Response *EventSource::response() const { return d_func()->response; }

void EventSource::open()
{
    Q_D(EventSource);
    if (d->state != Closed)
        return;
    d->failedAttempts = 0;
    d->reconnect = false;
    d->pendingDelay = milliseconds(0);
    d->setState(Connecting);
    if (d->state == Connecting)
        d->timer.start(0); // from the event loop: the caller connects first
}

void EventSource::close()
{
    Q_D(EventSource);
    d->timer.stop();
    d->dropResponse();
    d->setState(Closed);
}

} // namespace Courier
