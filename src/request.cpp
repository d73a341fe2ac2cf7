// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "request_p.h"

#include "headers_p.h"
#include "logging_p.h"
#include "url_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

namespace Courier {

namespace {
// Every default-constructed Request shares this data until it is changed (copy on write): a
// Response holds several Requests that are assigned before they are used.
const QSharedDataPointer<RequestData> &defaultData()
{
    static const QSharedDataPointer<RequestData> data(new RequestData);
    return data;
}
} // namespace

Request::Request()
    : d(defaultData())
{
}

Request::Request(const QUrl &url, const QByteArray &method)
    : d(new RequestData)
{
    d->url = url;
    d->method = method;
}

Request::Request(const Request &other) = default;
Request::Request(Request &&other) noexcept = default;
Request &Request::operator=(const Request &other) = default;
Request &Request::operator=(Request &&other) noexcept = default;
Request::~Request() = default;

bool Request::isEqual(const Request &other) const { return d == other.d || *d == *other.d; }

QUrl Request::url() const { return d->url; }
void Request::setUrl(const QUrl &url) { d->url = url; }

QByteArray Request::method() const { return d->method; }
void Request::setMethod(const QByteArray &method) { d->method = method; }

void Request::setHeader(const QByteArray &name, const QByteArray &value)
{
    removeHeader(name);
    d->headers.append({name, value});
}

void Request::addHeader(const QByteArray &name, const QByteArray &value) { d->headers.append({name, value}); }

void Request::removeHeader(const QByteArray &name)
{
    d->headers.removeIf([&](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
}

bool Request::hasHeader(const QByteArray &name) const
{
    return std::any_of(d->headers.cbegin(), d->headers.cend(),
                       [&](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
}

QByteArray Request::header(const QByteArray &name) const
{
    QByteArray joined;
    bool found = false;
    for (const auto &h : d->headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (found)
            joined += ", ";
        joined += h.second;
        found = true;
    }
    if (found && joined.isNull())
        joined = QByteArray(""); // present but empty is not absent
    return joined;
}

QList<QPair<QByteArray, QByteArray>> Request::headers() const { return d->headers; }

QByteArray Request::userAgent() const { return d->userAgent; }
void Request::setUserAgent(const QByteArray &userAgent) { d->userAgent = userAgent; }

QUrlQuery Request::query() const { return d->query; }
void Request::setQuery(const QUrlQuery &query) { d->query = query; }
void Request::addQueryItem(const QString &key, const QString &value) { d->query.addQueryItem(key, value); }

Request::BodyKind Request::bodyKind() const { return d->bodyKind; }
QByteArray Request::body() const { return d->body; }

void Request::clearBody()
{
    d->bodyKind = BodyKind::None;
    d->body.clear();
    d->contentType.clear();
    d->data.clear();
    d->device.clear();
    d->deviceSize = -1;
    d->multipart.clear();
}

void Request::setBody(const QByteArray &bytes, const QByteArray &contentType)
{
    clearBody();
    d->bodyKind = BodyKind::Bytes;
    d->body = bytes;
    d->contentType = contentType.isEmpty() ? QByteArrayLiteral("application/octet-stream") : contentType;
}

void Request::setText(const QString &text, const QByteArray &contentType)
{
    setBody(text.toUtf8(), contentType.isEmpty() ? QByteArrayLiteral("text/plain; charset=utf-8") : contentType);
}

void Request::setJson(const QJsonDocument &json)
{
    setBody(json.toJson(QJsonDocument::Compact), QByteArrayLiteral("application/json"));
}

void Request::setFormFields(const QUrlQuery &fields)
{
    // Form encoding: spaces as '+', and '+' itself must then be escaped.
    QByteArray encoded;
    for (const auto &[key, value] : fields.queryItems(QUrl::FullyDecoded)) {
        if (!encoded.isEmpty())
            encoded += '&';
        encoded += QUrl::toPercentEncoding(key, " ").replace(' ', '+');
        encoded += '=';
        encoded += QUrl::toPercentEncoding(value, " ").replace(' ', '+');
    }
    setBody(encoded, QByteArrayLiteral("application/x-www-form-urlencoded"));
}

void Request::setData(const QVariant &data)
{
    clearBody();
    d->bodyKind = BodyKind::Data;
    d->data = data;
}

QVariant Request::data() const { return d->data; }

void Request::setBodyDevice(QIODevice *device, qint64 size, const QByteArray &contentType)
{
    clearBody();
    d->bodyKind = BodyKind::Device;
    d->device = device;
    d->deviceSize = size;
    d->contentType = contentType.isEmpty() ? QByteArrayLiteral("application/octet-stream") : contentType;
}

QIODevice *Request::bodyDevice() const { return d->device; }
qint64 Request::bodyDeviceSize() const { return d->deviceSize; }

void Request::setMultipart(QHttpMultiPart *multiPart)
{
    clearBody();
    d->bodyKind = BodyKind::Multipart;
    d->multipart = multiPart;
    if (multiPart)
        d->contentType = "multipart/form-data; boundary=\"" + multiPart->boundary() + '"';
}

QHttpMultiPart *Request::multipart() const { return d->multipart; }
QByteArray Request::contentType() const { return d->contentType; }

namespace {
// A negative value (UseClientDefault, -1) is no override: the Client's value is used.
template <typename T>
std::optional<T> overrideOf(T value)
{
    return value < T{} ? std::nullopt : std::optional<T>(value);
}
} // namespace

std::chrono::milliseconds Request::connectTimeout() const
{
    return d->overrides().connectTimeout.value_or(UseClientDefault);
}
void Request::setConnectTimeout(std::chrono::milliseconds timeout)
{
    d->overridesToChange().connectTimeout = overrideOf(timeout);
}
std::chrono::milliseconds Request::readTimeout() const { return d->overrides().readTimeout.value_or(UseClientDefault); }
void Request::setReadTimeout(std::chrono::milliseconds timeout)
{
    d->overridesToChange().readTimeout = overrideOf(timeout);
}
std::chrono::milliseconds Request::totalTimeout() const
{
    return d->overrides().totalTimeout.value_or(UseClientDefault);
}
void Request::setTotalTimeout(std::chrono::milliseconds timeout)
{
    d->overridesToChange().totalTimeout = overrideOf(timeout);
}

int Request::maximumRedirects() const { return d->overrides().maximumRedirects.value_or(-1); }
void Request::setMaximumRedirects(int maximum) { d->overridesToChange().maximumRedirects = overrideOf(maximum); }
std::optional<bool> Request::insecureRedirectsAllowed() const { return d->overrides().insecureRedirectsAllowed; }
void Request::setInsecureRedirectsAllowed(bool allowed) { d->overridesToChange().insecureRedirectsAllowed = allowed; }
QList<QByteArray> Request::sensitiveHeaders() const
{
    return d->overrides().sensitiveHeaders.value_or(QList<QByteArray>());
}
void Request::addSensitiveHeader(const QByteArray &name)
{
    QList<QByteArray> names = sensitiveHeaders();
    if (!names.contains(name))
        d->overridesToChange().sensitiveHeaders = names << name;
}

void Request::setCredentials(const QString &user, const QString &password)
{
    d->overridesToChange().credentials = user.isNull() ? std::nullopt
                                                       : std::optional<Credentials>(Credentials{user, password});
}
QString Request::user() const { return d->overrides().credentials ? d->overrides().credentials->user : QString(); }
QString Request::password() const
{
    return d->overrides().credentials ? d->overrides().credentials->password : QString();
}
std::optional<bool> Request::preemptiveAuthentication() const { return d->overrides().preemptiveAuthentication; }
void Request::setPreemptiveAuthentication(bool preemptive)
{
    d->overridesToChange().preemptiveAuthentication = preemptive;
}
QByteArray Request::bearerToken() const { return d->overrides().bearerToken.value_or(QByteArray()); }
void Request::setBearerToken(const QByteArray &token)
{
    d->overridesToChange().bearerToken = token.isEmpty() ? std::nullopt : std::optional<QByteArray>(token);
}
int Request::maximumAuthRetries() const { return d->overrides().maximumAuthRetries.value_or(-1); }
void Request::setMaximumAuthRetries(int maximum) { d->overridesToChange().maximumAuthRetries = overrideOf(maximum); }

std::optional<TlsOptions> Request::tlsOptions() const { return d->overrides().tls; }
void Request::setTlsOptions(const TlsOptions &options) { d->overridesToChange().tls = options; }
std::optional<Request::Protocol> Request::protocol() const { return d->overrides().protocol; }
void Request::setProtocol(Protocol protocol) { d->overridesToChange().protocol = protocol; }

int Request::priority() const { return d->priority; }
void Request::setPriority(int priority)
{
    const int clamped = std::clamp(priority, MinimumPriority, MaximumPriority);
    if (clamped != priority)
        qCWarning(lcClient) << "priority" << priority << "is out of range" << MinimumPriority << "to" << MaximumPriority
                            << "; using" << clamped;
    d->priority = clamped;
}
bool Request::usingCache() const { return d->usingCache; }
void Request::setUsingCache(bool use) { d->usingCache = use; }
std::optional<RetryPolicy> Request::retryPolicy() const { return d->overrides().retry; }
void Request::setRetryPolicy(const RetryPolicy &policy) { d->overridesToChange().retry = policy; }
qint64 Request::readBufferSize() const { return d->overrides().readBufferSize.value_or(-1); }
void Request::setReadBufferSize(qint64 bytes) { d->overridesToChange().readBufferSize = overrideOf(bytes); }
qint64 Request::maximumBodySize() const { return d->overrides().maximumBodySize.value_or(-1); }
void Request::setMaximumBodySize(qint64 bytes) { d->overridesToChange().maximumBodySize = overrideOf(bytes); }
Request::DataType Request::expectedDataType() const { return d->expectedDataType; }
void Request::setExpectedDataType(DataType type) { d->expectedDataType = type; }

namespace {

bool isTchar(char c)
{
    // RFC 9110 section 5.6.2
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool isToken(const QByteArray &s) { return !s.isEmpty() && std::all_of(s.cbegin(), s.cend(), isTchar); }

} // namespace

bool isValidMethod(const QByteArray &method) { return isToken(method); }
bool isValidHeaderName(const QByteArray &name) { return isToken(name); }

bool isValidHeaderValue(const QByteArray &value)
{
    return std::none_of(value.cbegin(), value.cend(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && u != '\t') || u == 0x7f;
    });
}

namespace RequestPrivate {

bool isQueryDataMethod(const QByteArray &method)
{
    static const QByteArray methods[] = {"GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"};
    return std::any_of(std::begin(methods), std::end(methods),
                       [&](const QByteArray &m) { return m.compare(method, Qt::CaseInsensitive) == 0; });
}

namespace {

// An object-like value as a JSON document, or a null document when \a data is not one.
QJsonDocument toJsonDocument(const QVariant &data)
{
    switch (data.typeId()) {
    case QMetaType::QJsonDocument: return data.toJsonDocument();
    case QMetaType::QJsonObject: return QJsonDocument(data.toJsonObject());
    case QMetaType::QJsonArray: return QJsonDocument(data.toJsonArray());
    case QMetaType::QVariantMap: return QJsonDocument(QJsonObject::fromVariantMap(data.toMap()));
    case QMetaType::QVariantHash: return QJsonDocument(QJsonObject::fromVariantHash(data.toHash()));
    case QMetaType::QVariantList:
    case QMetaType::QStringList: return QJsonDocument(QJsonArray::fromVariantList(data.toList()));
    default: return {};
    }
}

QString scalarToQueryValue(const QVariant &value)
{
    if (value.typeId() == QMetaType::Bool)
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.canConvert<QString>() && value.typeId() != QMetaType::QVariantMap
        && value.typeId() != QMetaType::QVariantList)
        return value.toString();
    // Nested structures go as compact JSON, which is what servers taking JSON in a query expect.
    const QJsonDocument doc = toJsonDocument(value);
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

} // namespace

bool resolveData(Request &request, QString *error)
{
    if (request.bodyKind() != Request::BodyKind::Data)
        return true;
    const QVariant data = request.data();
    const bool asQuery = isQueryDataMethod(request.method());

    if (!data.isValid() || data.isNull()) {
        request.clearBody();
        return true;
    }
    if (data.typeId() == QMetaType::QByteArray) {
        request.setBody(data.toByteArray());
        return true;
    }
    if (data.typeId() == QMetaType::QString) {
        const QString text = data.toString();
        if (asQuery) {
            request.clearBody();
            QUrlQuery query = request.query();
            for (const auto &[key, value] : QUrlQuery(text).queryItems(QUrl::FullyDecoded))
                query.addQueryItem(key, value);
            request.setQuery(query);
        } else {
            request.setText(text);
        }
        return true;
    }

    const QJsonDocument doc = toJsonDocument(data);
    if (doc.isNull()) {
        *error = QStringLiteral("the request data has the type %1, which is neither bytes, text nor an object: give a "
                                "QByteArray, a QString, or a QVariantMap, QVariantList or JSON document (a number "
                                "as QString::number(), a date as text), or set the body on a Request")
                     .arg(QString::fromLatin1(data.metaType().name()));
        return false;
    }
    if (!asQuery) {
        request.setJson(doc);
        return true;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("an array cannot be sent as the query parameters of a %1 request")
                     .arg(QString::fromLatin1(request.method()));
        return false;
    }
    request.clearBody();
    QUrlQuery query = request.query();
    const QVariantMap map = doc.object().toVariantMap();
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        query.addQueryItem(it.key(), scalarToQueryValue(it.value()));
    request.setQuery(query);
    return true;
}

Failure validate(Request *request, const QByteArray &userAgent, const QByteArray &bearerToken, const QString &user,
                 const QString &password)
{
    const auto invalid = [](const QString &why) {
        return Failure{Response::ProtocolInvalidOperation, QStringLiteral("Invalid request: ") + why};
    };
    const QUrl u = request->url();
    if (u.isEmpty())
        return {Response::ProtocolUnknown, QStringLiteral("Unsupported protocol: no URL was given")};
    if (!u.isValid())
        return invalid(QStringLiteral("the URL is not valid (%1)").arg(u.errorString()));
    const QString scheme = u.scheme().toLower();
    if (scheme.isEmpty())
        return {
            Response::ProtocolUnknown,
            QStringLiteral(
                "Unsupported protocol: the URL \"%1\" has no scheme, and the client no base URL to resolve it against")
                .arg(Url::redacted(u))};
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return {Response::ProtocolUnknown,
                QStringLiteral("Unsupported protocol: \"%1\" URLs are not supported, only http and https").arg(scheme)};
    if (u.host().isEmpty())
        return invalid(QStringLiteral("the URL \"%1\" has no host").arg(Url::redacted(u)));
    if (!isValidMethod(request->method()))
        return invalid(
            QStringLiteral("the method \"%1\" is not an HTTP token").arg(Headers::printable(request->method())));
    const QList<QPair<QByteArray, QByteArray>> headers = request->headers();
    for (const auto &[name, value] : headers) {
        if (!isValidHeaderName(name))
            return invalid(QStringLiteral("the header name \"%1\" is not an HTTP token").arg(Headers::printable(name)));
        if (!isValidHeaderValue(value))
            return invalid(
                QStringLiteral("the value of header \"%1\" contains CR, LF, NUL or another control character")
                    .arg(Headers::printable(name)));
    }
    if (!isValidHeaderValue(bearerToken))
        return invalid(QStringLiteral("the bearer token contains CR, LF, NUL or another control character"));
    if (!isValidHeaderValue(userAgent))
        return invalid(QStringLiteral("the user agent contains CR, LF, NUL or another control character"));
    // RFC 7617 and 7616 allow no control character in a user name or password, and Digest puts
    // the user name in a quoted string, where a line break would end the header. Not quoted here.
    const bool fromUrl = user.isEmpty();
    QString name = fromUrl ? QString() : user;
    QString secret = fromUrl ? QString() : password;
    if (fromUrl && !u.userInfo().isEmpty()) {
        name = u.userName(QUrl::FullyDecoded);
        secret = u.password(QUrl::FullyDecoded);
    }
    const auto control = [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; };
    if (std::any_of(name.cbegin(), name.cend(), control) || std::any_of(secret.cbegin(), secret.cend(), control))
        return invalid(QStringLiteral("the user name or password contains CR, LF, NUL or another control character"));

    switch (request->bodyKind()) {
    case Request::BodyKind::Device:
        if (!request->bodyDevice())
            return invalid(QStringLiteral("the body device is null or was deleted"));
        if (!request->bodyDevice()->isReadable())
            return invalid(QStringLiteral("the body device is not open for reading"));
        break;
    case Request::BodyKind::Multipart:
        if (!request->multipart())
            return invalid(QStringLiteral("the multipart body is null or was deleted"));
        break;
    case Request::BodyKind::Data: {
        QString why;
        Request resolved = *request;
        if (!resolveData(resolved, &why))
            return invalid(why);
        *request = resolved;
        break;
    }
    case Request::BodyKind::None:
    case Request::BodyKind::Bytes: break;
    }
    return {};
}

} // namespace RequestPrivate

} // namespace Courier
