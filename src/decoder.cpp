// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "decoder_p.h"

#include <zlib.h>
#ifdef COURIER_HAS_BROTLI
#include <brotli/decode.h>
#endif
#ifdef COURIER_HAS_ZSTD
#include <zstd.h>
#endif

#include <algorithm>
#include <limits>

namespace Courier {

namespace {
// What one stage buffers from the stage before it, and how much it asks for at a time.
constexpr qint64 PieceSize = 64 * 1024;
} // namespace

/*! One content coding's decompressor. */
class ContentDecoder::Coding
{
public:
    virtual ~Coding() = default;
    /*!
        Decodes from \a in (\a inSize bytes) into \a out (\a outSize bytes): sets \a taken to the
        input used and returns the output made, or -1 with \a why set.
    */
    virtual qint64 run(const char *in, qint64 inSize, qint64 *taken, char *out, qint64 outSize, QString *why) = 0;
    /*! Whether the coded data ended: nothing may follow (but another gzip member or zstd frame). */
    virtual bool ended() const = 0;
    virtual QString name() const = 0;
};

namespace {

// zlib takes uInt sizes: pieces are cut to what it can say.
uInt clampToUInt(qint64 n) { return uInt(std::min<qint64>(n, std::numeric_limits<uInt>::max())); }

// gzip (RFC 1952; members may follow one another) and deflate, zlib-wrapped (RFC 1950) as the
// standard says or raw (RFC 1951) as some servers send it.
class ZlibCoding final : public ContentDecoder::Coding
{
public:
    explicit ZlibCoding(bool gzip)
        : m_gzip(gzip)
    {
    }
    ~ZlibCoding() override
    {
        if (m_initialized)
            inflateEnd(&m_z);
    }

    qint64 run(const char *in, qint64 inSize, qint64 *taken, char *out, qint64 outSize, QString *why) override
    {
        *taken = 0;
        if (m_ended) {
            if (inSize == 0)
                return 0;
            // Another gzip member may follow one that ended; anything else is not the body.
            if (!m_gzip || static_cast<unsigned char>(in[0]) != 0x1f) {
                *why = QStringLiteral("data after the end of the %1 stream").arg(name());
                return -1;
            }
            if (inSize < 2)
                return 0;
            if (static_cast<unsigned char>(in[1]) != 0x8b) {
                *why = QStringLiteral("data after the end of the %1 stream").arg(name());
                return -1;
            }
            inflateReset(&m_z);
            m_ended = false;
        }
        if (!m_initialized) {
            int windowBits = 16 + MAX_WBITS;
            if (!m_gzip) {
                if (inSize < 2)
                    return 0; // the first two bytes tell zlib's header from raw deflate
                const auto b0 = static_cast<unsigned char>(in[0]), b1 = static_cast<unsigned char>(in[1]);
                const bool zlibHeader = (b0 & 0x0f) == Z_DEFLATED && (b0 >> 4) <= 7 && ((b0 << 8) | b1) % 31 == 0;
                windowBits = zlibHeader ? MAX_WBITS : -MAX_WBITS;
            }
            if (inflateInit2(&m_z, windowBits) != Z_OK) {
                *why = QStringLiteral("zlib could not start");
                return -1;
            }
            m_initialized = true;
        }
        m_z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in));
        m_z.avail_in = clampToUInt(inSize);
        m_z.next_out = reinterpret_cast<Bytef *>(out);
        m_z.avail_out = clampToUInt(outSize);
        const uInt inBefore = m_z.avail_in, outBefore = m_z.avail_out;
        const int result = inflate(&m_z, Z_NO_FLUSH);
        *taken = qint64(inBefore - m_z.avail_in);
        const qint64 produced = qint64(outBefore - m_z.avail_out);
        switch (result) {
        case Z_STREAM_END: m_ended = true; return produced;
        case Z_OK:
        case Z_BUF_ERROR: // no progress without more input or room
            return produced;
        default: *why = QString::fromLatin1(m_z.msg ? m_z.msg : "corrupt data"); return -1;
        }
    }
    bool ended() const override { return m_ended; }
    QString name() const override { return m_gzip ? QStringLiteral("gzip") : QStringLiteral("deflate"); }

private:
    z_stream m_z = {};
    bool m_gzip;
    bool m_initialized = false;
    bool m_ended = false;
};

#ifdef COURIER_HAS_BROTLI
class BrotliCoding final : public ContentDecoder::Coding
{
public:
    BrotliCoding()
        : m_state(BrotliDecoderCreateInstance(nullptr, nullptr, nullptr))
    {
    }
    ~BrotliCoding() override { BrotliDecoderDestroyInstance(m_state); }

