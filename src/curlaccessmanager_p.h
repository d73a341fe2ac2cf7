// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/curlaccessmanager.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtNetwork/QSslCertificate>

#include <curl/curl.h>

#include <memory>

class QSocketNotifier;

namespace Courier {

class CurlReply;

// The libcurl multi handle of one CurlAccessManager, driven by the thread's event loop.
//
// libcurl's callbacks only record what happened; signals reach the application afterwards, from
// deliver(), once curl_multi_socket_action() has returned. Application code therefore never runs
// inside libcurl, and may abort or delete any reply from any signal.
class CurlAccessManagerPrivate
{
    Q_DECLARE_PUBLIC(CurlAccessManager)
public:
    explicit CurlAccessManagerPrivate(CurlAccessManager *q);
    ~CurlAccessManagerPrivate();

    static CurlAccessManagerPrivate *get(CurlAccessManager *q) { return q->d_func(); }

    // Whether the engine serves \a request itself: http or https, not for the response cache,
    // not h2c with prior knowledge on a libcurl that fails it. Qt's engine serves the others.
    bool serves(const QNetworkRequest &request) const;
    // A started reply to \a request, one the engine serves, a child of the manager.
    CurlReply *create(QNetworkAccessManager::Operation op, const QNetworkRequest &request, const QByteArray &verb,
                      QIODevice *outgoingData);

    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        bool wantsRead = false; // what libcurl last asked for
        bool suspended = false; // reading stopped while an HTTP/1 transfer on it is paused
    };

    // libcurl 7.88 keeps asking to read the socket of a paused HTTP/1 transfer, which would wake
    // the event loop for nothing until the application reads: the read is suspended meanwhile.
    void suspendReading(curl_socket_t fd, bool suspended);

    // Easy handles: one of the spare ones, reset, or a new one; a reply's handle comes back once
    // the reply has ended (out of the multi handle), reset, and is kept while there are fewer
    // than MaximumSpareHandles. curl_easy_reset() costs less than curl_easy_cleanup() and
    // curl_easy_init(), and drops every option (the connections are the multi handle's anyway).
    CURL *takeHandle();
    void recycle(CURL *easy);

    void add(CurlReply *reply);
    void remove(CurlReply *reply); // from outside libcurl's callbacks only
    void markDirty(CurlReply *reply);
    // Runs libcurl for \a fd (CURL_SOCKET_TIMEOUT for its timer), then delivers.
    void drive(curl_socket_t fd, int events);
    void deliver();

    // Where libcurl finds the CAs of a request: a PEM file (CURLOPT_CAINFO) and a hashed folder
    // (CURLOPT_CAPATH, empty for none).
    struct CaLocations
    {
        QString file; // empty: the file could not be written
        QByteArray folder;
    };
    // The locations for \a certificates, and the system's CAs too when \a systemToo. The PEM file
    // is written once per list (per shared list data, which the entry keeps alive so that its
    // address is not reused): libcurl compares a file's name, not its contents, when it reuses a
    // connection, and caches the store it builds from it. The system's CAs are libcurl's own
    // folder (its default CURLOPT_CAPATH), read by OpenSSL one certificate at a time as a chain
    // needs it; without such a folder, libcurl's bundle copied as it is, before the extra CAs;
    // without either, Qt's list of them.
    CaLocations caLocations(const QList<QSslCertificate> &certificates, bool systemToo);

    static int onSocket(CURL *easy, curl_socket_t fd, int what, void *self, void *socketData);
    static int onTimer(CURLM *multi, long timeoutMs, void *self);

    CurlAccessManager *const q_ptr;
    CURLM *multi = nullptr;
    QTimer timer;
    QHash<curl_socket_t, Watch> watches; // by socket number, kept (disabled) when libcurl stops watching it
    QList<QPointer<CurlReply>> dirty;
    QHash<QByteArray, int> runningPerOrigin; // HTTP/1.1 transfers in libcurl, per scheme, host and port
    QList<CurlReply *> waiting; // HTTP/1.1 transfers past the limit, by priority
    bool delivering = false;
    bool driving = false;
    int maximumConnectionsPerHost = 6;
    static constexpr qsizetype MaximumSpareHandles = 16;
    QList<CURL *> spareHandles;

    struct CaFile
    {
        QList<QSslCertificate> certificates;
        bool systemToo = false;
        QByteArray digest; // SHA-256 of the file's contents
        QString path;
    };
    QList<CaFile> caFiles;
    int caFilesWritten = 0;
    std::unique_ptr<QTemporaryDir> caDir;
};

} // namespace Courier
