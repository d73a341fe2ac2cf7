// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPair>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QUrl>
#include <QtCore/QUrlQuery>
#include <QtCore/QVariant>

#include <Courier/retrypolicy.h>
#include <Courier/tlsoptions.h>

#include <chrono>
#include <optional>

QT_BEGIN_NAMESPACE
class QDebug;
class QHttpMultiPart;
class QIODevice;
class QJsonDocument;
QT_END_NAMESPACE

namespace Courier {

class RequestData;

/*!
    \class Courier::Request
    \brief What to send: URL, method, headers, query and body of one HTTP request, plus its options.

    Request is an implicitly shared value type: copying is cheap and a copy changes independently.
    A Request describes the request; Client::send() turns it into a Response. The same Request may be
    sent any number of times, except when its body is a QIODevice or a QHttpMultiPart, which a
    transfer consumes.

    Nothing is checked when a field is set. Client::send() validates the whole request and, when a
    field is unusable (an invalid URL, a method that is not an HTTP token, a header name or value with
    CR, LF or NUL), the Response fails from the event loop with Response::ProtocolInvalidOperation and
    says which field, and nothing is sent.

    Options left unset (timeouts, redirect policy, credentials, TLS options, protocol, user agent)
    take the Client's defaults; the getters of options that have no "unset" value of their own
    return std::nullopt until they are set.

    A Request may be built and copied in any thread.
*/
class COURIER_EXPORT Request
{
    Q_GADGET

public:
    /*! The value of an option left to the Client's default. */
    static constexpr std::chrono::milliseconds UseClientDefault{-1};

    /*! The HTTP version to speak. */
    enum class Protocol {
        Auto, //!< Qt's choice: HTTP/2 when the server offers it through ALPN on https, HTTP/1.1 otherwise
        Http1, //!< HTTP/1.1 only, also on https
        Http2, //!< HTTP/2 through ALPN on https (HTTP/1.1 if the server does not offer it); HTTP/1.1 on http
        Http2PriorKnowledge, //!< h2c: HTTP/2 from the first byte on http, without Upgrade; on https as Http2 (ALPN, RFC 9113)
    };
    Q_ENUM(Protocol)

    /*!
        How the body of the response is to be returned by Response::result(), as the sources'
        \c expectDataType asks.
    */
    enum class DataType {
        Auto, //!< by Content-Type: JSON for application/json and +json, text for text/*, XML, JavaScript and forms, bytes otherwise
        Text, //!< a QString decoded with the charset of Content-Type (UTF-8 by default)
        Json, //!< a QJsonValue; a body that is not JSON is a parse error, its bytes still readable
        Bytes, //!< the QByteArray as received (after Content-Encoding is undone)
    };
    Q_ENUM(DataType)

    /*! The lowest, and default, priority(). */
    static constexpr int MinimumPriority = 1;
    /*! The highest priority(). */
    static constexpr int MaximumPriority = 1000;

    /*! What the body of the request is. */
    enum class BodyKind {
        None, //!< no body
        Bytes, //!< bytes held by the request (bytes, text, JSON, form fields)
        Data, //!< setData(): body or query, chosen by the method when sent
        Device, //!< streamed from a QIODevice
        Multipart, //!< a QHttpMultiPart
    };

    Request();
    /*! A request for \a url with \a method ("GET" by default). */
    explicit Request(const QUrl &url, const QByteArray &method = QByteArrayLiteral("GET"));
    /*! A copy of \a other (cheap: the data is shared until one of them changes). */
    Request(const Request &other);
    /*! Moves \a other into a new Request. */
    Request(Request &&other) noexcept;
    /*! Makes this request a copy of \a other. */
    Request &operator=(const Request &other);
    /*! Move-assigns \a other to this request. */
    Request &operator=(Request &&other) noexcept;
    ~Request();

    /*! Swaps this request with \a other. */
    void swap(Request &other) noexcept { d.swap(other.d); }

