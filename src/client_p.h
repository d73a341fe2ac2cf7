// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/client.h"
#include "Courier/cookiejar.h"

#include "options_p.h"
#include "response_p.h"

#include <QtCore/QPointer>

namespace Courier {

class ClientPrivate
{
    Q_DECLARE_PUBLIC(Client)
public:
    explicit ClientPrivate(Client *q, QNetworkAccessManager *manager, Client::Engine engine);

    /*!
        The manager a request with \a tls goes through. Qt 6.4 keys its open connections on
        scheme, host and port alone, whatever their TLS configuration, and sends a request over a
        kept-alive connection without a signal before it: a request with pins, CAs or a client
        certificate of its own could go out over a connection that another configuration opened
        and verified. So, on Qt's engine and with a manager Courier created, each TLS
        configuration but the default gets a QNetworkAccessManager of its own (its own
        connections and HTTP thread), made when first needed; on a new connection Qt waits for
        encrypted(), where the pins are checked, before it sends anything. libcurl keys its
        connections on the TLS settings, and CurlReply checks pins before every request.
    */
    QNetworkAccessManager *managerFor(const TlsOptions &tls);

    /*! A Response of \a client to \a request that sends nothing and ends with \a failure. */
    static Response *refuse(Client *client, const Request &request, const Failure &failure);

    /*!
        What a Response to \a request needs to start: the request with the base URL, default
        headers and user agent applied, the options resolved, the manager and the cookie jar.
    */
    ResponseSetup setupFor(const Request &request, const QString &downloadPath, const DownloadOptions &download);

    Client *const q_ptr;
    QPointer<QNetworkAccessManager> manager;
    bool ownsManager = false;
    QList<QPair<TlsOptions, QNetworkAccessManager *>> tlsManagers; // children of the Client

    QUrl baseUrl;
    QByteArray userAgent;
    QList<QPair<QByteArray, QByteArray>> defaultHeaders;
    Options defaults = defaultOptions(); // what a request does not set itself

    CookieJar *ownCookieJar = nullptr; // child of the Client, used unless the application gives one
    QPointer<QNetworkCookieJar> cookieJar;
};

} // namespace Courier
