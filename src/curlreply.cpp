#include "curlreply_p.h"

#include "curlaccessmanager_p.h"
#include "cookies_p.h"
#include "logging_p.h"
#include "status_p.h"
#include "url_p.h"

#include "Courier/request.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QMetaObject>
#include <QtNetwork/QNetworkCookie>
#include <QtNetwork/QNetworkCookieJar>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QNetworkProxyFactory>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslKey>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>

#include <sys/socket.h>

namespace Courier {

namespace {
// Past this much header data Courier's own limit (Response::MaximumHeaderSize) has long failed
// the response; the engine stops reading rather than keep an endless block in memory.
constexpr qint64 HeaderHardLimit = 1024 * 1024;
// Qt 6.4's decompression guard (QDecompressHelper): past 10 MiB of output, more than 40 times
// the compressed size is taken for a decompression bomb.
constexpr qint64 BombCheckAfter = 10 * 1024 * 1024;
constexpr qint64 BombRatio = 40;

// A line of the server's, for a message: control characters and bytes past ASCII as '?'.
QString printable(QByteArrayView bytes)
{
    QString out;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        out += u < 0x20 || u >= 0x7f ? QLatin1Char('?') : QLatin1Char(c);
    }
    return out;
}

bool hasControlCharacters(const QByteArray &bytes)
{
    return bytes.contains('\r') || bytes.contains('\n') || bytes.contains('\0');
}

template <typename T>
void set(CURL *easy, CURLoption option, T value)
{
    curl_easy_setopt(easy, option, value);
}
} // namespace

