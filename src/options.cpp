// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "options_p.h"

namespace Courier {

Options defaultOptions()
{
    Options o;
    o.connectTimeout = Client::DefaultConnectTimeout;
    o.readTimeout = Client::DefaultReadTimeout;
    o.totalTimeout = std::chrono::milliseconds(0);
    o.maximumRedirects = Client::DefaultMaximumRedirects;
    o.insecureRedirectsAllowed = false;
    o.preemptiveAuthentication = false;
    o.maximumAuthRetries = Client::DefaultMaximumAuthRetries;
    o.protocol = Request::Protocol::Auto;
    o.readBufferSize = 0;
    o.maximumBodySize = 0;
    return o;
}

Options resolve(const Options &client, const OptionOverrides &request)
{
    Options o;
    o.connectTimeout = request.connectTimeout.value_or(client.connectTimeout);
    o.readTimeout = request.readTimeout.value_or(client.readTimeout);
    o.totalTimeout = request.totalTimeout.value_or(client.totalTimeout);
    o.maximumRedirects = request.maximumRedirects.value_or(client.maximumRedirects);
    o.insecureRedirectsAllowed = request.insecureRedirectsAllowed.value_or(client.insecureRedirectsAllowed);
    o.sensitiveHeaders = client.sensitiveHeaders + request.sensitiveHeaders.value_or(QList<QByteArray>());
    o.credentials = request.credentials.value_or(client.credentials);
    o.preemptiveAuthentication = request.preemptiveAuthentication.value_or(client.preemptiveAuthentication);
    o.bearerToken = request.bearerToken.value_or(client.bearerToken);
    o.maximumAuthRetries = request.maximumAuthRetries.value_or(client.maximumAuthRetries);
    o.tls = request.tls.value_or(client.tls);
    o.protocol = request.protocol.value_or(client.protocol);
    o.retry = request.retry.value_or(client.retry);
    o.readBufferSize = request.readBufferSize.value_or(client.readBufferSize);
    o.maximumBodySize = request.maximumBodySize.value_or(client.maximumBodySize);
    return o;
}

} // namespace Courier