    /*!
        Whether \a lhs and \a rhs describe the same request: every field is equal, as its getter
        returns it. What that means for the fields that are not plain values:
        - headers compare as headers() lists them: the same names, spelled alike, with the same
            values in the same order;
        - the data of setData() compares with QVariant's operator==;
        - a body device, and a multipart body, compare by pointer: the same object, whatever its
            content or position;
        - TLS options and retry policies compare with their own operator==;
        - an option left to the Client's default differs from one set, even to the value the
            Client would give it.
    */
    friend bool operator==(const Request &lhs, const Request &rhs) { return lhs.isEqual(rhs); }
    /*! Whether \a lhs and \a rhs differ in any field; see operator==(). */
    friend bool operator!=(const Request &lhs, const Request &rhs) { return !lhs.isEqual(rhs); }

    /*! The target URL. A relative URL is resolved against the Client's base URL. */
    QUrl url() const;
    /*! Sets the target URL to \a url; see url(). */
    void setUrl(const QUrl &url);

    /*!
        The method: any HTTP token (RFC 9110 section 9) — GET, HEAD, POST, PUT, PATCH, DELETE,
        OPTIONS, TRACE, CONNECT, the WebDAV methods (PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK,
        UNLOCK), NOTIFY, SUBSCRIBE, UNSUBSCRIBE or any other. Case is kept as given. Default "GET".
    */
    QByteArray method() const;
    /*! Sets the method to \a method; see method(). */
    void setMethod(const QByteArray &method);

    /*!
        \name Headers
        Header names compare case-insensitively; the order of first appearance is kept.
        A value set here replaces a Client default header of the same name.
    */
    //! @{
    /*! Sets \a name to \a value, replacing every earlier value of \a name. */
    void setHeader(const QByteArray &name, const QByteArray &value);
    /*!
        Adds one more \a value for \a name. The values of a name are sent as one field joined
        with ", ", which HTTP defines as equivalent (RFC 9110 section 5.3); Qt 6.4 cannot send a
        field twice.
    */
    void addHeader(const QByteArray &name, const QByteArray &value);
    /*! Removes every value of \a name. */
    void removeHeader(const QByteArray &name);
    /*! Whether a header \a name is set. */
    bool hasHeader(const QByteArray &name) const;
    /*! The values of \a name joined with ", ", or a null QByteArray when absent. */
    QByteArray header(const QByteArray &name) const;
    /*! Every header line in order, as set. */
    QList<QPair<QByteArray, QByteArray>> headers() const;
    //! @}

    /*! The user agent; empty means the Client's. */
    QByteArray userAgent() const;
    /*! Sets the user agent to \a userAgent; see userAgent(). */
    void setUserAgent(const QByteArray &userAgent);

    /*!
        Query parameters appended to the URL's own query when sent. Keys and values are encoded by
        QUrlQuery; the URL's existing query is kept.
    */
    QUrlQuery query() const;
    /*! Replaces the query parameters with \a query; see query(). */
    void setQuery(const QUrlQuery &query);
    /*! Appends the query parameter \a key with \a value; see query(). */
    void addQueryItem(const QString &key, const QString &value);

