#pragma once

#include "Courier/client.h"

#include <QtCore/QPointer>

namespace Courier {

class ClientPrivate
{
    Q_DECLARE_PUBLIC(Client)
public:
    explicit ClientPrivate(Client *q, QNetworkAccessManager *manager);

    Client *const q_ptr;
    QPointer<QNetworkAccessManager> manager;
    bool ownsManager = false;

    QUrl baseUrl;
    QByteArray userAgent;
    QList<QPair<QByteArray, QByteArray>> defaultHeaders;
    std::chrono::milliseconds readTimeout = Client::DefaultReadTimeout;
    std::chrono::milliseconds totalTimeout{0};
    int maximumRedirects = Client::DefaultMaximumRedirects;
};

} // namespace Courier
