// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "testserver.h"

#include <QtCore/QTimer>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QSslSocket>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Courier::Test {

QByteArray RawRequest::header(const QByteArray &name) const
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

bool RawRequest::hasHeader(const QByteArray &name) const
{
    return std::any_of(headers.cbegin(), headers.cend(),
                       [&](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
}

TestConnection::TestConnection(QTcpSocket *socket, int number, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_number(number)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::readyRead, this, &TestConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
}

void TestConnection::write(const QByteArray &bytes)
{
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(bytes);
}

void TestConnection::respond(int status, const QByteArray &reason, const QList<QPair<QByteArray, QByteArray>> &headers,
                             const QByteArray &body)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + (reason.isNull() ? QByteArray() : " " + reason)
        + "\r\n";
    bool hasLength = false;
    for (const auto &[n, v] : headers) {
        out += n + ": " + v + "\r\n";
        hasLength = hasLength || n.compare("Content-Length", Qt::CaseInsensitive) == 0
            || n.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0;
    }
    if (!hasLength)
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n" + body;
    write(out);
}

void TestConnection::close()
{
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->disconnectFromHost();
}

void TestConnection::reset()
{
    const struct linger lingerZero = {1, 0};
    ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &lingerZero, sizeof lingerZero);
    m_socket->abort();
}

void TestConnection::drip(const QList<QByteArray> &pieces, int intervalMs, bool closeAfter)
{
    auto *timer = new QTimer(this);
    timer->setInterval(intervalMs);
    auto index = std::make_shared<int>(0);
    connect(timer, &QTimer::timeout, this, [this, timer, pieces, index, closeAfter] {
        if (*index >= pieces.size()) {
            timer->stop();
            timer->deleteLater();
            if (closeAfter)
                close();
            return;
        }
        write(pieces.at((*index)++));
        m_socket->flush();
    });
    timer->start();
}

void TestConnection::onReadyRead()
{
    const QByteArray bytes = m_socket->readAll();
    m_buffer += bytes;
    Q_EMIT received(bytes.size());
    for (;;) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        RawRequest request;
        request.connection = m_number;
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.target = requestLine.value(1);
        request.version = requestLine.value(2);
        qint64 length = 0;
        bool chunked = false;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed();
            const QByteArray value = line.mid(colon + 1).trimmed();
            request.headers.append({name, value});
            if (name.compare("Content-Length", Qt::CaseInsensitive) == 0)
                length = value.toLongLong();
            if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0 && value.toLower().contains("chunked"))
                chunked = true;
        }
        if (chunked) {
            // A chunked body (no extensions, no trailers): decoded once its last chunk is in.
            qsizetype at = end + 4;
            QByteArray body;
            bool complete = false;
            for (;;) {
                const qsizetype lineEnd = m_buffer.indexOf("\r\n", at);
                if (lineEnd < 0)
                    break;
                bool ok = false;
                const qint64 size = m_buffer.mid(at, lineEnd - at).trimmed().toLongLong(&ok, 16);
                if (!ok || m_buffer.size() < lineEnd + 2 + size + 2)
                    break;
                if (size == 0) {
                    at = lineEnd + 4;
                    complete = true;
                    break;
                }
                body += m_buffer.mid(lineEnd + 2, size);
                at = lineEnd + 2 + size + 2;
            }
            if (!complete)
                return;
            request.body = body;
            m_buffer.remove(0, at);
            Q_EMIT requestReceived(request);
            continue;
        }
        if (m_buffer.size() < end + 4 + length)
            return; // wait for the whole body
        request.body = m_buffer.mid(end + 4, length);
        m_buffer.remove(0, end + 4 + length);
        Q_EMIT requestReceived(request);
    }
}

void TestListener::setTls(const QSslConfiguration &configuration)
{
    m_configuration = configuration;
    m_tls = true;
}

void TestListener::incomingConnection(qintptr descriptor)
{
    if (!m_tls) {
        QTcpServer::incomingConnection(descriptor);
        return;
    }
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setSslConfiguration(m_configuration);
    // A client that gives up in the handshake (a pin or a certificate it refuses) is not an error
    // of the server's: the connection just goes.
    connect(socket, &QSslSocket::sslErrors, socket, [socket](const QList<QSslError> &) { socket->abort(); });
    socket->startServerEncryption();
    addPendingConnection(socket);
}

TestServer::TestServer(QObject *parent)
    : QObject(parent)
{
    init();
}

TestServer::TestServer(const QList<QSslCertificate> &certificate, const QSslKey &key, QObject *parent)
    : QObject(parent)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(certificate);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_server.setTls(tls);
    init();
}

TestServer::TestServer(const QSslConfiguration &tls, QObject *parent)
    : QObject(parent)
{
    m_server.setTls(tls);
    init();
}

void TestServer::init()
{
    m_handler = [](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"Content-Type", "text/plain"}}, "ok");
    };
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            auto *connection = new TestConnection(socket, ++m_connections, this);
            connect(connection, &TestConnection::received, this, [this](qint64 bytes) { m_bytesReceived += bytes; });
            connect(connection, &TestConnection::requestReceived, this, [this, connection](const RawRequest &r) {
                m_requests.append(r);
                m_handler(connection, r);
            });
        }
    });
}

QUrl TestServer::url(const QString &path) const
{
    QUrl u;
    u.setScheme(m_server.isTls() ? QStringLiteral("https") : QStringLiteral("http"));
    u.setHost(QStringLiteral("127.0.0.1"));
    u.setPort(port());
    const qsizetype q = path.indexOf(QLatin1Char('?'));
    u.setPath(q < 0 ? path : path.left(q));
    if (q >= 0)
        u.setQuery(path.mid(q + 1));
    return u;
}

FullBacklog::FullBacklog()
{
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0 || ::listen(m_fd, 0) != 0
        || ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return;
    m_port = ntohs(address.sin_port);
    // Fill the accept queue; attempts past it hang, which is the point.
    for (int i = 0; i < 4; ++i) {
        auto *socket = new QTcpSocket;
        socket->connectToHost(QHostAddress::LocalHost, m_port);
        socket->waitForConnected(200);
        m_fillers.append(socket);
    }
}

FullBacklog::~FullBacklog()
{
    qDeleteAll(m_fillers);
    if (m_fd >= 0)
        ::close(m_fd);
}

QUrl FullBacklog::url(const QString &scheme) const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/").arg(scheme).arg(m_port));
}

} // namespace Courier::Test
