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

/*! The values of the option \c stream: how the body is read as it arrives. */
enum class StreamFormat {
    None, //!< not streamed: the body is kept for text(), json() and result
    JsonLines, //!< "jsonlines" or "ndjson": a JsonLinesReader, values to onValue
    Events, //!< "events": an EventStreamReader, events to onEvent
};

/*!
    What a JavaScript function stands as in the map given to applyOptions(): the callbacks
    (onValue, onParseError, onEvent) are kept by the caller, which has the QML engine; the options
    only check that they are functions and where they may be given.
*/
struct FunctionOption
{
};

/*! What an options object asks for beyond the Request itself. */
struct ExtraOptions
{
    QPointer<QObject> context; // the request is aborted, silently, when it is destroyed
    QList<QObject *> owned; // files and multipart bodies the request streams: given to the Response
    DownloadOptions download; // download(): resume and sha256
    StreamFormat stream = StreamFormat::None; // the body read by a stream reader
    qint64 maximumItemSize = -1; // the reader's item limit; -1: its default
};

/*! Which call the options object was given to: download() also knows resume and sha256. */
enum class OptionsFor { Request, Download };

/*!
    Applies a QML options object (as QJSValue::toVariant() gives it) to \a request. Returns an
    empty string when every key was understood; otherwise one sentence per key that is unknown,
    given twice (under its platform and its web name) or of the wrong type, joined with "; ".
    Such a request must not be sent. The objects in \a extra's \c owned list are created here
    and must be deleted by the caller, or handed to the Response. A JavaScript function is given
    as a FunctionOption: the callbacks are the caller's to keep. The keys are listed in
    doc/guide-qml.md ("Options").
*/
QString applyOptions(const QVariantMap &options, OptionsFor use, Request &request, ExtraOptions &extra);

/*! A local path from what QML gives: a path, or a file: or qrc: URL. Empty for other URLs. */
QString localPath(const QString &pathOrUrl);

/*! "a string", "an object", … for error messages. */
QString typeName(const QVariant &value);

} // namespace Courier::Qml

Q_DECLARE_METATYPE(Courier::Qml::FunctionOption)
