// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "streamreader_p.h"

#include "logging_p.h"
#include "outcome_p.h"
#include "response_p.h"

#include <QtCore/QTimer>

namespace Courier {

// --- The shared pump ---

void StreamReaderPrivate::attach(StreamReader *q, Response *r)
{
    q_ptr = q;
    response = r;
    setMaximum(maximum);
    if (!r)
        return;
    QObject::connect(r, &QIODevice::readyRead, q, [this] { pump(); });
    QObject::connect(r, &Response::finished, q, [this] { pump(); });
    // Never from inside the call that made the reader: bytes may already wait in the Response.
    schedule();
}

void StreamReaderPrivate::schedule()
{
    QMetaObject::invokeMethod(
        q_ptr, [this] { pump(); }, Qt::QueuedConnection);
}

void StreamReaderPrivate::pump()
{
    if (pumping) {
        pumpAgain = true; // a slot ran the event loop: the outer loop goes on
        return;
    }
    Q_Q(StreamReader);
    QPointer<StreamReader> guard(q);
    pumping = true;
    do {
        pumpAgain = false;
        while (!paused && !finished) {
            if (hasQueued()) {
                deliverOne();
                if (!guard)
                    return;
                continue;
            }
            if (tooLarge) {
                failTooLarge();
                if (!guard)
                    return;
                tooLarge = false;
                ended = true;
                continue;
            }
            Response *r = response.data();
            if (!ended && r && r->bytesAvailable() > 0) {
                const QByteArray bytes = r->read(ChunkSize);
                if (!parse(bytes))
                    tooLarge = true;
                continue;
            }
            if (!r || r->isFinished()) {
                if (!ended) {
                    ended = true;
                    endOfStream(r && !r->hasTransportError());
                    continue;
                }
                finished = true;
                Q_EMIT q->finished();
                if (!guard)
                    return;
            }
            break;
        }
    } while (pumpAgain && !paused && !finished);
    pumping = false;
}

void StreamReaderPrivate::failTooLarge()
{
    qCDebug(lcStream) << tooLargeMessage();
    error = tooLargeMessage();
    if (response && response->isRunning())
        ResponsePrivate::get(response)->failTransfer(
            {Response::UnknownContentError, tooLargeMessage()}); // cut short, as a body limit does
}

StreamReader::StreamReader(std::unique_ptr<StreamReaderPrivate> d, Response *response)
    : QObject(response)
    , d_ptr(std::move(d))
{
    Q_ASSERT_X(response, "StreamReader", "a reader needs a Response");
    d_ptr->attach(this, response);
}

StreamReader::~StreamReader() = default;

Response *StreamReader::response() const { return d_func()->response; }

bool StreamReader::isPaused() const { return d_func()->paused; }

void StreamReader::setPaused(bool paused)
{
    Q_D(StreamReader);
    if (d->paused == paused)
        return;
    d->paused = paused;
    if (!paused)
        d->schedule();
    Q_EMIT pausedChanged();
}

qint64 StreamReader::maximumItemSize() const { return d_func()->maximum; }

void StreamReader::setMaximumItemSize(qint64 bytes)
{
    Q_D(StreamReader);
    bytes = std::max<qint64>(bytes, 0);
    if (d->maximum == bytes)
        return;
    d->maximum = bytes;
    d->setMaximum(bytes);
    Q_EMIT maximumItemSizeChanged();
}

bool StreamReader::isFinished() const { return d_func()->finished; }

qint64 StreamReader::itemCount() const { return d_func()->items; }

QString StreamReader::errorString() const { return d_func()->error; }

// --- Server-sent events ---

namespace {

class EventStreamReaderPrivate final : public StreamReaderPrivate
{
public:
    explicit EventStreamReaderPrivate(const QString &initialId)
        : parser(initialId)
        , lastEventId(initialId)
    {
    }

    EventStreamParser parser;
    QList<EventStreamItem> queue;
    qsizetype next = 0;
    QString lastEventId; // as of the items delivered
    int retry = -1;
    bool originSet = false;

    void setMaximum(qint64 bytes) override { parser.setMaximumSize(bytes); }
    bool parse(QByteArrayView bytes) override
    {
        if (!originSet && response) {
            // The final URL is known once the body flows.
            parser.setOrigin(serializedOrigin(response->url()));
            originSet = true;
        }
        return parser.feed(bytes, queue);
    }
    void endOfStream(bool) override { parser.finish(); }
    bool hasQueued() const override { return next < queue.size(); }
    void deliverOne() override
    {
        EventStreamItem item = std::move(queue[next++]);
        if (next == queue.size()) {
            queue.clear();
            next = 0;
        }
        auto *q = static_cast<EventStreamReader *>(q_ptr);
        switch (item.kind) {
        case EventStreamItem::LastEventId:
            lastEventId = item.text;
            Q_EMIT q->lastEventIdChanged();
            break;
        case EventStreamItem::Retry:
            retry = item.retry;
            Q_EMIT q->reconnectionTimeChanged(item.retry);
            break;
        case EventStreamItem::Event:
            ++items;
            Q_EMIT q->eventReceived(item.event);
            break;
        }
    }
    QString tooLargeMessage() const override { return parser.tooLargeMessage(); }
};

class JsonLinesReaderPrivate final : public StreamReaderPrivate
{
public:
    JsonLinesParser parser;
    QList<JsonLinesItem> queue;
    qsizetype next = 0;
    qint64 errors = 0;

    void setMaximum(qint64 bytes) override { parser.setMaximumSize(bytes); }
    bool parse(QByteArrayView bytes) override { return parser.feed(bytes, queue); }
    void endOfStream(bool clean) override { parser.finish(clean, queue); }
    bool hasQueued() const override { return next < queue.size(); }
    void deliverOne() override
    {
        JsonLinesItem item = std::move(queue[next++]);
        if (next == queue.size()) {
            queue.clear();
            next = 0;
        }
        auto *q = static_cast<JsonLinesReader *>(q_ptr);
        ++items;
        if (item.error.isEmpty()) {
            Q_EMIT q->valueReceived(item.value, item.line);
        } else {
            ++errors;
            Q_EMIT q->parseErrorOccurred(item.line, item.error);
        }
    }
    QString tooLargeMessage() const override { return parser.tooLargeMessage(); }
};

} // namespace

EventStreamReader::EventStreamReader(Response *response, const QString &lastEventId)
    : StreamReader(std::make_unique<EventStreamReaderPrivate>(lastEventId), response)
{
}

EventStreamReader::~EventStreamReader() = default;

QString EventStreamReader::lastEventId() const
{
    return static_cast<const EventStreamReaderPrivate *>(d_func())->lastEventId;
}

int EventStreamReader::reconnectionTime() const
{
    return static_cast<const EventStreamReaderPrivate *>(d_func())->retry;
}

JsonLinesReader::JsonLinesReader(Response *response)
    : StreamReader(std::make_unique<JsonLinesReaderPrivate>(), response)
{
}

JsonLinesReader::~JsonLinesReader() = default;

qint64 JsonLinesReader::parseErrorCount() const
{
    return static_cast<const JsonLinesReaderPrivate *>(d_func())->errors;
}

} // namespace Courier
