// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QString>
#include <QtCore/QUrl>

#include "headers_p.h"

// The limits and sanity rules a response must meet, whatever the engine. Pure functions: each
// returns the refusal in words, empty when the response passes.
namespace Courier::Limits {

using Fields = QList<QPair<QByteArray, QByteArray>>;

/*!
    The size Courier counts for a header block: the status line as "HTTP/1.1 NNN " (15 bytes)
    plus the reason phrase, and each field as name, ": ", value and CRLF (4 bytes more).
*/
qint64 headerBlockSize(const QByteArray &reason, const Fields &fields);

/*! What checkHeaderBlock() found. */
struct HeaderVerdict
{
    QString refusal; // empty: the block is accepted
    bool interim = false; // a 1xx stood for the final response (its connection is unusable)
};

/*!
    Checks the header block of any hop (final, redirect or challenge alike), answered from \a from
    (whose "host:port" a refusal names), in this order: a status outside 100 to 599; 101 (nothing asked to
    switch); another 1xx taken for the final response; a block over Response::MaximumHeaderSize
    (headerBlockSize()); an ambiguous framing (Headers::framingProblem(): a Content-Length that
    is not one number, or one beside Transfer-Encoding); a Transfer-Encoding other than chunked.
*/
HeaderVerdict checkHeaderBlock(int status, const QByteArray &reason, const Headers::Summary &fields, const QUrl &from);

/*!
    The refusal of a body whose Content-Length \a contentLength is over \a maximum (0: no limit),
    told before any of it is read. With a Content-Encoding other than identity the length counts
    coded bytes: the limit is checked on the decoded ones as they come (bodyTooLarge()).
*/
QString bodyTooLargeByLength(qint64 contentLength, const QByteArray &contentEncoding, qint64 maximum);
/*! The refusal of a body of which \a received bytes arrived, over \a maximum (0: no limit). */
QString bodyTooLarge(qint64 received, qint64 maximum);

/*!
    The refusal of a body that ended after \a received of the \a contentLength bytes its
    Content-Length announced (as sent, before any Content-Encoding is undone); empty when it is
    whole, when there is no Content-Length, or when the response has no body (\a bodyless). A
    refusal names the "host:port" of \a from.
*/
QString shortBody(qint64 received, qint64 contentLength, bool bodyless, const QUrl &from);

} // namespace Courier::Limits
