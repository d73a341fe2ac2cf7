// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "client_p.h"

#include "Courier/version.h"
#include "logging_p.h"
#include "proxy_p.h"
#include "refusal_p.h"
#include "request_p.h"
#include "response_p.h"
#include "responsecache_p.h"

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QAuthenticator>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QSslError>
#include <QtNetwork/QSslPreSharedKeyAuthenticator>
#if COURIER_HAS_CURL
#include "Courier/curlaccessmanager.h"
#endif

namespace Courier {

namespace {
/*! The proxies of another manager, as it would choose them now. */
class ForwardingProxyFactory : public QNetworkProxyFactory
{
public:
    explicit ForwardingProxyFactory(QNetworkAccessManager *manager)
        : m_manager(manager)
    {
    }

    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        return Proxies::query(m_manager, query);
    }

private:
    QPointer<QNetworkAccessManager> m_manager;
};

QNetworkAccessManager *newManager(Client::Engine engine, QObject *parent)
{
#if COURIER_HAS_CURL
    if (engine == Client::Engine::Curl)
        return new CurlAccessManager(parent);
#else
    Q_UNUSED(engine);
#endif
    return new QNetworkAccessManager(parent);
}
} // namespace

ClientPrivate::ClientPrivate(Client *q, QNetworkAccessManager *m, Client::Engine engine)
    : q_ptr(q)
    , manager(m)
    , userAgent(QByteArrayLiteral("Courier/" COURIER_VERSION_STRING))
    , ownCookieJar(new CookieJar(q))
    , cookieJar(ownCookieJar)
{
    if (!manager) {
        manager = newManager(engine, q);
        ownsManager = true;
    }
}

QNetworkAccessManager *ClientPrivate::managerFor(const TlsOptions &tls)
{
    if (!ownsManager || !manager || tls.isDefault())
        return manager;
#if COURIER_HAS_CURL
    if (qobject_cast<CurlAccessManager *>(manager.data()))
        return manager;
#endif
    for (const auto &[options, own] : std::as_const(tlsManagers)) {
        if (options == tls)
            return own;
    }
    auto *own = new QNetworkAccessManager(q_ptr);
    // It goes where the Client's manager goes (its proxy or proxy factory, read at each request)
    // and what the application hears from that manager, it hears from this one too.
    own->setProxyFactory(new ForwardingProxyFactory(manager));
    own->setStrictTransportSecurityEnabled(manager->isStrictTransportSecurityEnabled());
    QObject::connect(own, &QNetworkAccessManager::proxyAuthenticationRequired, manager.data(),
                     &QNetworkAccessManager::proxyAuthenticationRequired);
    QObject::connect(own, &QNetworkAccessManager::sslErrors, manager.data(), &QNetworkAccessManager::sslErrors);
    QObject::connect(own, &QNetworkAccessManager::encrypted, manager.data(), &QNetworkAccessManager::encrypted);
    QObject::connect(own, &QNetworkAccessManager::finished, manager.data(), &QNetworkAccessManager::finished);
    if (const auto *adapter = qobject_cast<CacheAdapter *>(manager->cache())) {
        auto *copy = new CacheAdapter;
        copy->setTarget(adapter->target());
        own->setCache(copy); // the manager owns it
    }
    qCDebug(lcTls) << "a connection pool of its own for TLS options number" << tlsManagers.size() + 1;
    tlsManagers.append({tls, own});
    return own;
}

Client::Client(QObject *parent)
    : Client(defaultEngine(), parent)
{
}

Client::Client(Engine engine, QObject *parent)
    : QObject(parent)
    , d_ptr(new ClientPrivate(this, nullptr, engine))
{
}

Client::Client(QNetworkAccessManager *manager, QObject *parent)
    : QObject(parent)
    , d_ptr(new ClientPrivate(this, manager, Engine::Qt))
{
}

Client::~Client()
{
    Q_D(Client);
    // Responses go first, while the manager their replies belong to is still alive.
    const QList<Response *> responses = findChildren<Response *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(responses);
    if (d->ownsManager)
        delete d->manager.data();
}

QNetworkAccessManager *Client::networkAccessManager() const { return d_func()->manager; }

Client::Engine Client::engine() const
{
#if COURIER_HAS_CURL
    if (qobject_cast<CurlAccessManager *>(d_func()->manager.data()))
        return Engine::Curl;
#endif
    return Engine::Qt;
}

bool Client::isEngineAvailable(Engine engine) { return engine == Engine::Qt || COURIER_HAS_CURL; }

Client::Engine Client::defaultEngine()
{
    static const Engine chosen = [] {
        const QByteArray name = qgetenv("COURIER_ENGINE").trimmed().toLower();
        if (name == "qt")
            return Engine::Qt;
        if (name == "curl" && isEngineAvailable(Engine::Curl))
            return Engine::Curl;
        if (!name.isEmpty())
            qCWarning(lcClient) << "COURIER_ENGINE names no engine of this build:" << name;
        return isEngineAvailable(Engine::Curl) ? Engine::Curl : Engine::Qt;
    }();
    return chosen;
}

