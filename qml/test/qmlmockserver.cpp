// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "qmlmockserver.h"

#include <Courier/MockRequest>
#include <Courier/MockResponse>

#include <QtCore/QHash>
#include <QtCore/QMetaEnum>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtNetwork/QSslCertificate>
#include <QtQml/QJSEngine>
#include <QtQml/QJSValueIterator>
#include <QtQml/qqmlinfo.h>

#include <chrono>
#include <cmath>
#include <limits>

namespace Courier::Qml {

namespace {

using Fault = MockResponse::Fault;
using Phase = MockResponse::Phase;
using std::chrono::milliseconds;

constexpr qint64 MaxSafeInteger = (qint64(1) << 53) - 1; // JavaScript's Number.MAX_SAFE_INTEGER

const QStringList ResponseKeys = {
    QStringLiteral("status"),     QStringLiteral("reason"),   QStringLiteral("headers"),
    QStringLiteral("body"),       QStringLiteral("bodyFile"), QStringLiteral("chunked"),
    QStringLiteral("chunkSize"),  QStringLiteral("throttle"), QStringLiteral("headersDelay"),
    QStringLiteral("bodyDelay"),  QStringLiteral("fault"),    QStringLiteral("phase"),
    QStringLiteral("afterBytes"), QStringLiteral("raw"),
};
// What may come with raw bytes: the fault that follows them.
const QStringList RawKeys = {QStringLiteral("raw"), QStringLiteral("fault"), QStringLiteral("phase"),
                             QStringLiteral("afterBytes")};

/*! The names QML gives a Q_ENUM's keys: the key with a lower-case first letter. */
template <typename Enum>
QHash<QString, Enum> enumNames()
{
    const QMetaEnum meta = QMetaEnum::fromType<Enum>();
    QHash<QString, Enum> names;
    for (int i = 0; i < meta.keyCount(); ++i) {
        QString name = QString::fromLatin1(meta.key(i));
        name[0] = name.at(0).toLower();
        names.insert(name, Enum(meta.value(i)));
    }
    return names;
}

QString quoted(const QStringList &names)
{
    QStringList sorted = names;
    sorted.sort();
    return QLatin1Char('"') + sorted.join(QLatin1String("\", \"")) + QLatin1Char('"');
}

/*! The bytes of an ArrayBuffer, or of a view of one (a Uint8Array, a DataView, ...). */
bool binary(const QJSValue &value, QByteArray *bytes = nullptr)
{
    if (!value.isObject() || value.isArray() || value.isCallable() || value.isQObject())
        return false;
    const QJSValue buffer = value.property(QStringLiteral("buffer"));
    const bool view = buffer.isObject() && value.property(QStringLiteral("byteOffset")).isNumber();
    const QVariant whole = (view ? buffer : value).toVariant();
    if (whole.metaType() != QMetaType::fromType<QByteArray>())
        return false;
    if (bytes) {
        *bytes = view ? whole.toByteArray().mid(value.property(QStringLiteral("byteOffset")).toInt(),
                                                value.property(QStringLiteral("byteLength")).toInt())
                      : whole.toByteArray();
    }
    return true;
}

/*! What \a value is, for a message: "a number (3)", "an ArrayBuffer", ... */
QString describe(const QJSValue &value)
{
    if (value.isUndefined())
        return QStringLiteral("undefined");
    if (value.isNull())
        return QStringLiteral("null");
    if (value.isBool())
        return QStringLiteral("a boolean (%1)").arg(value.toString());
    if (value.isNumber())
        return QStringLiteral("a number (%1)").arg(value.toString());
    if (value.isString()) {
        const QString text = value.toString();
        return QStringLiteral("the string \"%1\"").arg(text.size() > 40 ? text.left(40) + QStringLiteral("...") : text);
    }
    if (value.isArray())
        return QStringLiteral("an array");
    if (value.isCallable())
        return QStringLiteral("a function");
    if (value.isDate())
        return QStringLiteral("a Date");
    if (binary(value))
        return QStringLiteral("binary data");
    return QStringLiteral("an object");
}

bool isPlainObject(const QJSValue &value)
{
    return value.isObject() && !value.isArray() && !value.isCallable() && !value.isDate() && !value.isRegExp()
        && !value.isQObject() && !value.isVariant() && !binary(value);
}

/*! Reads an answer object into a MockResponse; the first problem goes to \a problem. */
class ResponseReader
{
public:
    explicit ResponseReader(QJSEngine *engine)
        : m_engine(engine)
    {
    }

