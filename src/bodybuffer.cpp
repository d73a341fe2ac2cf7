// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "bodybuffer_p.h"

#include <QtCore/QIODevice>

#include <algorithm>
#include <cstring>

namespace Courier {

namespace {
bool wireWaiting(const QIODevice *wire) { return wire && wire->isOpen() && wire->bytesAvailable() > 0; }
} // namespace

qint64 BodyBuffer::read(char *to, qint64 maximum)
{
    const qint64 n = std::min(maximum, size());
    memcpy(to, m_data.constData() + m_head, size_t(n));
    m_head += n;
    if (m_head == m_data.size()) {
        m_data.clear();
        m_head = 0;
    }
    return n;
}

QByteArray BodyBuffer::takeAll()
{
    QByteArray all = m_head == 0 ? std::exchange(m_data, QByteArray()) : m_data.mid(m_head);
    m_data.clear();
    m_head = 0;
    return all;
}

void BodyBuffer::compact()
{
    if (m_head > 0 && m_head >= m_data.size() / 2) {
        m_data.remove(0, m_head);
        m_head = 0;
    }
}

void BodyBuffer::append(const QByteArray &bytes)
{
    compact();
    m_data += bytes;
}

void BodyBuffer::reset()
{
    m_data.clear();
    m_head = 0;
    m_decoder.reset();
}

bool BodyBuffer::decodeFrom(QIODevice *wire, qint64 bound, QString *why)
{
    constexpr qint64 Piece = 64 * 1024;
    while (size() < bound) {
        const bool waiting = wireWaiting(wire);
        if (waiting && m_decoder->pendingInput() < Piece)
            m_decoder->addInput(wire->read(Piece));
        const qint64 before = size();
        compact();
        if (!m_decoder->decode(&m_data, std::min(bound - size(), 4 * Piece), why))
            return false;
        if (size() == before && !(waiting && m_decoder->pendingInput() < Piece))
            break; // nothing more until more arrives (or the decoder is stuck on what it has)
    }
    return true;
}

bool BodyBuffer::moreToDecode(const QIODevice *wire) const
{
    return m_decoder && (wireWaiting(wire) || !m_decoder->isExhausted());
}

} // namespace Courier
