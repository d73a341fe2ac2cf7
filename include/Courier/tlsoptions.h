// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>
#include <QtNetwork/QSsl>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

QT_BEGIN_NAMESPACE
class QDebug;
class QSslConfiguration;
QT_END_NAMESPACE

namespace Courier {

class TlsOptionsData;

/*!
    \class Courier::TlsOptions
    \brief How https requests verify the server and present themselves: CA certificates, client
    certificate, host-name check, public-key pins and the lowest TLS version.

    The defaults are the secure ones: the server's certificate chain is verified against the
    system's CA certificates, its name must match the URL's host, and TLS 1.2 or later is required.
    Each option can only be set explicitly:

    \code
    Courier::TlsOptions tls;
    tls.addCaCertificatesFromFile(QStringLiteral("/etc/myapp/ca.pem")); // trust a private CA too
    tls.setClientCertificateFromPem(certPem, keyPem, "key password");   // mutual TLS
    tls.addPinnedPublicKey("sha256//r1dB...=");                         // and only this key
    client->setTlsOptions(tls);
    \endcode

    Set on a Client, the options apply to all its requests; set on a Request, they replace the
    Client's for that request. A TLS failure ends the Response with Response::SslHandshakeFailed and
    an errorString() that carries Qt's reasons (self-signed, expired, host-name mismatch, …).

    Requests with different TlsOptions never share a connection: libcurl keys its connections
    on the TLS settings, and on Qt's engine (which shares an open connection between requests to
    the same host and port whatever their TLS settings) a Client gives each TlsOptions its own
    QNetworkAccessManager. A QNetworkAccessManager given to Client by the application is used as
    it is: there, requests with other TlsOptions may reuse a connection to the same server.

    TlsOptions is an implicitly shared value type; it may be built and copied in any thread.
*/
class COURIER_EXPORT TlsOptions
{
public:
    /*! The default, secure options (see isDefault()). */
    TlsOptions();
    /*! A copy of \a other (cheap: the data is shared until one of them changes). */
    TlsOptions(const TlsOptions &other);
    /*! Moves \a other into new options. */
    TlsOptions(TlsOptions &&other) noexcept;
    /*! Makes these options a copy of \a other. */
    TlsOptions &operator=(const TlsOptions &other);
    /*! Move-assigns \a other to these options. */
    TlsOptions &operator=(TlsOptions &&other) noexcept;
    ~TlsOptions();

    /*! Swaps these options with \a other. */
    void swap(TlsOptions &other) noexcept { d.swap(other.d); }

    /*! Whether every option has its default value. */
    bool isDefault() const;

    /*!
        \name Certificate authorities
        Extra CA certificates are trusted besides the system's, or instead of them when
        setSystemCaCertificatesUsed(false).
    */
    //! @{
    /*! Adds \a certificates to the trusted CA certificates. */
    void addCaCertificates(const QList<QSslCertificate> &certificates);
    /*! Adds every certificate in \a pem. Returns false, adding nothing, when it holds none. */
    bool addCaCertificatesFromPem(const QByteArray &pem);
    /*!
        Adds every PEM certificate in the file at \a path. Returns false, adding nothing, when the
        file cannot be read or holds no certificate.
    */
    bool addCaCertificatesFromFile(const QString &path);
    /*! The CA certificates added, without the system's. */
    QList<QSslCertificate> caCertificates() const;
    /*! Whether the system's CA certificates are trusted too. Default true. */
    bool systemCaCertificatesUsed() const;
    /*! Sets whether the system's CA certificates are trusted too; see systemCaCertificatesUsed(). */
    void setSystemCaCertificatesUsed(bool used);
    //! @}

    /*!
        \name Client certificate (mutual TLS)
    */
    //! @{
    /*! Presents \a certificate, with its private \a key, to servers that ask for one. */
    void setClientCertificate(const QSslCertificate &certificate, const QSslKey &key);
    /*!
        Reads the certificate from \a certificatePem and its private key (RSA or EC, PKCS#8 or
        traditional PEM) from \a keyPem, decrypted with \a passphrase when it is encrypted.
        Returns false, changing nothing, when either cannot be read (a wrong passphrase included).
    */
    bool setClientCertificateFromPem(const QByteArray &certificatePem, const QByteArray &keyPem,
                                     const QByteArray &passphrase = QByteArray());
    /*! The client certificate; a null certificate when none is set. */
    QSslCertificate clientCertificate() const;
    /*! The private key of the client certificate; a null key when none is set. */
    QSslKey clientKey() const;
    //! @}

