#include "response_p.h"

#include "Courier/status.h"
#include "auth_p.h"
#include "engine_p.h"
#include "headers_p.h"
#include "logging_p.h"
#include "request_p.h"
#include "Courier/version.h"
#if COURIER_HAS_CURL
#include "curlreply_p.h"
#endif

#include <QtCore/QEventLoop>
#include <QtCore/QFileDevice>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonParseError>
#include <QtCore/QJsonValue>
#include <QtCore/QMetaEnum>
#include <QtCore/QRandomGenerator>
#include <QtCore/QRegularExpression>
#include <QtCore/QStringDecoder>
#include <QtCore/QTimer>
#include <QtCore/QTimerEvent>
#include <QtNetwork/QAuthenticator>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslError>
#include <QtNetwork/QSslKey>

namespace Courier {

namespace {

// A redirect's own body is read and dropped so the connection can be reused, up to this much;
// past it the hop is aborted and the redirect followed at once (a hostile server may send forever).
constexpr qint64 MaxRedirectBodyDiscarded = 64 * 1024;

// QBasicTimer (Qt 6.4) takes an int: longer waits are capped at about 24 days.
int timerMsecs(qint64 msecs)
{
    return int(std::clamp<qint64>(msecs, 0, std::numeric_limits<int>::max()));
}

bool isFollowedRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Shows control characters of a header or method for an error message, without sending them on.
QString printable(const QByteArray &bytes)
{
    QString out;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (u == '\r')
            out += QLatin1String("\\r");
        else if (u == '\n')
            out += QLatin1String("\\n");
        else if (u < 0x20 || u >= 0x7f)
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        else
            out += QLatin1Char(c);
    }
    return out;
}

// Why OpenSSL's default security level (Debian: 2) refuses \a certificate, or empty: an RSA or
// DSA key under 2048 bits, a signature with SHA-1 or MD5.
QString weaknessOf(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    const QString subject = certificate.subjectInfo(QSslCertificate::CommonName).value(0);
    const QSslKey key = certificate.publicKey();
    if ((key.algorithm() == QSsl::Rsa || key.algorithm() == QSsl::Dsa) && key.length() > 0 && key.length() < 2048)
        return QStringLiteral("the certificate of \"%1\" has a %2-bit %3 key, too weak for OpenSSL's security level "
                              "(2048 bits at least)")
            .arg(subject)
            .arg(key.length())
            .arg(key.algorithm() == QSsl::Rsa ? QStringLiteral("RSA") : QStringLiteral("DSA"));
    static const QRegularExpression signature(QStringLiteral("Signature Algorithm: *([A-Za-z0-9-]+)"));
    const QString algorithm = signature.match(certificate.toText()).captured(1);
    if (algorithm.contains(QLatin1String("sha1"), Qt::CaseInsensitive) || algorithm.contains(QLatin1String("md5"), Qt::CaseInsensitive))
        return QStringLiteral("the certificate of \"%1\" is signed with %2, a digest too weak for OpenSSL's security level")
            .arg(subject, algorithm);
    return {};
}

// Whether Qt 6.4 failed an HTTP/2 request the server never processed: a stream above a
// GOAWAY's last stream identifier, one not yet started when GOAWAY came, or one refused with
// REFUSED_STREAM. Qt's words (qhttp2protocolhandler.cpp, http2protocol.cpp) are the only way
// to tell.
bool isUnprocessedHttp2(QNetworkReply::NetworkError error, const QString &message)
{
    return (error == QNetworkReply::ContentReSendError && message.contains(QLatin1String("stopped accepting new streams")))
        || (error == QNetworkReply::ProtocolUnknownError && message.contains(QLatin1String("GOAWAY received")))
        || (error == QNetworkReply::ProtocolFailure && message.contains(QLatin1String("Server refused a stream")));
}

// An alert the TLS peer sent (OpenSSL's words: "tlsv13 alert certificate required"): the TLS
// session failed, whenever it is read. In TLS 1.3 a server's refusal of the client's certificate
// comes after the client finished its side of the handshake.
bool isTlsAlert(const QString &message)
{
    return message.contains(QLatin1String("SSL routines")) && message.contains(QLatin1String(" alert "));
}

// Connections a Response must not use again, on Qt's engine. Qt 6.4 offers no way to close one
// connection of a QNetworkAccessManager (clearConnectionCache() ends its HTTP thread, and every
// request in flight on it with it). But its connection cache keys on the peer verify name too:
// a new "generation" of (manager, origin), kept as a property of the manager so that every
// Client sharing it sees it, gives Courier's later requests a connection of their own, and the
// old one is left to expire. A peer verify name that Qt would verify as the same name: the host
// with the case of its letters changed (names compare without case), for http any text (it is
// only used for TLS).
QString hostAndPort(const QUrl &url);

QByteArray generationKey(const QUrl &url)
{
    return "_courier_connections:" + (url.scheme() + QLatin1String("://") + hostAndPort(url)).toUtf8();
}

int connectionGeneration(const QObject *manager, const QUrl &url)
{
    return manager ? manager->property(generationKey(url).constData()).toInt() : 0;
}

// The spellings of an address that Qt reads as that address, numbered from 0 (the shortest):
// IPv4 octets below 8 padded with zeros (a leading zero is octal, so only those keep their
// value), IPv6 groups padded to four hex digits. Empty past the last.
QString addressSpelling(const QHostAddress &address, int index)
{
    QStringList parts;
    const auto take = [&index](int value, int base, int widest, int shortest) {
        const int choices = widest - shortest + 1;
        const int width = shortest + index % choices;
        index /= choices;
        return QString::number(value, base).rightJustified(width, QLatin1Char('0'));
    };
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        const quint32 ip = address.toIPv4Address();
        for (int shift = 24; shift >= 0; shift -= 8) {
            const int octet = int((ip >> shift) & 0xff);
            const int digits = 1 + (octet >= 10) + (octet >= 100);
            parts.append(take(octet, 10, octet < 8 ? 3 : digits, digits));
        }
        return index == 0 ? parts.join(QLatin1Char('.')) : QString();
    }
    const Q_IPV6ADDR ip = address.toIPv6Address();
    for (int group = 0; group < 8; ++group) {
        const int value = ip[2 * group] << 8 | ip[2 * group + 1];
        const int digits = QString::number(value, 16).size();
        parts.append(take(value, 16, 4, digits));
    }
    return index == 0 && address.scopeId().isEmpty() ? parts.join(QLatin1Char(':')) : QString();
}

// The name Qt verifies the certificate of \a url's server against.
QString nameToVerify(const TlsOptions &tls, const QUrl &url)
{
    return tls.peerVerifyName().isEmpty() ? url.host() : tls.peerVerifyName();
}

// The peer verify name of generation \a generation for \a url, whose name to verify is \a name;
// empty for the first generation, or when no other spelling of the name is left.
QString peerNameOfGeneration(const QUrl &url, const QString &name, int generation)
{
    if (generation <= 0)
        return {};
    if (url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) != 0)
        return QStringLiteral("courier-connection-%1").arg(generation);
    const QHostAddress address(name);
    if (!address.isNull()) {
        // Generation 1 names the literal itself (the cache's first key has no name at all).
        return generation == 1 ? name : addressSpelling(address, generation - 1);
    }
    QString spelled = name.toLower();
    int bit = 0;
    for (QChar &c : spelled) {
        if (!c.isLetter())
            continue;
        if (generation & (1 << bit))
            c = c.toUpper();
        if (++bit >= 30)
            break;
    }
    return (generation >> bit) == 0 ? spelled : QString();
}

