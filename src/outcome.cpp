#include "outcome_p.h"

#include "status_p.h"
#include "tlscheck_p.h"
#include "url_p.h"

#include <QtCore/QMetaEnum>

namespace Courier {

QString errorTitle(Response::Error error)
{
    switch (error) {
    case Response::NoError: return QStringLiteral("No error");
    case Response::ConnectionRefused: return QStringLiteral("Connection refused");
    case Response::RemoteHostClosed: return QStringLiteral("The server closed the connection early");
    case Response::HostNotFound: return QStringLiteral("Host not found");
    case Response::Timeout: return QStringLiteral("Timed out");
    case Response::OperationCanceled: return QStringLiteral("Canceled");
    case Response::SslHandshakeFailed: return QStringLiteral("TLS handshake failed");
    case Response::TemporaryNetworkFailure: return QStringLiteral("Temporary network failure");
    case Response::NetworkSessionFailed: return QStringLiteral("Network session failed");
    case Response::TooManyRedirects: return QStringLiteral("Too many redirects");
    case Response::InsecureRedirect: return QStringLiteral("Insecure redirect refused");
    case Response::UnknownNetworkError: return QStringLiteral("Network error");
    case Response::ProxyConnectionRefused: return QStringLiteral("The proxy refused the connection");
    case Response::ProxyConnectionClosed: return QStringLiteral("The proxy closed the connection early");
    case Response::ProxyNotFound: return QStringLiteral("Proxy not found");
    case Response::ProxyTimeout: return QStringLiteral("The proxy timed out");
    case Response::ProxyAuthenticationRequired: return QStringLiteral("Proxy authentication required");
    case Response::UnknownProxyError: return QStringLiteral("Proxy error");
    case Response::ContentAccessDenied: return QStringLiteral("Access denied");
    case Response::ContentOperationNotPermitted: return QStringLiteral("Method not allowed");
    case Response::ContentNotFound: return QStringLiteral("Not found");
    case Response::AuthenticationRequired: return QStringLiteral("Authentication required");
    case Response::ContentReSend: return QStringLiteral("The request body cannot be sent again");
    case Response::ContentConflict: return QStringLiteral("Conflict");
    case Response::ContentGone: return QStringLiteral("Gone");
    case Response::UnknownContentError: return QStringLiteral("Client error");
    case Response::ProtocolUnknown: return QStringLiteral("Unsupported protocol");
    case Response::ProtocolInvalidOperation: return QStringLiteral("Invalid request");
    case Response::ProtocolFailure: return QStringLiteral("Protocol error");
    case Response::InternalServerError: return QStringLiteral("Internal server error");
    case Response::OperationNotImplemented: return QStringLiteral("Not implemented");
    case Response::ServiceUnavailable: return QStringLiteral("Service unavailable");
    case Response::UnknownServerError: return QStringLiteral("Server error");
    }
    return QStringLiteral("Error");
}

Failure timeoutFailure(TimeoutKind kind, const QString &where, std::chrono::milliseconds limit)
{
    switch (kind) {
    case TimeoutKind::Connect:
        return {Response::Timeout,
                QStringLiteral("Timed out: no connection to %1 within %2 ms (connect timeout)")
                    .arg(where)
                    .arg(limit.count())};
    case TimeoutKind::Read:
        return {Response::Timeout, QStringLiteral("Timed out: no data for %1 ms (read timeout)").arg(limit.count())};
    case TimeoutKind::Total:
        return {
            Response::Timeout,
            QStringLiteral("Timed out: the request took longer than its total timeout of %1 ms").arg(limit.count())};
    case TimeoutKind::None: break;
    }
    return {};
}

bool exchangeWorked(QNetworkReply::NetworkError error, int status)
{
    return error == QNetworkReply::NoError || (status >= 400 && error == StatusRules::qtError(status));
}

Failure statusOutcome(int status, const QString &statusMessage)
{
    const Response::Error e = Response::errorForStatus(status);
    if (e == Response::NoError)
        return {Response::NoError, QString(), false};
    const QString who = e == Response::ProxyAuthenticationRequired ? QStringLiteral("proxy") : QStringLiteral("server");
    return {e, QStringLiteral("%1: the %2 replied %3 %4").arg(errorTitle(e), who).arg(status).arg(statusMessage),
            false};
}

bool brokeWhileSending(const TransportError &f)
{
    // Qt reports it as RemoteHostClosedError or, after EPIPE or a reset, as UnknownNetworkError
    // with "Unknown error".
    return f.status == 0
        && (f.error == QNetworkReply::UnknownNetworkError || f.error == QNetworkReply::RemoteHostClosedError)
        && f.hasBody && (f.toSend < 0 || f.sent < f.toSend);
}

bool isUnprocessedHttp2(QNetworkReply::NetworkError error, const QString &message)
{
    return (error == QNetworkReply::ContentReSendError
            && message.contains(QLatin1String("stopped accepting new streams")))
        || (error == QNetworkReply::ProtocolUnknownError && message.contains(QLatin1String("GOAWAY received")))
        || (error == QNetworkReply::ProtocolFailure && message.contains(QLatin1String("Server refused a stream")));
}

Failure classifyTransportError(const TransportError &f)
{
    Response::Error e = Response::UnknownNetworkError;
    if (QMetaEnum::fromType<Response::Error>().valueToKey(int(f.error)))
        e = Response::Error(int(f.error));
    QString detail = f.message;
    // Qt calls some failures of a request it could not send again ContentReSendError: without a
    // body to blame, that is the connection closing.
    if (e == Response::ContentReSend && !f.hasBody)
        e = Response::RemoteHostClosed;
    const bool broke = brokeWhileSending(f);
    if (TlsCheck::isAlert(detail) && (e == Response::UnknownNetworkError || e == Response::RemoteHostClosed)) {
        e = Response::SslHandshakeFailed;
    } else if (broke) {
        e = Response::RemoteHostClosed;
        detail = f.toSend < 0
            ? QStringLiteral("while the request body was being sent, after %1 bytes").arg(f.sent)
            : QStringLiteral("while the request body was being sent, after %1 of %2 bytes").arg(f.sent).arg(f.toSend);
    } else if (e == Response::RemoteHostClosed && f.status == 0) {
        // Qt says the same when the server closes and when what it sends is not HTTP.
        detail = QStringLiteral("before a complete HTTP response");
    }
    if (f.status != 0 && Response::categoryOf(e) == Response::Network) {
        detail += f.contentLength >= 0 ? QStringLiteral(", after %1 of the %2 bytes announced by Content-Length")
                                             .arg(f.received)
                                             .arg(f.contentLength)
                                       : QStringLiteral(", after %1 bytes of the body").arg(f.received);
    }
    if (!f.url.userInfo().isEmpty()) {
        detail.replace(f.url.toString(), Url::redacted(f.url));
        if (!f.url.password().isEmpty())
            detail.replace(f.url.password(), QLatin1String("***"));
    }
    if (e == Response::SslHandshakeFailed && !f.sslErrors.isEmpty())
        detail = f.sslErrors.join(QLatin1String("; "));
    // The libcurl engine's words may already begin with the title ("TLS handshake failed (…)").
    const QString title = errorTitle(e);
    const QString titled = title + QLatin1String(" (");
    if (detail.startsWith(titled, Qt::CaseInsensitive) && detail.endsWith(QLatin1Char(')')))
        detail = detail.mid(titled.size()).chopped(1);
    const QString where = Url::hostAndPort(f.url);
    if (detail.compare(title, Qt::CaseInsensitive) == 0 || detail.isEmpty())
        detail = where;
    else
        detail = where + QLatin1String(": ") + detail;
    return {e, title + QLatin1String(" (") + detail + QLatin1Char(')'), true};
}

} // namespace Courier
