// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "response_p.h"

#include "Courier/status.h"
#include "Courier/version.h"
#include "authpolicy_p.h"
#include "connections_p.h"
#include "cookies_p.h"
#include "engine_p.h"
#include "hoprequest_p.h"
#include "limits_p.h"
#include "logging_p.h"
#include "proxy_p.h"
#include "redirect_p.h"
#include "request_p.h"
#include "retry_p.h"
#include "status_p.h"
#include "tlscheck_p.h"
#include "url_p.h"

#include <QtCore/QEventLoop>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QSslConfiguration>
#if COURIER_HAS_CURL
#include "Courier/curlaccessmanager.h"
#endif

namespace Courier {

namespace {

Failure canceled() { return {Response::OperationCanceled, QStringLiteral("Canceled: the request was aborted")}; }

// Digest's client nonce: 128 random bits.
QByteArray clientNonce()
{
    quint32 random[4];
    QRandomGenerator::system()->fillRange(random);
    return QByteArray(reinterpret_cast<const char *>(random), sizeof(random)).toHex();
}

} // namespace

ResponsePrivate::ResponsePrivate(Response *q)
    : q_ptr(q)
{
}

// ---------------------------------------------------------------------------------------------
// The pipeline of one request. start() → startHop() → the reply's events → onHopHeaders() decides
// what the hop's response is for (nextStep()) → onHopFinished() carries it out (carryOut()) or
// settles the response (settle()) → finish(). Every rule is a pure function of another file.

void ResponsePrivate::start(ResponseSetup &&setup)
{
    Q_Q(Response);
    manager = setup.manager;
    options = std::move(setup.options);
    cookieJar = setup.cookieJar;
    timers.start(q, options.connectTimeout, options.readTimeout);
    // Changed below only when it must be: sent, firstHop and the hop share one copy.
    Request &request = setup.request;
    sent = request;
    userAgent = request.userAgent().isEmpty() ? setup.userAgent : request.userAgent();
    url = request.url();
    if (setup.refusal) { // the QML module's options, refused before anything is sent
        failLater(setup.refusal);
        return;
    }
    if (!manager) {
        failLater(
            {Response::UnknownNetworkError, QStringLiteral("Network error: the client has no QNetworkAccessManager")});
        return;
    }
    if (const Failure invalid = RequestPrivate::validate(&request, userAgent, options.bearerToken,
                                                         options.credentials.user, options.credentials.password)) {
        failLater(invalid);
        return;
    }
    // The query folded into the URL once (later hops follow Location as given); credentials in
    // the URL taken out of it.
    url = request.url();
    if (const QUrlQuery query = request.query(); !query.isEmpty()) {
        request.setUrl(Url::withQuery(url, query));
        request.setQuery(QUrlQuery());
        url = request.url();
    }
    if (!url.userInfo().isEmpty()) {
        request.setUrl(Auth::takeCredentialsFromUrl(url, &options.credentials));
        url = request.url();
    }
    origin = url;

    // After the query is folded in and the credentials taken out: the URL the partial file
    // remembers is the one sent, and no password is written to disk.
    if (!setup.downloadPath.isEmpty()) {
        sink = std::make_unique<DownloadSink>(setup.downloadPath, setup.download);
        QString why;
        if (!sink->prepare(request, &why)) {
            sent = request;
            failLater({Response::ProtocolInvalidOperation, why});
            return;
        }
        // The body goes to disk as it comes: nothing needs to pile up in memory.
        if (options.readBufferSize <= 0)
            options.readBufferSize = 1 << 20;
    }
    sent = request;
    firstHop = request;
    timers.startTotal(options.totalTimeout);
    record(TimelineEvent::Started, url);

    QIODevice *device = request.bodyKind() == Request::BodyKind::Device ? request.bodyDevice() : nullptr;
    if (device && device->isSequential() && request.bodyDeviceSize() < 0) {
        spool = std::make_unique<BodySpool>(
            q, device,
            [this](QIODevice *file, qint64 size) {
                if (!running() || hop.reply)
                    return;
                firstHop.setBodyDevice(file, size, firstHop.contentType());
                startHop(firstHop, {});
            },
            [this](const QString &why) {
                finish({Response::ProtocolInvalidOperation, why});
            });
        return;
    }
    startHop(firstHop, {});
}

void ResponsePrivate::startAttempt()
{
    if (!running() || !rewindBodyOrFail(firstHop, QStringLiteral("a retry")))
        return;
    attempt.redirects = 0;
    attempt.credentialsOffered = 0;
    if (url != firstHop.url()) {
        url = firstHop.url();
        if (!emitAndGoOn([this] { Q_EMIT q_ptr->urlChanged(); }))
            return;
    }
    startHop(firstHop, {});
}

void ResponsePrivate::forgetHop()
{
    releaseReply();
    hop = Hop();
}

void ResponsePrivate::startHop(const Request &request, const QByteArray &challengeAnswer)
{
    Q_ASSERT(!hop.reply);
    hop.request = request;
    hop.carriedAnswer = challengeAnswer;
    hop.courierDecodes = !request.hasHeader(QByteArrayLiteral("Accept-Encoding"));
    hop.connectionGeneration = Connections::generation(manager, request.url());

    const Auth::HopAuthorization authorization = Auth::authorizationFor(request, origin, options, challengeAnswer);
    if (authorization.preemptiveBasic)
        attempt.credentialsOffered = std::max(attempt.credentialsOffered, 1); // preemptive Basic is the first offer
    HopSpec spec;
    spec.request = request;
    spec.userAgent = userAgent;
    spec.protocol = options.protocol;
    spec.tls = options.tls;
    spec.connectionName = Connections::peerNameOf(request.url(), options.tls, hop.connectionGeneration);
    spec.cookies = cookieJar ? cookieJar->cookiesForUrl(request.url()) : QList<QNetworkCookie>();
    spec.authorization = authorization.header;
#if COURIER_HAS_CURL
    spec.engineTrustsSystemCas = qobject_cast<CurlAccessManager *>(manager.data()) != nullptr;
#endif
    QNetworkRequest nr = buildHopRequest(spec);
    sendHop(nr);
}

void ResponsePrivate::sendHop(QNetworkRequest &nr)
{
    Q_Q(Response);
    const Request &request = hop.request;
    const QByteArray method = request.method();
    const auto kind = request.bodyKind();
    QNetworkReply *reply = nullptr;
    if (method == "HEAD") {
        reply = Engine::send(manager, nr, method);
    } else if (kind == Request::BodyKind::None) {
        if (method == "GET") {
            reply = Engine::send(manager, nr, method);
        } else {
            if (method == "POST" || method == "PUT" || method == "PATCH")
                nr.setHeader(QNetworkRequest::ContentLengthHeader, 0);
            reply = Engine::send(manager, nr, method);
        }
    } else if (kind == Request::BodyKind::Device) {
        QIODevice *device = request.bodyDevice();
        qint64 size = request.bodyDeviceSize();
        if (size < 0 && !device->isSequential())
            size = device->size() - device->pos();
        if (size >= 0)
            nr.setHeader(QNetworkRequest::ContentLengthHeader, size);
        // With its size known, Qt streams a sequential device instead of reading it all first.
        nr.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        if (!device->isSequential() && deviceStart < 0)
            deviceStart = device->pos();
        hop.toSend = size;
        reply = Engine::send(manager, nr, method, device);
    } else if (kind == Request::BodyKind::Multipart) {
        hop.toSend = -1;
        reply = Engine::send(manager, nr, method, request.multipart());
    } else {
        hop.toSend = request.body().size();
        reply = Engine::send(manager, nr, method, request.body());
    }
    qCDebug(lcResponse) << "hop" << attempt.redirects << method << Url::redacted(request.url());
    hop.reply = reply;
    reply->setParent(q);
    if (options.readBufferSize > 0)
        applyReadBufferSize(kind != Request::BodyKind::None && method != "HEAD");
    connectReply();
    restartReadTimer();
}

void ResponsePrivate::onHopHeaders()
{
    if (ignoringReply())
        return;
    restartReadTimer();
    onConnected();
    const int status = statusOf(hop.reply);
    if (status == 0 || hop.headersTaken)
        return;
    if (!takeHopHeadersOrFail()) // pins, the header block's limits, cookies: whatever the hop
        return;
    hop.then = nextStep(status); // a redirect, a challenge, a retry, or the response itself
    if (hop.intermediate())
        return; // its body is dropped; onHopFinished() goes on
    deliverHeaders(); // body limit, decoder, download file, headersReceived()
}

bool ResponsePrivate::takeHopHeadersOrFail()
{
    if (hop.headersTaken)
        return true;
    hop.headersTaken = true;
    if (!verifyPinsOrFail()) // a reused connection never emits encrypted(): the pins are checked here too
        return false;
    record(TimelineEvent::HeadersReceived, hop.request.url());
    // Each field Courier acts on, found once.
    // Qt's engine gives a QString, libcurl's a QByteArray: converted as QVariant::toByteArray()
    // would, without going through QMetaType's conversions.
    const QVariant reason = hop.reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute);
    hop.reason = reason.typeId() == QMetaType::QString ? reason.value<QString>().toUtf8() : reason.toByteArray();
    const Headers::Summary fields = Headers::Summary::of(hop.reply->rawHeaderPairs());
    hop.contentEncoding = fields.contentEncoding;
    hop.announcedLength = Headers::announcedLength(fields);
    if (!acceptHeaderBlockOrFail(fields))
        return false;
    storeCookies(fields.setCookie);
    hop.protocol = hop.reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool() ? Request::Protocol::Http2
                                                                                         : Request::Protocol::Http1;
    return true;
}