QString hostAndPort(const QUrl &url)
{
    const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    return url.host() + QLatin1Char(':') + QString::number(port);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// ResponsePrivate

ResponsePrivate::ResponsePrivate(Response *q)
    : q_ptr(q)
{
}

bool ResponsePrivate::onTimerEvent(int timerId)
{
    if (timerId == readTimer.timerId()) {
        readTimer.stop();
        // Activity since the timer was armed moved the deadline: wait for the rest of it.
        const qint64 idle = clock.elapsed() - lastActivity;
        if (idle < options.readTimeout.count())
            readTimer.start(timerMsecs(options.readTimeout.count() - idle), q_ptr);
        else
            onTimeout(TimeoutKind::Read);
    } else if (timerId == connectTimer.timerId()) {
        connectTimer.stop();
        onTimeout(TimeoutKind::Connect);
    } else if (timerId == totalTimer.timerId()) {
        totalTimer.stop();
        onTimeout(TimeoutKind::Total);
    } else if (timerId == retryTimer.timerId()) {
        retryTimer.stop();
        startAttempt();
    } else {
        return false;
    }
    return true;
}

QNetworkReply::NetworkError ResponsePrivate::qtErrorForStatus(int status)
{
    switch (status) {
    case 400: return QNetworkReply::ProtocolInvalidOperationError;
    case 401: return QNetworkReply::AuthenticationRequiredError;
    case 403: return QNetworkReply::ContentAccessDenied;
    case 404: return QNetworkReply::ContentNotFoundError;
    case 405: return QNetworkReply::ContentOperationNotPermittedError;
    case 407: return QNetworkReply::ProxyAuthenticationRequiredError;
    case 409: return QNetworkReply::ContentConflictError;
    case 410: return QNetworkReply::ContentGoneError;
    case 418: return QNetworkReply::ProtocolInvalidOperationError;
    case 500: return QNetworkReply::InternalServerError;
    case 501: return QNetworkReply::OperationNotImplementedError;
    case 503: return QNetworkReply::ServiceUnavailableError;
    default:
        if (status > 500)
            return QNetworkReply::UnknownServerError;
        if (status >= 400)
            return QNetworkReply::UnknownContentError;
        return QNetworkReply::NoError;
    }
}

QString ResponsePrivate::errorTitle(Response::Error error)
{
    switch (error) {
    case Response::NoError: return QStringLiteral("No error");
    case Response::ConnectionRefused: return QStringLiteral("Connection refused");
    case Response::RemoteHostClosed: return QStringLiteral("The server closed the connection early");
    case Response::HostNotFound: return QStringLiteral("Host not found");
    case Response::Timeout: return QStringLiteral("Timed out");
    case Response::OperationCanceled: return QStringLiteral("Canceled");
    case Response::SslHandshakeFailed: return QStringLiteral("TLS handshake failed");
    case Response::TemporaryNetworkFailure: return QStringLiteral("Temporary network failure");
    case Response::NetworkSessionFailed: return QStringLiteral("Network session failed");
    case Response::TooManyRedirects: return QStringLiteral("Too many redirects");
    case Response::InsecureRedirect: return QStringLiteral("Insecure redirect refused");
    case Response::UnknownNetworkError: return QStringLiteral("Network error");
    case Response::ProxyConnectionRefused: return QStringLiteral("The proxy refused the connection");
    case Response::ProxyConnectionClosed: return QStringLiteral("The proxy closed the connection early");
    case Response::ProxyNotFound: return QStringLiteral("Proxy not found");
    case Response::ProxyTimeout: return QStringLiteral("The proxy timed out");
    case Response::ProxyAuthenticationRequired: return QStringLiteral("Proxy authentication required");
    case Response::UnknownProxyError: return QStringLiteral("Proxy error");
    case Response::ContentAccessDenied: return QStringLiteral("Access denied");
    case Response::ContentOperationNotPermitted: return QStringLiteral("Method not allowed");
    case Response::ContentNotFound: return QStringLiteral("Not found");
    case Response::AuthenticationRequired: return QStringLiteral("Authentication required");
    case Response::ContentReSend: return QStringLiteral("The request body cannot be sent again");
    case Response::ContentConflict: return QStringLiteral("Conflict");
    case Response::ContentGone: return QStringLiteral("Gone");
    case Response::UnknownContentError: return QStringLiteral("Client error");
    case Response::ProtocolUnknown: return QStringLiteral("Unsupported protocol");
    case Response::ProtocolInvalidOperation: return QStringLiteral("Invalid request");
    case Response::ProtocolFailure: return QStringLiteral("Protocol error");
    case Response::InternalServerError: return QStringLiteral("Internal server error");
    case Response::OperationNotImplemented: return QStringLiteral("Not implemented");
    case Response::ServiceUnavailable: return QStringLiteral("Service unavailable");
    case Response::UnknownServerError: return QStringLiteral("Server error");
    }
    return QStringLiteral("Error");
}

void ResponsePrivate::start(const ResponseSetup &setup)
{
    manager = setup.manager;
    options = setup;
    clock.start();
    Request &request = options.request;
    url = request.url();

    if (!validate())
        return; // validate() scheduled the failure
    // Fold the query parameters into the URL once; later hops follow Location as given.
    if (!request.query().isEmpty()) {
        QUrl withQuery = request.url();
        QByteArray encoded = withQuery.query(QUrl::FullyEncoded).toLatin1();
        if (!encoded.isEmpty())
            encoded += '&';
        encoded += Headers::encodeQuery(request.query().queryItems(QUrl::FullyDecoded));
        withQuery.setQuery(QString::fromLatin1(encoded), QUrl::TolerantMode);
        request.setUrl(withQuery);
        request.setQuery(QUrlQuery());
        url = withQuery;
    }

    // Credentials in the URL are used like credentials set on the request, and never sent,
    // logged or shown as part of a URL.
    if (!request.url().userInfo().isEmpty()) {
        QUrl bare = request.url();
        if (options.user.isEmpty()) {
            options.user = bare.userName(QUrl::FullyDecoded);
            options.password = bare.password(QUrl::FullyDecoded);
        }
        bare.setUserInfo(QString());
        request.setUrl(bare);
        url = bare;
    }
    origin = request.url();

    // After the query is folded in and the credentials taken out: the URL the partial file
    // remembers is the one sent, and no password is written to disk.
    if (!options.downloadPath.isEmpty()) {
        sink = std::make_unique<DownloadSink>(options.downloadPath, options.download);
        QString why;
        if (!sink->prepare(request, &why)) {
            failLater(Response::ProtocolInvalidOperation, why);
            return;
        }
        // The body goes to disk as it comes: nothing needs to pile up in memory.
        if (options.readBufferSize <= 0)
            options.readBufferSize = 1 << 20;
    }

    hopRequest = request;
    firstHop = request;
    if (options.totalTimeout.count() > 0) {
        totalTimer.start(timerMsecs(options.totalTimeout.count()), q_ptr);
        totalDeadline = clock.elapsed() + options.totalTimeout.count();
    }
    record(TimelineEvent::Started, url);
    QIODevice *device = request.bodyKind() == Request::BodyKind::Device ? request.bodyDevice() : nullptr;
    if (device && device->isSequential() && request.bodyDeviceSize() < 0) {
        spoolBody();
        return;
    }
    startHop();
}

void ResponsePrivate::spoolBody()
{
    Q_Q(Response);
    spool = new QTemporaryFile(q);
    if (!spool->open()) {
        failLater(Response::ProtocolInvalidOperation,
                  QStringLiteral("Cannot store the request body of unknown size before sending it: %1")
                      .arg(spool->errorString()));
        return;
    }
    QIODevice *device = hopRequest.bodyDevice();
    qCDebug(lcResponse) << "copying a body of unknown size to" << spool->fileName();
    QObject::connect(device, &QIODevice::readyRead, q, [this] { onSpoolData(); });
    const auto ends = [this] {
        spoolInputEnded = true;
        onSpoolData();
    };
    QObject::connect(device, &QIODevice::readChannelFinished, q, ends);
    QObject::connect(device, &QIODevice::aboutToClose, q, ends);
    // Data already waiting, or a device already at its end, is not announced again.
    QMetaObject::invokeMethod(q, [this] { onSpoolData(); }, Qt::QueuedConnection);
}

void ResponsePrivate::onSpoolData()
{
    Q_Q(Response);
    if (!spool || !running || reply)
        return;
    QIODevice *device = hopRequest.bodyDevice();
    if (!device) {
        finish(Response::ProtocolInvalidOperation,
               QStringLiteral("The request body device was destroyed before it was read to its end"), true);
        return;
    }
    // A sequential device tells its end by read() failing, by readChannelFinished() or by closing.
    char buffer[64 * 1024];
    bool ended = !device->isOpen();
    while (!ended) {
        const qint64 n = device->read(buffer, sizeof buffer);
        if (n < 0) {
            ended = true;
        } else if (n == 0) {
            // A QFile on a pipe or a terminal blocks in read() and gives 0 only at its end; it
            // never signals readChannelFinished().
            ended = spoolInputEnded || qobject_cast<QFileDevice *>(device) != nullptr;
            break;
        } else if (spool->write(buffer, n) != n) {
            finish(Response::ProtocolInvalidOperation,
                   QStringLiteral("Cannot store the request body of unknown size before sending it: %1")
                       .arg(spool->errorString()),
                   true);
            return;
        }
    }
    if (!ended)
        return;
    QObject::disconnect(device, nullptr, q, nullptr);
    spool->flush();
    spool->seek(0);
    qCDebug(lcResponse) << "request body of" << spool->size() << "bytes stored; sending";
    hopRequest.setBodyDevice(spool, spool->size(), hopRequest.contentType());
    firstHop = hopRequest;
    startHop();
}

void ResponsePrivate::record(TimelineEvent::Kind kind, const QUrl &at)
{
    TimelineEvent event;
    event.kind = kind;
    event.msecs = clock.isValid() ? clock.elapsed() : 0;
    event.url = at;
    timeline.append(event);
}

bool ResponsePrivate::validate()
{
    Request &request = options.request;
    auto fail = [this](Response::Error e, const QString &message) {
        failLater(e, message);
        return false;
    };

    if (!manager)
        return fail(Response::UnknownNetworkError, QStringLiteral("Network error: the client has no QNetworkAccessManager"));

    const QUrl u = request.url();
    if (u.isEmpty())
        return fail(Response::ProtocolUnknown, QStringLiteral("Unsupported protocol: no URL was given"));
    if (!u.isValid())
        return fail(Response::ProtocolInvalidOperation,
                    QStringLiteral("Invalid request: the URL is not valid (%1)").arg(u.errorString()));
    const QString scheme = u.scheme().toLower();
    if (scheme.isEmpty())
        return fail(Response::ProtocolUnknown,
                    QStringLiteral("Unsupported protocol: the URL \"%1\" has no scheme, and the client no base URL to resolve it against")
                        .arg(Headers::redacted(u)));
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return fail(Response::ProtocolUnknown,
                    QStringLiteral("Unsupported protocol: \"%1\" URLs are not supported, only http and https").arg(scheme));
    if (u.host().isEmpty())
        return fail(Response::ProtocolInvalidOperation,
                    QStringLiteral("Invalid request: the URL \"%1\" has no host").arg(Headers::redacted(u)));

    if (!isValidMethod(request.method()))
        return fail(Response::ProtocolInvalidOperation,
                    QStringLiteral("Invalid request: the method \"%1\" is not an HTTP token").arg(printable(request.method())));

    for (const auto &[name, value] : request.headers()) {
        if (!isValidHeaderName(name))
            return fail(Response::ProtocolInvalidOperation,
                        QStringLiteral("Invalid request: the header name \"%1\" is not an HTTP token").arg(printable(name)));
        if (!isValidHeaderValue(value))
            return fail(Response::ProtocolInvalidOperation,
                        QStringLiteral("Invalid request: the value of header \"%1\" contains CR, LF, NUL or another control character")
                            .arg(printable(name)));
    }
    if (!isValidHeaderValue(options.bearerToken))
        return fail(Response::ProtocolInvalidOperation,
                    QStringLiteral("Invalid request: the bearer token contains CR, LF, NUL or another control character"));
    if (!isValidHeaderValue(request.userAgent()))
        return fail(Response::ProtocolInvalidOperation,
                    QStringLiteral("Invalid request: the user agent contains CR, LF, NUL or another control character"));
    // RFC 7617 and 7616 allow no control character in a user name or password, and Digest puts
    // the user name in a quoted string, where a line break would end the header. Not quoted here.
    const bool fromUrl = options.user.isEmpty();
    const QString user = fromUrl ? u.userName(QUrl::FullyDecoded) : options.user;
    const QString password = fromUrl ? u.password(QUrl::FullyDecoded) : options.password;
    const auto control = [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; };
    if (std::any_of(user.cbegin(), user.cend(), control) || std::any_of(password.cbegin(), password.cend(), control))
        return fail(Response::ProtocolInvalidOperation,
                    QStringLiteral("Invalid request: the user name or password contains CR, LF, NUL or another control character"));

    switch (request.bodyKind()) {
    case Request::BodyKind::Device:
        if (!request.bodyDevice())
            return fail(Response::ProtocolInvalidOperation, QStringLiteral("Invalid request: the body device is null or was deleted"));
        if (!request.bodyDevice()->isReadable())
            return fail(Response::ProtocolInvalidOperation, QStringLiteral("Invalid request: the body device is not open for reading"));
        break;
    case Request::BodyKind::Multipart:
        if (!request.multipart())
            return fail(Response::ProtocolInvalidOperation, QStringLiteral("Invalid request: the multipart body is null or was deleted"));
        break;
    case Request::BodyKind::Data: {
        QString why;
        Request resolved = request;
        if (!RequestPrivate::resolveData(resolved, &why))
            return fail(Response::ProtocolInvalidOperation, QStringLiteral("Invalid request: ") + why);
        request = resolved;
        break;
    }
    case Request::BodyKind::None:
    case Request::BodyKind::Bytes:
        break;
    }
    return true;
}

QNetworkRequest ResponsePrivate::buildRequest(bool *preemptiveBasic) const
{
    const QUrl target = hopRequest.url();
    const bool https = target.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    QNetworkRequest nr(target);
    // Courier follows redirects itself so that it can drop credentials when a hop leaves the origin.
    nr.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // Courier answers challenges itself: Qt would answer one request's challenge with credentials
    // cached from another (another user's, maybe). Manual keeps Qt's cache out and hands the 401 over.
    nr.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);

    if (!hopRequest.usingCache()) {
        nr.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
        nr.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    }

    // Cookies come from the Client's jar, not the manager's, which applications may share.
    nr.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    nr.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);

    nr.setPriority(hopRequest.priority() > Request::MinimumPriority ? QNetworkRequest::HighPriority
                                                                    : QNetworkRequest::NormalPriority);

    switch (options.protocol) {
    case Request::Protocol::Auto:
        break;
    case Request::Protocol::Http1:
        nr.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        break;
    case Request::Protocol::Http2:
        nr.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
        break;
    case Request::Protocol::Http2PriorKnowledge:
        // RFC 9113 section 3.2: over TLS, HTTP/2 is chosen with ALPN; prior knowledge is for h2c.
        if (https)
            nr.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
        else
            nr.setAttribute(QNetworkRequest::Http2DirectAttribute, true);
        break;
    }

    if (https && !options.tls.pinnedPublicKeys().isEmpty()) {
        nr.setAttribute(CurlAttribute::KeepPeerChain, true);
        nr.setAttribute(CurlAttribute::PinnedPublicKeys, QVariant::fromValue(options.tls.pinnedPublicKeys()));
    }
    if (https && !options.tls.isDefault()) {
        if (!options.tls.hostNameCheckEnabled())
            nr.setAttribute(CurlAttribute::SkipHostNameCheck, true);
        nr.setSslConfiguration(options.tls.sslConfiguration());
        if (!options.tls.peerVerifyName().isEmpty())
            nr.setPeerVerifyName(options.tls.peerVerifyName());
        if (!options.tls.hostNameCheckEnabled())
            qCWarning(lcTls) << "the host-name check is off for" << Headers::redacted(target)
                             << ": any certificate from a trusted CA is accepted";
    }

    if (hopGeneration > 0) {
        const QString spelled = peerNameOfGeneration(target, nameToVerify(options.tls, target), hopGeneration);
        if (!spelled.isEmpty())
            nr.setPeerVerifyName(spelled);
    }

    QList<QByteArray> names;
    for (const auto &header : hopRequest.headers()) {
        if (!std::any_of(names.cbegin(), names.cend(),
                         [&](const QByteArray &n) { return n.compare(header.first, Qt::CaseInsensitive) == 0; }))
            names.append(header.first);
    }
    for (const QByteArray &name : std::as_const(names)) {
        // Over https a proxy sees only the CONNECT, whose credentials are the QNetworkProxy's:
        // this header would go inside the tunnel, to the origin server.
        if (https && name.compare("Proxy-Authorization", Qt::CaseInsensitive) == 0) {
            qCDebug(lcResponse) << "Proxy-Authorization left out of an https request: set the proxy's credentials on its QNetworkProxy";
            continue;
        }
        nr.setRawHeader(name, hopRequest.header(name));
    }
    if (options.cookieJar) {
        const QList<QNetworkCookie> jarCookies = options.cookieJar->cookiesForUrl(target);
        if (!jarCookies.isEmpty()) {
            QByteArray cookieHeader = hopRequest.header("Cookie");
            for (const QNetworkCookie &cookie : jarCookies) {
                if (!cookieHeader.isEmpty())
                    cookieHeader += "; ";
                cookieHeader += cookie.toRawForm(QNetworkCookie::NameAndValueOnly);
            }
            nr.setRawHeader("Cookie", cookieHeader);
        }
    }
    if (!hopRequest.hasHeader("User-Agent") && !hopRequest.userAgent().isEmpty())
        nr.setRawHeader("User-Agent", hopRequest.userAgent());
    // Courier undoes content codings itself, the same way on every engine (ContentDecoder):
    // asked for here, the engines hand the body over as sent. An Accept-Encoding of the
    // application's is its own to decode.
    if (!hopRequest.hasHeader("Accept-Encoding"))
        nr.setRawHeader("Accept-Encoding", ContentDecoder::acceptEncoding());

    // Credentials of Courier's own go to the origin of the request only.
    if (Headers::sameOrigin(target, origin) && !hopRequest.hasHeader("Authorization")) {
        if (!options.bearerToken.isEmpty())
            nr.setRawHeader("Authorization", "Bearer " + options.bearerToken);
        else if (!hopAuthorization.isEmpty())
            nr.setRawHeader("Authorization", hopAuthorization);
        else if (options.preemptiveAuthentication && !options.user.isEmpty()) {
            nr.setRawHeader("Authorization", Auth::basic(options.user, options.password));
            *preemptiveBasic = true;
        }
    }

    if (hopRequest.bodyKind() != Request::BodyKind::None && !hopRequest.hasHeader("Content-Type"))
        nr.setRawHeader("Content-Type", hopRequest.contentType());
    return nr;
}

