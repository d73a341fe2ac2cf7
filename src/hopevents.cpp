// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// ResponsePrivate: the current hop's reply, its signals and its body. The order in which the
// rules apply is pipeline.cpp's.

#include "response_p.h"

#include "Courier/status.h"
#include "Courier/version.h" // COURIER_HAS_CURL
#include "connections_p.h"
#include "cookies_p.h"
#include "headers_p.h"
#include "limits_p.h"
#include "logging_p.h"
#include "status_p.h"
#include "tlscheck_p.h"
#include "url_p.h"
#if COURIER_HAS_CURL
#include "curlreply_p.h"
#endif

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslError>

namespace Courier {

namespace {
// A redirect's own body is read and dropped so the connection can be reused, up to this much;
// past it the hop is aborted and the redirect followed at once (a hostile server may send forever).
constexpr qint64 MaxIntermediateBodyDiscarded = 64 * 1024;
} // namespace

void ResponsePrivate::record(TimelineEvent::Kind kind, const QUrl &at)
{
    if (timeline.isEmpty())
        timeline.reserve(6); // the events of a request that goes well, in one allocation
    TimelineEvent &event = timeline.emplaceBack();
    event.kind = kind;
    event.msecs = timers.elapsed();
    event.url = at;
}

bool ResponsePrivate::onTimerEvent(int timerId)
{
    switch (timers.onTimerEvent(timerId)) {
    case ResponseTimers::Fired::NotOurs: return false;
    case ResponseTimers::Fired::Nothing: break;
    case ResponseTimers::Fired::Connect: onTimeout(TimeoutKind::Connect); break;
    case ResponseTimers::Fired::Read: onTimeout(TimeoutKind::Read); break;
    case ResponseTimers::Fired::Total: onTimeout(TimeoutKind::Total); break;
    case ResponseTimers::Fired::Retry: startAttempt(); break;
    }
    return true;
}

void ResponsePrivate::connectReply()
{
    Q_Q(Response);
    QNetworkReply *reply = hop.reply;
    // The handles let releaseReply() undo exactly these: disconnecting by receiver would walk
    // every connection of the reply, Qt's own included.
    const auto listen = [&](auto signal, auto slot) {
        hop.connections[hop.connectionCount++] = QObject::connect(reply, signal, q, slot);
    };
    listen(&QNetworkReply::metaDataChanged, [this] { onHopHeaders(); });
    listen(&QNetworkReply::readyRead, [this] { onReadyRead(); });
    listen(&QNetworkReply::downloadProgress, [this](qint64, qint64 total) { onDownloadProgress(total); });
    // Only what the hop can emit: an upload with a body, TLS over https.
    if (hop.request.bodyKind() != Request::BodyKind::None)
        listen(&QNetworkReply::uploadProgress, [this](qint64 s, qint64 t) { onUploadProgress(s, t); });
    if (Url::isHttps(hop.request.url())) {
        listen(&QNetworkReply::sslErrors, [this](const QList<QSslError> &errors) { onSslErrors(errors); });
        listen(&QNetworkReply::encrypted, [this] { onEncrypted(); });
    }
    listen(&QNetworkReply::socketStartedConnecting, [this] { onSocketStartedConnecting(); });
    listen(&QNetworkReply::requestSent, [this] {
        if (!onConnected())
            return;
        record(TimelineEvent::RequestSent, hop.request.url());
        emitWhileRunning(&Response::requestSent);
    });
    listen(&QNetworkReply::finished, [this] { onHopFinished(); });
}

void ResponsePrivate::releaseReply()
{
    QNetworkReply *old = std::exchange(hop.reply, nullptr);
    if (!old)
        return;
    const int connected = std::exchange(hop.connectionCount, 0);
    for (int i = 0; i < connected; ++i)
        QObject::disconnect(hop.connections[i]);
    // May run inside one of the reply's own signals: never delete it here.
    old->setParent(manager.data());
    if (old->isRunning())
        old->abort();
    old->deleteLater();
}

void ResponsePrivate::abortReplyKeepingData()
{
    QNetworkReply *reply = hop.reply;
    if (!reply || !reply->isRunning())
        return;
    // A body arrives only after its headers were accepted: bytes the engine had already taken in
    // for a response refused at its headers (size, framing) are not part of it.
    if (!hop.intermediate() && headersEmitted) {
        if (hop.body.decoder()) {
            QString why;
            hop.body.decodeFrom(reply, decodeBound(), &why); // what decodes now stays readable; the rest goes
        } else {
            hop.body.append(reply->readAll());
        }
    }
    // Qt emits finished() synchronously, which onHopFinished() turns into the end of the
    // response, and a last downloadProgress() on the way, before or after it: not passed on.
    // A slot of the Response's last signals may delete it from inside abort().
    QPointer<Response> guard(q_ptr);
    hop.abortingReply = true;
    reply->abort();
    if (guard)
        hop.abortingReply = false;
}

bool ResponsePrivate::ignoringReply() const
{
    // After the end, nothing more of the reply reaches the application (Qt can still deliver
    // what it queued before the abort); during abort(), only its finished() is heard.
    return !running() || hop.abortingReply;
}

bool ResponsePrivate::readsFromReply() const
{
    return hop.reply && !hop.intermediate() && !hop.body.decoder() && hop.reply->isOpen();
}

void ResponsePrivate::restartReadTimer() { timers.activity(hop.connecting); }

bool ResponsePrivate::emitWhileRunning(void (Response::*signal)())
{
    QPointer<Response> guard(q_ptr);
    Q_EMIT(q_ptr->*signal)();
    return guard && running();
}

void ResponsePrivate::onSocketStartedConnecting()
{
    record(TimelineEvent::Connecting, hop.request.url());
    hop.connecting = true;
    timers.connecting();
    emitWhileRunning(&Response::connecting);
}

bool ResponsePrivate::onConnected()
{
    if (!std::exchange(hop.connecting, false))
        return true;
    timers.connected();
    restartReadTimer();
    return emitWhileRunning(&Response::connected);
}

void ResponsePrivate::onEncrypted()
{
    record(TimelineEvent::TlsEstablished, hop.request.url());
    // The pins first: nobody hears of a connection to a server whose key is not pinned.
    if (verifyPinsOrFail() && onConnected())
        emitWhileRunning(&Response::tlsEstablished);
}

void ResponsePrivate::onSslErrors(const QList<QSslError> &errors)
{
    hop.sslErrors += TlsCheck::describe(errors);
    if (!options.tls.hostNameCheckEnabled() && TlsCheck::onlyNameMismatch(errors)) {
        qCWarning(lcTls) << "accepting a certificate that does not name" << hop.request.url().host()
                         << "because the host-name check is off";
        hop.sslErrors.clear();
        hop.reply->ignoreSslErrors();
    }
}

bool ResponsePrivate::verifyPinsOrFail()
{
    const QList<QByteArray> pins = options.tls.pinnedPublicKeys();
    QNetworkReply *reply = hop.reply;
    if (pins.isEmpty() || !reply || !Url::isHttps(hop.request.url()))
        return true;
    QList<QSslCertificate> chain = reply->sslConfiguration().peerCertificateChain();
#if COURIER_HAS_CURL
    if (const auto *curl = qobject_cast<const CurlReply *>(reply))
        chain = curl->peerCertificateChain();
#endif
    if (chain.isEmpty() && !reply->isFinished()) {
        hop.pinsPending = true; // a reused connection: Qt tells its certificates only when the reply finishes
        return true;
    }
    hop.pinsPending = false;
    const QString where = Url::hostAndPort(hop.request.url());
    const QString refusal = TlsCheck::pinRefusal(pins, chain, where);
    if (refusal.isEmpty())
        return true;
    qCWarning(lcTls) << "no certificate of" << where << "matches a pinned public key";
    releaseReply();
    finish({Response::SslHandshakeFailed, refusal});
    return false;
}

bool ResponsePrivate::acceptHeaderBlockOrFail(const Headers::Summary &fields)
{
    QNetworkReply *reply = hop.reply;
    const Limits::HeaderVerdict verdict = Limits::checkHeaderBlock(statusOf(reply), hop.reason, fields, reply->url());
    if (verdict.refusal.isEmpty())
        return true;
    // Refused, redirect or challenge alike: nothing of it is used (cookies, Location, challenge)
    // and none of its headers is the application's to read; its status is still told.
    takeHeadersFrom(reply);
    hop.headers.clear();
    hop.contentLength = -1;
    hop.then = Then::Deliver;
    // The final response the interim one stood for is still on its way on that connection: it
    // must not become the answer to the next request Qt sends there.
    if (verdict.interim)
        retireConnection();
    failTransfer({Response::ProtocolFailure, verdict.refusal});
    return false;
}

void ResponsePrivate::takeHeadersFrom(QNetworkReply *reply)
{
    hop.statusCode = statusOf(reply);
    hop.statusMessage = QString::fromLatin1(hop.reason);
    if (hop.statusMessage.isEmpty())
        hop.statusMessage = HttpStatus::phrase(hop.statusCode);
    // RFC 9112 section 2.2 and RFC 9110 section 5.5: a bare CR or a NUL in a field is replaced
    // with SP, so that no value reaches the application with a line break of the server's.
    hop.headers = Headers::withoutBareCarriageReturns(reply->rawHeaderPairs());
    hop.cached = reply->attribute(QNetworkRequest::SourceIsFromCacheAttribute).toBool();
    hop.contentLength = hop.announcedLength;
}

void ResponsePrivate::storeCookies(const QByteArray &setCookie)
{
    if (setCookie.isEmpty())
        return;
    const QUrl at = hop.request.url();
    const QList<QNetworkCookie> parsed = Cookies::fromSetCookie(setCookie);
    // The jar gets them as parsed: it normalizes them itself, and a second normalize() would
    // turn a host-only cookie (a domain without a leading dot) into one for every subdomain.
    if (cookieJar)
        cookieJar->setCookiesFromUrl(parsed, at);
    for (QNetworkCookie cookie : parsed) {
        cookie.normalize(at);
        cookies.append(cookie);
    }
}

void ResponsePrivate::applyReadBufferSize(bool startDeferred)
{
    // Qt's engine (QNetworkReplyHttpImpl, Qt 6.4) passes the limit to its HTTP thread with a
    // queued signal, connected only when the request is handed to that thread. Without a body
    // that happens inside get(), so the limit follows right after; with a body Qt hands the
    // request over from the event loop, and a limit set before then is dropped: it is set again
    // right after (the call is queued behind Qt's). libcurl's replies take it at once.
    // Without a limit there is nothing to pass: each setReadBufferSize() on Qt's engine wakes its
    // HTTP thread, which cost every request a system call and a context switch.
    if (options.readBufferSize == 0 && hop.reply->readBufferSize() == 0)
        return;
    hop.reply->setReadBufferSize(options.readBufferSize);
    if (!startDeferred)
        return;
#if COURIER_HAS_CURL
    if (qobject_cast<CurlReply *>(hop.reply))
        return;
#endif
    // Queued on the Response (gone with it), after Qt's own start queued on the reply: posted
    // events run in the order they were posted, whatever their receiver.
    QPointer<QNetworkReply> target(hop.reply);
    QMetaObject::invokeMethod(
        q_ptr,
        [this, target] {
            if (target && target == hop.reply)
                target->setReadBufferSize(options.readBufferSize);
        },
        Qt::QueuedConnection);
}

void ResponsePrivate::retireConnection()
{
#if COURIER_HAS_CURL
    if (qobject_cast<CurlReply *>(hop.reply))
        return; // libcurl closes what it cannot use again
#endif
    Connections::retire(manager, hop.request.url(), options.tls, hop.connectionGeneration);
}

bool ResponsePrivate::rewindBodyOrFail(const Request &next, const QString &why)
{
    if (next.bodyKind() != Request::BodyKind::Device)
        return true;
    QIODevice *device = next.bodyDevice();
    if (device && !device->isSequential() && device->seek(deviceStart))
        return true;
    finish({Response::ContentReSend,
            QStringLiteral("The request body cannot be sent again: %1 needs the body again, "
                           "and it is streamed from a device that cannot be rewound")
                .arg(why)});
    return false;
}

// ---------------------------------------------------------------------------------------------
// The body of the final hop.

void ResponsePrivate::onReadyRead()
{
    Q_Q(Response);
    if (ignoringReply())
        return;
    onConnected();
    restartReadTimer();
    if (hop.intermediate()) {
        hop.discarded += hop.reply->skip(hop.reply->bytesAvailable());
        if (hop.discarded > MaxIntermediateBodyDiscarded) {
            qCDebug(lcRedirect) << "intermediate body over" << MaxIntermediateBodyDiscarded
                                << "bytes: going on at once";
            carryOut();
        }
        return;
    }
    if (!headersEmitted)
        return; // no body before its headers were accepted (a status line Qt read as 0)
    if (!std::exchange(hop.firstByteRecorded, true))
        record(TimelineEvent::FirstByte, hop.request.url());
    if (!takeBodyBytesOrFail())
        return;
    if (sink && sink->isWriting()) {
        drainToDownload(); // to the file, not to the application
        return;
    }
    const bool decoding = hop.body.decoder() != nullptr;
    const qint64 waiting = decoding ? hop.body.size() : hop.reply->bytesAvailable();
    if (options.readBufferSize > 0 && waiting >= options.readBufferSize) {
        // The application is the bottleneck, not the server: Qt stops reading the socket, and
        // the silence that follows is not the server's.
        hop.backpressured = true;
        timers.pauseRead();
    }
    if (!decoding || hop.body.size() > 0)
        Q_EMIT q->readyRead();
}

void ResponsePrivate::onDownloadProgress(qint64 bytesTotal)
{
    Q_Q(Response);
    if (ignoringReply())
        return;
    // Progress reported after the buffer filled up is not the server's activity to time: the
    // application is the one behind (the libcurl engine reports it right after readyRead()).
    if (!hop.backpressured)
        restartReadTimer();
    if (hop.intermediate())
        return;
    // Courier counts the bytes itself: Qt counts compressed bytes, and throttles the signal.
    hop.received = std::max(hop.received, bodyBytesSoFar());
    if (StatusRules::hasNoBody(hop.request.method(), statusOf(hop.reply)))
        bytesTotal = 0;
    else if (hop.body.decoder())
        bytesTotal = -1; // the body decoded is of a size no header tells
    hop.total = bytesTotal;
    downloadProgressEmitted = true;
    const qint64 resumed = sink ? sink->resumedFrom() : 0;
    Q_EMIT q->downloadProgress(hop.received + resumed, bytesTotal < 0 ? bytesTotal : bytesTotal + resumed);
}

void ResponsePrivate::onUploadProgress(qint64 bytesSent, qint64 bytesTotal)
{
    Q_Q(Response);
    if (ignoringReply())
        return;
    if (bytesSent > 0)
        onConnected();
    restartReadTimer();
    if (hop.request.bodyKind() == Request::BodyKind::None || hop.request.method() == "HEAD")
        return;
    // Qt also reports (0, 0) when there is nothing to send and once more when the upload is over.
    if (bytesSent == 0 && bytesTotal <= 0)
        return;
    hop.sentBytes = bytesSent;
    if (bytesTotal >= 0)
        hop.toSend = bytesTotal;
    Q_EMIT q->uploadProgress(bytesSent, bytesTotal);
}

void ResponsePrivate::onTimeout(TimeoutKind kind)
{
    if (!running())
        return;
    timedOut = kind;
    qCDebug(lcResponse) << "timeout" << int(kind);
    QPointer<Response> guard(q_ptr);
    const QNetworkReply *before = hop.reply;
    const int attemptBefore = attempt.number;
    abortReplyKeepingData(); // a running reply ends now, through onHopFinished()
    if (guard && running() && hop.reply == before && attempt.number == attemptBefore)
        onHopFinished(); // nothing was running: end here
}

bool ResponsePrivate::setUpDecoderOrFail()
{
    hop.body.setDecoder(nullptr);
    if (!hop.courierDecodes || StatusRules::hasNoBody(hop.request.method(), hop.statusCode))
        return true;
    QString why;
    std::unique_ptr<ContentDecoder> decoder = ContentDecoder::create(hop.contentEncoding, &why);
    if (decoder || why.isEmpty()) {
        hop.body.setDecoder(std::move(decoder));
        return true;
    }
    hop.headers.clear(); // refused: none of them is the application's to read
    failTransfer({Response::ProtocolFailure,
                  failureMessage(Response::ProtocolFailure, Url::hostAndPort(hop.reply->url()), why)});
    return false;
}

qint64 ResponsePrivate::decodeBound() const
{
    // How much decoded body Courier holds for the reader before it stops decoding.
    return options.readBufferSize > 0 ? options.readBufferSize : std::numeric_limits<qint64>::max();
}

bool ResponsePrivate::takeBodyBytesOrFail()
{
    QString why;
    if (hop.body.decoder() && !hop.body.decodeFrom(hop.reply, decodeBound(), &why)) {
        failDecoding(why);
        return false;
    }
    hop.received = std::max(hop.received, bodyBytesSoFar());
    const QString tooLarge = Limits::bodyTooLarge(hop.received, options.maximumBodySize);
    if (tooLarge.isEmpty())
        return true;
    failTransfer({Response::UnknownContentError, tooLarge});
    return false;
}

void ResponsePrivate::failDecoding(const QString &why)
{
    const ContentDecoder *decoder = hop.body.decoder();
    failTransfer({Response::ProtocolFailure,
                  failureMessage(Response::ProtocolFailure, Url::hostAndPort(hop.request.url()),
                                 QStringLiteral("the body could not be decoded as Content-Encoding \"%1\": %2")
                                     .arg(decoder ? decoder->codings() : QString(), why))});
}

void ResponsePrivate::afterRead()
{
    const bool decoding = hop.body.decoder() != nullptr;
    const qint64 waiting = decoding ? hop.body.size() : (hop.reply ? hop.reply->bytesAvailable() : 0);
    if (hop.backpressured && waiting < decodeBound()) {
        hop.backpressured = false;
        restartReadTimer();
    }
    if (!decoding || !running() || hop.pumpQueued || hop.body.size() >= decodeBound()
        || !hop.body.moreToDecode(hop.reply))
        return;
    hop.pumpQueued = true;
    QMetaObject::invokeMethod(
        q_ptr, [this] { pumpDecoder(); }, Qt::QueuedConnection);
}

void ResponsePrivate::pumpDecoder()
{
    hop.pumpQueued = false;
    if (!hop.body.decoder() || !running())
        return;
    const qint64 before = hop.body.size();
    if (!takeBodyBytesOrFail())
        return;
    if (hop.body.size() > before && !emitAndGoOn([this] { Q_EMIT q_ptr->readyRead(); }))
        return;
    if (hop.endDeferred && !hop.body.moreToDecode(hop.reply))
        settle();
}

qint64 ResponsePrivate::bodyBytesSoFar() const
{
    if (hop.intermediate())
        return 0;
    const qint64 inReply = !hop.body.decoder() && hop.reply && hop.reply->isOpen() ? hop.reply->bytesAvailable() : 0;
    return hop.delivered + hop.body.size() + inReply;
}

bool ResponsePrivate::beginDownloadOrFail()
{
    if (!sink || sink->isWriting())
        return true;
    Failure failure;
    if (sink->begin(hop.reply, &failure.error, &failure.message))
        return true;
    failTransfer(failure);
    return false;
}

void ResponsePrivate::drainToDownload()
{
    if (!sink || !sink->isWriting() || courierFailure)
        return;
    // A download asks for the body as stored (Accept-Encoding: identity): no decoder here.
    QByteArray bytes = hop.body.takeAll();
    if (hop.reply && !hop.intermediate() && hop.reply->isOpen())
        bytes += hop.reply->readAll();
    hop.delivered += bytes.size();
    Failure failure;
    if (!sink->write(bytes, &failure.error, &failure.message))
        failTransfer(failure);
}

} // namespace Courier
