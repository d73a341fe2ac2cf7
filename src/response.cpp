// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "response_p.h"

#include "Courier/status.h"
#include "headers_p.h"
#include "logging_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonParseError>
#include <QtCore/QJsonValue>
#include <QtCore/QMetaEnum>
#include <QtCore/QStringDecoder>
#include <QtCore/QTimerEvent>

namespace Courier {

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
    d->phase = ResponsePrivate::Phase::Ending;
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
    return QIODevice::bytesAvailable() + d->hop.body.size()
        + (d->readsFromReply() ? d->hop.reply->bytesAvailable() : 0);
}

bool Response::canReadLine() const
{
    Q_D(const Response);
    return QIODevice::canReadLine() || d->hop.body.containsLineEnd()
        || (d->readsFromReply() && d->hop.reply->canReadLine());
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
    if (d->hop.body.size() > 0)
        n = d->hop.body.read(data, maxSize);
    else if (d->readsFromReply())
        n = std::max<qint64>(d->hop.reply->read(data, maxSize), 0);
    d->hop.delivered += n;
    if (n > 0 || d->hop.body.decoder())
        d->afterRead();
    return n > 0 || d->running() ? n : -1;
}

qint64 Response::writeData(const char *, qint64) { return -1; }

bool Response::waitForReadyRead(int msecs)
{
    Q_D(Response);
    if (bytesAvailable() > 0)
        return true;
    if (!d->running())
        return false;
    return d->waitFor(msecs, true) && bytesAvailable() > 0;
}

bool Response::waitForFinished(int msecs)
{
    Q_D(Response);
    if (d->phase == ResponsePrivate::Phase::Finished)
        return true;
    return d->waitFor(msecs, false) && d->phase == ResponsePrivate::Phase::Finished;
}

Request Response::request() const
{
    Q_D(const Response);
    if (!d->sent.userAgent().isEmpty() || d->userAgent.isEmpty())
        return d->sent;
    Request withAgent = d->sent; // the Client's user agent, as the hops sent it
    withAgent.setUserAgent(d->userAgent);
    return withAgent;
}
QUrl Response::url() const { return d_func()->url; }
int Response::redirectCount() const { return d_func()->attempt.redirects; }
int Response::attempts() const { return d_func()->attempt.number; }
bool Response::fromCache() const { return d_func()->hop.cached; }
Request::Protocol Response::protocol() const { return d_func()->hop.protocol; }
QList<TimelineEvent> Response::timeline() const { return d_func()->timeline; }

QVariantList Response::timelineList() const
{
    QVariantList events;
    for (const TimelineEvent &event : d_func()->timeline)
        events.append(QVariant::fromValue(event));
    return events;
}

QVariantList Response::cookieList() const
{
    QVariantList list;
    for (const QNetworkCookie &cookie : cookies()) {
        QVariantMap entry{
            {QStringLiteral("name"), QString::fromUtf8(cookie.name())},
            {QStringLiteral("value"), QString::fromUtf8(cookie.value())},
            {QStringLiteral("domain"), cookie.domain()},
            {QStringLiteral("path"), cookie.path()},
            {QStringLiteral("secure"), cookie.isSecure()},
            {QStringLiteral("httpOnly"), cookie.isHttpOnly()},
            {QStringLiteral("session"), cookie.isSessionCookie()},
        };
        if (!cookie.isSessionCookie())
            entry.insert(QStringLiteral("expires"), cookie.expirationDate());
        list.append(entry);
    }
    return list;
}

QString TimelineEvent::name() const { return QString::fromLatin1(QMetaEnum::fromType<Kind>().valueToKey(kind)); }
int Response::statusCode() const { return d_func()->hop.statusCode; }
QString Response::statusMessage() const { return d_func()->hop.statusMessage; }
bool Response::isHttpSuccess() const { return HttpStatus::isSuccess(d_func()->hop.statusCode); }