void ResponsePrivate::startHop()
{
    Q_Q(Response);
    bool preemptiveBasic = false;
    hopGeneration = connectionGeneration(manager, hopRequest.url());
    QNetworkRequest nr = buildRequest(&preemptiveBasic);
    if (preemptiveBasic)
        authAttempts = std::max(authAttempts, 1); // preemptive Basic is the first attempt
    hopAuthorization.clear();
    pinsPending = false;
    connecting = false;
    firstByteRecorded = false;
    hopHeadersTaken = false;
    courierDecodes = !hopRequest.hasHeader("Accept-Encoding");

    const QByteArray method = hopRequest.method();
    const auto kind = hopRequest.bodyKind();

    toSend = 0;
    sent = 0;
    if (method == "HEAD") {
        reply = manager->head(nr);
    } else if (kind == Request::BodyKind::None) {
        if (method == "GET") {
            reply = manager->get(nr);
        } else {
            if (method == "POST" || method == "PUT" || method == "PATCH")
                nr.setHeader(QNetworkRequest::ContentLengthHeader, 0);
            reply = manager->sendCustomRequest(nr, method);
        }
    } else if (kind == Request::BodyKind::Device) {
        QIODevice *device = hopRequest.bodyDevice();
        qint64 size = hopRequest.bodyDeviceSize();
        if (size < 0 && !device->isSequential())
            size = device->size() - device->pos();
        if (size >= 0)
            nr.setHeader(QNetworkRequest::ContentLengthHeader, size);
        // With its size known, Qt streams a sequential device instead of reading it all first.
        nr.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        if (!device->isSequential() && deviceStart < 0)
            deviceStart = device->pos();
        toSend = size;
        reply = manager->sendCustomRequest(nr, method, device);
    } else if (kind == Request::BodyKind::Multipart) {
        toSend = -1;
        reply = manager->sendCustomRequest(nr, method, hopRequest.multipart());
    } else {
        toSend = hopRequest.body().size();
        reply = manager->sendCustomRequest(nr, method, hopRequest.body());
    }

    qCDebug(lcResponse) << "hop" << redirects << method << Headers::redacted(hopRequest.url());
    reply->setParent(q);
    if (options.readBufferSize > 0)
        applyReadBufferSize(kind != Request::BodyKind::None && method != "HEAD");
    connectReply();
    restartReadTimer();
}

void ResponsePrivate::applyReadBufferSize(bool startDeferred)
{
    // Qt's engine (QNetworkReplyHttpImpl, Qt 6.4) passes the limit to its HTTP thread with a
    // queued signal, connected only when the request is handed to that thread. Without a body
    // that happens inside get(), so the limit follows right after; with a body Qt hands the
    // request over from the event loop, and a limit set before then is dropped: it is set again
    // right after (the call is queued behind Qt's). libcurl's replies take it at once.
    reply->setReadBufferSize(options.readBufferSize);
    if (!startDeferred)
        return;
#if COURIER_HAS_CURL
    if (qobject_cast<CurlReply *>(reply))
        return;
#endif
    // Queued on the Response (gone with it), after Qt's own start queued on the reply: posted
    // events run in the order they were posted, whatever their receiver.
    QPointer<QNetworkReply> target(reply);
    QMetaObject::invokeMethod(
        q_ptr,
        [this, target] {
            if (target && target == reply)
                target->setReadBufferSize(options.readBufferSize);
        },
        Qt::QueuedConnection);
}

qint64 ResponsePrivate::Held::read(char *to, qint64 maximum)
{
    const qint64 n = std::min(maximum, size());
    memcpy(to, data.constData() + head, size_t(n));
    head += n;
    if (head == data.size())
        clear();
    return n;
}

QByteArray ResponsePrivate::Held::takeAll()
{
    QByteArray all = head == 0 ? std::exchange(data, QByteArray()) : data.mid(head);
    clear();
    return all;
}

void ResponsePrivate::Held::append(const QByteArray &bytes)
{
    if (head > 0 && head >= data.size() / 2) {
        data.remove(0, head); // read bytes go before the buffer grows: O(1) per byte read
        head = 0;
    }
    data += bytes;
}

void ResponsePrivate::retireConnection()
{
#if COURIER_HAS_CURL
    if (qobject_cast<CurlReply *>(reply))
        return; // libcurl closes what it cannot use again
#endif
    const QUrl at = hopRequest.url();
    // Once per connection: requests that failed together on it move on together.
    if (!manager || connectionGeneration(manager, at) != hopGeneration)
        return;
    if (peerNameOfGeneration(at, nameToVerify(options.tls, at), hopGeneration + 1).isEmpty()) {
        qCWarning(lcResponse) << "no new connection can be had for" << Headers::redacted(at)
                              << ": Qt 6.4 may use the one just given up on again";
        return;
    }
    qCDebug(lcResponse) << "connections to" << hostAndPort(at) << "given up on: generation" << hopGeneration + 1;
    manager->setProperty(generationKey(at).constData(), hopGeneration + 1);
}

bool ResponsePrivate::setUpDecoder()
{
    decoder.reset();
    if (!courierDecodes || hasNoBody(statusCode))
        return true;
    QString why;
    decoder = ContentDecoder::create(reply->rawHeader("Content-Encoding"), &why);
    if (decoder || why.isEmpty())
        return true;
    headers.clear(); // refused: none of them is the application's to read
    failTransfer(Response::ProtocolFailure,
                 QStringLiteral("%1 (%2: %3)").arg(errorTitle(Response::ProtocolFailure), hostAndPort(reply->url()), why));
    return false;
}

