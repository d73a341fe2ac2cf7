// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "curlreply_p.h"

#include "curlaccessmanager_p.h"
#include "curlerrors_p.h"
#include "cookies_p.h"
#include "decoder_p.h"
#include "headers_p.h"
#include "logging_p.h"
#include "status_p.h"
#include "url_p.h"

#include "Courier/request.h"

#include <QtCore/QMetaObject>
#include <QtCore/QVarLengthArray>
#include <QtNetwork/QNetworkCookie>
#include <QtNetwork/QNetworkCookieJar>
#include <QtNetwork/QSslConfiguration>

#include <array>
#include <numeric>

#if defined(Q_OS_WIN)
#include <winsock2.h>
#else
#include <fcntl.h>
#include <sys/socket.h>
#endif

namespace Courier {

namespace {
// Past this much header data Courier's own limit (Response::MaximumHeaderSize) has long failed
// the response; the engine stops reading rather than keep an endless block in memory.
constexpr qint64 HeaderHardLimit = 1024 * 1024;
// The decompression guard of a body libcurl decodes (a QNetworkAccessManager user's, who asked
// for no coding): ContentDecoder's numbers, which are Qt 6.4's.
constexpr qint64 BombCheckAfter = ContentDecoder::BombCheckAfter;
constexpr qint64 BombRatio = ContentDecoder::BombRatio;

// The name of a field that most responses have, spelt as HTTP/1.1 servers spell it or in lower
// case (as HTTP/2 must): a QByteArray on static data, which costs no allocation now nor a free
// with the reply. Null for other names and spellings.
QByteArray commonFieldName(QByteArrayView name)
{
    constexpr qsizetype Longest = 32;
    static const auto bySize = [] {
        std::array<QList<QByteArray>, Longest + 1> table;
        static const char *const names[] = {"Date",
                                            "Server",
                                            "Content-Type",
                                            "Content-Length",
                                            "Connection",
                                            "Last-Modified",
                                            "ETag",
                                            "Accept-Ranges",
                                            "Cache-Control",
                                            "Expires",
                                            "Vary",
                                            "Set-Cookie",
                                            "Location",
                                            "Content-Encoding",
                                            "Transfer-Encoding",
                                            "Keep-Alive",
                                            "Age",
                                            "Pragma",
                                            "Via",
                                            "Alt-Svc",
                                            "WWW-Authenticate",
                                            "Content-Disposition",
                                            "Content-Language",
                                            "Access-Control-Allow-Origin",
                                            "Strict-Transport-Security",
                                            "X-Content-Type-Options",
                                            "X-Frame-Options"};
        static std::array<QByteArray, std::size(names)> lower; // the lower-case spellings, made once
        for (size_t i = 0; i < std::size(names); ++i) {
            const QByteArray spelt = QByteArray::fromRawData(names[i], qsizetype(strlen(names[i])));
            lower[i] = spelt.toLower();
            table[size_t(spelt.size())] << spelt << lower[i];
        }
        return table;
    }();
    if (name.size() > Longest)
        return {};
    for (const QByteArray &common : bySize[size_t(name.size())]) {
        if (memcmp(common.constData(), name.data(), size_t(name.size())) == 0)
            return common;
    }
    return {};
}

// Field names ordered by size, then case-insensitively: 0 for the same name.
int compareNames(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return a.size() < b.size() ? -1 : 1;
    return qstrnicmp(a.constData(), b.constData(), a.size());
}
bool sameName(const QByteArray &a, const QByteArray &b) { return compareNames(a, b) == 0; }
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

CurlReply::~CurlReply() { releaseHandle(); }

void CurlReply::releaseHandle()
{
    removeFromMulti();
    if (CURL *handle = std::exchange(easy, nullptr)) {
        if (manager)
            manager->recycle(handle);
        else
            curl_easy_cleanup(handle);
    }
    // The handle no longer points at them: reset, or gone.
    curl_slist_free_all(std::exchange(headerList, nullptr));
    curl_slist_free_all(std::exchange(connectTo, nullptr));
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
    easy = manager->takeHandle();
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

// libcurl opens its sockets here, for two reasons: the reply learns that a new connection is
// being made (socketStartedConnecting()), and the socket is not inherited by a program the
// application starts, which libcurl's own socket() would let it be.
curl_socket_t CurlReply::onOpenSocket(void *self, curlsocktype, curl_sockaddr *address)
{
    auto *r = static_cast<CurlReply *>(self);
    r->openedSocket = true;
    r->pendingConnecting = true;
    r->manager->markDirty(r);
#if defined(Q_OS_WIN)
    // libcurl's own flags (socket() is an overlapped WSASocket), and no handle inheritance.
    return ::WSASocketW(address->family, address->socktype, address->protocol, nullptr, 0,
                        WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
#elif defined(SOCK_CLOEXEC)
    return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
#else
    // macOS has no SOCK_CLOEXEC: the flag is set right after (a program another thread starts in
    // between inherits the socket).
    const curl_socket_t fd = ::socket(address->family, address->socktype, address->protocol);
    if (fd != CURL_SOCKET_BAD)
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
#endif
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
            r->finalMessage = QStringLiteral("no certificate in the server's chain of %1 matches a pinned public key")
                                  .arg(length);
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
        parsingHeaders.reserve(16); // the fields of most responses, without growing
        // "HTTP/1.1 200 OK", "HTTP/2 200": the version, the code, then the reason, if any.
        const qsizetype codeAt = line.indexOf(' ');
        const qsizetype reasonAt = codeAt < 0 ? -1 : line.indexOf(' ', codeAt + 1);
        const QByteArrayView code = codeAt < 0 ? QByteArrayView()
            : reasonAt < 0                     ? line.sliced(codeAt + 1)
                                               : line.sliced(codeAt + 1, reasonAt - codeAt - 1);
        parsingStatus = code.toInt();
        const QByteArrayView reason = reasonAt > 0 ? line.sliced(reasonAt + 1) : QByteArrayView();
        // Most responses say "OK": a literal, as the common field names.
        parsingReason = reason == "OK" ? QByteArrayLiteral("OK") : reason.toByteArray();
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
    QByteArray name = colon > 0 ? commonFieldName(line.first(colon)) : QByteArray();
    const bool common = !name.isNull(); // and valid
    if (!common && colon > 0)
        name = line.first(colon).toByteArray();
    if (!common && !isValidHeaderName(name)) {
        finalError = ProtocolFailure;
        finalMessage = colon > 0 && isValidHeaderName(name.trimmed())
            ? QStringLiteral("The response header \"%1\" has whitespace before its colon")
                  .arg(QString::fromLatin1(name.trimmed().left(64)))
            : QStringLiteral("A response header line is no field: \"%1\"")
                  .arg(Headers::printable(line.first(std::min<qsizetype>(line.size(), 64)).toByteArray()));
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
    // Qt combines repeated fields: ", " between values, a newline between Set-Cookie lines. The
    // fields ordered by name (then by place) find the repeated ones: next[i] is the field after
    // i with its name, -1 after the last.
    const qsizetype n = parsingHeaders.size();
    QVarLengthArray<qsizetype, 32> order(n);
    std::iota(order.begin(), order.end(), 0);
    const auto nameOf = [this](qsizetype i) -> const QByteArray & { return parsingHeaders.at(i).first; };
    std::sort(order.begin(), order.end(), [&](qsizetype a, qsizetype b) {
        const int names = compareNames(nameOf(a), nameOf(b));
        return names != 0 ? names < 0 : a < b;
    });
    QVarLengthArray<qsizetype, 32> next(n, -1);
    QVarLengthArray<bool, 32> repeated(n, false);
    for (qsizetype k = 1; k < n; ++k) {
        if (sameName(nameOf(order[k - 1]), nameOf(order[k]))) {
            next[order[k - 1]] = order[k];
            repeated[order[k]] = true;
        }
    }
    static const QByteArray setCookieName = QByteArrayLiteral("Set-Cookie");
    for (qsizetype i = 0; i < n; ++i) {
        if (repeated[i])
            continue;
        const auto &[name, first] = parsingHeaders.at(i);
        const bool cookies = sameName(name, setCookieName);
        QByteArray value = first;
        for (qsizetype j = next[i]; j >= 0; j = next[j])
            value += (cookies ? "\n" : ", ") + parsingHeaders.at(j).second;
        setRawHeader(name, value);
    }
    // What the reply needs of them later: asked here once, not of QNetworkReply each time.
    const Headers::Summary shown = Headers::Summary::of(rawHeaderPairs());
    shownContentEncoding = !shown.contentEncoding.isNull();
    shownCookies = !shown.setCookie.isNull();
    shownIdentity = Headers::isIdentityCoding(shown.contentEncoding);
    shownLength = Headers::announcedLength(shown);
    shownStatus = parsingStatus;
    exposed = true;
    setAttribute(QNetworkRequest::HttpStatusCodeAttribute, parsingStatus);
    setAttribute(QNetworkRequest::HttpReasonPhraseAttribute, parsingReason);
    long version = 0;
    curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
    setAttribute(QNetworkRequest::Http2WasUsedAttribute, version == CURL_HTTP_VERSION_2_0);
    setAttribute(QNetworkRequest::ConnectionEncryptedAttribute, https);
    setAttribute(QNetworkRequest::SourceIsFromCacheAttribute, false);
    if (redirect)
        setAttribute(QNetworkRequest::RedirectionTargetAttribute, QUrl::fromEncoded(location));
    // The total progress reports: the body as it arrives decoded, so unknown when encoded.
    contentLength = shownIdentity ? shownLength : -1;

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
    if (r->received > BombCheckAfter && r->shownContentEncoding) {
        curl_off_t wire = 0;
        curl_easy_getinfo(r->easy, CURLINFO_SIZE_DOWNLOAD_T, &wire);
        if (wire > 0 && r->received / wire > BombRatio) {
            r->finalError = UnknownContentError;
            r->finalMessage = QStringLiteral(
                                  "Decompression failed: the body inflates more than %1 times its compressed size")
                                  .arg(BombRatio);
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

bool CurlReply::uploadPending() const { return upload && (uploadSize >= 0 ? uploaded < uploadSize : !uploadEnded); }

bool CurlReply::responseComplete() const
{
    if (!headersDone || held)
        return false;
    if (StatusRules::hasNoBody(verb, shownStatus))
        return true;
    // Content-Length counts what onWrite() receives only when libcurl decodes nothing.
    const bool asSent = !curlDecodes || shownIdentity;
    return asSent && shownLength >= 0 && received >= shownLength;
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
                r->finalMessage
                    = QStringLiteral("The request body ended after %1 of %2 bytes").arg(r->uploaded).arg(r->uploadSize);
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
    CurlResultFacts facts;
    facts.code = code;
    if (code != CURLE_OK) {
        // What only a failure is classified by.
        facts.detail = QString::fromLocal8Bit(errorBuffer[0] ? errorBuffer : curl_easy_strerror(code));
        curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &facts.osError);
        curl_easy_getinfo(easy, CURLINFO_PROXY_ERROR, &facts.proxyError);
        curl_easy_getinfo(easy, CURLINFO_HTTP_CONNECTCODE, &facts.connectCode);
        curl_easy_getinfo(easy, CURLINFO_SSL_VERIFYRESULT, &facts.verifyResult);
        facts.responseComplete = responseComplete();
    }
    facts.headersDone = headersDone;
    facts.statusSet = exposed;
    facts.status = shownStatus;
    facts.reason = parsingReason;
    facts.url = url();
    facts.hasContentEncoding = shownContentEncoding;
    facts.proxied = proxied;
    facts.followRedirects = followRedirects;
    facts.https = https;
    facts.callbackError = finalError;
    facts.callbackMessage = finalMessage;
    const CurlOutcome outcome = classifyCurlResult(facts);
    long redirects = 0;
    if (followRedirects && curl_easy_getinfo(easy, CURLINFO_REDIRECT_COUNT, &redirects) == CURLE_OK && redirects > 0) {
        char *effective = nullptr;
        if (curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective)
            setUrl(QUrl::fromEncoded(effective));
    }
    finalError = outcome.error;
    finalMessage = outcome.message;
    pendingFinish = true;
    manager->markDirty(this);
}

void CurlReply::fail(NetworkError code, const QString &message)
{
    finalError = code;
    finalMessage = message;
    pendingFinish = true;
    QMetaObject::invokeMethod(
        this, [this] { deliver(); }, Qt::QueuedConnection);
}

void CurlReply::deliver()
{
    QPointer<CurlReply> self(this);
    // Each emits a signal; false when a slot deleted or ended the reply meanwhile. due() only
    // when \a pending says the signal is due.
    const auto emitted = [&](const auto &emitSignal) {
        emitSignal();
        return self && !ended;
    };
    const auto due = [&](bool &pending, const auto &emitSignal) {
        return !std::exchange(pending, false) || emitted(emitSignal);
    };
    if (!due(pendingConnecting, [this] { Q_EMIT socketStartedConnecting(); })
        || !due(pendingEncrypted, [this] { Q_EMIT encrypted(); })
        || !due(pendingRequestSent, [this] { Q_EMIT requestSent(); })
        || !due(pendingUploadProgress, [this] { Q_EMIT uploadProgress(uploaded, uploadSize); }))
        return;
    if (!pendingRedirects.isEmpty()) {
        for (const QUrl &to : std::exchange(pendingRedirects, {})) {
            if (!emitted([this, &to] { Q_EMIT redirected(to); }))
                return;
        }
    }
    const auto metaData = [this] {
        QNetworkAccessManager *q = manager ? manager->q_ptr : nullptr;
        const auto saveCookies = [this] {
            return req.attribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Automatic).toInt()
                == QNetworkRequest::Automatic;
        };
        if (shownCookies && q && q->cookieJar() && saveCookies())
            q->cookieJar()->setCookiesFromUrl(Cookies::fromSetCookie(rawHeader("Set-Cookie")), url());
        Q_EMIT metaDataChanged();
    };
    if (!due(pendingMetaData, metaData))
        return;
    if (std::exchange(pendingReadyRead, false) && buffered() > 0 && !emitted([this] { Q_EMIT readyRead(); }))
        return;
    if (!due(pendingDownloadProgress, [this] { Q_EMIT downloadProgress(received, contentLength); }))
        return;
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
    releaseHandle(); // nothing reads the transfer any more: the next request may take it
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

bool CurlReply::canReadLine() const { return QNetworkReply::canReadLine() || buffer.indexOf('\n', bufferHead) >= 0; }

qint64 CurlReply::bytesAvailable() const { return QNetworkReply::bytesAvailable() + buffered(); }

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
    QMetaObject::invokeMethod(
        this, [this] { resume(); }, Qt::QueuedConnection);
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
    if (uploadPaused && upload
        && (upload->bytesAvailable() > 0 || uploadEnded || !upload->isSequential() || upload->atEnd()))
        uploadPaused = false;
    // Unpausing hands libcurl's held-back data to onWrite() at once: a failure there (a
    // decompression bomb found in that data, say) comes back from curl_easy_pause() only, and
    // the multi handle never reports the transfer done.
    const CURLcode paused = curl_easy_pause(
        easy, (downloadPaused ? CURLPAUSE_RECV : 0) | (uploadPaused ? CURLPAUSE_SEND : 0));
    if (paused != CURLE_OK) {
        done(paused);
        manager->deliver();
        return;
    }
    manager->drive(CURL_SOCKET_TIMEOUT, 0);
}

void CurlReply::ignoreSslErrorsImplementation(const QList<QSslError> &) { }
void CurlReply::setSslConfigurationImplementation(const QSslConfiguration &) { }
void CurlReply::sslConfigurationImplementation(QSslConfiguration &configuration) const
{
    configuration = req.sslConfiguration();
}

} // namespace Courier