ResponsePrivate::Then ResponsePrivate::nextStep(int status)
{
    QNetworkReply *reply = hop.reply;
    if (StatusRules::isFollowedRedirect(status) && reply->hasRawHeader("Location") && options.maximumRedirects > 0)
        return Then::FollowRedirect;
    if (status == 401) {
        const Auth::ChallengeAnswer answer = Auth::answerChallenge(hop.request, origin,
                                                                   reply->rawHeader("WWW-Authenticate"), options,
                                                                   attempt.credentialsOffered, clientNonce());
        if (!answer.refusal.isEmpty())
            qCDebug(lcAuth) << "not answering the challenge of" << Url::redacted(hop.request.url()) << ":"
                            << answer.refusal;
        if (!answer.authorization.isEmpty()) {
            hop.challengeAnswer = answer.authorization;
            return Then::AnswerChallenge;
        }
    }
    if (options.retry.retriedStatuses().contains(status)) {
        QString why;
        if (const auto delay = retryDelayNow(&why)) {
            hop.retryDelay = *delay;
            return Then::Retry;
        }
        qCDebug(lcResponse) << "status" << status << "is not retried:" << why;
    }
    return Then::Deliver;
}

bool ResponsePrivate::deliverHeaders()
{
    takeHeadersFrom(hop.reply);
    const QString tooLarge = Limits::bodyTooLargeByLength(hop.contentLength, hop.contentEncoding,
                                                          options.maximumBodySize);
    if (!tooLarge.isEmpty()) {
        releaseReply(); // nothing of it is wanted
        finish({Response::UnknownContentError, tooLarge});
        return false;
    }
    if (!setUpDecoderOrFail() || !beginDownloadOrFail())
        return false;
    headersEmitted = true;
    return emitAndGoOn([this] { Q_EMIT q_ptr->headersReceived(); });
}

