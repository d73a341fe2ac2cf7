// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "options.h"

#include <Courier/RetryPolicy>

#include <QtCore/QByteArray>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QMetaType>
#include <QtCore/QMimeDatabase>
#include <QtCore/QUrl>
#include <QtNetwork/QHttpMultiPart>

#include <cmath>
#include <functional>
#include <optional>

namespace Courier::Qml {

QString typeName(const QVariant &value)
{
    if (value.metaType() == QMetaType::fromType<FunctionOption>())
        return QStringLiteral("a function");
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
    case QMetaType::QUrl: return QStringLiteral("a url");
    default: return QString::fromLatin1(value.typeName());
    }
}

QString localPath(const QString &pathOrUrl)
{
    if (pathOrUrl.startsWith(QLatin1String("file:")))
        return QUrl(pathOrUrl).toLocalFile();
    if (pathOrUrl.startsWith(QLatin1String("qrc:")))
        return QLatin1Char(':') + QUrl(pathOrUrl).path();
    if (pathOrUrl.contains(QLatin1String("://")))
        return QString();
    return pathOrUrl;
}

namespace {

bool isNumber(const QVariant &value)
{
    const int id = value.typeId();
    return id == QMetaType::Double || id == QMetaType::Int || id == QMetaType::LongLong || id == QMetaType::UInt;
}

bool isText(const QVariant &value) { return value.typeId() == QMetaType::QString || value.typeId() == QMetaType::QUrl; }

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

// The options object being applied: each key's rule, and the problems found.
class Applier
{
public:
    Applier(OptionsFor use_, Request &request_, ExtraOptions &extra_)
        : use(use_)
        , request(request_)
        , extra(extra_)
    {
    }

    void apply(const QVariantMap &options);
    QStringList problems;

private:
    void wrongType(const QString &key, const QVariant &value, const QString &expected)
    {
        problems.append(QStringLiteral("option \"%1\" must be %2, not %3").arg(key, expected, typeName(value)));
    }
    void number(const QString &key, const QVariant &value, qint64 minimum, qint64 maximum,
                const std::function<void(qint64)> &apply)
    {
        if (const auto n = integer(value, minimum, maximum))
            apply(*n);
        else
            wrongType(key, value, QStringLiteral("a whole number from %1 to %2").arg(minimum).arg(maximum));
    }
    void text(const QString &key, const QVariant &value, const std::function<void(const QString &)> &apply)
    {
        if (isText(value))
            apply(value.toString());
        else
            wrongType(key, value, QStringLiteral("a string"));
    }
    void boolean(const QString &key, const QVariant &value, const std::function<void(bool)> &apply)
    {
        if (value.typeId() == QMetaType::Bool)
            apply(value.toBool());
        else
            wrongType(key, value, QStringLiteral("a boolean"));
    }
    // The one body an options object may give; false (and a problem named) for a second one.
    bool claimBody(const QString &key)
    {
        if (!std::exchange(bodySet, true))
            return true;
        problems.append(QStringLiteral("option \"%1\" is a second body; give one of body, file, multipart").arg(key));
        return false;
    }
    void stream(const QString &key, const QVariant &value);
    void callback(const QString &key, const QVariant &value);
    void checkStream(const QVariantMap &options);
    void headers(const QString &key, const QVariant &value);
    void data(const QString &key, const QVariant &value);
    void file(const QString &key, const QVariant &value);
    void multipart(const QString &key, const QVariant &value);
    QFile *openFile(const QString &key, const QVariant &value);