qint64 ResponsePrivate::decodeBound() const
{
    return options.readBufferSize > 0 ? options.readBufferSize : std::numeric_limits<qint64>::max();
}

bool ResponsePrivate::decodeAvailable(qint64 bound, QString *why)
{
    constexpr qint64 Piece = 64 * 1024;
    while (held.size() < bound) {
        const bool wireWaiting = reply && reply->isOpen() && reply->bytesAvailable() > 0;
        if (wireWaiting && decoder->pendingInput() < Piece)
            decoder->addInput(reply->read(Piece));
        const qint64 before = held.size();
        if (held.head > 0 && held.head >= held.data.size() / 2) {
            held.data.remove(0, held.head);
            held.head = 0;
        }
        if (!decoder->decode(&held.data, std::min(bound - held.size(), 4 * Piece), why))
            return false;
        if (held.size() == before && !(wireWaiting && decoder->pendingInput() < Piece))
            break; // nothing more until more arrives (or the decoder is stuck on what it has)
    }
    return true;
}

bool ResponsePrivate::moreToDecode() const
{
    if (!decoder)
        return false;
    const bool wireWaiting = reply && reply->isOpen() && reply->bytesAvailable() > 0;
    return wireWaiting || !decoder->isExhausted();
}

void ResponsePrivate::failDecoding(const QString &why)
{
    failTransfer(Response::ProtocolFailure,
                 QStringLiteral("%1 (%2: the body could not be decoded as Content-Encoding \"%3\": %4)")
                     .arg(errorTitle(Response::ProtocolFailure), hostAndPort(hopRequest.url()),
                          decoder ? decoder->codings() : QString(), why));
}

bool ResponsePrivate::takeBodyBytes()
{
    if (decoder) {
        QString why;
        if (!decodeAvailable(decodeBound(), &why)) {
            failDecoding(why);
            return false;
        }
    }
    received = std::max(received, bodyBytesSoFar());
    if (options.maximumBodySize > 0 && received > options.maximumBodySize) {
        failTransfer(Response::UnknownContentError,
                     QStringLiteral("The response body is too large: more than the maximum body size of %1 bytes")
                         .arg(options.maximumBodySize));
        return false;
    }
    return true;
}

void ResponsePrivate::afterRead()
{
    if (backpressured && (decoder ? held.size() : (reply ? reply->bytesAvailable() : 0)) < decodeBound()) {
        backpressured = false;
        restartReadTimer();
    }
    if (!decoder || !running || pumpQueued || held.size() >= decodeBound() || !moreToDecode())
        return;
    pumpQueued = true;
    QMetaObject::invokeMethod(q_ptr, [this] { pumpDecoder(); }, Qt::QueuedConnection);
}

void ResponsePrivate::pumpDecoder()
{
    Q_Q(Response);
    pumpQueued = false;
    if (!decoder || !running)
        return;
    const qint64 before = held.size();
    if (!takeBodyBytes())
        return;
    if (held.size() > before) {
        QPointer<Response> guard(q);
        Q_EMIT q->readyRead();
        if (!guard || !running)
            return;
    }
    if (endDeferred && !moreToDecode())
        finishFromQt();
}

void ResponsePrivate::failTransfer(Response::Error e, const QString &message)
{
    Q_Q(Response);
    failure = e;
    failureMessage = message;
    QPointer<Response> guard(q);
    abortReplyKeepingData(); // may end the response through onHopFinished()
    if (guard && running)
        finish(e, message, true);
}

bool ResponsePrivate::checkHeaderBlock()
{
    // The status line counts: Qt takes a reason phrase of any length.
    qint64 headerBytes = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray().size() + 15;
    for (const auto &[name, value] : reply->rawHeaderPairs())
        headerBytes += name.size() + value.size() + 4;
    QString why;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    bool interim = false;
    if (status < 100 || status > 599) {
        // RFC 9110 section 15: a status code is 100 to 599; anything else is no HTTP response.
        why = QStringLiteral("%1 (%2: the status code %3 is not an HTTP status, which is 100 to 599)")
                  .arg(errorTitle(Response::ProtocolFailure), hostAndPort(reply->url()))
                  .arg(status);
    } else if (status == 101) {
        why = QStringLiteral("%1 (%2: the server switched protocols (101) though the request asked for no upgrade)")
                  .arg(errorTitle(Response::ProtocolFailure), hostAndPort(reply->url()));
    } else if (status < 200) {
        // Interim responses come before the final one (RFC 9110 section 15.2). libcurl skips
        // them; Qt 6.4's engine takes every one but 100 Continue for the final response and
        // leaves the real one unread on the connection.
        interim = true;
        why = QStringLiteral("%1 (%2: an interim %3 response came as the final one: Qt 6.4's engine reads no further "
                             "than a 1xx other than 100 Continue; the libcurl engine skips it)")
                  .arg(errorTitle(Response::ProtocolFailure), hostAndPort(reply->url()))
                  .arg(status);
    } else if (headerBytes > Response::MaximumHeaderSize) {
        why = QStringLiteral("The response headers are too large: %1 bytes, more than %2")
                  .arg(headerBytes)
                  .arg(Response::MaximumHeaderSize);
    } else {
        // RFC 9112 §6.3: a Content-Length that is not one number (or a list of one number
        // repeated) leaves the framing unknown, and one next to Transfer-Encoding may be a
        // response-splitting attempt. Qt would read on with a framing of its own choosing;
        // Courier refuses both.
        const QString framing = Headers::framingProblem(reply->rawHeader("Content-Length"),
                                                        reply->hasRawHeader("Content-Length"),
                                                        reply->hasRawHeader("Transfer-Encoding"));
        if (!framing.isEmpty())
            why = QStringLiteral("%1 (%2: %3)").arg(errorTitle(Response::ProtocolFailure), hostAndPort(reply->url()), framing);
        // Courier asks for no transfer coding (no TE header): chunked is the only one a server
        // may use, and the body of any other would reach the application still coded.
        const QByteArray te = reply->rawHeader("Transfer-Encoding").trimmed().toLower();
        if (why.isEmpty() && reply->hasRawHeader("Transfer-Encoding") && te != "chunked")
            why = QStringLiteral("%1 (%2: Transfer-Encoding \"%3\" was not asked for; only chunked may be used)")
                      .arg(errorTitle(Response::ProtocolFailure), hostAndPort(reply->url()), QString::fromLatin1(te.left(100)));
    }
    if (why.isEmpty())
        return true;
    // Refused, redirect or challenge alike: nothing of it is used (cookies, Location, challenge)
    // and none of its headers is the application's to read; its status is still told.
    readHeadersFrom(reply);
    headers.clear();
    contentLength = -1;
    hopIsIntermediate = false;
    // The final response the interim one stood for is still on its way on that connection: it
    // must not become the answer to the next request Qt sends there.
    if (interim)
        retireConnection();
    failTransfer(Response::ProtocolFailure, why);
    return false;
}

bool ResponsePrivate::checkBodyLimit()
{
    // Content-Length counts the body as sent: with a Content-Encoding the limit is checked on the
    // decoded bytes as they come.
    const qint64 limit = options.maximumBodySize;
    const QByteArray encoding = reply->rawHeader("Content-Encoding").trimmed().toLower();
    if (limit <= 0 || contentLength <= limit || (!encoding.isEmpty() && encoding != "identity"))
        return true;
    releaseReply(); // nothing of it is wanted
    finish(Response::UnknownContentError,
           QStringLiteral("The response body is too large: Content-Length is %1 bytes, "
                          "and the maximum body size is %2")
               .arg(contentLength)
               .arg(limit),
           true);
    return false;
}

bool ResponsePrivate::takeHopHeaders()
{
    if (hopHeadersTaken)
        return true;
    hopHeadersTaken = true;
    if (!checkPins()) // a reused connection never emits encrypted(): check the pins here too
        return false;
    record(TimelineEvent::HeadersReceived, hopRequest.url());
    if (!checkHeaderBlock())
        return false;
    storeCookies();
    protocol = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool() ? Request::Protocol::Http2
                                                                                  : Request::Protocol::Http1;
    return true;
}

void ResponsePrivate::connectReply()
{
    Q_Q(Response);
    QObject::connect(reply, &QNetworkReply::metaDataChanged, q, [this] { onMetaDataChanged(); });
    QObject::connect(reply, &QNetworkReply::readyRead, q, [this] { onReadyRead(); });
    QObject::connect(reply, &QNetworkReply::downloadProgress, q,
                     [this](qint64 r, qint64 t) { onDownloadProgress(r, t); });
    QObject::connect(reply, &QNetworkReply::uploadProgress, q,
                     [this](qint64 s, qint64 t) { onUploadProgress(s, t); });
    QObject::connect(reply, &QNetworkReply::sslErrors, q, [this](const QList<QSslError> &errors) { onSslErrors(errors); });
    QObject::connect(reply, &QNetworkReply::socketStartedConnecting, q, [this] { onSocketStartedConnecting(); });
    QObject::connect(reply, &QNetworkReply::encrypted, q, [this] { onEncrypted(); });
    QObject::connect(reply, &QNetworkReply::requestSent, q, [this] {
        onConnected();
        record(TimelineEvent::RequestSent, hopRequest.url());
    });
    QObject::connect(reply, &QNetworkReply::finished, q, [this] { onHopFinished(); });
}

void ResponsePrivate::releaseReply()
{
    if (!reply)
        return;
    Q_Q(Response);
    QNetworkReply *old = reply;
    reply = nullptr;
    QObject::disconnect(old, nullptr, q, nullptr);
    // May run inside one of the reply's own signals: never delete it here.
    old->setParent(manager.data());
    if (old->isRunning())
        old->abort();
    old->deleteLater();
}

void ResponsePrivate::abortReplyKeepingData()
{
    if (!reply || !reply->isRunning())
        return;
    // A body arrives only after its headers were accepted: bytes the engine had already taken in
    // for a response refused at its headers (size, framing) are not part of it.
    if (!hopIsIntermediate && headersEmitted) {
        if (decoder) {
            QString why;
            decodeAvailable(decodeBound(), &why); // what decodes now stays readable; the rest goes
        } else {
            held.append(reply->readAll());
        }
    }
    // Qt emits finished() synchronously, which onHopFinished() turns into the end of the
    // response, and a last downloadProgress() on the way, before or after it: not passed on.
    abortingReply = true;
    reply->abort();
    abortingReply = false;
}

bool ResponsePrivate::ignoringReply() const
{
    // After the end, nothing more of the reply reaches the application (Qt can still deliver
    // what it queued before the abort); during abort(), only its finished() is heard.
    return !running || abortingReply;
}

