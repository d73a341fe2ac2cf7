// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// Content codings for test servers: the same bytes a real server would send with
// Content-Encoding gzip, deflate (zlib-wrapped or raw), br or zstd.

#include <QtCore/QByteArray>

namespace Courier::Test {

enum class Coding { Gzip, Deflate, RawDeflate, Brotli, Zstd };

/*! \a data coded with \a coding; empty when this build of the tests cannot make it. */
QByteArray encode(Coding coding, const QByteArray &data);
/*! \a data coded with every coding of \a codings in turn (the Content-Encoding order). */
QByteArray encodeChain(const QList<Coding> &codings, const QByteArray &data);
/*! The Content-Encoding token of \a coding. */
QByteArray codingName(Coding coding);
/*! \a bytes of zeros gzip-coded in pieces, without ever holding them: a decompression bomb. */
QByteArray gzipZeros(qint64 bytes);

} // namespace Courier::Test
