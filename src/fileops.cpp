// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// The file operations of Client::download(), per platform (fileops_p.h): POSIX calls where they
// exist, Qt's file classes elsewhere. COURIER_PORTABLE_FILE_IO (CMake) forces the second on a
// POSIX system, so that it is built and tested where Windows is not at hand.

#include "fileops_p.h"

#include <QtCore/QFile>

#if defined(Q_OS_UNIX) && !defined(COURIER_PORTABLE_FILE_IO)
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#else
#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#if defined(Q_OS_WIN)
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <io.h>
#include <windows.h>
#else
#include <cerrno>
#include <cstdio>
#endif
#endif

namespace Courier::FileOps {

namespace {

bool failed(QString *why, const QString &reason)
{
    *why = reason;
    return false;
}

bool sameFile(const Entry &a, const Entry &b)
{
    return a.regular && b.regular && a.size == b.size && a.device == b.device && a.inode == b.inode
        && a.modified == b.modified && a.changed == b.changed;
}

} // namespace

#if defined(Q_OS_UNIX) && !defined(COURIER_PORTABLE_FILE_IO)

namespace {

// Opens \a path with \a flags and O_NOFOLLOW: a symbolic link planted there is refused (ELOOP;
// EMLINK on FreeBSD), not followed to the file it names. -1 with errno set on failure.
int openNoFollow(const QString &path, int flags)
{
    return ::open(QFile::encodeName(path).constData(), flags | O_NOFOLLOW | O_CLOEXEC, 0666);
}

qint64 nanoseconds(const struct timespec &t) { return qint64(t.tv_sec) * 1000000000 + t.tv_nsec; }

Entry entryOf(const struct stat &st)
{
    Entry entry;
    entry.regular = S_ISREG(st.st_mode);
    entry.size = qint64(st.st_size);
    entry.device = quint64(st.st_dev);
    entry.inode = quint64(st.st_ino);
#if defined(Q_OS_DARWIN)
    entry.modified = nanoseconds(st.st_mtimespec);
    entry.changed = nanoseconds(st.st_ctimespec);
#else
    entry.modified = nanoseconds(st.st_mtim);
    entry.changed = nanoseconds(st.st_ctim);
#endif
    return entry;
}

// Hands \a fd over to \a file, which closes it from then on; closes it if \a file cannot take it.
bool adopt(QFile *file, int fd, QIODevice::OpenMode mode)
{
    if (file->open(fd, mode, QFileDevice::AutoCloseHandle))
        return true;
    ::close(fd);
    return false;
}

} // namespace

Entry entryAt(const QString &path)
{
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    return entryOf(st);
}

QByteArray readRegular(const QString &path, qint64 maximum)
{
    // O_NONBLOCK: a FIFO planted there must not hold the open up until someone writes to it.
    const int fd = openNoFollow(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return {};
    struct stat st = {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return {};
    }
    QFile file;
    return adopt(&file, fd, QIODevice::ReadOnly) ? file.read(maximum) : QByteArray();
}

bool createNew(QFile *file, const QString &path, QString *why)
{
    // Whatever is there goes (a symbolic link itself, never its target), and the file is new.
    ::unlink(QFile::encodeName(path).constData());
    const int fd = openNoFollow(path, O_WRONLY | O_CREAT | O_EXCL);
    if (fd < 0)
        return failed(why, qt_error_string(errno));
    return adopt(file, fd, QIODevice::WriteOnly) || failed(why, file->errorString());
}

Reopened reopen(QFile *file, const QString &path, const Entry &expected, QString *why)
{
    const int fd = openNoFollow(path, O_RDWR | O_APPEND | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ELOOP || errno == EMLINK)
            return Reopened::Changed; // a symbolic link now
        *why = qt_error_string(errno);
        return Reopened::Failed;
    }
    // The very file entryAt() looked at, as it was: not another one put in its place since.
    struct stat st = {};
    if (::fstat(fd, &st) != 0 || !sameFile(entryOf(st), expected)) {
        ::close(fd);
        return Reopened::Changed;
    }
    if (!adopt(file, fd, QIODevice::ReadWrite | QIODevice::Append)) {
        *why = file->errorString();
        return Reopened::Failed;
    }
    return Reopened::Yes;
}

bool syncToDisk(QFile *file, QString *why)
{
    if (!file->flush())
        return failed(why, file->errorString());
    return ::fsync(file->handle()) == 0 || failed(why, qt_error_string(errno));
}

bool replace(const QString &from, const QString &to, QString *why)
{
    // Atomic on one file system.
    return std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0
        || failed(why, qt_error_string(errno));
}

#else // Qt's file classes: Windows, or COURIER_PORTABLE_FILE_IO

// What this gives up, compared with the POSIX calls above: a symbolic link (or a Windows
// shortcut) is refused when it is at the path before the file is opened, but one put there
// between that check and the open is followed; and the file resumed is told from another by its
// size and modification time, to the millisecond, not by its identity on the disk.

Entry entryAt(const QString &path)
{
    const QFileInfo info(path);
    if (info.isSymLink() || !info.isFile())
        return {};
    return {true, info.size(), 0, 0, info.lastModified().toMSecsSinceEpoch(), 0};
}

QByteArray readRegular(const QString &path, qint64 maximum)
{
    QFile file(path);
    if (!entryAt(path).regular || !file.open(QIODevice::ReadOnly))
        return {};
    return file.read(maximum);
}

bool createNew(QFile *file, const QString &path, QString *why)
{
    // Whatever is there goes (a symbolic link itself, never its target). NewOnly fails when
    // anything, a link included, is there again by the time the file is created.
    QFile::remove(path);
    file->setFileName(path);
    return file->open(QIODevice::WriteOnly | QIODevice::NewOnly) || failed(why, file->errorString());
}

Reopened reopen(QFile *file, const QString &path, const Entry &expected, QString *why)
{
    if (!sameFile(entryAt(path), expected))
        return Reopened::Changed;
    file->setFileName(path);
    if (!file->open(QIODevice::ReadWrite | QIODevice::Append | QIODevice::ExistingOnly)) {
        *why = file->errorString();
        return Reopened::Failed;
    }
    // Again on the file opened (through its handle, where Qt can).
    const Entry opened{true, file->size(), 0, 0, file->fileTime(QFileDevice::FileModificationTime).toMSecsSinceEpoch(),
                       0};
    if (!sameFile(opened, expected)) {
        file->close();
        return Reopened::Changed;
    }
    return Reopened::Yes;
}

bool syncToDisk(QFile *file, QString *why)
{
    if (!file->flush())
        return failed(why, file->errorString());
#if defined(Q_OS_WIN)
    // QFile::handle() is a C runtime descriptor on Windows.
    const auto handle = reinterpret_cast<HANDLE>(::_get_osfhandle(file->handle()));
    if (handle == INVALID_HANDLE_VALUE || !::FlushFileBuffers(handle))
        return failed(why, qt_error_string());
#endif
    return true; // elsewhere the system writes it out in its own time
}

bool replace(const QString &from, const QString &to, QString *why)
{
#if defined(Q_OS_WIN)
    // rename() refuses an existing target on Windows; MoveFileEx replaces it.
    return ::MoveFileExW(QDir::toNativeSeparators(from).toStdWString().c_str(),
                         QDir::toNativeSeparators(to).toStdWString().c_str(),
                         MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)
        || failed(why, qt_error_string());
#else
    return std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0
        || failed(why, qt_error_string(errno));
#endif
}

#endif

} // namespace Courier::FileOps
