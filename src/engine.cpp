// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "engine_p.h"

#include "Courier/version.h" // COURIER_HAS_CURL

#include <QtCore/QBuffer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>

#if COURIER_HAS_CURL
#include "curlaccessmanager_p.h"
#include "curlreply_p.h"
#endif

namespace Courier::Engine {

namespace {
#if COURIER_HAS_CURL
// The libcurl engine of \a manager, when it serves \a request itself; null otherwise.
CurlAccessManagerPrivate *curlEngine(QNetworkAccessManager *manager, const QNetworkRequest &request)
{
    auto *curl = qobject_cast<CurlAccessManager *>(manager);
    CurlAccessManagerPrivate *d = curl ? CurlAccessManagerPrivate::get(curl) : nullptr;
    return d && d->serves(request) ? d : nullptr;
}

// The reply QNetworkAccessManager's method would make (the same operation, the custom verb
// attribute of sendCustomRequest()), and what its postProcess() connects of the signals a
// CurlReply emits: the manager's finished() (then the reply's deletion, if the request asked
// for it) and encrypted().
QNetworkReply *direct(CurlAccessManagerPrivate *d, const QNetworkRequest &request, const QByteArray &method,
                      QIODevice *body)
{
    auto op = QNetworkAccessManager::CustomOperation;
    if (!body && method == "HEAD")
        op = QNetworkAccessManager::HeadOperation;
    else if (!body && method == "GET")
        op = QNetworkAccessManager::GetOperation;
    QNetworkRequest custom;
    if (op == QNetworkAccessManager::CustomOperation) {
        custom = request;
        custom.setAttribute(QNetworkRequest::CustomVerbAttribute, method);
    }
    const QNetworkRequest &sent = op == QNetworkAccessManager::CustomOperation ? custom : request;
    CurlReply *reply = d->create(op, sent, method, body);
    QNetworkAccessManager *q = d->q_ptr;
    const bool autoDelete = sent.attribute(QNetworkRequest::AutoDeleteReplyOnFinishAttribute, false).toBool();
    QObject::connect(reply, &QNetworkReply::finished, q, [q, reply, autoDelete] {
        Q_EMIT q->finished(reply);
        if (autoDelete)
            QMetaObject::invokeMethod(
                reply, [reply] { reply->deleteLater(); }, Qt::QueuedConnection);
    });
    QObject::connect(reply, &QNetworkReply::encrypted, q, [q, reply] { Q_EMIT q->encrypted(reply); });
    return reply;
}
#endif
} // namespace

QNetworkReply *send(QNetworkAccessManager *manager, const QNetworkRequest &request, const QByteArray &method)
{
#if COURIER_HAS_CURL
    if (CurlAccessManagerPrivate *d = curlEngine(manager, request))
        return direct(d, request, method, nullptr);
#endif
    if (method == "HEAD")
        return manager->head(request);
    if (method == "GET")
        return manager->get(request);
    return manager->sendCustomRequest(request, method);
}

QNetworkReply *send(QNetworkAccessManager *manager, const QNetworkRequest &request, const QByteArray &method,
                    QIODevice *body)
{
#if COURIER_HAS_CURL
    if (CurlAccessManagerPrivate *d = curlEngine(manager, request))
        return direct(d, request, method, body);
#endif
    return manager->sendCustomRequest(request, method, body);
}

QNetworkReply *send(QNetworkAccessManager *manager, const QNetworkRequest &request, const QByteArray &method,
                    const QByteArray &body)
{
#if COURIER_HAS_CURL
    if (CurlAccessManagerPrivate *d = curlEngine(manager, request)) {
        // As sendCustomRequest() with bytes: a buffer the reply owns.
        auto *buffer = new QBuffer;
        buffer->setData(body);
        buffer->open(QIODevice::ReadOnly);
        QNetworkReply *reply = direct(d, request, method, buffer);
        buffer->setParent(reply);
        return reply;
    }
#endif
    return manager->sendCustomRequest(request, method, body);
}

QNetworkReply *send(QNetworkAccessManager *manager, const QNetworkRequest &request, const QByteArray &method,
                    QHttpMultiPart *body)
{
    return manager->sendCustomRequest(request, method, body);
}

} // namespace Courier::Engine
