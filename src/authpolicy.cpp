// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "authpolicy_p.h"

#include "auth_p.h"
#include "url_p.h"

namespace Courier::Auth {

QUrl takeCredentialsFromUrl(const QUrl &url, Credentials *credentials)
{
    if (url.userInfo().isEmpty())
        return url;
    if (credentials->user.isEmpty())
        *credentials = Credentials{url.userName(QUrl::FullyDecoded), url.password(QUrl::FullyDecoded)};
    QUrl bare = url;
    bare.setUserInfo(QString());
    return bare;
}

HopAuthorization authorizationFor(const Request &hop, const QUrl &origin, const Options &options,
                                  const QByteArray &challengeAnswer)
{
    HopAuthorization out;
    const bool preemptive = options.preemptiveAuthentication && !options.credentials.user.isEmpty();
    if (options.bearerToken.isEmpty() && challengeAnswer.isEmpty() && !preemptive)
        return out; // nothing to send: the origin need not be compared
    if (!Url::sameOrigin(hop.url(), origin) || hop.hasHeader(QByteArrayLiteral("Authorization")))
        return out;
    if (!options.bearerToken.isEmpty()) {
        out.header = "Bearer " + options.bearerToken;
    } else if (!challengeAnswer.isEmpty()) {
        out.header = challengeAnswer;
    } else if (preemptive) {
        out.header = basic(options.credentials.user, options.credentials.password);
        out.preemptiveBasic = true;
    }
    return out;
}

ChallengeAnswer answerChallenge(const Request &hop, const QUrl &origin, const QByteArray &wwwAuthenticate,
                                const Options &options, int offeredSoFar, const QByteArray &cnonce)
{
    const QUrl at = hop.url();
    if (!Url::sameOrigin(at, origin))
        return {{}, QStringLiteral("the challenge comes from another origin than the request's")};
    if (options.credentials.user.isEmpty() || hop.hasHeader("Authorization") || !options.bearerToken.isEmpty())
        return {}; // nothing to answer with, or the application authorizes by itself
    if (offeredSoFar >= options.maximumAuthRetries)
        return {{}, QStringLiteral("the credentials were refused %1 time(s)").arg(offeredSoFar)};
    const QByteArray body = hop.bodyKind() == Request::BodyKind::Bytes ? hop.body() : QByteArray();
    const bool bodyKnown = hop.bodyKind() == Request::BodyKind::None || hop.bodyKind() == Request::BodyKind::Bytes;
    ChallengeAnswer answer;
    QString why;
    answer.authorization = authorization(
        wwwAuthenticate, hop.method(), at.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment),
        options.credentials.user, options.credentials.password, bodyKnown ? &body : nullptr, cnonce, &why);
    if (answer.authorization.isEmpty())
        answer.refusal = QStringLiteral("no challenge Courier can answer%1: %2")
                             .arg(why.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(why),
                                  QString::fromLatin1(wwwAuthenticate.left(200)));
    return answer;
}

} // namespace Courier::Auth
