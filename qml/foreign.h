#pragma once

// Courier's C++ types as QML sees them, registered by qmltyperegistrar (no hand registration).

#include <Courier/Response>
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
    QML_UNCREATABLE("Responses come from Http.request(), Http.fetch() and the shortcuts.")
};

/*! The entries of Response.timeline: { kind, name, msecs, url }. */
struct ForeignTimelineEvent
{
    Q_GADGET
    QML_FOREIGN(Courier::TimelineEvent)
    QML_VALUE_TYPE(timelineEvent)
};

} // namespace Courier::Qml
