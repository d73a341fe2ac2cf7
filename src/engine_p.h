// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtNetwork/QNetworkRequest>

QT_BEGIN_NAMESPACE
class QHttpMultiPart;
class QIODevice;
class QNetworkAccessManager;
class QNetworkReply;
QT_END_NAMESPACE

namespace Courier {

// How a Response sends each hop: as QNetworkAccessManager's head(), get() or sendCustomRequest()
// would, with \a method and the body given. A CurlAccessManager's reply for a request the
// libcurl engine serves is made directly, without those methods: they connect each reply's
// sslErrors() and preSharedKeyAuthenticationRequired(), which a CurlReply never emits, by name,
// and that costs more than the rest of a request. The manager still emits finished() and
// encrypted() for the reply, as for one made through its methods; the reply's manager() is null.
namespace Engine {
/*! HEAD as head(), GET as get(), any other method as sendCustomRequest() without a body. */
QNetworkReply *send(QNetworkAccessManager *manager, const QNetworkRequest &request, const QByteArray &method);
QNetworkReply *send(QNetworkAccessManager *manager, const QNetworkRequest &request, const QByteArray &method,
                    QIODevice *body);
QNetworkReply *send(QNetworkAccessManager *manager, const QNetworkRequest &request, const QByteArray &method,
                    const QByteArray &body);
/*! Always through sendCustomRequest(), which prepares the multipart body with Qt's own means. */
QNetworkReply *send(QNetworkAccessManager *manager, const QNetworkRequest &request, const QByteArray &method,
                    QHttpMultiPart *body);
} // namespace Engine

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
// int, a CaSource: which CA certificates libcurl trusts, as Courier's TlsOptions say. Without it
// (the QNetworkAccessManager API), the configuration's list replaces the system's when it is not
// the default one; an empty list cannot be told from the default, which is the system's.
constexpr auto CaCertificateSource = QNetworkRequest::Attribute(QNetworkRequest::User + 0x4304);
enum CaSource {
    // The system's and those of the configuration (TlsOptions with extra CAs): the engine gives
    // libcurl the system's store by itself, so that Qt never decodes the system's list for it.
    SystemAndListedCas = 1,
    // Only those of the configuration, even none (setSystemCaCertificatesUsed(false)).
    ListedCasOnly = 2,
};
} // namespace CurlAttribute

} // namespace Courier
