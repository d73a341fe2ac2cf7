// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// Private API of Courier for its own QML module: no compatibility promise.

#include "Courier/client.h"
#include "Courier/response.h"

namespace Courier::Private {

/*!
    A Response to \a request from \a client that sends nothing and fails, from the event loop as
    every refused request does (errorOccurred(\a error), then finished()), with \a message as its
    errorString(). The QML module refuses this way an options object it cannot honour.
*/
COURIER_EXPORT Response *refusedResponse(Client *client, const Request &request, Response::Error error,
                                         const QString &message);

} // namespace Courier::Private
