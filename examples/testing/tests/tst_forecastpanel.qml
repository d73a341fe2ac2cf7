// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

import QtQuick
import QtTest
import Courier.Test
import ".."

// The Qt Quick test of ForecastPanel.qml, against Courier.Test's MockServer.
TestCase {
    name: "ForecastPanel"

    MockServer { id: server }

    ForecastPanel {
        id: panel
        baseUrl: server.url + "api/" // a binding on url: it is set once the server listens
        city: "Lima"
        apiKey: "key-123"
    }

    function cleanup() {
        verify(server.isSatisfied(), server.report())
        server.clearRoutes()
        panel.readTimeout = 10000
    }

    function test_forecast() {
        server.enqueue({ body: { celsius: 21.5 } })
        panel.refresh()
        tryCompare(panel, "text", "21.5 °C")
        const request = server.takeRequest(5000)
        compare(request.method, "GET")
        compare(request.path, "/api/forecast/Lima")
        compare(request.headers["x-api-key"], "key-123")
    }

    function test_busy() {
        server.enqueue({ status: 503, headers: { "Retry-After": "30" } })
        panel.refresh()
        tryCompare(panel, "text", "busy, try again in 30 s")
    }

    function test_notAForecast() {
        server.enqueue({ body: "<html>maintenance</html>", headers: { "Content-Type": "text/html" } })
        panel.refresh()
        tryCompare(panel, "text", "not a forecast")
    }

    // Each fault kind. Routes, not enqueue(): Qt's engine sends a request again when its
    // connection breaks early, and every attempt meets the fault.
    function test_brokenServer_data() {
        return [
            { tag: "close mid-body", fault: "close", phase: "body", shown: "connection lost" },
            { tag: "reset in the headers", fault: "reset", phase: "headers", shown: "connection lost" },
            { tag: "stall mid-body", fault: "stall", phase: "body", shown: "no answer" },
            { tag: "garbage for a status line", fault: "garbage", phase: "statusLine", shown: "connection lost" },
            { tag: "oversized header block", fault: "oversized", phase: "headers", shown: "connection lost" },
        ]
    }

    function test_brokenServer(data) {
        server.route("GET", "/api/forecast/Lima", {
            body: JSON.stringify({ celsius: 18.25, padding: "..............................." }),
            fault: data.fault, phase: data.phase
        })
        // Silence is told by the read timeout, shortened for the stall alone.
        if (data.fault === "stall")
            panel.readTimeout = 300
        panel.refresh()
        tryCompare(panel, "text", data.shown, 10000)
        verify(server.requestCount >= 1)
    }
}
