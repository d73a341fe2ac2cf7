// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

// SHA-512/256 (FIPS 180-4 section 6.7): SHA-512 started from its own initial hash values and
// cut to 256 bits, not a truncated SHA-512. Digest's SHA-512-256 (RFC 7616) needs it and Qt 6.4's
// QCryptographicHash does not have it.
namespace Courier {

/*! The 32-byte SHA-512/256 digest of \a data. */
QByteArray sha512_256(QByteArrayView data);

} // namespace Courier
