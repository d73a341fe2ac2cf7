// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/tlsoptions.h"

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QUrl>

// Connections a Response must not use again, on Qt's engine. Qt 6.4 offers no way to close one
// connection of a QNetworkAccessManager (clearConnectionCache() ends its HTTP thread, and every
// request in flight on it with it). But its connection cache keys on the peer verify name too:
// a new "generation" of (manager, origin), kept as a property of the manager so that every
// Client sharing it sees it, gives Courier's later requests a connection of their own, and the
// old one is left to expire. A generation's peer verify name is one Qt verifies as the same
// name: the host with the case of its letters changed (names compare without case), another
// spelling of an address, and for http any text (it is only used for TLS).
namespace Courier::Connections {

/*! The generation of \a manager's connections to \a url's origin Courier uses now (0 at first). */
int generation(const QObject *manager, const QUrl &url);
/*!
    The peer verify name that selects generation \a generation of the connections to \a url,
    whose certificate must name \a tls's peer verify name or the host; empty for generation 0, or
    when no other spelling of the name is left.
*/
QString peerNameOf(const QUrl &url, const TlsOptions &tls, int generation);
/*!
    Gives up on generation \a current of \a manager's connections to \a url: later requests get
    another one. Once per generation (requests that failed together on it move on together);
    false when no new generation can be had.
*/
bool retire(QObject *manager, const QUrl &url, const TlsOptions &tls, int current);

} // namespace Courier::Connections