CurlReply::CurlReply(CurlAccessManagerPrivate *m, QNetworkAccessManager::Operation op, const QNetworkRequest &request,
                     const QByteArray &method, QIODevice *outgoingData)
    : manager(m)
    , req(request)
    , verb(method)
    , upload(outgoingData)
{
    setRequest(request);
    setUrl(request.url());
    setOperation(op);
    QIODevice::open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

CurlReply::~CurlReply()
{
    removeFromMulti();
    if (easy)
        curl_easy_cleanup(easy);
    curl_slist_free_all(headerList);
    curl_slist_free_all(connectTo);
}

void CurlReply::removeFromMulti()
{
    if (!manager)
        return;
    if (suspendedSocket != CURL_SOCKET_BAD)
        manager->suspendReading(std::exchange(suspendedSocket, CURL_SOCKET_BAD), false);
    manager->remove(this);
}

void CurlReply::start()
{
    QString why;
    easy = curl_easy_init();
    if (!easy) {
        fail(UnknownNetworkError, QStringLiteral("libcurl could not create a transfer"));
        return;
    }
    const NetworkError refused = configure(&why) ? NoError : ProtocolInvalidOperationError;
    if (refused != NoError) {
        fail(refused, why);
        return;
    }
    manager->add(this);
}

bool CurlReply::configure(QString *why)
{
    const QUrl original = req.url();
    https = original.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
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

    QUrl target = original;
    target.setFragment(QString());
    target.setUserInfo(QString());
    QList<QByteArray> extra;
    const bool manualAuth = req.attribute(QNetworkRequest::AuthenticationReuseAttribute).toInt() == QNetworkRequest::Manual;
    if (!manualAuth && !original.userName().isEmpty()) {
        set(easy, CURLOPT_USERNAME, original.userName().toUtf8().constData());
        set(easy, CURLOPT_PASSWORD, original.password().toUtf8().constData());
        set(easy, CURLOPT_HTTPAUTH, long(CURLAUTH_BASIC | CURLAUTH_DIGEST));
    }
    // peerVerifyName(): the certificate must name another host. libcurl checks the URL's host,
    // so it gets that name and is told where to connect; Host still names the real server.
    if (https && !req.peerVerifyName().isEmpty() && req.peerVerifyName() != original.host()) {
        const int port = Url::effectivePort(original);
        target.setHost(req.peerVerifyName());
        connectTo = curl_slist_append(connectTo, QStringLiteral("%1:%2:%3:%2")
                                                     .arg(req.peerVerifyName())
                                                     .arg(port)
                                                     .arg(original.host())
                                                     .toUtf8()
                                                     .constData());
        set(easy, CURLOPT_CONNECT_TO, connectTo);
        if (!req.hasRawHeader("Host")) {
            const QByteArray host = original.host(QUrl::FullyEncoded).toLatin1();
            extra.append("Host: " + (original.port() >= 0 ? host + ':' + QByteArray::number(port) : host));
        }
    }
    set(easy, CURLOPT_URL, target.toEncoded().constData());

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
    origin = Url::origin(original).toLatin1();

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
        extra.append("Expect:"); // Qt does not wait for 100-continue either
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
    for (const QByteArray &name : req.rawHeaderList()) {
        const QByteArray value = req.rawHeader(name);
        if (name.isEmpty() || hasControlCharacters(name) || name.contains(':') || hasControlCharacters(value)) {
            *why = QStringLiteral("The header \"%1\" contains a control character").arg(QString::fromLatin1(name.left(64)));
            return false;
        }
        if (upload && name.compare("Content-Length", Qt::CaseInsensitive) == 0)
            continue; // set as the upload size
        extra.append(value.isEmpty() ? QByteArray(name + ';') : QByteArray(name + ": " + value));
    }
    auto has = [&](const char *name) { return req.hasRawHeader(name); };
    if (!has("Accept"))
        extra.append("Accept:"); // libcurl's default "*/*": Qt sends none
    if (has("Accept-Encoding")) {
        set(easy, CURLOPT_HTTP_CONTENT_DECODING, 0L); // the application decodes what it asked for
    } else {
        set(easy, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
    }
    QNetworkAccessManager *q = manager->q_ptr;
    const bool loadCookies = req.attribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Automatic).toInt()
                          == QNetworkRequest::Automatic;
    if (loadCookies && q->cookieJar() && !has("Cookie")) {
        const QByteArray header = Cookies::requestHeader(QByteArray(), q->cookieJar()->cookiesForUrl(original));
        if (!header.isEmpty() && !hasControlCharacters(header))
            extra.append("Cookie: " + header);
    }
    for (const QByteArray &line : std::as_const(extra))
        headerList = curl_slist_append(headerList, line.constData());
    set(easy, CURLOPT_HTTPHEADER, headerList);

    // Redirects: libcurl follows them for a policy that asks for it.
    const auto policy = QNetworkRequest::RedirectPolicy(
        req.attribute(QNetworkRequest::RedirectPolicyAttribute, int(q->redirectPolicy())).toInt());
    followRedirects = policy == QNetworkRequest::NoLessSafeRedirectPolicy || policy == QNetworkRequest::SameOriginRedirectPolicy;
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
    QNetworkAccessManager *q = manager->q_ptr;
    QNetworkProxy proxy = q->proxy();
    if (proxy.type() == QNetworkProxy::DefaultProxy) {
        const QNetworkProxyQuery query(req.url());
        const QList<QNetworkProxy> list = q->proxyFactory() ? q->proxyFactory()->queryProxy(query)
                                                            : QNetworkProxyFactory::proxyForQuery(query);
        proxy = list.value(0, QNetworkProxy(QNetworkProxy::NoProxy));
    }
    QByteArray address;
    switch (proxy.type()) {
    case QNetworkProxy::HttpProxy:
    case QNetworkProxy::HttpCachingProxy:
        address = "http://";
        break;
    case QNetworkProxy::Socks5Proxy:
        address = "socks5h://";
        break;
    default:
        break;
    }
    // An empty proxy also keeps libcurl from reading http_proxy and friends: Qt does not.
    set(easy, CURLOPT_NOPROXY, "");
    if (address.isEmpty()) {
        set(easy, CURLOPT_PROXY, "");
        return;
    }
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
    if (cas != QSslConfiguration::defaultConfiguration().caCertificates()) {
        // The configuration's CAs replace the system's, as they do for Qt.
        const QString file = manager->caFile(cas);
        if (file.isEmpty()) {
            *why = QStringLiteral("The CA certificates could not be written for libcurl");
            return false;
        }
        set(easy, CURLOPT_CAPATH, static_cast<char *>(nullptr));
        set(easy, CURLOPT_CAINFO, QFile::encodeName(file).constData());
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
    case QSsl::TlsV1_3OrLater:
        set(easy, CURLOPT_SSLVERSION, long(CURL_SSLVERSION_TLSv1_3));
        break;
    case QSsl::TlsV1_2OrLater:
        set(easy, CURLOPT_SSLVERSION, long(CURL_SSLVERSION_TLSv1_2));
        break;
    default:
        break;
    }
    keepPeerChain = req.attribute(CurlAttribute::KeepPeerChain).toBool();
    pins = req.attribute(CurlAttribute::PinnedPublicKeys).value<QList<QByteArray>>();
    return true;
}

bool CurlReply::readPeerChain()
{
    const curl_tlssessioninfo *info = nullptr;
    if (curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || !info || info->backend != CURLSSLBACKEND_OPENSSL
        || !info->internals)
        return false;
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(static_cast<SSL *>(info->internals));
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
    const curl_tlssessioninfo *info = nullptr;
    if (curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || !info || info->backend != CURLSSLBACKEND_OPENSSL
        || !info->internals)
        return false;
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(static_cast<SSL *>(info->internals));
    *chainLength = chain ? sk_X509_num(chain) : 0;
    for (int i = 0; i < *chainLength; ++i) {
        unsigned char *der = nullptr;
        const int size = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(sk_X509_value(chain, i)), &der);
        const QByteArray digest = size > 0
            ? QCryptographicHash::hash(QByteArrayView(reinterpret_cast<const char *>(der), size), QCryptographicHash::Sha256)
            : QByteArray();
        OPENSSL_free(der);
        if (!digest.isEmpty() && pins.contains(digest))
            return true;
    }
    return false;
}