    bool read(const QJSValue &spec, MockResponse *response);
    QString problem;

private:
    bool fail(const QString &message)
    {
        problem = message;
        return false;
    }
    bool integer(const QString &key, qint64 min, qint64 max, qint64 *out);
    bool integerIn(const QJSValue &value, const QString &key, qint64 min, qint64 max, qint64 *out);
    bool bytes(const QString &key, QByteArray *out);
    bool body(MockResponse *response);
    bool headers(MockResponse *response);
    bool throttle(MockResponse *response);
    template <typename Enum>
    bool choice(const QString &key, const QHash<QString, Enum> &names, Enum *out);

    QJSEngine *m_engine;
    QHash<QString, QJSValue> m_keys; // the keys given, undefined ones left out
};

bool ResponseReader::integerIn(const QJSValue &value, const QString &key, qint64 min, qint64 max, qint64 *out)
{
    const double number = value.toNumber();
    if (!value.isNumber() || std::trunc(number) != number || number < double(min) || number > double(max)) {
        const QString range = max == MaxSafeInteger ? QStringLiteral("an integer of at least %1").arg(min)
                                                    : QStringLiteral("an integer from %1 to %2").arg(min).arg(max);
        return fail(QStringLiteral("%1 is %2, not %3").arg(key, range, describe(value)));
    }
    *out = qint64(number);
    return true;
}

bool ResponseReader::integer(const QString &key, qint64 min, qint64 max, qint64 *out)
{
    return integerIn(m_keys.value(key), key, min, max, out);
}

bool ResponseReader::bytes(const QString &key, QByteArray *out)
{
    const QJSValue value = m_keys.value(key);
    if (value.isString())
        *out = value.toString().toUtf8();
    else if (!binary(value, out))
        return fail(
            QStringLiteral("%1 is a string or an ArrayBuffer (or a view of one), not %2").arg(key, describe(value)));
    return true;
}

template <typename Enum>
bool ResponseReader::choice(const QString &key, const QHash<QString, Enum> &names, Enum *out)
{
    const QJSValue value = m_keys.value(key);
    if (!value.isString() || !names.contains(value.toString()))
        return fail(QStringLiteral("%1 is one of %2, not %3").arg(key, quoted(names.keys()), describe(value)));
    *out = names.value(value.toString());
    return true;
}

bool ResponseReader::body(MockResponse *response)
{
    const QJSValue value = m_keys.value(QStringLiteral("body"));
    if (value.isString() || binary(value)) {
        QByteArray content;
        bytes(QStringLiteral("body"), &content);
        response->setBody(content);
        return true;
    }
    if (!value.isArray() && !isPlainObject(value)) {
        return fail(QStringLiteral("body is a string, an ArrayBuffer (or a view of one), or an object or array "
                                   "to send as JSON, not %1")
                        .arg(describe(value)));
    }
    // JSON as JavaScript writes it: undefined members left out, toJSON() honoured.
    const QJSValue json
        = m_engine->globalObject().property(QStringLiteral("JSON")).property(QStringLiteral("stringify")).call({value});
    if (json.isError() || !json.isString())
        return fail(QStringLiteral("body cannot be written as JSON: %1").arg(json.toString()));
    response->setBody(json.toString().toUtf8());
    response->setHeader("Content-Type", "application/json");
    return true;
}

bool ResponseReader::headers(MockResponse *response)
{
    const QJSValue value = m_keys.value(QStringLiteral("headers"));
    if (!isPlainObject(value))
        return fail(QStringLiteral("headers is an object of names and values, not %1").arg(describe(value)));
    QJSValueIterator it(value);
    while (it.hasNext()) {
        it.next();
        const QString field = it.name();
        const QJSValue values = it.value();
        QList<QJSValue> list;
        if (values.isArray()) {
            const int length = values.property(QStringLiteral("length")).toInt();
            for (int i = 0; i < length; ++i)
                list.append(values.property(quint32(i)));
        } else {
            list.append(values);
        }
        // Replaces a field of the same name the body brought (Content-Type).
        response->removeHeader(field.toUtf8());
        for (const QJSValue &one : std::as_const(list)) {
            if (!one.isString() && !one.isNumber()) {
                return fail(QStringLiteral("headers[\"%1\"] is a string, a number or an array of them, not %2")
                                .arg(field, describe(one)));
            }
            response->addHeader(field.toUtf8(), one.toString().toUtf8());
        }
    }
    return true;
}

bool ResponseReader::throttle(MockResponse *response)
{
    const QJSValue value = m_keys.value(QStringLiteral("throttle"));
    if (!isPlainObject(value))
        return fail(QStringLiteral("throttle is { bytes, period }, not %1").arg(describe(value)));
    QJSValueIterator it(value);
    while (it.hasNext()) {
        it.next();
        if (it.name() != QLatin1String("bytes") && it.name() != QLatin1String("period"))
            return fail(
                QStringLiteral("throttle has an unknown key \"%1\"; its keys are \"bytes\", \"period\"").arg(it.name()));
    }
    qint64 amount = 0;
    qint64 period = 0;
    if (!integerIn(value.property(QStringLiteral("bytes")), QStringLiteral("throttle.bytes"), 1, MaxSafeInteger,
                   &amount)
        || !integerIn(value.property(QStringLiteral("period")), QStringLiteral("throttle.period"), 0,
                      std::numeric_limits<int>::max(), &period)) {
        return false;
    }
    response->setThrottle(amount, milliseconds(period));
    return true;
}

bool ResponseReader::read(const QJSValue &spec, MockResponse *response)
{
    if (!isPlainObject(spec))
        return fail(QStringLiteral("an answer is an object such as { status: 200, body: \"text\" }, not %1")
                        .arg(describe(spec)));
    QJSValueIterator it(spec);
    while (it.hasNext()) {
        it.next();
        if (!ResponseKeys.contains(it.name())) {
            return fail(
                QStringLiteral("unknown key \"%1\"; the keys of an answer are %2").arg(it.name(), quoted(ResponseKeys)));
        }
        if (!it.value().isUndefined())
            m_keys.insert(it.name(), it.value());
    }
    const auto has = [this](const char *key) { return m_keys.contains(QLatin1String(key)); };

    // The fault, which decides the default body.
    Fault fault = Fault::None;
    Phase phase = Phase::Body;
    qint64 afterBytes = -1;
    if (has("fault")) {
        QHash<QString, Fault> faults = enumNames<Fault>();
        faults.remove(QStringLiteral("none"));
        if (!choice(QStringLiteral("fault"), faults, &fault))
            return false;
        if (has("phase") && !choice(QStringLiteral("phase"), enumNames<Phase>(), &phase))
            return false;
        if (has("afterBytes") && !integer(QStringLiteral("afterBytes"), 0, MaxSafeInteger, &afterBytes))
            return false;
    } else if (has("phase") || has("afterBytes")) {
        return fail(
            QStringLiteral("%1 is only given with fault").arg(QLatin1String(has("phase") ? "phase" : "afterBytes")));
    }

    if (has("raw")) {
        for (auto key = m_keys.keyBegin(); key != m_keys.keyEnd(); ++key) {
            if (!RawKeys.contains(*key))
                return fail(QStringLiteral("raw bytes are sent as they are: \"%1\" cannot come with raw").arg(*key));
        }
        QByteArray content;
        if (!bytes(QStringLiteral("raw"), &content))
            return false;
        *response = MockResponse::raw(content);
    } else {
        if (has("body") && has("bodyFile"))
            return fail(QStringLiteral("body and bodyFile cannot both be given"));
        // A fault with nothing to send: the 100-byte body of MockResponse::failing().
        const bool defaultBody = fault != Fault::None && !has("body") && !has("bodyFile");
        *response = defaultBody ? MockResponse::failing(fault, phase) : MockResponse();
        if (has("status") || has("reason")) {
            qint64 status = response->status();
            if (has("status") && !integer(QStringLiteral("status"), 100, 999, &status))
                return false;
            QByteArray reason; // null: the standard phrase
            if (has("reason")) {
                const QJSValue value = m_keys.value(QStringLiteral("reason"));
                if (!value.isString())
                    return fail(QStringLiteral("reason is a string, not %1").arg(describe(value)));
                reason = value.toString().isEmpty() ? QByteArray("") : value.toString().toUtf8();
            }
            response->setStatus(int(status), reason);
        }
        if (has("body") && !body(response))
            return false;
        if (has("bodyFile")) {
            const QJSValue value = m_keys.value(QStringLiteral("bodyFile"));
            if (!value.isString() || value.toString().isEmpty())
                return fail(QStringLiteral("bodyFile is a path or a file: URL, not %1").arg(describe(value)));
            const QUrl url(value.toString());
            response->setBodyFile(url.isLocalFile() ? url.toLocalFile() : value.toString());
        }
        if (has("headers") && !headers(response))
            return false;
        if (has("chunked")) {
            const QJSValue chunked = m_keys.value(QStringLiteral("chunked"));
            if (!chunked.isBool())
                return fail(QStringLiteral("chunked is a boolean, not %1").arg(describe(chunked)));
            qint64 size = 0;
            if (has("chunkSize") && !integer(QStringLiteral("chunkSize"), 0, MaxSafeInteger, &size))
                return false;
            if (has("chunkSize") && !chunked.toBool())
                return fail(QStringLiteral("chunkSize is only given with chunked: true"));
            if (chunked.toBool())
                response->setChunked(size);
        } else if (has("chunkSize")) {
            return fail(QStringLiteral("chunkSize is only given with chunked: true"));
        }
        if (has("throttle") && !throttle(response))
            return false;
        for (const char *key : {"headersDelay", "bodyDelay"}) {
            qint64 delay = 0;
            if (!has(key))
                continue;
            if (!integer(QLatin1String(key), 0, std::numeric_limits<int>::max(), &delay))
                return false;
            if (qstrcmp(key, "headersDelay") == 0)
                response->setHeadersDelay(milliseconds(delay));
            else
                response->setBodyDelay(milliseconds(delay));
        }
    }
    if (fault != Fault::None)
        response->setFault(fault, phase, afterBytes);
    return true;
}

} // namespace

MockServerObject::MockServerObject(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &Courier::MockServer::requestReceived, this, &MockServerObject::notifyChanges);
}

