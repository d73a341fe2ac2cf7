// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

import QtQuick
import QtTest
import Courier
import Courier.Test

// Courier.Test's MockServer scripted from JavaScript, with Courier's HttpClient against it: queued
// answers, routes, JSON bodies, what takeRequest() reports, each fault ending the request with an
// error, arguments it refuses, https with the certificate it makes, and its notifications.
TestCase {
    id: testCase
    name: "MockServer"

    Component { id: serverComponent; MockServer {} }
    Component { id: clientComponent; HttpClient {} }
    SignalSpy { id: requestsSpy; signalName: "requestCountChanged" }
    SignalSpy { id: connectionsSpy; signalName: "connectionCountChanged" }
    SignalSpy { id: listeningSpy; signalName: "listeningChanged" }

    property var made: []

    function cleanup() {
        for (const object of made)
            object.destroy()
        made = []
    }

    function makeServer(properties) {
        const server = serverComponent.createObject(testCase, properties || {}) as MockServer
        verify(server !== null)
        verify(server.listening, server.errorString)
        made.push(server)
        return server
    }

    function makeClient(properties) {
        const client = clientComponent.createObject(testCase, properties || {})
        verify(client !== null)
        made.push(client)
        return client
    }

    function settle(promise) {
        const state = { done: false, value: null, rejected: false }
        promise.then(v => { state.value = v; state.done = true },
                     e => { state.value = e; state.rejected = true; state.done = true })
        tryVerify(() => state.done, 20000)
        return state
    }

    // fetch() that must resolve: its Response.
    function fetched(client, url, options) {
        const s = settle(client.fetch(url, options || {}))
        verify(!s.rejected, s.value && s.value.errorString)
        return s.value
    }

    function test_listensOnAFreePort() {
        const server = makeServer()
        verify(server.port > 0)
        compare(server.url, "http://127.0.0.1:" + server.port + "/")
        compare(server.urlFor("/path?x=1"), server.url + "path?x=1")
        compare(server.urlFor(), server.url)
        compare(server.errorString, "")
        compare(server.caCertificate, "")
        compare(server.requestCount, 0)
        compare(server.connectionCount, 0)
        verify(!server.tls)
        verify(server.isSatisfied())
        compare(server.report(), "")
        verify(makeServer().port !== server.port)
    }

    function test_queuedAnswersInOrder() {
        const server = makeServer()
        server.enqueue({ status: 200, body: "hello" })
        server.enqueue({ status: 404, body: "missing" })
        verify(!server.isSatisfied())
        const ok = fetched(Http, server.urlFor("/a"), { expectDataType: Http.String })
        compare(ok.statusCode, 200)
        compare(ok.result, "hello")
        const missing = fetched(Http, server.urlFor("/b"), { expectDataType: Http.String })
        compare(missing.statusCode, 404)
        compare(missing.statusMessage, "Not Found")
        compare(missing.error, Response.ContentNotFound)
        compare(missing.result, "missing")
        verify(server.isSatisfied(), server.report())
    }

    function test_statusReasonAndHeaders() {
        const server = makeServer()
        server.enqueue({ status: 503, reason: "Busy", headers: { "Retry-After": "1", "X-Count": 2 }, body: "text" })
        const busy = fetched(Http, server.url, { expectDataType: Http.String })
        compare(busy.statusCode, 503)
        compare(busy.statusMessage, "Busy")
        compare(busy.headers["retry-after"], "1")
        compare(busy.headers["x-count"], "2")
        compare(busy.result, "text")
        // An array is a repeated field.
        server.enqueue({ headers: { "Set-Cookie": ["a=1", "b=2"] } })
        const cookies = fetched(makeClient(), server.url)
        compare(cookies.cookies.length, 2)
    }

    function test_routes() {
        const server = makeServer()
        server.route("GET", "/health", { status: 200, body: "up" })
        server.route("*", "/any", { status: 204 })
        server.enqueue({ status: 201, body: "queued" })
        compare(fetched(Http, server.urlFor("/health?verbose=1"), { expectDataType: Http.String }).result, "up")
        compare(fetched(Http, server.urlFor("/health"), { expectDataType: Http.String }).result, "up") // not used up
        compare(fetched(Http, server.urlFor("/any"), { method: "DELETE" }).statusCode, 204)
        compare(fetched(Http, server.urlFor("/other"), { expectDataType: Http.String }).result, "queued")
        verify(server.isSatisfied(), server.report())
        server.clearRoutes()
        const unanswered = fetched(Http, server.urlFor("/health"), { expectDataType: Http.String })
        compare(unanswered.statusCode, 500)
        verify(unanswered.result.indexOf("MockServer: no answer for GET /health") === 0, unanswered.result)
        verify(!server.isSatisfied())
        verify(server.report().indexOf("without an answer") >= 0, server.report())
        // The default answer: after routes and queue, never used up, not unexpected.
        server.setDefaultResponse({ status: 503, headers: { "Retry-After": "1" } })
        compare(fetched(Http, server.urlFor("/down")).statusCode, 503)
        compare(fetched(Http, server.urlFor("/down")).statusCode, 503)
        server.clearDefaultResponse()
        compare(fetched(Http, server.urlFor("/down")).statusCode, 500)
        let thrown = null
        try { server.setDefaultResponse({ sttus: 1 }) } catch (e) { thrown = e }
        verify(thrown !== null && thrown.message.indexOf("MockServer.setDefaultResponse(): ") === 0,
               thrown ? thrown.message : "nothing thrown")
    }

    function test_bodies() {
        const server = makeServer()
        server.enqueue({ body: { id: 7, tags: ["a", "b"], skipped: undefined } })
        const json = fetched(Http, server.url, { expectDataType: Http.Object })
        compare(json.headers["content-type"], "application/json")
        compare(json.result.id, 7)
        compare(json.result.tags, ["a", "b"])
        verify(!("skipped" in json.result))
        // headers replace the JSON's Content-Type.
        server.enqueue({ body: [1, 2], headers: { "Content-Type": "application/vnd.x+json" } })
        compare(fetched(Http, server.url).headers["content-type"], "application/vnd.x+json")
        const bytes = new Uint8Array([0, 1, 2, 255])
        server.enqueue({ body: bytes.buffer })
        const binary = fetched(Http, server.url, { expectDataType: Http.ArrayBuffer })
        compare(binary.result.byteLength, 4)
        compare(new Uint8Array(binary.result)[3], 255)
        server.enqueue({ body: bytes.subarray(1, 3) }) // a view: its bytes only
        compare(Array.from(new Uint8Array(fetched(Http, server.url, { expectDataType: Http.ArrayBuffer }).result)), [1, 2])
        server.enqueue({ body: "é€" })
        compare(fetched(Http, server.url, { expectDataType: Http.String }).result, "é€")
        server.enqueue({ status: 200, body: "x".repeat(100), chunked: true, chunkSize: 10,
                         throttle: { bytes: 10, period: 20 }, headersDelay: 0, bodyDelay: 0 })
        const chunked = fetched(Http, server.url, { expectDataType: Http.String })
        compare(chunked.result, "x".repeat(100))
        server.enqueue({ raw: "HTTP/1.1 200 Raw\r\nContent-Length: 3\r\n\r\nraw" })
        const raw = fetched(Http, server.url, { expectDataType: Http.String })
        compare(raw.statusMessage, "Raw")
        compare(raw.result, "raw")
        verify(server.isSatisfied(), server.report())
    }

    function test_takeRequest() {
        const server = makeServer()
        requestsSpy.target = server
        requestsSpy.clear()
        connectionsSpy.target = server
        connectionsSpy.clear()
        compare(server.takeRequest(0), null)
        server.enqueue({ status: 201 })
        server.enqueue({ status: 200 })
        const client = makeClient()
        compare(fetched(client, server.urlFor("/submit?x=1"),
                        { method: "POST", body: "payload ü", headers: { "X-Test": "yes" } }).statusCode, 201)
        compare(fetched(client, server.urlFor("/second")).statusCode, 200)

        const first = server.takeRequest(5000)
        verify(first !== null)
        compare(first.method, "POST")
        compare(first.target, "/submit?x=1")
        compare(first.path, "/submit")
        compare(first.url, server.urlFor("/submit?x=1"))
        compare(first.httpVersion, "HTTP/1.1")
        compare(first.headers["x-test"], "yes")
        compare(first.headers["host"], "127.0.0.1:" + server.port)
        compare(first.body, "payload ü")
        verify(first.complete)
        verify(!first.encrypted)
        compare(first.index, 0)
        compare(first.sequenceNumber, 0)
        compare(first.connection, 1)
        const second = server.takeRequest(5000)
        compare(second.method, "GET")
        compare(second.path, "/second")
        compare(second.body, "")
        compare(second.index, 1)
        // The client reused its connection.
        compare(second.connection, first.connection)
        compare(second.sequenceNumber, 1)
        compare(server.takeRequest(0), null) // each request is taken once

        compare(server.requestCount, 2)
        compare(server.connectionCount, 1)
        tryCompare(requestsSpy, "count", 2)
        tryCompare(connectionsSpy, "count", 1)
        verify(server.isSatisfied(), server.report())
    }

    // takeRequest() runs the event loop while it waits: a request sent before it goes out meanwhile.
    function test_takeRequestWaits() {
        const server = makeServer()
        server.enqueue({ body: "later" })
        const response = Http.get(server.urlFor("/late"))
        const request = server.takeRequest(10000)
        verify(request !== null)
        compare(request.path, "/late")
        tryVerify(() => !response.running, 10000)
        compare(response.statusCode, 200)
    }

    // Faults as routes: Qt's engine sends a GET again (twice) when its connection closes before
    // the response's header block is in, and each attempt must meet the fault.
    function test_faults_data() {
        const body = "0123456789".repeat(10)
        return [
            { tag: "close in the headers", answer: { fault: "close", phase: "headers" }, status: 0 },
            { tag: "close mid-body", answer: { fault: "close", phase: "body", body: body }, status: 200 },
            { tag: "reset mid-body", answer: { fault: "reset", phase: "body", afterBytes: 40, body: body }, status: 200 },
            { tag: "stall in the body", answer: { fault: "stall", phase: "body", body: body }, status: 200,
              options: { readTimeout: 300 }, error: Response.Timeout },
            { tag: "stall before the status line", answer: { fault: "stall", phase: "statusLine" }, status: 0,
              options: { readTimeout: 300 }, error: Response.Timeout },
            { tag: "garbage status line", answer: { fault: "garbage", phase: "statusLine" }, status: 0 },
            { tag: "oversized headers", answer: { fault: "oversized", phase: "headers" }, status: 200,
              error: Response.ProtocolFailure },
        ]
    }

    function test_faults(data) {
        const server = makeServer()
        server.route("GET", "/fault", data.answer)
        const s = settle(makeClient().fetch(server.urlFor("/fault"), data.options || {}))
        verify(s.rejected, "succeeded with " + (s.value && s.value.statusCode) + "; " + server.report())
        verify(s.value.error !== Response.NoError)
        if (data.error !== undefined)
            compare(s.value.error, data.error)
        compare(s.value.response.statusCode, data.status)
        verify(s.value.errorString !== "")
        verify(server.requestCount >= 1)
        verify(server.isSatisfied(), server.report())
    }

    // A queued fault answers one request. A POST: Qt's engine may send a GET again when the
    // connection ends before it has read the header block, which a reset can discard.
    function test_queuedFault() {
        const server = makeServer()
        server.enqueue({ fault: "reset", phase: "body", afterBytes: 40, body: "0123456789".repeat(10) })
        const s = settle(makeClient().fetch(server.urlFor("/fault"), { method: "POST", body: "data" }))
        verify(s.rejected)
        compare(s.value.error, Response.RemoteHostClosed)
        compare(s.value.response.statusCode, 200)
        compare(server.requestCount, 1)
        verify(server.isSatisfied(), server.report())
    }

    function test_badArgumentsThrow_data() {
        return [
            { tag: "unknown key", answer: { sttus: 200 }, words: "unknown key \"sttus\"" },
            { tag: "unknown fault", answer: { fault: "explode" }, words: "fault is one of" },
            { tag: "unknown phase", answer: { fault: "close", phase: "middle" }, words: "phase is one of" },
            { tag: "phase without fault", answer: { phase: "body" }, words: "phase is only given with fault" },
            { tag: "status out of range", answer: { status: 42 }, words: "status is an integer from 100 to 999" },
            { tag: "status not a number", answer: { status: "200" }, words: "status is an integer" },
            { tag: "number body", answer: { body: 42 }, words: "body is a string, an ArrayBuffer" },
            { tag: "headers not an object", answer: { headers: "X-A: 1" }, words: "headers is an object" },
            { tag: "header value", answer: { headers: { "X-A": true } }, words: "headers[\"X-A\"]" },
            { tag: "raw with status", answer: { raw: "HTTP/1.1 200 OK\r\n\r\n", status: 200 }, words: "\"status\" cannot come with raw" },
            { tag: "chunkSize alone", answer: { chunkSize: 10 }, words: "chunkSize is only given with chunked: true" },
            { tag: "throttle key", answer: { throttle: { bytes: 1, perod: 5 } }, words: "throttle has an unknown key \"perod\"" },
            { tag: "negative delay", answer: { headersDelay: -1 }, words: "headersDelay is an integer" },
            { tag: "not an object", answer: "200", words: "an answer is an object" },
        ]
    }

    function test_badArgumentsThrow(data) {
        const server = makeServer()
        let thrown = null
        try {
            server.enqueue(data.answer)
        } catch (e) {
            thrown = e
        }
        verify(thrown !== null, "nothing was thrown")
        verify(thrown instanceof TypeError)
        verify(thrown.message.indexOf("MockServer.enqueue(): ") === 0, thrown.message)
        verify(thrown.message.indexOf(data.words) >= 0, thrown.message)
        thrown = null
        try {
            server.route("GET", "/", data.answer)
        } catch (e) {
            thrown = e
        }
        verify(thrown !== null && thrown.message.indexOf("MockServer.route(): ") === 0)
        // Nothing was added: the server answers the next request with 500.
        verify(server.isSatisfied())
        compare(fetched(Http, server.url).statusCode, 500)
    }

    // https with the certificate the server makes; an HttpClient trusts it through caCertificates.
    function test_tls() {
        const server = makeServer({ tls: true })
        verify(server.tls)
        compare(server.url, "https://127.0.0.1:" + server.port + "/")
        verify(server.caCertificate.indexOf("-----BEGIN CERTIFICATE-----") === 0, server.caCertificate)
        server.route("GET", "/secret", { body: "s3cret" })
        const client = makeClient({ caCertificates: server.caCertificate, systemCaCertificates: false })
        compare(client.configurationError, "")
        const response = fetched(client, server.urlFor("/secret"), { expectDataType: Http.String })
        compare(response.result, "s3cret")
        const request = server.takeRequest(5000)
        verify(request.encrypted)
        // Not trusted without it.
        const refused = settle(makeClient().fetch(server.urlFor("/secret")))
        verify(refused.rejected)
        compare(refused.value.error, Response.SslHandshakeFailed)
    }

    function test_close() {
        const server = makeServer()
        listeningSpy.target = server
        listeningSpy.clear()
        const url = server.url
        server.close()
        verify(!server.listening)
        compare(server.url, "")
        compare(server.urlFor("/x"), "")
        compare(listeningSpy.count, 1)
        const s = settle(makeClient().fetch(url))
        verify(s.rejected)
        compare(s.value.error, Response.ConnectionRefused)
    }

    // tls and port are read when the declaration completes.
    function test_settingsAfterTheDeclaration() {
        const server = makeServer()
        const port = server.port
        ignoreWarning(new RegExp("tls is read when the declaration completes"))
        server.tls = true
        verify(!server.tls)
        ignoreWarning(new RegExp("port is read when the declaration completes"))
        server.port = 1
        compare(server.port, port)
        // A port that is taken: not listening, with the reason.
        ignoreWarning(new RegExp("cannot listen"))
        const taken = serverComponent.createObject(testCase, { port: port }) as MockServer
        made.push(taken)
        verify(!taken.listening)
        verify(taken.errorString !== "")
        compare(taken.url, "")
    }
}
