// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "eventsourcepolicy_p.h"

namespace Courier::EventSourcePolicy {

QString refusal(int statusCode, const QString &reasonPhrase, const QByteArray &contentType)
{
    if (statusCode == 204)
        return QStringLiteral("The server answered 204 No Content: the event stream is over, and is not reconnected");
    if (statusCode != 200) {
        return QStringLiteral("The server answered %1 %2 instead of an event stream")
            .arg(statusCode)
            .arg(reasonPhrase)
            .trimmed();
    }
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArray mime = (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
    if (mime == "text/event-stream")
        return {};
    if (mime.isEmpty())
        return QStringLiteral("The answer has no Content-Type: it is not an event stream (text/event-stream)");
    return QStringLiteral("The answer's Content-Type is %1, not text/event-stream").arg(QString::fromLatin1(mime));
}

Decision afterEnding(const Ending &ending)
{
    if (ending.error == Response::NoError)
        return {true, QStringLiteral("The server ended the event stream")};
    if (!ending.transport)
        return {false, ending.errorString}; // an error status: a stream is never one
    switch (ending.error) {
    case Response::OperationCanceled: // the standard's "aborted network error"
    case Response::SslHandshakeFailed:
    case Response::TooManyRedirects:
    case Response::InsecureRedirect:
    case Response::ProtocolUnknown:
    case Response::ProtocolInvalidOperation:
    case Response::UnknownContentError: // an event or the body over its limit
        return {false, ending.errorString};
    default: return {true, ending.errorString};
    }
}

std::chrono::milliseconds delay(std::chrono::milliseconds reconnectionTime, int failedAttempts,
                                std::chrono::milliseconds maximum)
{
    using std::chrono::milliseconds;
    const milliseconds base = std::min(std::max(reconnectionTime, milliseconds(0)), maximum);
    if (failedAttempts <= 1)
        return base;
    // Failing again and again: double, from a floor, so that `retry: 0` cannot make a busy loop.
    milliseconds wait = std::max(base, MinimumBackoff);
    for (int i = 1; i < failedAttempts && wait < maximum; ++i)
        wait = wait * 2;
    return std::min(wait, maximum);
}

} // namespace Courier::EventSourcePolicy
