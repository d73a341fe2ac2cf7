// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QDateTime>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QUrl>

namespace Courier::Headers {

/*!
    The fields that carry credentials: never sent to another origin than the request's, and
    never shown in logs (only that they are set).
*/
inline constexpr const char *credentialFields[] = {"Authorization", "Cookie", "Proxy-Authorization"};

/*!
    Splits the value of field \a name into its elements: at '\n' for Set-Cookie (how Qt joins
    repeated Set-Cookie fields), not at all for fields whose values are not lists (dates, Location,
    authentication challenges, …), and otherwise at commas outside quoted strings, trimming each
    element and dropping empty ones (RFC 9110 section 5.6.1).
*/
QList<QByteArray> splitValues(const QByteArray &name, const QByteArray &value);

/*! The charset parameter of a Content-Type value, lower-cased; empty when there is none. */
QByteArray charsetOf(const QByteArray &contentType);

/*!
    The wait a Retry-After value asks for, in milliseconds from \a now: delta-seconds or an
    HTTP-date (IMF-fixdate, RFC 850 or asctime; RFC 9110 section 5.6.7). A date in the past is
    0. -1 when the value is neither; a huge delta is clamped to about 68 years, not overflowed.
*/
qint64 retryAfterMsecs(const QByteArray &value, const QDateTime &now);
/*! An HTTP-date (RFC 9110 section 5.6.7) in UTC, or an invalid QDateTime. */
QDateTime parseHttpDate(const QByteArray &value);

/*!
    What is wrong with a response's framing fields, in words; empty when nothing is. A
    Content-Length must be one decimal number, or a list of that number repeated (how Qt joins
    repeated fields); with Transfer-Encoding also present the response is refused, as RFC 9112
    section 6.3 advises, since the two framings disagreeing is how responses are split.
*/
QString framingProblem(const QByteArray &contentLength, bool hasContentLength, bool hasTransferEncoding);

/*!
    \a value with every CR and NUL replaced with a space (RFC 9112 section 2.2, RFC 9110 section
    5.5). A LF cannot be inside a field received; Qt joins repeated Set-Cookie fields with one.
*/
QByteArray withoutBareCarriageReturns(const QByteArray &value);
/*! \a fields with withoutBareCarriageReturns() applied to each value; shared when none has any. */
QList<QPair<QByteArray, QByteArray>> withoutBareCarriageReturns(const QList<QPair<QByteArray, QByteArray>> &fields);

/*! The media type of a Content-Type value, without parameters, lower-cased ("text/html"). */
QByteArray mimeTypeOf(const QByteArray &contentType);

/*!
    \a bytes (a header, a method, a Location) shown in a message: CR and LF as \\r and \\n, other
    control characters and bytes past ASCII as \\xNN. Nothing of it can break a log line.
*/
QString printable(const QByteArray &bytes);

/*!
    The fields of a response that Courier acts on, found in one pass over them (names compared
    without case; repeated fields already joined, as Qt joins them, so the first one counts).
*/
struct Summary
{
    QByteArray contentLength;
    QByteArray transferEncoding;
    QByteArray contentEncoding;
    QByteArray setCookie;
    qint64 size = 0; // each field as name, ": ", value and CRLF
    bool hasContentLength = false;
    bool hasTransferEncoding = false;

    static Summary of(const QList<QPair<QByteArray, QByteArray>> &fields);
};

/*!
    The body length \a fields announce: Content-Length when it is one valid number and the body
    is not chunked; -1 otherwise. Both engines count a body against it.
*/
qint64 announcedLength(const Summary &fields);
inline qint64 announcedLength(const QList<QPair<QByteArray, QByteArray>> &fields)
{
    return announcedLength(Summary::of(fields));
}

/*! Whether a Content-Encoding value leaves the body as it is: absent, empty or "identity". */
bool isIdentityCoding(const QByteArray &contentEncoding);

} // namespace Courier::Headers
