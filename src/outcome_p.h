// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/response.h"

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QNetworkReply>

#include <chrono>

namespace Courier {

/*! How a request ends when a decision refuses to go on: the error and its message. */
struct Failure
{
    Response::Error error = Response::NoError;
    QString message;
    bool transport = true; // no complete HTTP exchange (see Response::hasTransportError())

    explicit operator bool() const { return error != Response::NoError; }
    bool operator==(const Failure &other) const
    {
        return error == other.error && message == other.message && transport == other.transport;
    }
};

/*! The words every message of \a error starts with ("Timed out", "Protocol error", …). */
QString errorTitle(Response::Error error);

/*!
    The message of \a error at \a where: "<title> (<where>)", or "<title> (<where>: <detail>)"
    when there is a \a detail. \a where is "host:port", or the host alone for a name that did not
    resolve. Every failure that happened at a place is worded so, on both engines; the table of
    doc/errors.md shows them.
*/
QString failureMessage(Response::Error error, const QString &where, const QString &detail = QString());

/*! Which of Courier's timeouts ended a hop. */
enum class TimeoutKind { None, Connect, Read, Total };

/*!
    The failure for timeout \a kind of \a limit, on a hop to \a where ("host:port"):
    "Timed out (<where>: no connection within <n> ms, the connect timeout)", "Timed out (<where>:
    no data for <n> ms, the read timeout)", "Timed out (<where>: the request took longer than its
    total timeout of <n> ms)".
*/
Failure timeoutFailure(TimeoutKind kind, const QString &where, std::chrono::milliseconds limit);

/*!
    Whether the engine reported a complete exchange: no error, or the one Qt derives from a 4xx
    or 5xx status.
*/
bool exchangeWorked(QNetworkReply::NetworkError error, int status);

/*!
    The outcome of a complete exchange with \a status: NoError for 1xx to 3xx, otherwise the
    Response::Error of the status with "<title>: the server replied <status> <message>" (the
    proxy for 407). Not a transport error.
*/
Failure statusOutcome(int status, const QString &statusMessage);

/*! What the engine said of a hop that did not complete, and what Courier counted of it. */
struct TransportError
{
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString message; // the engine's errorString()
    int status = 0; // 0 when no status line was read
    QUrl url; // the hop's
    bool hasBody = false; // the request has a body (and is no HEAD)
    qint64 sent = 0; // request body bytes sent
    qint64 toSend = 0; // of the request body; -1 when unknown
    qint64 contentLength = -1; // announced by the response, -1 when none
    qint64 received = 0; // body bytes received (as sent, before decoding)
    QStringList sslErrors; // the certificate errors Qt reported, in words
    QNetworkProxy proxy; // the proxy the hop went through (NoProxy when none)
};

/*! Whether the connection broke while the request body was still being written. */
bool brokeWhileSending(const TransportError &failure);

/*!
    Whether Qt 6.4 failed an HTTP/2 request the server never processed (RFC 9113 section 8.7): a
    stream above a GOAWAY's last stream identifier, one not yet started when GOAWAY came, or one
    refused with REFUSED_STREAM. Qt's words (qhttp2protocolhandler.cpp, http2protocol.cpp) are
    the only way to tell.
*/
bool isUnprocessedHttp2(QNetworkReply::NetworkError error, const QString &message);

/*!
    The Response::Error and message of a hop that did not complete, as failureMessage() words it:
    Qt's and libcurl's errors mapped to Courier's categories (a TLS alert after the handshake is
    SslHandshakeFailed, a connection broken while sending is RemoteHostClosed, a refusal by the
    proxy is the proxy's on both engines, …), at the server or at the proxy that failed, and the
    engine's words as the detail only when they add to the title and the place, without any
    password of the URL.
*/
Failure classifyTransportError(const TransportError &failure);

} // namespace Courier