MockServerObject::~MockServerObject() = default;

void MockServerObject::setTls(bool tls)
{
    if (tls == m_tls)
        return;
    if (m_completed) {
        qmlWarning(this) << "MockServer: tls is read when the declaration completes; set it there";
        return;
    }
    m_tls = tls;
    Q_EMIT tlsChanged();
}

int MockServerObject::port() const { return m_server.isListening() ? int(m_server.port()) : m_port; }

void MockServerObject::setPort(int port)
{
    if (port == m_port)
        return;
    if (m_completed) {
        qmlWarning(this) << "MockServer: port is read when the declaration completes; set it there";
        return;
    }
    if (port < 0 || port > 65535) {
        qmlWarning(this) << "MockServer: port " << port << " is not from 0 to 65535";
        return;
    }
    m_port = port;
    m_toldPort = port;
    Q_EMIT portChanged();
}

QString MockServerObject::url() const { return m_server.isListening() ? m_server.url().toString() : QString(); }

QString MockServerObject::caCertificate() const
{
    const QSslCertificate ca = m_server.isTls() ? m_server.caCertificate() : QSslCertificate();
    return ca.isNull() ? QString() : QString::fromLatin1(ca.toPem());
}

void MockServerObject::componentComplete()
{
    m_completed = true;
    if (m_tls && !m_server.useTls())
        qmlWarning(this) << "MockServer: no https: " << m_server.errorString();
    else if (!m_server.listen(quint16(m_port)))
        qmlWarning(this) << "MockServer: cannot listen: " << m_server.errorString();
    notifyChanges();
}

