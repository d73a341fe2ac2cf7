// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "stubserver.h"

#include <QtCore/QHash>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

namespace {

// One event of the stream, as the HTML standard writes it: fields, then an empty line.
QByteArray serverSentEvent(int id, const QByteArray &type, const QJsonObject &data)
{
    QByteArray text = "id: " + QByteArray::number(id) + '\n';
    if (!type.isEmpty())
        text += "event: " + type + '\n';
    return text + "data: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

// One client connection: reads a request, answers it (a stream takes a while), then reads the
// next one on the same connection (keep-alive).
class Connection : public QObject
{
public:
    // A child of the server: deleting the server ends every connection.
    Connection(QTcpSocket *socket, StubServer *server)
        : QObject(server)
        , m_socket(socket)
    {
        socket->setParent(this);
        m_timer.setInterval(server->tokenDelay());
        connect(&m_timer, &QTimer::timeout, this, [this] { sendNext(); });
        connect(socket, &QTcpSocket::readyRead, this, [this] {
            m_buffer += m_socket->readAll();
            readRequest();
        });
        connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    }

private:
    void readRequest()
    {
        if (m_streaming)
            return; // the next request waits for the end of this stream
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_buffer.size() > 64 * 1024)
                reply(431, "Request Header Fields Too Large", "", true);
            return;
        }
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.constFirst().trimmed().split(' ');
        QHash<QByteArray, QByteArray> headers;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        bool lengthOk = true;
        const qsizetype length = headers.value("content-length", "0").toLongLong(&lengthOk);
        if (requestLine.size() != 3 || !lengthOk || length < 0 || headers.contains("transfer-encoding")) {
            reply(400, "Bad Request", "a request line and a Content-Length, please\n", true);
            return;
        }
        if (headers.value("expect").toLower() == "100-continue" && !m_continued) {
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            m_continued = true;
        }
        if (m_buffer.size() < end + 4 + length)
            return; // the body is still on its way
        const QByteArray body = m_buffer.mid(end + 4, length);
        m_buffer.remove(0, end + 4 + length);
        m_continued = false;
        m_close = headers.value("connection").toLower() == "close";
        respond(requestLine[0], QUrl(QString::fromLatin1(requestLine[1])), headers, body);
    }

    void respond(const QByteArray &method, const QUrl &target, const QHash<QByteArray, QByteArray> &headers,
                 const QByteArray &body)
    {
        if (target.path() != QLatin1String("/v1/answer"))
            return reply(404, "Not Found", "try /v1/answer\n");
        QString prompt;
        if (method == "GET") {
            prompt = QUrlQuery(target).queryItemValue(QStringLiteral("prompt"), QUrl::FullyDecoded);
        } else if (method == "POST") {
            const QJsonValue value = QJsonDocument::fromJson(body).object().value(QStringLiteral("prompt"));
            if (!value.isString())
                return reply(400, "Bad Request", "a JSON object with a \"prompt\" string, please\n");
            prompt = value.toString();
        } else {
            return reply(405, "Method Not Allowed", "GET or POST\n");
        }
        m_tokens = StubServer::tokens(prompt);
        m_next = 0;
        // Only a GET can be resumed (an EventSource sends it again with Last-Event-ID), so only a
        // GET's first connection is dropped.
        m_dropAfter = method == "GET" && !headers.contains("last-event-id") ? StubServer::dropAfter(m_tokens) : -1;
        if (headers.contains("last-event-id")) {
            bool ok = false;
            const int seen = headers.value("last-event-id").toInt(&ok);
            if (!ok || seen < 0)
                return reply(400, "Bad Request", "Last-Event-ID is a token number\n");
            if (seen > m_tokens.size())
                return reply(204, "No Content", ""); // the done event was seen: nothing more to send
            m_next = seen;
        }
        m_socket->write("HTTP/1.1 200 OK\r\n"
                        "Content-Type: text/event-stream; charset=utf-8\r\n"
                        "Cache-Control: no-cache\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n");
        writeChunk(": live-answer stub, one token every " + QByteArray::number(m_timer.interval()) + " ms\n"
                   + "retry: 300\n\n");
        m_streaming = true;
        m_timer.start();
    }

    void sendNext()
    {
        if (m_next < m_tokens.size()) {
            ++m_next;
            writeChunk(serverSentEvent(m_next, {}, {{QStringLiteral("token"), m_tokens[m_next - 1]}}));
            if (m_next == m_dropAfter) {
                // On purpose: the connection ends in the middle of the chunked body.
                m_timer.stop();
                m_socket->disconnectFromHost();
            }
            return;
        }
        m_timer.stop();
        writeChunk(
            serverSentEvent(int(m_tokens.size()) + 1, "done", {{QStringLiteral("tokens"), int(m_tokens.size())}}));
        m_socket->write("0\r\n\r\n");
        m_streaming = false;
        if (m_close)
            m_socket->disconnectFromHost();
        else
            readRequest();
    }

    void writeChunk(const QByteArray &data)
    {
        m_socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    }

    void reply(int status, const QByteArray &reason, const QByteArray &body, bool close = false)
    {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
        if (status != 204)
            head += "Content-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        m_socket->write(head + "\r\n" + (status != 204 ? body : QByteArray()));
        if (close || m_close)
            m_socket->disconnectFromHost();
        else
            readRequest();
    }

    QTcpSocket *m_socket;
    QByteArray m_buffer;
    QTimer m_timer;
    QStringList m_tokens;
    int m_next = 0;
    int m_dropAfter = -1;
    bool m_streaming = false;
    bool m_continued = false;
    bool m_close = false;
};

} // namespace

StubServer::StubServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection())
            new Connection(socket, this);
    });
}

bool StubServer::listen()
{
    // 127.0.0.1 only, port 0: the system picks a free port; nothing outside this machine can connect.
    if (m_server->listen(QHostAddress::LocalHost, 0))
        return true;
    m_errorString = m_server->errorString();
    return false;
}

QUrl StubServer::answerUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/v1/answer").arg(m_server->serverPort()));
}

QString StubServer::answer(const QString &prompt)
{
    const QString asked = prompt.simplified();
    return (asked.isEmpty() ? QStringLiteral("You asked nothing in particular. ")
                            : QStringLiteral("You asked: “%1”. ").arg(asked))
        + QStringLiteral("I am no language model but the stub server of Courier's live-answer example, "
                         "listening on 127.0.0.1. I send this answer a token at a time, as server-sent events, "
                         "each with an id. Partway through a GET I drop the connection on purpose: EventSource "
                         "connects again with Last-Event-ID, and I go on from the next token, so that nothing "
                         "is lost or repeated. A POST, as language-model APIs are asked, gets the same events, "
                         "read as they arrive.");
}

QStringList StubServer::tokens(const QString &prompt)
{
    // Pieces of up to five characters, with the spaces before them, as a model's tokens look.
    static const QRegularExpression piece(QStringLiteral("\\s*\\S{1,5}"));
    QStringList tokens;
    for (const QRegularExpressionMatch &match : piece.globalMatch(answer(prompt)))
        tokens.append(match.captured());
    return tokens;
}
