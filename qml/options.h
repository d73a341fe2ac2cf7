#pragma once

#include <Courier/Request>

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>
#include <QtCore/QVariantMap>

namespace Courier::Qml {

/*! The values of Http's DataType and Protocol enums, shared with the options parser. */
enum class DataTypeOption { String = 0, Object = 1, ArrayBuffer = 2 };
enum class ProtocolOption { Http1_1 = 0, Http2 = 1 };

/*! What an options object asks for beyond the Request itself. */
struct ExtraOptions
{
    QPointer<QObject> context; // the request is aborted, silently, when it is destroyed
};

/*!
    Applies a QML options object (as QJSValue::toVariant() gives it) to \a request. Every key
    that is unknown or whose value has the wrong type is skipped and named in \a warnings, one
    sentence each; the other keys still apply. The keys, after the sources' request options:
    method, header, extraData, expectDataType, usingCache, priority, connectTimeout, readTimeout,
    usingProtocol, and Courier's timeout, maxRedirects, retry, username, password, bearer, context.
*/
void applyOptions(const QVariantMap &options, Request &request, ExtraOptions &extra, QStringList &warnings);

} // namespace Courier::Qml