curl_socket_t CurlReply::onOpenSocket(void *self, curlsocktype, curl_sockaddr *address)
{
    auto *r = static_cast<CurlReply *>(self);
    r->openedSocket = true;
    r->pendingConnecting = true;
    r->manager->markDirty(r);
    return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

int CurlReply::onPrereq(void *self, char *, char *, int, int)
{
    auto *r = static_cast<CurlReply *>(self);
    // The connection is up (new or reused) and nothing of the request has been written: the
    // pins are checked here, on every request, so that no byte goes to a server they refuse.
    if (r->https && !r->pins.isEmpty()) {
        int length = 0;
        if (!r->pinsMatch(&length)) {
            r->finalError = SslHandshakeFailedError;
            r->finalMessage = QStringLiteral("no certificate in the server's chain of %1 matches a pinned public key").arg(length);
            return CURL_PREREQFUNC_ABORT;
        }
    }
    if (r->https && r->openedSocket)
        r->pendingEncrypted = true;
    r->pendingRequestSent = true;
    r->manager->markDirty(r);
    return CURL_PREREQFUNC_OK;
}

size_t CurlReply::onHeader(char *data, size_t size, size_t count, void *self)
{
    auto *r = static_cast<CurlReply *>(self);
    const size_t n = size * count;
    r->headerBytes += qint64(n);
    if (r->headerBytes > HeaderHardLimit) {
        r->finalError = ProtocolFailure;
        r->finalMessage = QStringLiteral("The response headers are too large: more than %1 bytes").arg(HeaderHardLimit);
        return 0;
    }
    r->headerLine(QByteArrayView(data, qsizetype(n)));
    return r->finalError == NoError ? n : 0; // 0 stops the transfer with the error set
}

void CurlReply::headerLine(QByteArrayView line)
{
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    if (line.startsWith("HTTP/")) {
        // A new response: the one held back before it was a hop libcurl followed.
        if (std::exchange(held, false) && parsingStatus >= 300 && parsingStatus < 400) {
            char *effective = nullptr;
            if (curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective)
                pendingRedirects.append(QUrl::fromEncoded(effective));
        }
        headersDone = false;
        headerBytes = line.size();
        parsingHeaders.clear();
        // "HTTP/1.1 200 OK", "HTTP/2 200": the version, the code, then the reason, if any.
        const qsizetype codeAt = line.indexOf(' ');
        const qsizetype reasonAt = codeAt < 0 ? -1 : line.indexOf(' ', codeAt + 1);
        const QByteArrayView code = codeAt < 0 ? QByteArrayView()
                                  : reasonAt < 0 ? line.sliced(codeAt + 1)
                                                 : line.sliced(codeAt + 1, reasonAt - codeAt - 1);
        parsingStatus = code.toInt();
        parsingReason = reasonAt > 0 ? line.sliced(reasonAt + 1).toByteArray() : QByteArray();
        return;
    }
    if (line.isEmpty()) {
        if (parsingStatus >= 100 && parsingStatus < 200 && parsingStatus != 101) {
            parsingStatus = 0;
            parsingHeaders.clear();
            return; // 100 Continue and 103 Early Hints: the response follows
        }
        if (!headersDone)
            headersComplete();
        return;
    }
    if (headersDone)
        return; // a trailer field
    if ((line.startsWith(' ') || line.startsWith('\t')) && !parsingHeaders.isEmpty()) {
        parsingHeaders.last().second += ' ' + line.trimmed().toByteArray(); // obsolete line folding
        return;
    }
    // A field is a token, a colon and the value (RFC 9112 section 5.1): whitespace before the
    // colon, or a line that is no field, has split responses between parsers that read it
    // differently ("Content-Length : 3" is a length to one and a stray line to the next). Qt's
    // engine drops the whole block; this one refuses the response.
    const qsizetype colon = line.indexOf(':');
    const QByteArray name = colon > 0 ? line.first(colon).toByteArray() : QByteArray();
    if (!isValidHeaderName(name)) {
        finalError = ProtocolFailure;
        finalMessage = colon > 0 && isValidHeaderName(name.trimmed())
            ? QStringLiteral("The response header \"%1\" has whitespace before its colon").arg(QString::fromLatin1(name.trimmed().left(64)))
            : QStringLiteral("A response header line is no field: \"%1\"").arg(printable(line.first(std::min<qsizetype>(line.size(), 64))));
        return;
    }
    parsingHeaders.append({name, line.sliced(colon + 1).trimmed().toByteArray()});
}

QByteArray CurlReply::redirectLocation() const
{
    if (!StatusRules::isFollowedRedirect(parsingStatus))
        return {};
    for (const auto &h : std::as_const(parsingHeaders)) {
        if (h.first.compare("Location", Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

void CurlReply::headersComplete()
{
    headersDone = true;
    // A hop libcurl follows is not shown: the next status line reports it as redirected().
    if (followRedirects && !redirectLocation().isEmpty()) {
        long count = 0;
        curl_easy_getinfo(easy, CURLINFO_REDIRECT_COUNT, &count);
        // SameOriginRedirectPolicy: libcurl would follow to any host; the hop is refused here,
        // before it is followed, as Qt refuses it.
        if (sameOriginOnly && count < req.maximumRedirectsAllowed()) {
            char *effective = nullptr;
            curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective);
            const QUrl from = effective ? QUrl::fromEncoded(effective) : url();
            const QUrl to = from.resolved(QUrl::fromEncoded(redirectLocation()));
            if (!Url::sameOrigin(from, to)) {
                finalError = InsecureRedirectError;
                finalMessage = QStringLiteral("The redirect to %1 leaves the origin (SameOriginRedirectPolicy)")
                                   .arg(Url::redacted(to));
                expose();
                return;
            }
        }
        if (count < req.maximumRedirectsAllowed()) {
            held = true;
            return;
        }
    }
    // Nor is the first challenge libcurl answers with the URL's credentials.
    if (parsingStatus == 401 && !authRetried && !url().userName().isEmpty()
        && req.attribute(QNetworkRequest::AuthenticationReuseAttribute).toInt() != QNetworkRequest::Manual) {
        authRetried = true;
        held = true;
        return;
    }
    expose();
}

void CurlReply::expose()
{
    held = false;
    const QByteArray location = redirectLocation();
    const bool redirect = !location.isEmpty();
    // Qt combines repeated fields: ", " between values, a newline between Set-Cookie lines.
    QList<QPair<QByteArray, QByteArray>> combined;
    for (const auto &header : std::as_const(parsingHeaders)) {
        const QByteArray &name = header.first;
        auto it = std::find_if(combined.begin(), combined.end(),
                               [&name](const auto &c) { return c.first.compare(name, Qt::CaseInsensitive) == 0; });
        if (it == combined.end())
            combined.append(header);
        else
            it->second += (name.compare("Set-Cookie", Qt::CaseInsensitive) == 0 ? "\n" : ", ") + header.second;
    }
    for (const auto &[name, value] : std::as_const(combined))
        setRawHeader(name, value);
    setAttribute(QNetworkRequest::HttpStatusCodeAttribute, parsingStatus);
    setAttribute(QNetworkRequest::HttpReasonPhraseAttribute, parsingReason);
    long version = 0;
    curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
    setAttribute(QNetworkRequest::Http2WasUsedAttribute, version == CURL_HTTP_VERSION_2_0);
    setAttribute(QNetworkRequest::ConnectionEncryptedAttribute, https);
    setAttribute(QNetworkRequest::SourceIsFromCacheAttribute, false);
    if (redirect)
        setAttribute(QNetworkRequest::RedirectionTargetAttribute, QUrl::fromEncoded(location));
    bool ok = false;
    const qint64 length = header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
    const QByteArray encoding = rawHeader("Content-Encoding").trimmed();
    // The total progress reports: the body as it arrives decoded, so unknown when encoded.
    contentLength = ok && (encoding.isEmpty() || encoding.compare("identity", Qt::CaseInsensitive) == 0) ? length : -1;

    if (keepPeerChain && https)
        readPeerChain();
    pendingMetaData = true;
    manager->markDirty(this);
}

size_t CurlReply::onWrite(char *data, size_t size, size_t count, void *self)
{
    auto *r = static_cast<CurlReply *>(self);
    const qint64 n = qint64(size * count);
    if (r->ended)
        return 0;
    if (r->held)
        r->expose(); // the body of a response held back: it is the one shown
    if (r->readBufferSize() > 0 && r->buffered() >= r->readBufferSize()) {
        r->downloadPaused = true;
        long version = 0;
        curl_easy_getinfo(r->easy, CURLINFO_HTTP_VERSION, &version);
        curl_socket_t fd = CURL_SOCKET_BAD;
        if (version != CURL_HTTP_VERSION_2_0 && curl_easy_getinfo(r->easy, CURLINFO_ACTIVESOCKET, &fd) == CURLE_OK
            && fd != CURL_SOCKET_BAD) {
            r->suspendedSocket = fd;
            r->manager->suspendReading(fd, true);
        }
        return CURL_WRITEFUNC_PAUSE; // libcurl keeps this piece and offers it again on resume
    }
    if (r->buffered() == 0 && r->bufferHead > 0) {
        r->buffer.truncate(0); // keeps the allocation: fresh pages for every piece cost faults
        r->bufferHead = 0;
    } else if (r->bufferHead > 1024 * 1024 && r->bufferHead > r->buffer.size() / 2) {
        r->buffer.remove(0, r->bufferHead);
        r->bufferHead = 0;
    }
    r->buffer.append(data, qsizetype(n));
    r->received += n;
    if (r->received > BombCheckAfter && r->hasRawHeader("Content-Encoding")) {
        curl_off_t wire = 0;
        curl_easy_getinfo(r->easy, CURLINFO_SIZE_DOWNLOAD_T, &wire);
        if (wire > 0 && r->received / wire > BombRatio) {
            r->finalError = UnknownContentError;
            r->finalMessage = QStringLiteral("Decompression failed: the body inflates more than %1 times its compressed size").arg(BombRatio);
            return 0;
        }
    }
    r->pendingReadyRead = true;
    r->pendingDownloadProgress = true;
    // An HTTP/2 server may answer in full before it read the request body, and reset the stream
    // (RFC 9113 section 8.1: the client must not discard that response). libcurl 7.88 then spins
    // wanting to send the rest, or fails the next send with "stream closed": the reply ends here
    // instead, from deliver(), outside libcurl.
    if (r->uploadPending() && r->responseComplete()) {
        long version = 0;
        curl_easy_getinfo(r->easy, CURLINFO_HTTP_VERSION, &version);
        r->completeBeforeUpload = version == CURL_HTTP_VERSION_2_0;
    }
    r->manager->markDirty(r);
    return size_t(n);
}

bool CurlReply::uploadPending() const
{
    return upload && (uploadSize >= 0 ? uploaded < uploadSize : !uploadEnded);
}

bool CurlReply::responseComplete() const
{
    if (!headersDone || held)
        return false;
    const int status = attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (StatusRules::hasNoBody(verb, status))
        return true;
    // Content-Length counts what onWrite() receives only when libcurl decodes nothing.
    const QByteArray encoding = rawHeader("Content-Encoding").trimmed();
    const bool asSent = req.hasRawHeader("Accept-Encoding") || encoding.isEmpty() || encoding.compare("identity", Qt::CaseInsensitive) == 0;
    bool known = false;
    const qint64 length = rawHeader("Content-Length").trimmed().toLongLong(&known);
    return asSent && known && length >= 0 && received >= length;
}

size_t CurlReply::onRead(char *data, size_t size, size_t count, void *self)
{
    auto *r = static_cast<CurlReply *>(self);
    if (!r->upload)
        return CURL_READFUNC_ABORT;
    qint64 want = qint64(size * count);
    if (r->uploadSize >= 0)
        want = std::min(want, r->uploadSize - r->uploaded);
    if (want <= 0)
        return 0;
    const qint64 n = r->upload->read(data, want);
    if (n < 0) {
        if (r->uploadSize < 0 && (r->uploadEnded || !r->upload->isOpen()))
            return 0;
        r->finalError = UnknownNetworkError;
        r->finalMessage = QStringLiteral("The request body could not be read: %1").arg(r->upload->errorString());
        return CURL_READFUNC_ABORT;
    }
    if (n == 0) {
        const bool atEnd = r->upload->isSequential() ? (r->uploadEnded || !r->upload->isOpen()) : r->upload->atEnd();
        if (atEnd) {
            if (r->uploadSize >= 0 && r->uploaded < r->uploadSize) {
                r->finalError = UnknownNetworkError;
                r->finalMessage = QStringLiteral("The request body ended after %1 of %2 bytes").arg(r->uploaded).arg(r->uploadSize);
                return CURL_READFUNC_ABORT;
            }
            return 0;
        }
        r->uploadPaused = true;
        return CURL_READFUNC_PAUSE;
    }
    r->uploaded += n;
    r->pendingUploadProgress = true;
    r->manager->markDirty(r);
    return size_t(n);
}

int CurlReply::onSeek(void *self, curl_off_t offset, int origin)
{
    auto *r = static_cast<CurlReply *>(self);
    if (origin != SEEK_SET || !r->upload || r->upload->isSequential())
        return CURL_SEEKFUNC_CANTSEEK;
    if (!r->upload->seek(r->uploadStart + qint64(offset)))
        return CURL_SEEKFUNC_FAIL;
    r->uploaded = qint64(offset);
    return CURL_SEEKFUNC_OK;
}

void CurlReply::done(CURLcode code)
{
    removeFromMulti();
    if (ended)
        return;
    if (held)
        expose(); // a hop held back as a redirect or a challenge turned out to be the last
    const QString detail = QString::fromLocal8Bit(errorBuffer[0] ? errorBuffer : curl_easy_strerror(code));
    NetworkError e = NoError;
    QString message;
    long osError = 0;
    curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &osError);
    // libcurl 7.88 refuses a header line past 100 KiB as "Out of memory", and a block past
    // 300 KiB as a receive error naming the headers.
    const bool headerLimit = (code == CURLE_OUT_OF_MEMORY && !headersDone)
                          || (code == CURLE_RECV_ERROR && detail.contains(QLatin1String("header"), Qt::CaseInsensitive));
    switch (code) {
    case CURLE_OK:
        // A connection closed inside the header block can leave libcurl content with a status.
        if (!headersDone || attribute(QNetworkRequest::HttpStatusCodeAttribute).isNull()) {
            e = RemoteHostClosedError;
            message = QStringLiteral("Connection closed before the response's headers ended");
        }
        break;
    case CURLE_COULDNT_CONNECT:
        e = proxied ? ProxyConnectionRefusedError : ConnectionRefusedError;
        message = QStringLiteral("Connection refused (%1)").arg(detail);
        break;
    case CURLE_COULDNT_RESOLVE_HOST: e = HostNotFoundError; message = QStringLiteral("Host not found (%1)").arg(detail); break;
    case CURLE_COULDNT_RESOLVE_PROXY: e = ProxyNotFoundError; message = detail; break;
    case CURLE_OPERATION_TIMEDOUT: e = TimeoutError; message = QStringLiteral("Transfer timed out (%1)").arg(detail); break;
    case CURLE_SSL_CONNECT_ERROR:
        // The peer closing or resetting the connection in the handshake is that, as with Qt.
        if (osError == ECONNRESET || osError == EPIPE || detail.contains(QLatin1String("SSL_ERROR_SYSCALL"))
            || detail.contains(QLatin1String("unexpected eof"), Qt::CaseInsensitive)) {
            e = RemoteHostClosedError;
            message = QStringLiteral("Connection closed in the TLS handshake (%1)").arg(detail);
            break;
        }
        Q_FALLTHROUGH();
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_INITFAILED:
        e = SslHandshakeFailedError;
        message = QStringLiteral("TLS handshake failed (%1)").arg(detail);
        break;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        e = RemoteHostClosedError;
        message = QStringLiteral("Connection closed (%1)").arg(detail);
        break;
    case CURLE_TOO_MANY_REDIRECTS: e = TooManyRedirectsError; message = detail; break;
    case CURLE_UNSUPPORTED_PROTOCOL:
        // Only http and https get here: a redirect to another scheme, or a response in no HTTP.
        e = followRedirects && headersDone ? InsecureRedirectError : ProtocolFailure;
        message = e == ProtocolFailure ? QStringLiteral("The server's response is not HTTP (%1)").arg(detail) : detail;
        break;
    case CURLE_BAD_CONTENT_ENCODING: e = UnknownContentError; message = detail; break;
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR: e = AuthenticationRequiredError; message = detail; break;
    case CURLE_URL_MALFORMAT: e = ProtocolInvalidOperationError; message = detail; break;
    case CURLE_PROXY: {
        // A SOCKS proxy's refusal, in Qt's terms where Qt has them.
        long why = CURLPX_OK;
        curl_easy_getinfo(easy, CURLINFO_PROXY_ERROR, &why);
        switch (why) {
        case CURLPX_USER_REJECTED:
        case CURLPX_NO_AUTH: e = ProxyAuthenticationRequiredError; break;
        case CURLPX_REPLY_CONNECTION_REFUSED: e = ConnectionRefusedError; break;
        case CURLPX_REPLY_HOST_UNREACHABLE: e = HostNotFoundError; break;
        default: e = UnknownProxyError; break;
        }
        message = detail;
        break;
    }
    case CURLE_ABORTED_BY_CALLBACK: e = OperationCanceledError; message = QStringLiteral("Operation canceled"); break;
    default:
        e = code == CURLE_WEIRD_SERVER_REPLY || code == CURLE_HTTP2 || code == CURLE_HTTP2_STREAM ? ProtocolFailure
                                                                                                  : UnknownNetworkError;
        message = detail;
        break;
    }
    // An alert from the TLS peer read after the handshake (TLS 1.3: a server refusing the
    // client's certificate says so only then) is the TLS session failing, as with Qt.
    if (https && (code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR) && detail.contains(QLatin1String("SSL routines"))
        && detail.contains(QLatin1String(" alert "))) {
        e = SslHandshakeFailedError;
        message = QStringLiteral("TLS handshake failed (%1)").arg(detail);
    }
    if (code == CURLE_RECV_ERROR && detail.contains(QLatin1String("chunked-encoding"))) {
        e = ProtocolFailure; // a malformed chunk: the body's framing is broken, not the connection
        message = QStringLiteral("The chunked body is malformed (%1)").arg(detail);
    }
    if (headerLimit) {
        e = ProtocolFailure;
        message = QStringLiteral("The response headers are too large (%1)").arg(detail);
    }
    // libcurl decoding a chain of codings (or a zstd frame) runs out of memory before it would
    // say the data is bad: a body that does not decode, as Qt's engine calls it.
    if (code == CURLE_OUT_OF_MEMORY && headersDone && hasRawHeader("Content-Encoding")) {
        e = UnknownContentError;
        message = QStringLiteral("Decompression failed (%1)").arg(detail);
    }
    long connectCode = 0; // the proxy's answer to CONNECT, for an https URL through an HTTP proxy
    curl_easy_getinfo(easy, CURLINFO_HTTP_CONNECTCODE, &connectCode);
    if (code != CURLE_OK && proxied && connectCode >= 300) {
        e = connectCode == 407 ? ProxyAuthenticationRequiredError : UnknownProxyError;
        message = connectCode == 407 ? QStringLiteral("Proxy requires authentication (%1)").arg(detail)
                                     : QStringLiteral("The proxy refused the tunnel (%1)").arg(detail);
    }
    // The same early answer, where libcurl got to sending again first ("stream closed"): the
    // response is whole, and that is what counts.
    if ((code == CURLE_HTTP2_STREAM || code == CURLE_SEND_ERROR) && finalError == NoError && responseComplete()) {
        e = NoError;
        message.clear();
    }
    if (finalError != NoError) {
        e = finalError;
        message = finalMessage;
    }
    const int status = attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (e == NoError && status >= 400) {
        e = StatusRules::qtError(status);
        message = QStringLiteral("Error transferring %1 - server replied: %2")
                      .arg(Url::redacted(url()), QString::fromLatin1(parsingReason));
    }
    if (followRedirects) {
        char *effective = nullptr;
        if (curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective)
            setUrl(QUrl::fromEncoded(effective));
    }
    finalError = e;
    finalMessage = message;
    pendingFinish = true;
    manager->markDirty(this);
}

void CurlReply::fail(NetworkError code, const QString &message)
{
    finalError = code;
    finalMessage = message;
    pendingFinish = true;
    QMetaObject::invokeMethod(this, [this] { deliver(); }, Qt::QueuedConnection);
}

void CurlReply::deliver()
{
    QPointer<CurlReply> self(this);
    auto gone = [&] { return !self || ended; };
    if (std::exchange(pendingConnecting, false)) {
        Q_EMIT socketStartedConnecting();
        if (gone())
            return;
    }
    if (std::exchange(pendingEncrypted, false)) {
        Q_EMIT encrypted();
        if (gone())
            return;
    }
    if (std::exchange(pendingRequestSent, false)) {
        Q_EMIT requestSent();
        if (gone())
            return;
    }
    if (std::exchange(pendingUploadProgress, false)) {
        Q_EMIT uploadProgress(uploaded, uploadSize);
        if (gone())
            return;
    }
    for (const QUrl &to : std::exchange(pendingRedirects, {})) {
        Q_EMIT redirected(to);
        if (gone())
            return;
    }
    if (std::exchange(pendingMetaData, false)) {
        QNetworkAccessManager *q = manager ? manager->q_ptr : nullptr;
        const bool saveCookies = req.attribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Automatic).toInt()
                              == QNetworkRequest::Automatic;
        if (saveCookies && q && q->cookieJar() && hasRawHeader("Set-Cookie")) {
            q->cookieJar()->setCookiesFromUrl(Cookies::fromSetCookie(rawHeader("Set-Cookie")), url());
        }
        Q_EMIT metaDataChanged();
        if (gone())
            return;
    }
    if (std::exchange(pendingReadyRead, false) && buffered() > 0) {
        Q_EMIT readyRead();
        if (gone())
            return;
    }
    if (std::exchange(pendingDownloadProgress, false)) {
        Q_EMIT downloadProgress(received, contentLength);
        if (gone())
            return;
    }
    if (std::exchange(completeBeforeUpload, false) && !pendingFinish) {
        qCDebug(lcEngine) << "the server answered in full before the request body was sent: the upload stops";
        removeFromMulti();
        pendingFinish = true;
    }
    if (std::exchange(pendingFinish, false))
        finishNow();
}

void CurlReply::finishNow()
{
    if (ended)
        return;
    ended = true;
    if (finalError != NoError)
        setError(finalError, finalMessage);
    setFinished(true);
    QPointer<CurlReply> self(this);
    if (finalError != NoError) {
        Q_EMIT errorOccurred(finalError);
        if (!self)
            return;
    }
    Q_EMIT finished();
}

void CurlReply::abort()
{
    if (ended)
        return;
    removeFromMulti();
    pendingConnecting = pendingEncrypted = pendingRequestSent = pendingUploadProgress = false;
    pendingMetaData = pendingReadyRead = pendingDownloadProgress = pendingFinish = false;
    pendingRedirects.clear();
    buffer.clear();
    bufferHead = 0;
    finalError = OperationCanceledError;
    finalMessage = QStringLiteral("Operation canceled");
    QIODevice::close();
    finishNow();
}

void CurlReply::close()
{
    if (!ended)
        abort();
    QNetworkReply::close();
}

bool CurlReply::canReadLine() const
{
    return QNetworkReply::canReadLine() || buffer.indexOf('\n', bufferHead) >= 0;
}

qint64 CurlReply::bytesAvailable() const
{
    return QNetworkReply::bytesAvailable() + buffered();
}

void CurlReply::setReadBufferSize(qint64 size)
{
    QNetworkReply::setReadBufferSize(size);
    if (downloadPaused && (size == 0 || buffered() < size))
        queueResume();
}

qint64 CurlReply::readData(char *data, qint64 maxSize)
{
    const qint64 n = std::min(maxSize, buffered());
    if (n <= 0)
        return ended ? -1 : 0;
    memcpy(data, buffer.constData() + bufferHead, size_t(n));
    bufferHead += n;
    if (bufferHead == buffer.size()) {
        buffer.truncate(0); // keeps the allocation for the next piece
        bufferHead = 0;
    }
    if (downloadPaused && (readBufferSize() == 0 || buffered() < readBufferSize()))
        queueResume();
    return n;
}

void CurlReply::queueResume()
{
    if (std::exchange(resumeQueued, true))
        return;
    QMetaObject::invokeMethod(this, [this] { resume(); }, Qt::QueuedConnection);
}

void CurlReply::resume()
{
    resumeQueued = false;
    if (ended || place != Running || !manager)
        return;
    if (downloadPaused && (readBufferSize() == 0 || buffered() < readBufferSize())) {
        downloadPaused = false;
        if (suspendedSocket != CURL_SOCKET_BAD)
            manager->suspendReading(std::exchange(suspendedSocket, CURL_SOCKET_BAD), false);
    }
    if (uploadPaused && upload && (upload->bytesAvailable() > 0 || uploadEnded || !upload->isSequential() || upload->atEnd()))
        uploadPaused = false;
    // Unpausing hands libcurl's held-back data to onWrite() at once: a failure there (a
    // decompression bomb found in that data, say) comes back from curl_easy_pause() only, and
    // the multi handle never reports the transfer done.
    const CURLcode paused = curl_easy_pause(easy, (downloadPaused ? CURLPAUSE_RECV : 0) | (uploadPaused ? CURLPAUSE_SEND : 0));
    if (paused != CURLE_OK) {
        done(paused);
        manager->deliver();
        return;
    }
    manager->drive(CURL_SOCKET_TIMEOUT, 0);
}

void CurlReply::ignoreSslErrorsImplementation(const QList<QSslError> &) {}
void CurlReply::setSslConfigurationImplementation(const QSslConfiguration &) {}
void CurlReply::sslConfigurationImplementation(QSslConfiguration &configuration) const
{
    configuration = req.sslConfiguration();
}

} // namespace Courier
