// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QPointer>
#include <QtCore/QString>

#include <functional>

QT_BEGIN_NAMESPACE
class QIODevice;
class QObject;
class QTemporaryFile;
QT_END_NAMESPACE

namespace Courier {

/*!
    Copies a sequential request body of unknown size to a temporary file before it is sent: Qt
    6.4 needs the size first, and would otherwise hold the whole body in memory. A sequential
    device tells its end by read() failing, by readChannelFinished(), by closing, or (a QFile on
    a pipe or terminal, which never signals) by read() giving 0.
*/
class BodySpool
{
public:
    /*! Called once, from the event loop: the file holding the body (a child of the context). */
    using Done = std::function<void(QIODevice *file, qint64 size)>;
    /*! Called once instead of Done: why the body could not be stored. */
    using Failed = std::function<void(const QString &why)>;

    /*! Starts copying \a device; signals are received in \a context, which owns the file. */
    BodySpool(QObject *context, QIODevice *device, Done done, Failed failed);

private:
    void onData();
    void fail(const QString &why);

    QObject *m_context;
    QPointer<QIODevice> m_device;
    QTemporaryFile *m_file = nullptr;
    Done m_done;
    Failed m_failed;
    bool m_inputEnded = false;
    bool m_over = false;
};

} // namespace Courier
