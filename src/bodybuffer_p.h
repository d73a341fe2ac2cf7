// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "decoder_p.h"

#include <QtCore/QByteArray>

#include <memory>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace Courier {

/*!
    Body bytes of the final hop that Courier holds out of its reply, served first by
    Response::readData(): bytes decoded from the response's Content-Encoding, and bytes moved
    out before Courier aborted the reply (aborting a QNetworkReply closes it, and unread data
    would be lost). Reading costs O(1) per byte: read bytes are dropped before the buffer grows.
*/
class BodyBuffer
{
public:
    qint64 size() const { return m_data.size() - m_head; }
    bool containsLineEnd() const { return m_data.indexOf('\n', m_head) >= 0; }
    qint64 read(char *to, qint64 maximum);
    QByteArray takeAll();
    void append(const QByteArray &bytes);
    /*! Forgets the bytes and the decoder: a new hop. */
    void reset();

    /*! The decoder of the final hop's Content-Encoding; null for a body as sent. */
    ContentDecoder *decoder() const { return m_decoder.get(); }
    void setDecoder(std::unique_ptr<ContentDecoder> decoder) { m_decoder = std::move(decoder); }
    /*!
        Moves \a wire's bytes through the decoder into the buffer until it holds \a bound bytes
        or nothing more comes; false with \a why set when the body cannot be decoded.
    */
    bool decodeFrom(QIODevice *wire, qint64 bound, QString *why);
    /*! Whether the decoder may give more: wire bytes wait in it or in \a wire. */
    bool moreToDecode(const QIODevice *wire) const;

private:
    void compact();

    QByteArray m_data;
    qsizetype m_head = 0; // the first byte not yet read
    std::unique_ptr<ContentDecoder> m_decoder;
};

} // namespace Courier
