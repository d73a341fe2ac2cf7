// qml-downloader URL... [--screenshot FILE [--at PERCENT]]
//
// Downloads the URLs at once in a Qt Quick Controls window. With --screenshot, saves a picture of
// the window once the downloads are PERCENT (default 35) % done on average, and quits.

#include <QtCore/QCommandLineParser>
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
    parser.addOptions({screenshotOption, atOption});
    parser.process(app);

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral(COURIER_QML_BUILD_DIR));
    engine.setInitialProperties({{QStringLiteral("urls"), parser.positionalArguments()}});
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
