import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Courier

// One download: file name, progress bar, speed, a status line in words, and Cancel.
Frame {
    id: row

    property string source
    property var response: null
    property real received: 0
    property real total: -1
    property real speed: 0 // bytes per second, smoothed
    property string status: qsTr("Connecting…")
    property bool done: false
    // A transport error or an error status: the bar empties and the status line turns red.
    readonly property bool failed: response !== null && response.statusCode >= 400
                                   || done && response !== null && response.error !== Response.NoError
    property double startedAt: 0
    property double lastAt: 0
    property real lastReceived: 0

    function size(bytes) {
        if (bytes >= 1024 * 1024)
            return (bytes / (1024 * 1024)).toFixed(1) + " MiB"
        if (bytes >= 1024)
            return (bytes / 1024).toFixed(1) + " KiB"
        return bytes + " B"
    }

    function start() {
        startedAt = lastAt = Date.now()
        // Tied to this row: if the row goes away, the download stops without a word.
        response = Http.get(source, { context: row })
    }

    Component.onCompleted: start()

    Connections {
        target: row.response
        function onHeadersReceived() {
            row.status = row.response.statusCode + " " + row.response.statusMessage
        }
        function onDownloadProgress(received, total) {
            const now = Date.now()
            if (now - row.lastAt >= 250) {
                const instant = (received - row.lastReceived) * 1000 / (now - row.lastAt)
                row.speed = row.speed > 0 ? 0.7 * row.speed + 0.3 * instant : instant
                row.lastAt = now
                row.lastReceived = received
            }
            row.received = received
            row.total = total
            if (!row.done)
                row.status = total > 0 ? qsTr("%1 of %2").arg(row.size(received)).arg(row.size(total))
                                       : qsTr("%1 so far").arg(row.size(received))
        }
        function onFinished() {
            const r = row.response
            row.done = true
            row.speed = 0
            if (r.error === Response.OperationCanceled)
                row.status = qsTr("Canceled after %1").arg(row.size(row.received))
            else if (r.error !== Response.NoError && r.statusCode === 0)
                row.status = r.errorString // connection, TLS, timeout: Courier says what happened
            else if (r.statusCode >= 400)
                row.status = qsTr("The server answered %1 %2").arg(r.statusCode).arg(HttpStatus.phrase(r.statusCode))
            else
                row.status = qsTr("Done: %1 in %2 s").arg(row.size(r.bytesReceived))
                                                     .arg(((Date.now() - row.startedAt) / 1000).toFixed(1))
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 12
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 4
            RowLayout {
                Label {
                    Layout.fillWidth: true
                    text: row.source.substring(row.source.lastIndexOf("/") + 1) || row.source
                    font.bold: true
                    elide: Text.ElideMiddle
                }
                Label {
                    text: row.speed > 0 ? qsTr("%1/s").arg(row.size(Math.round(row.speed))) : ""
                }
            }
            ProgressBar {
                Layout.fillWidth: true
                from: 0
                to: row.total > 0 ? row.total : 1
                value: row.total > 0 && !row.failed ? row.received : 0
                indeterminate: !row.done && row.total <= 0 && row.response !== null && row.received > 0
            }
            Label {
                Layout.fillWidth: true
                text: row.status
                elide: Text.ElideRight
                color: row.failed ? "#b00020" : palette.text
            }
        }
        Button {
            text: qsTr("Cancel")
            enabled: row.response !== null && !row.done
            onClicked: row.response.abort()
        }
    }
}