    qint64 run(const char *in, qint64 inSize, qint64 *taken, char *out, qint64 outSize, QString *why) override
    {
        *taken = 0;
        if (!m_state) {
            *why = QStringLiteral("brotli could not start");
            return -1;
        }
        if (m_ended) {
            if (inSize == 0)
                return 0;
            *why = QStringLiteral("data after the end of the br stream");
            return -1;
        }
        size_t availableIn = size_t(inSize);
        const auto *nextIn = reinterpret_cast<const uint8_t *>(in);
        size_t availableOut = size_t(outSize);
        auto *nextOut = reinterpret_cast<uint8_t *>(out);
        const BrotliDecoderResult result = BrotliDecoderDecompressStream(m_state, &availableIn, &nextIn, &availableOut,
                                                                         &nextOut, nullptr);
        *taken = inSize - qint64(availableIn);
        const qint64 produced = outSize - qint64(availableOut);
        if (result == BROTLI_DECODER_RESULT_ERROR) {
            *why = QString::fromLatin1(BrotliDecoderErrorString(BrotliDecoderGetErrorCode(m_state)));
            return -1;
        }
        if (result == BROTLI_DECODER_RESULT_SUCCESS)
            m_ended = true;
        return produced;
    }
    bool ended() const override { return m_ended; }
    QString name() const override { return QStringLiteral("br"); }

private:
    BrotliDecoderState *m_state;
    bool m_ended = false;
};
#endif

#ifdef COURIER_HAS_ZSTD
class ZstdCoding final : public ContentDecoder::Coding
{
public:
    ZstdCoding()
        : m_stream(ZSTD_createDStream())
    {
        if (m_stream) {
            ZSTD_initDStream(m_stream);
            // RFC 8878 section 3.1.1.1.2 (and 9659 for HTTP): a decoder may refuse windows over
            // 8 MiB, which keeps a hostile frame from asking for gigabytes of window.
            ZSTD_DCtx_setParameter(m_stream, ZSTD_d_windowLogMax, 23);
        }
    }
    ~ZstdCoding() override { ZSTD_freeDStream(m_stream); }

    qint64 run(const char *in, qint64 inSize, qint64 *taken, char *out, qint64 outSize, QString *why) override
    {
        *taken = 0;
        if (!m_stream) {
            *why = QStringLiteral("zstd could not start");
            return -1;
        }
        ZSTD_inBuffer input{in, size_t(inSize), 0};
        ZSTD_outBuffer output{out, size_t(outSize), 0};
        const size_t result = ZSTD_decompressStream(m_stream, &output, &input);
        *taken = qint64(input.pos);
        if (ZSTD_isError(result)) {
            *why = QString::fromLatin1(ZSTD_getErrorName(result));
            return -1;
        }
        // 0: a frame ended and was flushed whole; frames may follow one another.
        if (input.pos > 0 || output.pos > 0)
            m_ended = result == 0;
        return qint64(output.pos);
    }
    bool ended() const override { return m_ended; }
    QString name() const override { return QStringLiteral("zstd"); }

private:
    ZSTD_DStream *m_stream;
    bool m_ended = false;
};
#endif

} // namespace

ContentDecoder::ContentDecoder() = default;
ContentDecoder::~ContentDecoder() = default;

QByteArray ContentDecoder::acceptEncoding()
{
    // Sent with every request: built once, then shared.
    static const QByteArray value = [] {
        QByteArray codings = "gzip, deflate";
#ifdef COURIER_HAS_BROTLI
        codings += ", br";
#endif
#ifdef COURIER_HAS_ZSTD
        codings += ", zstd";
#endif
        return codings;
    }();
    return value;
}

