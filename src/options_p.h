// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/client.h"
#include "Courier/request.h"
#include "Courier/retrypolicy.h"
#include "Courier/tlsoptions.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <chrono>
#include <optional>

namespace Courier {

/*! A user name and its password. A null user name is no credentials. */
struct Credentials
{
    QString user;
    QString password;
    bool operator==(const Credentials &other) const { return user == other.user && password == other.password; }
};

template <typename T>
using Plain = T;

/*!
    The options of one request, defined once. A Client holds them all (Options, its defaults); a
    Request holds those it overrides (OptionOverrides, every field optional); resolve() gives the
    effective options a Response runs with. Adding an option: a field here, a line in resolve()
    and in operator==(), the public accessors of Client and Request, and the code that uses it.
*/
template <template <typename> class Field>
struct OptionSet
{
    Field<std::chrono::milliseconds> connectTimeout{};
    Field<std::chrono::milliseconds> readTimeout{};
    Field<std::chrono::milliseconds> totalTimeout{};
    Field<int> maximumRedirects{};
    Field<bool> insecureRedirectsAllowed{};
    Field<QList<QByteArray>> sensitiveHeaders{}; // beyond Authorization, Cookie, Proxy-Authorization
    Field<Credentials> credentials{};
    Field<bool> preemptiveAuthentication{};
    Field<QByteArray> bearerToken{};
    Field<int> maximumAuthRetries{};
    Field<TlsOptions> tls{};
    Field<Request::Protocol> protocol{};
    Field<RetryPolicy> retry{};
    Field<qint64> readBufferSize{}; // 0: unlimited
    Field<qint64> maximumBodySize{}; // 0: none

    bool operator==(const OptionSet &o) const
    {
        return connectTimeout == o.connectTimeout && readTimeout == o.readTimeout && totalTimeout == o.totalTimeout
            && maximumRedirects == o.maximumRedirects && insecureRedirectsAllowed == o.insecureRedirectsAllowed
            && sensitiveHeaders == o.sensitiveHeaders && credentials == o.credentials
            && preemptiveAuthentication == o.preemptiveAuthentication && bearerToken == o.bearerToken
            && maximumAuthRetries == o.maximumAuthRetries && tls == o.tls && protocol == o.protocol && retry == o.retry
            && readBufferSize == o.readBufferSize && maximumBodySize == o.maximumBodySize;
    }
};

using Options = OptionSet<Plain>;
using OptionOverrides = OptionSet<std::optional>;

/*! A Client's options before the application changes any. */
Options defaultOptions();

/*!
    The options a request runs with: each of \a request's overrides, else the Client's value.
    Sensitive headers add up (the Client's and the request's); credentials and a bearer token of
    the request replace the Client's as a whole.
*/
Options resolve(const Options &client, const OptionOverrides &request);

} // namespace Courier
