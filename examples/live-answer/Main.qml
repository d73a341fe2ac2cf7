// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import LiveAnswer

// A prompt, and its answer growing token by token as the server sends it. What to look at:
// - the answer's text is a plain binding to AnswerStream.text, which grows with each event;
// - the status line under it: the stream's state (connecting, open, closed), the events received,
//   the last event id, and the reconnections;
// - the connection log on the right: with EventSource the stub server drops the first connection
//   partway through, and the log shows the reconnection with Last-Event-ID and the answer going on
//   without a gap or a repeat.
ApplicationWindow {
    id: window

    // Set by main.cpp from the command line.
    property url serverUrl
    property string prompt: ""
    property bool post: false
    property bool autoSend: false

    // For main.cpp (the --quit-after-done check and the screenshot).
    readonly property AnswerStream stream: answer

    width: 860
    height: 400
    visible: true
    title: qsTr("Live answer — server-sent events with Courier (%1 engine)").arg(answer.engine)

    AnswerStream {
        id: answer
        url: window.serverUrl
        transport: transportBox.currentIndex === 0 ? AnswerStream.EventSource : AnswerStream.Post
        onLogged: line => log.append({ line: line })
    }

    function send() {
        log.clear()
        answer.send(promptField.text)
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
                model: [qsTr("EventSource (GET, resumes)"), qsTr("POST + EventStreamReader")]
                currentIndex: window.post ? 1 : 0
                enabled: answer.state === AnswerStream.Closed
            }
            Button {
                text: qsTr("Send")
                enabled: answer.state === AnswerStream.Closed
                onClicked: window.send()
            }
            Button {
                text: qsTr("Stop")
                enabled: answer.state !== AnswerStream.Closed
                onClicked: answer.stop()
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
                id: answerView
                anchors.fill: parent
                TextArea {
                    id: answerText
                    readOnly: true
                    wrapMode: TextEdit.Wrap
                    background: null
                    font.pixelSize: 15
                    // The cursor block shows that more may come.
                    text: answer.text + (answer.state === AnswerStream.Closed ? "" : " ▍")
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
                    model: ListModel { id: log }
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
                color: answer.state === AnswerStream.Open ? "#2e7d32"
                     : answer.state === AnswerStream.Connecting ? "#f9a825" : "#9e9e9e"
            }
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                text: {
                    const state = [qsTr("connecting"), qsTr("open"), qsTr("closed")][answer.state]
                    let parts = [state + (answer.done ? qsTr(" (done)") : ""),
                                 (answer.eventCount === 1 ? qsTr("1 event") : qsTr("%1 events").arg(answer.eventCount)),
                                 qsTr("last id %1").arg(answer.lastEventId || "–"),
                                 (answer.reconnects === 1 ? qsTr("1 reconnection")
                                                          : qsTr("%1 reconnections").arg(answer.reconnects))]
                    if (answer.retryMsecs >= 0)
                        parts.push(qsTr("retry %1 ms").arg(answer.retryMsecs))
                    return parts.join("  ·  ")
                }
            }
            Label {
                text: qsTr("%1 engine").arg(answer.engine)
                color: palette.placeholderText
            }
        }
    }
}
