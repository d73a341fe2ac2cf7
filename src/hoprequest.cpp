// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "hoprequest_p.h"

#include "cookies_p.h"
#include "decoder_p.h"
#include "engine_p.h"
#include "logging_p.h"
#include "url_p.h"

#include <QtNetwork/QSslConfiguration>

#include <algorithm>
#include <optional>
#include <utility>

namespace Courier {

namespace {

// What every hop of one kind starts from: the attributes, and for a hop with no header of its
// own the two headers Courier adds. Each hop copies the last one built in its thread, and a
// QNetworkRequest is implicitly shared: the hops share Qt's tables of attributes and headers,
// where each would build its own (about 2 KiB each in Qt 6.4, kept as long as its reply lives).
struct BaseRequest
{
    bool built = false;
    bool usingCache = true;
    Request::Protocol protocol = Request::Protocol::Auto;
    bool https = false;
    QByteArray userAgent; // the base with headers: its User-Agent
    QNetworkRequest request;
};

// \a userAgent: the base with User-Agent and Accept-Encoding; nullptr: the attributes alone.
const QNetworkRequest &baseRequest(bool usingCache, Request::Protocol protocol, bool https, const QByteArray *userAgent)
{
    thread_local BaseRequest bases[2];
    BaseRequest &base = bases[userAgent ? 1 : 0];
    if (base.built && base.usingCache == usingCache && base.protocol == protocol && base.https == https
        && (!userAgent || base.userAgent == *userAgent))
        return base.request;
    QNetworkRequest nr;
    // Courier follows redirects itself so that it can drop credentials when a hop leaves the origin.
    nr.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // Courier answers challenges itself: Qt would answer one request's challenge with credentials
    // cached from another (another user's, maybe). Manual keeps Qt's cache out and hands the 401 over.
    nr.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);
    if (!usingCache) {
        nr.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
        nr.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    }
    // Cookies come from the Client's jar, not the manager's, which applications may share.
    nr.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    nr.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);

    switch (protocol) {
    case Request::Protocol::Auto: break;
    case Request::Protocol::Http1: nr.setAttribute(QNetworkRequest::Http2AllowedAttribute, false); break;
    case Request::Protocol::Http2: nr.setAttribute(QNetworkRequest::Http2AllowedAttribute, true); break;
    case Request::Protocol::Http2PriorKnowledge:
        // RFC 9113 section 3.2: over TLS, HTTP/2 is chosen with ALPN; prior knowledge is for h2c.
        nr.setAttribute(https ? QNetworkRequest::Http2AllowedAttribute : QNetworkRequest::Http2DirectAttribute, true);
        break;
    }
    if (userAgent) {
        nr.setRawHeader("User-Agent", *userAgent);
        nr.setRawHeader("Accept-Encoding", ContentDecoder::acceptEncoding());
    }
    base = {true, usingCache, protocol, https, userAgent ? *userAgent : QByteArray(), nr};
    return base.request;
}

// \a options' sslConfiguration() with only its own CA certificates, not the system's, for the
// libcurl engine, which takes the system's store by itself (CurlAttribute::SystemAndListedCas):
// Qt never decodes the system's certificates for it, which costs a tenth of a second of CPU.
// Built once for the options of the Client whose requests are being built (one entry per thread).
QSslConfiguration sslConfigurationWithoutSystemCas(const TlsOptions &options)
{
    thread_local std::optional<std::pair<TlsOptions, QSslConfiguration>> last;
    if (!last || last->first != options) {
        TlsOptions own = options;
        own.setSystemCaCertificatesUsed(false);
        last.emplace(options, own.sslConfiguration());
    }
    return last->second;
}

} // namespace

