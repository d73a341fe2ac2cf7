// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// live-answer [--prompt TEXT] [--post] [--token-delay MS]
//             [--screenshot FILE [--screenshot-at EVENTS]] [--quit-after-done]
//
// A prompt, and its answer shown as it arrives, token by token, as server-sent events: the way a
// language-model chat shows its answers. The server is the example's own stub (stubserver.cpp),
// started here on 127.0.0.1 with a free port; the window, and all the Courier code, is Main.qml.
//
// With --prompt the question is sent at start. --screenshot saves a picture of the window once
// EVENTS events arrived (by default, when the stream closes) and quits; --quit-after-done checks
// that the whole answer arrived, once and in order (exit status 0), for the example's ctest
// entries, which run it on each engine (COURIER_ENGINE=qt or curl).

#include "stubserver.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtGui/QImage>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>

#include <cstdio>

namespace {

// What --quit-after-done checks, from the window's properties: every token once and in order,
// then the done event; with EventSource, after exactly the one reconnection the stub forces.
QStringList problems(const QObject &window, const QString &prompt, bool post)
{
    const QString sent = StubServer::answer(prompt);
    const int events = int(StubServer::tokens(prompt).size()) + 1; // and the done event's id
    const int reconnects = post ? 0 : 1;
    const QString answer = window.property("answer").toString();
    const int eventCount = window.property("eventCount").toInt();
    const QString lastEventId = window.property("lastEventId").toString();
    const int reconnected = window.property("reconnects").toInt();
    QStringList found;
    if (!window.property("done").toBool())
        found << QStringLiteral("the done event did not arrive");
    if (answer != sent)
        found << QStringLiteral("the text differs from the answer sent:\n  got:  %1\n  sent: %2").arg(answer, sent);
    if (eventCount != events)
        found << QStringLiteral("%1 events instead of %2").arg(eventCount).arg(events);
    if (lastEventId != QString::number(events))
        found << QStringLiteral("last event id %1 instead of %2").arg(lastEventId).arg(events);
    if (reconnected != reconnects)
        found << QStringLiteral("%1 reconnections instead of %2").arg(reconnected).arg(reconnects);
    return found;
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("live-answer"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Shows an answer as it arrives, token by token, as server-sent events from a local stub."));
    parser.addHelpOption();
    const QCommandLineOption promptOption(QStringLiteral("prompt"), QStringLiteral("Ask this at start."),
                                          QStringLiteral("TEXT"));
    const QCommandLineOption postOption(QStringLiteral("post"),
                                        QStringLiteral("Ask with a POST (stream: \"events\"), not EventSource."));
    const QCommandLineOption delayOption(QStringLiteral("token-delay"),
                                         QStringLiteral("The stub server's pause between tokens, in ms."),
                                         QStringLiteral("MS"), QStringLiteral("30"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"), QStringLiteral("Save the window to FILE and quit."), QStringLiteral("FILE"));
    const QCommandLineOption atOption(QStringLiteral("screenshot-at"),
                                      QStringLiteral("Take the screenshot once EVENTS events arrived (default: done)."),
                                      QStringLiteral("EVENTS"), QStringLiteral("0"));
    const QCommandLineOption quitOption(QStringLiteral("quit-after-done"),
                                        QStringLiteral("Quit when the stream closes; exit 0 if the whole answer "
                                                       "arrived, once and in order."));
    parser.addOptions({promptOption, postOption, delayOption, screenshotOption, atOption, quitOption});
    parser.process(app);
    const bool post = parser.isSet(postOption);
    const bool quitAfterDone = parser.isSet(quitOption);
    const QString screenshot = parser.value(screenshotOption);
    const int screenshotAt = parser.value(atOption).toInt();
    // Without --prompt, the window waits for one; pictures and checks ask a question of their own.
    const QString prompt = parser.isSet(promptOption) || (screenshot.isEmpty() && !quitAfterDone)
        ? parser.value(promptOption)
        : QStringLiteral("How does a live answer reach the window?");

    StubServer server;
    server.setTokenDelay(std::chrono::milliseconds(qMax(0, parser.value(delayOption).toInt())));
    if (!server.listen()) {
        std::fprintf(stderr, "live-answer: the stub server cannot listen: %s\n", qPrintable(server.errorString()));
        return 2;
    }

    // Pictures and headless runs (QT_QPA_PLATFORM=offscreen) need no GPU: Qt Quick's software renderer.
    if (!screenshot.isEmpty() || QGuiApplication::platformName() == QLatin1String("offscreen"))
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);

    QQmlApplicationEngine engine;
#ifdef COURIER_QML_BUILD_DIR
    // The Courier module in the build tree; an installed one is found through QML_IMPORT_PATH.
    engine.addImportPath(QStringLiteral(COURIER_QML_BUILD_DIR));
#endif
    engine.setInitialProperties({
        {QStringLiteral("serverUrl"), server.answerUrl()},
        {QStringLiteral("prompt"), prompt},
        {QStringLiteral("post"), post},
        {QStringLiteral("autoSend"), !prompt.isEmpty()},
    });
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(2); },
        Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/LiveAnswer/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 2;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    if (!window)
        return 2;
    if (screenshot.isEmpty() && !quitAfterDone)
        return app.exec();

    // The screenshot once EVENTS events arrived, or when the stream closed (the window's "ended");
    // then the check. Looked at every 10 ms, as the events come in.
    const auto takeScreenshot = [&] {
        const QImage image = window->grabWindow();
        if (image.isNull() || !image.save(screenshot)) {
            std::fprintf(stderr, "live-answer: cannot save the screenshot to %s\n", qPrintable(screenshot));
            return false;
        }
        std::printf("live-answer: screenshot after %d events saved to %s\n", window->property("eventCount").toInt(),
                    qPrintable(screenshot));
        return true;
    };
    bool shot = screenshot.isEmpty();
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        const bool ended = window->property("ended").toBool();
        if (!shot && (ended || (screenshotAt > 0 && window->property("eventCount").toInt() >= screenshotAt))) {
            shot = true;
            if (!takeScreenshot())
                return QCoreApplication::exit(1);
            if (!quitAfterDone)
                return QCoreApplication::quit();
        }
        if (!ended || !quitAfterDone)
            return;
        poll.stop();
        const QString engineName = window->property("engine").toString();
        const QStringList found = problems(*window, prompt, post);
        if (!found.isEmpty()) {
            std::fprintf(stderr, "live-answer: FAIL (%s engine, %s): %s\n", qPrintable(engineName),
                         post ? "POST" : "EventSource", qPrintable(found.join(QStringLiteral("; "))));
            return QCoreApplication::exit(1);
        }
        std::printf(
            "live-answer: the whole answer arrived (%s engine, %s): %d events, last id %s, %d reconnection(s)\n",
            qPrintable(engineName), post ? "POST" : "EventSource", window->property("eventCount").toInt(),
            qPrintable(window->property("lastEventId").toString()), window->property("reconnects").toInt());
        QCoreApplication::quit();
    });
    poll.start(10);
    // Bounded: a stream that never ends does not keep a test waiting forever.
    QTimer::singleShot(60000, &app, [] {
        std::fprintf(stderr, "live-answer: the stream did not close within 60 s\n");
        QCoreApplication::exit(1);
    });
    return app.exec();
}
