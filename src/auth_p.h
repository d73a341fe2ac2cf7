// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QString>

// HTTP authentication done by Courier rather than by QNetworkAccessManager, whose credential
// cache would hand one request's credentials to another, and whose Digest knows MD5 only.
namespace Courier::Auth {

struct Challenge
{
    QByteArray scheme; // lower case: "basic", "digest", …
    QMap<QByteArray, QByteArray> params; // lower-case names, unquoted values
};

/*!
    Parses a WWW-Authenticate value, repeated fields joined with ", " as Qt joins them
    (RFC 9110 section 11.6.1). Malformed parts are skipped; never throws, never loops.
*/
QList<Challenge> parseChallenges(const QByteArray &value);

/*!
    The Authorization value answering the best challenge Courier supports in \a wwwAuthenticate:
    Digest before Basic. Digest's algorithms are RFC 7616's (MD5, SHA-256, SHA-512-256) and
    SHA-512, each also "-sess"; the strongest offered is answered (SHA-512, SHA-512-256, SHA-256,
    MD5), or the next when it cannot be. qop "auth", or "auth-int" when \a body is given. The user
    name is hashed when the challenge says userhash=true, and sent as username* (RFC 8187) when
    a quoted-string cannot carry it (non-ASCII, control characters). \a uri is the request target
    (path and query), \a cnonce the client nonce (random when empty). Empty when no challenge is
    supported, with the reasons, if any, in \a why ("Digest algorithm X is not supported").
*/
QByteArray authorization(const QByteArray &wwwAuthenticate, const QByteArray &method, const QByteArray &uri,
                         const QString &user, const QString &password, const QByteArray *body,
                         const QByteArray &cnonce = QByteArray(), QString *why = nullptr);

/*! "Basic " and the base64 of user:password in UTF-8 (RFC 7617). */
QByteArray basic(const QString &user, const QString &password);

} // namespace Courier::Auth
