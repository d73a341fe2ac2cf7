// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>
#include <Courier/download.h>
#include <Courier/request.h>
#include <Courier/response.h>

#include <QtCore/QObject>
#include <QtCore/QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QNetworkCookieJar;
QT_END_NAMESPACE

/*!
    \namespace Courier
    \brief Asynchronous HTTP client for Qt 6 applications: Client sends a Request and hands back
    a Response.
*/
namespace Courier {

class ClientPrivate;
class ResponseCache;

//! \cond internal
namespace Detail {
/*
    Whether a value of type T is refused as the data of Client::post(), put() and patch(): a
    number, a bool, an enum or a pointer other than `const char *` (a string). A QVariant takes
    numbers, bools and enums, and none is a body. Qt 6.4's QVariant deletes its conversion from
    other pointers (`char *` included) itself, with a diagnostic that does not say why.
*/
template <typename T>
inline constexpr bool isRefusedBody
    = std::disjunction_v<std::is_arithmetic<T>, std::is_enum<T>, std::is_member_pointer<T>,
                         std::conjunction<std::is_pointer<T>, std::negation<std::is_same<T, const char *>>>>;
} // namespace Detail
//! \endcond

/*!
    \class Courier::Client
    \brief Sends HTTP requests and hands back a Response for each; holds the defaults they share.

    \code
    // Once, in the constructor of the class that sends requests; client is a member.
    client = new Courier::Client(this);
    client->setBaseUrl(QUrl(QStringLiteral("https://api.example.com/v1/")));

    // Then for each request:
    Courier::Response *r = client->get(QUrl(QStringLiteral("items")));
    connect(r, &Courier::Response::finished, this, [r] {
        if (!r->hasTransportError() && r->isHttpSuccess())
            use(r->json());
        r->deleteLater();
    });
    \endcode

    Make one Client and keep it, as a member of the class that sends the requests or once for the
    application, rather than one per request: its requests share its connections (kept alive and
    reused), its cookies, its cache and its defaults.

    The Client works over a QNetworkAccessManager: its own (created in the constructor, owned),
    of the Engine asked for or defaultEngine() (libcurl's when Courier is built with it, see
    Courier::CurlAccessManager), or one given by the application (not owned; it must outlive the
    Client), so that connection pools, cookie jar, cache and proxy settings can be shared with the
    rest of the application.

    On Qt's engine, a Client with a manager of its own also keeps one more QNetworkAccessManager
    (its own connections and HTTP thread) for each TlsOptions other than the default that its
    requests use, made when first needed: Qt 6.4 would otherwise send a request with pins, CA
    or client certificates of its own over a kept-alive connection that other TLS settings
    opened and verified. The libcurl engine keys its connections on the TLS settings itself.

    Defaults set on the Client apply to every request sent afterwards, unless the Request sets its
    own: base URL, headers, user agent, connect, read and total timeouts, redirect policy,
    credentials, TLS options and protocol.

    ### Security defaults

    TLS certificates and host names are verified; a redirect from https to http is refused; a
    redirect that leaves the origin does not carry Authorization, Cookie, Proxy-Authorization nor
    the sensitiveHeaders(); credentials are only given to the origin of the request's URL, and
    offered once (maximumAuthRetries()); they are never shown in logs or error strings. Every one
    of these is relaxed only by an explicit call.

    ### Ownership and threads

    Every Response is created as a child of the Client; the caller owns it and deleteLater()s it
    when done. Deleting the Client aborts and deletes the Responses still alive. A Client, its
    QNetworkAccessManager and its Responses belong to one thread, which runs an event loop.
*/
class COURIER_EXPORT Client : public QObject
{
    Q_OBJECT
    // The property declarations keep their own layout.
    // clang-format off
    Q_PROPERTY(QUrl baseUrl READ baseUrl WRITE setBaseUrl NOTIFY baseUrlChanged)
    Q_PROPERTY(QByteArray userAgent READ userAgent WRITE setUserAgent NOTIFY userAgentChanged)
    Q_PROPERTY(int readTimeout READ readTimeoutMsecs WRITE setReadTimeout NOTIFY readTimeoutChanged)
    Q_PROPERTY(int totalTimeout READ totalTimeoutMsecs WRITE setTotalTimeout NOTIFY totalTimeoutChanged)
    Q_PROPERTY(int maximumRedirects READ maximumRedirects WRITE setMaximumRedirects NOTIFY maximumRedirectsChanged)
    Q_PROPERTY(int connectTimeout READ connectTimeoutMsecs WRITE setConnectTimeout NOTIFY connectTimeoutChanged)
    Q_PROPERTY(bool insecureRedirectsAllowed READ insecureRedirectsAllowed WRITE setInsecureRedirectsAllowed
                   NOTIFY insecureRedirectsAllowedChanged)
    Q_PROPERTY(bool preemptiveAuthentication READ preemptiveAuthentication WRITE setPreemptiveAuthentication
                   NOTIFY preemptiveAuthenticationChanged)
    Q_PROPERTY(int maximumAuthRetries READ maximumAuthRetries WRITE setMaximumAuthRetries NOTIFY maximumAuthRetriesChanged)
    Q_PROPERTY(Courier::Request::Protocol protocol READ protocol WRITE setProtocol NOTIFY protocolChanged)
    Q_PROPERTY(Courier::RetryPolicy retryPolicy READ retryPolicy WRITE setRetryPolicy NOTIFY retryPolicyChanged)
    Q_PROPERTY(qint64 readBufferSize READ readBufferSize WRITE setReadBufferSize NOTIFY readBufferSizeChanged)
    Q_PROPERTY(qint64 maximumBodySize READ maximumBodySize WRITE setMaximumBodySize NOTIFY maximumBodySizeChanged)
    Q_PROPERTY(Courier::Client::Engine engine READ engine CONSTANT)
    // clang-format on

public:
    /*!
        The HTTP engine under a Client's own QNetworkAccessManager.

        - `Qt`: QNetworkAccessManager itself, Qt's HTTP stack.
        - `Curl`: Courier::CurlAccessManager, libcurl's multi interface on the Client's event
          loop. Several times faster than Qt 6.4's engine for plain HTTP/1.1 (see
          doc/performance.md); available when Courier was built with libcurl
          (isEngineAvailable()).

        Both give the same Responses: the test suite runs against each.
    */
    enum class Engine { Qt, Curl };
    Q_ENUM(Engine)

