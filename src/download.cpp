// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "download_p.h"

#include "fileops_p.h"
#include "headers_p.h"

#include "Courier/request.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtNetwork/QNetworkReply>

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

// "bytes first-last/length" (RFC 9110 section 14.4), length possibly "*".
struct ContentRange
{
    qint64 first = -1; // -1 when the value is not that
    qint64 last = -1;
    qint64 length = -1; // -1 for '*'
};

ContentRange parseContentRange(const QByteArray &value)
{
    const QByteArray v = value.trimmed();
    if (!v.startsWith("bytes "))
        return {};
    const QByteArray range = v.mid(6).trimmed();
    const qsizetype dash = range.indexOf('-');
    const qsizetype slash = range.indexOf('/');
    if (dash <= 0 || slash < dash)
        return {};
    bool okFirst = false, okLast = false, okLength = false;
    const qint64 first = range.left(dash).toLongLong(&okFirst);
    const qint64 last = range.mid(dash + 1, slash - dash - 1).toLongLong(&okLast);
    const QByteArray lengthText = range.mid(slash + 1).trimmed();
    const qint64 length = lengthText == "*" ? -1 : lengthText.toLongLong(&okLength);
    if (!okFirst || !okLast || first < 0 || last < first || (lengthText != "*" && (!okLength || length <= last)))
        return {};
    return {first, last, length};
}