QNetworkRequest buildHopRequest(const HopSpec &spec)
{
    const Request &hop = spec.request;
    const QUrl target = hop.url();
    const bool https = Url::isHttps(target);
    // No header of the application's, no cookie, no Authorization, no body: the headers are
    // User-Agent and Accept-Encoding, as the base has them.
    const QByteArray userAgent = hop.userAgent().isEmpty() ? spec.userAgent : hop.userAgent();
    const bool ownHeaders = !hop.headers().isEmpty() || !spec.cookies.isEmpty() || !spec.authorization.isEmpty()
        || hop.bodyKind() != Request::BodyKind::None || userAgent.isEmpty();
    QNetworkRequest nr = baseRequest(hop.usingCache(), spec.protocol, https, ownHeaders ? nullptr : &userAgent);
    nr.setUrl(target);
    nr.setPriority(hop.priority() > Request::MinimumPriority ? QNetworkRequest::HighPriority
                                                             : QNetworkRequest::NormalPriority);

    if (https && !spec.tls.pinnedPublicKeys().isEmpty()) {
        nr.setAttribute(CurlAttribute::KeepPeerChain, true);
        nr.setAttribute(CurlAttribute::PinnedPublicKeys, QVariant::fromValue(spec.tls.pinnedPublicKeys()));
    }
    if (https && !spec.tls.isDefault()) {
        if (!spec.tls.hostNameCheckEnabled())
            nr.setAttribute(CurlAttribute::SkipHostNameCheck, true);
        if (!spec.tls.systemCaCertificatesUsed()) {
            nr.setSslConfiguration(spec.tls.sslConfiguration());
            nr.setAttribute(CurlAttribute::CaCertificateSource, CurlAttribute::ListedCasOnly);
        } else if (spec.engineTrustsSystemCas && !spec.tls.caCertificates().isEmpty()) {
            nr.setSslConfiguration(sslConfigurationWithoutSystemCas(spec.tls));
            nr.setAttribute(CurlAttribute::CaCertificateSource, CurlAttribute::SystemAndListedCas);
        } else {
            nr.setSslConfiguration(spec.tls.sslConfiguration());
        }
        if (!spec.tls.peerVerifyName().isEmpty())
            nr.setPeerVerifyName(spec.tls.peerVerifyName());
        if (!spec.tls.hostNameCheckEnabled())
            qCWarning(lcTls) << "the host-name check is off for" << Url::redacted(target)
                             << ": any certificate from a trusted CA is accepted";
    }
    if (!spec.connectionName.isEmpty())
        nr.setPeerVerifyName(spec.connectionName);
    if (!ownHeaders)
        return nr;

    QList<QByteArray> names;
    const QList<QPair<QByteArray, QByteArray>> headers = hop.headers();
    for (const auto &header : headers) {
        if (std::none_of(names.cbegin(), names.cend(),
                         [&](const QByteArray &n) { return n.compare(header.first, Qt::CaseInsensitive) == 0; }))
            names.append(header.first);
    }
    for (const QByteArray &name : std::as_const(names)) {
        // Over https a proxy sees only the CONNECT, whose credentials are the QNetworkProxy's:
        // this header would go inside the tunnel, to the origin server.
        if (https && name.compare("Proxy-Authorization", Qt::CaseInsensitive) == 0) {
            qCDebug(lcResponse)
                << "Proxy-Authorization left out of an https request: set the proxy's credentials on its QNetworkProxy";
            continue;
        }
        nr.setRawHeader(name, hop.header(name));
    }
    if (!spec.cookies.isEmpty())
        nr.setRawHeader("Cookie", Cookies::requestHeader(hop.header("Cookie"), spec.cookies));
    if (!hop.hasHeader(QByteArrayLiteral("User-Agent")) && !userAgent.isEmpty())
        nr.setRawHeader("User-Agent", userAgent);
    // Courier undoes content codings itself, the same way on every engine (ContentDecoder):
    // asked for here, the engines hand the body over as sent. An Accept-Encoding of the
    // application's is its own to decode.
    if (!hop.hasHeader(QByteArrayLiteral("Accept-Encoding")))
        nr.setRawHeader("Accept-Encoding", ContentDecoder::acceptEncoding());
    if (!spec.authorization.isEmpty())
        nr.setRawHeader("Authorization", spec.authorization);
    if (hop.bodyKind() != Request::BodyKind::None && !hop.hasHeader(QByteArrayLiteral("Content-Type")))
        nr.setRawHeader("Content-Type", hop.contentType());
    return nr;
}

} // namespace Courier