    /*! The default read timeout: 60 seconds. */
    static constexpr std::chrono::milliseconds DefaultReadTimeout{60000};
    /*! The default connect timeout: 60 seconds. */
    static constexpr std::chrono::milliseconds DefaultConnectTimeout{60000};
    /*! The default redirect limit. */
    static constexpr int DefaultMaximumRedirects = 50;
    /*! How many times credentials are offered by default. */
    static constexpr int DefaultMaximumAuthRetries = 1;

    /*! A Client with a QNetworkAccessManager of its own, of the defaultEngine(). */
    explicit Client(QObject *parent = nullptr);
    /*! A Client with a QNetworkAccessManager of its own, of \a engine; Engine::Qt when
        \a engine is not available in this build. */
    explicit Client(Engine engine, QObject *parent = nullptr);
    /*! A Client over \a manager, which it does not own and which must outlive it. */
    explicit Client(QNetworkAccessManager *manager, QObject *parent = nullptr);
    /*! Aborts and deletes the Responses still alive. */
    ~Client() override;

    /*!
        The QNetworkAccessManager requests go through (on Qt's engine, those with default
        TlsOptions; see the class description).
    */
    QNetworkAccessManager *networkAccessManager() const;

    /*! The engine of networkAccessManager(): Engine::Curl when it is a CurlAccessManager. */
    Engine engine() const;
    /*! Whether this build of Courier has \a engine: Engine::Qt always, Engine::Curl when it
        was built with libcurl. */
    static bool isEngineAvailable(Engine engine);
    /*! The engine of Clients made without one: the environment variable `COURIER_ENGINE`
        (`qt` or `curl`) when it names an available engine, else Engine::Curl when available,
        else Engine::Qt. Read once, at the first call. */
    static Engine defaultEngine();

    /*!
        The URL relative request URLs are resolved against (QUrl::resolved(): give it a trailing
        slash to resolve "items" below it). Empty by default.
    */
    QUrl baseUrl() const;
    /*! Sets the base URL to \a url; see baseUrl(). */
    void setBaseUrl(const QUrl &url);

    /*! The User-Agent header sent when the Request sets none. Default "Courier/<version>". */
    QByteArray userAgent() const;
    /*! Sets the default User-Agent to \a userAgent; see userAgent(). */
    void setUserAgent(const QByteArray &userAgent);

