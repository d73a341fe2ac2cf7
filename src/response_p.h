#pragma once

#include "Courier/response.h"

#include "decoder_p.h"
#include "download_p.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtCore/QTemporaryFile>
#include <QtCore/QBasicTimer>
#include <QtNetwork/QNetworkCookie>
#include <QtNetwork/QNetworkCookieJar>
#include <QtNetwork/QNetworkReply>

#include <chrono>
#include <memory>
#include <optional>
#include <utility>

QT_BEGIN_NAMESPACE
class QAuthenticator;
class QNetworkAccessManager;
class QNetworkRequest;
class QSslError;
QT_END_NAMESPACE

namespace Courier {

/*! What a Client resolved for one Response: the request with defaults applied and the options. */
struct ResponseSetup
{
    Request request;
    QNetworkAccessManager *manager = nullptr;
    std::chrono::milliseconds connectTimeout{0};
    std::chrono::milliseconds readTimeout{0};
    std::chrono::milliseconds totalTimeout{0};
    int maximumRedirects = 0;
    bool insecureRedirectsAllowed = false;
    QList<QByteArray> sensitiveHeaders; // beyond Authorization, Cookie, Proxy-Authorization
    QString user;
    QString password;
    bool preemptiveAuthentication = false;
    QByteArray bearerToken;
    int maximumAuthRetries = 0;
    TlsOptions tls;
    Request::Protocol protocol = Request::Protocol::Auto;
    QPointer<QNetworkCookieJar> cookieJar;
    RetryPolicy retry;
    qint64 readBufferSize = 0; // 0: unlimited
    qint64 maximumBodySize = 0; // 0: none
    QString downloadPath; // Client::download(): where the body goes; empty otherwise
    DownloadOptions download;
};

class ResponsePrivate
{
    Q_DECLARE_PUBLIC(Response)
public:
    explicit ResponsePrivate(Response *q);

    /*! Validates the request and sends the first hop, or schedules the failure. */
    void start(const ResponseSetup &setup);

    // The Qt error for an HTTP status, as Qt 6 derives it (statusCodeFromHttp in qtbase).
    static QNetworkReply::NetworkError qtErrorForStatus(int status);
    static QString errorTitle(Response::Error error);

    Response *const q_ptr;

    QPointer<QNetworkAccessManager> manager;
    ResponseSetup options; // options.request is the first hop, as sent
    Request hopRequest; // current hop
    QUrl origin; // where the credentials may go: the first hop's URL

    QNetworkReply *reply = nullptr; // current hop, child of q
    bool hopIsIntermediate = false; // this hop's response is a redirect or a challenge Courier answers
    QByteArray hopAuthorization; // the Authorization answering the challenge, for the next hop
    qint64 redirectBodyDiscarded = 0;
    QUrl url;
    int redirects = 0;

    int statusCode = 0;
    QString statusMessage;
    QList<QPair<QByteArray, QByteArray>> headers;
    qint64 contentLength = -1;
    bool headersEmitted = false;
    bool cached = false; // the final hop came from the ResponseCache

    Response::Error error = Response::NoError;
    bool transportError = false;
    bool running = true;
    bool finished = false;
    bool aborted = false;
    enum class TimeoutKind { None, Connect, Read, Total } timedOut = TimeoutKind::None;
    bool connecting = false; // between socketStartedConnecting and the connection being up
    bool pinsPending = false; // the pins could not be checked yet (reused connection)
    bool firstByteRecorded = false; // this hop's FirstByte is in the timeline
    bool hopHeadersTaken = false; // takeHopHeaders() ran for this hop
    int hopGeneration = 0; // of the connections to this hop's origin (Qt's engine)
    int authAttempts = 0; // credentials offered so far, preemptive Basic included
    Request::Protocol protocol = Request::Protocol::Auto;

    qint64 received = 0;
    qint64 total = -1;
    qint64 sent = 0;
    qint64 toSend = 0;
    bool downloadProgressEmitted = false;
    qint64 deviceStart = -1; // where a random-access body device starts, once known
    Response::Error failure = Response::NoError; // set by failTransfer() before it aborts
    QString failureMessage;
    bool backpressured = false; // the read buffer is full: the network waits for the application
    bool abortingReply = false; // inside QNetworkReply::abort(), called by Courier
    QTemporaryFile *spool = nullptr; // a sequential body of unknown size, copied before sending
    bool spoolInputEnded = false; // the device being copied said its data has ended

