#include "download_p.h"

#include "headers_p.h"

#include "Courier/request.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtNetwork/QNetworkReply>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace Courier {

namespace {

// The validator If-Range may carry (RFC 9110 section 13.1.5): a strong entity tag, or else a
// Last-Modified date. Empty when the response has neither: it cannot be resumed.
QByteArray validatorOf(const QNetworkReply *reply)
{
    const QByteArray etag = reply->rawHeader("ETag").trimmed();
    if (etag.startsWith('"') && etag.endsWith('"') && etag.size() >= 2)
        return etag;
    const QByteArray lastModified = reply->rawHeader("Last-Modified").trimmed();
    if (Headers::parseHttpDate(lastModified).isValid())
        return lastModified;
    return {};
}

// "bytes first-last/length" (RFC 9110 section 14.4), length possibly "*": the first byte, or -1
// when the value is not that.
qint64 contentRangeStart(const QByteArray &value)
{
    const QByteArray v = value.trimmed();
    if (!v.startsWith("bytes "))
        return -1;
    const QByteArray range = v.mid(6).trimmed();
    const qsizetype dash = range.indexOf('-');
    const qsizetype slash = range.indexOf('/');
    if (dash <= 0 || slash < dash)
        return -1;
    bool okFirst = false, okLast = false;
    const qint64 first = range.left(dash).toLongLong(&okFirst);
    const qint64 last = range.mid(dash + 1, slash - dash - 1).toLongLong(&okLast);
    if (!okFirst || !okLast || first < 0 || last < first)
        return -1;
    return first;
}

} // namespace

DownloadSink::DownloadSink(const QString &path, const DownloadOptions &options)
    : m_path(QFileInfo(path).absoluteFilePath())
    , m_part(m_path + QLatin1String(".part"))
    , m_meta(m_path + QLatin1String(".part.meta"))
    , m_options(options)
{
}

DownloadSink::~DownloadSink() = default;

bool DownloadSink::fail(const QString &what, QString *why) const
{
    *why = what;
    return false;
}

bool DownloadSink::prepare(Request &request, QString *why)
{
    const QFileInfo target(m_path);
    const QFileInfo folder(target.absolutePath());
    if (target.isDir())
        return fail(QStringLiteral("Invalid request: the download target %1 is a folder").arg(m_path), why);
    if (!folder.isDir() || !folder.isWritable())
        return fail(QStringLiteral("Invalid request: cannot write to the folder %1").arg(folder.filePath()), why);

    m_url = request.url();
    // Byte ranges count bytes as stored; Qt would otherwise ask for gzip and hand over the
    // decoded bytes, which do not line up with them.
    if (!request.hasHeader("Accept-Encoding"))
        request.setHeader("Accept-Encoding", "identity");

    const QFileInfo part(m_part);
    if (!m_options.resume()) {
        discardPartial();
        return true;
    }
    if (!part.isFile() || part.size() <= 0 || request.hasHeader("Range"))
        return true;
    QFile metaFile(m_meta);
    if (!metaFile.open(QIODevice::ReadOnly))
        return true;
    const QJsonObject meta = QJsonDocument::fromJson(metaFile.readAll()).object();
    const QByteArray validator = meta.value(QLatin1String("validator")).toString().toLatin1();
    if (meta.value(QLatin1String("url")).toString() != m_url.toString(QUrl::FullyEncoded) || validator.isEmpty()
        || !isValidHeaderValue(validator))
        return true; // another resource, or no way to tell it is the same: start over
    m_partSize = part.size();
    m_rangeSent = true;
    request.setHeader("Range", "bytes=" + QByteArray::number(m_partSize) + '-');
    request.setHeader("If-Range", validator);
    return true;
}

