// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "engine_p.h"

#include <QtCore/QPointer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QSslCertificate>

#include <curl/curl.h>

namespace Courier {

class CurlAccessManagerPrivate;

/*! curl_easy_setopt(), its result ignored: every option Courier sets is known to this libcurl. */
template <typename T>
void set(CURL *easy, CURLoption option, T value)
{
    curl_easy_setopt(easy, option, value);
}

// One http or https exchange of a CurlAccessManager: a libcurl easy handle behind QNetworkReply.
class CurlReply : public QNetworkReply
{
    Q_OBJECT
public:
    CurlReply(CurlAccessManagerPrivate *manager, QNetworkAccessManager::Operation op, const QNetworkRequest &request,
              const QByteArray &verb, QIODevice *outgoingData);
    ~CurlReply() override;

    // Adds the easy handle to the multi handle, or ends the reply (from the event loop) when the
    // request cannot be made.
    void start();

    void abort() override;
    void close() override;
    qint64 bytesAvailable() const override;
    bool canReadLine() const override;
    bool isSequential() const override { return true; }
    void setReadBufferSize(qint64 size) override;

    // The TLS peer's chain, leaf first, when the request asked for it with KeepPeerChain.
    QList<QSslCertificate> peerCertificateChain() const { return peerChain; }

    // Where the manager has the reply.
    enum Place { Nowhere, Waiting, Running };
    Place place = Nowhere;
    bool limited = false; // HTTP/1.1 for sure: counts against the per-host limit
    QByteArray origin;

    // Called by the manager.
    CURL *handle() const { return easy; }
    void done(CURLcode code); // libcurl finished the transfer (outside its callbacks)
    void deliver(); // emits what the callbacks recorded

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }
    void ignoreSslErrorsImplementation(const QList<QSslError> &) override;
    void setSslConfigurationImplementation(const QSslConfiguration &) override;
    void sslConfigurationImplementation(QSslConfiguration &configuration) const override;

private:
    static size_t onHeader(char *data, size_t size, size_t count, void *self);
    static size_t onWrite(char *data, size_t size, size_t count, void *self);
    static size_t onRead(char *data, size_t size, size_t count, void *self);
    static int onSeek(void *self, curl_off_t offset, int origin);
    static curl_socket_t onOpenSocket(void *self, curlsocktype purpose, curl_sockaddr *address);
    static int onPrereq(void *self, char *, char *, int, int);

    bool configure(QString *why);
    bool configureTls(QString *why);
    void configureProxy();
    void headerLine(QByteArrayView line);
    void headersComplete();
    void expose();
    QByteArray redirectLocation() const; // of a 3xx being parsed, if it has one
    void fail(NetworkError code, const QString &message); // before start or from the event loop
    void finishNow();
    void queueResume(); // resume() from the event loop, once however often asked
    void resume();
    void removeFromMulti();
    // Out of the multi handle, and back to the manager's spare handles (or cleaned up).
    void releaseHandle();
    qint64 buffered() const { return buffer.size() - bufferHead; }
    // Whether some of the request body is still to be sent.
    bool uploadPending() const;
    // Whether the whole response has arrived: a response without a body, or Content-Length bytes.
    bool responseComplete() const;

    CurlAccessManagerPrivate *manager;
    CURL *easy = nullptr;
    curl_slist *headerList = nullptr;
    curl_slist *connectTo = nullptr;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    QNetworkRequest req;
    QByteArray verb;
    QPointer<QIODevice> upload;
    qint64 uploadSize = -1;
    qint64 uploadStart = 0;
    qint64 uploaded = 0;
    bool uploadEnded = false;
    bool uploadPaused = false;
    bool uploadRead = false;

    // The response being parsed, and the one the application sees.
    int parsingStatus = 0;
    QByteArray parsingReason;
    QList<QPair<QByteArray, QByteArray>> parsingHeaders;
    qint64 headerBytes = 0;
    bool headersDone = false;
    qint64 contentLength = -1;
    bool followRedirects = false;
    bool held = false; // a complete header block that may be a hop libcurl follows
    bool authRetried = false;
    bool sameOriginOnly = false; // SameOriginRedirectPolicy
    bool proxied = false;

    QByteArray buffer;
    qint64 bufferHead = 0;
    qint64 received = 0; // decoded bytes handed to the buffer
    bool downloadPaused = false;
    curl_socket_t suspendedSocket = CURL_SOCKET_BAD; // its reading stopped while paused
    bool resumeQueued = false;

    // Reads the peer's chain from OpenSSL into peerChain; false when libcurl shows none.
    bool readPeerChain();
    // Whether a certificate of the connection's chain has a pinned key (pins from the request).
    bool pinsMatch(int *chainLength) const;

    QList<QSslCertificate> peerChain;
    QList<QByteArray> pins;
    bool keepPeerChain = false;
    bool openedSocket = false;
    bool https = false;

    // What deliver() has to emit.
    bool pendingConnecting = false;
    bool pendingEncrypted = false;
    bool pendingRequestSent = false;
    bool pendingMetaData = false;
    bool pendingReadyRead = false;
    bool pendingDownloadProgress = false;
    bool pendingUploadProgress = false;
    QList<QUrl> pendingRedirects;
    bool pendingFinish = false;
    bool completeBeforeUpload = false; // HTTP/2: answered in full while the body is still being sent
    bool ended = false;

    // What expose() showed of the response, kept rather than asked of QNetworkReply again.
    bool exposed = false; // an HttpStatusCodeAttribute is set
    int shownStatus = 0;
    qint64 shownLength = -1; // the Content-Length, -1 without one (or with chunked framing)
    bool shownContentEncoding = false; // a Content-Encoding field
    bool shownIdentity = true; // no Content-Encoding but identity
    bool shownCookies = false; // a Set-Cookie field
    bool curlDecodes = false; // libcurl asks for codings and undoes them (no Accept-Encoding given)

    NetworkError finalError = NoError;
    QString finalMessage;
    bool bomb = false;
};

} // namespace Courier
