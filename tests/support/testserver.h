// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// A scriptable HTTP/1.1 server for tests, on QTcpServer in the test's own thread. Each test sets a
// handler that receives every parsed request with its connection and may answer with any bytes:
// well-formed responses, broken framing, garbage, partial bodies, resets or silence.

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPair>
#include <QtCore/QPointer>
#include <QtCore/QUrl>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <functional>

namespace Courier::Test {

struct RawRequest
{
    QByteArray method;
    QByteArray target;
    QByteArray version;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    int connection = 0; // which accepted connection (1-based) carried it

    QByteArray header(const QByteArray &name) const;
    bool hasHeader(const QByteArray &name) const;
};

class TestConnection : public QObject
{
    Q_OBJECT
public:
    TestConnection(QTcpSocket *socket, int number, QObject *parent);

    int number() const { return m_number; }
    QTcpSocket *socket() const { return m_socket; }

    /*! Writes raw bytes. */
    void write(const QByteArray &bytes);
    /*!
        A complete response with Content-Length set to the body's size (unless \a headers has one).
    */
    void respond(int status, const QByteArray &reason, const QList<QPair<QByteArray, QByteArray>> &headers = {},
                 const QByteArray &body = {});
    /*! Closes after everything written was flushed (FIN). */
    void close();
    /*! Closes at once with a TCP reset (SO_LINGER 0). */
    void reset();
    /*! Writes \a pieces one at a time, \a intervalMs apart, then closes if \a closeAfter. */
    void drip(const QList<QByteArray> &pieces, int intervalMs, bool closeAfter = false);

Q_SIGNALS:
    void requestReceived(const Courier::Test::RawRequest &request);
    /*! \a bytes arrived, requests or not. */
    void received(qint64 bytes);

private:
    void onReadyRead();

    QTcpSocket *m_socket;
    int m_number;
    QByteArray m_buffer;
};

/*! Accepts TCP connections, or TLS ones whose handshake it starts at once (QSslSocket). */
class TestListener : public QTcpServer
{
    Q_OBJECT
public:
    using QTcpServer::QTcpServer;
    /*! TLS with \a configuration for every connection accepted from now on. */
    void setTls(const QSslConfiguration &configuration);
    bool isTls() const { return m_tls; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QSslConfiguration m_configuration;
    bool m_tls = false;
};

class TestServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(TestConnection *, const RawRequest &)>;

    explicit TestServer(QObject *parent = nullptr);
    /*!
        An https server presenting \a certificate (a chain, leaf first) with \a key. TestConnection
        sees the decrypted stream: bytesReceived() counts only what came after the handshake.
    */
    TestServer(const QList<QSslCertificate> &certificate, const QSslKey &key, QObject *parent = nullptr);
    /*! An https server with the TLS configuration \a tls (certificate, key, client verification, versions). */
    explicit TestServer(const QSslConfiguration &tls, QObject *parent = nullptr);

    quint16 port() const { return m_server.serverPort(); }
    /*! http://127.0.0.1:port/path, or https:// for a TLS server. */
    QUrl url(const QString &path = QStringLiteral("/")) const;
    /*! Bytes received after the TLS handshake (or at all, without TLS), on every connection. */
    qint64 bytesReceived() const { return m_bytesReceived; }
    /*! Answers every request; by default 200 with body "ok". */
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    /*! Connections accepted so far. */
    int connectionCount() const { return m_connections; }
    /*! Requests received so far, in order. */
    QList<RawRequest> requests() const { return m_requests; }
    RawRequest lastRequest() const { return m_requests.isEmpty() ? RawRequest() : m_requests.last(); }

private:
    void init();

    TestListener m_server;
    qint64 m_bytesReceived = 0;
    Handler m_handler;
    int m_connections = 0;
    QList<RawRequest> m_requests;
};

/*!
    A listening socket with a backlog of zero that never accepts: once its queue is full, Linux
    drops further SYNs, so a connection attempt hangs as it would towards a black-holed host.
*/
class FullBacklog
{
public:
    FullBacklog();
    ~FullBacklog();
    FullBacklog(const FullBacklog &) = delete;
    FullBacklog &operator=(const FullBacklog &) = delete;

    quint16 port() const { return m_port; }
    QUrl url(const QString &scheme = QStringLiteral("http")) const;

private:
    int m_fd = -1;
    quint16 m_port = 0;
    QList<QTcpSocket *> m_fillers;
};

} // namespace Courier::Test
