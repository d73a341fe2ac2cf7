// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Courier

// A downloader in QML alone (main.cpp only loads it): several files at once, each saved to disk
// through Courier's HttpClient with a progress bar, speed, Cancel and Resume. A cancelled or
// interrupted download keeps its .part file, and the next download of the same URL to the same
// folder (after a restart too) continues from there. A URL ending in #sha256=<hex> is verified
// before the file is put in place. The toolbar's second row uploads a file, streamed from disk.
ApplicationWindow {
    id: window

    // Set by main.cpp from the command line.
    property var urls: []
    property string folder: "."
    property string caFile: ""
    property string cookiesFile: ""
    property string user: ""
    property string password: ""

    // The average progress of the transfers under way or done whose size is known (0 to 1), failed
    // ones left out: for the screenshot.
    readonly property real progress: {
        let sum = 0, count = 0
        for (let i = 0; i < rows.count; ++i) {
            const row = rows.itemAt(i)
            if (row && row.total > 0 && !row.failed) {
                sum += row.received / row.total
                ++count
            }
        }
        return count ? sum / count : 0
    }

    width: 820
    height: 110 + 92 * Math.max(rows.count, 3)
    visible: true
    title: qsTr("Courier downloader — saving to %1").arg(folder)

    // One client for every transfer: a private CA, credentials and a cookie file from the
    // command line, and a small cache for what the server allows to be cached.
    HttpClient {
        id: http
        userAgent: "courier-qml-downloader/1.0"
        caCertificatesFile: window.caFile
        user: window.user
        password: window.password
        cookiesFile: window.cookiesFile
        cache: ResponseCache { maximumSize: 2 * 1024 * 1024 }
    }

    header: ToolBar {
        ColumnLayout {
            anchors.fill: parent
            anchors.margins: 6
            RowLayout {
                TextField {
                    id: urlField
                    Layout.fillWidth: true
                    placeholderText: qsTr("https://… to download (add #sha256=<hex> to verify it)")
                    onAccepted: addButton.clicked()
                }
                Button {
                    id: addButton
                    text: qsTr("Download")
                    enabled: urlField.text.length > 0
                    onClicked: {
                        transfers.append({ url: urlField.text, upload: "" })
                        urlField.clear()
                    }
                }
            }
            RowLayout {
                TextField {
                    id: fileField
                    Layout.fillWidth: true
                    placeholderText: qsTr("a file to upload")
                }
                TextField {
                    id: targetField
                    Layout.fillWidth: true
                    placeholderText: qsTr("to this URL (PUT)")
                }
                Button {
                    text: qsTr("Upload")
                    enabled: fileField.text.length > 0 && targetField.text.length > 0
                    onClicked: {
                        transfers.append({ url: targetField.text, upload: fileField.text })
                        fileField.clear()
                    }
                }
            }
        }
    }

    Label {
        anchors.centerIn: parent
        visible: http.configurationError !== ""
        text: http.configurationError
        color: "#b00020"
    }

    ListModel { id: transfers }
    Component.onCompleted: {
        for (const url of urls)
            transfers.append({ url: url, upload: "" })
    }

    ScrollView {
        anchors.fill: parent
        anchors.margins: 8
        Column {
            width: parent.width
            spacing: 8
            Repeater {
                id: rows
                model: transfers
                delegate: TransferRow {
                    required property string url
                    required property string upload
                    width: window.width - 16
                    client: http
                    source: url
                    uploadFile: upload
                    folder: window.folder
                }
            }
        }
    }
}