void ResponsePrivate::restartReadTimer()
{
    if (connecting)
        return; // the connect timeout runs instead
    if (options.readTimeout.count() <= 0)
        return;
    lastActivity = clock.elapsed();
    if (!readTimer.isActive())
        readTimer.start(timerMsecs(options.readTimeout.count()), q_ptr);
}

bool ResponsePrivate::hasNoBody(int status) const
{
    // RFC 9110 section 6.4.1: whatever Content-Length says.
    return hopRequest.method() == "HEAD" || status == 204 || status == 304 || HttpStatus::isInformational(status);
}

qint64 ResponsePrivate::bodyBytesSoFar() const
{
    if (hopIsIntermediate)
        return 0;
    const qint64 inReply = !decoder && reply && reply->isOpen() ? reply->bytesAvailable() : 0;
    return delivered + held.size() + inReply;
}

void ResponsePrivate::onSocketStartedConnecting()
{
    record(TimelineEvent::Connecting, hopRequest.url());
    connecting = true;
    readTimer.stop();
    if (options.connectTimeout.count() > 0)
        connectTimer.start(timerMsecs(options.connectTimeout.count()), q_ptr);
}

void ResponsePrivate::onConnected()
{
    if (!connecting)
        return;
    connecting = false;
    connectTimer.stop();
    restartReadTimer();
}

void ResponsePrivate::onEncrypted()
{
    record(TimelineEvent::TlsEstablished, hopRequest.url());
    onConnected();
    checkPins();
}

void ResponsePrivate::onSslErrors(const QList<QSslError> &errors)
{
    bool onlyNameMismatch = !options.tls.hostNameCheckEnabled();
    for (const QSslError &e : errors) {
        // Qt 6.4 names only the errors it knows; OpenSSL's security-level refusals (a key too
        // short, a digest too weak) come as "Unknown error" with the certificate at fault.
        const QString weakness = e.error() == QSslError::UnspecifiedError ? weaknessOf(e.certificate()) : QString();
        sslErrors.append(weakness.isEmpty() ? e.errorString() : weakness);
        if (e.error() != QSslError::HostNameMismatch)
            onlyNameMismatch = false;
    }
    if (onlyNameMismatch && !errors.isEmpty()) {
        qCWarning(lcTls) << "accepting a certificate that does not name" << hopRequest.url().host()
                         << "because the host-name check is off";
        sslErrors.clear();
        reply->ignoreSslErrors();
    }
}

bool ResponsePrivate::checkPins()
{
    const QList<QByteArray> pins = options.tls.pinnedPublicKeys();
    if (pins.isEmpty() || !reply || hopRequest.url().scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) != 0)
        return true;
    QList<QSslCertificate> chain = reply->sslConfiguration().peerCertificateChain();
#if COURIER_HAS_CURL
    if (const auto *curl = qobject_cast<const CurlReply *>(reply))
        chain = curl->peerCertificateChain();
#endif
    if (chain.isEmpty() && !reply->isFinished()) {
        // A reused connection: Qt tells its certificates only when the reply finishes.
        pinsPending = true;
        return true;
    }
    pinsPending = false;
    for (const QSslCertificate &certificate : chain) {
        if (pins.contains(QByteArray::fromBase64(TlsOptions::publicKeyPin(certificate))))
            return true;
    }
    const QString where = hostAndPort(hopRequest.url());
    qCWarning(lcTls) << "no certificate of" << where << "matches a pinned public key";
    releaseReply();
    finish(Response::SslHandshakeFailed,
           QStringLiteral("%1 (%2): no certificate in the server's chain of %3 matches a pinned public key")
               .arg(errorTitle(Response::SslHandshakeFailed), where)
               .arg(chain.size()),
           true);
    return false;
}

void ResponsePrivate::onMetaDataChanged()
{
    Q_Q(Response);
    if (ignoringReply())
        return;
    restartReadTimer();
    onConnected();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0 || hopHeadersTaken)
        return;
    if (!takeHopHeaders())
        return;
    if (isFollowedRedirect(status) && reply->hasRawHeader("Location") && options.maximumRedirects > 0) {
        hopIsIntermediate = true;
        return;
    }
    if (status == 401 && willAnswerChallenge()) {
        hopIsIntermediate = true;
        return;
    }
    if (options.retry.retriedStatuses().contains(status)) {
        retryDelay = nextRetryDelay();
        if (retryDelay >= 0) {
            retryPending = true;
            hopIsIntermediate = true;
            return;
        }
    }
    readHeadersFrom(reply);
    if (!checkBodyLimit() || !setUpDecoder() || !beginDownload())
        return;
    if (!headersEmitted) {
        headersEmitted = true;
        Q_EMIT q->headersReceived();
    }
}

bool ResponsePrivate::beginDownload()
{
    if (!sink || sink->isWriting())
        return true;
    Response::Error e = Response::NoError;
    QString why;
    if (!sink->begin(reply, &e, &why)) {
        failTransfer(e, why);
        return false;
    }
    return true;
}

void ResponsePrivate::drainToDownload()
{
    if (!sink || !sink->isWriting() || failure != Response::NoError)
        return;
    // A download asks for the body as stored (Accept-Encoding: identity): no decoder here.
    QByteArray bytes = held.takeAll();
    if (reply && !hopIsIntermediate && reply->isOpen())
        bytes += reply->readAll();
    delivered += bytes.size();
    QString why;
    Response::Error e = Response::NoError;
    if (!sink->write(bytes, &e, &why))
        failTransfer(e, why);
}

void ResponsePrivate::readHeadersFrom(QNetworkReply *r)
{
    statusCode = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    statusMessage = QString::fromLatin1(r->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray());
    if (statusMessage.isEmpty())
        statusMessage = HttpStatus::phrase(statusCode);
    // RFC 9112 section 2.2 and RFC 9110 section 5.5: a bare CR or a NUL in a field is replaced
    // with SP, so that no value reaches the application with a line break of the server's.
    headers = r->rawHeaderPairs();
    for (auto &[name, value] : headers)
        value = Headers::withoutBareCarriageReturns(value);
    cached = r->attribute(QNetworkRequest::SourceIsFromCacheAttribute).toBool();
    contentLength = -1;
    const QByteArray te = r->rawHeader("Transfer-Encoding").toLower();
    if (r->hasRawHeader("Content-Length") && !te.contains("chunked")) {
        bool ok = false;
        const qint64 n = r->rawHeader("Content-Length").trimmed().toLongLong(&ok);
        if (ok && n >= 0)
            contentLength = n;
    }
}

void ResponsePrivate::storeCookies()
{
    const QByteArray setCookie = reply->rawHeader("Set-Cookie");
    if (setCookie.isEmpty())
        return;
    const QUrl hopUrl = hopRequest.url();
    // Qt joins repeated Set-Cookie fields with '\n', which parseCookies() splits at; a bare CR or
    // NUL inside one is a space, not a line break of the server's choosing.
    const QList<QNetworkCookie> parsed = QNetworkCookie::parseCookies(Headers::withoutBareCarriageReturns(setCookie));
    // The jar gets them as parsed: it normalizes them itself, and a second normalize() would
    // turn a host-only cookie (a domain without a leading dot) into one for every subdomain.
    if (options.cookieJar)
        options.cookieJar->setCookiesFromUrl(parsed, hopUrl);
    for (QNetworkCookie cookie : parsed) {
        cookie.normalize(hopUrl);
        cookies.append(cookie);
    }
}

void ResponsePrivate::onReadyRead()
{
    Q_Q(Response);
    if (ignoringReply())
        return;
    onConnected();
    restartReadTimer();
    if (!hopIsIntermediate) {
        if (!headersEmitted)
            return; // no body before its headers were accepted (a status line Qt read as 0)
        if (!firstByteRecorded) {
            firstByteRecorded = true;
            record(TimelineEvent::FirstByte, hopRequest.url());
        }
        if (!takeBodyBytes())
            return;
        if (sink && sink->isWriting()) {
            drainToDownload(); // to the file, not to the application
            return;
        }
        const qint64 waiting = decoder ? held.size() : reply->bytesAvailable();
        if (options.readBufferSize > 0 && waiting >= options.readBufferSize) {
            // The application is the bottleneck, not the server: Qt stops reading the socket,
            // and the silence that follows is not the server's.
            backpressured = true;
            readTimer.stop();
        }
        if (!decoder || held.size() > 0)
            Q_EMIT q->readyRead();
        return;
    }
    redirectBodyDiscarded += reply->skip(reply->bytesAvailable());
    if (redirectBodyDiscarded > MaxRedirectBodyDiscarded) {
        qCDebug(lcRedirect) << "intermediate body over" << MaxRedirectBodyDiscarded << "bytes: going on at once";
        continueAfterIntermediate();
    }
}

void ResponsePrivate::onDownloadProgress(qint64 bytesReceived, qint64 bytesTotal)
{
    Q_Q(Response);
    if (ignoringReply())
        return;
    // Progress reported after the buffer filled up is not the server's activity to time: the
    // application is the one behind (the libcurl engine reports it right after readyRead()).
    if (!backpressured)
        restartReadTimer();
    if (hopIsIntermediate)
        return;
    // Courier counts the bytes itself: Qt counts compressed bytes, and throttles the signal.
    Q_UNUSED(bytesReceived)
    received = std::max(received, bodyBytesSoFar());
    if (hasNoBody(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt()))
        bytesTotal = 0;
    else if (decoder)
        bytesTotal = -1; // the body decoded is of a size no header tells
    total = bytesTotal;
    downloadProgressEmitted = true;
    const qint64 resumed = sink ? sink->resumedFrom() : 0;
    Q_EMIT q->downloadProgress(received + resumed, bytesTotal < 0 ? bytesTotal : bytesTotal + resumed);
}

void ResponsePrivate::onUploadProgress(qint64 bytesSent, qint64 bytesTotal)
{
    Q_Q(Response);
    if (ignoringReply())
        return;
    if (bytesSent > 0)
        onConnected();
    restartReadTimer();
    if (hopRequest.bodyKind() == Request::BodyKind::None || hopRequest.method() == "HEAD")
        return;
    // Qt also reports (0, 0) when there is nothing to send and once more when the upload is over.
    if (bytesSent == 0 && bytesTotal <= 0)
        return;
    sent = bytesSent;
    if (bytesTotal >= 0)
        toSend = bytesTotal;
    Q_EMIT q->uploadProgress(bytesSent, bytesTotal);
}

void ResponsePrivate::onTimeout(TimeoutKind kind)
{
    Q_Q(Response);
    if (finished || !running)
        return;
    timedOut = kind;
    qCDebug(lcResponse) << "timeout" << int(kind);
    QPointer<Response> guard(q);
    const QNetworkReply *before = reply;
    const int attemptBefore = attempt;
    abortReplyKeepingData(); // a running reply ends now, through onHopFinished()
    if (guard && running && reply == before && attempt == attemptBefore)
        onHopFinished(); // nothing was running: end here
}