namespace {
// Stores \a value and emits \a changed, unless nothing changes.
template <typename T>
void update(Client *q, T &field, const T &value, void (Client::*changed)())
{
    if (field == value)
        return;
    field = value;
    Q_EMIT(q->*changed)();
}

std::chrono::milliseconds nonNegative(std::chrono::milliseconds timeout)
{
    return std::max(timeout, std::chrono::milliseconds(0));
}
} // namespace

QUrl Client::baseUrl() const { return d_func()->baseUrl; }
void Client::setBaseUrl(const QUrl &url) { update(this, d_func()->baseUrl, url, &Client::baseUrlChanged); }

QByteArray Client::userAgent() const { return d_func()->userAgent; }
void Client::setUserAgent(const QByteArray &userAgent)
{
    update(this, d_func()->userAgent, userAgent, &Client::userAgentChanged);
}

void Client::setDefaultHeader(const QByteArray &name, const QByteArray &value)
{
    Q_D(Client);
    removeDefaultHeader(name);
    d->defaultHeaders.append({name, value});
}

void Client::removeDefaultHeader(const QByteArray &name)
{
    d_func()->defaultHeaders.removeIf([&](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
}

QList<QPair<QByteArray, QByteArray>> Client::defaultHeaders() const { return d_func()->defaultHeaders; }

std::chrono::milliseconds Client::connectTimeout() const { return d_func()->defaults.connectTimeout; }
void Client::setConnectTimeout(std::chrono::milliseconds timeout)
{
    update(this, d_func()->defaults.connectTimeout, nonNegative(timeout), &Client::connectTimeoutChanged);
}
int Client::connectTimeoutMsecs() const { return int(d_func()->defaults.connectTimeout.count()); }

std::chrono::milliseconds Client::readTimeout() const { return d_func()->defaults.readTimeout; }
void Client::setReadTimeout(std::chrono::milliseconds timeout)
{
    update(this, d_func()->defaults.readTimeout, nonNegative(timeout), &Client::readTimeoutChanged);
}
int Client::readTimeoutMsecs() const { return int(d_func()->defaults.readTimeout.count()); }

std::chrono::milliseconds Client::totalTimeout() const { return d_func()->defaults.totalTimeout; }
void Client::setTotalTimeout(std::chrono::milliseconds timeout)
{
    update(this, d_func()->defaults.totalTimeout, nonNegative(timeout), &Client::totalTimeoutChanged);
}
int Client::totalTimeoutMsecs() const { return int(d_func()->defaults.totalTimeout.count()); }

int Client::maximumRedirects() const { return d_func()->defaults.maximumRedirects; }
void Client::setMaximumRedirects(int maximum)
{
    update(this, d_func()->defaults.maximumRedirects, std::max(maximum, 0), &Client::maximumRedirectsChanged);
}

bool Client::insecureRedirectsAllowed() const { return d_func()->defaults.insecureRedirectsAllowed; }
void Client::setInsecureRedirectsAllowed(bool allowed)
{
    update(this, d_func()->defaults.insecureRedirectsAllowed, allowed, &Client::insecureRedirectsAllowedChanged);
}

QList<QByteArray> Client::sensitiveHeaders() const { return d_func()->defaults.sensitiveHeaders; }
void Client::setSensitiveHeaders(const QList<QByteArray> &names) { d_func()->defaults.sensitiveHeaders = names; }

void Client::setCredentials(const QString &user, const QString &password)
{
    Q_D(Client);
    d->defaults.credentials = Credentials{user, password};
}
QString Client::user() const { return d_func()->defaults.credentials.user; }
QString Client::password() const { return d_func()->defaults.credentials.password; }

bool Client::preemptiveAuthentication() const { return d_func()->defaults.preemptiveAuthentication; }
void Client::setPreemptiveAuthentication(bool preemptive)
{
    update(this, d_func()->defaults.preemptiveAuthentication, preemptive, &Client::preemptiveAuthenticationChanged);
}

QByteArray Client::bearerToken() const { return d_func()->defaults.bearerToken; }
void Client::setBearerToken(const QByteArray &token) { d_func()->defaults.bearerToken = token; }

int Client::maximumAuthRetries() const { return d_func()->defaults.maximumAuthRetries; }
void Client::setMaximumAuthRetries(int maximum)
{
    update(this, d_func()->defaults.maximumAuthRetries, std::max(maximum, 0), &Client::maximumAuthRetriesChanged);
}

TlsOptions Client::tlsOptions() const { return d_func()->defaults.tls; }
void Client::setTlsOptions(const TlsOptions &options) { d_func()->defaults.tls = options; }

Request::Protocol Client::protocol() const { return d_func()->defaults.protocol; }
void Client::setProtocol(Request::Protocol protocol)
{
    update(this, d_func()->defaults.protocol, protocol, &Client::protocolChanged);
}

Response *Client::get(const QUrl &url) { return send(Request(url, "GET")); }
Response *Client::head(const QUrl &url) { return send(Request(url, "HEAD")); }
Response *Client::options(const QUrl &url) { return send(Request(url, "OPTIONS")); }
Response *Client::deleteResource(const QUrl &url) { return send(Request(url, "DELETE")); }

void Client::setCache(ResponseCache *cache)
{
    Q_D(Client);
    QList<QNetworkAccessManager *> managers{d->manager.data()};
    for (const auto &entry : std::as_const(d->tlsManagers))
        managers.append(entry.second);
    for (QNetworkAccessManager *manager : std::as_const(managers)) {
        auto *adapter = qobject_cast<CacheAdapter *>(manager->cache());
        if (!adapter) {
            if (!cache)
                continue;
            adapter = new CacheAdapter;
            manager->setCache(adapter); // the manager owns it
        }
        adapter->setTarget(cache);
    }
}

ResponseCache *Client::cache() const
{
    Q_D(const Client);
    const auto *adapter = qobject_cast<CacheAdapter *>(d->manager->cache());
    return adapter ? adapter->target() : nullptr;
}

RetryPolicy Client::retryPolicy() const { return d_func()->defaults.retry; }
void Client::setRetryPolicy(const RetryPolicy &policy)
{
    update(this, d_func()->defaults.retry, policy, &Client::retryPolicyChanged);
}
qint64 Client::readBufferSize() const { return d_func()->defaults.readBufferSize; }
void Client::setReadBufferSize(qint64 bytes)
{
    update(this, d_func()->defaults.readBufferSize, std::max<qint64>(bytes, 0), &Client::readBufferSizeChanged);
}
qint64 Client::maximumBodySize() const { return d_func()->defaults.maximumBodySize; }
void Client::setMaximumBodySize(qint64 bytes)
{
    update(this, d_func()->defaults.maximumBodySize, std::max<qint64>(bytes, 0), &Client::maximumBodySizeChanged);
}

QNetworkCookieJar *Client::cookieJar() const
{
    Q_D(const Client);
    return d->cookieJar ? d->cookieJar.data() : d->ownCookieJar;
}

void Client::setCookieJar(QNetworkCookieJar *jar)
{
    Q_D(Client);
    d->cookieJar = jar ? jar : d->ownCookieJar;
}

namespace {
Request withData(const QUrl &url, const QByteArray &method, const QVariant &data)
{
    Request request(url, method);
    if (data.isValid())
        request.setData(data);
    return request;
}
} // namespace

Response *Client::post(const QUrl &url, const QVariant &data) { return send(withData(url, "POST", data)); }
Response *Client::put(const QUrl &url, const QVariant &data) { return send(withData(url, "PUT", data)); }
Response *Client::patch(const QUrl &url, const QVariant &data) { return send(withData(url, "PATCH", data)); }

Response *Client::send(const Request &request) { return start(request, QString(), DownloadOptions()); }

Response *Client::start(const Request &request, const QString &downloadPath, const DownloadOptions &download)
{
    auto *response = new Response(this);
    response->d_func()->start(d_func()->setupFor(request, downloadPath, download));
    return response;
}

Response *ClientPrivate::refuse(Client *client, const Request &request, const Failure &failure)
{
    ResponseSetup setup = client->d_func()->setupFor(request, QString(), DownloadOptions());
    setup.refusal = failure;
    auto *response = new Response(client);
    response->d_func()->start(std::move(setup));
    return response;
}

Response *Private::refusedResponse(Client *client, const Request &request, Response::Error error,
                                   const QString &message)
{
    return ClientPrivate::refuse(client, request, {error, message, true});
}

ResponseSetup ClientPrivate::setupFor(const Request &request, const QString &downloadPath,
                                      const DownloadOptions &download)
{
    ResponseSetup setup;
    setup.request = request;

    if (!baseUrl.isEmpty() && request.url().isRelative())
        setup.request.setUrl(baseUrl.resolved(request.url()));
    for (const auto &[name, value] : std::as_const(defaultHeaders)) {
        if (!request.hasHeader(name))
            setup.request.addHeader(name, value);
    }
    // Applied where it is used (ResponsePrivate::userAgent): the request is not copied for it.
    setup.userAgent = userAgent;

    // Most requests override nothing: the Client's options as they are.
    setup.options = request.d->options ? resolve(defaults, *request.d->options) : defaults;
    setup.manager = managerFor(setup.options.tls);
    setup.cookieJar = q_func()->cookieJar();
    setup.downloadPath = downloadPath;
    setup.download = download;
    return setup;
}

Response *Client::download(const Request &request, const QString &path, const DownloadOptions &options)
{
    // An empty path is the current folder: refused as a folder, not taken for "no download".
    return start(request, path.isEmpty() ? QStringLiteral(".") : path, options);
}

Response *Client::download(const QUrl &url, const QString &path, const DownloadOptions &options)
{
    return download(Request(url), path, options);
}

} // namespace Courier
