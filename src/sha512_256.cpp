// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "sha512_256_p.h"

#include <algorithm>
#include <array>

namespace Courier {

namespace {

using Block = std::array<quint64, 16>;
using State = std::array<quint64, 8>;

// FIPS 180-4 section 4.2.3: SHA-384, SHA-512 and SHA-512/t share these.
constexpr std::array<quint64, 80> K = {
    0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL, 0x3956c25bf348b538ULL,
    0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL, 0xd807aa98a3030242ULL, 0x12835b0145706fbeULL,
    0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL, 0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL,
    0xc19bf174cf692694ULL, 0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
    0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL, 0x983e5152ee66dfabULL,
    0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL, 0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL,
    0x06ca6351e003826fULL, 0x142929670a0e6e70ULL, 0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL,
    0x53380d139d95b3dfULL, 0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
    0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL, 0xd192e819d6ef5218ULL,
    0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL, 0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL,
    0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL, 0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL,
    0x682e6ff3d6b2b8a3ULL, 0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
    0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL, 0xca273eceea26619cULL,
    0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL, 0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL,
    0x113f9804bef90daeULL, 0x1b710b35131c471bULL, 0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL,
    0x431d67c49c100d4cULL, 0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

// FIPS 180-4 section 5.3.6.2: SHA-512/256's own initial hash value.
constexpr State initial = {
    0x22312194fc2bf72cULL, 0x9f555fa3c84c64c2ULL, 0x2393b86b6f53b151ULL, 0x963877195940eabdULL,
    0x96283ee2a88effe3ULL, 0xbe5e1e2553863992ULL, 0x2b0199fc2c85b8aaULL, 0x0eb72ddc81c52ca2ULL,
};

constexpr quint64 rotr(quint64 x, int n) { return (x >> n) | (x << (64 - n)); }

// FIPS 180-4 section 6.4.2, one 1024-bit block of 16 big-endian words.
void compress(State &h, const uchar *block)
{
    std::array<quint64, 80> w{};
    for (int t = 0; t < 16; ++t) {
        for (int i = 0; i < 8; ++i)
            w[t] = (w[t] << 8) | block[t * 8 + i];
    }
    for (int t = 16; t < 80; ++t) {
        const quint64 s0 = rotr(w[t - 15], 1) ^ rotr(w[t - 15], 8) ^ (w[t - 15] >> 7);
        const quint64 s1 = rotr(w[t - 2], 19) ^ rotr(w[t - 2], 61) ^ (w[t - 2] >> 6);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    State v = h; // a b c d e f g h
    for (int t = 0; t < 80; ++t) {
        const quint64 s1 = rotr(v[4], 14) ^ rotr(v[4], 18) ^ rotr(v[4], 41);
        const quint64 ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        const quint64 t1 = v[7] + s1 + ch + K[t] + w[t];
        const quint64 s0 = rotr(v[0], 28) ^ rotr(v[0], 34) ^ rotr(v[0], 39);
        const quint64 maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        const quint64 t2 = s0 + maj;
        v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
    }
    for (int i = 0; i < 8; ++i)
        h[i] += v[i];
}

} // namespace

QByteArray sha512_256(QByteArrayView data)
{
    constexpr qsizetype blockSize = 128;
    State h = initial;
    const auto *bytes = reinterpret_cast<const uchar *>(data.data());
    const qsizetype whole = data.size() - data.size() % blockSize;
    for (qsizetype at = 0; at < whole; at += blockSize)
        compress(h, bytes + at);

    // The rest, 0x80, zeros, and the length in bits as 128 bits big-endian (section 5.1.2): one
    // block, or two when fewer than 17 bytes are left after the rest.
    std::array<uchar, 2 * blockSize> tail{};
    const qsizetype rest = data.size() - whole;
    std::copy(bytes + whole, bytes + data.size(), tail.begin());
    tail[rest] = 0x80;
    const qsizetype tailSize = rest + 17 <= blockSize ? blockSize : 2 * blockSize;
    const quint64 bits = quint64(data.size()) << 3; // sizes over 2^61 bytes do not fit in memory
    for (int i = 0; i < 8; ++i)
        tail[tailSize - 1 - i] = uchar(bits >> (8 * i));
    for (qsizetype at = 0; at < tailSize; at += blockSize)
        compress(h, tail.data() + at);

    QByteArray out(32, Qt::Uninitialized);
    for (int i = 0; i < 4; ++i) {
        for (int b = 0; b < 8; ++b)
            out[i * 8 + b] = char(h[i] >> (56 - 8 * b));
    }
    return out;
}

} // namespace Courier
