// classifyCurlResult(): a finished libcurl transfer's CURLcode, and what CurlReply saw of the
// exchange, as Qt's error and message. The rules apply in the order they are written.

#include "curlerrors_p.h"

#include "status_p.h"
#include "tlscheck_p.h"
#include "url_p.h"

#if defined(Q_OS_WIN)
#include <winsock2.h>
#else
#include <cerrno>
#endif

namespace Courier {

namespace {

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
    case CURLE_COULDNT_CONNECT:
        e = facts.proxied ? QNetworkReply::ProxyConnectionRefusedError : QNetworkReply::ConnectionRefusedError;
        message = QStringLiteral("Connection refused (%1)").arg(detail);
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        e = QNetworkReply::HostNotFoundError;
        message = QStringLiteral("Host not found (%1)").arg(detail);
        break;
    case CURLE_COULDNT_RESOLVE_PROXY:
        e = QNetworkReply::ProxyNotFoundError;
        message = detail;
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
        message = QStringLiteral("TLS handshake failed (%1)").arg(detail);
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
        message = detail;
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
