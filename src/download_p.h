// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/download.h"
#include "Courier/response.h"

#include "fileops_p.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QString>
#include <QtCore/QUrl>

QT_BEGIN_NAMESPACE
class QNetworkReply;
QT_END_NAMESPACE

namespace Courier {

class Request;

/*!
    Where Client::download() puts a body: <path>.part while it arrives, with the validator to
    resume it in <path>.part.meta, renamed to <path> once complete and verified.
*/
class DownloadSink
{
public:
    DownloadSink(const QString &path, const DownloadOptions &options);
    ~DownloadSink();

    /*!
        Before the request is sent: checks that the folder can be written to and, when a partial
        file of the same URL can be resumed, adds Range and If-Range to \a request. Asks for the
        body as it is stored (no Content-Encoding), so that byte ranges mean file offsets.
    */
    bool prepare(Request &request, QString *why);
    /*!
        At the final response's headers. A 2xx starts writing: appending after a 206 that
        continues the file exactly, from the start otherwise. False, with \a error and \a why set,
        when the response cannot be used or the file cannot be opened.
    */
    bool begin(const QNetworkReply *reply, Response::Error *error, QString *why);
    /*! Whether the body is going to the file. */
    bool isWriting() const { return m_writing; }
    /*!
        Appends \a bytes; false with \a error and \a why set when the file cannot take them, or
        when a 206 sends more than its Content-Range announced.
    */
    bool write(const QByteArray &bytes, Response::Error *error, QString *why);
    /*!
        At the end of the response: on success verifies the digest and renames the file into
        place, which may turn \a error into a failure; on failure keeps the partial file for a
        later resume, unless it cannot be resumed.
    */
    void finish(Response::Error *error, QString *message, bool *transport);
    /*! Bytes that were on disk before this response's body (after a 206 that continues them). */
    qint64 resumedFrom() const { return m_offset; }

private:
    void discardPartial();
    bool fail(const QString &what, QString *why) const;

    QString m_path;
    QString m_part;
    QString m_meta;
    DownloadOptions m_options;
    /*! Opens the partial file: appended to when \a append (the file checked in prepare()), new otherwise. */
    bool openPart(bool append, QString *why);

    QUrl m_url;
    // The partial file asked to be continued (Range sent): its size, and which file it was, to
    // open that one and no other.
    FileOps::Entry m_partFile;
    QByteArray m_validator; // sent in If-Range
    bool m_rangeSent = false;
    qint64 m_rangeEnd = -1; // last byte of the 206's Content-Range
    qint64 m_completeLength = -1; // the resource's length after the '/', -1 for '*'
    qint64 m_written = 0; // body bytes written by this response
    bool m_writing = false;
    bool m_discard = false; // the partial file cannot be resumed: removed at finish
    qint64 m_offset = 0;
    int m_status = 0; // of the final response
    QFile m_file;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
};

} // namespace Courier
