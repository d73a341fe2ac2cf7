// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "bodyspool_p.h"

#include "logging_p.h"

#include <QtCore/QFileDevice>
#include <QtCore/QTemporaryFile>

namespace Courier {

BodySpool::BodySpool(QObject *context, QIODevice *device, Done done, Failed failed)
    : m_context(context)
    , m_device(device)
    , m_done(std::move(done))
    , m_failed(std::move(failed))
{
    m_file = new QTemporaryFile(context);
    if (!m_file->open()) {
        const QString why = m_file->errorString();
        QMetaObject::invokeMethod(
            context,
            [this, why] {
                fail(QStringLiteral("Cannot store the request body of unknown size before sending it: %1").arg(why));
            },
            Qt::QueuedConnection);
        return;
    }
    qCDebug(lcResponse) << "copying a body of unknown size to" << m_file->fileName();
    QObject::connect(device, &QIODevice::readyRead, context, [this] { onData(); });
    const auto ends = [this] {
        m_inputEnded = true;
        onData();
    };
    QObject::connect(device, &QIODevice::readChannelFinished, context, ends);
    QObject::connect(device, &QIODevice::aboutToClose, context, ends);
    // Data already waiting, or a device already at its end, is not announced again.
    QMetaObject::invokeMethod(
        context, [this] { onData(); }, Qt::QueuedConnection);
}

void BodySpool::fail(const QString &why)
{
    if (std::exchange(m_over, true))
        return;
    if (m_device)
        QObject::disconnect(m_device, nullptr, m_context, nullptr);
    m_failed(why);
}

void BodySpool::onData()
{
    if (m_over)
        return;
    if (!m_device) {
        fail(QStringLiteral("The request body device was destroyed before it was read to its end"));
        return;
    }
    char buffer[64 * 1024];
    bool ended = !m_device->isOpen();
    while (!ended) {
        const qint64 n = m_device->read(buffer, sizeof buffer);
        if (n < 0) {
            ended = true;
        } else if (n == 0) {
            // A QFile on a pipe or a terminal blocks in read() and gives 0 only at its end; it
            // never signals readChannelFinished().
            ended = m_inputEnded || qobject_cast<QFileDevice *>(m_device.data()) != nullptr;
            break;
        } else if (m_file->write(buffer, n) != n) {
            fail(QStringLiteral("Cannot store the request body of unknown size before sending it: %1")
                     .arg(m_file->errorString()));
            return;
        }
    }
    if (!ended)
        return;
    m_over = true;
    QObject::disconnect(m_device, nullptr, m_context, nullptr);
    m_file->flush();
    m_file->seek(0);
    qCDebug(lcResponse) << "request body of" << m_file->size() << "bytes stored; sending";
    m_done(m_file, m_file->size());
}

} // namespace Courier
