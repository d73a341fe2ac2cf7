// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "httpstatus.h"

namespace Courier::Qml {

QString HttpStatusObject::phrase(int code) const { return HttpStatus::phrase(code); }
QString HttpStatusObject::description(int code) const { return HttpStatus::description(code); }
int HttpStatusObject::statusClass(int code) const { return int(HttpStatus::statusClass(code)); }
bool HttpStatusObject::isKnown(int code) const { return HttpStatus::isKnown(code); }
bool HttpStatusObject::isInformational(int code) const { return HttpStatus::isInformational(code); }
bool HttpStatusObject::isSuccess(int code) const { return HttpStatus::isSuccess(code); }
bool HttpStatusObject::isRedirection(int code) const { return HttpStatus::isRedirection(code); }
bool HttpStatusObject::isClientError(int code) const { return HttpStatus::isClientError(code); }
bool HttpStatusObject::isServerError(int code) const { return HttpStatus::isServerError(code); }

} // namespace Courier::Qml
