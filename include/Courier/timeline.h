// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>

#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QUrl>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace Courier {

/*!
    \class Courier::TimelineEvent
    \brief One step of a Response's life, as Response::timeline() records it.

    Each event says what happened (kind), when (msecs since the Response started, measured with a
    monotonic clock) and on which hop (url: the URL of the request being sent at that moment).
    The events of one hop come in the order of Kind below, some of them missing when Qt does not
    go through that step: a request that reuses an open connection has no Connecting nor
    TlsEstablished, a response without a body has no FirstByte. Qt 6.4 does not report when
    a connection closes, so there is no "disconnected" event.

    A value type (Q_GADGET): its fields are readable from QML.
*/
class COURIER_EXPORT TimelineEvent
{
    Q_GADGET
    Q_PROPERTY(Kind kind MEMBER kind)
    Q_PROPERTY(qint64 msecs MEMBER msecs)
    Q_PROPERTY(QUrl url MEMBER url)
    Q_PROPERTY(QString name READ name)

public:
    /*! The steps an event records; those of one hop come in this order (see the class description). */
    enum Kind {
        Started, //!< the request was handed to Qt (it may wait there for a free connection)
        Connecting, //!< Qt started opening a connection for it (name lookup, TCP, then TLS)
        TlsEstablished, //!< the TLS handshake completed and the server was verified
        RequestSent, //!< the request (headers and body) was written
        HeadersReceived, //!< the status line and headers arrived
        FirstByte, //!< the first byte of the body arrived
        Redirected, //!< a redirect is followed; url is the new target
        Authenticating, //!< the server asked for credentials (401): the request is sent again with them
        Retrying, //!< the attempt failed and the retry policy sends the request again after a wait; url is the first URL
        Finished, //!< the Response finished (successfully or not)
    };
    Q_ENUM(Kind)

    /*! What happened. */
    Kind kind = Started;
    /*! When: milliseconds since the Response started, on a monotonic clock. */
    qint64 msecs = 0;
    /*! The URL of the request being sent at that moment (see Kind for Redirected and Retrying). */
    QUrl url;

    /*! The kind's name, as in Q_ENUM ("TlsEstablished"). */
    QString name() const;

    /*! Whether kind, msecs and url of \a lhs are all equal to those of \a rhs. */
    friend bool operator==(const TimelineEvent &lhs, const TimelineEvent &rhs)
    {
        return lhs.kind == rhs.kind && lhs.msecs == rhs.msecs && lhs.url == rhs.url;
    }
    /*! Whether kind, msecs or url of \a lhs differ from those of \a rhs. */
    friend bool operator!=(const TimelineEvent &lhs, const TimelineEvent &rhs) { return !(lhs == rhs); }
};

#ifndef QT_NO_DEBUG_STREAM
/*!
    \relates Courier::TimelineEvent
    Writes \a event to \a debug: its kind, its time and its URL (without the URL's password).
*/
COURIER_EXPORT QDebug operator<<(QDebug debug, const TimelineEvent &event);
#endif

} // namespace Courier

Q_DECLARE_METATYPE(Courier::TimelineEvent)
