// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "curlaccessmanager_p.h"

#include "curlreply_p.h"
#include "logging_p.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSocketNotifier>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QSslConfiguration>

namespace Courier {

namespace {
void initializeCurl()
{
    // Once per process, and thread-safe through the static's initialisation.
    static const bool initialized = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    Q_UNUSED(initialized);
}
} // namespace

CurlAccessManagerPrivate::CurlAccessManagerPrivate(CurlAccessManager *q)
    : q_ptr(q)
{
    initializeCurl();
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &CurlAccessManagerPrivate::onSocket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &CurlAccessManagerPrivate::onTimer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, long(CURLPIPE_MULTIPLEX));
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(maximumConnectionsPerHost));
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, q, [this] { drive(CURL_SOCKET_TIMEOUT, 0); });
}

CurlAccessManagerPrivate::~CurlAccessManagerPrivate()
{
    // Replies that outlive the manager (reparented by the application) end here.
    const auto replies = q_ptr->findChildren<CurlReply *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(replies);
    for (CURL *easy : std::as_const(spareHandles))
        curl_easy_cleanup(easy);
    curl_multi_cleanup(multi); // closes the pooled connections, through onSocket()
    for (const Watch &w : std::as_const(watches)) {
        delete w.read;
        delete w.write;
    }
}

int CurlAccessManagerPrivate::onSocket(CURL *, curl_socket_t fd, int what, void *self, void *)
{
    auto *d = static_cast<CurlAccessManagerPrivate *>(self);
    if (what == CURL_POLL_REMOVE) {
        // libcurl closes the socket, or keeps its idle connection for a later transfer. The
        // notifiers are disabled (one may be the notifier whose activation is running) and kept
        // for the next socket of that number, a reused connection's most often: making and
        // deleting them for every request cost more than the rest of the event handling.
        const auto it = d->watches.find(fd);
        if (it != d->watches.end()) {
            it->wantsRead = false;
            it->suspended = false;
            for (QSocketNotifier *n : {it->read, it->write}) {
                if (n)
                    n->setEnabled(false);
            }
        }
        return 0;
    }
    Watch &w = d->watches[fd];
    auto watch = [&](QSocketNotifier *&notifier, QSocketNotifier::Type type, bool on) {
        if (!on) {
            if (notifier)
                notifier->setEnabled(false);
            return;
        }
        if (!notifier) {
            notifier = new QSocketNotifier(qintptr(fd), type);
            const int event = type == QSocketNotifier::Read ? CURL_CSELECT_IN : CURL_CSELECT_OUT;
            QObject::connect(notifier, &QSocketNotifier::activated, d->q_ptr, [d, fd, event] { d->drive(fd, event); });
        }
        notifier->setEnabled(true);
    };
    w.wantsRead = what == CURL_POLL_IN || what == CURL_POLL_INOUT;
    watch(w.read, QSocketNotifier::Read, w.wantsRead && !w.suspended);
    watch(w.write, QSocketNotifier::Write, what == CURL_POLL_OUT || what == CURL_POLL_INOUT);
    return 0;
}

void CurlAccessManagerPrivate::suspendReading(curl_socket_t fd, bool suspended)
{
    auto it = watches.find(fd);
    if (it == watches.end() || it->suspended == suspended)
        return;
    it->suspended = suspended;
    if (it->read)
        it->read->setEnabled(it->wantsRead && !suspended);
}

int CurlAccessManagerPrivate::onTimer(CURLM *, long timeoutMs, void *self)
{
    auto *d = static_cast<CurlAccessManagerPrivate *>(self);
    if (timeoutMs < 0)
        d->timer.stop();
    else
        d->timer.start(int(std::min<long>(timeoutMs, 24L * 3600 * 1000)));
    return 0;
}

void CurlAccessManagerPrivate::drive(curl_socket_t fd, int events)
{
    if (driving)
        return; // never re-entered; the timer or notifier fires again
    driving = true;
    int running = 0;
    curl_multi_socket_action(multi, fd, events, &running);
    int left = 0;
    while (CURLMsg *message = curl_multi_info_read(multi, &left)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CurlReply *reply = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &reply);
        const CURLcode code = message->data.result;
        if (reply)
            reply->done(code); // removes the handle: message is invalid from here
    }
    driving = false;
    deliver();
}

