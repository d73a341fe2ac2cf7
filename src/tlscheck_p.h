// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslError>

// What Courier checks of a TLS peer beyond the engine's verification, and how it words it.
namespace Courier::TlsCheck {

/*!
    The refusal when \a pins (SHA-256 digests of public keys) are set and no certificate of
    \a chain has one of them, naming \a where ("host:port"); empty when a certificate matches.
*/
QString pinRefusal(const QList<QByteArray> &pins, const QList<QSslCertificate> &chain, const QString &where);

/*!
    Why OpenSSL's default security level (Debian: 2) refuses \a certificate, or empty: an RSA
    or DSA key under 2048 bits, a signature with SHA-1 or MD5. Qt 6.4 reports those as
    "Unknown error".
*/
QString weaknessOf(const QSslCertificate &certificate);

/*! \a errors in words, a weak certificate named as weaknessOf() names it. */
QStringList describe(const QList<QSslError> &errors);

/*! Whether \a errors are host-name mismatches only (and there is one). */
bool onlyNameMismatch(const QList<QSslError> &errors);

/*!
    Whether \a message tells of an alert the TLS peer sent (OpenSSL's words: "tlsv13 alert
    certificate required"): the TLS session failed, whenever it is read. In TLS 1.3 a server's
    refusal of the client's certificate comes after the client finished its side of the
    handshake. Both engines read it so.
*/
bool isAlert(const QString &message);

} // namespace Courier::TlsCheck