    /*!
        \name Body
        Each setter replaces the previous body. The Content-Type given (or the one implied) is
        sent unless a Content-Type header was set explicitly.
    */
    //! @{
    /*! What the body is, as the last body setter chose; BodyKind::None by default. */
    BodyKind bodyKind() const;
    /*! The bytes of a Bytes body (empty for other kinds). */
    QByteArray body() const;
    /*! Raw bytes; Content-Type \a contentType, "application/octet-stream" when empty. */
    void setBody(const QByteArray &bytes, const QByteArray &contentType = QByteArray());
    /*! Text, sent as UTF-8; Content-Type "text/plain; charset=utf-8" when \a contentType is empty. */
    void setText(const QString &text, const QByteArray &contentType = QByteArray());
    /*! A JSON document, compact; Content-Type "application/json". */
    void setJson(const QJsonDocument &json);
    /*! Form fields, as application/x-www-form-urlencoded. */
    void setFormFields(const QUrlQuery &fields);
    /*!
        Data whose use depends on the method when the request is sent, as in the platform APIs'
        \c extraData:
        - For GET, HEAD, DELETE, OPTIONS, TRACE and CONNECT an object (QVariantMap, QVariantHash,
            QJsonObject) becomes query parameters and a string is appended as a query string
            ("a=1&b=2"). Bytes stay a body.
        - For every other method an object or array (QVariantMap, QVariantList, QJsonObject,
            QJsonArray, QJsonDocument) is sent as JSON, a string as UTF-8 text and bytes as they are.

        A type that is none of these makes the request fail with ProtocolInvalidOperation.
    */
    void setData(const QVariant &data);
    /*! The value given to setData(). */
    QVariant data() const;
    /*!
        Streams the body from \a device, read as the transfer needs it, never all at once.
        Not owned: \a device must stay alive and open until the Response has finished (parenting it
        to the Response does that). \a size is the number of bytes to send, or -1 to use
        device->size() for a random-access device. Memory stays bounded in every case:
        - a random-access device (QFile, QBuffer) is read as the upload proceeds;
        - a sequential device with \a size given is streamed too, read as the socket takes it;
        - a sequential device of unknown size is first copied to a temporary file, until it
            reports its end (read() failing, readChannelFinished() or closing; for a QFile on a
            pipe, such as standard input, read() giving nothing), and then sent with
            its Content-Length. Qt 6.4 cannot send a request with chunked transfer encoding (its
            HTTP/1.1 engine stops the program when neither a length nor a size is known), so the
            upload starts when the device ends.

        A device can be sent again (a 307/308 redirect) if it is random-access or was copied.
    */
    void setBodyDevice(QIODevice *device, qint64 size = -1, const QByteArray &contentType = QByteArray());
    /*! The device given to setBodyDevice(), or null for other kinds of body or once it was destroyed. */
    QIODevice *bodyDevice() const;
    /*! The size given to setBodyDevice() (-1 when not given, and for other kinds of body). */
    qint64 bodyDeviceSize() const;
    /*!
        A multipart body. Not owned: \a multiPart must stay alive until the Response has finished
        (parent it to the Response). Its boundary sets the Content-Type.
    */
    void setMultipart(QHttpMultiPart *multiPart);
    /*! The multipart given to setMultipart(); null for other kinds of body or once it was destroyed. */
    QHttpMultiPart *multipart() const;
    /*! The Content-Type that goes with the body (empty when there is none). */
    QByteArray contentType() const;
    /*! Removes the body. */
    void clearBody();
    //! @}

    /*!
        \name Timeouts
        UseClientDefault (the default) takes the Client's value; zero means no timeout.
        When a timeout fires, the Response ends with Response::Timeout and its errorString() names
        the timeout and its value. A user's Response::abort() is OperationCanceled, never Timeout.
    */
    //! @{
    /*!
        The longest time from the moment Qt starts opening a connection for the request until it
        is up: name lookup, TCP and, for https, the TLS handshake. Time spent waiting for a free
        connection (Qt opens at most 6 per host) does not count, and a request sent on a
        connection already open has no connect phase.
    */
    std::chrono::milliseconds connectTimeout() const;
    /*! Sets the connect timeout to \a timeout; see connectTimeout(). */
    void setConnectTimeout(std::chrono::milliseconds timeout);
    /*! Sets the connect timeout to \a msecs milliseconds; see connectTimeout(). */
    void setConnectTimeout(int msecs) { setConnectTimeout(std::chrono::milliseconds(msecs)); }
    /*!
        The longest silence allowed while the request is sent and the response awaited or
        streamed: it restarts whenever bytes arrive or are sent. It does not run while a
        connection is being opened (connectTimeout() covers that).
    */
    std::chrono::milliseconds readTimeout() const;
    /*! Sets the read timeout to \a timeout; see readTimeout(). */
    void setReadTimeout(std::chrono::milliseconds timeout);
    /*! Sets the read timeout to \a msecs milliseconds; see readTimeout(). */
    void setReadTimeout(int msecs) { setReadTimeout(std::chrono::milliseconds(msecs)); }
    /*! A deadline for the whole request, redirects included. */
    std::chrono::milliseconds totalTimeout() const;
    /*! Sets the total timeout to \a timeout; see totalTimeout(). */
    void setTotalTimeout(std::chrono::milliseconds timeout);
    /*! Sets the total timeout to \a msecs milliseconds; see totalTimeout(). */
    void setTotalTimeout(int msecs) { setTotalTimeout(std::chrono::milliseconds(msecs)); }
    //! @}

