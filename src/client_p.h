#pragma once

#include "Courier/client.h"
#include "Courier/cookiejar.h"

#include <QtCore/QPointer>

namespace Courier {

class ClientPrivate
{
    Q_DECLARE_PUBLIC(Client)
public:
    explicit ClientPrivate(Client *q, QNetworkAccessManager *manager, Client::Engine engine);

    Client *const q_ptr;
    QPointer<QNetworkAccessManager> manager;
    bool ownsManager = false;

    QUrl baseUrl;
    QByteArray userAgent;
    QList<QPair<QByteArray, QByteArray>> defaultHeaders;
    std::chrono::milliseconds connectTimeout = Client::DefaultConnectTimeout;
    std::chrono::milliseconds readTimeout = Client::DefaultReadTimeout;
    std::chrono::milliseconds totalTimeout{0};
    int maximumRedirects = Client::DefaultMaximumRedirects;
    bool insecureRedirectsAllowed = false;
    QList<QByteArray> sensitiveHeaders;

    QString user;
    QString password;
    bool preemptiveAuthentication = false;
    QByteArray bearerToken;
    int maximumAuthRetries = Client::DefaultMaximumAuthRetries;

    TlsOptions tlsOptions;
    Request::Protocol protocol = Request::Protocol::Auto;

    RetryPolicy retryPolicy;
    qint64 readBufferSize = 0;
    qint64 maximumBodySize = 0;

    CookieJar *ownCookieJar = nullptr; // child of the Client, used unless the application gives one
    QPointer<QNetworkCookieJar> cookieJar;
};

} // namespace Courier