    /*!
        \name Default headers
        Sent with every request unless the Request sets the same header. Checked like the
        Request's own headers when a request is sent.
    */
    //! @{
    /*! Sets the default header \a name to \a value, replacing an earlier default of that name. */
    void setDefaultHeader(const QByteArray &name, const QByteArray &value);
    /*! Removes the default header \a name (compared case-insensitively). */
    void removeDefaultHeader(const QByteArray &name);
    /*! The default headers, as name and value pairs, in the order they were set. */
    QList<QPair<QByteArray, QByteArray>> defaultHeaders() const;
    //! @}

    /*! Default connect timeout (see Request::connectTimeout()); DefaultConnectTimeout, 0 for none. */
    std::chrono::milliseconds connectTimeout() const;
    /*! Sets the default connect timeout to \a timeout (negative counts as 0); see connectTimeout(). */
    void setConnectTimeout(std::chrono::milliseconds timeout);
    /*! Sets the default connect timeout to \a msecs milliseconds; see connectTimeout(). */
    void setConnectTimeout(int msecs) { setConnectTimeout(std::chrono::milliseconds(msecs)); }
    /*! Default read timeout (see Request::readTimeout()); DefaultReadTimeout, 0 for none. */
    std::chrono::milliseconds readTimeout() const;
    /*! Sets the default read timeout to \a timeout (negative counts as 0); see readTimeout(). */
    void setReadTimeout(std::chrono::milliseconds timeout);
    /*! Sets the default read timeout to \a msecs milliseconds; see readTimeout(). */
    void setReadTimeout(int msecs) { setReadTimeout(std::chrono::milliseconds(msecs)); }
    /*! Default total timeout (see Request::totalTimeout()); none (0) by default. */
    std::chrono::milliseconds totalTimeout() const;
    /*! Sets the default total timeout to \a timeout (negative counts as 0); see totalTimeout(). */
    void setTotalTimeout(std::chrono::milliseconds timeout);
    /*! Sets the default total timeout to \a msecs milliseconds; see totalTimeout(). */
    void setTotalTimeout(int msecs) { setTotalTimeout(std::chrono::milliseconds(msecs)); }

    /*! The most redirects followed per request: DefaultMaximumRedirects; 0 follows none. */
    int maximumRedirects() const;
    /*! Sets the redirect limit to \a maximum (negative counts as 0); see maximumRedirects(). */
    void setMaximumRedirects(int maximum);
    /*!
        Whether redirects from https to http are followed. Default false: they end with
        Response::InsecureRedirect, since the rest of the exchange could be read and changed on
        the way.
    */
    bool insecureRedirectsAllowed() const;
    /*! Sets whether redirects from https to http are followed; see insecureRedirectsAllowed(). */
    void setInsecureRedirectsAllowed(bool allowed);
    /*!
        Headers, besides Authorization, Cookie and Proxy-Authorization, that are not sent when a
        redirect leaves the origin of the request (an API key header, say). Names compare
        case-insensitively. Empty by default.
    */
    QList<QByteArray> sensitiveHeaders() const;
    /*! Replaces the sensitive headers with \a names; see sensitiveHeaders(). */
    void setSensitiveHeaders(const QList<QByteArray> &names);

    /*!
        \name Authentication
        Defaults for Request::setCredentials(), Request::setPreemptiveAuthentication(),
        Request::setBearerToken() and Request::setMaximumAuthRetries(), which describe them.
    */
    //! @{
    /*! Sets the default user name and password, for requests that set none. Empty by default. */
    void setCredentials(const QString &user, const QString &password);
    /*! The default user name; see setCredentials(). */
    QString user() const;
    /*! The default password; see setCredentials(). */
    QString password() const;
    /*! Default false: credentials wait for the server's challenge. */
    bool preemptiveAuthentication() const;
    /*! Sets whether Basic credentials are sent preemptively; see preemptiveAuthentication(). */
    void setPreemptiveAuthentication(bool preemptive);
    /*! The default bearer token, for requests that set none. Empty by default. */
    QByteArray bearerToken() const;
    /*! Sets the default bearer token to \a token; see bearerToken(). */
    void setBearerToken(const QByteArray &token);
    /*! Default DefaultMaximumAuthRetries (1); 0 never answers a challenge. */
    int maximumAuthRetries() const;
    /*! Sets how many times credentials are offered (negative counts as 0); see maximumAuthRetries(). */
    void setMaximumAuthRetries(int maximum);
    //! @}