CURL *CurlAccessManagerPrivate::takeHandle()
{
    return spareHandles.isEmpty() ? curl_easy_init() : spareHandles.takeLast();
}

void CurlAccessManagerPrivate::recycle(CURL *easy)
{
    if (spareHandles.size() >= MaximumSpareHandles) {
        curl_easy_cleanup(easy);
        return;
    }
    curl_easy_reset(easy);
    spareHandles.append(easy);
}

void CurlAccessManagerPrivate::add(CurlReply *reply)
{
    // HTTP/1.1 transfers beyond the per-host limit wait here rather than in libcurl's queue,
    // which knows no priorities: a higher QNetworkRequest::priority() goes first, as with Qt.
    if (reply->limited && runningPerOrigin.value(reply->origin) >= maximumConnectionsPerHost) {
        const int priority = reply->request().priority();
        auto at = std::find_if(waiting.begin(), waiting.end(),
                               [&](const CurlReply *w) { return w->request().priority() > priority; });
        waiting.insert(at, reply);
        reply->place = CurlReply::Waiting;
        return;
    }
    if (reply->limited)
        ++runningPerOrigin[reply->origin];
    reply->place = CurlReply::Running;
    // libcurl asks for a 0 ms timer to start the transfer: it begins from the event loop.
    curl_multi_add_handle(multi, reply->handle());
}

void CurlAccessManagerPrivate::remove(CurlReply *reply)
{
    const auto place = std::exchange(reply->place, CurlReply::Nowhere);
    if (place == CurlReply::Waiting) {
        waiting.removeOne(reply);
        return;
    }
    if (place != CurlReply::Running)
        return;
    curl_multi_remove_handle(multi, reply->handle());
    if (!reply->limited)
        return;
    if (--runningPerOrigin[reply->origin] <= 0)
        runningPerOrigin.remove(reply->origin);
    if (waiting.isEmpty())
        return; // (and no detached empty list for nothing)
    auto next = std::find_if(waiting.begin(), waiting.end(),
                             [&](const CurlReply *w) { return w->origin == reply->origin; });
    if (next != waiting.end()) {
        CurlReply *admitted = *next;
        waiting.erase(next);
        add(admitted);
    }
}

void CurlAccessManagerPrivate::markDirty(CurlReply *reply)
{
    for (const QPointer<CurlReply> &r : std::as_const(dirty)) {
        if (r == reply)
            return;
    }
    dirty.append(reply);
}

void CurlAccessManagerPrivate::deliver()
{
    if (delivering || driving)
        return;
    delivering = true;
    // A reply's signal handlers may mark others (or itself) dirty again: loop until quiet.
    while (!dirty.isEmpty()) {
        const QList<QPointer<CurlReply>> now = std::exchange(dirty, {});
        for (const QPointer<CurlReply> &reply : now) {
            if (reply)
                reply->deliver();
        }
    }
    delivering = false;
}

CurlAccessManagerPrivate::CaLocations CurlAccessManagerPrivate::caLocations(const QList<QSslCertificate> &certificates,
                                                                            bool systemToo)
{
    // libcurl's own defaults, as built: Debian's are /etc/ssl/certs/ca-certificates.crt and /etc/ssl/certs.
    static const std::pair<QByteArray, QByteArray> system = [] {
        const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
        const auto existing = [](const char *path, bool folder) {
            const QFileInfo at(path ? QFile::decodeName(path) : QString());
            return path && at.exists() && at.isDir() == folder ? QByteArray(path) : QByteArray();
        };
        return std::pair(existing(info->cainfo, false), existing(info->capath, true));
    }();
    const auto &[systemFile, systemFolder] = system;
    const QByteArray folder = systemToo ? systemFolder : QByteArray();
    for (const CaFile &f : std::as_const(caFiles)) {
        if (f.certificates.constData() == certificates.constData() && f.certificates.size() == certificates.size()
            && f.systemToo == systemToo)
            return {f.path, folder};
    }
    if (!caDir) {
        caDir = std::make_unique<QTemporaryDir>();
        if (!caDir->isValid())
            return {};
    }
    QByteArray pem;
    if (systemToo && folder.isEmpty()) {
        QFile bundle(QFile::decodeName(systemFile));
        if (!systemFile.isEmpty() && bundle.open(QIODevice::ReadOnly)) {
            pem = bundle.readAll() + '\n';
        } else {
            for (const QSslCertificate &c : QSslConfiguration::systemCaCertificates())
                pem += c.toPem();
        }
    }
    for (const QSslCertificate &c : certificates)
        pem += c.toPem();
    const QByteArray digest = QCryptographicHash::hash(pem, QCryptographicHash::Sha256);
    // Lists made anew for each request would pile up: the oldest is forgotten (its file stays).
    if (caFiles.size() >= 32)
        caFiles.removeFirst();
    // The same contents under another list: the same file, found by digest, not read back.
    for (qsizetype i = 0; i < caFiles.size(); ++i) {
        if (caFiles.at(i).digest == digest) {
            const QString path = caFiles.at(i).path;
            caFiles.append({certificates, systemToo, digest, path});
            return {path, folder};
        }
    }
    QFile file(caDir->filePath(QStringLiteral("ca-%1.pem").arg(++caFilesWritten)));
    if (!file.open(QIODevice::WriteOnly) || file.write(pem) != pem.size())
        return {};
    file.close();
    qCDebug(lcTls).nospace().noquote() << "libcurl trusts " << certificates.size() << " CA certificate(s) in "
                                       << file.fileName()
                                       << (!systemToo ? QStringLiteral(", not the system's")
                                               : folder.isEmpty()
                                               ? QStringLiteral(", after the system's")
                                               : QStringLiteral(", and the system's in ") + QFile::decodeName(folder));
    caFiles.append({certificates, systemToo, digest, file.fileName()});
    return {file.fileName(), folder};
}

