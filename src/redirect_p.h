// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/request.h"
#include "outcome_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QUrl>

namespace Courier {

/*! The options a redirect is followed under. */
struct RedirectRules
{
    int maximumRedirects = 0;
    bool insecureRedirectsAllowed = false;
    QList<QByteArray> sensitiveHeaders; // removed on a cross-origin hop, beyond the credentials
};

/*! What to do with a redirect: follow it with the next hop's request, or fail. */
struct RedirectDecision
{
    Request next; // the request of the next hop (when not failed)
    bool rewindBody = false; // the next hop sends the same body device again: rewind it first
    bool crossOrigin = false; // credentials and sensitive headers were removed
    Failure failure; // set when the redirect is not followed

    bool follows() const { return !failure; }
};

/*!
    The next hop after \a hop (the request just sent) was answered with \a status and the Location
    \a location, after \a redirectsSoFar redirects. The rules, in order (RFC 9110 section 15.4,
    and the Fetch standard for the method change):
    - a Location of another scheme than http or https is refused (ProtocolUnknown), an empty or
      invalid one or one without a host is ProtocolFailure;
    - user information in the Location is dropped;
    - past \a rules.maximumRedirects: TooManyRedirects;
    - https to http: InsecureRedirect unless allowed;
    - a Location without a fragment keeps the request's one (RFC 9110 section 10.2.2);
    - 303 (but for HEAD), and 301/302 after POST, go on as a GET without a body; other
      redirects send the same method and body again;
    - to another origin, Authorization, Cookie, Proxy-Authorization, Host and the sensitive
      headers are removed.
    Pure: no I/O, nothing read but the arguments.
*/
RedirectDecision decideRedirect(const Request &hop, int status, const QByteArray &location, int redirectsSoFar,
                                const RedirectRules &rules);

} // namespace Courier