    /*! The TLS options of every https request that sets none (see TlsOptions). */
    TlsOptions tlsOptions() const;
    /*! Sets the default TLS options to \a options; see tlsOptions(). */
    void setTlsOptions(const TlsOptions &options);

    /*! The HTTP version to speak by default (see Request::Protocol). Default Auto. */
    Request::Protocol protocol() const;
    /*! Sets the default HTTP version to \a protocol; see protocol(). */
    void setProtocol(Request::Protocol protocol);

    /*!
        Uses \a cache for the requests of this Client (Request::usingCache() opts a request out),
        without taking ownership; null (the default) caches nothing. Qt has one cache per
        QNetworkAccessManager: Clients sharing a manager share the cache set last, and a cache
        the application had installed in a manager it gave the Client is replaced (and deleted
        by the manager).
    */
    void setCache(ResponseCache *cache);
    /*! The cache the requests use (see setCache()), or null when there is none or it was destroyed. */
    ResponseCache *cache() const;

    /*! The default retry policy (see RetryPolicy); off by default. */
    RetryPolicy retryPolicy() const;
    /*! Sets the default retry policy to \a policy; see retryPolicy(). */
    void setRetryPolicy(const RetryPolicy &policy);

    /*!
        Default read buffer size (see Request::readBufferSize()): 0, no limit, so that a body read
        after finished() is complete. Set it for large bodies read as they arrive.
    */
    qint64 readBufferSize() const;
    /*! Sets the default read buffer size to \a bytes (negative counts as 0); see readBufferSize(). */
    void setReadBufferSize(qint64 bytes);
    /*! Default largest response body (see Request::maximumBodySize()): 0, no limit. */
    qint64 maximumBodySize() const;
    /*! Sets the default body size limit to \a bytes (negative counts as 0); see maximumBodySize(). */
    void setMaximumBodySize(qint64 bytes);

    /*!
        The cookie jar: cookies set by responses are stored in it (for every hop, redirects
        included) and the cookies it holds for a URL are sent with each request to that URL, after
        any Cookie header the request sets itself. By default an in-memory CookieJar owned by the
        Client, emptied with it.

        Courier manages cookies itself and leaves the QNetworkAccessManager's own jar alone, so
        Clients sharing a manager keep separate cookies.
    */
    QNetworkCookieJar *cookieJar() const;
    /*!
        Uses \a jar, which the Client does not own, from the next request on; several Clients may
        share one. A CookieJar can also load and save curl's cookies.txt files. If \a jar is
        destroyed, or \a jar is null, the Client goes back to its own in-memory jar.
    */
    void setCookieJar(QNetworkCookieJar *jar);

    /*!
        \name Sending
        Each returns a new running Response, child of this Client, owned by the caller.
        Never null, never emits before the caller could connect.

        The data of post(), put() and patch() is what Request::setData() takes, sent as the
        body: bytes (QByteArray); text (QString, or a `const char *` string where
        QT_NO_CAST_FROM_ASCII is not defined); an object or array, sent as JSON (QVariantMap,
        QVariantHash, QVariantList, QStringList, QJsonObject, QJsonArray, QJsonDocument); a
        QVariant holding one of these; or nothing, for no body. Anything else is refused:
        - at compile time, a number, a bool, an enum or a pointer (`client.post(url, 42)`): the
            overloads for them are deleted, so that the call does not compile rather than fail
            when it runs;
        - when sent, a QVariant holding another type (`QVariant(42)`, a QDate): errorOccurred()
            with Response::ProtocolInvalidOperation, then finished(), both from the event loop,
            and nothing is sent; the errorString() names the type and what to give instead.

        Convert such a value first (QString::number(), a QVariantMap with it as a field), or
        build a Request for any other body.
    */
    //! @{
    /*! GET \a url. */
    Response *get(const QUrl &url);
    /*! HEAD \a url. */
    Response *head(const QUrl &url);
    /*! OPTIONS \a url. */
    Response *options(const QUrl &url);
    /*! DELETE \a url (named so because \c delete is a C++ keyword). */
    Response *deleteResource(const QUrl &url);
    /*! POST with \a data as Request::setData() takes it: bytes, text, or an object sent as JSON. */
    Response *post(const QUrl &url, const QVariant &data = QVariant());
    /*! PUT with \a data, as post() takes it. */
    Response *put(const QUrl &url, const QVariant &data = QVariant());
    /*! PATCH with \a data, as post() takes it. */
    Response *patch(const QUrl &url, const QVariant &data = QVariant());
    /*! Refused at compile time: a number, bool, enum or pointer is no body (see \ref post()). */
    template <typename T, std::enable_if_t<Detail::isRefusedBody<T>, bool> = true>
    Response *post(const QUrl &url, T data) = delete; // no body: give bytes, text or an object (QVariantMap, JSON)
    /*! Refused at compile time, as for post(). */
    template <typename T, std::enable_if_t<Detail::isRefusedBody<T>, bool> = true>
    Response *put(const QUrl &url, T data) = delete; // no body: give bytes, text or an object (QVariantMap, JSON)
    /*! Refused at compile time, as for post(). */
    template <typename T, std::enable_if_t<Detail::isRefusedBody<T>, bool> = true>
    Response *patch(const QUrl &url, T data) = delete; // no body: give bytes, text or an object (QVariantMap, JSON)
    /*! Sends \a request with any method and body, with this Client's defaults filled in. */
    Response *send(const Request &request);