QByteArray Response::header(const QByteArray &name) const
{
    QByteArray joined;
    bool found = false;
    for (const auto &[n, v] : d_func()->hop.headers) {
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
    for (const auto &[n, v] : d_func()->hop.headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            values += Headers::splitValues(name, v);
    }
    return values;
}

bool Response::hasHeader(const QByteArray &name) const
{
    const auto &h = d_func()->hop.headers;
    return std::any_of(h.cbegin(), h.cend(),
                       [&](const auto &p) { return p.first.compare(name, Qt::CaseInsensitive) == 0; });
}

QList<QPair<QByteArray, QByteArray>> Response::headers() const { return d_func()->hop.headers; }

QVariantMap Response::headerMap() const
{
    QVariantMap map;
    for (const auto &pair : d_func()->hop.headers) {
        const QString key = QString::fromLatin1(pair.first.toLower());
        if (!map.contains(key))
            map.insert(key, QString::fromLatin1(header(pair.first)));
    }
    return map;
}

qint64 Response::contentLength() const { return d_func()->hop.contentLength; }
Response::Error Response::error() const { return d_func()->error; }
QString Response::errorString() const
{
    // QIODevice's own says "Unknown error" until finishWith() sets it, which it does with the error.
    return d_func()->error == NoError ? QString() : QIODevice::errorString();
}
Response::ErrorCategory Response::category() const { return categoryOf(d_func()->error); }
bool Response::hasTransportError() const { return d_func()->transportError; }
bool Response::isRunning() const { return d_func()->running(); }
bool Response::isFinished() const { return d_func()->phase == ResponsePrivate::Phase::Finished; }
bool Response::isComplete() const { return isFinished() && !d_func()->transportError; }
qint64 Response::bytesReceived() const
{
    Q_D(const Response);
    return d->hop.received + resumedFrom();
}

qint64 Response::bytesTotal() const
{
    Q_D(const Response);
    return d->hop.total < 0 ? d->hop.total : d->hop.total + resumedFrom();
}

qint64 Response::resumedFrom() const
{
    Q_D(const Response);
    return d->sink ? d->sink->resumedFrom() : 0;
}
qint64 Response::bytesSent() const { return d_func()->hop.sentBytes; }
qint64 Response::bytesToSend() const { return d_func()->hop.toSend; }
QNetworkReply *Response::reply() const { return d_func()->hop.reply; }

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

QList<QNetworkCookie> Response::cookies() const { return d_func()->cookies; }

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
    const Request::DataType asked = d_func()->sent.expectedDataType();
    if (asked != Request::DataType::Auto)
        return asked;
    const QByteArray type = Headers::mimeTypeOf(header("Content-Type"));
    if (type == "application/json" || type.endsWith("+json"))
        return Request::DataType::Json;
    if (type.startsWith("text/") || type.endsWith("/xml") || type.endsWith("+xml") || type == "application/javascript"
        || type == "application/x-www-form-urlencoded")
        return Request::DataType::Text;
    return Request::DataType::Bytes;
}

namespace {
// The body as resultType() asks; \a errorString is set when JSON was expected and is not there.
QVariant decodeResult(Response &r, QString *errorString)
{
    errorString->clear();
    switch (r.resultType()) {
    case Request::DataType::Text: return r.text();
    case Request::DataType::Json: {
        const QJsonValue value = r.json(errorString);
        return errorString->isEmpty() ? QVariant::fromValue(value) : QVariant();
    }
    case Request::DataType::Auto:
    case Request::DataType::Bytes: break;
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
    if (isFinished() && d->result) {
        value = *d->result;
    } else {
        value.first = decodeResult(*this, &value.second);
        if (isFinished())
            d->result = std::make_unique<std::pair<QVariant, QString>>(value);
    }
    if (errorString)
        *errorString = value.second;
    return value.first;
}

void Response::abort() { d_func()->abort(); }

} // namespace Courier
