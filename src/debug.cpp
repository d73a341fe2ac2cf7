// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// How Courier's types show in qDebug(): one place, so that one rule keeps secrets out of every one
// of them. A secret is never written, only that it is set ("<redacted>"): the URL's password, the
// credentials' password, a bearer token, the values of the credential fields and of the headers
// the application called sensitive, a client certificate's private key. Bodies are described by
// kind and size, never shown.

#include "Courier/response.h"

#include "headers_p.h"

#include <QtCore/QDebug>
#include <QtCore/QMetaEnum>
#include <QtNetwork/QHttpMultiPart>

#ifndef QT_NO_DEBUG_STREAM

namespace Courier {

namespace {

const char redactedText[] = "<redacted>";

// Writes "name: " before each field, with ", " between fields.
class Fields
{
public:
    Fields(QDebug &debug, bool first)
        : m_debug(debug)
        , m_first(first)
    {
    }

    QDebug &operator()(const char *name)
    {
        if (!m_first)
            m_debug << ", ";
        m_first = false;
        return m_debug << name << ": ";
    }

private:
    QDebug &m_debug;
    bool m_first;
};

// The enumerator's name, as Q_ENUM knows it, or its number.
template <typename Enum>
void writeKey(QDebug &debug, Enum value)
{
    if (const char *key = QMetaEnum::fromType<Enum>().valueToKey(int(value)))
        debug << key;
    else
        debug << int(value);
}

void writeMsecs(QDebug &debug, std::chrono::milliseconds msecs) { debug << msecs.count() << "ms"; }

// QUrl's form without the password, then whether there is one.
void writeUrl(QDebug &debug, Fields &fields, const QUrl &url)
{
    debug << url.adjusted(QUrl::RemovePassword);
    if (!url.password().isEmpty())
        fields("urlPassword") << redactedText;
}

bool isSecretField(const QByteArray &name, const QList<QByteArray> &sensitive)
{
    const auto named = [&name](const QByteArray &other) { return name.compare(other, Qt::CaseInsensitive) == 0; };
    return std::any_of(std::begin(Headers::credentialFields), std::end(Headers::credentialFields), named)
        || std::any_of(sensitive.cbegin(), sensitive.cend(), named);
}

void writeBody(Fields &fields, const Request &request)
{
    switch (request.bodyKind()) {
    case Request::BodyKind::None: return;
    case Request::BodyKind::Bytes: fields("body") << request.body().size() << " bytes"; break;
    case Request::BodyKind::Data: {
        const QVariant data = request.data();
        fields("data") << (data.isValid() ? data.metaType().name() : "invalid"); // the type, not the value
        return;
    }
    case Request::BodyKind::Device:
        fields("bodyDevice") << request.bodyDevice();
        if (request.bodyDeviceSize() >= 0)
            fields("bodyDeviceSize") << request.bodyDeviceSize();
        break;
    case Request::BodyKind::Multipart: fields("multipart") << request.multipart(); break;
    }
    fields("contentType") << request.contentType();
}

void writeOptions(Fields &fields, const Request &request)
{
    if (request.connectTimeout() != Request::UseClientDefault)
        writeMsecs(fields("connectTimeout"), request.connectTimeout());
    if (request.readTimeout() != Request::UseClientDefault)
        writeMsecs(fields("readTimeout"), request.readTimeout());
    if (request.totalTimeout() != Request::UseClientDefault)
        writeMsecs(fields("totalTimeout"), request.totalTimeout());
    if (request.maximumRedirects() >= 0)
        fields("maximumRedirects") << request.maximumRedirects();
    if (request.insecureRedirectsAllowed())
        fields("insecureRedirectsAllowed") << *request.insecureRedirectsAllowed();
    if (!request.sensitiveHeaders().isEmpty())
        fields("sensitiveHeaders") << request.sensitiveHeaders();
    if (!request.user().isNull())
        fields("user") << request.user();
    if (!request.password().isEmpty())
        fields("password") << redactedText;
    if (request.preemptiveAuthentication())
        fields("preemptiveAuthentication") << *request.preemptiveAuthentication();
    if (!request.bearerToken().isEmpty())
        fields("bearerToken") << redactedText;
    if (request.maximumAuthRetries() >= 0)
        fields("maximumAuthRetries") << request.maximumAuthRetries();
    if (request.tlsOptions())
        fields("tlsOptions") << *request.tlsOptions();
    if (request.protocol())
        writeKey(fields("protocol"), *request.protocol());
    if (request.priority() != Request::MinimumPriority)
        fields("priority") << request.priority();
    if (request.readBufferSize() >= 0)
        fields("readBufferSize") << request.readBufferSize();
    if (request.maximumBodySize() >= 0)
        fields("maximumBodySize") << request.maximumBodySize();
    if (request.retryPolicy())
        fields("retryPolicy") << *request.retryPolicy();
    if (!request.usingCache())
        fields("usingCache") << false;
    if (request.expectedDataType() != Request::DataType::Auto)
        writeKey(fields("expectedDataType"), request.expectedDataType());
}

const char *protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2: return "TlsV1_2";
    case QSsl::TlsV1_2OrLater: return "TlsV1_2OrLater";
    case QSsl::TlsV1_3: return "TlsV1_3";
    case QSsl::TlsV1_3OrLater: return "TlsV1_3OrLater";
    case QSsl::AnyProtocol: return "AnyProtocol";
    case QSsl::SecureProtocols: return "SecureProtocols";
    default: return nullptr;
    }
}

} // namespace

