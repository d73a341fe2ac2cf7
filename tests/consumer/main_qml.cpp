// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Imports the installed QML module "Courier" (found through QML_IMPORT_PATH) and uses its types;
// with the argument "Courier.Test", also the installed Courier.Test, whose MockServer must listen.
#include <QtCore/QCoreApplication>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>

#include <cstdio>
#include <memory>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QQmlEngine engine;
    QQmlComponent component(&engine);
    component.setData("import QtQml\nimport Courier\n"
                      "QtObject { property string phrase: HttpStatus.phrase(HttpStatus.NotFound);"
                      " property int refused: Response.ConnectionRefused; property int object: Http.Object;"
                      " property HttpClient client: HttpClient { baseUrl: \"http://127.0.0.1/\" } }",
                      QUrl());
    std::unique_ptr<QObject> object(component.create());
    if (!object) {
        std::fprintf(stderr, "%s\n", qPrintable(component.errorString()));
        return 1;
    }
    std::printf("QML: %s, %d, %d\n", qPrintable(object->property("phrase").toString()),
                object->property("refused").toInt(), object->property("object").toInt());
    if (object->property("refused").toInt() != 1)
        return 1;
    if (app.arguments().value(1) == QStringLiteral("Courier.Test")) {
        QQmlComponent mock(&engine);
        mock.setData("import QtQml\nimport Courier.Test\nMockServer {}", QUrl());
        std::unique_ptr<QObject> server(mock.create());
        if (!server) {
            std::fprintf(stderr, "%s\n", qPrintable(mock.errorString()));
            return 1;
        }
        const bool listening = server->property("listening").toBool();
        std::printf("Courier.Test: MockServer %s\n", listening ? "listening" : "not listening");
        return listening ? 0 : 1;
    }
    return 0;
}