bool DownloadSink::begin(const QNetworkReply *reply, Response::Error *error, QString *why)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_status = status;
    if (status < 200 || status > 299 || status == 204) {
        // Not a body to keep. A 416 says the partial file no longer fits the resource.
        m_discard = status == 416 && m_rangeSent;
        return true;
    }
    const bool append = status == 206 && m_rangeSent;
    if (append) {
        const QByteArray range = reply->rawHeader("Content-Range");
        if (contentRangeStart(range) != m_partSize) {
            m_discard = true;
            *error = Response::ProtocolFailure;
            return fail(QStringLiteral("Protocol error: the server's Content-Range \"%1\" does not continue the %2 bytes "
                                       "already downloaded to %3")
                            .arg(QString::fromLatin1(range.left(100)))
                            .arg(m_partSize)
                            .arg(m_part),
                        why);
        }
    }
    m_file.setFileName(m_part);
    if (!m_file.open(append ? QIODevice::WriteOnly | QIODevice::Append : QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = Response::UnknownContentError;
        return fail(QStringLiteral("Cannot write the download to %1: %2").arg(m_part, m_file.errorString()), why);
    }
    if (append) {
        m_offset = m_partSize;
        if (!m_options.sha256().isEmpty()) {
            // The digest covers the whole file: the part already there first.
            QFile existing(m_part);
            if (!existing.open(QIODevice::ReadOnly) || !m_hash.addData(&existing)) {
                *error = Response::UnknownContentError;
                return fail(QStringLiteral("Cannot read the partial download %1: %2").arg(m_part, existing.errorString()), why);
            }
        }
    } else {
        // A fresh body: remember how to ask for the rest of it, if the server says.
        const QByteArray validator = validatorOf(reply);
        if (validator.isEmpty()) {
            QFile::remove(m_meta);
        } else {
            QFile metaFile(m_meta);
            const QJsonObject meta{{QLatin1String("url"), m_url.toString(QUrl::FullyEncoded)},
                                   {QLatin1String("validator"), QString::fromLatin1(validator)}};
            if (!metaFile.open(QIODevice::WriteOnly | QIODevice::Truncate)
                || metaFile.write(QJsonDocument(meta).toJson(QJsonDocument::Compact)) < 0) {
                *error = Response::UnknownContentError;
                return fail(QStringLiteral("Cannot write %1: %2").arg(m_meta, metaFile.errorString()), why);
            }
        }
    }
    m_writing = true;
    return true;
}

bool DownloadSink::write(const QByteArray &bytes, QString *why)
{
    if (bytes.isEmpty())
        return true;
    if (m_file.write(bytes) != bytes.size())
        return fail(QStringLiteral("Cannot write the download to %1: %2").arg(m_part, m_file.errorString()), why);
    m_hash.addData(bytes);
    return true;
}

void DownloadSink::finish(Response::Error *error, QString *message, bool *transport)
{
    if (!m_writing) {
        if (m_discard)
            discardPartial();
        if (*error == Response::NoError) {
            // The exchange worked, but without a 2xx body there is no file: a redirect not
            // followed, a 204, a 304. NoError would say the file is there.
            *error = Response::UnknownContentError;
            *message = QStringLiteral("Nothing was downloaded to %1: the server answered %2, not a body to save")
                           .arg(m_path)
                           .arg(m_status);
            *transport = true;
        }
        return;
    }
    m_writing = false;
    const bool flushed = m_file.flush() && ::fsync(m_file.handle()) == 0;
    const QString flushError = m_file.errorString();
    m_file.close();
    if (*error != Response::NoError) {
        if (m_discard)
            discardPartial(); // else kept, for the next attempt to resume
        return;
    }
    const auto failWith = [&](const QString &why) {
        *error = Response::UnknownContentError;
        *message = why;
        *transport = true;
    };
    if (!flushed)
        return failWith(QStringLiteral("Cannot write the download to %1: %2").arg(m_part, flushError));
    const QByteArray expected = m_options.sha256().trimmed().toLower();
    if (!expected.isEmpty()) {
        const QByteArray actual = m_hash.result().toHex();
        if (actual != expected) {
            discardPartial(); // complete, and wrong: nothing to resume
            return failWith(QStringLiteral("The download's SHA-256 is %1, not the expected %2 (%3 was not written)")
                                .arg(QString::fromLatin1(actual), QString::fromLatin1(expected), m_path));
        }
    }
    // Atomic on one file system: the target is the old file or the new one, never a mix.
    if (std::rename(QFile::encodeName(m_part).constData(), QFile::encodeName(m_path).constData()) != 0)
        return failWith(QStringLiteral("Cannot move the download to %1: %2").arg(m_path, QString::fromLocal8Bit(std::strerror(errno))));
    QFile::remove(m_meta);
}

void DownloadSink::discardPartial()
{
    QFile::remove(m_part);
    QFile::remove(m_meta);
}

} // namespace Courier
