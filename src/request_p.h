// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "Courier/request.h"

#include "options_p.h"
#include "outcome_p.h"

#include <QtCore/QPointer>
#include <QtCore/QSharedData>
#include <QtNetwork/QHttpMultiPart>

#include <memory>

namespace Courier {

class RequestData : public QSharedData
{
public:
    QUrl url;
    QByteArray method = QByteArrayLiteral("GET");
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray userAgent;
    QUrlQuery query;

    Request::BodyKind bodyKind = Request::BodyKind::None;
    QByteArray body;
    QByteArray contentType;
    QVariant data;
    QPointer<QIODevice> device;
    qint64 deviceSize = -1;
    QPointer<QHttpMultiPart> multipart;

    // What this request sets instead of the Client's defaults. Most requests set nothing: kept
    // apart and shared by the copies of the data, null until a setter changes one.
    std::shared_ptr<OptionOverrides> options;
    int priority = Request::MinimumPriority;
    Request::DataType expectedDataType = Request::DataType::Auto;
    bool usingCache = true;

    const OptionOverrides &overrides() const
    {
        static const OptionOverrides none;
        return options ? *options : none;
    }
    /*! The overrides to change: copied first when another copy of the data shares them. */
    OptionOverrides &overridesToChange()
    {
        if (!options || options.use_count() > 1)
            options = std::make_shared<OptionOverrides>(overrides());
        return *options;
    }

    // Request's operator==: a device and a multipart by pointer, the data with QVariant's ==.
    bool operator==(const RequestData &o) const
    {
        return url == o.url && method == o.method && headers == o.headers && userAgent == o.userAgent
            && query == o.query && bodyKind == o.bodyKind && body == o.body && contentType == o.contentType
            && data == o.data && device == o.device && deviceSize == o.deviceSize && multipart == o.multipart
            && overrides() == o.overrides() && priority == o.priority && expectedDataType == o.expectedDataType
            && usingCache == o.usingCache;
    }
};

namespace RequestPrivate {
/*! Methods for which setData() means query parameters rather than a body. */
bool isQueryDataMethod(const QByteArray &method);

/*!
    Turns a Data body into bytes or query items for \a request's method. Returns false, with
    \a error set, when the data has a type that cannot be sent.
*/
bool resolveData(Request &request, QString *error);

/*!
    Checks what the application asked for before anything is sent: URL, scheme, host, method,
    header names and values, bearer token, \a userAgent (the one the hops send), credentials and
    body. Resolves a Data body into bytes or query items in \a request. Returns the message of
    the first problem (ProtocolUnknown for a missing or unsupported scheme,
    ProtocolInvalidOperation for the rest), or an empty failure.
*/
Failure validate(Request *request, const QByteArray &userAgent, const QByteArray &bearerToken, const QString &user,
                 const QString &password);

} // namespace RequestPrivate

} // namespace Courier
