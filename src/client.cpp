#include "client_p.h"

#include "Courier/version.h"
#include "logging_p.h"
#include "response_p.h"

#include <QtNetwork/QNetworkAccessManager>

namespace Courier {

ClientPrivate::ClientPrivate(Client *q, QNetworkAccessManager *m)
    : q_ptr(q)
    , manager(m)
    , userAgent(QByteArrayLiteral("Courier/" COURIER_VERSION_STRING))
{
    if (!manager) {
        manager = new QNetworkAccessManager(q);
        ownsManager = true;
    }
}

Client::Client(QObject *parent)
    : Client(nullptr, parent)
{
}

Client::Client(QNetworkAccessManager *manager, QObject *parent)
    : QObject(parent)
    , d_ptr(new ClientPrivate(this, manager))
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

QUrl Client::baseUrl() const { return d_func()->baseUrl; }
void Client::setBaseUrl(const QUrl &url)
{
    Q_D(Client);
    if (d->baseUrl == url)
        return;
    d->baseUrl = url;
    Q_EMIT baseUrlChanged();
}

QByteArray Client::userAgent() const { return d_func()->userAgent; }
void Client::setUserAgent(const QByteArray &userAgent)
{
    Q_D(Client);
    if (d->userAgent == userAgent)
        return;
    d->userAgent = userAgent;
    Q_EMIT userAgentChanged();
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

std::chrono::milliseconds Client::readTimeout() const { return d_func()->readTimeout; }
void Client::setReadTimeout(std::chrono::milliseconds timeout)
{
    Q_D(Client);
    timeout = std::max(timeout, std::chrono::milliseconds(0));
    if (d->readTimeout == timeout)
        return;
    d->readTimeout = timeout;
    Q_EMIT readTimeoutChanged();
}
int Client::readTimeoutMsecs() const { return int(d_func()->readTimeout.count()); }

std::chrono::milliseconds Client::totalTimeout() const { return d_func()->totalTimeout; }
void Client::setTotalTimeout(std::chrono::milliseconds timeout)
{
    Q_D(Client);
    timeout = std::max(timeout, std::chrono::milliseconds(0));
    if (d->totalTimeout == timeout)
        return;
    d->totalTimeout = timeout;
    Q_EMIT totalTimeoutChanged();
}
int Client::totalTimeoutMsecs() const { return int(d_func()->totalTimeout.count()); }

int Client::maximumRedirects() const { return d_func()->maximumRedirects; }
void Client::setMaximumRedirects(int maximum)
{
    Q_D(Client);
    maximum = std::max(maximum, 0);
    if (d->maximumRedirects == maximum)
        return;
    d->maximumRedirects = maximum;
    Q_EMIT maximumRedirectsChanged();
}

Response *Client::get(const QUrl &url) { return send(Request(url, "GET")); }
Response *Client::head(const QUrl &url) { return send(Request(url, "HEAD")); }
Response *Client::options(const QUrl &url) { return send(Request(url, "OPTIONS")); }
Response *Client::deleteResource(const QUrl &url) { return send(Request(url, "DELETE")); }

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

Response *Client::send(const Request &request)
{
    Q_D(Client);
    ResponseSetup setup;
    setup.request = request;
    setup.manager = d->manager;

    if (!d->baseUrl.isEmpty() && request.url().isRelative())
        setup.request.setUrl(d->baseUrl.resolved(request.url()));
    for (const auto &[name, value] : d->defaultHeaders) {
        if (!request.hasHeader(name))
            setup.request.addHeader(name, value);
    }
    if (request.userAgent().isEmpty())
        setup.request.setUserAgent(d->userAgent);

    const auto orDefault = [](std::chrono::milliseconds own, std::chrono::milliseconds fallback) {
        return own < std::chrono::milliseconds(0) ? fallback : own;
    };
    setup.readTimeout = orDefault(request.readTimeout(), d->readTimeout);
    setup.totalTimeout = orDefault(request.totalTimeout(), d->totalTimeout);
    setup.maximumRedirects = request.maximumRedirects() < 0 ? d->maximumRedirects : request.maximumRedirects();

    auto *response = new Response(this);
    response->d_func()->start(setup);
    return response;
}

} // namespace Courier
