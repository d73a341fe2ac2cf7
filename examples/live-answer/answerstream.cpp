// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "answerstream.h"

#include <Courier/EventSource>
#include <Courier/EventStreamReader>
#include <Courier/Response>

#include <QtCore/QJsonObject>

AnswerStream::AnswerStream(QObject *parent)
    : QObject(parent)
{
    m_client.setUserAgent(QByteArrayLiteral("courier-live-answer/1.0"));
}

AnswerStream::~AnswerStream() { forget(); }

void AnswerStream::setUrl(const QUrl &url)
{
    if (m_url == url)
        return;
    m_url = url;
    Q_EMIT urlChanged();
}

void AnswerStream::setTransport(Transport transport)
{
    if (m_transport == transport)
        return;
    m_transport = transport;
    Q_EMIT transportChanged();
}

QString AnswerStream::engine() const
{
    return m_client.engine() == Courier::Client::Engine::Curl ? QStringLiteral("curl") : QStringLiteral("qt");
}

void AnswerStream::send(const QString &prompt)
{
    forget(); // a stream still running ends here, quietly,
    setState(State::Closed); // and is finished
    m_text.clear();
    m_eventCount = 0;
    m_lastEventId.clear();
    m_done = false;
    Q_EMIT received();
    m_reconnects = 0;
    Q_EMIT reconnectsChanged();
    setRetry(-1);
    setState(State::Connecting);
    if (m_transport == Transport::EventSource)
        sendWithEventSource(prompt);
    else
        sendWithPost(prompt);
}

void AnswerStream::stop()
{
    if (m_state == State::Closed)
        return;
    Q_EMIT logged(m_source ? tr("stopped: close()") : tr("stopped: abort()"));
    if (m_source)
        m_source->close(); // Closed at once; no reconnection, no further event
    else if (m_response)
        m_response->abort(); // the reader finishes with what arrived
    setState(State::Closed);
}

// GET with an EventSource: Courier keeps the stream connected. Look at its signals: opened() for
// each connection, errorOccurred() when one drops (readyState() then says whether it comes back),
// reconnecting() as it does, after the server's `retry:` delay and with Last-Event-ID set to the
// last id seen, and eventReceived() for every event, whichever connection it came on.
void AnswerStream::sendWithEventSource(const QString &prompt)
{
    QUrl url = m_url;
    url.setQuery(QStringLiteral("prompt=") + QString::fromLatin1(QUrl::toPercentEncoding(prompt)));
    auto *source = new Courier::EventSource(&m_client, Courier::Request(url), this);
    m_source = source;
    Q_EMIT logged(tr("GET %1").arg(url.path()));

    connect(source, &Courier::EventSource::readyStateChanged, this, [this, source] {
        setState(State(source->readyState())); // the same numbers
    });
    connect(source, &Courier::EventSource::opened, this, [this, source] {
        Q_EMIT logged(source->lastEventId().isEmpty()
                          ? tr("open: 200, text/event-stream")
                          : tr("open again: the server goes on after id %1").arg(source->lastEventId()));
    });
    connect(source, &Courier::EventSource::reconnectionTimeChanged, this,
            [this, source] { setRetry(source->reconnectionTimeMsecs()); });
    connect(source, &Courier::EventSource::errorOccurred, this, [this, source] {
        Q_EMIT logged(source->readyState() == Courier::EventSource::Connecting
                          ? tr("dropped: %1; reconnecting").arg(source->errorString())
                          : tr("failed: %1").arg(source->errorString()));
    });
    connect(source, &Courier::EventSource::reconnecting, this, [this, source](int attempt, int delayMs) {
        ++m_reconnects;
        Q_EMIT reconnectsChanged();
        Q_EMIT logged(
            tr("reconnect #%1 after %2 ms, Last-Event-ID: %3").arg(attempt).arg(delayMs).arg(source->lastEventId()));
    });
    connect(source, &Courier::EventSource::eventReceived, this, &AnswerStream::take);
    source->open(); // from the event loop: every connection above is in place first
}

// POST with an EventStreamReader: the request is an ordinary Response; the reader, its child,
// parses the body as it arrives and emits each event as it completes. The reader does not look
// at the status or the Content-Type: headersReceived() does.
void AnswerStream::sendWithPost(const QString &prompt)
{
    Courier::Response *response = m_client.post(
        m_url, QJsonObject{{QStringLiteral("prompt"), prompt}, {QStringLiteral("stream"), true}});
    m_response = response;
    Q_EMIT logged(tr("POST %1").arg(m_url.path()));

    connect(response, &Courier::Response::headersReceived, this, [this, response] {
        const QByteArray type = response->header("Content-Type");
        if (response->statusCode() == 200 && type.startsWith("text/event-stream")) {
            Q_EMIT logged(tr("open: 200, text/event-stream"));
            setState(State::Open);
        } else {
            Q_EMIT logged(tr("failed: %1 %2, %3")
                              .arg(response->statusCode())
                              .arg(response->statusMessage(), QString::fromLatin1(type)));
            response->abort();
        }
    });
    auto *reader = new Courier::EventStreamReader(response);
    connect(reader, &Courier::EventStreamReader::reconnectionTimeChanged, this, &AnswerStream::setRetry);
    connect(reader, &Courier::EventStreamReader::eventReceived, this, &AnswerStream::take);
    // Once, after the last event: the Response's error() says how the stream ended.
    connect(reader, &Courier::EventStreamReader::finished, this, [this, response] {
        if (!m_done && response->error() != Courier::Response::OperationCanceled)
            Q_EMIT logged(response->error() != Courier::Response::NoError
                              ? tr("failed: %1 (a POST does not reconnect)").arg(response->errorString())
                              : tr("ended before the done event"));
        response->deleteLater();
        setState(State::Closed);
    });
}

// One event, from either transport: a token ({"token": "…"}) or the final "done".
void AnswerStream::take(const Courier::ServerSentEvent &event)
{
    ++m_eventCount;
    m_lastEventId = event.lastEventId;
    if (event.type == QLatin1String("done")) {
        m_done = true;
        Q_EMIT received();
        Q_EMIT logged(tr("event: done, %1 events").arg(m_eventCount));
        // The stream would go on (an EventSource reconnects when a stream ends): the client ends it.
        if (m_source)
            m_source->close();
        return;
    }
    m_text += event.json().toObject().value(QStringLiteral("token")).toString();
    Q_EMIT received();
}

void AnswerStream::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged();
    if (state == State::Closed)
        Q_EMIT finished();
}

void AnswerStream::setRetry(int msecs)
{
    if (m_retryMsecs == msecs)
        return;
    m_retryMsecs = msecs;
    Q_EMIT retryMsecsChanged();
}

// Ends the current stream without a word: the next send() starts afresh.
void AnswerStream::forget()
{
    if (m_source) {
        m_source->disconnect(this);
        delete m_source;
    }
    if (m_response) {
        m_response->disconnect(this);
        delete m_response;
    }
}
