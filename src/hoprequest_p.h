// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/request.h"
#include "Courier/tlsoptions.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtNetwork/QNetworkCookie>
#include <QtNetwork/QNetworkRequest>

namespace Courier {

/*! Everything one hop's QNetworkRequest is made of. */
struct HopSpec
{
    Request request; // the hop's request: URL, method, headers, body kind
    QByteArray userAgent; // sent when the request has no user agent of its own
    Request::Protocol protocol = Request::Protocol::Auto;
    TlsOptions tls;
    QString connectionName; // a peer verify name choosing the hop's connection (see connections_p.h); empty for any
    QList<QNetworkCookie> cookies; // the jar's cookies for the hop's URL
    QByteArray authorization; // Courier's Authorization for the hop (Auth::authorizationFor()); empty for none
    bool engineTrustsSystemCas = false; // the libcurl engine: it takes the system's CAs by itself
};

/*!
    The QNetworkRequest of one hop, for either engine. Courier follows redirects, answers
    challenges and handles cookies itself (the manager's own policies are off); the protocol
    and TLS options become attributes; headers go as given, but for a Proxy-Authorization over
    https (it would go inside the tunnel, to the origin); the jar's cookies follow the
    application's Cookie header; Accept-Encoding asks for the codings ContentDecoder undoes
    unless the application asked for its own. Pure: no manager, no jar, no clock.
*/
QNetworkRequest buildHopRequest(const HopSpec &spec);

} // namespace Courier
