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
    Digest (SHA-512, SHA-256 or MD5, each also "-sess"; qop "auth", or "auth-int" when \a body is
    given) before Basic. \a uri is the request target (path and query), \a cnonce the client nonce
    (random when empty). Empty when no challenge is supported.
*/
QByteArray authorization(const QByteArray &wwwAuthenticate, const QByteArray &method, const QByteArray &uri,
                         const QString &user, const QString &password, const QByteArray *body,
                         const QByteArray &cnonce = QByteArray());

/*! "Basic " and the base64 of user:password in UTF-8 (RFC 7617). */
QByteArray basic(const QString &user, const QString &password);

} // namespace Courier::Auth