void ResponsePrivate::onHopFinished()
{
    timers.pauseRead();
    if (!running())
        return;
    if (courierFailure) {
        finish(courierFailure);
        return;
    }
    if (aborted) {
        finish(canceled());
        return;
    }
    if ((timedOut == TimeoutKind::Connect || timedOut == TimeoutKind::Read)
        && retryAfterFailure(timedOut == TimeoutKind::Connect ? QStringLiteral("connect timeout")
                                                              : QStringLiteral("read timeout")))
        return;
    if (timedOut != TimeoutKind::None) {
        const auto limit = timedOut == TimeoutKind::Connect ? options.connectTimeout
            : timedOut == TimeoutKind::Read                 ? options.readTimeout
                                                            : options.totalTimeout;
        finish(timeoutFailure(timedOut, Url::hostAndPort(hop.request.url()), limit));
        return;
    }
    if (hop.intermediate() && hop.reply) {
        carryOut();
        return;
    }
    settle();
}

void ResponsePrivate::carryOut()
{
    switch (hop.then) {
    case Then::Retry: scheduleRetry(hop.retryDelay, QStringLiteral("status %1").arg(statusOf(hop.reply))); break;
    case Then::AnswerChallenge: answerChallenge(); break;
    case Then::FollowRedirect: followRedirect(); break;
    case Then::Deliver: break;
    }
}

