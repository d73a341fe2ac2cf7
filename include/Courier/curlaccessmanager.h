// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/courier_export.h"

#include <QtNetwork/QNetworkAccessManager>

#include <memory>

namespace Courier {

class CurlAccessManagerPrivate;

/*!
    \class Courier::CurlAccessManager
    \brief A QNetworkAccessManager that serves http and https through libcurl.

    CurlAccessManager replaces Qt's HTTP stack with libcurl's multi interface, driven by the
    event loop of the thread the manager lives in: curl's sockets are watched with
    QSocketNotifier and its timeouts run on a QTimer. There is no extra thread and no polling.
    Every http or https request returns a QNetworkReply of its own that behaves as Qt's does, so
    Courier::Client (Client::Engine::Curl) and code that uses QNetworkReply directly both work
    over it unchanged. Other schemes (file, data, qrc) go to QNetworkAccessManager.

    What it honours, per request: the operation or custom verb and its body (streamed from the
    QIODevice, paused while the device has nothing to give; a sequential device of unknown size
    goes out chunked, which Qt 6.4 cannot do), every raw header (one with CR, LF or NUL ends the
    reply with ProtocolInvalidOperationError before anything is sent; Qt 6.4 sends it as given), the redirect
    policy (NoLessSafeRedirectPolicy, SameOriginRedirectPolicy, whose other-origin hop ends in
    InsecureRedirectError, and ManualRedirectPolicy; UserVerifiedRedirectPolicy is not followed),
    QNetworkRequest::maximumRedirectsAllowed(), Http2AllowedAttribute and Http2DirectAttribute
    (HTTP/2 through ALPN over https; over http only h2c with prior knowledge, never an
    "Upgrade: h2c", as with Qt 6.4), the request's QSslConfiguration (CA certificates, local certificate and key, peer verify mode,
    minimum protocol; a CA list other than the default is written once to a PEM file in a temporary
    folder of the manager, which libcurl reads) and peerVerifyName(), transferTimeout() (no byte
    for that long, rounded up to seconds: TimeoutError), the manager's cookie jar (with
    CookieLoadControlAttribute and CookieSaveControlAttribute), its proxy or proxy factory (HTTP
    and SOCKS5 proxies, with credentials; a proxy that refuses them ends the reply with
    ProxyAuthenticationRequiredError, as Qt's engine does), and QNetworkReply::setReadBufferSize(): a reply whose
    buffer is full pauses its transfer until the application reads. HTTP/1.1 requests beyond
    maximumConnectionsPerHost() wait in QNetworkRequest::priority() order, as with Qt's engine.

    Replies set HttpStatusCodeAttribute, HttpReasonPhraseAttribute, Http2WasUsedAttribute,
    ConnectionEncryptedAttribute and RedirectionTargetAttribute, and emit
    socketStartedConnecting(), encrypted() (for a new TLS connection), requestSent(),
    metaDataChanged(), readyRead(), downloadProgress(), uploadProgress(), redirected(),
    errorOccurred() and finished(), each from the event loop, never from inside the call that
    created the reply; finished() is emitted exactly once, also after abort(), which emits it
    before it returns, as Qt's replies do. HTTP error statuses set the same
    QNetworkReply::NetworkError as Qt's engine.

    Differences from Qt's engine, by design or because libcurl decides:
    - A response cache set with setCache() is honoured by handing requests that may use it
      (CacheLoadControlAttribute other than AlwaysNetwork) to Qt's engine.
    - With libcurl older than 8.0, requests for h2c with prior knowledge
      (Http2DirectAttribute over http) go to Qt's engine: those libcurl versions fail every
      request after the first on such a connection (curl/curl#10634).
    - Certificate errors end the reply with SslHandshakeFailedError and the certificate's
      problem in errorString(), in QSslError's words when Qt has words for it (only the first
      problem OpenSSL met, where Qt lists them all), else in OpenSSL's; sslErrors() is not
      emitted, so ignoreSslErrors() from a handler has nothing to act on. Turn verification off
      in the request's QSslConfiguration instead.
    - A proxy that refuses the connection is ProxyConnectionRefusedError, which Qt 6.4 reports
      as ConnectionRefusedError or UnknownNetworkError. A refused connection and a host name
      that does not resolve are worded as Qt words them ("Connection refused", "Host … not
      found").
    - authenticationRequired() and proxyAuthenticationRequired() are not emitted: credentials
      come from the URL's user info (Basic or Digest, as the server asks) and from the proxy.
    - sslConfiguration() of a reply is its request's configuration: it carries no peer
      certificate chain.
    - Requests ask for `Accept-Encoding: gzip, deflate` unless they set the header themselves,
      and the body is decoded as Qt's engine does; a body that inflates more than 40 times past
      10 MiB is refused, as Qt 6.4 does. (A Courier Response sets the header itself and undoes
      the codings on its own, on either engine.)

    Ownership and threading: as QNetworkAccessManager. The manager and its replies live in one
    thread, which runs an event loop; a reply is a child of the manager until reparented.
    Destroying the manager aborts and deletes the replies still its children.

    Available when Courier was built with libcurl (COURIER_HAS_CURL in <Courier/version.h>).
*/
class COURIER_EXPORT CurlAccessManager : public QNetworkAccessManager
{
    Q_OBJECT
public:
    /*! A manager with its own libcurl multi handle: its own connection pool and DNS cache. */
    explicit CurlAccessManager(QObject *parent = nullptr);
    ~CurlAccessManager() override;

    /*! The most connections open to one host and port at a time: 6, as Qt's engine. */
    int maximumConnectionsPerHost() const;
    /*! Sets the most connections per host to \a maximum (at least 1); takes effect for
        connections opened from now on. */
    void setMaximumConnectionsPerHost(int maximum);

    /*! The libcurl this manager runs on, e.g. "libcurl/7.88.1 OpenSSL/3.0.11 nghttp2/1.52.0". */
    static QString curlVersion();

protected:
    /*! Serves http and https with libcurl; hands everything else to QNetworkAccessManager. */
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request,
                                 QIODevice *outgoingData = nullptr) override;

private:
    Q_DECLARE_PRIVATE(CurlAccessManager)
    std::unique_ptr<CurlAccessManagerPrivate> const d_ptr;
};

} // namespace Courier
