// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "limits_p.h"

#include "Courier/response.h"
#include "headers_p.h"
#include "outcome_p.h"
#include "url_p.h"

namespace Courier::Limits {

namespace {
qint64 blockSize(const QByteArray &reason, const Headers::Summary &fields) { return reason.size() + 15 + fields.size; }
} // namespace

qint64 headerBlockSize(const QByteArray &reason, const Fields &fields)
{
    return blockSize(reason, Headers::Summary::of(fields));
}

HeaderVerdict checkHeaderBlock(int status, const QByteArray &reason, const Headers::Summary &fields, const QUrl &from)
{
    const auto protocolError = [&from](const QString &detail) {
        return failureMessage(Response::ProtocolFailure, Url::hostAndPort(from), detail);
    };
    if (status < 100 || status > 599) {
        // RFC 9110 section 15: a status code is 100 to 599; anything else is no HTTP response.
        return {
            protocolError(QStringLiteral("the status code %1 is not an HTTP status, which is 100 to 599").arg(status))};
    }
    if (status == 101)
        return {protocolError(
            QStringLiteral("the server switched protocols (101) though the request asked for no upgrade"))};
    if (status < 200) {
        // Interim responses come before the final one (RFC 9110 section 15.2). libcurl skips
        // them; Qt 6.4's engine takes every one but 100 Continue for the final response and
        // leaves the real one unread on the connection.
        return {protocolError(QStringLiteral("an interim %1 response came as the final one: Qt 6.4's engine reads no "
                                             "further than a 1xx other than 100 Continue; the libcurl engine skips it")
                                  .arg(status)),
                true};
    }
    const qint64 size = blockSize(reason, fields);
    if (size > Response::MaximumHeaderSize)
        return {QStringLiteral("The response headers are too large: %1 bytes, more than %2")
                    .arg(size)
                    .arg(Response::MaximumHeaderSize)};
    // RFC 9112 section 6.3: a Content-Length that is not one number (or a list of one number
    // repeated) leaves the framing unknown, and one next to Transfer-Encoding may be a
    // response-splitting attempt. Qt would read on with a framing of its own choosing.
    const QString framing = Headers::framingProblem(fields.contentLength, fields.hasContentLength,
                                                    fields.hasTransferEncoding);
    if (!framing.isEmpty())
        return {protocolError(framing)};
    if (!fields.hasTransferEncoding)
        return {};
    // Courier asks for no transfer coding (no TE header): chunked is the only one a server may
    // use, and the body of any other would reach the application still coded.
    const QByteArray te = fields.transferEncoding.trimmed().toLower();
    if (te != "chunked")
        return {protocolError(QStringLiteral("Transfer-Encoding \"%1\" was not asked for; only chunked may be used")
                                  .arg(QString::fromLatin1(te.left(100))))};
    return {};
}

QString bodyTooLargeByLength(qint64 contentLength, const QByteArray &contentEncoding, qint64 maximum)
{
    if (maximum <= 0 || contentLength <= maximum || !Headers::isIdentityCoding(contentEncoding))
        return {};
    return QStringLiteral("The response body is too large: Content-Length is %1 bytes, and the maximum body size is %2")
        .arg(contentLength)
        .arg(maximum);
}

QString bodyTooLarge(qint64 received, qint64 maximum)
{
    if (maximum <= 0 || received <= maximum)
        return {};
    return QStringLiteral("The response body is too large: more than the maximum body size of %1 bytes").arg(maximum);
}

QString shortBody(qint64 received, qint64 contentLength, bool bodyless, const QUrl &from)
{
    if (contentLength < 0 || bodyless || received >= contentLength)
        return {};
    return failureMessage(
        Response::RemoteHostClosed, Url::hostAndPort(from),
        QStringLiteral("after %1 of the %2 bytes announced by Content-Length").arg(received).arg(contentLength));
}

} // namespace Courier::Limits