// Replaces whatever is at \a path (a symbolic link itself, not its target) with a new file
// holding \a data.
bool writeFresh(const QString &path, const QByteArray &data, QString *why)
{
    QFile file;
    QString reason;
    if (!FileOps::createNew(&file, path, &reason)) {
        *why = QStringLiteral("Cannot write %1: %2").arg(path, reason);
        return false;
    }
    if (file.write(data) != data.size()) {
        *why = QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
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

    if (!m_options.resume()) {
        discardPartial();
        return true;
    }
    // Only a regular file is resumed, looked at where it is: a symbolic link planted at the
    // partial file's name is not followed (its target's size would become the Range offset,
    // and its target would be appended to), and is replaced when the body arrives.
    const FileOps::Entry part = FileOps::entryAt(m_part);
    if (!part.regular || part.size <= 0 || request.hasHeader("Range"))
        return true;
    const QJsonObject meta = QJsonDocument::fromJson(FileOps::readRegular(m_meta, 64 * 1024)).object();
    const QByteArray validator = meta.value(QLatin1String("validator")).toString().toLatin1();
    if (meta.value(QLatin1String("url")).toString() != m_url.toString(QUrl::FullyEncoded) || validator.isEmpty()
        || !isValidHeaderValue(validator))
        return true; // another resource, or no way to tell it is the same: start over
    m_partFile = part;
    m_validator = validator;
    m_rangeSent = true;
    request.setHeader("Range", "bytes=" + QByteArray::number(m_partFile.size) + '-');
    request.setHeader("If-Range", validator);
    return true;
}

bool DownloadSink::openPart(bool append, QString *why)
{
    QString reason;
    if (!append) {
        if (FileOps::createNew(&m_file, m_part, &reason))
            return true;
        return fail(QStringLiteral("Cannot write the download to %1: %2").arg(m_part, reason), why);
    }
    // The very file prepare() looked at, as it was: not a link, not another file since.
    switch (FileOps::reopen(&m_file, m_part, m_partFile, &reason)) {
    case FileOps::Reopened::Yes: return true;
    case FileOps::Reopened::Changed:
        m_discard = true;
        return fail(
            QStringLiteral("Cannot resume the download in %1: the partial file changed while it was being resumed")
                .arg(m_part),
            why);
    case FileOps::Reopened::Failed: break;
    }
    return fail(QStringLiteral("Cannot write the download to %1: %2").arg(m_part, reason), why);
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
    if (status == 206 && !m_rangeSent) {
        // Part of a resource, to a request for all of it: saved as the whole file it would be
        // wrong (the server's mistake, or a cache's).
        *error = Response::ProtocolFailure;
        return fail(
            QStringLiteral("Protocol error: the server answered 206 Partial Content to a request that asked for "
                           "no Range; %1 was not written")
                .arg(m_path),
            why);
    }
    const bool append = status == 206;
    if (append) {
        const QByteArray range = reply->rawHeader("Content-Range");
        const ContentRange parsed = parseContentRange(range);
        if (parsed.first != m_partFile.size) {
            m_discard = true;
            *error = Response::ProtocolFailure;
            return fail(
                QStringLiteral("Protocol error: the server's Content-Range \"%1\" does not continue the %2 bytes "
                               "already downloaded to %3")
                    .arg(QString::fromLatin1(range.left(100)))
                    .arg(m_partFile.size)
                    .arg(m_part),
                why);
        }
        // The rest of the same version: a 206 carries the validator of what it is a part of, and
        // If-Range asked for that version only. Another one is not spliced on.
        const bool byTag = m_validator.startsWith('"');
        const QByteArray theirs = reply->rawHeader(byTag ? "ETag" : "Last-Modified").trimmed();
        const bool same = theirs.isEmpty()
            || (byTag ? theirs == m_validator
                      : Headers::parseHttpDate(theirs) == Headers::parseHttpDate(m_validator)
                        && Headers::parseHttpDate(theirs).isValid());
        if (!same) {
            m_discard = true;
            *error = Response::ProtocolFailure;
            return fail(
                QStringLiteral("Protocol error: the server's 206 is of another version of the resource (%1 %2, the "
                               "partial file in %3 is of %4); the partial file is dropped")
                    .arg(QLatin1String(byTag ? "ETag" : "Last-Modified"), QString::fromLatin1(theirs.left(100)), m_part,
                         QString::fromLatin1(m_validator.left(100))),
                why);
        }
        bool lengthKnown = false;
        const qint64 length = reply->rawHeader("Content-Length").trimmed().toLongLong(&lengthKnown);
        if (lengthKnown && !reply->hasRawHeader("Transfer-Encoding") && length != parsed.last - parsed.first + 1) {
            m_discard = true;
            *error = Response::ProtocolFailure;
            return fail(
                QStringLiteral("Protocol error: the server's Content-Length %1 does not match its Content-Range \"%2\"")
                    .arg(length)
                    .arg(QString::fromLatin1(range.left(100))),
                why);
        }
        m_rangeEnd = parsed.last;
        m_completeLength = parsed.length;
    }
    if (!openPart(append, why)) {
        *error = Response::UnknownContentError;
        return false;
    }
    if (append) {
        m_offset = m_partFile.size;
        if (!m_options.sha256().isEmpty()) {
            // The digest covers the whole file: the part already there first, read through the
            // file just opened and checked, not through its name again.
            if (!m_file.seek(0) || !m_hash.addData(&m_file) || m_file.pos() != m_partFile.size) {
                *error = Response::UnknownContentError;
                return fail(QStringLiteral("Cannot read the partial download %1: %2").arg(m_part, m_file.errorString()),
                            why);
            }
        }
    } else {
        // A fresh body: remember how to ask for the rest of it, if the server says.
        const QByteArray validator = validatorOf(reply);
        if (validator.isEmpty()) {
            QFile::remove(m_meta);
        } else {
            const QJsonObject meta{{QLatin1String("url"), m_url.toString(QUrl::FullyEncoded)},
                                   {QLatin1String("validator"), QString::fromLatin1(validator)}};
            if (!writeFresh(m_meta, QJsonDocument(meta).toJson(QJsonDocument::Compact), why)) {
                *error = Response::UnknownContentError;
                return false;
            }
        }
    }
    m_writing = true;
    return true;
}

bool DownloadSink::write(const QByteArray &bytes, Response::Error *error, QString *why)
{
    if (bytes.isEmpty())
        return true;
    if (m_rangeEnd >= 0 && m_offset + m_written + bytes.size() > m_rangeEnd + 1) {
        // Bytes past the announced range would shift everything after them: none is written.
        m_discard = true;
        *error = Response::ProtocolFailure;
        return fail(QStringLiteral("Protocol error: the server's 206 sends more than its Content-Range (bytes %1-%2); "
                                   "the partial file is dropped")
                        .arg(m_offset)
                        .arg(m_rangeEnd),
                    why);
    }
    if (m_file.write(bytes) != bytes.size()) {
        *error = Response::UnknownContentError;
        return fail(QStringLiteral("Cannot write the download to %1: %2").arg(m_part, m_file.errorString()), why);
    }
    m_written += bytes.size();
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
    QString flushError;
    const bool flushed = FileOps::syncToDisk(&m_file, &flushError);
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
    if (m_rangeEnd >= 0) {
        // A 206 may hold less than the rest asked for; the file is whole only at the resource's end.
        const qint64 size = m_offset + m_written;
        if (size != m_rangeEnd + 1 || (m_completeLength >= 0 && size != m_completeLength))
            return failWith(
                QStringLiteral("Incomplete download: the server sent bytes %1-%2 of %3, not the whole rest; "
                               "%4 keeps the %5 bytes, and a new download() resumes it")
                    .arg(m_offset)
                    .arg(m_rangeEnd)
                    .arg(m_completeLength >= 0 ? QString::number(m_completeLength)
                                               : QStringLiteral("an unknown length"))
                    .arg(m_part)
                    .arg(size));
    }
    const QByteArray expected = m_options.sha256().trimmed().toLower();
    if (!expected.isEmpty()) {
        const QByteArray actual = m_hash.result().toHex();
        if (actual != expected) {
            discardPartial(); // complete, and wrong: nothing to resume
            return failWith(QStringLiteral("The download's SHA-256 is %1, not the expected %2 (%3 was not written)")
                                .arg(QString::fromLatin1(actual), QString::fromLatin1(expected), m_path));
        }
    }
    // The target is the old file or the new one, never a mix.
    QString reason;
    if (!FileOps::replace(m_part, m_path, &reason))
        return failWith(QStringLiteral("Cannot move the download to %1: %2").arg(m_path, reason));
    QFile::remove(m_meta);
}

void DownloadSink::discardPartial()
{
    QFile::remove(m_part);
    QFile::remove(m_meta);
}

} // namespace Courier
