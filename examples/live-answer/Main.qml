// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Courier

// A prompt, and its answer growing token by token as the server sends it, as a language-model
// chat shows it. The server is the example's stub (stubserver.cpp, started by main.cpp); all of
// Courier is here, two ways to read a stream of server-sent events:
//
// - EventSource (a GET): Courier keeps the stream connected. The stub drops the first connection
//   partway through on purpose; look at the connection log: the source connects again after the
//   server's `retry:` delay, sending `Last-Event-ID`, and the answer goes on with no gap and no
//   repeat.
// - POST with the request option `stream: "events"`: how language-model APIs are asked (the
//   prompt in a JSON body); onEvent gets each event as it arrives. A POST is not repeated on its
//   own, so a dropped connection would end the answer.
//
// The status line shows the stream's state (connecting, open, closed), the events received, the
// last event id and the reconnections. Stop closes the stream.
ApplicationWindow {
    id: window

    // Set by main.cpp from the command line.
    property url serverUrl
    property string prompt: ""
    property bool post: false
    property bool autoSend: false

    // The answer of the last send() and its stream (main.cpp reads them too, to check them).
    property string answer: ""
    property int eventCount: 0 // one per token, and the final "done"
    property string lastEventId: ""
    property bool done: false // the "done" event arrived: the whole answer is in
    property int reconnects: 0
    property bool ended: false // the stream closed: done, stopped or failed
    readonly property string engine: http.engine // "curl" or "qt": COURIER_ENGINE chooses

    // The POST's Response while it runs, and its state in EventSource's numbers.
    property Response response: null
    property int postState: EventSource.Closed
    readonly property bool usingPost: transportBox.currentIndex === 1
    readonly property int state: usingPost ? postState : source.readyState

    width: 860
    height: 400
    visible: true
    title: qsTr("Live answer — server-sent events with Courier (%1 engine)").arg(engine)

    // The Client of both ways; its settings (headers, timeouts, TLS, …) apply to the streams too.
    HttpClient {
        id: http
        userAgent: "courier-live-answer/1.0"
    }

    // Way 1: GET, kept connected. Not active until send() opens it.
    EventSource {
        id: source
        client: http
        active: false
        onOpened: window.log(source.lastEventId === ""
                             ? qsTr("open: 200, text/event-stream")
                             : qsTr("open again: the server goes on after id %1").arg(source.lastEventId))
        // readyState says whether it comes back (Connecting) or not (Closed), errorString why.
        onErrorOccurred: window.log(source.readyState === EventSource.Connecting
                                    ? qsTr("dropped: %1; reconnecting").arg(source.errorString)
                                    : qsTr("failed: %1").arg(source.errorString))
        // As the new connection starts; it sends Last-Event-ID: the last id seen.
        onReconnecting: (attempt, delayMs) => {
            ++window.reconnects
            window.log(qsTr("reconnect #%1 after %2 ms, Last-Event-ID: %3")
                       .arg(attempt).arg(delayMs).arg(source.lastEventId))
        }
        // Every event, whichever connection it came on.
        onEventReceived: event => window.take(event)
        onReadyStateChanged: {
            if (source.readyState === EventSource.Closed && !window.usingPost)
                window.ended = true
        }
    }

    function send() {
        if (response)
            response.abort()
        response = null
        postState = EventSource.Closed
        source.close()
        logModel.clear()
        answer = ""
        eventCount = 0
        lastEventId = ""
        done = false
        reconnects = 0
        ended = false
        if (usingPost)
            sendWithPost(promptField.text)
        else
            sendWithEventSource(promptField.text)
    }

    function sendWithEventSource(prompt) {
        source.lastEventId = "" // a new answer: nothing to resume
        source.url = serverUrl + "?prompt=" + encodeURIComponent(prompt)
        log(qsTr("GET /v1/answer"))
        source.open()
    }

    // Way 2: POST, read as it arrives. The option `stream: "events"` hands each event to onEvent;
    // status, headers and errors are those of any Response.
    function sendWithPost(prompt) {
        const r = http.post(serverUrl, {
            body: { prompt: prompt, stream: true },
            stream: "events",
            onEvent: event => window.take(event),
            context: window,
        })
        response = r
        postState = EventSource.Connecting
        log(qsTr("POST /v1/answer"))
        r.headersReceived.connect(() => {
            const type = r.headers["content-type"] || ""
            if (r.statusCode === 200 && type.startsWith("text/event-stream")) {
                log(qsTr("open: 200, text/event-stream"))
                postState = EventSource.Open
            } else {
                log(qsTr("failed: %1 %2, %3").arg(r.statusCode).arg(r.statusMessage).arg(type))
                r.abort()
            }
        })
        // After the last event.
        r.finished.connect(() => {
            if (r !== response)
                return // an answer sent before this one
            if (!done && r.error !== Response.OperationCanceled)
                log(r.error !== Response.NoError ? qsTr("failed: %1 (a POST does not reconnect)").arg(r.errorString)
                                                 : qsTr("ended before the done event"))
            response = null
            postState = EventSource.Closed
            ended = true
        })
    }

    // One event, from either way: a token ({"token": "…"}) or the final "done".
    function take(event) {
        ++eventCount
        lastEventId = event.lastEventId
        if (event.type === "done") {
            done = true
            log(qsTr("event: done, %1 events").arg(eventCount))
            // An EventSource would connect again when the stream ends: the client ends it.
            if (!usingPost)
                source.close()
            return
        }
        answer += event.toJson().token
    }

    function stop() {
        if (state === EventSource.Closed)
            return
        if (response) {
            log(qsTr("stopped: abort()"))
            response.abort() // finished follows, with what arrived
        } else {
            log(qsTr("stopped: close()"))
            source.close() // Closed at once: no reconnection, no further event
        }
    }

    function log(line) {
        logModel.append({ line: line })
    }

    Component.onCompleted: {
        if (autoSend)
            send()
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.margins: 6
            TextField {
                id: promptField
                Layout.fillWidth: true
                text: window.prompt
                placeholderText: qsTr("Ask the stub server something")
                onAccepted: window.send()
            }
            ComboBox {
                id: transportBox
                Layout.preferredWidth: 250
                model: [qsTr("EventSource (GET, resumes)"), qsTr("POST, stream: \"events\"")]
                currentIndex: window.post ? 1 : 0
                enabled: window.state === EventSource.Closed
            }
            Button {
                text: qsTr("Send")
                enabled: window.state === EventSource.Closed
                onClicked: window.send()
            }
            Button {
                text: qsTr("Stop")
                enabled: window.state !== EventSource.Closed
                onClicked: window.stop()
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: 8
        spacing: 8

        Frame {
            Layout.fillWidth: true
            Layout.fillHeight: true
            ScrollView {
                anchors.fill: parent
                TextArea {
                    readOnly: true
                    wrapMode: TextEdit.Wrap
                    background: null
                    font.pixelSize: 15
                    // The answer so far; the block shows that more may come.
                    text: window.answer + (window.state === EventSource.Closed ? "" : " ▍")
                    // Keeps the newest words in sight.
                    onTextChanged: cursorPosition = length
                }
            }
        }

        Frame {
            Layout.preferredWidth: 330
            Layout.fillHeight: true
            ColumnLayout {
                anchors.fill: parent
                Label {
                    text: qsTr("Connection log")
                    font.bold: true
                }
                ListView {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: ListModel {
                        id: logModel
                    }
                    delegate: Label {
                        required property string line
                        width: ListView.view.width
                        text: line
                        wrapMode: Text.Wrap
                        font.pixelSize: 12
                        color: line.startsWith("dropped") || line.startsWith("failed") ? "#b00020" : palette.text
                    }
                    onCountChanged: positionViewAtEnd()
                }
            }
        }
    }

    footer: Pane {
        padding: 6
        RowLayout {
            anchors.fill: parent
            spacing: 8
            Rectangle {
                width: 12
                height: 12
                radius: 6
                color: window.state === EventSource.Open ? "#2e7d32"
                     : window.state === EventSource.Connecting ? "#f9a825" : "#9e9e9e"
            }
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                text: {
                    const state = [qsTr("connecting"), qsTr("open"), qsTr("closed")][window.state]
                    let parts = [state + (window.done ? qsTr(" (done)") : ""),
                                 window.eventCount === 1 ? qsTr("1 event") : qsTr("%1 events").arg(window.eventCount),
                                 qsTr("last id %1").arg(window.lastEventId || "–")]
                    if (!window.usingPost) {
                        parts.push(window.reconnects === 1 ? qsTr("1 reconnection")
                                                           : qsTr("%1 reconnections").arg(window.reconnects))
                        parts.push(qsTr("retry %1 ms").arg(source.reconnectionTime))
                    }
                    return parts.join("  ·  ")
                }
            }
            Label {
                text: qsTr("%1 engine").arg(window.engine)
                color: palette.placeholderText
            }
        }
    }
}
