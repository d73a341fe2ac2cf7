// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

import QtQuick
import QtTest
import Courier
import Courier.Test

// The option "stream" of Http's requests, against Courier.Test's MockServer: JSON lines as they
// arrive (values with their line numbers, a bad line reported and the next still delivered, all
// before the Response finishes), server-sent events in the answer to a POST, the item limit, a
// callback that throws, and the options it refuses.
TestCase {
    id: testCase
    name: "Streaming"

    Component { id: serverComponent; MockServer {} }

    property var made: []

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

    function settle(promise) {
        const state = { done: false, value: null, rejected: false }
        promise.then(v => { state.value = v; state.done = true },
                     e => { state.value = e; state.rejected = true; state.done = true })
        tryVerify(() => state.done, 20000)
        return state
    }

    // Lines cut anywhere (chunks of 5 bytes): line 3 is no JSON, line 5 is empty, the last has no
    // line end.
    readonly property string lines: "{\"n\": 1}\r\n[2, \"two\"]\nnot json\n\"three\"\n\n4"

    function test_jsonLines_data() {
        return [{ tag: "jsonlines", stream: "jsonlines" }, { tag: "ndjson", stream: "ndjson" }]
    }

    function test_jsonLines(data) {
        const server = makeServer()
        server.enqueue({ headers: { "Content-Type": "application/x-ndjson" }, body: lines, chunked: true, chunkSize: 5 })
        const values = []
        const errors = []
        const response = Http.get(server.url, {
            stream: data.stream,
            onValue: (value, line) => values.push([value, line]),
            onParseError: (line, message) => errors.push([line, message]),
        })
        let atFinished = null
        response.finished.connect(() => atFinished = { values: values.length, errors: errors.length })
        tryVerify(() => atFinished !== null)
        compare(atFinished, { values: 4, errors: 1 }) // every line was delivered before finished
        compare(values, [[{ n: 1 }, 1], [[2, "two"], 2], ["three", 4], [4, 6]])
        compare(errors.length, 1)
        compare(errors[0][0], 3)
        verify(errors[0][1].indexOf("line 3") === 0, errors[0][1])
        compare(response.error, Response.NoError)
        compare(response.statusCode, 200)
        // The body went to the callbacks.
        compare(response.text(), "")
    }

    // fetch() resolves once every value was delivered.
    function test_fetchResolvesAfterTheValues() {
        const server = makeServer()
        server.enqueue({ body: "1\n2\n3\n" })
        const values = []
        const s = settle(Http.fetch(server.url, { stream: "jsonlines", onValue: value => values.push(value) }))
        verify(!s.rejected, s.value && s.value.errorString)
        compare(values, [1, 2, 3])
    }

    // The token stream of a language-model API: events in the answer to a POST.
    function test_eventsOverPost() {
        const server = makeServer()
        server.route("POST", "/v1/chat", {
            headers: { "Content-Type": "text/event-stream" },
            body: "data: {\"token\": \"Hel\"}\n\n: a comment\n\nid: 2\ndata: {\"token\": \"lo\"}\n\nevent: done\ndata: [DONE]\n\n",
            chunked: true, chunkSize: 7,
        })
        const events = []
        const s = settle(Http.fetch(server.urlFor("/v1/chat"), {
            method: "POST",
            body: { prompt: "Say hello", stream: true },
            stream: "events",
            onEvent: event => events.push({ type: event.type, data: event.data, id: event.lastEventId,
                                            json: event.toJson() }),
        }))
        verify(!s.rejected, s.value && s.value.errorString)
        compare(events.length, 3)
        compare(events.map(e => e.type), ["message", "message", "done"])
        compare(events[0].json.token + events[1].json.token, "Hello")
        compare(events.map(e => e.id), ["", "2", "2"])
        compare(events[2].data, "[DONE]")
        compare(events[2].json, undefined)
        const request = server.takeRequest(5000)
        compare(request.method, "POST")
        compare(JSON.parse(request.body), { prompt: "Say hello", stream: true })
        verify(server.isSatisfied(), server.report())
    }

    // A line longer than maximumItemSize ends the stream with an error; those before it came.
    // (Courier counts it as a content error, not a transport error: fetch() may resolve with it.)
    function test_maximumItemSize() {
        const server = makeServer()
        server.enqueue({ body: "1\n\"" + "x".repeat(200) + "\"\n3\n" })
        const values = []
        const s = settle(Http.fetch(server.url, { stream: "jsonlines", maximumItemSize: 64,
                                                  onValue: value => values.push(value) }))
        const ended = s.value // the failure, or the Response
        compare(ended.error, Response.UnknownContentError)
        verify(ended.errorString.indexOf("64") >= 0, ended.errorString)
        compare(values, [1])
    }

    // A callback that throws is reported as a handler's error would be; the stream goes on.
    function test_throwingCallback() {
        const server = makeServer()
        server.enqueue({ body: "1\n2\n" })
        const values = []
        ignoreWarning(new RegExp("value 1 refused"))
        const s = settle(Http.fetch(server.url, { stream: "ndjson", onValue: value => {
            if (value === 1)
                throw new Error("value 1 refused")
            values.push(value)
        } }))
        verify(!s.rejected)
        compare(values, [2])
    }

    function test_refused_data() {
        const f = () => {}
        return [
            { tag: "unknown stream", options: { stream: "xml" },
              words: "option \"stream\" must be \"jsonlines\", \"ndjson\" or \"events\", not \"xml\"" },
            { tag: "stream not a string", options: { stream: true }, words: "option \"stream\" must be a string, not a boolean" },
            { tag: "onEvent for JSON lines", options: { stream: "jsonlines", onEvent: f },
              words: "option \"onEvent\" is for stream: \"events\", not \"jsonlines\"" },
            { tag: "onValue for events", options: { stream: "events", onValue: f },
              words: "option \"onValue\" is for stream: \"jsonlines\", not \"events\"" },
            { tag: "onParseError without a stream", options: { onParseError: f },
              words: "option \"onParseError\" is for stream: \"jsonlines\", and no stream was given" },
            { tag: "a callback that is no function", options: { stream: "events", onEvent: "log" },
              words: "option \"onEvent\" must be a function, not a string" },
            { tag: "maximumItemSize without a stream", options: { maximumItemSize: 10 },
              words: "option \"maximumItemSize\" is for a stream" },
            { tag: "maximumItemSize negative", options: { stream: "events", maximumItemSize: -1 },
              words: "option \"maximumItemSize\" must be a whole number from 0" },
            { tag: "expectDataType with a stream", options: { stream: "ndjson", expectDataType: Http.Object },
              words: "option \"expectDataType\" cannot come with \"stream\"" },
            { tag: "a function for another option", options: { method: f }, words: "option \"method\" must be a string, not a function" },
        ]
    }

    function test_refused(data) {
        const server = makeServer()
        const s = settle(Http.fetch(server.url, data.options))
        verify(s.rejected)
        compare(s.value.error, Response.ProtocolInvalidOperation)
        verify(s.value.errorString.indexOf(data.words) >= 0, s.value.errorString)
        compare(server.takeRequest(0), null)
    }

    function test_downloadIsNotStreamed() {
        const server = makeServer()
        const response = Http.download(server.url, "never-written.txt", { stream: "jsonlines" })
        tryVerify(() => !response.running)
        compare(response.error, Response.ProtocolInvalidOperation)
        verify(response.errorString.indexOf("option \"stream\" is unknown (download() saves the body to a file") >= 0,
               response.errorString)
    }
}
