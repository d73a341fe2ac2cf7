// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>

namespace Courier {

/*!
    \namespace Courier::HttpStatus
    \brief HTTP status codes, their reason phrases, descriptions and classes.

    Every code of the IANA "HTTP Status Code Registry" (RFC 9110 and the RFCs it points to) is an
    enumerator of \c Code, together with 418 (I'm a teapot) and 449 (Retry With), which servers
    send in practice although they are not, or no longer, registered.

    The functions take a plain \c int so that any code a server sends can be asked about:
    an unregistered code has an empty phrase() and description() but still a class when it lies
    in 100–599 (a 599 is a server error; a 42 is of no class).

    All functions are pure and thread-safe.
*/
namespace HttpStatus {
Q_NAMESPACE_EXPORT(COURIER_EXPORT)

/*! The registered status codes (and 418, 449). */
enum Code {
    Continue = 100,
    SwitchingProtocols = 101,
    Processing = 102,
    EarlyHints = 103,

    Ok = 200,
    Created = 201,
    Accepted = 202,
    NonAuthoritativeInformation = 203,
    NoContent = 204,
    ResetContent = 205,
    PartialContent = 206,
    MultiStatus = 207,
    AlreadyReported = 208,
    ImUsed = 226,

    MultipleChoices = 300,
    MovedPermanently = 301,
    Found = 302,
    SeeOther = 303,
    NotModified = 304,
    UseProxy = 305,
    TemporaryRedirect = 307,
    PermanentRedirect = 308,

    BadRequest = 400,
    Unauthorized = 401,
    PaymentRequired = 402,
    Forbidden = 403,
    NotFound = 404,
    MethodNotAllowed = 405,
    NotAcceptable = 406,
    ProxyAuthenticationRequired = 407,
    RequestTimeout = 408,
    Conflict = 409,
    Gone = 410,
    LengthRequired = 411,
    PreconditionFailed = 412,
    ContentTooLarge = 413,
    UriTooLong = 414,
    UnsupportedMediaType = 415,
    RangeNotSatisfiable = 416,
    ExpectationFailed = 417,
    ImATeapot = 418,
    MisdirectedRequest = 421,
    UnprocessableContent = 422,
    Locked = 423,
    FailedDependency = 424,
    TooEarly = 425,
    UpgradeRequired = 426,
    PreconditionRequired = 428,
    TooManyRequests = 429,
    RequestHeaderFieldsTooLarge = 431,
    RetryWith = 449,
    UnavailableForLegalReasons = 451,

    InternalServerError = 500,
    NotImplemented = 501,
    BadGateway = 502,
    ServiceUnavailable = 503,
    GatewayTimeout = 504,
    HttpVersionNotSupported = 505,
    VariantAlsoNegotiates = 506,
    InsufficientStorage = 507,
    LoopDetected = 508,
    NotExtended = 510,
    NetworkAuthenticationRequired = 511,
};
Q_ENUM_NS(Code)

/*! The class of a status code: its first digit (RFC 9110, section 15). */
enum StatusClass {
    Unclassified = 0, //!< outside 100–599
    Informational = 1, //!< 1xx
    Success = 2, //!< 2xx
    Redirection = 3, //!< 3xx
    ClientError = 4, //!< 4xx
    ServerError = 5, //!< 5xx
};
Q_ENUM_NS(StatusClass)

/*!
    The reason phrase of \a code as RFC 9110 and the IANA registry spell it ("Not Found"),
    or an empty string when \a code is not in the table.
*/
COURIER_EXPORT QString phrase(int code);

/*! A one-line English description of \a code, or an empty string when it is not in the table. */
COURIER_EXPORT QString description(int code);

/*! Whether \a code is one of the enumerators of Code. */
COURIER_EXPORT bool isKnown(int code);

/*! Every code of the table, in ascending order. */
COURIER_EXPORT QList<int> knownCodes();

/*! The class of \a code; Unclassified when \a code is outside 100–599. */
COURIER_EXPORT StatusClass statusClass(int code);

/*! \a code is in 100–199. */
COURIER_EXPORT bool isInformational(int code);
/*! \a code is in 200–299. */
COURIER_EXPORT bool isSuccess(int code);
/*! \a code is in 300–399. */
COURIER_EXPORT bool isRedirection(int code);
/*! \a code is in 400–499. */
COURIER_EXPORT bool isClientError(int code);
/*! \a code is in 500–599. */
COURIER_EXPORT bool isServerError(int code);

} // namespace HttpStatus
} // namespace Courier
