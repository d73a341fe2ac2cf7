// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

import QtQuick
import Courier

// The QML side of the testing example: the forecast of a city, from the service at baseUrl (the
// application gives the real service's; the Qt Quick test a MockServer's).
Item {
    id: panel

    property url baseUrl
    property string city
    property string apiKey
    property alias readTimeout: api.readTimeout
    // What the panel shows.
    property string text: ""

    HttpClient {
        id: api
        baseUrl: panel.baseUrl
        headers: ({ "X-Api-Key": panel.apiKey })
        readTimeout: 10000
    }

    function refresh() {
        text = "…"
        api.fetch("forecast/" + encodeURIComponent(city))
            .then(response => {
                const forecast = response.ok ? response.json() : undefined
                if (response.statusCode === 503)
                    text = "busy, try again in " + response.headers["retry-after"] + " s"
                else if (!response.ok)
                    text = "refused: " + response.statusMessage
                else if (typeof forecast !== "object" || typeof forecast.celsius !== "number")
                    text = "not a forecast"
                else
                    text = forecast.celsius + " °C"
            })
            .catch(failure => text = failure.error === Response.Timeout ? "no answer" : "connection lost")
    }
}
