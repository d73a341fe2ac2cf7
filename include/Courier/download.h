// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>

#include <QtCore/QByteArray>

namespace Courier {

/*!
    \class Courier::DownloadOptions
    \brief How Client::download() saves a response body to a file.

    A download writes the body to `<path>.part` as it arrives and puts it in place with an
    atomic rename only once it is complete (and, with sha256(), verified): the target never holds
    a partial or wrong file, and an existing target stays as it was until then.

    When a download fails or is aborted, the `.part` file stays, with the response's validator
    (a strong ETag, or else Last-Modified) beside it in `<path>.part.meta`. The next download
    of the same URL to the same path resumes from there: it asks for the rest with \c Range and
    \c If-Range, and appends only when the server answers `206 Partial Content` with a
    \c Content-Range that starts exactly where the file ends. A server that ignores the range, or
    whose resource changed (If-Range fails), answers `200 OK`: the download starts over. A
    \c 206 for another range, of another version (an ETag or Last-Modified other than the
    partial file's), with a Content-Length other than its range, or sending more than its range,
    fails with ProtocolFailure and removes the partial file, so the next attempt starts clean.
    A \c 206 that holds less than the rest ends with UnknownContentError and keeps the longer
    partial file for the next attempt; a \c 206 to a request that asked for no range is refused.

    The partial file and its companion are only ever used where they are: a symbolic link (or
    anything but a regular file) at their names is not followed but replaced, and the partial file
    appended to is the one checked when the request was made. That holds on POSIX systems; on
    Windows, a link or another file of the same size and time put in place between the check and
    the opening goes unnoticed (doc/platforms.md).

    A value type: copy it freely.
*/
class COURIER_EXPORT DownloadOptions
{
public:
    /*!
        Whether a partial download left by an earlier attempt is continued (the default) rather
        than thrown away.
    */
    bool resume() const { return m_resume; }
    /*! Sets whether a partial download is continued; see resume(). */
    void setResume(bool resume) { m_resume = resume; }

    /*!
        The SHA-256 the complete file must have, in hexadecimal (either case); empty (the default)
        for no check. A file that does not match is deleted and the download fails with
        Response::UnknownContentError, naming both digests.
    */
    QByteArray sha256() const { return m_sha256; }
    /*! Sets the expected SHA-256 to \a hex; see sha256(). */
    void setSha256(const QByteArray &hex) { m_sha256 = hex; }

    /*! Whether \a lhs and \a rhs are the same options: resume() and sha256(), compared as given. */
    friend bool operator==(const DownloadOptions &lhs, const DownloadOptions &rhs) noexcept
    {
        return lhs.m_resume == rhs.m_resume && lhs.m_sha256 == rhs.m_sha256;
    }
    /*! Whether \a lhs and \a rhs differ in resume() or sha256(). */
    friend bool operator!=(const DownloadOptions &lhs, const DownloadOptions &rhs) noexcept { return !(lhs == rhs); }

private:
    bool m_resume = true;
    QByteArray m_sha256;
};

} // namespace Courier