void ResponsePrivate::followRedirect()
{
    const int status = statusOf(hop.reply);
    const RedirectDecision decision = decideRedirect(
        hop.request, status, hop.reply->rawHeader("Location"), attempt.redirects,
        RedirectRules{options.maximumRedirects, options.insecureRedirectsAllowed, options.sensitiveHeaders});
    if (!decision.follows()) {
        finish(decision.failure);
        return;
    }
    if (decision.rewindBody
        && !rewindBodyOrFail(decision.next, QStringLiteral("following the %1 redirect").arg(status)))
        return;
    if (decision.crossOrigin)
        qCDebug(lcRedirect) << "cross-origin redirect: credentials and sensitive headers dropped for"
                            << Url::redacted(decision.next.url());
    ++attempt.redirects;
    url = decision.next.url();
    forgetHop();
    record(TimelineEvent::Redirected, url);
    if (!emitAndGoOn([this] { Q_EMIT q_ptr->urlChanged(); }))
        return;
    const QUrl target = url;
    if (!emitAndGoOn([this, target] { Q_EMIT q_ptr->redirected(target); }))
        return;
    startHop(decision.next, {});
}

void ResponsePrivate::answerChallenge()
{
    if (!rewindBodyOrFail(hop.request, QStringLiteral("answering the authentication challenge")))
        return;
    ++attempt.credentialsOffered;
    qCDebug(lcAuth) << "answering the challenge of" << Url::redacted(hop.request.url()) << "attempt"
                    << attempt.credentialsOffered;
    const Request request = hop.request;
    const QByteArray answer = hop.challengeAnswer;
    forgetHop();
    record(TimelineEvent::Authenticating, request.url());
    startHop(request, answer);
}

void ResponsePrivate::resendUnprocessed()
{
    // RFC 9113 section 8.7: a request the server never processed may go again on a new
    // connection whatever its method. libcurl does so by itself; Qt 6.4 fails it (with words
    // about a body a GET does not have). Courier sends it again, a few times at most, before
    // anything of it reaches the application.
    if (!rewindBodyOrFail(hop.request,
                          QStringLiteral("sending it again after the server's HTTP/2 connection went away before it "
                                         "took the request (GOAWAY or REFUSED_STREAM)")))
        return;
    ++unprocessedResends;
    qCDebug(lcResponse) << "HTTP/2 stream not processed by the server (" << hop.reply->errorString()
                        << "): sending again";
    // Qt 6.4 can queue a request on a connection that is closing after GOAWAY and never send it:
    // the request goes on a connection of a new generation.
    retireConnection();
    const Request request = hop.request;
    const QByteArray answer = hop.carriedAnswer;
    forgetHop();
    record(TimelineEvent::Retrying, request.url());
    startHop(request, answer);
}

