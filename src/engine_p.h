// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtNetwork/QNetworkRequest>

namespace Courier {

// Request attributes Courier's Response sets for the libcurl engine; Qt's engine ignores them.
namespace CurlAttribute {
// bool: accept a certificate that does not name the host (TlsOptions::setHostNameCheckEnabled(false)).
// Qt's engine reports the mismatch through sslErrors(), which the Response answers instead.
constexpr auto SkipHostNameCheck = QNetworkRequest::Attribute(QNetworkRequest::User + 0x4301);
// bool: keep the TLS peer's certificate chain for CurlReply::peerCertificateChain() (pinning).
constexpr auto KeepPeerChain = QNetworkRequest::Attribute(QNetworkRequest::User + 0x4302);
// QList<QByteArray>: SHA-256 digests of public keys (DER SubjectPublicKeyInfo); a certificate of
// the peer's chain must have one of them, checked before each request is sent (a reused
// connection included), or the request ends with SslHandshakeFailedError and nothing sent.
constexpr auto PinnedPublicKeys = QNetworkRequest::Attribute(QNetworkRequest::User + 0x4303);
} // namespace CurlAttribute

} // namespace Courier
