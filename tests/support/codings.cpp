// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "codings.h"

#include <QtCore/QList>

#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

namespace Courier::Test {

namespace {
QByteArray zlibCode(const QByteArray &data, int windowBits)
{
    z_stream z = {};
    if (deflateInit2(&z, 9, Z_DEFLATED, windowBits, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(qsizetype(deflateBound(&z, uLong(data.size()))) + 64, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    const int result = deflate(&z, Z_FINISH);
    out.resize(qsizetype(z.total_out));
    deflateEnd(&z);
    return result == Z_STREAM_END ? out : QByteArray();
}
} // namespace

QByteArray codingName(Coding coding)
{
    switch (coding) {
    case Coding::Gzip: return "gzip";
    case Coding::Deflate:
    case Coding::RawDeflate: return "deflate";
    case Coding::Brotli: return "br";
    case Coding::Zstd: return "zstd";
    }
    return {};
}

QByteArray encode(Coding coding, const QByteArray &data)
{
    switch (coding) {
    case Coding::Gzip: return zlibCode(data, 16 + MAX_WBITS);
    case Coding::Deflate: return zlibCode(data, MAX_WBITS);
    case Coding::RawDeflate: return zlibCode(data, -MAX_WBITS);
    case Coding::Brotli: {
        size_t size = BrotliEncoderMaxCompressedSize(size_t(data.size()));
        QByteArray out(qsizetype(size), Qt::Uninitialized);
        // The best quality is slow on large inputs (bombs): a faster one codes them.
        const int quality = data.size() > (16 << 20) ? 5 : BROTLI_DEFAULT_QUALITY;
        if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, size_t(data.size()),
                                   reinterpret_cast<const uint8_t *>(data.constData()), &size,
                                   reinterpret_cast<uint8_t *>(out.data())))
            return {};
        out.resize(qsizetype(size));
        return out;
    }
    case Coding::Zstd: {
        QByteArray out(qsizetype(ZSTD_compressBound(size_t(data.size()))), Qt::Uninitialized);
        const int level = data.size() > (16 << 20) ? 3 : 19;
        const size_t size = ZSTD_compress(out.data(), size_t(out.size()), data.constData(), size_t(data.size()), level);
        if (ZSTD_isError(size))
            return {};
        out.resize(qsizetype(size));
        return out;
    }
    }
    return {};
}

QByteArray encodeChain(const QList<Coding> &codings, const QByteArray &data)
{
    QByteArray out = data;
    for (const Coding coding : codings)
        out = encode(coding, out);
    return out;
}

QByteArray gzipZeros(qint64 bytes)
{
    z_stream z = {};
    if (deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    const QByteArray zeros(1 << 20, '\0');
    QByteArray out;
    char buffer[64 * 1024];
    for (qint64 left = bytes; left >= 0;) {
        const qint64 piece = std::min<qint64>(left, zeros.size());
        z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(zeros.constData()));
        z.avail_in = uInt(piece);
        left -= piece;
        const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = reinterpret_cast<Bytef *>(buffer);
            z.avail_out = sizeof buffer;
            deflate(&z, flush);
            out.append(buffer, qsizetype(sizeof buffer - z.avail_out));
        } while (z.avail_out == 0);
        if (flush == Z_FINISH)
            break;
    }
    deflateEnd(&z);
    return out;
}

} // namespace Courier::Test