    QList<QNetworkCookie> cookies; // set by every hop, in order
    std::optional<std::pair<QVariant, QString>> result; // result() and its error, once finished
    QStringList sslErrors;
    QByteArray bodyCache;
    // Body bytes of the final hop out of its reply: decoded ones, and those moved out before
    // Courier aborted it (aborting a QNetworkReply closes it, and unread data would be lost).
    // Served first by readData().
    struct Held
    {
        QByteArray data;
        qsizetype head = 0; // the first byte not yet read
        qint64 size() const { return data.size() - head; }
        bool containsLineEnd() const { return data.indexOf('\n', head) >= 0; }
        qint64 read(char *to, qint64 maximum);
        QByteArray takeAll();
        void append(const QByteArray &bytes);
        void clear()
        {
            data.clear();
            head = 0;
        }
    } held;
    qint64 delivered = 0; // body bytes of the final hop given to the application or the file
    // The final hop's Content-Encoding, undone by Courier on every engine (it asked for it: the
    // hop's Accept-Encoding is Courier's); null for a body as sent.
    std::unique_ptr<ContentDecoder> decoder;
    bool courierDecodes = false; // the current hop's Accept-Encoding is Courier's
    bool endDeferred = false; // Qt finished the hop, but the decoder waits for the reader
    bool pumpQueued = false; // pumpDecoder() will run from the event loop
    std::unique_ptr<DownloadSink> sink; // Client::download(): the file the body goes to

    Request firstHop; // what each attempt starts from (a copied body replaces a sequential device)
    int attempt = 1;
    // HTTP/2 requests the server never processed, sent again (RFC 9113 section 8.7), at most:
    static constexpr int MaximumUnprocessedResends = 5;
    int unprocessedResends = 0;
    bool retryPending = false; // this hop's status will be retried after retryDelay
    qint64 retryDelay = 0;
    // Plain timer ids (QBasicTimer, events to Response::timerEvent()): four QTimer objects per
    // Response, restarted on every chunk, cost more than the rest of Courier's own work.
    QBasicTimer retryTimer;
    QBasicTimer connectTimer;
    QBasicTimer readTimer; // runs from the last activity; re-armed lazily (see onTimerEvent())
    QBasicTimer totalTimer;
    qint64 lastActivity = 0; // clock time of the last byte sent or received
    qint64 totalDeadline = -1; // clock time the total timeout ends at, -1 without one
    QElapsedTimer clock;
    QList<TimelineEvent> timeline;