QDebug operator<<(QDebug debug, const Request &request)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "Courier::Request(" << request.method() << ", ";
    Fields fields(debug, false);
    writeUrl(debug, fields, request.url());
    if (!request.headers().isEmpty()) {
        fields("headers") << '{';
        const QList<QByteArray> sensitive = request.sensitiveHeaders();
        const char *separator = "";
        for (const auto &[name, value] : request.headers()) {
            debug << separator << name << ": ";
            if (isSecretField(name, sensitive))
                debug << redactedText;
            else
                debug << value;
            separator = ", ";
        }
        debug << '}';
    }
    if (!request.userAgent().isEmpty())
        fields("userAgent") << request.userAgent();
    if (!request.query().isEmpty())
        fields("query") << request.query().toString(QUrl::FullyEncoded);
    writeBody(fields, request);
    writeOptions(fields, request);
    debug << ')';
    return debug;
}

QDebug operator<<(QDebug debug, const Response *response)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "Courier::Response(" << static_cast<const void *>(response);
    if (!response)
        return debug << ')';
    Fields fields(debug, false);
    debug << ", " << response->request().method() << ", ";
    writeUrl(debug, fields, response->url());
    debug << ", " << (response->isFinished() ? "finished" : "running");
    if (response->statusCode() != 0)
        fields("statusCode") << response->statusCode();
    if (response->error() != Response::NoError)
        writeKey(fields("error"), response->error());
    return debug << ')';
}

QDebug operator<<(QDebug debug, const TlsOptions &options)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "Courier::TlsOptions(";
    if (options.isDefault())
        return debug << "default)";
    Fields fields(debug, true);
    if (!options.caCertificates().isEmpty()) {
        QStringList subjects;
        for (const QSslCertificate &certificate : options.caCertificates())
            subjects << certificate.subjectDisplayName();
        fields("caCertificates") << subjects;
    }
    if (!options.systemCaCertificatesUsed())
        fields("systemCaCertificatesUsed") << false;
    if (!options.clientCertificate().isNull())
        fields("clientCertificate") << options.clientCertificate().subjectDisplayName();
    if (!options.clientKey().isNull())
        fields("clientKey") << redactedText;
    if (!options.peerVerifyName().isEmpty())
        fields("peerVerifyName") << options.peerVerifyName();
    if (!options.hostNameCheckEnabled())
        fields("hostNameCheckEnabled") << false;
    if (!options.pinnedPublicKeys().isEmpty()) {
        QList<QByteArray> pins;
        for (const QByteArray &pin : options.pinnedPublicKeys())
            pins << "sha256//" + pin.toBase64(); // a digest of a public key: nothing secret
        fields("pinnedPublicKeys") << pins;
    }
    if (options.minimumProtocol() != TlsOptions().minimumProtocol()) {
        if (const char *name = protocolName(options.minimumProtocol()))
            fields("minimumProtocol") << name;
        else
            fields("minimumProtocol") << int(options.minimumProtocol());
    }
    return debug << ')';
}

QDebug operator<<(QDebug debug, const RetryPolicy &policy)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "Courier::RetryPolicy(maximumAttempts: " << policy.maximumAttempts() << ", initialDelay: ";
    writeMsecs(debug, policy.initialDelay());
    debug << ", multiplier: " << policy.multiplier() << ", maximumDelay: ";
    writeMsecs(debug, policy.maximumDelay());
    return debug << ", jitter: " << policy.jitter() << ", retriedStatuses: " << policy.retriedStatuses()
                 << ", nonIdempotentRetried: " << policy.nonIdempotentRetried() << ')';
}

QDebug operator<<(QDebug debug, const TimelineEvent &event)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "Courier::TimelineEvent(";
    writeKey(debug, event.kind);
    debug << ", " << event.msecs << "ms, ";
    Fields fields(debug, false);
    writeUrl(debug, fields, event.url);
    return debug << ')';
}

} // namespace Courier

#endif // QT_NO_DEBUG_STREAM
