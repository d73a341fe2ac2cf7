// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

QT_BEGIN_NAMESPACE
class QFile;
QT_END_NAMESPACE

namespace Courier {

/*!
    The file operations of Client::download() (DownloadSink), in one place because they are the
    only ones that differ per platform (src/fileops.cpp):

    - POSIX (Linux, macOS, the BSDs): open() with O_NOFOLLOW, so that a symbolic link planted in
      the download folder is never followed, and the file resumed is identified by its device
      and inode numbers and its modification and status-change times, checked on the open
      descriptor: the very file that was looked at (the times tell a new file that got a removed
      one's inode number).
    - Elsewhere (Windows), or with COURIER_PORTABLE_FILE_IO: Qt alone. A symbolic link is
      refused when it is there before the file is opened (QFileInfo::isSymLink()), and the file
      resumed is identified by its size and modification time: a link or another file put in its
      place in between, with the same size and time, is not noticed. doc/platforms.md says more.
*/
namespace FileOps {

/*! What is at a path itself: a symbolic link there is not followed, and is not a regular file. */
struct Entry
{
    bool regular = false;
    qint64 size = -1;
    // What tells this file from another one put in its place: on POSIX the device and inode
    // numbers and the modification and status-change times (nanoseconds); otherwise the
    // modification time (milliseconds).
    quint64 device = 0;
    quint64 inode = 0;
    qint64 modified = 0;
    qint64 changed = 0;
};
Entry entryAt(const QString &path);

/*! Up to \a maximum bytes of the regular file at \a path, never through a link; empty when there is none. */
QByteArray readRegular(const QString &path, qint64 maximum);

/*!
    Replaces whatever is at \a path (a symbolic link itself, never its target) with a new, empty
    file, and opens \a file on it for writing. False with \a why set on failure.
*/
bool createNew(QFile *file, const QString &path, QString *why);

enum class Reopened { Yes, Changed, Failed };
/*!
    Opens \a file on the regular file at \a path to read it and append to it, provided it is the
    file \a expected describes (entryAt(), earlier): Changed when a link or another file is
    there now, Failed with \a why set when it cannot be opened.
*/
Reopened reopen(QFile *file, const QString &path, const Entry &expected, QString *why);

/*! Writes what \a file buffers and asks the system to put it on the disk. */
bool syncToDisk(QFile *file, QString *why);

/*!
    Renames \a from to \a to, replacing a file there in one step: \a to is the old file or the new
    one, never neither. False with \a why set on failure.
*/
bool replace(const QString &from, const QString &to, QString *why);

} // namespace FileOps
} // namespace Courier
