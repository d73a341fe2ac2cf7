// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// widgets-downloader [URL...] [--folder DIR] [--screenshot FILE [--at FRACTION]] [--cancel URL]
//
// A Qt Widgets application on Courier: downloads URLs into a folder, several at once, each row
// with a progress bar, the rate, a status line in words, Cancel and Retry. The URLs given on the
// command line start at launch. Every download that ends is reported on standard output, one line
// each ("saved URL to PATH (N bytes)", "failed URL: why", "canceled URL").
//
// With --screenshot, saves a picture of the window once every download under way whose size is
// known is FRACTION (default 0.35) done (or after 60 s if any made progress), and quits with 0.
// --cancel cancels a download a tenth of the way through, as its Cancel button does.
// scripts/widgets-screenshot uses both for the README's picture.

#include "mainwindow.h"

#include <Courier/version.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QFileInfo>
#include <QtCore/QTimer>
#include <QtGui/QPixmap>
#include <QtWidgets/QApplication>

#include <cstdio>

namespace {

void print(std::FILE *stream, const QString &line)
{
    const QByteArray bytes = QStringLiteral("widgets-downloader: ").append(line).toLocal8Bit();
    std::fprintf(stream, "%s\n", bytes.constData());
    std::fflush(stream);
}

int usageError(const QString &message)
{
    print(stderr, message);
    print(stderr, QStringLiteral("try --help"));
    return 2;
}

QUrl urlFromArgument(const QString &argument)
{
    // A whole URL is taken as it is; "example.com/file.zip" is completed to http://….
    return argument.contains(QLatin1String("://")) ? QUrl(argument) : QUrl::fromUserInput(argument);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("widgets-downloader"));
    QCoreApplication::setApplicationVersion(QStringLiteral(COURIER_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Downloads files with Courier, in a Qt Widgets window."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("http or https URLs to download at once."),
                                 QStringLiteral("[URL...]"));
    const QCommandLineOption folderOption(
        QStringLiteral("folder"), QStringLiteral("Save downloads to DIR (default: the Downloads folder, or home)."),
        QStringLiteral("DIR"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                              QStringLiteral("Save the window to FILE mid-download and quit."),
                                              QStringLiteral("FILE"));
    const QCommandLineOption atOption(QStringLiteral("at"),
                                      QStringLiteral("How far the downloads under way are for the screenshot, 0 to 1."),
                                      QStringLiteral("FRACTION"), QStringLiteral("0.35"));
    const QCommandLineOption cancelOption(
        QStringLiteral("cancel"),
        QStringLiteral("Cancel the download of URL, one of those given, a tenth of the "
                       "way through (for demonstrations and tests)."),
        QStringLiteral("URL"));
    parser.addOptions({folderOption, screenshotOption, atOption, cancelOption});
    parser.process(app);

    QString folder = MainWindow::defaultFolder();
    if (parser.isSet(folderOption)) {
        folder = parser.value(folderOption);
        if (!QFileInfo(folder).isDir())
            return usageError(QStringLiteral("%1 is not a folder").arg(folder));
    }
    bool atOk = false;
    const double at = parser.value(atOption).toDouble(&atOk);
    if (!atOk || at < 0 || at > 1)
        return usageError(QStringLiteral("--at takes a fraction from 0 to 1"));
    const QStringList toCancel = parser.values(cancelOption);

    MainWindow window(folder);
    QObject::connect(&window, &MainWindow::downloadEnded, &window, [](DownloadRow *row) {
        const QString url = row->url().toDisplayString();
        switch (row->state()) {
        case DownloadRow::State::Done:
            print(stdout, QStringLiteral("saved %1 to %2 (%3 bytes)").arg(url, row->path()).arg(row->bytesReceived()));
            break;
        case DownloadRow::State::Failed:
            print(stdout, QStringLiteral("failed %1: %2").arg(url, row->statusText()));
            break;
        default: print(stdout, QStringLiteral("canceled %1").arg(url)); break;
        }
    });
    window.show();

    for (const QString &argument : parser.positionalArguments()) {
        DownloadRow *row = window.addDownload(urlFromArgument(argument));
        if (toCancel.contains(argument)) {
            QObject::connect(row, &DownloadRow::progress, row, [row](qint64 received, qint64 total) {
                if (total > 0 ? received * 10 >= total : received >= 1024 * 1024)
                    row->cancel();
            });
        }
    }

    if (parser.isSet(screenshotOption)) {
        // The lambdas below outlive this block (the timers call them): they hold copies, and the
        // window, which outlives the timers.
        const QString file = parser.value(screenshotOption);
        MainWindow *const downloader = &window;
        const auto anyProgress = [downloader] {
            for (const auto &row : downloader->downloads()) {
                if (row->bytesReceived() > 0)
                    return true;
            }
            return false;
        };
        // Every download is past connecting, and each under way whose size is known is at
        // least `at` done: the failed ones say why, the others show real progress.
        const auto ready = [downloader, at, anyProgress] {
            bool running = false;
            for (const auto &row : downloader->downloads()) {
                if (row->state() == DownloadRow::State::Connecting)
                    return false;
                if (row->state() == DownloadRow::State::Receiving) {
                    running = true;
                    if (row->bytesTotal() > 0 && double(row->bytesReceived()) < at * double(row->bytesTotal()))
                        return false;
                }
            }
            return !running || anyProgress();
        };
        const auto grab = [downloader, file] {
            const QPixmap picture = downloader->grab();
            if (picture.isNull() || !picture.save(file)) {
                print(stderr, QStringLiteral("cannot save the screenshot to %1").arg(file));
                QCoreApplication::exit(1);
                return;
            }
            print(stdout, QStringLiteral("screenshot saved to %1").arg(file));
            for (const auto &row : downloader->downloads()) {
                const QString done = row->bytesTotal() > 0 ? QStringLiteral("%1 %").arg(
                                         100.0 * double(row->bytesReceived()) / double(row->bytesTotal()), 0, 'f', 0)
                                                           : DownloadRow::formatSize(row->bytesReceived());
                print(stdout,
                      QStringLiteral("  %1: %2 (%3)").arg(row->url().toDisplayString(), row->statusText(), done));
            }
            // Not quit(): that closes the window first, which asks before discarding downloads.
            QCoreApplication::exit(0);
        };
        auto *poll = new QTimer(&window);
        QObject::connect(poll, &QTimer::timeout, &window, [=] {
            if (!ready())
                return;
            poll->stop();
            grab();
        });
        poll->start(20);
        // Bounded: a download that never gets anywhere does not keep a script waiting forever.
        QTimer::singleShot(60000, &window, [=] {
            if (!poll->isActive())
                return;
            poll->stop();
            if (!anyProgress()) {
                print(stderr, QStringLiteral("no screenshot: no download made progress in 60 s"));
                QCoreApplication::exit(1);
                return;
            }
            print(stderr, QStringLiteral("the downloads are slow: screenshot after 60 s"));
            grab();
        });
    }
    return app.exec();
}
