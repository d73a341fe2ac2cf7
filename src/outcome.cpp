// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "outcome_p.h"

#include "proxy_p.h"
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

QString failureMessage(Response::Error error, const QString &where, const QString &detail)
{
    if (detail.isEmpty())
        return QStringLiteral("%1 (%2)").arg(errorTitle(error), where);
    return QStringLiteral("%1 (%2: %3)").arg(errorTitle(error), where, detail);
}

Failure timeoutFailure(TimeoutKind kind, const QString &where, std::chrono::milliseconds limit)
{
    QString detail;
    switch (kind) {
    case TimeoutKind::Connect:
        detail = QStringLiteral("no connection within %1 ms, the connect timeout").arg(limit.count());
        break;
    case TimeoutKind::Read: detail = QStringLiteral("no data for %1 ms, the read timeout").arg(limit.count()); break;
    case TimeoutKind::Total:
        detail = QStringLiteral("the request took longer than its total timeout of %1 ms").arg(limit.count());
        break;
    case TimeoutKind::None: return {};
    }
    return {Response::Timeout, failureMessage(Response::Timeout, where, detail)};
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

namespace {

// Whether the engine's \a words say no more than the title of \a error and the place do. Both
// engines word a refusal, a name that did not resolve and a cancel as Qt does (the libcurl
// engine copies Qt's words); "Unknown error" is what Qt says when it knows nothing.
bool restates(Response::Error error, const QString &words)
{
    if (words.isEmpty() || words.compare(errorTitle(error), Qt::CaseInsensitive) == 0
        || words == QLatin1String("Unknown error"))
        return true;
    switch (error) {
    case Response::ConnectionRefused:
    case Response::ProxyConnectionRefused:
        return words == QLatin1String("Connection refused") || words == QLatin1String("Proxy connection refused")
            || words == QLatin1String("Connection to proxy refused");
    case Response::HostNotFound:
    case Response::ProxyNotFound:
        return (words.startsWith(QLatin1String("Host ")) && words.endsWith(QLatin1String(" not found")))
            || words == QLatin1String("Proxy not found");
    case Response::OperationCanceled: return words == QLatin1String("Operation canceled");
    default: return false;
    }
}

// Qt 6.4 reports a proxy's failures as the server's: through an HTTP proxy, the peer of an http
// request's connection is the proxy; for the others, Qt's proxy socket engines say it in words.
Response::Error proxysOwn(Response::Error e, const TransportError &f)
{
    if (!Proxies::isProxy(f.proxy) || f.status != 0)
        return e;
    const bool plainThroughHttpProxy = Proxies::isHttpProxy(f.proxy) && !Url::isHttps(f.url);
    if ((e == Response::ConnectionRefused && plainThroughHttpProxy)
        || (e == Response::UnknownNetworkError
            && (f.message == QLatin1String("Proxy connection refused")
                || f.message == QLatin1String("Connection to proxy refused"))))
        return Response::ProxyConnectionRefused;
    if (e == Response::HostNotFound && plainThroughHttpProxy)
        return Response::ProxyNotFound;
    return e;
}

// Where \a e happened: the proxy for its errors, else the server; a host alone for a name that
// did not resolve.
QString placeOf(Response::Error e, const TransportError &f)
{
    if (Response::categoryOf(e) == Response::Proxy && Proxies::isProxy(f.proxy))
        return e == Response::ProxyNotFound ? f.proxy.hostName() : Proxies::hostAndPort(f.proxy);
    return e == Response::HostNotFound ? f.url.host() : Url::hostAndPort(f.url);
}

} // namespace

Failure classifyTransportError(const TransportError &f)
{
    Response::Error e = Response::UnknownNetworkError;
    if (QMetaEnum::fromType<Response::Error>().valueToKey(int(f.error)))
        e = Response::Error(int(f.error));
    e = proxysOwn(e, f);
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
    } else if (e == Response::RemoteHostClosed) {
        // Qt says the same when the server closes and when what it sends is not HTTP; both
        // engines' words ("Connection closed", "transfer closed with 60 bytes remaining to
        // read") say less than what Courier counted.
        detail = f.status == 0 ? QStringLiteral("before a complete HTTP response") : QString();
    }
    if (!f.url.userInfo().isEmpty()) {
        detail.replace(f.url.toString(), Url::redacted(f.url));
        if (!f.url.password().isEmpty())
            detail.replace(f.url.password(), QLatin1String("***"));
    }
    if (e == Response::SslHandshakeFailed && !f.sslErrors.isEmpty())
        detail = f.sslErrors.join(QLatin1String("; "));
    // The libcurl engine's words may already begin with the title ("TLS handshake failed (…)").
    const QString titled = errorTitle(e) + QLatin1String(" (");
    if (detail.startsWith(titled, Qt::CaseInsensitive) && detail.endsWith(QLatin1Char(')')))
        detail = detail.mid(titled.size()).chopped(1);
    if (restates(e, detail))
        detail.clear();
    if (f.status != 0 && Response::categoryOf(e) == Response::Network) {
        const QString counted = f.contentLength >= 0
            ? QStringLiteral("after %1 of the %2 bytes announced by Content-Length").arg(f.received).arg(f.contentLength)
            : QStringLiteral("after %1 bytes of the body").arg(f.received);
        detail = detail.isEmpty() ? counted : detail + QLatin1String(", ") + counted;
    }
    return {e, failureMessage(e, placeOf(e, f), detail), true};
}

} // namespace Courier
