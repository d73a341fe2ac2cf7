// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// qml-downloader [--folder DIR] [--ca FILE] [--cookies FILE] [--user NAME --password WORD] URL...
//                [--screenshot FILE [--at PERCENT]]
//
// Downloads the URLs at once into DIR in a Qt Quick Controls window; everything else is QML
// (Main.qml). With --screenshot, saves a picture of the window once the downloads are PERCENT
// (default 35) % done on average, and quits.

#include <QtCore/QCommandLineParser>
#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtGui/QImage>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>

#include <cstdio>

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("qml-downloader"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Downloads several URLs at once with Courier, in QML."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("http or https URLs to download."),
                                 QStringLiteral("URL..."));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                              QStringLiteral("Save the window to FILE mid-download and quit."),
                                              QStringLiteral("FILE"));
    const QCommandLineOption atOption(QStringLiteral("at"),
                                      QStringLiteral("Average progress for the screenshot, in %."),
                                      QStringLiteral("PERCENT"), QStringLiteral("35"));
    const QCommandLineOption folderOption(QStringLiteral("folder"), QStringLiteral("Where the files go."),
                                          QStringLiteral("DIR"),
                                          QStandardPaths::writableLocation(QStandardPaths::DownloadLocation));
    const QCommandLineOption caOption(
        QStringLiteral("ca"), QStringLiteral("Also trust the CA certificates in FILE (PEM)."), QStringLiteral("FILE"));
    const QCommandLineOption cookiesOption(QStringLiteral("cookies"),
                                           QStringLiteral("Keep cookies in FILE (cookies.txt) across runs."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption userOption(QStringLiteral("user"), QStringLiteral("User name for servers that ask."),
                                        QStringLiteral("NAME"));
    const QCommandLineOption passwordOption(QStringLiteral("password"), QStringLiteral("Its password."),
                                            QStringLiteral("WORD"));
    parser.addOptions({screenshotOption, atOption, folderOption, caOption, cookiesOption, userOption, passwordOption});
    parser.process(app);
    const QString folder = parser.value(folderOption).isEmpty() ? QDir::currentPath() : parser.value(folderOption);
    if (!QDir().mkpath(folder)) {
        std::fprintf(stderr, "qml-downloader: cannot create the folder %s\n", qPrintable(folder));
        return 2;
    }

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral(COURIER_QML_BUILD_DIR));
    engine.setInitialProperties({
        {QStringLiteral("urls"), parser.positionalArguments()},
        {QStringLiteral("folder"), QDir(folder).absolutePath()},
        {QStringLiteral("caFile"), parser.value(caOption)},
        {QStringLiteral("cookiesFile"), parser.value(cookiesOption)},
        {QStringLiteral("user"), parser.value(userOption)},
        {QStringLiteral("password"), parser.value(passwordOption)},
    });
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(2); },
        Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/Downloader/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 2;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());

    if (parser.isSet(screenshotOption)) {
        const QString file = parser.value(screenshotOption);
        const double at = parser.value(atOption).toDouble() / 100.0;
        auto *poll = new QTimer(&app);
        QObject::connect(poll, &QTimer::timeout, &app, [=] {
            if (window->property("progress").toDouble() < at)
                return;
            poll->stop();
            const QImage image = window->grabWindow();
            if (image.isNull() || !image.save(file)) {
                std::fprintf(stderr, "qml-downloader: cannot save the screenshot to %s\n", qPrintable(file));
                QCoreApplication::exit(1);
                return;
            }
            std::printf("qml-downloader: screenshot at %.0f %% saved to %s\n",
                        window->property("progress").toDouble() * 100, qPrintable(file));
            QCoreApplication::quit();
        });
        poll->start(20);
        // Bounded: a download that never makes progress does not keep a script waiting forever.
        QTimer::singleShot(120000, &app, [] {
            std::fprintf(stderr, "qml-downloader: no screenshot after 120 s\n");
            QCoreApplication::exit(1);
        });
    }
    return app.exec();
}
