// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/request.h"
#include "options_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QUrl>

// When Courier sends credentials of its own, and which. Pure functions: the challenge parsing
// and Digest computation are auth_p.h's.
namespace Courier::Auth {

/*!
    \a url without user information; the user name and password it held become \a credentials
    when those are empty (credentials set on the request or Client win). URL credentials are
    used like credentials set on the request, and never sent, logged or shown as part of a URL.
*/
QUrl takeCredentialsFromUrl(const QUrl &url, Credentials *credentials);

/*! The Authorization Courier adds to a hop; empty when none. */
struct HopAuthorization
{
    QByteArray header;
    bool preemptiveBasic = false; // the header is preemptive Basic (it counts as one attempt)
};

/*!
    The Authorization of Courier's own for \a hop: only to \a origin (the first hop's), never over
    an Authorization the application set. The bearer token first, then \a challengeAnswer (the
    answer to the previous hop's challenge), then preemptive Basic when asked for.
*/
HopAuthorization authorizationFor(const Request &hop, const QUrl &origin, const Options &options,
                                  const QByteArray &challengeAnswer);

/*! The answer to a 401's challenge, or why there is none. */
struct ChallengeAnswer
{
    QByteArray authorization; // empty: the 401 is the final response
    QString refusal; // why not, for the log; empty when nothing was there to answer with
};

/*!
    Whether and how the 401 to \a hop, with \a wwwAuthenticate, is answered: only for \a origin,
    with credentials, when the application authorizes by no header or token of its own, and
    while \a offeredSoFar is under the options' maximumAuthRetries. \a cnonce is Digest's client
    nonce (the caller's random bytes).
*/
ChallengeAnswer answerChallenge(const Request &hop, const QUrl &origin, const QByteArray &wwwAuthenticate,
                                const Options &options, int offeredSoFar, const QByteArray &cnonce);

} // namespace Courier::Auth
