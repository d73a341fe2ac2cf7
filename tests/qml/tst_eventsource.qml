// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

import QtQuick
import QtTest
import Courier
import Courier.Test

// The QML EventSource against Courier.Test's MockServer: opening by itself, messages, named events
// through addEventListener, readyState step by step, close(), reconnection with Last-Event-ID,
// the answers that close it for good (204, another Content-Type), a new url while open, its
// HttpClient's settings, and what it refuses. Every wait is for a signal or a state: a stream
// that must stay open is one whose server stalls after the events the test needs.
TestCase {
    id: testCase
    name: "EventSource"

    Component { id: serverComponent; MockServer {} }
    Component { id: clientComponent; HttpClient {} }
    Component {
        id: sourceComponent
        EventSource { reconnectionTime: 10; maximumReconnectionDelay: 50 }
    }
    SignalSpy { id: openedSpy; signalName: "opened" }
    SignalSpy { id: errorSpy; signalName: "errorOccurred" }
    SignalSpy { id: reconnectingSpy; signalName: "reconnecting" }

    property var made: []
    // What the source of the test was seen doing: its states as they changed, its messages' data,
    // every event's type.
    property var seen: ({})

    function cleanup() {
        for (const object of made)
            object.destroy()
        made = []
    }

    function makeServer() {
        const server = serverComponent.createObject(testCase) as MockServer
        verify(server !== null && server.listening)
        made.push(server)
        return server
    }

    // The EventSource of a test, watched (seen).
    function makeSource(properties) {
        const source = sourceComponent.createObject(testCase, properties || {}) as EventSource
        verify(source !== null)
        made.push(source)
        const watched = { states: [], messages: [], types: [] }
        seen = watched
        source.readyStateChanged.connect(() => watched.states.push(source.readyState))
        source.message.connect(event => watched.messages.push(event.data))
        source.eventReceived.connect(event => watched.types.push(event.type))
        for (const spy of [openedSpy, errorSpy, reconnectingSpy]) {
            spy.target = source
            spy.clear()
        }
        return source
    }

    // An event stream that sends \a text and then stays open, silent.
    function openStream(text) {
        return { headers: { "Content-Type": "text/event-stream" }, body: text + ": never sent\n\n",
                 fault: "stall", phase: "body", afterBytes: text.length }
    }

    // An event stream that sends \a text and ends.
    function endedStream(text) {
        return { headers: { "Content-Type": "text/event-stream" }, body: text }
    }

    function origin(server) {
        return server.url.replace(/\/$/, "")
    }

    function test_opensByItselfAndCloses() {
        const server = makeServer()
        server.enqueue(openStream("data: hello\ndata: world\n\n"))
        const source = makeSource({ url: server.urlFor("/updates") })
        verify(source.active)
        compare(source.readyState, EventSource.Connecting) // as a browser's, once made
        tryCompare(source, "readyState", EventSource.Open)
        compare(openedSpy.count, 1)
        tryCompare(seen.messages, "length", 1)
        compare(seen.messages[0], "hello\nworld")
        compare(seen.types, ["message"])

        const request = server.takeRequest(5000)
        compare(request.method, "GET")
        compare(request.path, "/updates")
        compare(request.headers["accept"], "text/event-stream")
        compare(request.headers["cache-control"], "no-cache")
        verify(!("last-event-id" in request.headers))

        source.close()
        compare(source.readyState, EventSource.Closed)
        verify(!source.active)
        compare(seen.states, [EventSource.Open, EventSource.Closed])
        compare(errorSpy.count, 0) // close() is no error
        compare(source.errorString, "")
        verify(server.isSatisfied(), server.report())
    }

    function test_eventFields() {
        const server = makeServer()
        server.enqueue(openStream("id: 41\nevent: update\ndata: {\"price\": 3.5}\n\n"))
        const source = makeSource({ active: false, url: server.url })
        let received = null
        source.eventReceived.connect(event => received = { type: event.type, data: event.data,
                                                           lastEventId: event.lastEventId, origin: event.origin,
                                                           json: event.toJson() })
        source.open()
        verify(source.active)
        tryVerify(() => received !== null)
        compare(received.type, "update")
        compare(received.data, "{\"price\": 3.5}")
        compare(received.lastEventId, "41")
        compare(received.origin, origin(server))
        compare(received.json.price, 3.5)
        compare(source.lastEventId, "41")
        compare(seen.messages, []) // a named event is no message
        compare(seen.states, [EventSource.Connecting, EventSource.Open])
    }

    function test_eventListeners() {
        const server = makeServer()
        server.enqueue(openStream("event: price\ndata: 3\n\nevent: news\ndata: n\n\ndata: plain\n\nevent: done\ndata: !\n\n"))
        const source = makeSource({ active: false, url: server.url })
        const calls = []
        const onPrice = event => calls.push("price " + event.data)
        const onMessage = event => calls.push("message " + event.data)
        const onNews = event => calls.push("news " + event.data)
        source.addEventListener("open", event => calls.push(event.type))
        source.addEventListener("price", onPrice)
        source.addEventListener("price", onPrice) // once only, as in a browser
        source.addEventListener("message", onMessage)
        source.addEventListener("news", onNews)
        source.removeEventListener("news", onNews)
        source.removeEventListener("news", onNews) // removing twice does nothing
        source.addEventListener("done", () => calls.push("done"))
        source.open()
        tryVerify(() => calls.indexOf("done") >= 0)
        compare(calls, ["open", "price 3", "message plain", "done"])
        compare(seen.types, ["price", "news", "message", "done"])
        compare(seen.messages, ["plain"])
    }

    // A listener that throws is reported as a handler's error would be; the others still run.
    function test_throwingListener() {
        const server = makeServer()
        server.enqueue(openStream("data: a\n\ndata: b\n\n"))
        const source = makeSource({ active: false, url: server.url })
        const data = []
        source.addEventListener("message", () => { throw new Error("listener broke") })
        source.addEventListener("message", event => data.push(event.data))
        ignoreWarning(new RegExp("listener broke"))
        ignoreWarning(new RegExp("listener broke"))
        source.open()
        tryCompare(data, "length", 2)
        compare(data, ["a", "b"])
    }

    // The stream ends; the source says so, waits the server's retry and asks again from the last
    // event ID. The second stream stays open.
    function test_reconnectsWithLastEventId() {
        const server = makeServer()
        server.enqueue(endedStream("retry: 20\nid: 7\ndata: first\n\n"))
        server.enqueue(openStream("id: 8\ndata: second\n\n"))
        const source = makeSource({ active: false, url: server.urlFor("/feed") })
        let stateAtError = -1
        source.errorOccurred.connect(() => stateAtError = source.readyState)
        source.open()
        tryCompare(seen.messages, "length", 2)
        compare(seen.messages, ["first", "second"])
        compare(seen.states, [EventSource.Connecting, EventSource.Open, EventSource.Connecting,
                                     EventSource.Open])
        compare(errorSpy.count, 1)
        compare(stateAtError, EventSource.Connecting)
        verify(source.errorString !== "")
        compare(reconnectingSpy.count, 1)
        compare(reconnectingSpy.signalArguments[0][0], 1) // the first attempt
        compare(reconnectingSpy.signalArguments[0][1], 20) // the server's retry: one stream had events
        compare(source.reconnectionTime, 20)
        compare(openedSpy.count, 2)
        compare(source.lastEventId, "8")

        const first = server.takeRequest(5000)
        verify(!("last-event-id" in first.headers))
        const second = server.takeRequest(5000)
        compare(second.path, "/feed")
        compare(second.headers["last-event-id"], "7")
        source.close()
        compare(source.readyState, EventSource.Closed)
        verify(server.isSatisfied(), server.report())
    }

    // headers change the next connection, and do not reconnect by themselves.
    function test_headersApplyAtTheNextConnection() {
        const server = makeServer()
        server.enqueue(endedStream("data: first\n\n"))
        server.enqueue(openStream("data: second\n\n"))
        const source = makeSource({ active: false, url: server.url, headers: { "X-Token": "1" } })
        source.message.connect(event => {
            if (event.data === "first")
                source.headers = { "X-Token": "2" }
        })
        source.open()
        tryCompare(seen.messages, "length", 2)
        compare(server.takeRequest(5000).headers["x-token"], "1")
        compare(server.takeRequest(5000).headers["x-token"], "2")
        compare(server.requestCount, 2)
    }

    // lastEventId can be given, to go on from a stream saved by an earlier run.
    function test_givenLastEventId() {
        const server = makeServer()
        server.enqueue(openStream("data: resumed\n\n"))
        const source = makeSource({ active: false, url: server.url, lastEventId: "saved-12" })
        source.open()
        tryCompare(seen.messages, "length", 1)
        compare(server.takeRequest(5000).headers["last-event-id"], "saved-12")
    }

    function test_closedForGood_data() {
        return [
            { tag: "204 No Content", answer: { status: 204 }, words: "204", status: 204 },
            { tag: "another Content-Type", answer: { headers: { "Content-Type": "text/plain" }, body: "data: x\n\n" },
              words: "text/plain", status: 200 },
            { tag: "404", answer: { status: 404, headers: { "Content-Type": "text/event-stream" }, body: "data: x\n\n" },
              words: "404", status: 404 },
        ]
    }

    function test_closedForGood(data) {
        const server = makeServer()
        server.enqueue(data.answer)
        const source = makeSource({ url: server.url })
        tryCompare(errorSpy, "count", 1)
        compare(source.readyState, EventSource.Closed)
        verify(source.errorString.indexOf(data.words) >= 0, source.errorString)
        compare(source.statusCode, data.status)
        compare(openedSpy.count, 0)
        compare(reconnectingSpy.count, 0)
        compare(seen.messages, [])
        compare(seen.states, [EventSource.Closed])
        verify(source.active) // the switch stays; open() tries again
        server.enqueue(openStream("data: again\n\n"))
        source.open()
        tryCompare(source, "readyState", EventSource.Open)
        tryCompare(seen.messages, "length", 1)
        compare(server.requestCount, 2)
        verify(server.isSatisfied(), server.report())
    }

    // Another url while open: the source connects to it, and QML never sees it Closed between.
    function test_newUrlReconnects() {
        const server = makeServer()
        server.route("GET", "/a", openStream("data: from a\n\n"))
        server.route("GET", "/b", openStream("data: from b\n\n"))
        const source = makeSource({ url: server.urlFor("/a") })
        tryCompare(seen.messages, "length", 1)
        source.url = server.urlFor("/b")
        compare(source.readyState, EventSource.Connecting)
        tryCompare(seen.messages, "length", 2)
        compare(seen.messages, ["from a", "from b"])
        compare(seen.states, [EventSource.Open, EventSource.Connecting, EventSource.Open])
        compare(server.takeRequest(5000).path, "/a")
        compare(server.takeRequest(5000).path, "/b")
        compare(errorSpy.count, 0)
        // An empty url disconnects; a url connects again, the switch being on.
        source.url = ""
        compare(source.readyState, EventSource.Closed)
        verify(source.active)
        source.url = server.urlFor("/a")
        tryCompare(seen.messages, "length", 3)
    }

    // active: false in the declaration sends nothing until it is set.
    function test_activeSwitch() {
        const server = makeServer()
        server.enqueue(openStream("data: on\n\n"))
        const source = makeSource({ active: false, url: server.url })
        compare(source.readyState, EventSource.Closed)
        compare(server.takeRequest(0), null)
        source.active = true
        compare(source.readyState, EventSource.Connecting)
        tryCompare(seen.messages, "length", 1)
        source.active = false
        compare(source.readyState, EventSource.Closed)
        compare(errorSpy.count, 0)
        server.enqueue(openStream("data: on again\n\n"))
        source.active = true
        tryCompare(seen.messages, "length", 2)
        compare(server.requestCount, 2)
    }

    // Sent with the HttpClient given: its base URL and headers, and the source's own headers.
    function test_client() {
        const server = makeServer()
        server.enqueue(openStream("data: x\n\n"))
        const client = clientComponent.createObject(testCase, { baseUrl: server.urlFor("/api/"),
                                                                headers: { "X-Client": "yes" } })
        made.push(client)
        const source = makeSource({ active: false, client: client, url: "events",
                                    headers: { "X-Source": 1, "Authorization": "Bearer t0k3n" } })
        compare(source.client, client)
        source.open()
        tryCompare(seen.messages, "length", 1)
        const request = server.takeRequest(5000)
        compare(request.path, "/api/events")
        compare(request.headers["x-client"], "yes")
        compare(request.headers["x-source"], "1")
        compare(request.headers["authorization"], "Bearer t0k3n")
    }

    // What cannot be sent is not: Closed, with errorOccurred() from the event loop.
    function test_refused_data() {
        return [
            { tag: "a header that is no string", properties: { headers: { "X-A": { nested: 1 } } },
              words: "headers: the value of \"X-A\" must be a string, not an object", warns: true },
            { tag: "an HttpClient that cannot be used", client: { caCertificatesFile: "/no/such/ca.pem" },
              words: "the HttpClient's settings cannot be used (caCertificatesFile: cannot read" },
        ]
    }

    function test_refused(data) {
        const server = makeServer()
        const properties = Object.assign({ active: false, url: server.url }, data.properties || {})
        if (data.warns)
            ignoreWarning(new RegExp("headers: the value"))
        if (data.client) {
            ignoreWarning(new RegExp("caCertificatesFile"))
            properties.client = clientComponent.createObject(testCase, data.client)
            made.push(properties.client)
        }
        const source = makeSource(properties)
        source.open()
        compare(errorSpy.count, 0) // not from inside open()
        compare(source.readyState, EventSource.Closed)
        tryCompare(errorSpy, "count", 1)
        verify(source.errorString.indexOf(data.words) >= 0, source.errorString)
        compare(source.readyState, EventSource.Closed)
        compare(server.takeRequest(0), null)
    }

    // An event larger than maximumEventSize ends the stream for good.
    function test_maximumEventSize() {
        const server = makeServer()
        server.enqueue(openStream("data: small\n\ndata: " + "x".repeat(100) + "\n\n"))
        const source = makeSource({ active: false, url: server.url, maximumEventSize: 64 })
        compare(source.maximumEventSize, 64)
        source.open()
        tryCompare(errorSpy, "count", 1)
        compare(seen.messages, ["small"])
        compare(source.readyState, EventSource.Closed)
        verify(source.errorString.indexOf("64") >= 0, source.errorString)
    }

    function test_defaults() {
        const source = makeSource({ active: false })
        compare(source.readyState, EventSource.Closed)
        compare(EventSource.Connecting, 0)
        compare(EventSource.Open, 1)
        compare(EventSource.Closed, 2)
        compare(source.client, null)
        compare(source.lastEventId, "")
        const fresh = Qt.createQmlObject("import Courier; EventSource {}", testCase) as EventSource
        made.push(fresh)
        verify(fresh.active)
        compare(fresh.reconnectionTime, 3000)
        compare(fresh.maximumReconnectionDelay, 30000)
        compare(fresh.maximumEventSize, 8 * 1024 * 1024)
        compare(fresh.readyState, EventSource.Closed) // no url: nothing to open
    }
}
