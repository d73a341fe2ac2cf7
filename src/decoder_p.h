// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <memory>
#include <vector>

namespace Courier {

/*!
    Undoes a response's Content-Encoding as its body arrives, the same way whatever the engine:
    Courier asks for the codings it decodes (acceptEncoding()) and the engines hand the body over
    as sent.

    A chain of up to MaximumCodings codings ("gzip", "deflate" zlib-wrapped or raw, "br",
    "zstd"; "x-gzip" and "identity" too) is decoded in the reverse order of the header. Memory
    is bounded whatever the input: each coding's input is buffered in pieces of at most 64 KiB,
    and decode() writes at most what it is asked for. What no honest server sends fails:
    - an unknown coding, or more than MaximumCodings (create());
    - data a coding cannot decode, and data after a coding's end (decode());
    - a decompression bomb: past BombCheckAfter bytes of output from any coding, more than
      BombRatio times the bytes on the wire (Qt 6.4's numbers) (decode());
    - a body that ends before a coding's end, a truncated stream (finish()).

    No I/O, no signals, no clock: a value fed bytes. Not thread-safe; used by one Response.
*/
class ContentDecoder
{
public:
    static constexpr int MaximumCodings = 5;
    static constexpr qint64 BombCheckAfter = 10 * 1024 * 1024;
    static constexpr qint64 BombRatio = 40;

    /*! The Accept-Encoding value for the codings this build decodes, best first. */
    static QByteArray acceptEncoding();
    /*!
        A decoder for the Content-Encoding value \a contentEncoding (repeated fields joined with
        ", "). Null with \a why empty when there is nothing to decode (absent, or identity only),
        null with \a why set when a coding is unknown or there are too many.
    */
    static std::unique_ptr<ContentDecoder> create(const QByteArray &contentEncoding, QString *why);

    ~ContentDecoder();
    ContentDecoder(const ContentDecoder &) = delete;
    ContentDecoder &operator=(const ContentDecoder &) = delete;

    /*! Takes wire bytes to decode, the caller bounding how much it gives before decoding. */
    void addInput(const QByteArray &wire);
    /*! Wire bytes given and not yet taken by the first coding. */
    qint64 pendingInput() const;
    /*!
        Appends at most \a maximum decoded bytes to \a out. Returns false with \a why set when the
        body cannot be decoded or is a decompression bomb; after that the decoder is spent.
    */
    bool decode(QByteArray *out, qint64 maximum, QString *why);
    /*!
        Whether the last decode() stopped because the input ran out, not because it gave as much
        as it was asked for: then more output needs more input. False after addInput().
    */
    bool isExhausted() const { return m_exhausted; }
    /*!
        After the last wire byte and once decode() gives no more: true when every coding ended
        exactly at the body's end; false with \a why set when one was cut short.
    */
    bool finish(QString *why);

    /*! Wire bytes taken by the first coding. */
    qint64 wireBytes() const { return m_wire; }
    /*! Bytes decode() gave. */
    qint64 decodedBytes() const { return m_decoded; }
    /*! The codings as the header named them, e.g. "gzip" or "gzip, br". */
    QString codings() const { return m_names; }

    class Coding;

private:
    ContentDecoder();
    /*! Fills \a dst from coding \a index, pulling from the one before it as needed. -1 on error. */
    qint64 pull(std::size_t index, char *dst, qint64 capacity, QString *why);

    struct Stage
    {
        std::unique_ptr<Coding> coding;
        QByteArray input; // what the stage before gave it (the wire for the first)
        qsizetype head = 0; // first byte of input not yet taken
        qint64 produced = 0; // bytes this stage gave
    };
    std::vector<Stage> m_stages; // m_stages[0] reads the wire, the last gives the body
    QString m_names;
    qint64 m_wire = 0;
    qint64 m_decoded = 0;
    bool m_failed = false;
    bool m_exhausted = true;
};

} // namespace Courier
