// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

import QtQuick
import QtTest
import Courier

// Http, Response and HttpStatus from QML: promises, handlers, constants, options, abort,
// context objects, lifetime, and a 20 MiB download from nginx with progress.
TestCase {
    id: testCase
    name: "Http"

    function requireNginx() {
        if (peers.nginxError !== "") {
            if (peers.inCI)
                fail(peers.nginxError)
            skip(peers.nginxError + " (not in CI: skipped; with CI=true it fails)")
        }
    }

    function settle(promise) {
        const state = { done: false, value: null, rejected: false }
        promise.then(v => { state.value = v; state.done = true },
                     e => { state.value = e; state.rejected = true; state.done = true })
        tryVerify(() => state.done, 10000)
        return state
    }

    function test_engine() {
        verify(Http.engine === "qt" || Http.engine === "curl", Http.engine)
        if (peers.engine !== "")
            compare(Http.engine, peers.engine)
    }

    function test_fetchResolvesWithTheResponse() {
        const s = settle(Http.fetch(peers.server + "/json", { expectDataType: Http.Object }))
        verify(!s.rejected)
        const r = s.value
        compare(r.statusCode, 200)
        compare(r.statusMessage, "OK")
        verify(!r.running)
        verify(r.ok)
        compare(r.resultType, Http.Object)
        compare(r.error, Response.NoError)
        compare(r.result.name, "Courier")
        compare(r.result.n.length, 3)
        compare(r.json().n[2], 3)
        compare(r.headers["content-type"], "application/json")
        compare(r.headers["x-mixed-case"], "yes") // lower-case names
        compare(r.url, peers.server + "/json")
    }

    function test_fetchResolvesForErrorStatuses() {
        const s = settle(Http.fetch(peers.server + "/missing"))
        verify(!s.rejected)
        compare(s.value.statusCode, 404)
        compare(s.value.statusCode, HttpStatus.NotFound)
        compare(s.value.error, Response.ContentNotFound)
        compare(s.value.category, Response.Content)
        compare(s.value.text(), "no such thing")
    }

    function test_fetchRejectsOnTransportError() {
        const s = settle(Http.fetch(peers.refused))
        verify(s.rejected)
        compare(s.value.error, Response.ConnectionRefused)
        compare(s.value.category, Response.Network)
        verify(s.value.errorString.length > 0)
        compare(s.value.response.error, Response.ConnectionRefused)
    }

    function test_resultTypes_data() {
        return [
            { tag: "string", path: "/json", type: Http.String, check: v => typeof v === "string" && v.indexOf("Courier") > 0 },
            { tag: "object", path: "/json", type: Http.Object, check: v => v.name === "Courier" },
            { tag: "arraybuffer", path: "/text", type: Http.ArrayBuffer, check: v => v.byteLength === 10 },
            { tag: "auto text", path: "/text", type: undefined, check: v => v === "hello, QML" },
        ]
    }

    function test_resultTypes(data) {
        const options = data.type === undefined ? {} : { expectDataType: data.type }
        const s = settle(Http.fetch(peers.server + data.path, options))
        verify(data.check(s.value.result), JSON.stringify(s.value.result))
        compare(s.value.resultError, "")
    }

    function test_jsonParseErrorKeepsTheBytes() {
        const s = settle(Http.fetch(peers.server + "/not-json", { expectDataType: Http.Object }))
        verify(!s.rejected)
        compare(s.value.result, undefined)
        verify(s.value.resultError.indexOf("not JSON") >= 0, s.value.resultError)
        compare(s.value.json(), undefined)
        compare(s.value.text(), "<html>")
        compare(s.value.arrayBuffer().byteLength, 6)
    }

    SignalSpy { id: headersSpy; signalName: "headersReceived" }
    SignalSpy { id: downloadSpy; signalName: "downloadProgress" }
    SignalSpy { id: uploadSpy; signalName: "uploadProgress" }
    SignalSpy { id: redirectedSpy; signalName: "redirected" }
    SignalSpy { id: errorSpy; signalName: "errorOccurred" }
    SignalSpy { id: finishedSpy; signalName: "finished" }

    // Handlers the QML way: a Connections per Response (tst_httpclient.qml connects from JavaScript).
    Component {
        id: recorder
        Connections {
            property var log: []
            property int progressCount: 0
            function onHeadersReceived() { log.push("headers") }
            function onRedirected(url) { log.push("redirected " + url) }
            function onErrorOccurred(error) { log.push("error " + error) }
            function onFinished() { log.push("finished") }
            function onDownloadProgress(received, total) { progressCount++ }
            function onUploadProgress(sent, total) { log.push("upload " + sent + "/" + total) }
        }
    }

    function record(response) {
        return recorder.createObject(testCase, { target: response })
    }

    function spyOn(response) {
        for (const spy of [headersSpy, downloadSpy, uploadSpy, redirectedSpy, errorSpy, finishedSpy]) {
            spy.clear()
            spy.target = response
        }
    }

    function test_signalHandlers() {
        const r = Http.post(peers.server + "/redirect", { extraData: "payload" })
        spyOn(r)
        const handlers = record(r)
        finishedSpy.wait(10000)
        compare(headersSpy.count, 1)
        compare(redirectedSpy.count, 1)
        compare(String(redirectedSpy.signalArguments[0][0]), peers.server + "/text")
        verify(uploadSpy.count >= 1)
        compare(uploadSpy.signalArguments[uploadSpy.count - 1][0], 7) // sent
        compare(uploadSpy.signalArguments[uploadSpy.count - 1][1], 7) // total
        verify(downloadSpy.count >= 1)
        compare(errorSpy.count, 0)
        compare(finishedSpy.count, 1)
        compare(handlers.log, ["upload 7/7", "redirected " + peers.server + "/text", "headers", "finished"])
        verify(handlers.progressCount >= 1)
        compare(r.statusCode, 200) // a 302 after POST continues as GET
        compare(r.text(), "hello, QML")
        compare(r.redirectCount, 1)
    }

    function test_errorHandlerThenFinished() {
        const r = Http.get(peers.refused)
        spyOn(r)
        const handlers = record(r)
        finishedSpy.wait(10000)
        compare(handlers.log, ["error " + Response.ConnectionRefused, "finished"])
        compare(errorSpy.signalArguments[0][0], Response.ConnectionRefused)
        compare(downloadSpy.signalArguments[0][0], 0) // at least once, (0, 0) without a body
        compare(downloadSpy.signalArguments[0][1], 0)
    }

    function test_constants() {
        compare(Response.NoError, 0)
        compare(Response.ConnectionRefused, 1)
        compare(Response.Timeout, 4)
        compare(Response.OperationCanceled, 5)
        compare(Response.TooManyRedirects, 10)
        compare(Response.ContentNotFound, 203)
        compare(Response.ProtocolFailure, 399)
        compare(Response.InternalServerError, 401)
        verify(Response.Network !== Response.Content)
        compare(HttpStatus.NotFound, 404)
        compare(HttpStatus.ImATeapot, 418)
        compare(HttpStatus.phrase(404), "Not Found")
        compare(HttpStatus.phrase(HttpStatus.TooManyRequests), "Too Many Requests")
        verify(HttpStatus.description(503).length > 0)
        compare(HttpStatus.statusClass(503), HttpStatus.ServerError)
        verify(HttpStatus.isSuccess(204))
        verify(HttpStatus.isClientError(404))
        compare(Http.Auto, 0)
        compare(Http.String, 1)
        compare(Http.Object, 2)
        compare(Http.ArrayBuffer, 3)
        compare(HttpClient.Object, Http.Object)
        compare(Http.Http2, 1)
    }

    function test_optionsAreApplied() {
        let s = settle(Http.fetch(peers.server + "/echo", {
            method: "PUT",
            header: { "X-Token": "abc", "X-Number": 7 },
            extraData: { a: 1, b: "two" },
            bearer: "secret-token",
            usingCache: false,
            priority: 500,
            connectTimeout: 5000,
            readTimeout: 5000,
            timeout: 10000,
            usingProtocol: Http.Http1_1,
            retry: 2,
            expectDataType: Http.Object,
        }))
        const echo = s.value.result
        compare(echo.method, "PUT")
        compare(echo.headers["x-token"], "abc")
        compare(echo.headers["x-number"], "7")
        compare(echo.headers["authorization"], "Bearer secret-token")
        compare(echo.headers["content-type"], "application/json")
        compare(JSON.parse(echo.body), { a: 1, b: "two" })
        // For GET-like methods extraData is the query.
        s = settle(Http.fetch(peers.server + "/echo", { extraData: { q: "a b", n: 2 }, expectDataType: Http.Object }))
        compare(s.value.result.target, "/echo?n=2&q=a%20b")
        // An ArrayBuffer body.
        const bytes = new Uint8Array([104, 105]).buffer
        s = settle(Http.fetch(peers.server + "/echo", { method: "POST", extraData: bytes, expectDataType: Http.Object }))
        compare(s.value.result.body, "hi")
        // maxRedirects 0 returns the 302 itself.
        s = settle(Http.fetch(peers.server + "/redirect", { maxRedirects: 0 }))
        compare(s.value.statusCode, 302)
    }

    // An options object Courier cannot honour is refused: nothing is sent, fetch() rejects with
    // ProtocolInvalidOperation and an errorString naming the option.
    function test_optionsValidation_data() {
        return [
            { tag: "unknown key", options: { bogus: 1 }, message: /option "bogus" is unknown/ },
            { tag: "download's key", options: { sha256: "00" }, message: /option "sha256" is unknown \(it is one of download\(\)'s\)/ },
            { tag: "priority as text", options: { priority: "high" }, message: /option "priority" must be a whole number from 1 to 1000, not a string/ },
            { tag: "priority out of range", options: { priority: 5000 }, message: /option "priority" must be a whole number from 1 to 1000, not a number/ },
            { tag: "timeout negative", options: { timeout: -1 }, message: /option "timeout" must be a whole number/ },
            { tag: "usingCache as text", options: { usingCache: "yes" }, message: /option "usingCache" must be a boolean, not a string/ },
            { tag: "header not an object", options: { header: "X-A: 1" }, message: /option "header" must be an object/ },
            { tag: "header value", options: { headers: { "X-A": [1] } }, message: /option "headers.X-A" must be a string, not an array/ },
            { tag: "both header names", options: { header: {}, headers: {} }, message: /options "header" and "headers" are the same option/ },
            { tag: "both body names", options: { method: "POST", body: "a", extraData: "b" }, message: /options "extraData" and "body" are the same option/ },
            { tag: "two bodies", options: { method: "POST", body: "a", multipart: { a: "b" } }, message: /is a second body/ },
            { tag: "body of a wrong type", options: { method: "POST", body: true }, message: /option "body" must be a string, an object, an array or an ArrayBuffer, not a boolean/ },
            { tag: "missing file", options: { method: "POST", file: "/nonexistent/courier-upload" }, message: /option "file": cannot read "\/nonexistent\/courier-upload"/ },
            { tag: "expectDataType", options: { expectDataType: 9 }, message: /option "expectDataType" must be a whole number from 0 to 3/ },
            { tag: "method", options: { method: 3 }, message: /option "method" must be a string, not a number/ },
            { tag: "context", options: { context: 3 }, message: /option "context" must be an object/ },
            { tag: "not an object", options: "GET", message: /the options must be an object, not a string/ },
        ]
    }

    function test_optionsValidation(data) {
        const target = "/echo?refused=" + encodeURIComponent(data.tag)
        const s = settle(Http.fetch(peers.server + target, data.options))
        verify(s.rejected)
        compare(s.value.error, Response.ProtocolInvalidOperation)
        verify(data.message.test(s.value.errorString), s.value.errorString)
        verify(s.value.errorString.startsWith("Invalid request: "), s.value.errorString)
        compare(s.value.response.statusCode, 0)
        wait(50)
        compare(peers.requestsFor(target), 0) // nothing was sent
    }

    function test_shortcutAndMethodOptionMustAgree() {
        const s = settle(Http.fetch(peers.server + "/echo", { method: "PUT", body: "x" }))
        verify(!s.rejected)
        const r = Http.post(peers.server + "/echo?conflict", { method: "PUT" })
        tryVerify(() => !r.running, 10000)
        compare(r.error, Response.ProtocolInvalidOperation)
        verify(r.errorString.indexOf('option "method" is PUT, but this call sends POST') >= 0, r.errorString)
        compare(peers.requestsFor("/echo?conflict"), 0)
    }

    function test_abort() {
        const r = Http.get(peers.server + "/slow")
        spyOn(r)
        headersSpy.wait(10000)
        verify(r.running)
        r.abort()
        verify(!r.running)
        compare(r.error, Response.OperationCanceled)
        compare(errorSpy.count, 1)
        compare(finishedSpy.count, 1)
    }

    Component {
        id: contextComponent
        QtObject {}
    }

    function test_contextDestructionAbortsSilently() {
        const before = peers.requestsFor("/slow")
        const context = contextComponent.createObject(testCase)
        const r = Http.get(peers.server + "/slow", { context: context })
        const handlers = record(r)
        let settled = false
        Http.fetch(peers.server + "/slow", { context: context }).then(() => settled = true, () => settled = true)
        peers.forget()
        peers.watch(r)
        compare(peers.alive(), 1)
        tryVerify(() => peers.requestsFor("/slow") === before + 2, 5000)
        tryVerify(() => handlers.log.length === 1, 5000) // headers, then the body drips for 10 s
        context.destroy()
        tryVerify(() => peers.alive() === 0, 5000) // the Response is gone
        wait(300)
        compare(handlers.log, ["headers"]) // no error, no finished
        compare(peers.finishedCount(), 0)
        verify(!settled)
        peers.forget()
    }

    function test_runningIsNeverCollectedFinishedIs() {
        peers.forget()
        ;(function() {
            peers.watch(Http.get(peers.server + "/slow"))
        })()
        for (let i = 0; i < 5; ++i) {
            gc()
            wait(50)
        }
        compare(peers.alive(), 1) // running, unreferenced: kept
        tryVerify(() => peers.finishedCount() === 1, 20000)
        tryVerify(() => { gc(); return peers.alive() === 0 }, 10000) // finished, unreferenced: collected
        peers.forget()
    }

    function test_timelineAndCounts() {
        const s = settle(Http.fetch(peers.server + "/text"))
        const names = s.value.timeline.map(e => e.name)
        compare(names[0], "Started")
        verify(names.indexOf("HeadersReceived") > 0, names.join(" "))
        compare(names[names.length - 1], "Finished")
        verify(s.value.timeline[0].msecs >= 0)
        compare(s.value.bytesReceived, 10)
        compare(s.value.bytesTotal, 10)
        compare(s.value.attempts, 1)
        verify(!s.value.fromCache)
    }

    function test_download20MiBWithProgress() {
        requireNginx()
        const r = Http.get(peers.nginx + "/rate/big.bin")
        spyOn(r)
        finishedSpy.wait(60000)
        compare(r.error, Response.NoError)
        const size = 20 * 1024 * 1024
        compare(r.bytesReceived, size)
        verify(downloadSpy.count > 2, "progress reported " + downloadSpy.count + " times")
        const last = downloadSpy.signalArguments[downloadSpy.count - 1]
        compare(last[0], size)
        compare(last[1], size)
        for (let i = 1; i < downloadSpy.count; ++i)
            verify(downloadSpy.signalArguments[i][0] >= downloadSpy.signalArguments[i - 1][0])
        compare(r.arrayBuffer().byteLength, size)
    }
}