void ResponsePrivate::scheduleRetry(std::chrono::milliseconds delay, const QString &why)
{
    ++attempt.number;
    qCDebug(lcResponse) << "attempt" << attempt.number - 1 << "failed (" << why << "); attempt" << attempt.number
                        << "in" << delay.count() << "ms";
    timers.stopHop();
    forgetHop();
    timedOut = TimeoutKind::None;
    record(TimelineEvent::Retrying, firstHop.url());
    const int number = attempt.number;
    const int msecs = int(std::min<qint64>(delay.count(), std::numeric_limits<int>::max()));
    if (!emitAndGoOn([this, number, msecs] { Q_EMIT q_ptr->retrying(number, msecs); }))
        return;
    timers.startRetry(delay);
}

std::optional<std::chrono::milliseconds> ResponsePrivate::retryDelayNow(QString *why) const
{
    RetryContext context;
    context.attempt = attempt.number;
    context.method = firstHop.method();
    context.bodyKind = firstHop.bodyKind();
    context.deviceRewindable = firstHop.bodyDevice() && !firstHop.bodyDevice()->isSequential();
    context.responseStarted = headersEmitted;
    context.ended = aborted || courierFailure || timedOut == TimeoutKind::Total;
    context.retryAfter = hop.reply ? hop.reply->rawHeader("Retry-After") : QByteArray();
    context.now = QDateTime::currentDateTimeUtc();
    context.random = QRandomGenerator::global()->generateDouble();
    context.timeLeft = timers.timeLeft();
    return retryDelay(options.retry, context, why);
}

bool ResponsePrivate::retryAfterFailure(const QString &why)
{
    QString whyNot;
    const auto delay = retryDelayNow(&whyNot);
    if (!delay) {
        qCDebug(lcResponse) << "not retrying after" << why << ":" << whyNot;
        return false;
    }
    scheduleRetry(*delay, why);
    return true;
}

void ResponsePrivate::settle()
{
    if (hop.pinsPending && !verifyPinsOrFail())
        return;
    const QNetworkReply::NetworkError qe = hop.reply->error();
    const int status = statusOf(hop.reply);
    if (status != 0 && !headersEmitted && (!takeHopHeadersOrFail() || !deliverHeaders()))
        return;
    if (!exchangeWorked(qe, status)) {
        settleFailure(qe, status);
        return;
    }
    if (status == 0) {
        // Qt 6.4 reads "HTTP/1.1 000" as status 0, as if no status line had come.
        finish({Response::ProtocolFailure,
                failureMessage(Response::ProtocolFailure, Url::hostAndPort(hop.reply->url()),
                               QStringLiteral("the response has no HTTP status, which is 100 to 599"))});
        return;
    }
    ContentDecoder *decoder = hop.body.decoder();
    if (decoder) {
        // The rest of the body through the decoder: all of it, or as much as the reader makes
        // room for (finished() then waits until the reader has taken it, so that a body cut short
        // inside its coding is never called complete).
        const qint64 before = hop.body.size();
        QString why;
        if (!hop.body.decodeFrom(hop.reply, decodeBound(), &why)) {
            failDecoding(why);
            return;
        }
        if (hop.body.size() > before && !emitAndGoOn([this] { Q_EMIT q_ptr->readyRead(); }))
            return;
        if (hop.body.moreToDecode(hop.reply)) {
            hop.endDeferred = true;
            timers.pauseRead();
            return;
        }
        hop.endDeferred = false;
    }
    // Qt 6.4 can take a connection closed or reset in the middle of a Content-Length body for the
    // end of the body (QHttpProtocolHandler treats an unconnected socket in ReadingDataState as
    // "all done"): Courier counts the bytes itself.
    const qint64 got = decoder ? decoder->wireBytes() : bodyBytesSoFar();
    const QString cut = Limits::shortBody(got, hop.contentLength, StatusRules::hasNoBody(hop.request.method(), status),
                                          hop.reply->url());
    if (!cut.isEmpty()) {
        finish({Response::RemoteHostClosed, cut});
        return;
    }
    // Framed whole, but is the coding whole? A gzip stream cut short inside a body whose length
    // is right (or whose last chunk came) is not the body the server meant.
    QString why;
    if (decoder && !decoder->finish(&why)) {
        failDecoding(why);
        return;
    }
    finish(statusOutcome(status, hop.statusMessage));
}