    /*!
        Sends \a request and saves a successful (2xx) response body to the file \a path, as
        DownloadOptions describes: through `<path>.part`, renamed into place only when complete
        and verified, and resumed from an earlier partial download when the server allows it.

        The returned Response behaves as for send(), with these differences. Its body goes to the
        file, not to the Response: readyRead() is not emitted and nothing is readable, except the
        body of an error status (4xx, 5xx), which is not written anywhere and stays readable.
        downloadProgress() and bytesReceived() count the whole file, the resumed part included
        (resumedFrom() says how much that was). finished() comes after the file is in place: with
        NoError, \a path holds the complete body. A response without a 2xx body to save (a redirect
        not followed, a 204) ends with UnknownContentError, \a path untouched. A failure keeps the partial file for a later
        resume (except when it cannot be resumed: a wrong Content-Range, a 416 or a checksum
        mismatch), and never touches \a path. A file that cannot be written ends the download
        with UnknownContentError and the system's reason; a folder that cannot be written to is
        refused before anything is sent, with ProtocolInvalidOperation.

        Without a read buffer size set, a download uses 1 MiB: memory stays bounded whatever the
        file's size.
    */
    Response *download(const Request &request, const QString &path, const DownloadOptions &options = DownloadOptions());
    /*! A GET of \a url saved to \a path; see the overload taking a Request. */
    Response *download(const QUrl &url, const QString &path, const DownloadOptions &options = DownloadOptions());
    //! @}

