// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "redirect_p.h"

#include "headers_p.h"
#include "url_p.h"

namespace Courier {

namespace {
RedirectDecision refused(Response::Error error, const QString &message)
{
    RedirectDecision decision;
    decision.failure = Failure{error, message, true};
    return decision;
}
} // namespace

RedirectDecision decideRedirect(const Request &hop, int status, const QByteArray &location, int redirectsSoFar,
                                const RedirectRules &rules)
{
    const QUrl from = hop.url();
    const QByteArray trimmed = location.trimmed();
    QUrl target = from.resolved(QUrl::fromEncoded(trimmed, QUrl::TolerantMode));
    const QString scheme = target.scheme().toLower();
    const bool webScheme = scheme == QLatin1String("http") || scheme == QLatin1String("https");
    // Another scheme first, with or without a host (file:, data:, javascript:): never followed.
    if (!trimmed.isEmpty() && target.isValid() && !webScheme)
        return refused(
            Response::ProtocolUnknown,
            QStringLiteral(
                "Unsupported protocol: the server redirected to a \"%1\" URL; only http and https are followed")
                .arg(Headers::printable(scheme.toLatin1().left(40))));
    if (trimmed.isEmpty() || !target.isValid() || target.host().isEmpty())
        return refused(Response::ProtocolFailure,
                       QStringLiteral("Protocol error: the server redirected to an invalid Location \"%1\"")
                           .arg(Headers::printable(trimmed.left(200))));
    // Credentials in a Location are the server's to give to nobody: they are neither sent nor
    // shown (a redirect is no way to log the client in anywhere).
    target.setUserInfo(QString());
    if (redirectsSoFar >= rules.maximumRedirects)
        return refused(Response::TooManyRedirects,
                       QStringLiteral("Too many redirects: stopped after %1, the limit (last one to %2)")
                           .arg(rules.maximumRedirects)
                           .arg(Url::redacted(target)));
    if (Url::isHttps(from) && scheme == QLatin1String("http") && !rules.insecureRedirectsAllowed)
        return refused(Response::InsecureRedirect,
                       QStringLiteral("Insecure redirect refused: %1 redirected from https to %2")
                           .arg(Url::redacted(from), Url::redacted(target)));
    if (!target.hasFragment() && from.hasFragment())
        target.setFragment(from.fragment(QUrl::FullyEncoded), QUrl::TolerantMode);

    RedirectDecision decision;
    decision.next = hop;
    decision.next.setUrl(target);
    const QByteArray method = hop.method();
    if ((status == 303 && method != "HEAD") || ((status == 301 || status == 302) && method == "POST")) {
        decision.next.setMethod("GET");
        decision.next.clearBody();
        decision.next.removeHeader("Content-Type");
        decision.next.removeHeader("Content-Length");
    } else {
        decision.rewindBody = hop.bodyKind() == Request::BodyKind::Device;
    }
    if (!Url::sameOrigin(from, target)) {
        // Host too: it names the first origin's virtual host, and would route the request to a
        // host of that server's choosing on the next one.
        for (const char *name : Headers::credentialFields)
            decision.next.removeHeader(name);
        decision.next.removeHeader("Host");
        for (const QByteArray &name : rules.sensitiveHeaders)
            decision.next.removeHeader(name);
        decision.crossOrigin = true;
    }
    return decision;
}

} // namespace Courier
