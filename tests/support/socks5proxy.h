// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// A SOCKS5 proxy for tests (RFC 1928, with RFC 1929 username/password authentication), on
// QTcpServer in the test's own thread, listening on 127.0.0.1. It serves CONNECT only, and only to
// loopback targets: a domain name is accepted when it is "localhost" or a loopback address. Each
// accepted tunnel relays bytes both ways until either side closes.

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtNetwork/QTcpServer>

namespace Courier::Test {

class Socks5Proxy : public QObject
{
    Q_OBJECT
public:
    /*!
        Listens on a free port. With a non-empty \a user, clients must authenticate with \a user
        and \a password (method 0x02); otherwise they must offer "no authentication" (0x00).
    */
    explicit Socks5Proxy(const QByteArray &user = {}, const QByteArray &password = {}, QObject *parent = nullptr);

    quint16 port() const { return m_server.serverPort(); }

    /*! Each CONNECT target as asked, "host:port", a domain name as given or an address. */
    QList<QByteArray> targets;
    /*! Clients refused: no acceptable method, or wrong credentials. */
    int refused = 0;

private:
    void serve(class QTcpSocket *client);

    QTcpServer m_server;
    QByteArray m_user;
    QByteArray m_password;
};

} // namespace Courier::Test