    /*!
        \name Sending with a callback
        Each sends as the overload without a callback does and calls \a callback once, when the
        Response finished, in the style of Qt 6.7's QRestAccessManager:

        \code
        client->get(url, this, [this](Courier::Response &r) {
            if (r.isHttpSuccess() && !r.hasTransportError())
                show(r.json());
            else
                showError(r.errorString());
        });
        \endcode

        - \a callback takes a `Courier::Response &` (or nothing). It is called inside the
            finished() emission, whatever the outcome: check error() and statusCode() in it.
        - The Response is deleted (deleteLater()) after the callback returned: do not delete it,
            do not keep it. The returned pointer is for connecting to progress signals or calling
            abort(); it is valid until the callback ran.
        - When \a context is destroyed before the Response finished, the Response is aborted and
            deleted and \a callback is never called. When the Client is deleted first, nothing is
            called either. A null \a context means no context: the callback is always called.
        - \a context must live in the Client's thread, where the callback runs. The callback is
            stored in a `std::function`: it must be copyable.
    */
    //! @{
    /*! GET \a url; \a callback gets the Response when it finished. */
    template <typename Callback>
    Response *get(const QUrl &url, const QObject *context, Callback &&callback)
    {
        return withCallback(get(url), context, toCallback(std::forward<Callback>(callback)));
    }
    /*! HEAD \a url; \a callback gets the Response when it finished. */
    template <typename Callback>
    Response *head(const QUrl &url, const QObject *context, Callback &&callback)
    {
        return withCallback(head(url), context, toCallback(std::forward<Callback>(callback)));
    }
    /*! OPTIONS \a url; \a callback gets the Response when it finished. */
    template <typename Callback>
    Response *options(const QUrl &url, const QObject *context, Callback &&callback)
    {
        return withCallback(options(url), context, toCallback(std::forward<Callback>(callback)));
    }
    /*! DELETE \a url; \a callback gets the Response when it finished. */
    template <typename Callback>
    Response *deleteResource(const QUrl &url, const QObject *context, Callback &&callback)
    {
        return withCallback(deleteResource(url), context, toCallback(std::forward<Callback>(callback)));
    }
    /*! POST \a data (as post() takes it); \a callback gets the Response when it finished. */
    template <typename Callback>
    Response *post(const QUrl &url, const QVariant &data, const QObject *context, Callback &&callback)
    {
        return withCallback(post(url, data), context, toCallback(std::forward<Callback>(callback)));
    }
    /*! PUT \a data (as post() takes it); \a callback gets the Response when it finished. */
    template <typename Callback>
    Response *put(const QUrl &url, const QVariant &data, const QObject *context, Callback &&callback)
    {
        return withCallback(put(url, data), context, toCallback(std::forward<Callback>(callback)));
    }
    /*! PATCH \a data (as post() takes it); \a callback gets the Response when it finished. */
    template <typename Callback>
    Response *patch(const QUrl &url, const QVariant &data, const QObject *context, Callback &&callback)
    {
        return withCallback(patch(url, data), context, toCallback(std::forward<Callback>(callback)));
    }
    /*! Refused at compile time, as for post() without a callback. */
    template <typename T, typename Callback, std::enable_if_t<Detail::isRefusedBody<T>, bool> = true>
    Response *post(const QUrl &url, T data, const QObject *context, Callback &&callback) = delete;
    /*! Refused at compile time, as for post() without a callback. */
    template <typename T, typename Callback, std::enable_if_t<Detail::isRefusedBody<T>, bool> = true>
    Response *put(const QUrl &url, T data, const QObject *context, Callback &&callback) = delete;
    /*! Refused at compile time, as for post() without a callback. */
    template <typename T, typename Callback, std::enable_if_t<Detail::isRefusedBody<T>, bool> = true>
    Response *patch(const QUrl &url, T data, const QObject *context, Callback &&callback) = delete;
    /*! Sends \a request; \a callback gets the Response when it finished. */
    template <typename Callback>
    Response *send(const Request &request, const QObject *context, Callback &&callback)
    {
        return withCallback(send(request), context, toCallback(std::forward<Callback>(callback)));
    }
    //! @}

Q_SIGNALS:
    /*! Emitted when baseUrl() changes. */
    void baseUrlChanged();
    /*! Emitted when userAgent() changes. */
    void userAgentChanged();
    /*! Emitted when readTimeout() changes. */
    void readTimeoutChanged();
    /*! Emitted when totalTimeout() changes. */
    void totalTimeoutChanged();
    /*! Emitted when maximumRedirects() changes. */
    void maximumRedirectsChanged();
    /*! Emitted when connectTimeout() changes. */
    void connectTimeoutChanged();
    /*! Emitted when insecureRedirectsAllowed() changes. */
    void insecureRedirectsAllowedChanged();
    /*! Emitted when preemptiveAuthentication() changes. */
    void preemptiveAuthenticationChanged();
    /*! Emitted when maximumAuthRetries() changes. */
    void maximumAuthRetriesChanged();
    /*! Emitted when protocol() changes. */
    void protocolChanged();
    /*! Emitted when retryPolicy() changes. */
    void retryPolicyChanged();
    /*! Emitted when readBufferSize() changes. */
    void readBufferSizeChanged();
    /*! Emitted when maximumBodySize() changes. */
    void maximumBodySizeChanged();

private:
    Response *start(const Request &request, const QString &downloadPath, const DownloadOptions &download);
    // The callback overloads' common part: calls callback on finished (unless context died:
    // then aborts), deletes the Response after.
    static Response *withCallback(Response *response, const QObject *context, std::function<void(Response &)> callback);
    template <typename Callback>
    static std::function<void(Response &)> toCallback(Callback &&callback)
    {
        using F = std::decay_t<Callback>;
        if constexpr (std::is_invocable_v<F &, Response &>) {
            return std::function<void(Response &)>(std::forward<Callback>(callback));
        } else {
            static_assert(std::is_invocable_v<F &>, "The callback must take a Courier::Response & or nothing");
            return [f = F(std::forward<Callback>(callback))](Response &) mutable { f(); };
        }
    }
    int connectTimeoutMsecs() const;
    int readTimeoutMsecs() const;
    int totalTimeoutMsecs() const;

    Q_DECLARE_PRIVATE(Client)
    std::unique_ptr<ClientPrivate> const d_ptr;
};

} // namespace Courier
