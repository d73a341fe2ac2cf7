// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "tlscheck_p.h"

#include "Courier/tlsoptions.h"
#include "outcome_p.h"

#include <QtCore/QRegularExpression>
#include <QtNetwork/QSslKey>

namespace Courier::TlsCheck {

QString pinRefusal(const QList<QByteArray> &pins, const QList<QSslCertificate> &chain, const QString &where)
{
    if (pins.isEmpty())
        return {};
    for (const QSslCertificate &certificate : chain) {
        if (pins.contains(QByteArray::fromBase64(TlsOptions::publicKeyPin(certificate))))
            return {};
    }
    return failureMessage(
        Response::SslHandshakeFailed, where,
        QStringLiteral("no certificate in the server's chain of %1 matches a pinned public key").arg(chain.size()));
}

QString weaknessOf(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    const QString subject = certificate.subjectInfo(QSslCertificate::CommonName).value(0);
    const QSslKey key = certificate.publicKey();
    if ((key.algorithm() == QSsl::Rsa || key.algorithm() == QSsl::Dsa) && key.length() > 0 && key.length() < 2048)
        return QStringLiteral("the certificate of \"%1\" has a %2-bit %3 key, too weak for OpenSSL's security level "
                              "(2048 bits at least)")
            .arg(subject)
            .arg(key.length())
            .arg(key.algorithm() == QSsl::Rsa ? QStringLiteral("RSA") : QStringLiteral("DSA"));
    static const QRegularExpression signature(QStringLiteral("Signature Algorithm: *([A-Za-z0-9-]+)"));
    const QString algorithm = signature.match(certificate.toText()).captured(1);
    if (algorithm.contains(QLatin1String("sha1"), Qt::CaseInsensitive)
        || algorithm.contains(QLatin1String("md5"), Qt::CaseInsensitive))
        return QStringLiteral(
                   "the certificate of \"%1\" is signed with %2, a digest too weak for OpenSSL's security level")
            .arg(subject, algorithm);
    return {};
}

QStringList describe(const QList<QSslError> &errors)
{
    QStringList words;
    for (const QSslError &e : errors) {
        const QString weakness = e.error() == QSslError::UnspecifiedError ? weaknessOf(e.certificate()) : QString();
        words.append(weakness.isEmpty() ? e.errorString() : weakness);
    }
    return words;
}

bool onlyNameMismatch(const QList<QSslError> &errors)
{
    return !errors.isEmpty() && std::all_of(errors.cbegin(), errors.cend(), [](const QSslError &e) {
        return e.error() == QSslError::HostNameMismatch;
    });
}

bool isAlert(const QString &message)
{
    return message.contains(QLatin1String("SSL routines")) && message.contains(QLatin1String(" alert "));
}

} // namespace Courier::TlsCheck