    /*!
        \name Server name
    */
    //! @{
    /*!
        The name the server's certificate must carry, when it is not the URL's host (a server
        reached by IP address whose certificate names it by host name). Empty by default: the
        URL's host.
    */
    QString peerVerifyName() const;
    /*! Sets the name the server's certificate must carry to \a name; see peerVerifyName(). */
    void setPeerVerifyName(const QString &name);
    /*!
        Whether the server's certificate must match the host name. Default true. Turning it off
        still verifies the chain, but accepts a certificate issued for any name: anybody holding
        a certificate from a trusted CA can then impersonate the server. Courier logs a warning
        (category courier.tls) for each request sent this way. Prefer setPeerVerifyName().
    */
    bool hostNameCheckEnabled() const;
    /*! Sets whether the certificate must match the host name; see hostNameCheckEnabled(). */
    void setHostNameCheckEnabled(bool enabled);
    //! @}

    /*!
        \name Public-key pinning
        With pins set, a request succeeds only when a certificate of the server's chain has a
        public key whose SHA-256 is one of the pins, on top of the usual verification; otherwise
        it fails with Response::SslHandshakeFailed, and nothing of the request (headers, bearer
        token, body) is sent: the check comes when the connection is up and before the request
        is written, on every hop and on a reused connection. One exception: on Qt's engine with
        a QNetworkAccessManager the application gave the Client, a connection that requests
        without these pins opened may be reused, and Qt sends the request on it before Courier
        can see the chain; the mismatch then ends the response before its headers are shown.
    */
    //! @{
    /*!
        Adds a pin: the base64 SHA-256 of a DER SubjectPublicKeyInfo, optionally prefixed with
        "sha256//" as curl's --pinnedpubkey takes it. Returns false, adding nothing, when \a pin
        is not 32 bytes in base64.
    */
    bool addPinnedPublicKey(const QByteArray &pin);
    /*! The pins, as raw 32-byte SHA-256 digests. */
    QList<QByteArray> pinnedPublicKeys() const;
    /*! The pin of \a certificate's public key, base64 without prefix. */
    static QByteArray publicKeyPin(const QSslCertificate &certificate);
    //! @}

    /*! The lowest TLS version accepted. Default QSsl::TlsV1_2OrLater. */
    QSsl::SslProtocol minimumProtocol() const;
    /*! Sets the lowest TLS version accepted to \a protocol; see minimumProtocol(). */
    void setMinimumProtocol(QSsl::SslProtocol protocol);

    /*! Applies the options to \a configuration (CA certificates, client certificate, protocol). */
    void applyTo(QSslConfiguration &configuration) const;
    /*!
        QSslConfiguration::defaultConfiguration() with these options applied. Built on the first
        call and shared (the same object) until the options change, so that every request of a
        Client carries one configuration rather than a fresh copy of the CA list.
    */
    QSslConfiguration sslConfiguration() const;

    /*!
        Whether every option of \a lhs equals that of \a rhs: the same CA certificates and pins,
        in the same order, and the same client certificate and key.
    */
    friend bool operator==(const TlsOptions &lhs, const TlsOptions &rhs) { return lhs.isEqual(rhs); }
    /*! Whether any option of \a lhs differs from that of \a rhs; see operator==(). */
    friend bool operator!=(const TlsOptions &lhs, const TlsOptions &rhs) { return !lhs.isEqual(rhs); }

private:
    bool isEqual(const TlsOptions &other) const;

    QSharedDataPointer<TlsOptionsData> d;
};

/*! Swaps \a a and \a b. */
inline void swap(TlsOptions &a, TlsOptions &b) noexcept { a.swap(b); }

#ifndef QT_NO_DEBUG_STREAM
/*!
    \relates Courier::TlsOptions
    Writes \a options to \a debug: `Courier::TlsOptions(default)`, or each option that differs
    from the default, certificates by their subject. The client certificate's private key is
    never written, only that it is set, as `<redacted>`; nor is the passphrase it was read with,
    which TlsOptions does not keep.
*/
COURIER_EXPORT QDebug operator<<(QDebug debug, const TlsOptions &options);
#endif

} // namespace Courier

Q_DECLARE_TYPEINFO(Courier::TlsOptions, Q_RELOCATABLE_TYPE);
