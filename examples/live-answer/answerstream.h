// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// AnswerStream: what Main.qml binds to. It asks the stub server for an answer and collects the
// tokens as they arrive, in one of two ways (answerstream.cpp is the place to read):
//
// - EventSource: a GET that Courier::EventSource keeps connected. When the server drops the
//   connection mid-answer, it reconnects after the server's `retry:` delay with
//   `Last-Event-ID`, and the server goes on where it stopped.
// - POST: how language-model APIs are asked (the prompt in a JSON body); the answer's events are
//   read from the Response by a Courier::EventStreamReader as they arrive. A POST is not
//   repeated on its own, so a dropped connection ends the answer.

#include <Courier/Client>

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QUrl>
#include <QtQml/qqmlregistration.h>

namespace Courier {
class EventSource;
class Response;
class ServerSentEvent;
} // namespace Courier

class AnswerStream : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    /*! The stub server's answer URL; main.cpp sets it. */
    Q_PROPERTY(QUrl url READ url WRITE setUrl NOTIFY urlChanged)
    Q_PROPERTY(Transport transport READ transport WRITE setTransport NOTIFY transportChanged)
    /*! The stream's state, with EventSource's readyState numbers: Connecting, Open, Closed. */
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    /*! The answer so far: the tokens received, joined. */
    Q_PROPERTY(QString text READ text NOTIFY received)
    /*! Events received for this answer: one per token, and the final "done". */
    Q_PROPERTY(int eventCount READ eventCount NOTIFY received)
    /*! The id of the latest event (what a reconnection sends as Last-Event-ID). */
    Q_PROPERTY(QString lastEventId READ lastEventId NOTIFY received)
    /*! Whether the "done" event arrived: the whole answer is in. */
    Q_PROPERTY(bool done READ isDone NOTIFY received)
    /*! Connections made again after a drop, for this answer. */
    Q_PROPERTY(int reconnects READ reconnects NOTIFY reconnectsChanged)
    /*! The reconnection delay the server asked for with `retry:`, in ms; -1 before it did. */
    Q_PROPERTY(int retryMsecs READ retryMsecs NOTIFY retryMsecsChanged)
    /*! The HTTP engine of the Client: "curl" or "qt" (COURIER_ENGINE chooses). */
    Q_PROPERTY(QString engine READ engine CONSTANT)

public:
    enum class Transport { EventSource, Post };
    Q_ENUM(Transport)
    enum class State { Connecting, Open, Closed };
    Q_ENUM(State)

    explicit AnswerStream(QObject *parent = nullptr);
    ~AnswerStream() override;

    QUrl url() const { return m_url; }
    void setUrl(const QUrl &url);
    Transport transport() const { return m_transport; }
    void setTransport(Transport transport);

    State state() const { return m_state; }
    QString text() const { return m_text; }
    int eventCount() const { return m_eventCount; }
    QString lastEventId() const { return m_lastEventId; }
    bool isDone() const { return m_done; }
    int reconnects() const { return m_reconnects; }
    int retryMsecs() const { return m_retryMsecs; }
    QString engine() const;

    /*! Asks for the answer to \a prompt; a stream still running is stopped first. */
    Q_INVOKABLE void send(const QString &prompt);
    /*! Stops the stream: EventSource::close(), or Response::abort() for a POST. */
    Q_INVOKABLE void stop();

Q_SIGNALS:
    void urlChanged();
    void transportChanged();
    void stateChanged();
    void received();
    void reconnectsChanged();
    void retryMsecsChanged();
    /*! A line for the connection log: what happened on the wire, in words. */
    void logged(const QString &line);
    /*! Emitted once per send(), when the stream is Closed: done, stopped or failed. */
    void finished();

private:
    void sendWithEventSource(const QString &prompt);
    void sendWithPost(const QString &prompt);
    void take(const Courier::ServerSentEvent &event);
    void setState(State state);
    void setRetry(int msecs);
    void forget();

    Courier::Client m_client;
    QUrl m_url;
    Transport m_transport = Transport::EventSource;
    QPointer<Courier::EventSource> m_source;
    QPointer<Courier::Response> m_response;
    State m_state = State::Closed;
    QString m_text;
    int m_eventCount = 0;
    QString m_lastEventId;
    bool m_done = false;
    int m_reconnects = 0;
    int m_retryMsecs = -1;
};
