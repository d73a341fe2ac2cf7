// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "Courier/status.h"

#include "status_p.h"

#include <algorithm>
#include <iterator>

namespace Courier::HttpStatus {

namespace {

struct Entry
{
    int code;
    const char *phrase;
    const char *description;
};

// Sorted by code: looked up with a binary search. Phrases follow RFC 9110 section 15 and the
// IANA registry; 418 and 449 are the unregistered codes servers still send.
constexpr Entry table[] = {
    {100, "Continue", "The request headers were received; the client may send the body."},
    {101, "Switching Protocols", "The server switches to the protocol named in the Upgrade header."},
    {102, "Processing", "The server accepted a WebDAV request and is still working on it."},
    {103, "Early Hints", "Headers the final response is likely to carry, sent ahead of it."},

    {200, "OK", "The request succeeded."},
    {201, "Created", "The request succeeded and created a new resource."},
    {202, "Accepted", "The request was accepted for processing, which has not finished."},
    {203, "Non-Authoritative Information", "Success, with content modified by a transforming proxy."},
    {204, "No Content", "The request succeeded and there is no content to send."},
    {205, "Reset Content", "The request succeeded; the client should reset the document view."},
    {206, "Partial Content", "The server sends only the ranges of the resource that were asked for."},
    {207, "Multi-Status", "A WebDAV body carries a separate status for each of several resources."},
    {208, "Already Reported", "WebDAV members of this binding were already listed in this response."},
    {226, "IM Used", "The content is the result of instance manipulations applied to the resource."},

    {300, "Multiple Choices", "The resource has several representations to choose from."},
    {301, "Moved Permanently", "The resource has a new permanent URL, given in Location."},
    {302, "Found", "The resource is temporarily at the URL given in Location."},
    {303, "See Other", "The answer is at another URL, to be fetched with GET."},
    {304, "Not Modified", "The cached copy is still valid; no content is sent."},
    {305, "Use Proxy", "Deprecated: the resource must be reached through a proxy."},
    {307, "Temporary Redirect", "The resource is temporarily elsewhere; repeat the same method there."},
    {308, "Permanent Redirect", "The resource moved permanently; repeat the same method there."},

    {400, "Bad Request", "The server cannot process the request because it is malformed."},
    {401, "Unauthorized", "The request lacks valid credentials for the target resource."},
    {402, "Payment Required", "Reserved for future use."},
    {403, "Forbidden", "The server understood the request but refuses to fulfil it."},
    {404, "Not Found", "The server has no resource at this URL."},
    {405, "Method Not Allowed", "The resource does not support the request method."},
    {406, "Not Acceptable", "No representation matches the request's Accept headers."},
    {407, "Proxy Authentication Required", "The client must authenticate with the proxy."},
    {408, "Request Timeout", "The server gave up waiting for the complete request."},
    {409, "Conflict", "The request conflicts with the current state of the resource."},
    {410, "Gone", "The resource is gone for good and no forwarding address is known."},
    {411, "Length Required", "The server needs a Content-Length header."},
    {412, "Precondition Failed", "A precondition in the request headers did not hold."},
    {413, "Content Too Large", "The request content is larger than the server will process."},
    {414, "URI Too Long", "The request target is longer than the server will interpret."},
    {415, "Unsupported Media Type", "The server does not support the content's media type or encoding."},
    {416, "Range Not Satisfiable", "None of the requested ranges overlap the resource."},
    {417, "Expectation Failed", "The server cannot meet the request's Expect header."},
    {418, "I'm a teapot", "An April Fools' joke (RFC 2324): the server refuses to brew coffee."},
    {421, "Misdirected Request", "The request reached a server that cannot answer for this origin."},
    {422, "Unprocessable Content", "The content is well-formed but its instructions cannot be followed."},
    {423, "Locked", "The WebDAV resource is locked."},
    {424, "Failed Dependency", "The WebDAV method failed because an action it depended on failed."},
    {425, "Too Early", "The server will not risk processing a request that might be replayed."},
    {426, "Upgrade Required", "The client must switch to the protocol named in Upgrade."},
    {428, "Precondition Required", "The server requires the request to be conditional."},
    {429, "Too Many Requests", "The client sent too many requests in a given time."},
    {431, "Request Header Fields Too Large", "The request's header fields are too large."},
    {449, "Retry With", "Unregistered (Microsoft): retry after supplying the needed information."},
    {451, "Unavailable For Legal Reasons", "Access is denied as a consequence of a legal demand."},

    {500, "Internal Server Error", "The server met an unexpected condition."},
    {501, "Not Implemented", "The server does not support the functionality the request needs."},
    {502, "Bad Gateway", "A gateway or proxy received an invalid response upstream."},
    {503, "Service Unavailable", "The server is overloaded or down for maintenance."},
    {504, "Gateway Timeout", "A gateway or proxy did not get a timely response upstream."},
    {505, "HTTP Version Not Supported", "The server does not support the request's HTTP version."},
    {506, "Variant Also Negotiates", "Transparent content negotiation ends in a loop."},
    {507, "Insufficient Storage", "The server cannot store what the WebDAV request needs."},
    {508, "Loop Detected", "The server found an infinite loop in a WebDAV request."},
    {510, "Not Extended", "Obsoleted: the request needs further extensions (RFC 2774)."},
    {511, "Network Authentication Required", "The client must authenticate to gain network access."},
};

constexpr bool isSortedByCode()
{
    for (std::size_t i = 1; i < std::size(table); ++i) {
        if (table[i - 1].code >= table[i].code)
            return false;
    }
    return true;
}
static_assert(isSortedByCode(), "the status table must be sorted by code, without duplicates");

const Entry *find(int code)
{
    const auto it = std::lower_bound(std::begin(table), std::end(table), code,
                                     [](const Entry &e, int c) { return e.code < c; });
    return it != std::end(table) && it->code == code ? it : nullptr;
}

} // namespace

QString phrase(int code)
{
    const Entry *e = find(code);
    return e ? QString::fromLatin1(e->phrase) : QString();
}

QString description(int code)
{
    const Entry *e = find(code);
    return e ? QString::fromLatin1(e->description) : QString();
}

bool isKnown(int code) { return find(code) != nullptr; }

QList<int> knownCodes()
{
    QList<int> codes;
    codes.reserve(int(std::size(table)));
    for (const Entry &e : table)
        codes.append(e.code);
    return codes;
}

StatusClass statusClass(int code)
{
    if (code < 100 || code > 599)
        return Unclassified;
    return StatusClass(code / 100);
}

bool isInformational(int code) { return statusClass(code) == Informational; }
bool isSuccess(int code) { return statusClass(code) == Success; }
bool isRedirection(int code) { return statusClass(code) == Redirection; }
bool isClientError(int code) { return statusClass(code) == ClientError; }
bool isServerError(int code) { return statusClass(code) == ServerError; }

} // namespace Courier::HttpStatus