void MockServerObject::notifyChanges()
{
    // Each value is read once and remembered before its signal, so that a handler that reads it
    // sees what was told.
    const auto tell = [this](auto &told, const auto &now, void (MockServerObject::*signal)()) {
        if (told != now) {
            told = now;
            Q_EMIT(this->*signal)();
        }
    };
    tell(m_toldListening, isListening(), &MockServerObject::listeningChanged);
    tell(m_toldPort, port(), &MockServerObject::portChanged);
    tell(m_toldUrl, url(), &MockServerObject::urlChanged);
    tell(m_toldError, errorString(), &MockServerObject::errorStringChanged);
    tell(m_toldCa, caCertificate(), &MockServerObject::caCertificateChanged);
    tell(m_toldConnections, connectionCount(), &MockServerObject::connectionCountChanged);
    tell(m_toldRequests, requestCount(), &MockServerObject::requestCountChanged);
}

bool MockServerObject::toResponse(const QJSValue &spec, const char *call, MockResponse *response)
{
    QJSEngine *engine = qjsEngine(this);
    if (!engine)
        return false;
    ResponseReader reader(engine);
    if (reader.read(spec, response))
        return true;
    engine->throwError(QJSValue::TypeError,
                       QStringLiteral("MockServer.%1(): %2").arg(QLatin1String(call), reader.problem));
    return false;
}