std::unique_ptr<ContentDecoder> ContentDecoder::create(const QByteArray &contentEncoding, QString *why)
{
    why->clear();
    if (contentEncoding.isEmpty())
        return nullptr; // most responses: nothing to undo
    QList<QByteArray> names;
    for (const QByteArray &part : contentEncoding.split(',')) {
        const QByteArray name = part.trimmed().toLower();
        if (!name.isEmpty() && name != "identity")
            names.append(name);
    }
    if (names.isEmpty())
        return nullptr;
    if (names.size() > MaximumCodings) {
        *why = QStringLiteral(
                   "the body is encoded %1 times (Content-Encoding \"%2\"), more than the %3 codings Courier undoes")
                   .arg(names.size())
                   .arg(QString::fromLatin1(contentEncoding.left(200)))
                   .arg(MaximumCodings);
        return nullptr;
    }
    std::unique_ptr<ContentDecoder> decoder(new ContentDecoder);
    decoder->m_names = QString::fromLatin1(names.join(", "));
    // The last coding applied is the first to undo.
    for (auto it = names.crbegin(); it != names.crend(); ++it) {
        std::unique_ptr<Coding> coding;
        if (*it == "gzip" || *it == "x-gzip")
            coding = std::make_unique<ZlibCoding>(true);
        else if (*it == "deflate")
            coding = std::make_unique<ZlibCoding>(false);
#ifdef COURIER_HAS_BROTLI
        else if (*it == "br")
            coding = std::make_unique<BrotliCoding>();
#endif
#ifdef COURIER_HAS_ZSTD
        else if (*it == "zstd")
            coding = std::make_unique<ZstdCoding>();
#endif
        if (!coding) {
            *why = QStringLiteral("Content-Encoding \"%1\" is not one Courier asked for (Accept-Encoding: %2)")
                       .arg(QString::fromLatin1(it->left(100)), QString::fromLatin1(acceptEncoding()));
            return nullptr;
        }
        Stage stage;
        stage.coding = std::move(coding);
        decoder->m_stages.push_back(std::move(stage));
    }
    return decoder;
}

void ContentDecoder::addInput(const QByteArray &wire)
{
    if (!wire.isEmpty())
        m_exhausted = false;
    Stage &first = m_stages.front();
    if (first.head == first.input.size()) {
        first.input = wire;
        first.head = 0;
        return;
    }
    if (first.head > 0) {
        first.input.remove(0, first.head);
        first.head = 0;
    }
    first.input += wire;
}

qint64 ContentDecoder::pendingInput() const
{
    const Stage &first = m_stages.front();
    return first.input.size() - first.head;
}

qint64 ContentDecoder::pull(std::size_t index, char *dst, qint64 capacity, QString *why)
{
    Stage &stage = m_stages[index];
    for (;;) {
        qint64 taken = 0;
        const qint64 produced = stage.coding->run(stage.input.constData() + stage.head, stage.input.size() - stage.head,
                                                  &taken, dst, capacity, why);
        if (produced < 0)
            return -1;
        stage.head += taken;
        if (index == 0)
            m_wire += taken;
        if (produced > 0) {
            stage.produced += produced;
            // A bomb at any stage, nested codings included: the wire is what the server paid for.
            if (stage.produced > BombCheckAfter && stage.produced > BombRatio * std::max<qint64>(m_wire, 1)) {
                *why = QStringLiteral(
                           "the body inflates more than %1 times its %2 bytes on the wire (a decompression bomb)")
                           .arg(BombRatio)
                           .arg(m_wire);
                return -1;
            }
            return produced;
        }
        if (taken > 0)
            continue; // headers, or a block that gave nothing yet
        // Nothing more from what it has: it needs input, from the stage before.
        if (index == 0)
            return 0;
        if (stage.head == stage.input.size()) {
            stage.input.clear();
            stage.head = 0;
        } else if (stage.head > 0) {
            stage.input.remove(0, stage.head);
            stage.head = 0;
        }
        const qsizetype before = stage.input.size();
        stage.input.resize(before + PieceSize);
        const qint64 got = pull(index - 1, stage.input.data() + before, PieceSize, why);
        stage.input.resize(before + std::max<qint64>(got, 0));
        if (got <= 0)
            return got;
    }
}

bool ContentDecoder::decode(QByteArray *out, qint64 maximum, QString *why)
{
    if (m_failed) {
        *why = QStringLiteral("the body could not be decoded");
        return false;
    }
    qint64 room = maximum;
    while (room > 0) {
        const qint64 piece = std::min(room, PieceSize);
        const qsizetype before = out->size();
        out->resize(before + piece);
        const qint64 got = pull(m_stages.size() - 1, out->data() + before, piece, why);
        out->resize(before + std::max<qint64>(got, 0));
        if (got < 0) {
            m_failed = true;
            return false;
        }
        if (got == 0) {
            m_exhausted = true;
            break;
        }
        m_decoded += got;
        room -= got;
    }
    return true;
}

bool ContentDecoder::finish(QString *why)
{
    if (m_failed) {
        *why = QStringLiteral("the body could not be decoded");
        return false;
    }
    // From the wire inwards: the first coding that did not end where its input did.
    for (const Stage &stage : m_stages) {
        if (!stage.coding->ended()) {
            *why = QStringLiteral("the %1 stream ends early: the body was cut short").arg(stage.coding->name());
            return false;
        }
        if (stage.head < stage.input.size()) {
            *why = QStringLiteral("data after the end of the %1 stream").arg(stage.coding->name());
            return false;
        }
    }
    return true;
}

} // namespace Courier
