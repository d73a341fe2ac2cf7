// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Content codings as a hostile server sends them: the first byte picks the Content-Encoding, the
// rest is the body, fed to ContentDecoder in pieces whose sizes the input also picks. No crash, no
// more output per call than asked for, and no output past the bomb limit: a body that inflates
// more than BombRatio times past BombCheckAfter is refused, never handed over.
#include "decoder_p.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using Courier::ContentDecoder;
    static const char *const headers[] = {"gzip",
                                          "deflate",
                                          "br",
                                          "zstd",
                                          "gzip, gzip",
                                          "deflate, br",
                                          "br, zstd, gzip",
                                          "identity, gzip",
                                          "x-gzip",
                                          "compress",
                                          "gzip, gzip, gzip, gzip, gzip, gzip"};
    if (size < 2)
        return 0;
    const QByteArray header(headers[data[0] % (sizeof headers / sizeof *headers)]);
    const qsizetype piece = 1 + data[1] % 64;
    const QByteArray wire(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    QString why;
    std::unique_ptr<ContentDecoder> decoder = ContentDecoder::create(header, &why);
    if (!decoder)
        return 0;
    QByteArray out;
    for (qsizetype at = 0; at < wire.size(); at += piece) {
        decoder->addInput(wire.mid(at, piece));
        for (;;) {
            const qsizetype before = out.size();
            if (!decoder->decode(&out, 4096, &why))
                return 0;
            if (out.size() - before > 4096)
                std::abort();
            if (out.size() == before)
                break;
            out.clear(); // a reader that keeps up
        }
    }
    if (decoder->decodedBytes() > ContentDecoder::BombCheckAfter
        && decoder->decodedBytes() > ContentDecoder::BombRatio * decoder->wireBytes() + 4096)
        std::abort();
    decoder->finish(&why);
    return 0;
}
