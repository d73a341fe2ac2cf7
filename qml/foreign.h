// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// Courier's C++ types as QML sees them, registered by qmltyperegistrar (no hand registration).

#include <Courier/Client>
#include <Courier/Response>
#include <Courier/ServerSentEvent>
#include <Courier/TimelineEvent>

#include <QtQml/qqml.h>

namespace Courier::Qml {

/*!
    Response in QML: the properties, signal handlers, invokable methods and error constants of
    Courier::Response (Response.ConnectionRefused, Response.Network, …). Responses come from
    Http; QML cannot create one.
*/
struct ForeignResponse
{
    Q_GADGET
    QML_FOREIGN(Courier::Response)
    QML_NAMED_ELEMENT(Response)
    QML_UNCREATABLE("Responses come from HttpClient and Http: request(), fetch(), download() and the shortcuts.")
};

/*!
    Client in QML: what an HttpClient's \c client property holds, for a C++ application that
    hands QML a Client it configured. QML cannot create one.
*/
struct ForeignClient
{
    Q_GADGET
    QML_FOREIGN(Courier::Client)
    QML_NAMED_ELEMENT(Client)
    QML_UNCREATABLE("A Client comes from C++; QML makes an HttpClient.")
};

/*! The entries of Response.timeline: { kind, name, msecs, url }. */
struct ForeignTimelineEvent
{
    Q_GADGET
    QML_FOREIGN(Courier::TimelineEvent)
    QML_VALUE_TYPE(timelineEvent)
};

/*!
    The events of EventSource and of the option \c{stream: "events"}: { type, data, lastEventId,
    origin }, and toJson(), the data parsed as JSON.
*/
struct ForeignServerSentEvent
{
    Q_GADGET
    QML_FOREIGN(Courier::ServerSentEvent)
    QML_VALUE_TYPE(serverSentEvent)
};

} // namespace Courier::Qml
