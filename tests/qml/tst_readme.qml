// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

import QtQuick
import QtTest

// The README's QML quick start, as written there: taken from README.md, pointed at the test
// server instead of 127.0.0.1:8080, and run.
TestCase {
    id: testCase
    name: "Readme"

    function test_quickStart() {
        const source = peers.readmeQml()
        verify(source.indexOf("Http.fetch(") > 0, "the README has a QML quick start")
        const snippet = createTemporaryQmlObject(source.replace("http://127.0.0.1:8080", peers.server), testCase, "readme")
        verify(snippet !== null)
        tryCompare(snippet, "status", "200 Courier", 10000)
    }
}
