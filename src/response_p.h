// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/response.h"

#include "bodybuffer_p.h"
#include "bodyspool_p.h"
#include "download_p.h"
#include "headers_p.h"
#include "options_p.h"
#include "outcome_p.h"
#include "timers_p.h"

#include <QtCore/QPointer>
#include <QtNetwork/QNetworkCookie>
#include <QtNetwork/QNetworkCookieJar>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

#include <memory>
#include <optional>
#include <utility>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QSslError;
QT_END_NAMESPACE

namespace Courier {

/*! The status code of \a reply's response; 0 before its status line. */
inline int statusOf(const QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

/*! What a Client resolved for one Response. */
struct ResponseSetup
{
    Request request; // with the Client's base URL and default headers applied
    QByteArray userAgent; // the Client's, for a request without one of its own
    QNetworkAccessManager *manager = nullptr;
    Options options; // resolve(Client defaults, the request's overrides)
    QPointer<QNetworkCookieJar> cookieJar;
    QString downloadPath; // Client::download(): where the body goes; empty otherwise
    DownloadOptions download;
    Failure refusal; // set: the Response fails with it from the event loop, and nothing is sent
};

/*!
    Runs one request: starts its hops, feeds what each hop's reply says to the decisions (the
    pure functions of redirect_p.h, authpolicy_p.h, retry_p.h, limits_p.h, outcome_p.h), carries
    out their answers, and emits the Response's signals. The pipeline of one hop is in
    onHopHeaders() and settle(); doc/architecture.md walks through it.
*/
class ResponsePrivate
{
    Q_DECLARE_PUBLIC(Response)
    friend class StreamReaderPrivate; // ends a stream whose item is too large, as a body limit does
public:
    explicit ResponsePrivate(Response *q);
    static ResponsePrivate *get(Response *response) { return response->d_func(); }

    /*! Validates the request and sends the first hop, or schedules the failure. */
    void start(ResponseSetup &&setup);

    Response *const q_ptr;

    // --- The response: lives as long as the Response --------------------------------------
    enum class Phase {
        Running, // hops go on
        Ending, // the end is decided: errorOccurred, readChannelFinished on their way
        Finished, // finished() is emitted or on its way
    };
    Phase phase = Phase::Running;
    bool running() const { return phase == Phase::Running; }

    QPointer<QNetworkAccessManager> manager;
    Options options;
    QPointer<QNetworkCookieJar> cookieJar;
    Request sent; // the request as the application asked for it, resolved (Response::request())
    QByteArray userAgent; // what the hops send: the request's own, else the Client's
    Request firstHop; // what each attempt starts from (a stored copy replaces a sequential body)
    QUrl origin; // where Courier's credentials may go: the first hop's origin
    QUrl url; // the current hop's URL (Response::url())
    qint64 deviceStart = -1; // where a random-access body device starts, once known

    Response::Error error = Response::NoError;
    bool transportError = false;
    bool headersEmitted = false; // the final response's headers reached the application
    bool downloadProgressEmitted = false;
    bool aborted = false; // Response::abort() was called
    Failure courierFailure; // why Courier is ending the current hop (failTransfer())
    TimeoutKind timedOut = TimeoutKind::None;
    int unprocessedResends = 0; // HTTP/2 requests the server never took, sent again
    static constexpr int MaximumUnprocessedResends = 5;

    QList<QNetworkCookie> cookies; // set by every hop, in order
    QList<TimelineEvent> timeline;
    std::unique_ptr<std::pair<QVariant, QString>> result; // result() and its error, once finished
    QByteArray bodyCache; // body(): what was read so far
    std::unique_ptr<DownloadSink> sink; // Client::download(): the file the body goes to
    std::unique_ptr<BodySpool> spool; // a sequential body of unknown size, copied before sending
    ResponseTimers timers;

    // --- The attempt: one run through redirects and challenges, again on a retry ----------
    struct Attempt
    {
        int number = 1;
        int redirects = 0;
        int credentialsOffered = 0; // preemptive Basic included
    } attempt;

    // --- The hop: one request and its response; forgotten with hop = Hop() ------------------
    /*! What follows the hop once its response ended. */
    enum class Then { Deliver, FollowRedirect, AnswerChallenge, Retry };
    struct Hop
    {
        Request request;
        QNetworkReply *reply = nullptr; // a child of the Response
        QMetaObject::Connection connections[9]; // to the reply's signals (connectReply())
        int connectionCount = 0;
        Then then = Then::Deliver;
        QByteArray carriedAnswer; // the challenge answer it was sent with (for sending it again)
        QByteArray challengeAnswer; // the Authorization answering its own challenge, for the next hop
        std::chrono::milliseconds retryDelay{0};
        qint64 discarded = 0; // bytes of an intermediate body read and dropped
        int connectionGeneration = 0; // Qt's engine: see connections_p.h
        bool headersTaken = false; // onHopHeaders() ran
        bool pinsPending = false; // a reused connection: the pins are checked at the end
        bool firstByteRecorded = false;
        bool courierDecodes = false; // the hop's Accept-Encoding is Courier's
        bool connecting = false; // between socketStartedConnecting and the connection being up
        bool backpressured = false; // the read buffer is full: the network waits for the application
        bool endDeferred = false; // the engine finished, the decoder waits for the reader
        bool pumpQueued = false; // pumpDecoder() will run from the event loop
        bool abortingReply = false; // inside QNetworkReply::abort(), called by Courier

        // Read once from the reply when its headers are taken (takeHopHeadersOrFail()).
        QByteArray reason; // the reason phrase as sent
        QByteArray contentEncoding;
        qint64 announcedLength = -1; // Headers::announcedLength()

        // What the application sees of it (the final hop's values stay after the end).
        int statusCode = 0;
        QString statusMessage;
        QList<QPair<QByteArray, QByteArray>> headers;
        qint64 contentLength = -1;
        bool cached = false;
        Request::Protocol protocol = Request::Protocol::Auto;
        qint64 received = 0;
        qint64 total = -1;
        qint64 sentBytes = 0;
        qint64 toSend = 0;
        qint64 delivered = 0; // body bytes given to the application or the file
        BodyBuffer body;
        QStringList sslErrors;

        bool intermediate() const { return then != Then::Deliver; }
    } hop;

    void record(TimelineEvent::Kind kind, const QUrl &url);
    /*! A timer of this Response fired; false when it is none of Courier's. */
    bool onTimerEvent(int timerId);
    /*! After the application read: lifts backpressure, queues the decoder's next step. */
    void afterRead();
    /*! Whether the reply's own buffer is read from (no decoder, a final hop, still open). */
    bool readsFromReply() const;
    /*! Ends the response as canceled (Response::abort()). */
    void abort();
    /*! Detaches the reply from the Response and aborts it if it runs. */
    void releaseReply();
    /*!
        Runs a local event loop until finished() (or readyRead() when \a forData), or \a msecs.
        Returns false when the Response was deleted meanwhile.
    */
    bool waitFor(int msecs, bool forData);

private:
    // A function named ...OrFail() returns false after it ended the response (finish() or
    // failTransfer()): its caller stops.

    // The pipeline, in order (pipeline.cpp).
    /*! The retry timer fired: the request again from its first hop. */
    void startAttempt();
    /*! Sends \a request as the next hop, with \a challengeAnswer when it answers a challenge. */
    void startHop(const Request &request, const QByteArray &challengeAnswer);
    /*! Forgets everything of the current hop, before the next one. */
    void forgetHop();
    void sendHop(QNetworkRequest &nr);
    /*! The hop's headers arrived: the decisions that apply to every hop, then nextStep(). */
    void onHopHeaders();
    /*! Once per hop: pins, the header block's limits, cookies. */
    bool takeHopHeadersOrFail();
    bool acceptHeaderBlockOrFail(const Headers::Summary &fields);
    /*! What the hop's response is for: a redirect, a challenge, a retry, or the application. */
    Then nextStep(int status);
    /*! The final response's headers to the application; false when the response ended or stopped. */
    bool deliverHeaders();
    void onHopFinished();
    /*! After an intermediate hop: does what nextStep() decided. */
    void carryOut();
    void followRedirect();
    void answerChallenge();
    void resendUnprocessed();
    void scheduleRetry(std::chrono::milliseconds delay, const QString &why);
    /*! The final hop ended: its outcome (short body, truncated coding, status, transport failure). */
    void settle();
    void settleFailure(QNetworkReply::NetworkError qe, int status);

    // Decisions asked with this response's values.
    std::optional<std::chrono::milliseconds> retryDelayNow(QString *why) const;
    bool retryAfterFailure(const QString &why);

    // Reply events (hopevents.cpp).
    void connectReply();
    void onReadyRead();
    void onDownloadProgress(qint64 bytesTotal);
    void onUploadProgress(qint64 bytesSent, qint64 bytesTotal);
    void onSocketStartedConnecting();
    // The connection is up (the connect timeout stops). False when a slot connected to
    // Response::connected() deleted or ended the Response.
    bool onConnected();
    void onEncrypted();
    // Emits one of the Response's connection signals; false when a slot deleted or ended it.
    bool emitWhileRunning(void (Response::*signal)());
    void onSslErrors(const QList<QSslError> &errors);
    void onTimeout(TimeoutKind kind);
    bool ignoringReply() const;

    // Carrying out.
    void takeHeadersFrom(QNetworkReply *reply);
    void storeCookies(const QByteArray &setCookie);
    void applyReadBufferSize(bool startDeferred);
    void retireConnection();
    /*! Fails the response when its pins match no certificate of the chain; false then. */
    bool verifyPinsOrFail();
    /*! Rewinds a device body for sending it again; ContentReSend when it cannot be. */
    bool rewindBodyOrFail(const Request &next, const QString &why);
    bool setUpDecoderOrFail();
    qint64 decodeBound() const;
    bool takeBodyBytesOrFail();
    void pumpDecoder();
    void failDecoding(const QString &why);
    bool beginDownloadOrFail();
    void drainToDownload();
    qint64 bodyBytesSoFar() const;
    void abortReplyKeepingData();
    void restartReadTimer();

    // The end (pipeline.cpp).
    /*! Ends the response with \a failure, aborting the transfer and keeping what arrived readable. */
    void failTransfer(const Failure &failure);
    /*! finish() from the event loop: a request refused before it was sent. */
    void failLater(const Failure &failure);
    /*! Ends the response once any download is settled: errorOccurred, finished. Exactly once. */
    void finish(Failure outcome);
    void finishWith(const Failure &outcome);
    /*!
        Emits through \a emitter; true when the Response still exists and runs afterwards (a
        slot may delete or abort it).
    */
    template <typename Emitter>
    bool emitAndGoOn(Emitter emitter)
    {
        QPointer<Response> guard(q_ptr);
        emitter();
        return guard && running();
    }
};

} // namespace Courier