    void record(TimelineEvent::Kind kind, const QUrl &url);
    /*! A timer of this Response fired; false when it is none of Courier's. */
    bool onTimerEvent(int timerId);

private:
    /*! Checks the request; on failure schedules it with failLater() and returns false. */
    bool validate();
    void startHop();
    /*!
        Qt's engine: Courier's later requests to the current hop's origin through this manager
        get a connection other than the one this hop used (see connectionGeneration()).
    */
    void retireConnection();
    /*! Gives the current hop's reply the read buffer size, in time for Qt's HTTP thread. */
    void applyReadBufferSize(bool startDeferred);
    /*! Client::download(): starts the file at the final headers; false when that failed. */
    bool beginDownload();
    /*! Client::download(): moves what arrived to the file. */
    void drainToDownload();
    /*!
        At the final response's headers: a decoder for its Content-Encoding when Courier asked for
        codings; false after failing the response for a coding it cannot undo.
    */
    bool setUpDecoder();
    /*! How much decoded body Courier holds for the reader before it stops decoding. */
    qint64 decodeBound() const;
    /*!
        Moves the reply's bytes through the decoder into held until held reaches \a bound or
        nothing more comes; false with \a why set when the body cannot be decoded.
    */
    bool decodeAvailable(qint64 bound, QString *why);
    /*! Whether the decoder may give more: wire bytes wait in it or in the reply, or held is full. */
    bool moreToDecode() const;
    /*! Ends the response with ProtocolFailure for a body its Content-Encoding does not describe. */
    void failDecoding(const QString &why);
    /*! After the reader took bytes: decodes more (from the event loop), and finishes when done. */
    void pumpDecoder();
    /*! After the application read: lifts backpressure, queues the decoder's next step. */
    void afterRead();
    /*!
        Body bytes arrived: decodes what it may, counts them, and fails the response past
        maximumBodySize; false when the response ended.
    */
    bool takeBodyBytes();
    /*! Whether a signal of the reply is to be ignored: the response ended, or Courier is aborting it. */
    bool ignoringReply() const;
    /*! finish() once any download is settled. */
    void finishWith(Response::Error e, const QString &message, bool transport);
    void restartReadTimer();
    /*! Whether the current hop's response has no body whatever its headers say. */
    bool hasNoBody(int status) const;
    void connectReply();
    void releaseReply();
    /*! Aborts the running final hop, keeping the bytes it had buffered readable. */
    void abortReplyKeepingData();
    /*! Body bytes of the final hop received so far, counted by Courier (Qt throttles its own). */
    qint64 bodyBytesSoFar() const;
    void onMetaDataChanged();
    void onReadyRead();
    void onDownloadProgress(qint64 bytesReceived, qint64 bytesTotal);
    void onUploadProgress(qint64 bytesSent, qint64 bytesTotal);
    void onHopFinished();
    void onTimeout(TimeoutKind kind);
    void onSocketStartedConnecting();
    /*! The connection of the current hop is up: the connect phase ends. */
    void onConnected();
    void onEncrypted();
    void onSslErrors(const QList<QSslError> &errors);
    /*! Fails the response when TLS pins are set and no certificate of the chain matches. */
    bool checkPins();
    /*! The hop's QNetworkRequest; \a preemptiveBasic tells whether it carries preemptive Basic. */
    QNetworkRequest buildRequest(bool *preemptiveBasic) const;
    /*! Follows the redirect of the current hop; returns false after finishing with an error. */
    bool followRedirect();
    /*!
        Whether the current hop's 401 will be answered: credentials for this origin, attempts
        left, a challenge Courier supports. Sets hopAuthorization.
    */
    bool willAnswerChallenge();
    /*! Sends the request again with hopAuthorization. */
    void retryWithCredentials();
    /*! Rewinds a device body for sending it again; false after finishing with ContentReSend. */
    bool rewindBody(const Request &next, const QString &why);
    /*!
        Copies a sequential body device of unknown size to a temporary file, then sends it: Qt 6.4
        needs the size first, and would otherwise hold the whole body in memory.
    */
    void spoolBody();
    void onSpoolData();
    /*! Ends the response with \a e, aborting the transfer and keeping what arrived readable. */
    void failTransfer(Response::Error e, const QString &message);
    /*!
        Checks the current hop's header block (size, framing), whatever the hop; on failure
        ends the response with ProtocolFailure and returns false.
    */
    bool checkHeaderBlock();
    /*! Fails when the final hop's announced body exceeds maximumBodySize; false then. */
    bool checkBodyLimit();
    /*!
        Once per hop, when its headers arrive: pins, timeline, the header block's checks, then
        its cookies. False when the response ended.
    */
    bool takeHopHeaders();
    /*! Whether the policy allows another attempt of this request (method, body, attempts left). */
    bool canRetry() const;
    /*!
        The wait before the next attempt, from the policy or the current hop's Retry-After; -1
        when Retry-After asks for more than the policy's cap or the total timeout leaves.
    */
    qint64 nextRetryDelay() const;
    /*! Schedules the next attempt if the policy allows it; false when it does not. */
    bool retryIfAllowed(const QString &why);
    void scheduleRetry(qint64 delay, const QString &why);
    void startAttempt();
    /*! After an intermediate hop: retry, answer the challenge, or follow the redirect. */
    void continueAfterIntermediate();
    /*! Forgets what the current hop received, before the next one. */
    void resetHopState();
    void finishFromQt();
    /*! Schedules finish() for the next event loop pass. */
    void failLater(Response::Error error, const QString &message);
    /*! Ends the response: errorOccurred (when \a error is set), then finished. Exactly once. */
    void finish(Response::Error error, const QString &message, bool transport);
    void readHeadersFrom(QNetworkReply *r);
    /*! Stores the cookies the current hop's response sets in the jar and in cookies. */
    void storeCookies();

public:
    /*!
        Runs a local event loop until finished() (or readyRead() when \a forData), or \a msecs.
        Returns false when the Response was deleted meanwhile.
    */
    bool waitFor(int msecs, bool forData);
};

} // namespace Courier
