// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// classifyCurlResult(): a finished libcurl transfer's CURLcode, and what CurlReply saw of the
// exchange, as Qt's error and message. The rules apply in the order they are written.

#include "curlerrors_p.h"

#include "status_p.h"
#include "tlscheck_p.h"
#include "url_p.h"

#include <QtNetwork/QSslError>

#include <openssl/x509_vfy.h>

#if defined(Q_OS_WIN)
#include <winsock2.h>
#else
#include <cerrno>
#endif

namespace Courier {

namespace {

// OpenSSL's verdict on the server's certificate (CURLINFO_SSL_VERIFYRESULT) as Qt's engine words
// it (QSslError, mapped as Qt's OpenSSL backend maps it); libcurl's own \a detail when Qt has no
// words for it. libcurl reports the first problem of the chain, where Qt lists them all.
QString certificateProblem(long verifyResult, const QString &detail)
{
    // libcurl checks the name itself once OpenSSL verified the chain, and says so in words ("SSL:
    // no alternative certificate subject name matches target host name '127.0.0.1'").
    if (detail.contains(QLatin1String("target host name")))
        return QSslError(QSslError::HostNameMismatch).errorString();
    QSslError::SslError e = QSslError::NoError;
    switch (verifyResult) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT: e = QSslError::UnableToGetIssuerCertificate; break;
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE: e = QSslError::UnableToDecryptCertificateSignature; break;
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: e = QSslError::UnableToDecodeIssuerPublicKey; break;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE: e = QSslError::CertificateSignatureFailed; break;
    case X509_V_ERR_CERT_NOT_YET_VALID: e = QSslError::CertificateNotYetValid; break;
    case X509_V_ERR_CERT_HAS_EXPIRED: e = QSslError::CertificateExpired; break;
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD: e = QSslError::InvalidNotBeforeField; break;
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD: e = QSslError::InvalidNotAfterField; break;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: e = QSslError::SelfSignedCertificate; break;
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: e = QSslError::SelfSignedCertificateInChain; break;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: e = QSslError::UnableToGetLocalIssuerCertificate; break;
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: e = QSslError::UnableToVerifyFirstCertificate; break;
    case X509_V_ERR_CERT_REVOKED: e = QSslError::CertificateRevoked; break;
    case X509_V_ERR_INVALID_CA: e = QSslError::InvalidCaCertificate; break;
    case X509_V_ERR_PATH_LENGTH_EXCEEDED: e = QSslError::PathLengthExceeded; break;
    case X509_V_ERR_INVALID_PURPOSE: e = QSslError::InvalidPurpose; break;
    case X509_V_ERR_CERT_UNTRUSTED: e = QSslError::CertificateUntrusted; break;
    case X509_V_ERR_CERT_REJECTED: e = QSslError::CertificateRejected; break;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH: e = QSslError::HostNameMismatch; break;
    default: break;
    }
    return e == QSslError::NoError ? detail : QSslError(e).errorString();
}

// CURLINFO_OS_ERRNO of a connection the peer reset or closed: errno values, Winsock's on Windows.
bool isConnectionReset(long osError)
{
#if defined(Q_OS_WIN)
    return osError == WSAECONNRESET || osError == WSAECONNABORTED;
#else
    return osError == ECONNRESET || osError == EPIPE;
#endif
}

} // namespace

