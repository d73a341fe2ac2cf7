// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "Courier/tlsoptions.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QSharedData>

#include <optional>
#include <QtNetwork/QSslConfiguration>

namespace Courier {

class TlsOptionsData : public QSharedData
{
public:
    QList<QSslCertificate> caCertificates;
    bool systemCaCertificatesUsed = true;
    QSslCertificate clientCertificate;
    QSslKey clientKey;
    QString peerVerifyName;
    bool hostNameCheck = true;
    QList<QByteArray> pins;
    QSsl::SslProtocol minimumProtocol = QSsl::TlsV1_2OrLater;
    // sslConfiguration(), built once: every request of a Client then carries the same object.
    // Cleared by every change (each setter).
    mutable std::optional<QSslConfiguration> built;

    bool operator==(const TlsOptionsData &o) const
    {
        return caCertificates == o.caCertificates && systemCaCertificatesUsed == o.systemCaCertificatesUsed
            && clientCertificate == o.clientCertificate && clientKey == o.clientKey
            && peerVerifyName == o.peerVerifyName && hostNameCheck == o.hostNameCheck && pins == o.pins
            && minimumProtocol == o.minimumProtocol;
    }
};

namespace {
// Every default-constructed TlsOptions shares this data until it is changed (copy on write):
// building one costs Qt's TLS back-end set-up (QSslCertificate, QSslKey), and Courier makes one
// per request.
const QSharedDataPointer<TlsOptionsData> &defaultData()
{
    static const QSharedDataPointer<TlsOptionsData> data(new TlsOptionsData);
    return data;
}
} // namespace

TlsOptions::TlsOptions()
    : d(defaultData())
{
}
TlsOptions::TlsOptions(const TlsOptions &other) = default;
TlsOptions::TlsOptions(TlsOptions &&other) noexcept = default;
TlsOptions &TlsOptions::operator=(const TlsOptions &other) = default;
TlsOptions &TlsOptions::operator=(TlsOptions &&other) noexcept = default;
TlsOptions::~TlsOptions() = default;

bool TlsOptions::isDefault() const { return d == defaultData() || *d == *defaultData(); }
bool TlsOptions::isEqual(const TlsOptions &other) const { return d == other.d || *d == *other.d; }

void TlsOptions::addCaCertificates(const QList<QSslCertificate> &certificates)
{
    d->caCertificates += certificates;
    d->built.reset();
}

bool TlsOptions::addCaCertificatesFromPem(const QByteArray &pem)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certificates.isEmpty())
        return false;
    addCaCertificates(certificates);
    return true;
}

bool TlsOptions::addCaCertificatesFromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    return addCaCertificatesFromPem(file.readAll());
}

QList<QSslCertificate> TlsOptions::caCertificates() const { return d->caCertificates; }
bool TlsOptions::systemCaCertificatesUsed() const { return d->systemCaCertificatesUsed; }
void TlsOptions::setSystemCaCertificatesUsed(bool used)
{
    d->systemCaCertificatesUsed = used;
    d->built.reset();
}

void TlsOptions::setClientCertificate(const QSslCertificate &certificate, const QSslKey &key)
{
    d->clientCertificate = certificate;
    d->clientKey = key;
    d->built.reset();
}

bool TlsOptions::setClientCertificateFromPem(const QByteArray &certificatePem, const QByteArray &keyPem,
                                             const QByteArray &passphrase)
{
    const QSslCertificate certificate(certificatePem, QSsl::Pem);
    if (certificate.isNull())
        return false;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa, QSsl::Dh}) {
        const QSslKey key(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey, passphrase);
        if (!key.isNull()) {
            setClientCertificate(certificate, key);
            return true;
        }
    }
    return false;
}

QSslCertificate TlsOptions::clientCertificate() const { return d->clientCertificate; }
QSslKey TlsOptions::clientKey() const { return d->clientKey; }

QString TlsOptions::peerVerifyName() const { return d->peerVerifyName; }
void TlsOptions::setPeerVerifyName(const QString &name)
{
    d->peerVerifyName = name;
    d->built.reset();
}
bool TlsOptions::hostNameCheckEnabled() const { return d->hostNameCheck; }
void TlsOptions::setHostNameCheckEnabled(bool enabled)
{
    d->hostNameCheck = enabled;
    d->built.reset();
}

bool TlsOptions::addPinnedPublicKey(const QByteArray &pin)
{
    QByteArray encoded = pin.trimmed();
    if (encoded.startsWith("sha256//"))
        encoded = encoded.mid(8);
    const auto decoded = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 32)
        return false;
    if (!d->pins.contains(decoded.decoded))
        d->pins.append(decoded.decoded);
    return true;
}

QList<QByteArray> TlsOptions::pinnedPublicKeys() const { return d->pins; }

QByteArray TlsOptions::publicKeyPin(const QSslCertificate &certificate)
{
    // QSslKey::toDer() of a public key is its SubjectPublicKeyInfo, what curl and HPKP hash.
    return QCryptographicHash::hash(certificate.publicKey().toDer(), QCryptographicHash::Sha256).toBase64();
}

QSsl::SslProtocol TlsOptions::minimumProtocol() const { return d->minimumProtocol; }
void TlsOptions::setMinimumProtocol(QSsl::SslProtocol protocol)
{
    d->minimumProtocol = protocol;
    d->built.reset();
}

QSslConfiguration TlsOptions::sslConfiguration() const
{
    if (!d->built) {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        applyTo(configuration);
        d->built = configuration;
    }
    return *d->built;
}

void TlsOptions::applyTo(QSslConfiguration &configuration) const
{
    if (!d->systemCaCertificatesUsed) {
        configuration.setCaCertificates(d->caCertificates);
    } else if (!d->caCertificates.isEmpty()) {
        // Qt loads the system's CA certificates on demand only while the list was never set (adding
        // to it turns that off too), so the system set is read once and given with the extras.
        static const QList<QSslCertificate> system = QSslConfiguration::systemCaCertificates();
        configuration.setCaCertificates(system + d->caCertificates);
    }
    if (!d->clientCertificate.isNull()) {
        configuration.setLocalCertificate(d->clientCertificate);
        configuration.setPrivateKey(d->clientKey);
    }
    configuration.setProtocol(d->minimumProtocol);
}

} // namespace Courier