void ResponsePrivate::onHopFinished()
{
    readTimer.stop();
    if (finished || !running)
        return;
    if (failure != Response::NoError) {
        finish(failure, failureMessage, true);
        return;
    }
    if (aborted) {
        finish(Response::OperationCanceled, QStringLiteral("Canceled: the request was aborted"), true);
        return;
    }
    if ((timedOut == TimeoutKind::Connect || timedOut == TimeoutKind::Read)
        && retryIfAllowed(timedOut == TimeoutKind::Connect ? QStringLiteral("connect timeout") : QStringLiteral("read timeout")))
        return;
    if (timedOut == TimeoutKind::Connect) {
        finish(Response::Timeout,
               QStringLiteral("Timed out: no connection to %1 within %2 ms (connect timeout)")
                   .arg(hostAndPort(hopRequest.url()))
                   .arg(options.connectTimeout.count()),
               true);
        return;
    }
    if (timedOut == TimeoutKind::Read) {
        finish(Response::Timeout,
               QStringLiteral("Timed out: no data for %1 ms (read timeout)").arg(options.readTimeout.count()), true);
        return;
    }
    if (timedOut == TimeoutKind::Total) {
        finish(Response::Timeout,
               QStringLiteral("Timed out: the request took longer than its total timeout of %1 ms").arg(options.totalTimeout.count()),
               true);
        return;
    }
    if (hopIsIntermediate && reply) {
        continueAfterIntermediate();
        return;
    }
    finishFromQt();
}

void ResponsePrivate::continueAfterIntermediate()
{
    if (retryPending) {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        scheduleRetry(retryDelay, QStringLiteral("status %1").arg(status));
    } else if (!hopAuthorization.isEmpty()) {
        retryWithCredentials();
    } else {
        followRedirect();
    }
}

bool ResponsePrivate::canRetry() const
{
    if (!options.retry.isEnabled() || attempt >= options.retry.maximumAttempts())
        return false;
    if (aborted || failure != Response::NoError || timedOut == TimeoutKind::Total || headersEmitted)
        return false;
    if (!options.retry.isRetriedMethod(firstHop.method()))
        return false;
    switch (firstHop.bodyKind()) {
    case Request::BodyKind::Device:
        return firstHop.bodyDevice() && !firstHop.bodyDevice()->isSequential();
    case Request::BodyKind::Multipart:
        return false;
    default:
        return true;
    }
}

qint64 ResponsePrivate::nextRetryDelay() const
{
    if (!canRetry())
        return -1;
    qint64 delay = options.retry.delay(attempt, QRandomGenerator::global()->generateDouble()).count();
    const QByteArray retryAfter = reply ? reply->rawHeader("Retry-After") : QByteArray();
    if (!retryAfter.isEmpty()) {
        const qint64 asked = Headers::retryAfterMsecs(retryAfter, QDateTime::currentDateTimeUtc());
        if (asked >= 0) {
            if (asked > options.retry.maximumDelay().count()) {
                qCDebug(lcResponse) << "Retry-After" << retryAfter << "is longer than the retry cap: not retrying";
                return -1;
            }
            delay = asked;
        }
    }
    if (totalDeadline >= 0 && delay >= totalDeadline - clock.elapsed()) {
        qCDebug(lcResponse) << "a retry in" << delay << "ms would pass the total timeout: not retrying";
        return -1;
    }
    return delay;
}

bool ResponsePrivate::retryIfAllowed(const QString &why)
{
    const qint64 delay = nextRetryDelay();
    if (delay < 0)
        return false;
    scheduleRetry(delay, why);
    return true;
}

void ResponsePrivate::scheduleRetry(qint64 delay, const QString &why)
{
    Q_Q(Response);
    ++attempt;
    qCDebug(lcResponse) << "attempt" << attempt - 1 << "failed (" << why << "); attempt" << attempt << "in" << delay << "ms";
    connectTimer.stop();
    resetHopState();
    retryPending = false;
    timedOut = TimeoutKind::None;
    connecting = false;
    record(TimelineEvent::Retrying, firstHop.url());
    QPointer<Response> guard(q);
    Q_EMIT q->retrying(attempt, int(std::min<qint64>(delay, std::numeric_limits<int>::max())));
    if (!guard || !running)
        return;
    retryTimer.start(timerMsecs(delay), q);
}

void ResponsePrivate::startAttempt()
{
    Q_Q(Response);
    if (!running)
        return;
    if (!rewindBody(firstHop, QStringLiteral("a retry")))
        return;
    hopRequest = firstHop;
    redirects = 0;
    authAttempts = 0;
    hopAuthorization.clear();
    if (url != firstHop.url()) {
        url = firstHop.url();
        QPointer<Response> guard(q);
        Q_EMIT q->urlChanged();
        if (!guard || !running)
            return;
    }
    startHop();
}

bool ResponsePrivate::followRedirect()
{
    Q_Q(Response);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QUrl from = reply->url();
    const QByteArray location = reply->rawHeader("Location").trimmed();
    QUrl target = from.resolved(QUrl::fromEncoded(location, QUrl::TolerantMode));

    const QString scheme = target.scheme().toLower();
    const bool webScheme = scheme == QLatin1String("http") || scheme == QLatin1String("https");
    // Another scheme first, with or without a host (file:, data:, javascript:): never followed.
    if (!location.isEmpty() && target.isValid() && !webScheme) {
        finish(Response::ProtocolUnknown,
               QStringLiteral("Unsupported protocol: the server redirected to a \"%1\" URL; only http and https are followed")
                   .arg(printable(scheme.toLatin1().left(40))),
               true);
        return false;
    }
    if (location.isEmpty() || !target.isValid() || target.host().isEmpty()) {
        finish(Response::ProtocolFailure,
               QStringLiteral("Protocol error: the server redirected to an invalid Location \"%1\"").arg(printable(location.left(200))),
               true);
        return false;
    }
    // Credentials in a Location are the server's to give to nobody: they are neither sent nor
    // shown (a redirect is no way to log the client in anywhere).
    target.setUserInfo(QString());
    if (redirects >= options.maximumRedirects) {
        finish(Response::TooManyRedirects,
               QStringLiteral("Too many redirects: stopped after %1, the limit (last one to %2)")
                   .arg(options.maximumRedirects)
                   .arg(Headers::redacted(target)),
               true);
        return false;
    }
    if (from.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0 && scheme == QLatin1String("http")
        && !options.insecureRedirectsAllowed) {
        finish(Response::InsecureRedirect,
               QStringLiteral("Insecure redirect refused: %1 redirected from https to %2").arg(Headers::redacted(from), Headers::redacted(target)),
               true);
        return false;
    }
    if (!target.hasFragment() && from.hasFragment())
        target.setFragment(from.fragment(QUrl::FullyEncoded), QUrl::TolerantMode);

    Request next = hopRequest;
    next.setUrl(target);
    const QByteArray method = hopRequest.method();
    const bool toGet = (status == 303 && method != "HEAD") || ((status == 301 || status == 302) && method == "POST");
    if (toGet) {
        next.setMethod("GET");
        next.clearBody();
        next.removeHeader("Content-Type");
        next.removeHeader("Content-Length");
    } else if (!rewindBody(next, QStringLiteral("following the %1 redirect").arg(status))) {
        return false;
    }
    if (!Headers::sameOrigin(from, target)) {
        // Host too: it names the first origin's virtual host, and would route the request to a
        // host of that server's choosing on the next one.
        for (const char *name : {"Authorization", "Cookie", "Proxy-Authorization", "Host"})
            next.removeHeader(name);
        for (const QByteArray &name : std::as_const(options.sensitiveHeaders))
            next.removeHeader(name);
        qCDebug(lcRedirect) << "cross-origin redirect: credentials and sensitive headers dropped for"
                            << Headers::redacted(target);
    }

    ++redirects;
    hopRequest = next;
    url = target;
    resetHopState();
    record(TimelineEvent::Redirected, target);

    QPointer<Response> guard(q);
    Q_EMIT q->urlChanged();
    if (!guard || !running)
        return false;
    Q_EMIT q->redirected(target);
    if (!guard || !running)
        return false;
    startHop();
    return true;
}

bool ResponsePrivate::rewindBody(const Request &next, const QString &why)
{
    if (next.bodyKind() != Request::BodyKind::Device)
        return true;
    QIODevice *device = next.bodyDevice();
    if (device && !device->isSequential() && device->seek(deviceStart))
        return true;
    finish(Response::ContentReSend,
           QStringLiteral("The request body cannot be sent again: %1 needs the body again, "
                          "and it is streamed from a device that cannot be rewound")
               .arg(why),
           true);
    return false;
}

void ResponsePrivate::resetHopState()
{
    releaseReply();
    hopIsIntermediate = false;
    redirectBodyDiscarded = 0;
    statusCode = 0;
    statusMessage.clear();
    headers.clear();
    cached = false;
    contentLength = -1;
    received = 0;
    total = -1;
    delivered = 0;
    held.clear();
    decoder.reset();
    endDeferred = false;
    sslErrors.clear();
    protocol = Request::Protocol::Auto;
}

bool ResponsePrivate::willAnswerChallenge()
{
    const QUrl at = hopRequest.url();
    if (!Headers::sameOrigin(at, origin)) {
        qCDebug(lcAuth) << "not answering the challenge of" << Headers::redacted(at) << ": another origin than the request's";
        return false;
    }
    if (options.user.isEmpty() || hopRequest.hasHeader("Authorization") || !options.bearerToken.isEmpty())
        return false; // nothing to answer with, or the application authorizes by itself
    if (authAttempts >= options.maximumAuthRetries) {
        qCDebug(lcAuth) << Headers::redacted(at) << "refused the credentials" << authAttempts << "time(s): giving up";
        return false;
    }
    const QByteArray body = hopRequest.bodyKind() == Request::BodyKind::Bytes ? hopRequest.body() : QByteArray();
    const bool bodyKnown = hopRequest.bodyKind() == Request::BodyKind::None || hopRequest.bodyKind() == Request::BodyKind::Bytes;
    hopAuthorization = Auth::authorization(reply->rawHeader("WWW-Authenticate"), hopRequest.method(),
                                           at.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment),
                                           options.user, options.password, bodyKnown ? &body : nullptr);
    if (hopAuthorization.isEmpty())
        qCDebug(lcAuth) << Headers::redacted(at) << "offers no challenge Courier can answer:" << reply->rawHeader("WWW-Authenticate");
    return !hopAuthorization.isEmpty();
}