void MockServerObject::enqueue(const QJSValue &response)
{
    MockResponse answer;
    if (toResponse(response, "enqueue", &answer))
        m_server.enqueue(answer);
}

void MockServerObject::route(const QString &method, const QString &path, const QJSValue &response)
{
    MockResponse answer;
    if (toResponse(response, "route", &answer))
        m_server.route(method.toLatin1(), path, answer);
}

void MockServerObject::clearRoutes() { m_server.clearRoutes(); }

void MockServerObject::setDefaultResponse(const QJSValue &response)
{
    MockResponse answer;
    if (toResponse(response, "setDefaultResponse", &answer))
        m_server.setDefaultResponse(answer);
}

void MockServerObject::clearDefaultResponse() { m_server.clearDefaultResponse(); }

QJSValue MockServerObject::takeRequest(int timeout)
{
    const MockRequest request = m_server.takeRequest(milliseconds(qMax(timeout, 0)));
    notifyChanges();
    QJSEngine *engine = qjsEngine(this);
    if (!request.isValid() || !engine)
        return QJSValue(QJSValue::NullValue);
    QJSValue headers = engine->newObject();
    const auto fields = request.headers();
    for (const auto &[name, value] : fields) {
        // Repeated fields joined as HTTP joins them.
        const QString key = QString::fromLatin1(name).toLower();
        const QString text = QString::fromUtf8(value);
        headers.setProperty(
            key, headers.hasOwnProperty(key) ? headers.property(key).toString() + QStringLiteral(", ") + text : text);
    }
    QJSValue object = engine->newObject();
    object.setProperty(QStringLiteral("method"), QString::fromLatin1(request.method()));
    object.setProperty(QStringLiteral("target"), QString::fromLatin1(request.target()));
    object.setProperty(QStringLiteral("path"), request.path());
    object.setProperty(QStringLiteral("url"), request.url().toString());
    object.setProperty(QStringLiteral("httpVersion"), QString::fromLatin1(request.httpVersion()));
    object.setProperty(QStringLiteral("headers"), headers);
    object.setProperty(QStringLiteral("body"), QString::fromUtf8(request.body()));
    object.setProperty(QStringLiteral("complete"), request.isComplete());
    object.setProperty(QStringLiteral("connection"), request.connection());
    object.setProperty(QStringLiteral("sequenceNumber"), request.sequenceNumber());
    object.setProperty(QStringLiteral("index"), request.index());
    object.setProperty(QStringLiteral("encrypted"), request.isEncrypted());
    return object;
}

QString MockServerObject::urlFor(const QString &path) const
{
    if (!m_server.isListening())
        return QString();
    return m_server.url(path.startsWith(QLatin1Char('/')) ? path : QLatin1Char('/') + path).toString();
}

bool MockServerObject::isSatisfied() const { return m_server.isSatisfied(); }

QString MockServerObject::report() const { return m_server.report(); }

void MockServerObject::close()
{
    m_server.close();
    notifyChanges();
}

} // namespace Courier::Qml
