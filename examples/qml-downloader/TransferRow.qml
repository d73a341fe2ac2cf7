// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Courier

// One transfer: a download saved to the folder (or an upload streamed from a file), with its name,
// a progress bar, speed, a status line in words, and Cancel / Resume.
Frame {
    id: row

    property HttpClient client
    property string source // the URL, with an optional #sha256=<hex>
    property string uploadFile // set: an upload of this file to source
    property string folder
    property var response: null
    property real received: 0
    property real total: -1
    property real speed: 0 // bytes per second, smoothed
    property string status: qsTr("Connecting…")
    readonly property bool running: response !== null && response.running
    // A transport error or an error status: the bar empties and the status line turns red.
    readonly property bool failed: response !== null && (response.statusCode >= 400
                                   || !response.running && response.error !== Response.NoError)
    readonly property string url: source.split("#sha256=")[0]
    readonly property string sha256: source.indexOf("#sha256=") > 0 ? source.split("#sha256=")[1] : ""
    readonly property string name: {
        const path = uploadFile !== "" ? uploadFile : url.split("?")[0]
        // The last segment; after a '\\' too, a separator on Windows.
        return path.substring(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1) || "index.html"
    }
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
        speed = 0
        lastReceived = 0
        status = qsTr("Connecting…")
        // Tied to this row: if the row goes away, the transfer stops without a word.
        if (uploadFile !== "") {
            response = client.put(url, { file: uploadFile, context: row })
        } else {
            const options = { context: row }
            if (sha256 !== "")
                options.sha256 = sha256
            response = client.download(url, folder + "/" + name, options)
        }
    }

    Component.onCompleted: start()

    function onProgress(done, all) {
        const now = Date.now()
        if (now - lastAt >= 250) {
            const instant = (done - lastReceived) * 1000 / (now - lastAt)
            speed = speed > 0 ? 0.7 * speed + 0.3 * instant : instant
            lastAt = now
            lastReceived = done
        }
        received = done
        total = all
        if (running)
            status = all > 0 ? qsTr("%1 of %2").arg(size(done)).arg(size(all)) : qsTr("%1 so far").arg(size(done))
    }

    Connections {
        target: row.response
        function onConnected() { row.status = qsTr("Connected") }
        function onHeadersReceived() {
            const r = row.response
            row.status = r.resumedFrom > 0 ? qsTr("Resuming from %1").arg(row.size(r.resumedFrom))
                                           : r.statusCode + " " + r.statusMessage
            row.lastReceived = r.resumedFrom
        }
        function onDownloadProgress(received, total) {
            if (row.uploadFile === "")
                row.onProgress(received, total)
        }
        function onUploadProgress(sent, total) { row.onProgress(sent, total) }
        function onFinished() {
            const r = row.response
            row.speed = 0
            const seconds = ((Date.now() - row.startedAt) / 1000).toFixed(1)
            if (r.error === Response.OperationCanceled)
                row.status = qsTr("Cancelled after %1; Resume continues from there").arg(row.size(row.received))
            else if (r.error !== Response.NoError && r.statusCode === 0)
                row.status = r.errorString // connection, TLS, timeout: Courier says what happened
            else if (r.statusCode >= 400)
                row.status = qsTr("The server answered %1 %2").arg(r.statusCode).arg(HttpStatus.phrase(r.statusCode))
            else if (r.error !== Response.NoError)
                row.status = r.errorString // a checksum that does not match, a disk that is full
            else if (row.uploadFile !== "")
                row.status = qsTr("Uploaded %1 in %2 s").arg(row.size(row.received)).arg(seconds)
            else
                row.status = qsTr("Saved %1 to %2 in %3 s%4").arg(row.size(r.bytesReceived)).arg(row.folder)
                                 .arg(seconds).arg(row.sha256 !== "" ? qsTr(", SHA-256 verified") : "")
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
                    text: (row.uploadFile !== "" ? "⇧ " : "") + row.name
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
                indeterminate: row.running && row.total <= 0 && row.received > 0
            }
            Label {
                Layout.fillWidth: true
                text: row.status
                elide: Text.ElideRight
                color: row.failed ? "#b00020" : palette.text
            }
        }
        Button {
            text: row.running ? qsTr("Cancel") : qsTr("Resume")
            visible: row.running || row.uploadFile === "" && row.response !== null
                     && row.response.error === Response.OperationCanceled
            onClicked: row.running ? row.response.abort() : row.start()
        }
    }
}