void ResponsePrivate::settleFailure(QNetworkReply::NetworkError qe, int status)
{
    QNetworkReply *reply = hop.reply;
    const bool unprocessed = status == 0 && isUnprocessedHttp2(qe, reply->errorString());
    if (unprocessed && unprocessedResends < MaximumUnprocessedResends) {
        resendUnprocessed();
        return;
    }
    if (unprocessed) {
        finish({Response::RemoteHostClosed,
                failureMessage(
                    Response::RemoteHostClosed, Url::hostAndPort(reply->url()),
                    QStringLiteral("the server's HTTP/2 connections went away before it took the request, %1 times: %2")
                        .arg(unprocessedResends + 1)
                        .arg(reply->errorString()))});
        return;
    }
    TransportError failure;
    failure.error = qe;
    failure.message = reply->errorString();
    failure.status = status;
    failure.url = reply->url();
    failure.hasBody = hop.request.bodyKind() != Request::BodyKind::None;
    failure.sent = hop.sentBytes;
    failure.toSend = hop.toSend;
    failure.contentLength = hop.contentLength;
    failure.received = hop.body.decoder() ? hop.body.decoder()->wireBytes() : bodyBytesSoFar();
    failure.sslErrors = hop.sslErrors;
    failure.proxy = Proxies::forUrl(manager.data(), failure.url);
    if (isTransientFailure(qe, status, brokeWhileSending(failure)) && retryAfterFailure(reply->errorString()))
        return;
    finish(classifyTransportError(failure));
}

// ---------------------------------------------------------------------------------------------
// The end: exactly once.

void ResponsePrivate::failTransfer(const Failure &failure)
{
    courierFailure = failure;
    QPointer<Response> guard(q_ptr);
    abortReplyKeepingData(); // may end the response through onHopFinished()
    if (guard && running())
        finish(failure);
}

void ResponsePrivate::failLater(const Failure &failure)
{
    qCDebug(lcResponse) << "refused before sending:" << failure.message;
    QMetaObject::invokeMethod(
        q_ptr, [this, failure] { finish(failure); }, Qt::QueuedConnection);
}

void ResponsePrivate::finish(Failure outcome)
{
    if (!running())
        return;
    if (sink) {
        // The file is in place (or kept for a resume) before anyone hears of the end.
        drainToDownload();
        if (!running())
            return; // the file could not take the rest: that failure ended the response
        sink->finish(&outcome.error, &outcome.message, &outcome.transport);
    }
    finishWith(outcome);
}

void ResponsePrivate::finishWith(const Failure &outcome)
{
    Q_Q(Response);
    if (!running())
        return;
    timers.stopAll();
    record(TimelineEvent::Finished, url);
    error = outcome.error;
    transportError = outcome.transport && error != Response::NoError;
    if (error != Response::NoError)
        q->setErrorString(outcome.message); // Response::errorString() reads it back
    phase = Phase::Ending; // from here on nothing restarts or finishes again

    hop.received = std::max(hop.received, bodyBytesSoFar());
    QPointer<Response> guard(q);
    if (!downloadProgressEmitted) {
        downloadProgressEmitted = true;
        const qint64 resumed = sink ? sink->resumedFrom() : 0;
        Q_EMIT q->downloadProgress(hop.received + resumed, (hop.total < 0 ? hop.received : hop.total) + resumed);
        if (!guard)
            return;
    }
    if (error != Response::NoError) {
        qCDebug(lcResponse) << "error" << int(error) << outcome.message;
        Q_EMIT q->errorOccurred(error);
        if (!guard)
            return;
    }
    Q_EMIT q->readChannelFinished();
    if (!guard)
        return;
    phase = Phase::Finished;
    Q_EMIT q->runningChanged();
    if (!guard)
        return;
    Q_EMIT q->finished();
}

void ResponsePrivate::abort()
{
    if (!running())
        return;
    aborted = true;
    QPointer<Response> guard(q_ptr);
    abortReplyKeepingData();
    if (guard && running())
        finish(canceled());
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

} // namespace Courier
