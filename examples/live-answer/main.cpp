// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// live-answer [--prompt TEXT] [--post] [--token-delay MS]
//             [--screenshot FILE [--screenshot-at EVENTS]] [--quit-after-done]
//
// A prompt, and its answer shown as it arrives, token by token, as server-sent events: the way a
// language-model chat shows its answers. The server is the example's own stub (stubserver.cpp),
// started here on 127.0.0.1 with a free port; the window is Main.qml; the Courier code is in
// answerstream.cpp.
//
// With --prompt the question is sent at start. --screenshot saves a picture of the window once
// EVENTS events arrived (by default, when the answer is done) and quits; --quit-after-done checks
// that the whole answer arrived, once and in order (exit status 0), for the example's ctest
// entries, which run it on each engine (COURIER_ENGINE=qt or curl).

#include "answerstream.h"
#include "stubserver.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtGui/QImage>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>

#include <cstdio>

namespace {

// What --quit-after-done checks: every token once and in order, then the done event; with
// EventSource, after exactly the one reconnection the stub server forces.
QStringList problems(const AnswerStream &stream, const QString &prompt, bool post)
{
    const QStringList tokens = StubServer::tokens(prompt);
    const QString lastId = QString::number(tokens.size() + 1); // the done event's
    QStringList found;
    if (!stream.isDone())
        found << QStringLiteral("the done event did not arrive");
    if (stream.text() != StubServer::answer(prompt))
        found << QStringLiteral("the text differs from the answer sent:\n  got:  %1\n  sent: %2")
                     .arg(stream.text(), StubServer::answer(prompt));
    if (stream.eventCount() != tokens.size() + 1)
        found << QStringLiteral("%1 events instead of %2").arg(stream.eventCount()).arg(tokens.size() + 1);
    if (stream.lastEventId() != lastId)
        found << QStringLiteral("last event id %1 instead of %2").arg(stream.lastEventId(), lastId);
    if (stream.reconnects() != (post ? 0 : 1))
        found << QStringLiteral("%1 reconnections instead of %2").arg(stream.reconnects()).arg(post ? 0 : 1);
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
                                        QStringLiteral("Ask with a POST and an EventStreamReader, not EventSource."));
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
    auto *stream = window ? qobject_cast<AnswerStream *>(window->property("stream").value<QObject *>()) : nullptr;
    if (!stream)
        return 2;

    if (screenshot.isEmpty() && !quitAfterDone)
        return app.exec();

    // The screenshot: once EVENTS events arrived, or when the stream closes. Queued, so that the
    // window's bindings have seen the event first.
    bool shot = false;
    const auto takeScreenshot = [&] {
        shot = true;
        const QImage image = window->grabWindow();
        if (image.isNull() || !image.save(screenshot)) {
            std::fprintf(stderr, "live-answer: cannot save the screenshot to %s\n", qPrintable(screenshot));
            return false;
        }
        std::printf("live-answer: screenshot after %d events saved to %s\n", stream->eventCount(),
                    qPrintable(screenshot));
        return true;
    };
    QObject::connect(
        stream, &AnswerStream::received, &app,
        [&] {
            if (!screenshot.isEmpty() && !shot && screenshotAt > 0 && stream->eventCount() >= screenshotAt) {
                const bool saved = takeScreenshot();
                if (!saved || !quitAfterDone)
                    QCoreApplication::exit(saved ? 0 : 1);
            }
        },
        Qt::QueuedConnection);
    QObject::connect(
        stream, &AnswerStream::finished, &app,
        [&] {
            if (!screenshot.isEmpty() && !shot && !takeScreenshot())
                return QCoreApplication::exit(1);
            if (!quitAfterDone)
                return QCoreApplication::exit(0);
            const QStringList found = problems(*stream, prompt, post);
            if (!found.isEmpty()) {
                std::fprintf(stderr, "live-answer: FAIL (%s engine, %s): %s\n", qPrintable(stream->engine()),
                             post ? "POST" : "EventSource", qPrintable(found.join(QStringLiteral("; "))));
                return QCoreApplication::exit(1);
            }
            std::printf("live-answer: the whole answer arrived (%s engine, %s): %d events, last id %s, "
                        "%d reconnection(s)\n",
                        qPrintable(stream->engine()), post ? "POST" : "EventSource", stream->eventCount(),
                        qPrintable(stream->lastEventId()), stream->reconnects());
            QCoreApplication::quit();
        },
        Qt::QueuedConnection);
    // Bounded: a stream that never ends does not keep a test waiting forever.
    QTimer::singleShot(60000, &app, [] {
        std::fprintf(stderr, "live-answer: the stream did not close within 60 s\n");
        QCoreApplication::exit(1);
    });
    return app.exec();
}