void ResponsePrivate::retryWithCredentials()
{
    if (!rewindBody(hopRequest, QStringLiteral("answering the authentication challenge")))
        return;
    ++authAttempts;
    qCDebug(lcAuth) << "answering the challenge of" << Headers::redacted(hopRequest.url()) << "attempt" << authAttempts;
    const QByteArray authorization = hopAuthorization;
    resetHopState();
    record(TimelineEvent::Authenticating, hopRequest.url());
    hopAuthorization = authorization;
    startHop();
}

void ResponsePrivate::finishFromQt()
{
    Q_Q(Response);
    if (pinsPending && !checkPins())
        return;
    const QNetworkReply::NetworkError qe = reply->error();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 0 && !headersEmitted) {
        if (!takeHopHeaders())
            return;
        readHeadersFrom(reply);
        if (!checkBodyLimit() || !setUpDecoder() || !beginDownload())
            return;
        headersEmitted = true;
        QPointer<Response> guard(q);
        Q_EMIT q->headersReceived();
        if (!guard || !running)
            return;
    }

    const bool exchangeWorked = qe == QNetworkReply::NoError || (status >= 400 && qe == qtErrorForStatus(status));
    if (exchangeWorked && status == 0) {
        // Qt 6.4 reads "HTTP/1.1 000" as status 0, as if no status line had come.
        finish(Response::ProtocolFailure,
               QStringLiteral("%1 (%2: the response has no HTTP status, which is 100 to 599)")
                   .arg(errorTitle(Response::ProtocolFailure), hostAndPort(reply->url())),
               true);
        return;
    }
    if (exchangeWorked && decoder) {
        // The rest of the body through the decoder: all of it, or as much as the reader makes
        // room for (finished() then waits until the reader has taken it, so that a body cut short
        // inside its coding is never called complete).
        const qint64 before = held.size();
        QString why;
        if (!decodeAvailable(decodeBound(), &why)) {
            failDecoding(why);
            return;
        }
        if (held.size() > before) {
            QPointer<Response> guard(q);
            Q_EMIT q->readyRead();
            if (!guard || !running)
                return;
        }
        if (moreToDecode()) {
            endDeferred = true;
            readTimer.stop();
            return;
        }
        endDeferred = false;
    }
    // Qt 6.4 can take a connection closed or reset in the middle of a Content-Length body for the
    // end of the body (QHttpProtocolHandler treats an unconnected socket in ReadingDataState as
    // "all done"). Courier counts the bytes, as sent (before any Content-Encoding is undone), and
    // refuses a short body. A HEAD, 204 or 304 has no body.
    const qint64 got = decoder ? decoder->wireBytes() : bodyBytesSoFar();
    const bool bodyless = hasNoBody(status);
    if (exchangeWorked && contentLength >= 0 && !bodyless && got < contentLength) {
        finish(Response::RemoteHostClosed,
               QStringLiteral("%1 (%2: after %3 of the %4 bytes announced by Content-Length)")
                   .arg(errorTitle(Response::RemoteHostClosed), hostAndPort(reply->url()))
                   .arg(got)
                   .arg(contentLength),
               true);
        return;
    }

    if (exchangeWorked && decoder) {
        // Framed whole, but is the coding whole? A gzip stream cut short inside a body whose
        // length is right (or whose last chunk came) is not the body the server meant.
        QString why;
        if (!decoder->finish(&why)) {
            failDecoding(why);
            return;
        }
    }
    if (exchangeWorked) {
        const Response::Error e = Response::errorForStatus(status);
        finish(e,
               e == Response::NoError ? QString()
                                      : QStringLiteral("%1: the %2 replied %3 %4")
                                            .arg(errorTitle(e),
                                                 e == Response::ProxyAuthenticationRequired ? QStringLiteral("proxy")
                                                                                            : QStringLiteral("server"))
                                            .arg(status)
                                            .arg(statusMessage),
               false);
        return;
    }

    // RFC 9113 section 8.7: a request the server never processed, on a stream above a GOAWAY's
    // last stream identifier, refused with REFUSED_STREAM, or never started once GOAWAY came,
    // may go again on a new connection whatever its method. libcurl does so by itself; Qt 6.4
    // fails it (with words about a body a GET does not have). Courier sends it again, a few
    // times at most, before anything of it reaches the application.
    const bool unprocessed = status == 0 && isUnprocessedHttp2(qe, reply->errorString());
    if (unprocessed && unprocessedResends < MaximumUnprocessedResends) {
        if (!rewindBody(hopRequest, QStringLiteral("sending it again after the server's HTTP/2 connection went away before it took "
                                                   "the request (GOAWAY or REFUSED_STREAM)")))
            return;
        ++unprocessedResends;
        qCDebug(lcResponse) << "HTTP/2 stream not processed by the server (" << reply->errorString() << "): sending again";
        // Qt 6.4 can queue a request on a connection that is closing after GOAWAY and never send
        // it: the request goes on a connection of a new generation.
        retireConnection();
        const QByteArray authorization = hopAuthorization;
        resetHopState();
        record(TimelineEvent::Retrying, hopRequest.url());
        hopAuthorization = authorization;
        startHop();
        return;
    }
    if (unprocessed) {
        finish(Response::RemoteHostClosed,
               QStringLiteral("%1 (%2: the server's HTTP/2 connections went away before it took the request, %3 times: %4)")
                   .arg(errorTitle(Response::RemoteHostClosed), hostAndPort(reply->url()))
                   .arg(unprocessedResends + 1)
                   .arg(reply->errorString()),
               true);
        return;
    }

    // A connection that breaks while the request body is being written is the server closing
    // early; Qt reports it as RemoteHostClosedError or, after EPIPE or a reset, as
    // UnknownNetworkError with "Unknown error".
    const bool brokeWhileSending = status == 0
        && (qe == QNetworkReply::UnknownNetworkError || qe == QNetworkReply::RemoteHostClosedError)
        && hopRequest.bodyKind() != Request::BodyKind::None && (toSend < 0 || sent < toSend);
    const bool transient = qe == QNetworkReply::ConnectionRefusedError || qe == QNetworkReply::RemoteHostClosedError
                        || qe == QNetworkReply::TemporaryNetworkFailureError || brokeWhileSending;
    if (transient && status == 0 && retryIfAllowed(reply->errorString()))
        return;

    Response::Error e = Response::UnknownNetworkError;
    const QMetaEnum meta = QMetaEnum::fromType<Response::Error>();
    if (meta.valueToKey(int(qe)))
        e = Response::Error(int(qe));
    QString detail = reply->errorString();
    // Qt calls some failures of a request it could not send again ContentReSendError: without a
    // body to blame, that is the connection closing.
    if (e == Response::ContentReSend && hopRequest.bodyKind() == Request::BodyKind::None)
        e = Response::RemoteHostClosed;
    if (isTlsAlert(detail) && (e == Response::UnknownNetworkError || e == Response::RemoteHostClosed)) {
        e = Response::SslHandshakeFailed;
    } else if (brokeWhileSending) {
        e = Response::RemoteHostClosed;
        detail = toSend < 0 ? QStringLiteral("while the request body was being sent, after %1 bytes").arg(sent)
                            : QStringLiteral("while the request body was being sent, after %1 of %2 bytes").arg(sent).arg(toSend);
    } else if (e == Response::RemoteHostClosed && status == 0) {
        // Qt says the same when the server closes and when what it sends is not HTTP.
        detail = QStringLiteral("before a complete HTTP response");
    }
    if (status != 0 && Response::categoryOf(e) == Response::Network) {
        detail += contentLength >= 0 ? QStringLiteral(", after %1 of the %2 bytes announced by Content-Length").arg(got).arg(contentLength)
                                     : QStringLiteral(", after %1 bytes of the body").arg(got);
    }
    const QUrl current = reply->url();
    if (!current.userInfo().isEmpty()) {
        detail.replace(current.toString(), Headers::redacted(current));
        if (!current.password().isEmpty())
            detail.replace(current.password(), QLatin1String("***"));
    }
    if (e == Response::SslHandshakeFailed && !sslErrors.isEmpty())
        detail = sslErrors.join(QLatin1String("; "));
    // The libcurl engine's words may already begin with the title ("TLS handshake failed (…)").
    const QString titled = errorTitle(e) + QLatin1String(" (");
    if (detail.startsWith(titled, Qt::CaseInsensitive) && detail.endsWith(QLatin1Char(')')))
        detail = detail.mid(titled.size()).chopped(1);
    if (detail.compare(errorTitle(e), Qt::CaseInsensitive) == 0 || detail.isEmpty())
        detail = hostAndPort(current);
    else
        detail = hostAndPort(current) + QLatin1String(": ") + detail;
    finish(e, errorTitle(e) + QLatin1String(" (") + detail + QLatin1Char(')'), true);
}

void ResponsePrivate::failLater(Response::Error e, const QString &message)
{
    Q_Q(Response);
    qCDebug(lcResponse) << "refused before sending:" << message;
    QMetaObject::invokeMethod(q, [this, e, message] { finish(e, message, true); }, Qt::QueuedConnection);
}

void ResponsePrivate::finish(Response::Error e, const QString &message, bool transport)
{
    if (finished || !running)
        return;
    if (!sink) {
        finishWith(e, message, transport);
        return;
    }
    // The file is in place (or kept for a resume) before anyone hears of the end.
    drainToDownload();
    if (finished || !running)
        return; // the file could not take the rest: that failure ended the response
    QString why = message;
    sink->finish(&e, &why, &transport);
    finishWith(e, why, transport);
}

void ResponsePrivate::finishWith(Response::Error e, const QString &message, bool transport)
{
    Q_Q(Response);
    if (finished || !running)
        return;
    connectTimer.stop();
    readTimer.stop();
    totalTimer.stop();
    retryTimer.stop();
    record(TimelineEvent::Finished, url);
    error = e;
    transportError = transport && e != Response::NoError;
    if (e != Response::NoError)
        q->setErrorString(message);
    running = false; // from here on nothing restarts or finishes again

    received = std::max(received, bodyBytesSoFar());
    QPointer<Response> guard(q);
    if (!downloadProgressEmitted) {
        downloadProgressEmitted = true;
        const qint64 resumed = sink ? sink->resumedFrom() : 0;
        Q_EMIT q->downloadProgress(received + resumed, (total < 0 ? received : total) + resumed);
        if (!guard)
            return;
    }
    if (e != Response::NoError) {
        qCDebug(lcResponse) << "error" << int(e) << message;
        Q_EMIT q->errorOccurred(e);
        if (!guard)
            return;
    }
    Q_EMIT q->readChannelFinished();
    if (!guard)
        return;
    finished = true;
    Q_EMIT q->runningChanged();
    if (!guard)
        return;
    Q_EMIT q->finished();
}

// ---------------------------------------------------------------------------------------------
// Response

