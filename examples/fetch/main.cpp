// fetch: a command-line HTTP client on Courier.
//
//   fetch URL [-X METHOD] [-H 'Name: value']... [-d DATA | --data-file F] [-o FILE]
//         [--timeout MS] [-i] [--progress auto|always|never]
//
// The body streams to stdout (or FILE) as it arrives; a progress bar goes to stderr when it is a
// terminal. Exit status: 0 on a 2xx/3xx answer, 1 on a transport failure, 2 on an HTTP error
// status, 3 on bad usage. Failures are named on stderr with their error number and category.

#include "progressbar.h"

#include <Courier/Client>
#include <Courier/HttpStatus>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QMetaEnum>
#include <QtCore/QSaveFile>

#include <cstdio>
#include <unistd.h>

using namespace Courier;

namespace {

void printErr(const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fputc('\n', stderr);
}

int usageError(const QString &message)
{
    printErr(QStringLiteral("fetch: ") + message);
    printErr(QStringLiteral("Try 'fetch --help'."));
    return 3;
}

template<typename E>
QString keyOf(E value)
{
    return QString::fromLatin1(QMetaEnum::fromType<E>().valueToKey(int(value)));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fetch"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Fetches a URL with Courier. The body goes to stdout or to FILE; progress to stderr.\n"
        "-d data that looks like JSON ({...} or [...]) is sent as application/json, other data as\n"
        "application/x-www-form-urlencoded, unless -H sets Content-Type.\n"
        "Exit status: 0 success, 1 transport failure, 2 HTTP error status, 3 bad usage."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("The http or https URL to fetch."));
    const QCommandLineOption methodOption({QStringLiteral("X"), QStringLiteral("request")},
                                          QStringLiteral("The method (default GET, or POST with data)."), QStringLiteral("METHOD"));
    const QCommandLineOption headerOption({QStringLiteral("H"), QStringLiteral("header")},
                                          QStringLiteral("A request header, 'Name: value'. Repeatable."), QStringLiteral("HEADER"));
    const QCommandLineOption dataOption({QStringLiteral("d"), QStringLiteral("data")}, QStringLiteral("The request body."),
                                        QStringLiteral("DATA"));
    const QCommandLineOption dataFileOption(QStringLiteral("data-file"),
                                            QStringLiteral("Stream the request body from a file."), QStringLiteral("FILE"));
    const QCommandLineOption outputOption({QStringLiteral("o"), QStringLiteral("output")},
                                          QStringLiteral("Write the body to FILE (replaced only when the transfer succeeds)."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
                                           QStringLiteral("Give up after MS milliseconds in all (0: never)."), QStringLiteral("MS"));
    const QCommandLineOption includeOption({QStringLiteral("i"), QStringLiteral("include")},
                                           QStringLiteral("Print the status line and headers before the body."));
    const QCommandLineOption progressOption(QStringLiteral("progress"),
                                            QStringLiteral("Progress bar: auto (on a terminal), always or never."),
                                            QStringLiteral("WHEN"), QStringLiteral("auto"));
    parser.addOptions({methodOption, headerOption, dataOption, dataFileOption, outputOption, timeoutOption,
                       includeOption, progressOption});
    parser.process(app);

    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("give exactly one URL"));
    if (parser.isSet(dataOption) && parser.isSet(dataFileOption))
        return usageError(QStringLiteral("-d and --data-file cannot be combined"));

    Request request(QUrl::fromUserInput(parser.positionalArguments().constFirst()));
    if (parser.positionalArguments().constFirst().contains(QLatin1String("://")))
        request.setUrl(QUrl(parser.positionalArguments().constFirst()));
    const bool hasData = parser.isSet(dataOption) || parser.isSet(dataFileOption);
    request.setMethod(parser.isSet(methodOption) ? parser.value(methodOption).toLatin1()
                                                 : QByteArray(hasData ? "POST" : "GET"));
    for (const QString &header : parser.values(headerOption)) {
        const qsizetype colon = header.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            return usageError(QStringLiteral("a header must look like 'Name: value': ") + header);
        request.addHeader(header.left(colon).trimmed().toLatin1(), header.mid(colon + 1).trimmed().toUtf8());
    }

