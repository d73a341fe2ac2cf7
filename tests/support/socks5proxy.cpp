// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "socks5proxy.h"

#include <QtCore/QtEndian>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QTcpSocket>

namespace Courier::Test {

namespace {

enum class Stage { Greeting, Authentication, Request, Relaying };

// Reply codes of RFC 1928 §6.
constexpr char kSucceeded = 0x00;
constexpr char kNotAllowed = 0x02;
constexpr char kRefused = 0x05;
constexpr char kCommandNotSupported = 0x07;
constexpr char kAddressNotSupported = 0x08;

QByteArray reply(char code, quint16 boundPort = 0)
{
    QByteArray r("\x05", 1);
    r += code;
    r += QByteArray("\x00\x01\x7f\x00\x00\x01", 6); // reserved, IPv4, 127.0.0.1
    r += char(boundPort >> 8);
    r += char(boundPort & 0xff);
    return r;
}

} // namespace

Socks5Proxy::Socks5Proxy(const QByteArray &user, const QByteArray &password, QObject *parent)
    : QObject(parent)
    , m_user(user)
    , m_password(password)
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *client = m_server.nextPendingConnection())
            serve(client);
    });
}

void Socks5Proxy::serve(QTcpSocket *client)
{
    client->setParent(this);
    auto *stage = new Stage(Stage::Greeting);
    auto *buffer = new QByteArray;
    connect(client, &QObject::destroyed, client, [stage, buffer] {
        delete stage;
        delete buffer;
    });
    connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);

    const auto refuse = [this, client](const QByteArray &answer) {
        ++refused;
        client->write(answer);
        client->disconnectFromHost();
    };

    connect(client, &QTcpSocket::readyRead, client, [=] {
        if (*stage == Stage::Relaying)
            return; // the tunnel's own connection takes over
        *buffer += client->readAll();
        if (*stage == Stage::Greeting) {
            if (buffer->size() < 2 || buffer->size() < 2 + quint8(buffer->at(1)))
                return;
            const QByteArray methods = buffer->mid(2, quint8(buffer->at(1)));
            buffer->remove(0, 2 + methods.size());
            const char wanted = m_user.isEmpty() ? 0x00 : 0x02;
            if (!methods.contains(wanted)) {
                refuse(QByteArray("\x05\xff", 2));
                return;
            }
            client->write(QByteArray("\x05", 1) + wanted);
            *stage = m_user.isEmpty() ? Stage::Request : Stage::Authentication;
        }
        if (*stage == Stage::Authentication) {
            if (buffer->size() < 2)
                return;
            const int userLength = quint8(buffer->at(1));
            if (buffer->size() < 3 + userLength)
                return;
            const int passwordLength = quint8(buffer->at(2 + userLength));
            if (buffer->size() < 3 + userLength + passwordLength)
                return;
            const QByteArray user = buffer->mid(2, userLength);
            const QByteArray password = buffer->mid(3 + userLength, passwordLength);
            buffer->remove(0, 3 + userLength + passwordLength);
            if (user != m_user || password != m_password) {
                refuse(QByteArray("\x01\x01", 2));
                return;
            }
            client->write(QByteArray("\x01\x00", 2));
            *stage = Stage::Request;
        }
        if (*stage != Stage::Request || buffer->size() < 5)
            return;
        const char command = buffer->at(1);
        const char type = buffer->at(3);
        const int addressLength = type == 0x01 ? 4 : type == 0x04 ? 16 : type == 0x03 ? 1 + quint8(buffer->at(4)) : -1;
        if (addressLength < 0) {
            client->write(reply(kAddressNotSupported));
            client->disconnectFromHost();
            return;
        }
        if (buffer->size() < 4 + addressLength + 2)
            return;
        const QByteArray address = buffer->mid(4, addressLength);
        const quint16 port = qFromBigEndian<quint16>(buffer->constData() + 4 + addressLength);
        buffer->remove(0, 4 + addressLength + 2);
        QHostAddress host;
        QByteArray name;
        if (type == 0x03) {
            name = address.mid(1);
            host = name == "localhost" ? QHostAddress(QHostAddress::LocalHost)
                                       : QHostAddress(QString::fromLatin1(name));
        } else {
            host = type == 0x01 ? QHostAddress(qFromBigEndian<quint32>(address.constData()))
                                : QHostAddress(reinterpret_cast<const quint8 *>(address.constData()));
            name = host.toString().toLatin1();
        }
        targets << name + ':' + QByteArray::number(port);
        if (command != 0x01) {
            client->write(reply(kCommandNotSupported));
            client->disconnectFromHost();
            return;
        }
        if (!host.isLoopback()) { // tests never leave the machine
            client->write(reply(kNotAllowed));
            client->disconnectFromHost();
            return;
        }
        *stage = Stage::Relaying;
        auto *upstream = new QTcpSocket(client);
        connect(upstream, &QTcpSocket::connected, client, [client, upstream, buffer] {
            upstream->setProperty("tunnel", true);
            client->write(reply(kSucceeded, upstream->localPort()));
            upstream->write(*buffer + client->readAll()); // whatever came early
            buffer->clear();
            connect(client, &QTcpSocket::readyRead, upstream,
                    [client, upstream] { upstream->write(client->readAll()); });
            connect(upstream, &QTcpSocket::readyRead, client,
                    [client, upstream] { client->write(upstream->readAll()); });
            connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
            connect(client, &QTcpSocket::disconnected, upstream, [upstream] { upstream->disconnectFromHost(); });
        });
        connect(upstream, &QTcpSocket::errorOccurred, client, [client, upstream] {
            if (upstream->property("tunnel").toBool()) // a tunnel ends by its disconnected()
                return;
            client->write(reply(kRefused));
            client->disconnectFromHost();
        });
        upstream->connectToHost(host, port);
    });
}

} // namespace Courier::Test