CurlAccessManager::CurlAccessManager(QObject *parent)
    : QNetworkAccessManager(parent)
    , d_ptr(new CurlAccessManagerPrivate(this))
{
}

CurlAccessManager::~CurlAccessManager() = default;

int CurlAccessManager::maximumConnectionsPerHost() const { return d_func()->maximumConnectionsPerHost; }

void CurlAccessManager::setMaximumConnectionsPerHost(int maximum)
{
    Q_D(CurlAccessManager);
    d->maximumConnectionsPerHost = std::max(maximum, 1);
    curl_multi_setopt(d->multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(d->maximumConnectionsPerHost));
}

QString CurlAccessManager::curlVersion()
{
    initializeCurl();
    return QString::fromLatin1(curl_version());
}

bool CurlAccessManagerPrivate::serves(const QNetworkRequest &request) const
{
    const QString scheme = request.url().scheme(); // in lower case, as QUrl keeps it
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return false;
    // The response cache is Qt's engine's: requests that may be answered from it go there.
    if (q_ptr->cache()
        && request.attribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::PreferNetwork).toInt()
            != QNetworkRequest::AlwaysNetwork)
        return false;
    // libcurl before 8.0 fails every request after the first on an h2c connection made with
    // prior knowledge ("Error in the HTTP2 framing layer", curl/curl#10634): Qt's engine has those.
    static const bool h2cReuseBroken = curl_version_info(CURLVERSION_NOW)->version_num < 0x080000;
    return !(h2cReuseBroken && scheme == QLatin1String("http")
             && request.attribute(QNetworkRequest::Http2DirectAttribute).toBool());
}

CurlReply *CurlAccessManagerPrivate::create(QNetworkAccessManager::Operation op, const QNetworkRequest &request,
                                            const QByteArray &verb, QIODevice *outgoingData)
{
    auto *reply = new CurlReply(this, op, request, verb, outgoingData);
    reply->setParent(q_ptr);
    reply->start();
    return reply;
}

QNetworkReply *CurlAccessManager::createRequest(Operation op, const QNetworkRequest &request, QIODevice *outgoingData)
{
    Q_D(CurlAccessManager);
    if (!d->serves(request))
        return QNetworkAccessManager::createRequest(op, request, outgoingData);
    QByteArray verb;
    switch (op) {
    case HeadOperation: verb = QByteArrayLiteral("HEAD"); break;
    case GetOperation: verb = QByteArrayLiteral("GET"); break;
    case PutOperation: verb = QByteArrayLiteral("PUT"); break;
    case PostOperation: verb = QByteArrayLiteral("POST"); break;
    case DeleteOperation: verb = QByteArrayLiteral("DELETE"); break;
    case CustomOperation: verb = request.attribute(QNetworkRequest::CustomVerbAttribute).toByteArray(); break;
    case UnknownOperation: break;
    }
    return d->create(op, request, verb, outgoingData);
}

} // namespace Courier
