// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "logging_p.h"

namespace Courier {
// Debug output is off unless the application enables it (QT_LOGGING_RULES="courier.*.debug=true").
Q_LOGGING_CATEGORY(lcClient, "courier.client", QtWarningMsg)
Q_LOGGING_CATEGORY(lcResponse, "courier.response", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRedirect, "courier.redirect", QtWarningMsg)
Q_LOGGING_CATEGORY(lcTls, "courier.tls", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAuth, "courier.auth", QtWarningMsg)
Q_LOGGING_CATEGORY(lcEngine, "courier.engine", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStream, "courier.stream", QtWarningMsg)
} // namespace Courier