    QFile dataFile;
    if (parser.isSet(dataOption)) {
        const QByteArray data = parser.value(dataOption).toUtf8();
        const QByteArray trimmed = data.trimmed();
        const bool looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
        request.setBody(data, looksJson ? "application/json" : "application/x-www-form-urlencoded");
    } else if (parser.isSet(dataFileOption)) {
        dataFile.setFileName(parser.value(dataFileOption));
        if (!dataFile.open(QIODevice::ReadOnly))
            return usageError(QStringLiteral("cannot read %1: %2").arg(dataFile.fileName(), dataFile.errorString()));
        request.setBodyDevice(&dataFile);
    }
    if (parser.isSet(timeoutOption)) {
        bool ok = false;
        const int ms = parser.value(timeoutOption).toInt(&ok);
        if (!ok || ms < 0)
            return usageError(QStringLiteral("--timeout takes a number of milliseconds"));
        request.setTotalTimeout(ms);
    }

    const QString progressWhen = parser.value(progressOption);
    if (progressWhen != QLatin1String("auto") && progressWhen != QLatin1String("always") && progressWhen != QLatin1String("never"))
        return usageError(QStringLiteral("--progress takes auto, always or never"));
    const bool showProgress = progressWhen == QLatin1String("always")
        || (progressWhen == QLatin1String("auto") && isatty(fileno(stderr)));

    QFile stdoutFile;
    stdoutFile.open(stdout, QIODevice::WriteOnly);
    QSaveFile saveFile;
    QIODevice *out = &stdoutFile;
    if (parser.isSet(outputOption)) {
        saveFile.setFileName(parser.value(outputOption));
        if (!saveFile.open(QIODevice::WriteOnly))
            return usageError(QStringLiteral("cannot write %1: %2").arg(saveFile.fileName(), saveFile.errorString()));
        out = &saveFile;
    }

    Client client;
    Response *response = client.send(request);
    ProgressBar bar(stderr);
    bool writeFailed = false;

    QObject::connect(response, &Response::headersReceived, response, [&] {
        if (!parser.isSet(includeOption))
            return;
        QByteArray head = "HTTP " + QByteArray::number(response->statusCode()) + ' ' + response->statusMessage().toUtf8() + "\r\n";
        for (const auto &[name, value] : response->headers())
            head += name + ": " + value + "\r\n";
        out->write(head + "\r\n");
    });
    QObject::connect(response, &QIODevice::readyRead, response, [&] {
        while (response->bytesAvailable() > 0) {
            const QByteArray chunk = response->read(64 * 1024);
            if (out->write(chunk) != chunk.size())
                writeFailed = true;
        }
        if (out == &stdoutFile)
            stdoutFile.flush();
    });
    if (showProgress) {
        QObject::connect(response, &Response::downloadProgress, response,
                         [&](qint64 received, qint64 total) { bar.update(received, total); });
        QObject::connect(response, &Response::uploadProgress, response,
                         [&](qint64 sent, qint64 total) { bar.update(sent, total); });
    }
    QObject::connect(response, &Response::finished, &app, &QCoreApplication::quit);
    app.exec();

    out->write(response->readAll());
    if (showProgress)
        bar.finish(response->bytesReceived(), response->isComplete() ? response->bytesReceived() : response->bytesTotal());

    const QString errorName = QStringLiteral("error %1 %2 (%3)")
                                  .arg(int(response->error()))
                                  .arg(keyOf(response->error()), keyOf(response->category()));
    if (response->hasTransportError()) {
        printErr(QStringLiteral("fetch: %1: %2").arg(errorName, response->errorString()));
        return 1; // QSaveFile discards the partial download
    }
    if (writeFailed || (out == &saveFile && !saveFile.commit())) {
        printErr(QStringLiteral("fetch: cannot write the output: ") + out->errorString());
        return 1;
    }
    if (response->error() != Response::NoError) {
        printErr(QStringLiteral("fetch: HTTP %1 %2: %3").arg(response->statusCode()).arg(response->statusMessage(), errorName));
        return 2;
    }
    return 0;
}
