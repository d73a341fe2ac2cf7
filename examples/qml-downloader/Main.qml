import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    id: window

    property var urls: []
    // The average progress of the downloads under way or done whose size is known (0 to 1), failed
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

    width: 760
    height: 60 + 86 * Math.max(rows.count, 3)
    visible: true
    title: qsTr("Courier downloader")

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.margins: 6
            TextField {
                id: urlField
                Layout.fillWidth: true
                placeholderText: qsTr("http://… to download")
                onAccepted: addButton.clicked()
            }
            Button {
                id: addButton
                text: qsTr("Download")
                enabled: urlField.text.length > 0
                onClicked: {
                    downloads.append({ url: urlField.text })
                    urlField.clear()
                }
            }
        }
    }

    ListModel { id: downloads }
    Component.onCompleted: {
        for (const url of urls)
            downloads.append({ url: url })
    }

    ScrollView {
        anchors.fill: parent
        anchors.margins: 8
        Column {
            width: parent.width
            spacing: 8
            Repeater {
                id: rows
                model: downloads
                delegate: DownloadRow {
                    required property string url
                    width: window.width - 16
                    source: url
                }
            }
        }
    }
}