    /*!
        \name Redirects
    */
    //! @{
    /*!
        The most redirects followed for this request; 0 returns the 3xx response itself, -1 (the
        default) takes the Client's value.
    */
    int maximumRedirects() const;
    /*! Sets the redirect limit to \a maximum; see maximumRedirects(). */
    void setMaximumRedirects(int maximum);
    /*!
        Whether a redirect from https to http is followed. Unset takes the Client's value (false:
        such a redirect ends with Response::InsecureRedirect).
    */
    std::optional<bool> insecureRedirectsAllowed() const;
    /*! Sets whether a redirect from https to http is followed; see insecureRedirectsAllowed(). */
    void setInsecureRedirectsAllowed(bool allowed);
    /*!
        Headers not sent when a redirect leaves the origin of the request (scheme, host or port
        differ), on top of Authorization, Cookie, Proxy-Authorization and the Client's list.
    */
    QList<QByteArray> sensitiveHeaders() const;
    /*! Adds \a name to sensitiveHeaders(), unless it is already there. */
    void addSensitiveHeader(const QByteArray &name);
    //! @}

    /*!
        \name Authentication
        Credentials are answered to the server's Basic or Digest challenge (HTTP 401), only on
        the origin of the request's URL, never to another origin a redirect leads to, and never
        shown in logs or error strings. Without credentials set here or on the Client, the user
        name and password of the URL are used (and removed from the URL sent).

        Digest is answered as RFC 7616 has it: algorithms MD5, SHA-256 and SHA-512-256 (and
        SHA-512), each also "-sess", the strongest of those offered first; qop "auth", or
        "auth-int" for a body held in memory; the user name hashed when the challenge says
        `userhash=true`, and otherwise sent as `username*` (RFC 8187) when it is not printable
        ASCII. A challenge with another algorithm is not answered.
    */
    //! @{
    /*! Sets the user name and password; a null \a user takes the Client's. */
    void setCredentials(const QString &user, const QString &password);
    /*! The user name set with setCredentials(); null when none was set. */
    QString user() const;
    /*! The password set with setCredentials(). */
    QString password() const;
    /*!
        Whether Basic credentials are sent with the first request, without waiting for a
        challenge: one round trip, for servers known to take Basic. Unset takes the Client's
        value (false).
    */
    std::optional<bool> preemptiveAuthentication() const;
    /*! Sets whether Basic credentials are sent preemptively; see preemptiveAuthentication(). */
    void setPreemptiveAuthentication(bool preemptive);
    /*!
        A token sent as "Authorization: Bearer <token>" to the origin of the request's URL (not
        across a redirect to another origin). Empty takes the Client's.
    */
    QByteArray bearerToken() const;
    /*! Sets the bearer token to \a token; see bearerToken(). */
    void setBearerToken(const QByteArray &token);
    /*!
        How many times credentials are offered to a server that answers 401: after that many
        refusals the Response ends with AuthenticationRequired (204) and the last 401 response
        readable. -1 (the default) takes the Client's value (1). A preemptive Basic counts as one.
    */
    int maximumAuthRetries() const;
    /*! Sets how many times credentials are offered to \a maximum; see maximumAuthRetries(). */
    void setMaximumAuthRetries(int maximum);
    //! @}

    /*! The TLS options for this request, replacing the Client's when set. */
    std::optional<TlsOptions> tlsOptions() const;
    /*! Sets the TLS options of this request to \a options; see tlsOptions(). */
    void setTlsOptions(const TlsOptions &options);

    /*! The HTTP version to speak; unset takes the Client's (Auto). */
    std::optional<Protocol> protocol() const;
    /*! Sets the HTTP version to \a protocol; see protocol(). */
    void setProtocol(Protocol protocol);

    /*!
        The priority, from MinimumPriority (1, the default) to MaximumPriority (1000); a value out
        of range is clamped, with a warning in \c courier.client. Qt 6.4 has three priorities,
        used to choose which of the requests waiting for a connection to the same server is sent
        first (they do not weight HTTP/2 streams against each other). The mapping:

        | priority()  | QNetworkRequest::Priority |
        |-------------|---------------------------|
        | 1 (default) | NormalPriority            |
        | 2 to 1000   | HighPriority              |

        QNetworkRequest::LowPriority is never used: the scale starts at the default, and a request
        left at the default must not wait behind requests that never set one.
    */
    int priority() const;
    /*! Sets the priority to \a priority (clamped to 1 … 1000); see priority(). */
    void setPriority(int priority);

