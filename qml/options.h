// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/DownloadOptions>
#include <Courier/Request>

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QVariantMap>

namespace Courier::Qml {

/*! The values of HttpClient's DataType enum are those of Request::DataType. */
enum class ProtocolOption { Http1_1 = 0, Http2 = 1 };

/*! What an options object asks for beyond the Request itself. */
struct ExtraOptions
{
    QPointer<QObject> context; // the request is aborted, silently, when it is destroyed
    QList<QObject *> owned; // files and multipart bodies the request streams: given to the Response
    DownloadOptions download; // download(): resume and sha256
};

/*! Which call the options object was given to: download() also knows resume and sha256. */
enum class OptionsFor { Request, Download };

/*!
    Applies a QML options object (as QJSValue::toVariant() gives it) to \a request. Returns an
    empty string when every key was understood; otherwise one sentence per key that is unknown,
    given twice (under its platform and its web name) or of the wrong type, joined with "; ".
    Such a request must not be sent. The objects in \a extra's \c owned list are created here
    and must be deleted by the caller, or handed to the Response. The keys are listed in
    doc/guide-qml.md ("Options").
*/
QString applyOptions(const QVariantMap &options, OptionsFor use, Request &request, ExtraOptions &extra);

/*! A local path from what QML gives: a path, or a file: or qrc: URL. Empty for other URLs. */
QString localPath(const QString &pathOrUrl);

/*! "a string", "an object", … for error messages. */
QString typeName(const QVariant &value);

} // namespace Courier::Qml