namespace Courier::StatusRules {

QNetworkReply::NetworkError qtError(int status)
{
    switch (status) {
    case 400: return QNetworkReply::ProtocolInvalidOperationError;
    case 401: return QNetworkReply::AuthenticationRequiredError;
    case 403: return QNetworkReply::ContentAccessDenied;
    case 404: return QNetworkReply::ContentNotFoundError;
    case 405: return QNetworkReply::ContentOperationNotPermittedError;
    case 407: return QNetworkReply::ProxyAuthenticationRequiredError;
    case 409: return QNetworkReply::ContentConflictError;
    case 410: return QNetworkReply::ContentGoneError;
    case 418: return QNetworkReply::ProtocolInvalidOperationError;
    case 500: return QNetworkReply::InternalServerError;
    case 501: return QNetworkReply::OperationNotImplementedError;
    case 503: return QNetworkReply::ServiceUnavailableError;
    default:
        if (status > 500)
            return QNetworkReply::UnknownServerError;
        if (status >= 400)
            return QNetworkReply::UnknownContentError;
        return QNetworkReply::NoError;
    }
}

bool isFollowedRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool hasNoBody(const QByteArray &method, int status)
{
    return method == "HEAD" || status == 204 || status == 304 || HttpStatus::isInformational(status);
}

} // namespace Courier::StatusRules