    /*!
        \name Memory bounds
        -1 (the default) takes the Client's value; 0 means no limit.
    */
    //! @{
    /*!
        The most body bytes Courier and Qt hold for the application before the network read
        pauses (backpressure). When the application does not read, Qt stops reading the socket
        once this much is waiting, and the server is slowed by TCP flow control; the read timeout
        does not run while the network waits for the application. Qt may hold more for a moment:
        up to twice the buffer while data is in transit from its HTTP thread, plus one block
        read from the socket (up to 64 KiB on HTTP/1.1). Memory stays proportional to the buffer,
        whatever the size of the body.

        Set it for large downloads read as they arrive. Leave it at 0 (no limit, the Client's
        default) when the body is read only after finished(): a Response that nobody reads would
        otherwise wait forever.

        Qt 6.4 applies it to HTTP/1.1. Over HTTP/2 it bounds the reply's buffer, but Qt's HTTP/2
        stream keeps receiving up to its flow-control window (Qt's default is 64 KiB per stream,
        raised by the server's settings). On Qt's engine over plain http the limit reaches Qt's
        HTTP thread just after the request, with nothing ordering the two: an application thread
        descheduled at that moment lets Qt read ahead without it (over https, and on the libcurl
        engine, the limit is always in place before the request is sent).
    */
    qint64 readBufferSize() const;
    /*! Sets the read buffer size to \a bytes (below -1 counts as -1); see readBufferSize(). */
    void setReadBufferSize(qint64 bytes);
    /*!
        The largest response body accepted, counted after Content-Encoding is undone. A response
        announcing more (Content-Length) fails when its headers arrive, one sending more fails as
        soon as it passes the limit; both end with Response::UnknownContentError and an
        errorString() naming the limit, keeping what arrived before readable, and nothing more is
        read.
    */
    qint64 maximumBodySize() const;
    /*! Sets the body size limit to \a bytes (below -1 counts as -1); see maximumBodySize(). */
    void setMaximumBodySize(qint64 bytes);
    //! @}

    /*! The retry policy, replacing the Client's when set (see RetryPolicy: off by default). */
    std::optional<RetryPolicy> retryPolicy() const;
    /*! Sets the retry policy of this request to \a policy; see retryPolicy(). */
    void setRetryPolicy(const RetryPolicy &policy);

    /*!
        Whether the Client's ResponseCache may answer this request and store its response;
        true by default. False goes to the network and stores nothing. Without a cache on the
        Client it changes nothing.
    */
    bool usingCache() const;
    /*! Sets whether the Client's cache may be used; see usingCache(). */
    void setUsingCache(bool use);

    /*! How Response::result() returns the body; DataType::Auto by default. */
    DataType expectedDataType() const;
    /*! Sets how Response::result() returns the body to \a type; see expectedDataType(). */
    void setExpectedDataType(DataType type);

private:
    bool isEqual(const Request &other) const;

    friend class Client; // resolves the options this request overrides
    friend class ClientPrivate;
    QSharedDataPointer<RequestData> d;
};

/*! Whether \a method is a valid HTTP method token (RFC 9110 section 9.1: one or more tchar). */
COURIER_EXPORT bool isValidMethod(const QByteArray &method);
/*! Whether \a name is a valid header field name (a token). */
COURIER_EXPORT bool isValidHeaderName(const QByteArray &name);
/*!
    Whether \a value can be sent as a header field value: no CR, LF or NUL, nor other control
    characters but horizontal tab (RFC 9110 section 5.5).
*/
COURIER_EXPORT bool isValidHeaderValue(const QByteArray &value);

/*! Swaps \a a and \a b. */
inline void swap(Request &a, Request &b) noexcept { a.swap(b); }

#ifndef QT_NO_DEBUG_STREAM
/*!
    \relates Courier::Request
    Writes \a request to \a debug, for logs and tests: the method, the URL and each field that is
    set (options left to the Client's default are left out). Secrets are never written, only that
    they are set, as `<redacted>`: the URL's password, the password of setCredentials(), the
    bearer token, and the values of Authorization, Proxy-Authorization, Cookie and the
    sensitiveHeaders(). A body is shown by its kind, size and Content-Type, the data of setData()
    by its type: never their content.
*/
COURIER_EXPORT QDebug operator<<(QDebug debug, const Request &request);
#endif

} // namespace Courier

Q_DECLARE_TYPEINFO(Courier::Request, Q_RELOCATABLE_TYPE);
