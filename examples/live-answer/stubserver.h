// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// The example's stand-in for a language-model API: an HTTP/1.1 server on 127.0.0.1 (a free port,
// never another address) that answers a prompt token by token as server-sent events. Nothing in
// here is Courier: it is the peer, written with QTcpServer so that the example needs no network.
//
//   GET  /v1/answer?prompt=…              the stream, resumable: EventSource's way
//   POST /v1/answer  {"prompt": "…"}      the same stream, as language-model APIs are asked
//
// The stream (Content-Type: text/event-stream, chunked, keep-alive):
//
//   : a comment, ignored by the client          (sent first, as servers send heartbeats)
//   retry: 300                                  (reconnect after 300 ms if the connection drops)
//
//   id: 1                                       (one event per token, numbered from 1)
//   data: {"token":"You"}
//   …
//   id: 58
//   event: done                                 (a named event: no more tokens)
//   data: {"tokens":57}
//
// A GET without Last-Event-ID is dropped on purpose once mid-answer (the connection closes after
// a few tokens, the chunked body unfinished); the client's reconnection sends
// `Last-Event-ID: <n>` and the stream goes on at token n + 1. A Last-Event-ID past the end is
// answered 204 No Content: the HTML standard's way for a server to say "do not reconnect".

#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

#include <chrono>

QT_BEGIN_NAMESPACE
class QTcpServer;
QT_END_NAMESPACE

class StubServer : public QObject
{
    Q_OBJECT
public:
    explicit StubServer(QObject *parent = nullptr);

    /*! Listens on 127.0.0.1 on a free port; false (and errorString()) when it cannot. */
    bool listen();
    QString errorString() const { return m_errorString; }
    /*! http://127.0.0.1:<port>/v1/answer */
    QUrl answerUrl() const;

    /*! The pause between two tokens (30 ms by default). */
    void setTokenDelay(std::chrono::milliseconds delay) { m_tokenDelay = delay; }
    std::chrono::milliseconds tokenDelay() const { return m_tokenDelay; }

    /*! The whole answer to \a prompt, and the tokens it is sent in (joined, they are the answer). */
    static QString answer(const QString &prompt);
    static QStringList tokens(const QString &prompt);
    /*! The token after which a GET without Last-Event-ID is dropped. */
    static int dropAfter(const QStringList &tokens) { return int(tokens.size()) * 2 / 5; }

private:
    QTcpServer *m_server;
    QString m_errorString;
    std::chrono::milliseconds m_tokenDelay{30};
};
