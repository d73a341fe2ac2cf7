// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Runs the Qt Quick tests of this directory (tst_*.qml); QML_IMPORT_PATH or -import names where
// the Courier and Courier.Test modules are.
#include <QtQuickTest/quicktest.h>

QUICK_TEST_MAIN(forecastpanel)
