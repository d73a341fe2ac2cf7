// The QML options object as Http reads it (a JSON object stands for the JavaScript one): no
// crash, and every key is either applied or named in a warning.
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
    Courier::Request request(QUrl(QStringLiteral("http://127.0.0.1/")));
    Courier::Qml::ExtraOptions extra;
    QStringList warnings;
    Courier::Qml::applyOptions(document.object().toVariantMap(), request, extra, warnings);
    for (const QString &warning : std::as_const(warnings)) {
        if (!warning.contains(QLatin1Char('"')) && !warning.startsWith(QLatin1String("the options")))
            std::abort(); // every warning names its key
    }
    return 0;
}