CurlOutcome classifyCurlResult(const CurlResultFacts &facts)
{
    const CURLcode code = facts.code;
    const QString &detail = facts.detail;
    QNetworkReply::NetworkError e = QNetworkReply::NoError;
    QString message;
    // libcurl 7.88 refuses a header line past 100 KiB as "Out of memory", and a block past
    // 300 KiB as a receive error naming the headers.
    const bool headerLimit = (code == CURLE_OUT_OF_MEMORY && !facts.headersDone)
        || (code == CURLE_RECV_ERROR && detail.contains(QLatin1String("header"), Qt::CaseInsensitive));
    switch (code) {
    case CURLE_OK:
        // A connection closed inside the header block can leave libcurl content with a status.
        if (!facts.headersDone || !facts.statusSet) {
            e = QNetworkReply::RemoteHostClosedError;
            message = QStringLiteral("Connection closed before the response's headers ended");
        }
        break;
    // A refusal and a name that does not resolve in Qt's words, which say all there is to say
    // (libcurl's name the address and the time it took).
    case CURLE_COULDNT_CONNECT:
        // A server that accepts and at once resets the connection, before libcurl has looked at it,
        // has not refused it (that is a reset in answer to the SYN): the connection closed, as Qt's
        // engine, and libcurl itself a moment later, report it.
        if (!facts.proxied && isConnectionReset(facts.osError)) {
            e = QNetworkReply::RemoteHostClosedError;
            message = QStringLiteral("Connection closed before the request was sent (%1)")
                          .arg(qt_error_string(int(facts.osError)));
            break;
        }
        e = facts.proxied ? QNetworkReply::ProxyConnectionRefusedError : QNetworkReply::ConnectionRefusedError;
        if (facts.osError != 0 && facts.osError != ECONNREFUSED)
            message = qt_error_string(int(facts.osError)); // no refusal: "No route to host", …
        else
            message = facts.proxied ? QStringLiteral("Proxy connection refused") : QStringLiteral("Connection refused");
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        e = QNetworkReply::HostNotFoundError;
        message = QStringLiteral("Host %1 not found").arg(facts.url.host());
        break;
    case CURLE_COULDNT_RESOLVE_PROXY:
        e = QNetworkReply::ProxyNotFoundError;
        message = QStringLiteral("Proxy not found");
        break;
    case CURLE_OPERATION_TIMEDOUT:
        e = QNetworkReply::TimeoutError;
        message = QStringLiteral("Transfer timed out (%1)").arg(detail);
        break;
    case CURLE_SSL_CONNECT_ERROR:
        // The peer closing or resetting the connection in the handshake is that, as with Qt.
        if (isConnectionReset(facts.osError) || detail.contains(QLatin1String("SSL_ERROR_SYSCALL"))
            || detail.contains(QLatin1String("unexpected eof"), Qt::CaseInsensitive)) {
            e = QNetworkReply::RemoteHostClosedError;
            message = QStringLiteral("Connection closed in the TLS handshake (%1)").arg(detail);
            break;
        }
        Q_FALLTHROUGH();
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_INITFAILED:
        e = QNetworkReply::SslHandshakeFailedError;
        message = QStringLiteral("TLS handshake failed (%1)")
                      .arg(code == CURLE_PEER_FAILED_VERIFICATION ? certificateProblem(facts.verifyResult, detail)
                                                                  : detail);
        break;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        e = QNetworkReply::RemoteHostClosedError;
        message = QStringLiteral("Connection closed (%1)").arg(detail);
        break;
    case CURLE_TOO_MANY_REDIRECTS:
        e = QNetworkReply::TooManyRedirectsError;
        message = detail;
        break;
    case CURLE_UNSUPPORTED_PROTOCOL:
        // Only http and https get here: a redirect to another scheme, or a response in no HTTP.
        e = facts.followRedirects && facts.headersDone ? QNetworkReply::InsecureRedirectError
                                                       : QNetworkReply::ProtocolFailure;
        message = e == QNetworkReply::ProtocolFailure
            ? QStringLiteral("The server's response is not HTTP (%1)").arg(detail)
            : detail;
        break;
    case CURLE_BAD_CONTENT_ENCODING:
        e = QNetworkReply::UnknownContentError;
        message = detail;
        break;
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
        e = QNetworkReply::AuthenticationRequiredError;
        message = detail;
        break;
    case CURLE_URL_MALFORMAT:
        e = QNetworkReply::ProtocolInvalidOperationError;
        message = detail;
        break;
    case CURLE_PROXY:
        // A SOCKS proxy's refusal, in Qt's terms where Qt has them.
        switch (facts.proxyError) {
        case CURLPX_USER_REJECTED:
        case CURLPX_NO_AUTH: e = QNetworkReply::ProxyAuthenticationRequiredError; break;
        case CURLPX_REPLY_CONNECTION_REFUSED: e = QNetworkReply::ConnectionRefusedError; break;
        case CURLPX_REPLY_HOST_UNREACHABLE: e = QNetworkReply::HostNotFoundError; break;
        default: e = QNetworkReply::UnknownProxyError; break;
        }
        // The server's refusal, or its name, as if without a proxy; the proxy's own in libcurl's words.
        message = e == QNetworkReply::ConnectionRefusedError ? QStringLiteral("Connection refused")
            : e == QNetworkReply::HostNotFoundError          ? QStringLiteral("Host %1 not found").arg(facts.url.host())
                                                             : detail;
        break;
    case CURLE_ABORTED_BY_CALLBACK:
        e = QNetworkReply::OperationCanceledError;
        message = QStringLiteral("Operation canceled");
        break;
    default:
        e = code == CURLE_WEIRD_SERVER_REPLY || code == CURLE_HTTP2 || code == CURLE_HTTP2_STREAM
            ? QNetworkReply::ProtocolFailure
            : QNetworkReply::UnknownNetworkError;
        message = detail;
        break;
    }
    // An alert from the TLS peer read after the handshake (TLS 1.3: a server refusing the
    // client's certificate says so only then) is the TLS session failing, as with Qt.
    if (facts.https && (code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR) && TlsCheck::isAlert(detail)) {
        e = QNetworkReply::SslHandshakeFailedError;
        message = QStringLiteral("TLS handshake failed (%1)").arg(detail);
    }
    if (code == CURLE_RECV_ERROR && detail.contains(QLatin1String("chunked-encoding"))) {
        e = QNetworkReply::ProtocolFailure; // a malformed chunk: the body's framing is broken, not the connection
        message = QStringLiteral("The chunked body is malformed (%1)").arg(detail);
    }
    if (headerLimit) {
        e = QNetworkReply::ProtocolFailure;
        message = QStringLiteral("The response headers are too large (%1)").arg(detail);
    }
    // libcurl decoding a chain of codings (or a zstd frame) runs out of memory before it would
    // say the data is bad: a body that does not decode, as Qt's engine calls it.
    if (code == CURLE_OUT_OF_MEMORY && facts.headersDone && facts.hasContentEncoding) {
        e = QNetworkReply::UnknownContentError;
        message = QStringLiteral("Decompression failed (%1)").arg(detail);
    }
    // The proxy's answer to CONNECT, for an https URL through an HTTP proxy.
    if (code != CURLE_OK && facts.proxied && facts.connectCode >= 300) {
        e = facts.connectCode == 407 ? QNetworkReply::ProxyAuthenticationRequiredError
                                     : QNetworkReply::UnknownProxyError;
        message = facts.connectCode == 407 ? QStringLiteral("Proxy requires authentication (%1)").arg(detail)
                                           : QStringLiteral("The proxy refused the tunnel (%1)").arg(detail);
    }
    // An HTTP/2 server's early answer (see CurlReply::onWrite()), where libcurl got to sending
    // again first ("stream closed"): the response is whole, and that is what counts.
    if ((code == CURLE_HTTP2_STREAM || code == CURLE_SEND_ERROR) && facts.callbackError == QNetworkReply::NoError
        && facts.responseComplete) {
        e = QNetworkReply::NoError;
        message.clear();
    }
    if (facts.callbackError != QNetworkReply::NoError) {
        e = facts.callbackError;
        message = facts.callbackMessage;
    }
    if (e == QNetworkReply::NoError && facts.status >= 400) {
        e = StatusRules::qtError(facts.status);
        message = QStringLiteral("Error transferring %1 - server replied: %2")
                      .arg(Url::redacted(facts.url), QString::fromLatin1(facts.reason));
    }
    return {e, message};
}

} // namespace Courier
