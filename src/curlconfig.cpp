// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// CurlReply's set-up of its easy handle from the QNetworkRequest (URL, protocol, method, body,
// headers, cookies, redirects, proxy, TLS), and what it reads of the TLS peer: its chain, and
// whether a key of it is pinned.

#include "curlreply_p.h"

#include "cookies_p.h"
#include "curlaccessmanager_p.h"
#include "proxy_p.h"
#include "url_p.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QVarLengthArray>
#include <QtNetwork/QNetworkCookieJar>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslKey>

#include <openssl/opensslv.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace Courier {

namespace {
bool hasControlCharacters(QByteArrayView bytes)
{
    return std::any_of(bytes.begin(), bytes.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// Whether \a name is \a known, case-insensitively (a literal's size is its length plus one).
template <qsizetype N>
bool isNamed(const QByteArray &name, const char (&known)[N])
{
    return name.size() == N - 1 && qstrnicmp(name.constData(), known, N - 1) == 0;
}

// "scheme://host:port" of \a encoded, an encoded URL without user info (QUrl keeps the scheme
// and the host in lower case), \a port being its effective port: the key of the per-host limit.
QByteArray originOf(const QByteArray &encoded, int port)
{
    const qsizetype hostAt = encoded.indexOf("://") + 3;
    qsizetype end = hostAt;
    while (end < encoded.size() && encoded.at(end) != '/' && encoded.at(end) != '?')
        ++end;
    QByteArray origin = encoded.first(end);
    const qsizetype colon = origin.lastIndexOf(':');
    if (colon < hostAt || colon < origin.lastIndexOf(']')) // none, or one of an IPv6 address
        origin += ':' + QByteArray::number(port);
    return origin;
}

// The transfer's TLS connection, when libcurl uses the OpenSSL that Courier is built against;
// null otherwise. libcurl on LibreSSL or BoringSSL reports the same backend, but its SSL object is
// not one OpenSSL's functions may be given (doc/platforms.md).
SSL *openSslConnection(CURL *easy)
{
    static const bool sameLibrary = [] {
        const char *version = curl_version_info(CURLVERSION_NOW)->ssl_version;
        const QByteArray expected = "OpenSSL/" + QByteArray::number(OPENSSL_VERSION_MAJOR) + '.';
        return version && QByteArray(version).startsWith(expected);
    }();
    const curl_tlssessioninfo *info = nullptr;
    if (!sameLibrary || curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || !info
        || info->backend != CURLSSLBACKEND_OPENSSL)
        return nullptr;
    return static_cast<SSL *>(info->internals);
}
} // namespace

bool CurlReply::configure(QString *why)
{
    const QUrl original = req.url();
    https = original.scheme() == QLatin1String("https"); // QUrl keeps schemes in lower case
    if (!original.isValid() || original.host().isEmpty()) {
        *why = QStringLiteral("Invalid URL: %1").arg(Url::redacted(original));
        return false;
    }
    if (verb.isEmpty() || hasControlCharacters(verb) || verb.contains(' ')) {
        *why = QStringLiteral("Invalid method");
        return false;
    }

    // COURIER_CURL_VERBOSE=1: libcurl's own trace of every transfer on stderr, for debugging.
    static const bool verbose = qEnvironmentVariableIntValue("COURIER_CURL_VERBOSE") > 0;
    if (verbose)
        set(easy, CURLOPT_VERBOSE, 1L);
    set(easy, CURLOPT_PRIVATE, this);
    set(easy, CURLOPT_ERRORBUFFER, errorBuffer);
    set(easy, CURLOPT_NOSIGNAL, 1L);
    set(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    set(easy, CURLOPT_PIPEWAIT, 1L);
    set(easy, CURLOPT_HEADERFUNCTION, &CurlReply::onHeader);
    set(easy, CURLOPT_HEADERDATA, this);
    set(easy, CURLOPT_WRITEFUNCTION, &CurlReply::onWrite);
    set(easy, CURLOPT_WRITEDATA, this);
    set(easy, CURLOPT_OPENSOCKETFUNCTION, &CurlReply::onOpenSocket);
    set(easy, CURLOPT_OPENSOCKETDATA, this);
    set(easy, CURLOPT_PREREQFUNCTION, &CurlReply::onPrereq);
    set(easy, CURLOPT_PREREQDATA, this);
    // Reads of 64 KiB: fewer trips through the event loop for large bodies.
    set(easy, CURLOPT_BUFFERSIZE, 64L * 1024);

    // The URL as sent: no fragment, and the credentials through their own options.
    constexpr QUrl::FormattingOptions sent = QUrl::RemoveFragment | QUrl::RemoveUserInfo;
    QByteArray target;
    bool renamed = false;
    // The header lines libcurl sends besides its own, in this order.
    const auto addHeader = [this](const char *line) { headerList = curl_slist_append(headerList, line); };
    const bool manualAuth = req.attribute(QNetworkRequest::AuthenticationReuseAttribute).toInt()
        == QNetworkRequest::Manual;
    if (!manualAuth && !original.userName().isEmpty()) {
        set(easy, CURLOPT_USERNAME, original.userName().toUtf8().constData());
        set(easy, CURLOPT_PASSWORD, original.password().toUtf8().constData());
        set(easy, CURLOPT_HTTPAUTH, long(CURLAUTH_BASIC | CURLAUTH_DIGEST));
    }
    // peerVerifyName(): the certificate must name another host. libcurl checks the URL's host,
    // so it gets that name and is told where to connect; Host still names the real server.
    if (https && !req.peerVerifyName().isEmpty() && req.peerVerifyName() != original.host()) {
        const int port = Url::effectivePort(original);
        QUrl named = original;
        named.setHost(req.peerVerifyName());
        target = named.toEncoded(sent);
        renamed = true;
        connectTo = curl_slist_append(
            connectTo,
            QStringLiteral("%1:%2:%3:%2").arg(req.peerVerifyName()).arg(port).arg(original.host()).toUtf8().constData());
        set(easy, CURLOPT_CONNECT_TO, connectTo);
        if (!req.hasRawHeader("Host")) {
            const QByteArray host = original.host(QUrl::FullyEncoded).toLatin1();
            addHeader(QByteArray("Host: " + (original.port() >= 0 ? host + ':' + QByteArray::number(port) : host))
                          .constData());
        }
    }
    if (!renamed)
        target = original.toEncoded(sent);
    set(easy, CURLOPT_URL, target.constData());

    // Protocol, as Qt 6.4 chooses it: HTTP/2 over TLS by ALPN unless Http2AllowedAttribute is
    // false; on http, h2c with prior knowledge when Http2DirectAttribute asks, and never an
    // "Upgrade: h2c" (which libcurl's CURL_HTTP_VERSION_2_0 would send).
    long version = https && req.attribute(QNetworkRequest::Http2AllowedAttribute, true).toBool()
        ? CURL_HTTP_VERSION_2TLS
        : CURL_HTTP_VERSION_1_1;
    if (req.attribute(QNetworkRequest::Http2DirectAttribute).toBool())
        version = CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
    set(easy, CURLOPT_HTTP_VERSION, version);
    limited = version == CURL_HTTP_VERSION_1_1;
    if (limited)
        origin = renamed ? Url::origin(original).toLatin1() : originOf(target, Url::effectivePort(original));

    // The method and its body.
    if (verb == "HEAD") {
        set(easy, CURLOPT_NOBODY, 1L);
    } else if (upload) {
        if (!upload->isOpen() || !upload->isReadable()) {
            *why = QStringLiteral("The request body's device is not open for reading");
            return false;
        }
        // POST as libcurl's POST, so that a 301, 302 or 303 goes on as a GET, as with Qt and
        // browsers; any other method as an upload under its own name.
        if (verb == "POST")
            set(easy, CURLOPT_POST, 1L);
        else
            set(easy, CURLOPT_UPLOAD, 1L);
        set(easy, CURLOPT_READFUNCTION, &CurlReply::onRead);
        set(easy, CURLOPT_READDATA, this);
        bool known = false;
        const qint64 declared = req.header(QNetworkRequest::ContentLengthHeader).toLongLong(&known);
        if (known)
            uploadSize = declared;
        else if (!upload->isSequential())
            uploadSize = upload->size() - upload->pos();
        if (!upload->isSequential()) {
            uploadStart = upload->pos();
            set(easy, CURLOPT_SEEKFUNCTION, &CurlReply::onSeek);
            set(easy, CURLOPT_SEEKDATA, this);
        }
        if (verb == "POST") {
            set(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(uploadSize));
        } else {
            set(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(uploadSize));
            if (verb != "PUT")
                set(easy, CURLOPT_CUSTOMREQUEST, verb.constData());
        }
        addHeader("Expect:"); // Qt does not wait for 100-continue either
        QObject::connect(upload, &QIODevice::readyRead, this, [this] {
            if (uploadPaused)
                queueResume();
        });
        QObject::connect(upload, &QIODevice::readChannelFinished, this, [this] {
            uploadEnded = true;
            if (uploadPaused)
                queueResume();
        });
    } else if (verb != "GET") {
        set(easy, CURLOPT_CUSTOMREQUEST, verb.constData());
    }

    // Headers, as given. libcurl adds Host, and Content-Length or chunked framing for a body.
    bool hasAccept = false;
    bool hasAcceptEncoding = false;
    bool hasCookie = false;
    QVarLengthArray<char, 512> line; // "name: value", or "name;" for an empty value
    for (const QByteArray &name : req.rawHeaderList()) {
        const QByteArray value = req.rawHeader(name);
        if (name.isEmpty() || hasControlCharacters(name) || name.contains(':') || hasControlCharacters(value)) {
            *why = QStringLiteral("The header \"%1\" contains a control character")
                       .arg(QString::fromLatin1(name.left(64)));
            return false;
        }
        hasAccept = hasAccept || isNamed(name, "Accept");
        hasAcceptEncoding = hasAcceptEncoding || isNamed(name, "Accept-Encoding");
        hasCookie = hasCookie || isNamed(name, "Cookie");
        if (upload && isNamed(name, "Content-Length"))
            continue; // set as the upload size
        line.clear();
        line.append(name.constData(), name.size());
        if (value.isEmpty()) {
            line.append(';');
        } else {
            line.append(": ", 2);
            line.append(value.constData(), value.size());
        }
        line.append('\0');
        addHeader(line.constData());
    }
    if (!hasAccept)
        addHeader("Accept:"); // libcurl's default "*/*": Qt sends none
    curlDecodes = !hasAcceptEncoding;
    if (curlDecodes) {
        // libcurl undoes the codings it accepts. Its own Accept-Encoding line would be formatted
        // twice, byte by byte (aprintf(), then the request's): the same line, given, is once.
        set(easy, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
        addHeader("Accept-Encoding: gzip, deflate");
    } else {
        set(easy, CURLOPT_HTTP_CONTENT_DECODING, 0L); // the application decodes what it asked for
    }
    QNetworkAccessManager *q = manager->q_ptr;
    const bool loadCookies = req.attribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Automatic)
                                 .toInt()
        == QNetworkRequest::Automatic;
    if (loadCookies && q->cookieJar() && !hasCookie) {
        const QByteArray header = Cookies::requestHeader(QByteArray(), q->cookieJar()->cookiesForUrl(original));
        if (!header.isEmpty() && !hasControlCharacters(header))
            addHeader(QByteArray("Cookie: " + header).constData());
    }
    set(easy, CURLOPT_HTTPHEADER, headerList);

    // Redirects: libcurl follows them for a policy that asks for it.
    const auto policy = QNetworkRequest::RedirectPolicy(
        req.attribute(QNetworkRequest::RedirectPolicyAttribute, int(q->redirectPolicy())).toInt());
    followRedirects = policy == QNetworkRequest::NoLessSafeRedirectPolicy
        || policy == QNetworkRequest::SameOriginRedirectPolicy;
    sameOriginOnly = policy == QNetworkRequest::SameOriginRedirectPolicy;
    if (followRedirects) {
        set(easy, CURLOPT_FOLLOWLOCATION, 1L);
        set(easy, CURLOPT_MAXREDIRS, long(req.maximumRedirectsAllowed()));
        set(easy, CURLOPT_REDIR_PROTOCOLS_STR,
            https || policy == QNetworkRequest::SameOriginRedirectPolicy ? (https ? "https" : "http") : "http,https");
    }

    if (req.transferTimeout() > 0) {
        set(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
        set(easy, CURLOPT_LOW_SPEED_TIME, long((req.transferTimeout() + 999) / 1000));
    }

    configureProxy();
    return !https || configureTls(why);
}

void CurlReply::configureProxy()
{
    const QNetworkProxy proxy = Proxies::forUrl(manager->q_ptr, req.url());
    QByteArray address;
    switch (proxy.type()) {
    case QNetworkProxy::HttpProxy:
    case QNetworkProxy::HttpCachingProxy: address = "http://"; break;
    case QNetworkProxy::Socks5Proxy: address = "socks5h://"; break;
    default: break;
    }
    // No proxy for any host, else no exception: libcurl reads no http_proxy, no_proxy and
    // friends, as Qt does not.
    if (address.isEmpty()) {
        set(easy, CURLOPT_NOPROXY, "*");
        return;
    }
    set(easy, CURLOPT_NOPROXY, "");
    QUrl host;
    host.setHost(proxy.hostName());
    address += host.host(QUrl::FullyEncoded).toUtf8() + ':' + QByteArray::number(proxy.port());
    set(easy, CURLOPT_PROXY, address.constData());
    proxied = true;
    if (!proxy.user().isEmpty()) {
        set(easy, CURLOPT_PROXYUSERNAME, proxy.user().toUtf8().constData());
        set(easy, CURLOPT_PROXYPASSWORD, proxy.password().toUtf8().constData());
        set(easy, CURLOPT_PROXYAUTH, long(CURLAUTH_BASIC | CURLAUTH_DIGEST));
    }
}

bool CurlReply::configureTls(QString *why)
{
    const QSslConfiguration c = req.sslConfiguration();
    const bool verify = c.peerVerifyMode() != QSslSocket::VerifyNone && c.peerVerifyMode() != QSslSocket::QueryPeer;
    set(easy, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
    set(easy, CURLOPT_SSL_VERIFYHOST, verify && !req.attribute(CurlAttribute::SkipHostNameCheck).toBool() ? 2L : 0L);
    const QList<QSslCertificate> cas = c.caCertificates();
    // The configuration's CAs replace the system's, as they do for Qt, unless Courier says that
    // the system's are trusted too.
    const int source = req.attribute(CurlAttribute::CaCertificateSource).toInt();
    const bool systemToo = source == CurlAttribute::SystemAndListedCas;
    if (source != 0 || cas != QSslConfiguration::defaultConfiguration().caCertificates()) {
        const CurlAccessManagerPrivate::CaLocations at = manager->caLocations(cas, systemToo);
        if (at.file.isEmpty()) {
            *why = QStringLiteral("The CA certificates could not be written for libcurl");
            return false;
        }
        set(easy, CURLOPT_CAPATH, at.folder.isEmpty() ? static_cast<const char *>(nullptr) : at.folder.constData());
        set(easy, CURLOPT_CAINFO, QFile::encodeName(at.file).constData());
    }
    if (!c.localCertificate().isNull()) {
        if (c.privateKey().isNull()) {
            *why = QStringLiteral("The client certificate has no private key");
            return false;
        }
        const QByteArray cert = c.localCertificate().toPem();
        const QByteArray key = c.privateKey().toPem();
        curl_blob certBlob{const_cast<char *>(cert.constData()), size_t(cert.size()), CURL_BLOB_COPY};
        curl_blob keyBlob{const_cast<char *>(key.constData()), size_t(key.size()), CURL_BLOB_COPY};
        set(easy, CURLOPT_SSLCERT_BLOB, &certBlob);
        set(easy, CURLOPT_SSLCERTTYPE, "PEM");
        set(easy, CURLOPT_SSLKEY_BLOB, &keyBlob);
        set(easy, CURLOPT_SSLKEYTYPE, "PEM");
    }
    switch (c.protocol()) {
    case QSsl::TlsV1_3OrLater: set(easy, CURLOPT_SSLVERSION, long(CURL_SSLVERSION_TLSv1_3)); break;
    case QSsl::TlsV1_2OrLater: set(easy, CURLOPT_SSLVERSION, long(CURL_SSLVERSION_TLSv1_2)); break;
    default: break;
    }
    keepPeerChain = req.attribute(CurlAttribute::KeepPeerChain).toBool();
    pins = req.attribute(CurlAttribute::PinnedPublicKeys).value<QList<QByteArray>>();
    return true;
}

bool CurlReply::readPeerChain()
{
    SSL *ssl = openSslConnection(easy);
    STACK_OF(X509) *chain = ssl ? SSL_get_peer_cert_chain(ssl) : nullptr;
    if (!chain)
        return false;
    peerChain.clear();
    for (int i = 0; i < sk_X509_num(chain); ++i) {
        unsigned char *der = nullptr;
        const int size = i2d_X509(sk_X509_value(chain, i), &der);
        if (size > 0)
            peerChain.append(QSslCertificate(QByteArray(reinterpret_cast<char *>(der), size), QSsl::Der));
        OPENSSL_free(der);
    }
    return true;
}

bool CurlReply::pinsMatch(int *chainLength) const
{
    *chainLength = 0;
    SSL *ssl = openSslConnection(easy);
    if (!ssl)
        return false;
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
    *chainLength = chain ? sk_X509_num(chain) : 0;
    for (int i = 0; i < *chainLength; ++i) {
        unsigned char *der = nullptr;
        const int size = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(sk_X509_value(chain, i)), &der);
        const QByteArray digest = size > 0
            ? QCryptographicHash::hash(QByteArrayView(reinterpret_cast<const char *>(der), size),
                                       QCryptographicHash::Sha256)
            : QByteArray();
        OPENSSL_free(der);
        if (!digest.isEmpty() && pins.contains(digest))
            return true;
    }
    return false;
}

} // namespace Courier