    OptionsFor use;
    Request &request;
    ExtraOptions &extra;
    bool bodySet = false;
    QString streamName; // the value of "stream", as given
    QStringList callbacks; // the callback options given as functions
};

// The options of a streamed request (stream and what goes with it): not download()'s.
bool isStreamOption(const QString &key)
{
    return key == QLatin1String("stream") || key == QLatin1String("maximumItemSize") || key == QLatin1String("onValue")
        || key == QLatin1String("onParseError") || key == QLatin1String("onEvent");
}

void Applier::apply(const QVariantMap &options)
{
    constexpr qint64 MaxMsecs = std::numeric_limits<int>::max();
    constexpr qint64 MaxSafeInteger = (qint64(1) << 53) - 1; // the largest a JavaScript number holds exactly
    // The web's names beside the platform's: both may not be given at once.
    static const QList<QPair<QLatin1String, QLatin1String>> aliases{
        {QLatin1String("header"), QLatin1String("headers")},
        {QLatin1String("extraData"), QLatin1String("body")},
    };
    for (const auto &[platform, web] : aliases) {
        if (options.contains(platform) && options.contains(web))
            problems.append(
                QStringLiteral("options \"%1\" and \"%2\" are the same option; give one").arg(platform, web));
    }

    for (auto it = options.cbegin(); it != options.cend(); ++it) {
        const QString &key = it.key();
        const QVariant &value = it.value();
        if (key == QLatin1String("method")) {
            text(key, value, [&](const QString &m) { request.setMethod(m.toLatin1()); });
        } else if (key == QLatin1String("header") || key == QLatin1String("headers")) {
            headers(key, value);
        } else if (key == QLatin1String("extraData") || key == QLatin1String("body")) {
            data(key, value);
        } else if (key == QLatin1String("file")) {
            file(key, value);
        } else if (key == QLatin1String("multipart")) {
            multipart(key, value);
        } else if (key == QLatin1String("expectDataType")) {
            number(key, value, 0, 3, [&](qint64 n) { request.setExpectedDataType(Request::DataType(n)); });
        } else if (key == QLatin1String("usingCache")) {
            boolean(key, value, [&](bool b) { request.setUsingCache(b); });
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
            if (QObject *object = value.value<QObject *>())
                extra.context = object;
            else
                wrongType(key, value, QStringLiteral("an object (an Item or any QtObject)"));
        } else if (use == OptionsFor::Request && key == QLatin1String("stream")) {
            stream(key, value);
        } else if (use == OptionsFor::Request && key == QLatin1String("maximumItemSize")) {
            number(key, value, 0, MaxSafeInteger, [&](qint64 n) { extra.maximumItemSize = n; });
        } else if (use == OptionsFor::Request && isStreamOption(key)) {
            callback(key, value);
        } else if (use == OptionsFor::Download && key == QLatin1String("resume")) {
            boolean(key, value, [&](bool b) { extra.download.setResume(b); });
        } else if (use == OptionsFor::Download && key == QLatin1String("sha256")) {
            text(key, value, [&](const QString &hex) { extra.download.setSha256(hex.toLatin1()); });
        } else {
            QString hint;
            if (use == OptionsFor::Request && (key == QLatin1String("resume") || key == QLatin1String("sha256")))
                hint = QStringLiteral(" (it is one of download()'s)");
            else if (use == OptionsFor::Download && isStreamOption(key))
                hint = QStringLiteral(" (download() saves the body to a file: it is not streamed)");
            problems.append(QStringLiteral("option \"%1\" is unknown%2").arg(key, hint));
        }
    }
    checkStream(options);
}

void Applier::stream(const QString &key, const QVariant &value)
{
    if (!isText(value))
        return wrongType(key, value, QStringLiteral("a string"));
    streamName = value.toString();
    if (streamName == QLatin1String("jsonlines") || streamName == QLatin1String("ndjson"))
        extra.stream = StreamFormat::JsonLines;
    else if (streamName == QLatin1String("events"))
        extra.stream = StreamFormat::Events;
    else
        problems.append(QStringLiteral("option \"%1\" must be \"jsonlines\", \"ndjson\" or \"events\", not \"%2\"")
                            .arg(key, streamName));
}

void Applier::callback(const QString &key, const QVariant &value)
{
    if (value.metaType() == QMetaType::fromType<FunctionOption>())
        callbacks.append(key);
    else
        wrongType(key, value, QStringLiteral("a function"));
}

// What goes with "stream" is given with the stream it is for, and result is not asked for.
void Applier::checkStream(const QVariantMap &options)
{
    if (extra.stream == StreamFormat::None && options.contains(QStringLiteral("stream")))
        return; // a stream that is none: named already
    for (const QString &key : std::as_const(callbacks)) {
        const bool events = key == QLatin1String("onEvent");
        if (extra.stream == (events ? StreamFormat::Events : StreamFormat::JsonLines))
            continue;
        problems.append(QStringLiteral("option \"%1\" is for stream: \"%2\"%3")
                            .arg(key, events ? QStringLiteral("events") : QStringLiteral("jsonlines"),
                                 extra.stream == StreamFormat::None ? QStringLiteral(", and no stream was given")
                                                                    : QStringLiteral(", not \"%1\"").arg(streamName)));
    }
    if (extra.stream == StreamFormat::None && options.contains(QStringLiteral("maximumItemSize")))
        problems.append(QStringLiteral("option \"maximumItemSize\" is for a stream, and no stream was given"));
    if (extra.stream != StreamFormat::None && options.contains(QStringLiteral("expectDataType")))
        problems.append(QStringLiteral("option \"expectDataType\" cannot come with \"stream\": a streamed body "
                                       "goes to the callbacks, not to result"));
}

void Applier::headers(const QString &key, const QVariant &value)
{
    if (value.typeId() != QMetaType::QVariantMap)
        return wrongType(key, value, QStringLiteral("an object of header names and values"));
    const QVariantMap headers = value.toMap();
    for (auto h = headers.cbegin(); h != headers.cend(); ++h) {
        if (isText(h.value()) || isNumber(h.value()) || h.value().typeId() == QMetaType::Bool)
            request.setHeader(h.key().toLatin1(), h.value().toString().toUtf8());
        else
            wrongType(key + QLatin1Char('.') + h.key(), h.value(), QStringLiteral("a string"));
    }
}

void Applier::data(const QString &key, const QVariant &value)
{
    const int id = value.typeId();
    if (id != QMetaType::QString && id != QMetaType::QVariantMap && id != QMetaType::QVariantList
        && id != QMetaType::QByteArray)
        return wrongType(key, value, QStringLiteral("a string, an object, an array or an ArrayBuffer"));
    if (!claimBody(key))
        return;
    request.setData(value);
}

QFile *Applier::openFile(const QString &key, const QVariant &value)
{
    if (!isText(value)) {
        wrongType(key, value, QStringLiteral("a file path or a file: URL"));
        return nullptr;
    }
    const QString path = localPath(value.toString());
    if (path.isEmpty()) {
        problems.append(QStringLiteral("option \"%1\": \"%2\" is no local file").arg(key, value.toString()));
        return nullptr;
    }
    auto *file = new QFile(path);
    extra.owned.append(file);
    if (QFileInfo(path).isDir() || !file->open(QIODevice::ReadOnly)) {
        problems.append(
            QStringLiteral("option \"%1\": cannot read \"%2\" (%3)")
                .arg(key, path, QFileInfo(path).isDir() ? QStringLiteral("a folder") : file->errorString()));
        return nullptr;
    }
    return file;
}

void Applier::file(const QString &key, const QVariant &value)
{
    QFile *file = openFile(key, value);
    if (!file)
        return;
    if (!claimBody(key))
        return;
    const QByteArray type = request.hasHeader("Content-Type")
        ? QByteArray()
        : QMimeDatabase().mimeTypeForFile(file->fileName()).name().toLatin1();
    request.setBodyDevice(file, file->size(), type);
}

void Applier::multipart(const QString &key, const QVariant &value)
{
    if (value.typeId() != QMetaType::QVariantMap)
        return wrongType(key, value, QStringLiteral("an object of form fields"));
    if (!claimBody(key))
        return;
    auto *multi = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    extra.owned.append(multi);
    const QVariantMap fields = value.toMap();
    const auto quoted = [](QString s) {
        return s.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
    };
    for (auto f = fields.cbegin(); f != fields.cend(); ++f) {
        const QString name = f.key();
        const QString where = key + QLatin1Char('.') + name;
        if (name.contains(QLatin1Char('\r')) || name.contains(QLatin1Char('\n'))) {
            problems.append(QStringLiteral("option \"%1\": a field name may not contain CR or LF").arg(key));
            continue;
        }
        QHttpPart part;
        QString disposition = QStringLiteral("form-data; name=\"%1\"").arg(quoted(name));
        const QVariant v = f.value();
        if (isText(v) || isNumber(v) || v.typeId() == QMetaType::Bool) {
            part.setBody(v.toString().toUtf8());
        } else if (v.typeId() == QMetaType::QByteArray) {
            part.setBody(v.toByteArray());
        } else if (v.typeId() == QMetaType::QVariantMap) {
            // { file: path, filename: "shown name", contentType: "type/subtype" }
            const QVariantMap spec = v.toMap();
            for (auto s = spec.cbegin(); s != spec.cend(); ++s) {
                if (s.key() != QLatin1String("file") && s.key() != QLatin1String("filename")
                    && s.key() != QLatin1String("contentType"))
                    problems.append(QStringLiteral("option \"%1.%2\" is unknown (a file field has file, filename "
                                                   "and contentType)")
                                        .arg(where, s.key()));
            }
            if (!spec.contains(QStringLiteral("file"))) {
                problems.append(
                    QStringLiteral("option \"%1\" needs \"file\", the path of the file to send").arg(where));
                continue;
            }
            QFile *file = openFile(where + QLatin1String(".file"), spec.value(QStringLiteral("file")));
            if (!file)
                continue;
            const QVariant shown = spec.value(QStringLiteral("filename"), QFileInfo(file->fileName()).fileName());
            const QVariant type = spec.value(QStringLiteral("contentType"),
                                             QMimeDatabase().mimeTypeForFile(file->fileName()).name());
            if (!isText(shown) || !isText(type)) {
                wrongType(where + QLatin1String(isText(shown) ? ".contentType" : ".filename"),
                          isText(shown) ? type : shown, QStringLiteral("a string"));
                continue;
            }
            const QString shownName = shown.toString();
            if (shownName.contains(QLatin1Char('\r')) || shownName.contains(QLatin1Char('\n'))
                || type.toString().contains(QLatin1Char('\r')) || type.toString().contains(QLatin1Char('\n'))) {
                problems.append(
                    QStringLiteral("option \"%1\": filename and contentType may not contain CR or LF").arg(where));
                continue;
            }
            disposition += QStringLiteral("; filename=\"%1\"").arg(quoted(shownName));
            part.setHeader(QNetworkRequest::ContentTypeHeader, type.toString().toLatin1());
            part.setBodyDevice(file);
            file->setParent(multi); // the multipart reads it; it goes with the multipart
            extra.owned.removeAll(file);
        } else {
            wrongType(where, v,
                      QStringLiteral("a string, a number, an ArrayBuffer or { file, filename, contentType }"));
            continue;
        }
        part.setHeader(QNetworkRequest::ContentDispositionHeader, disposition.toUtf8());
        multi->append(part);
    }
    request.setMultipart(multi);
}

} // namespace

QString applyOptions(const QVariantMap &options, OptionsFor use, Request &request, ExtraOptions &extra)
{
    Applier applier(use, request, extra);
    applier.apply(options);
    return applier.problems.join(QStringLiteral("; "));
}

} // namespace Courier::Qml