Response::Response(QObject *parent)
    : QIODevice(parent)
    , d_ptr(new ResponsePrivate(this))
{
    QIODevice::open(QIODevice::ReadOnly);
}

void Response::timerEvent(QTimerEvent *event)
{
    Q_D(Response);
    if (!d->onTimerEvent(event->timerId()))
        QIODevice::timerEvent(event);
}

Response::~Response()
{
    Q_D(Response);
    d->running = false;
    d->releaseReply();
}

Response::ErrorCategory Response::categoryOf(Error error)
{
    const int e = int(error);
    if (e == 0)
        return None;
    if (e < 100)
        return Network;
    if (e < 200)
        return Proxy;
    if (e < 300)
        return Content;
    if (e < 400)
        return Protocol;
    return Server;
}

Response::Error Response::errorForStatus(int code)
{
    switch (code) {
    case 401: return AuthenticationRequired;
    case 403: return ContentAccessDenied;
    case 404: return ContentNotFound;
    case 405: return ContentOperationNotPermitted;
    case 407: return ProxyAuthenticationRequired;
    case 409: return ContentConflict;
    case 410: return ContentGone;
    case 500: return InternalServerError;
    case 501: return OperationNotImplemented;
    case 503: return ServiceUnavailable;
    default:
        if (code >= 500)
            return UnknownServerError;
        if (code >= 400)
            return UnknownContentError;
        return NoError;
    }
}

bool Response::isSequential() const { return true; }

qint64 Response::bytesAvailable() const
{
    Q_D(const Response);
    const bool fromReply = d->reply && !d->hopIsIntermediate && !d->decoder && d->reply->isOpen();
    return QIODevice::bytesAvailable() + d->held.size() + (fromReply ? d->reply->bytesAvailable() : 0);
}

bool Response::canReadLine() const
{
    Q_D(const Response);
    const bool fromReply = d->reply && !d->hopIsIntermediate && !d->decoder && d->reply->isOpen();
    return QIODevice::canReadLine() || d->held.containsLineEnd() || (fromReply && d->reply->canReadLine());
}

void Response::close()
{
    abort();
    QIODevice::close();
}

qint64 Response::readData(char *data, qint64 maxSize)
{
    Q_D(Response);
    qint64 n = 0;
    if (d->held.size() > 0) {
        n = d->held.read(data, maxSize);
        d->delivered += n;
        d->afterRead();
        return n;
    }
    if (d->reply && !d->hopIsIntermediate && !d->decoder && d->reply->isOpen()) {
        n = d->reply->read(data, maxSize);
        if (n > 0) {
            d->delivered += n;
            d->afterRead();
            return n;
        }
    }
    if (d->decoder)
        d->afterRead();
    return d->running ? 0 : -1;
}

qint64 Response::writeData(const char *, qint64)
{
    return -1;
}

bool ResponsePrivate::waitFor(int msecs, bool forData)
{
    Q_Q(Response);
    QEventLoop loop;
    if (forData)
        QObject::connect(q, &QIODevice::readyRead, &loop, &QEventLoop::quit);
    QObject::connect(q, &Response::finished, &loop, &QEventLoop::quit);
    QTimer timer;
    if (msecs >= 0) {
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(msecs);
    }
    QPointer<Response> guard(q);
    loop.exec(QEventLoop::ExcludeUserInputEvents);
    return guard;
}

bool Response::waitForReadyRead(int msecs)
{
    Q_D(Response);
    if (bytesAvailable() > 0)
        return true;
    if (!d->running)
        return false;
    return d->waitFor(msecs, true) && bytesAvailable() > 0;
}

bool Response::waitForFinished(int msecs)
{
    Q_D(Response);
    if (d->finished)
        return true;
    return d->waitFor(msecs, false) && d->finished;
}

Request Response::request() const { return d_func()->options.request; }
QUrl Response::url() const { return d_func()->url; }
int Response::redirectCount() const { return d_func()->redirects; }
int Response::attempts() const { return d_func()->attempt; }
bool Response::fromCache() const { return d_func()->cached; }
Request::Protocol Response::protocol() const { return d_func()->protocol; }
QList<TimelineEvent> Response::timeline() const { return d_func()->timeline; }

QVariantList Response::timelineList() const
{
    QVariantList events;
    for (const TimelineEvent &event : d_func()->timeline)
        events.append(QVariant::fromValue(event));
    return events;
}

QString TimelineEvent::name() const
{
    return QString::fromLatin1(QMetaEnum::fromType<Kind>().valueToKey(kind));
}
int Response::statusCode() const { return d_func()->statusCode; }
QString Response::statusMessage() const { return d_func()->statusMessage; }
bool Response::isHttpSuccess() const { return HttpStatus::isSuccess(d_func()->statusCode); }

QByteArray Response::header(const QByteArray &name) const
{
    QByteArray joined;
    bool found = false;
    for (const auto &[n, v] : d_func()->headers) {
        if (n.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (found)
            joined += name.compare("set-cookie", Qt::CaseInsensitive) == 0 ? "\n" : ", ";
        joined += v;
        found = true;
    }
    if (found && joined.isNull())
        joined = QByteArray(""); // present but empty is not absent
    return joined;
}

QList<QByteArray> Response::headerValues(const QByteArray &name) const
{
    QList<QByteArray> values;
    for (const auto &[n, v] : d_func()->headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            values += Headers::splitValues(name, v);
    }
    return values;
}

bool Response::hasHeader(const QByteArray &name) const
{
    const auto &h = d_func()->headers;
    return std::any_of(h.cbegin(), h.cend(), [&](const auto &p) { return p.first.compare(name, Qt::CaseInsensitive) == 0; });
}

QList<QPair<QByteArray, QByteArray>> Response::headers() const { return d_func()->headers; }

QVariantMap Response::headerMap() const
{
    QVariantMap map;
    for (const auto &pair : d_func()->headers) {
        const QString key = QString::fromLatin1(pair.first.toLower());
        if (!map.contains(key))
            map.insert(key, QString::fromLatin1(header(pair.first)));
    }
    return map;
}

qint64 Response::contentLength() const { return d_func()->contentLength; }
Response::Error Response::error() const { return d_func()->error; }
Response::ErrorCategory Response::category() const { return categoryOf(d_func()->error); }
bool Response::hasTransportError() const { return d_func()->transportError; }
bool Response::isRunning() const { return d_func()->running; }
bool Response::isFinished() const { return d_func()->finished; }
bool Response::isComplete() const { return d_func()->finished && !d_func()->transportError; }
qint64 Response::bytesReceived() const
{
    Q_D(const Response);
    return d->received + resumedFrom();
}

qint64 Response::bytesTotal() const
{
    Q_D(const Response);
    return d->total < 0 ? d->total : d->total + resumedFrom();
}

qint64 Response::resumedFrom() const
{
    Q_D(const Response);
    return d->sink ? d->sink->resumedFrom() : 0;
}
qint64 Response::bytesSent() const { return d_func()->sent; }
qint64 Response::bytesToSend() const { return d_func()->toSend; }
QNetworkReply *Response::reply() const { return d_func()->reply; }

QByteArray Response::body()
{
    Q_D(Response);
    d->bodyCache += readAll();
    return d->bodyCache;
}

QString Response::text()
{
    const QByteArray bytes = body();
    const QByteArray charset = Headers::charsetOf(header("Content-Type"));
    if (!charset.isEmpty() && charset != "utf-8" && charset != "utf8") {
        QStringDecoder decoder(charset.constData());
        if (decoder.isValid())
            return decoder.decode(bytes);
        qCDebug(lcResponse) << "charset" << charset << "is not supported; decoding as UTF-8";
    }
    return QString::fromUtf8(bytes);
}


QList<QNetworkCookie> Response::cookies() const
{
    return d_func()->cookies;
}

QJsonValue Response::json(QString *errorString)
{
    if (errorString)
        errorString->clear();
    // RFC 8259 allows any value at the top; QJsonDocument holds only objects and arrays, so a
    // scalar is parsed as the only element of an array.
    const QByteArray bytes = body();
    const QByteArray trimmed = bytes.trimmed();
    const bool scalar = !trimmed.startsWith('{') && !trimmed.startsWith('[');
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(scalar ? '[' + bytes + ']' : bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || (scalar && document.array().size() != 1)) {
        if (errorString) {
            *errorString = parseError.error != QJsonParseError::NoError
                    ? QStringLiteral("The body is not JSON: %1 at offset %2")
                              .arg(parseError.errorString())
                              .arg(std::max(0, parseError.offset - (scalar ? 1 : 0)))
                    : document.array().isEmpty() ? QStringLiteral("The body is not JSON: it is empty")
                                                 : QStringLiteral("The body is not JSON: more than one value");
        }
        return QJsonValue(QJsonValue::Undefined);
    }
    if (scalar)
        return document.array().first();
    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
}

QString Response::resultError()
{
    QString error;
    result(&error);
    return error;
}

Request::DataType Response::resultType() const
{
    const Request::DataType asked = d_func()->options.request.expectedDataType();
    if (asked != Request::DataType::Auto)
        return asked;
    const QByteArray type = Headers::mimeTypeOf(header("Content-Type"));
    if (type == "application/json" || type.endsWith("+json"))
        return Request::DataType::Json;
    if (type.startsWith("text/") || type.endsWith("/xml") || type.endsWith("+xml")
        || type == "application/javascript" || type == "application/x-www-form-urlencoded")
        return Request::DataType::Text;
    return Request::DataType::Bytes;
}

namespace {
// The body as resultType() asks; \a errorString is set when JSON was expected and is not there.
QVariant decodeResult(Response &r, QString *errorString)
{
    errorString->clear();
    switch (r.resultType()) {
    case Request::DataType::Text:
        return r.text();
    case Request::DataType::Json: {
        const QJsonValue value = r.json(errorString);
        return errorString->isEmpty() ? QVariant::fromValue(value) : QVariant();
    }
    case Request::DataType::Auto:
    case Request::DataType::Bytes:
        break;
    }
    return r.body();
}
} // namespace

QVariant Response::result(QString *errorString)
{
    Q_D(Response);
    // Once finished, the body is final: it is decoded or parsed once, however often QML reads
    // the result and resultError properties.
    std::pair<QVariant, QString> value;
    if (d->finished && d->result) {
        value = *d->result;
    } else {
        value.first = decodeResult(*this, &value.second);
        if (d->finished)
            d->result = value;
    }
    if (errorString)
        *errorString = value.second;
    return value.first;
}

void Response::abort()
{
    Q_D(Response);
    if (!d->running)
        return;
    d->aborted = true;
    QPointer<Response> guard(this);
    d->abortReplyKeepingData();
    if (guard && d->running)
        d->finish(OperationCanceled, QStringLiteral("Canceled: the request was aborted"), true);
}

} // namespace Courier
