#include "options.h"

#include <Courier/RetryPolicy>

#include <QtCore/QByteArray>
#include <QtCore/QMetaType>

#include <cmath>
#include <functional>

namespace Courier::Qml {

namespace {

QString typeName(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QString: return QStringLiteral("a string");
    case QMetaType::Bool: return QStringLiteral("a boolean");
    case QMetaType::Double:
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt: return QStringLiteral("a number");
    case QMetaType::QVariantMap: return QStringLiteral("an object");
    case QMetaType::QVariantList: return QStringLiteral("an array");
    case QMetaType::QByteArray: return QStringLiteral("an ArrayBuffer");
    case QMetaType::UnknownType: return QStringLiteral("undefined");
    case QMetaType::Nullptr: return QStringLiteral("null");
    default: return QString::fromLatin1(value.typeName());
    }
}

bool isNumber(const QVariant &value)
{
    const int id = value.typeId();
    return id == QMetaType::Double || id == QMetaType::Int || id == QMetaType::LongLong || id == QMetaType::UInt;
}

// An integer in [minimum, maximum], or nothing.
std::optional<qint64> integer(const QVariant &value, qint64 minimum, qint64 maximum)
{
    if (!isNumber(value))
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || d < double(minimum) || d > double(maximum))
        return std::nullopt;
    return qint64(d);
}

} // namespace

void applyOptions(const QVariantMap &options, Request &request, ExtraOptions &extra, QStringList &warnings)
{
    const auto wrongType = [&](const QString &key, const QVariant &value, const QString &expected) {
        warnings.append(
            QStringLiteral("option \"%1\" must be %2, not %3; ignored").arg(key, expected, typeName(value)));
    };
    // Options that take a whole number in a range.
    const auto number = [&](const QString &key, const QVariant &value, qint64 minimum, qint64 maximum,
                            const std::function<void(qint64)> &apply) {
        if (const auto n = integer(value, minimum, maximum))
            apply(*n);
        else
            wrongType(key, value, QStringLiteral("a whole number from %1 to %2").arg(minimum).arg(maximum));
    };
    const auto text = [&](const QString &key, const QVariant &value,
                          const std::function<void(const QString &)> &apply) {
        if (value.typeId() == QMetaType::QString)
            apply(value.toString());
        else
            wrongType(key, value, QStringLiteral("a string"));
    };
    constexpr qint64 MaxMsecs = std::numeric_limits<int>::max();

    for (auto it = options.cbegin(); it != options.cend(); ++it) {
        const QString &key = it.key();
        const QVariant &value = it.value();
        if (key == QLatin1String("method")) {
            text(key, value, [&](const QString &m) { request.setMethod(m.toLatin1()); });
        } else if (key == QLatin1String("header")) {
            if (value.typeId() != QMetaType::QVariantMap) {
                wrongType(key, value, QStringLiteral("an object of header names and values"));
                continue;
            }
            const QVariantMap headers = value.toMap();
            for (auto h = headers.cbegin(); h != headers.cend(); ++h) {
                if (h.value().typeId() == QMetaType::QString || isNumber(h.value())
                    || h.value().typeId() == QMetaType::Bool)
                    request.setHeader(h.key().toLatin1(), h.value().toString().toUtf8());
                else
                    wrongType(QStringLiteral("header.") + h.key(), h.value(), QStringLiteral("a string"));
            }
        } else if (key == QLatin1String("extraData")) {
            const int id = value.typeId();
            if (id == QMetaType::QString || id == QMetaType::QVariantMap || id == QMetaType::QVariantList
                || id == QMetaType::QByteArray)
                request.setData(value);
            else
                wrongType(key, value, QStringLiteral("a string, an object or an ArrayBuffer"));
        } else if (key == QLatin1String("expectDataType")) {
            number(key, value, 0, 2, [&](qint64 n) {
                static constexpr Request::DataType types[] = {Request::DataType::Text, Request::DataType::Json,
                                                              Request::DataType::Bytes};
                request.setExpectedDataType(types[n]);
            });
        } else if (key == QLatin1String("usingCache")) {
            if (value.typeId() == QMetaType::Bool)
                request.setUsingCache(value.toBool());
            else
                wrongType(key, value, QStringLiteral("a boolean"));
        } else if (key == QLatin1String("priority")) {
            number(key, value, Request::MinimumPriority, Request::MaximumPriority,
                   [&](qint64 n) { request.setPriority(int(n)); });
        } else if (key == QLatin1String("connectTimeout")) {
            number(key, value, 0, MaxMsecs, [&](qint64 n) { request.setConnectTimeout(int(n)); });
        } else if (key == QLatin1String("readTimeout")) {
            number(key, value, 0, MaxMsecs, [&](qint64 n) { request.setReadTimeout(int(n)); });
        } else if (key == QLatin1String("timeout")) {
            number(key, value, 0, MaxMsecs, [&](qint64 n) { request.setTotalTimeout(int(n)); });
        } else if (key == QLatin1String("usingProtocol")) {
            number(key, value, 0, 1, [&](qint64 n) {
                request.setProtocol(n == qint64(ProtocolOption::Http1_1) ? Request::Protocol::Http1
                                                                         : Request::Protocol::Http2);
            });
        } else if (key == QLatin1String("maxRedirects")) {
            number(key, value, 0, 1000, [&](qint64 n) { request.setMaximumRedirects(int(n)); });
        } else if (key == QLatin1String("retry")) {
            number(key, value, 0, 100, [&](qint64 n) { request.setRetryPolicy(RetryPolicy(int(n) + 1)); });
        } else if (key == QLatin1String("username")) {
            text(key, value, [&](const QString &user) { request.setCredentials(user, request.password()); });
        } else if (key == QLatin1String("password")) {
            text(key, value, [&](const QString &password) {
                request.setCredentials(request.user().isNull() ? QStringLiteral("") : request.user(), password);
            });
        } else if (key == QLatin1String("bearer")) {
            text(key, value, [&](const QString &token) { request.setBearerToken(token.toUtf8()); });
        } else if (key == QLatin1String("context")) {
            QObject *object = value.value<QObject *>();
            if (object)
                extra.context = object;
            else
                wrongType(key, value, QStringLiteral("an object (an Item or any QtObject)"));
        } else {
            warnings.append(QStringLiteral("unknown option \"%1\"; ignored").arg(key));
        }
    }
}

} // namespace Courier::Qml
