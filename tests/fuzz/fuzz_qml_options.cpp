// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// The QML options object as HttpClient reads it (a JSON object stands for the JavaScript one): no
// crash, and a refusal names the option it refuses.
#include "options.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QJsonDocument document = QJsonDocument::fromJson(
        QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!document.isObject())
        return 0;
    for (const auto use : {Courier::Qml::OptionsFor::Request, Courier::Qml::OptionsFor::Download}) {
        Courier::Request request(QUrl(QStringLiteral("http://127.0.0.1/")));
        Courier::Qml::ExtraOptions extra;
        const QString problems = Courier::Qml::applyOptions(document.object().toVariantMap(), use, request, extra);
        qDeleteAll(extra.owned);
        if (!problems.isEmpty() && !problems.contains(QLatin1Char('"')))
            std::abort(); // a refusal names its option
    }
    return 0;
}
