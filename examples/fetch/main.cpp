// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// fetch: a command-line HTTP client on Courier.
//
//   fetch URL [-X METHOD] [-H 'Name: value']... [-d DATA | --data-file F] [-o FILE [-C -] [--sha256 HEX]]
//         [--timeout MS] [-i] [--json | --sse | --ndjson] [--retry N] [-v] [--progress auto|always|never]
//
// The body streams to stdout as it arrives, or to FILE through Client::download(): FILE is
// replaced only by a complete (and, with --sha256, verified) body; -C - resumes a partial
// download, and --retry N resumes after a broken transfer. --json pretty-prints a JSON body. A
// progress bar goes to stderr when it is a terminal. Exit status: 0 on a 2xx/3xx answer, 1 on a
// transport failure, 2 on an HTTP error status, 3 on bad usage. Failures are named on stderr with
// their error number and category.
//
// Live streams: --sse prints each server-sent event as it arrives. A GET follows the stream with an
// EventSource, which reconnects when it drops (Last-Event-ID, the server's retry:) until Ctrl-C or
// the server stops it; a request with a body (-d, a POST to a language-model API, say) is read
// once with an EventStreamReader, since repeating it could start the work anew. --ndjson prints
// each JSON line compactly as it arrives, names a line that is no JSON on stderr and then exits
// with 4. Ctrl-C (or SIGTERM) ends a stream with what arrived printed: exit status 0 (4 after a
// bad line).

#include "progressbar.h"

#include <Courier/Client>
#include <Courier/CookieJar>
#include <Courier/EventSource>
#include <Courier/HttpStatus>
#include <Courier/StreamReader>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QMetaEnum>
#include <QtCore/QTimer>
#if defined(Q_OS_UNIX)
#include <QtCore/QSocketNotifier>
#endif

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <functional>
#if defined(Q_OS_WIN)
#include <fcntl.h>
#include <io.h>
#else
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Courier;

namespace {

// Bodies pass through stdin and stdout byte for byte: Windows would otherwise turn \n into \r\n.
void useBinaryStandardStreams()
{
#if defined(Q_OS_WIN)
    ::_setmode(::_fileno(stdin), _O_BINARY);
    ::_setmode(::_fileno(stdout), _O_BINARY);
#endif
}

bool stderrIsTerminal()
{
#if defined(Q_OS_WIN)
    return ::_isatty(::_fileno(stderr)) != 0;
#else
    return ::isatty(::fileno(stderr)) != 0;
#endif
}

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

template <typename E>
QString keyOf(E value)
{
    return QString::fromLatin1(QMetaEnum::fromType<E>().valueToKey(int(value)));
}

// The status line and headers, as -i prints them.
QByteArray headOf(const Response *response)
{
    QByteArray head = "HTTP " + QByteArray::number(response->statusCode()) + ' ' + response->statusMessage().toUtf8()
        + "\r\n";
    for (const auto &[name, value] : response->headers())
        head += name + ": " + value + "\r\n";
    return head + "\r\n";
}

// A JSON value on one line: objects and arrays compact, and the scalars QJsonDocument cannot hold.
QByteArray compactJson(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

// An event as --sse prints it: in the text/event-stream format itself, its type always, its ID
// when the stream has one, each line of its data, then an empty line.
QByteArray formatEvent(const ServerSentEvent &event)
{
    QByteArray text = "event: " + event.type.toUtf8() + '\n';
    if (!event.lastEventId.isEmpty())
        text += "id: " + event.lastEventId.toUtf8() + '\n';
    for (const QString &line : event.data.split(QLatin1Char('\n')))
        text += line.isEmpty() ? QByteArray("data:\n") : "data: " + line.toUtf8() + '\n';
    return text + '\n';
}

#if defined(Q_OS_UNIX)
int signalPipe[2] = {-1, -1};

void writeToSignalPipe(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}
#endif

// Calls \a stop, from the event loop, when the user presses Ctrl-C (SIGINT) or the process is asked
// to end (SIGTERM). Elsewhere than on Unix the signals keep their default action.
void onInterrupt(QObject *context, const std::function<void()> &stop)
{
#if defined(Q_OS_UNIX)
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [notifier, stop] {
        notifier->setEnabled(false);
        stop();
    });
    std::signal(SIGINT, writeToSignalPipe);
    std::signal(SIGTERM, writeToSignalPipe);
#else
    Q_UNUSED(context);
    Q_UNUSED(stop);
#endif
}

// --sse on a GET: an EventSource prints each event until Ctrl-C or the stream fails for good.
// Returns the exit status: 0 when the user or the server (204) stopped it, 2 when the stream was
// refused with an error status, 1 when it failed otherwise.
int followEventSource(Client &client, const Request &request, QFile &out, bool include, bool verbose)
{
    EventSource source(&client, request);
    int status = 0;
    QObject::connect(&source, &EventSource::opened, &source, [&] {
        if (verbose)
            printErr(QStringLiteral("* stream open: ") + source.url().toDisplayString());
        if (include && source.response()) {
            out.write(headOf(source.response()));
            out.flush();
        }
    });
    QObject::connect(&source, &EventSource::eventReceived, &source, [&](const ServerSentEvent &event) {
        out.write(formatEvent(event));
        out.flush();
    });
    QObject::connect(&source, &EventSource::errorOccurred, &source, [&] {
        if (source.readyState() == EventSource::Connecting) {
            printErr(QStringLiteral("fetch: %1; reconnecting").arg(source.errorString()));
            return;
        }
        printErr(QStringLiteral("fetch: the stream ended: ") + source.errorString());
        // 204 is the server's "stop": a success. A refusal by status is an HTTP error, the rest a failure.
        const int code = source.statusCode();
        status = code == 204 ? 0 : code >= 400 ? 2 : 1;
        QCoreApplication::quit();
    });
    if (verbose) {
        QObject::connect(&source, &EventSource::reconnecting, &source, [](int attempt, int delayMs) {
            printErr(QStringLiteral("* reconnecting: attempt %1 after %2 ms").arg(attempt).arg(delayMs));
        });
    }
    onInterrupt(&source, [&] {
        source.close();
        QCoreApplication::quit();
    });
    source.open();
    QCoreApplication::exec();
    return status;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fetch"));
    useBinaryStandardStreams();

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Fetches a URL with Courier. The body goes to stdout or to FILE; progress to stderr.\n"
                       "-d data that looks like JSON ({...} or [...]) is sent as application/json, other data as\n"
                       "application/x-www-form-urlencoded, unless -H sets Content-Type.\n"
                       "Ctrl-C ends --sse and --ndjson streams with what arrived printed (exit status 0).\n"
                       "Exit status: 0 success, 1 transport failure, 2 HTTP error status, 3 bad usage,\n"
                       "4 a line that is no JSON (--ndjson)."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("The http or https URL to fetch."));
    const QCommandLineOption methodOption({QStringLiteral("X"), QStringLiteral("request")},
                                          QStringLiteral("The method (default GET, or POST with data)."),
                                          QStringLiteral("METHOD"));
    const QCommandLineOption headerOption({QStringLiteral("H"), QStringLiteral("header")},
                                          QStringLiteral("A request header, 'Name: value'. Repeatable."),
                                          QStringLiteral("HEADER"));
    const QCommandLineOption dataOption({QStringLiteral("d"), QStringLiteral("data")},
                                        QStringLiteral("The request body."), QStringLiteral("DATA"));
    const QCommandLineOption dataFileOption(
        QStringLiteral("data-file"), QStringLiteral("Stream the request body from a file ('-': standard input)."),
        QStringLiteral("FILE"));
    const QCommandLineOption outputOption(
        {QStringLiteral("o"), QStringLiteral("output")},
        QStringLiteral("Write the body to FILE, through FILE.part: FILE is replaced only "
                       "by a complete body."),
        QStringLiteral("FILE"));
    const QCommandLineOption continueOption({QStringLiteral("C"), QStringLiteral("continue-at")},
                                            QStringLiteral("'-': continue the partial download FILE.part left by an "
                                                           "earlier -o FILE (Range and If-Range)."),
                                            QStringLiteral("-"));
    const QCommandLineOption sha256Option(
        QStringLiteral("sha256"),
        QStringLiteral("With -o: the SHA-256 (hex) the file must have; else it is not "
                       "written."),
        QStringLiteral("HEX"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"),
        QStringLiteral("Ask for JSON and pretty-print the body; a body that is not JSON "
                       "is printed as it came, with a warning (not with -o)."));
    const QCommandLineOption sseOption(
        QStringLiteral("sse"),
        QStringLiteral("Print each server-sent event as it arrives (event, id, data lines). A GET reconnects "
                       "when the stream drops, with Last-Event-ID, until Ctrl-C (exit status 0) or until the "
                       "server stops it (204) or refuses it (exit status 1); a request with a body (-d) is "
                       "read once."));
    const QCommandLineOption ndjsonOption(
        QStringLiteral("ndjson"),
        QStringLiteral("Print each line of JSON lines (NDJSON) compactly as it arrives; a line that is no "
                       "JSON is named on stderr and the exit status is 4."));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
                                           QStringLiteral("Give up after MS milliseconds in all (0: never)."),
                                           QStringLiteral("MS"));
    const QCommandLineOption includeOption({QStringLiteral("i"), QStringLiteral("include")},
                                           QStringLiteral("Print the status line and headers before the body."));
    const QCommandLineOption progressOption(QStringLiteral("progress"),
                                            QStringLiteral("Progress bar: auto (on a terminal), always or never."),
                                            QStringLiteral("WHEN"), QStringLiteral("auto"));
    const QCommandLineOption connectTimeoutOption(
        QStringLiteral("connect-timeout"), QStringLiteral("Give up connecting after MS milliseconds (0: never)."),
        QStringLiteral("MS"));
    const QCommandLineOption maxRedirsOption(QStringLiteral("max-redirs"),
                                             QStringLiteral("Follow at most N redirects (default 50; 0: none)."),
                                             QStringLiteral("N"));
    const QCommandLineOption insecureRedirectOption(QStringLiteral("allow-insecure-redirect"),
                                                    QStringLiteral("Follow redirects from https to http."));
    const QCommandLineOption userOption({QStringLiteral("u"), QStringLiteral("user")},
                                        QStringLiteral("Credentials for Basic or Digest authentication."),
                                        QStringLiteral("USER:PASSWORD"));
    const QCommandLineOption basicOption(
        QStringLiteral("basic"),
        QStringLiteral("Send -u credentials as Basic at once, without waiting for a challenge."));
    const QCommandLineOption bearerOption(QStringLiteral("oauth2-bearer"),
                                          QStringLiteral("Send 'Authorization: Bearer TOKEN'."),
                                          QStringLiteral("TOKEN"));
    const QCommandLineOption cacertOption(QStringLiteral("cacert"),
                                          QStringLiteral("Trust the CA certificates in FILE (PEM) too."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption pinOption(
        QStringLiteral("pinnedpubkey"),
        QStringLiteral("Accept only a server whose chain has this key (sha256//BASE64)."), QStringLiteral("PIN"));
    const QCommandLineOption certOption(
        QStringLiteral("cert"), QStringLiteral("Client certificate (PEM) for mutual TLS."), QStringLiteral("FILE"));
    const QCommandLineOption keyOption(QStringLiteral("key"), QStringLiteral("Private key (PEM) of --cert."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption passOption(QStringLiteral("pass"), QStringLiteral("Passphrase of --key."),
                                        QStringLiteral("PHRASE"));
    const QCommandLineOption http11Option(QStringLiteral("http1.1"), QStringLiteral("Speak HTTP/1.1 only."));
    const QCommandLineOption http2Option(QStringLiteral("http2"),
                                         QStringLiteral("Offer HTTP/2 through ALPN (the default)."));
    const QCommandLineOption priorKnowledgeOption(QStringLiteral("http2-prior-knowledge"),
                                                  QStringLiteral("Speak HTTP/2 from the first byte (h2c on http)."));
    const QCommandLineOption cookieOption({QStringLiteral("b"), QStringLiteral("cookie")},
                                          QStringLiteral("Send the cookies of FILE, a cookies.txt as curl writes it."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption cookieJarOption({QStringLiteral("c"), QStringLiteral("cookie-jar")},
                                             QStringLiteral("Save all cookies to FILE (cookies.txt) afterwards."),
                                             QStringLiteral("FILE"));
    const QCommandLineOption retryOption(QStringLiteral("retry"),
                                         QStringLiteral("Retry up to N times on transient errors and 408/429/5xx; with "
                                                        "-o, also resume up to N times after a broken transfer."),
                                         QStringLiteral("N"));
    const QCommandLineOption maxFilesizeOption(QStringLiteral("max-filesize"),
                                               QStringLiteral("Refuse a response body larger than BYTES."),
                                               QStringLiteral("BYTES"));
    const QCommandLineOption engineOption(
        QStringLiteral("engine"), QStringLiteral("The HTTP engine: qt or curl (default: Courier's default engine)."),
        QStringLiteral("ENGINE"));
    const QCommandLineOption verboseOption(
        {QStringLiteral("v"), QStringLiteral("verbose")},
        QStringLiteral("Print the protocol and the timeline of the request to stderr."));
    parser.addOptions({methodOption,
                       headerOption,
                       dataOption,
                       dataFileOption,
                       outputOption,
                       timeoutOption,
                       includeOption,
                       progressOption,
                       connectTimeoutOption,
                       maxRedirsOption,
                       insecureRedirectOption,
                       userOption,
                       basicOption,
                       bearerOption,
                       cacertOption,
                       pinOption,
                       certOption,
                       keyOption,
                       passOption,
                       http11Option,
                       http2Option,
                       priorKnowledgeOption,
                       cookieOption,
                       cookieJarOption,
                       retryOption,
                       maxFilesizeOption,
                       verboseOption,
                       continueOption,
                       sha256Option,
                       jsonOption,
                       sseOption,
                       ndjsonOption,
                       engineOption});
    parser.process(app);

    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("give exactly one URL"));
    if (parser.isSet(dataOption) && parser.isSet(dataFileOption))
        return usageError(QStringLiteral("-d and --data-file cannot be combined"));
    const bool toFile = parser.isSet(outputOption);
    if (parser.isSet(continueOption) && parser.value(continueOption) != QLatin1String("-"))
        return usageError(QStringLiteral("-C takes '-': the offset is the partial file's size"));
    if ((parser.isSet(continueOption) || parser.isSet(sha256Option)) && !toFile)
        return usageError(QStringLiteral("-C and --sha256 need -o FILE"));
    if (parser.isSet(jsonOption) && toFile)
        return usageError(QStringLiteral("--json prints to stdout: it cannot be combined with -o"));
    const bool sse = parser.isSet(sseOption);
    const bool ndjson = parser.isSet(ndjsonOption);
    if (int(parser.isSet(jsonOption)) + int(sse) + int(ndjson) > 1)
        return usageError(QStringLiteral("choose one of --json, --sse and --ndjson"));
    if ((sse || ndjson) && toFile)
        return usageError(QStringLiteral("--sse and --ndjson print to stdout: they cannot be combined with -o"));
    const QByteArray sha = parser.value(sha256Option).toLatin1().trimmed();
    if (parser.isSet(sha256Option) && (sha.size() != 64 || QByteArray::fromHex(sha).toHex() != sha.toLower()))
        return usageError(QStringLiteral("--sha256 takes 64 hexadecimal digits"));

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
        const bool standardInput = parser.value(dataFileOption) == QLatin1String("-");
        dataFile.setFileName(parser.value(dataFileOption));
        if (standardInput ? !dataFile.open(stdin, QIODevice::ReadOnly) : !dataFile.open(QIODevice::ReadOnly))
            return usageError(QStringLiteral("cannot read %1: %2").arg(dataFile.fileName(), dataFile.errorString()));
        request.setBodyDevice(&dataFile);
    }
    // A non-negative number given to \a option, -1 when it is absent, -2 when it is not a number.
    const auto number = [&parser](const QCommandLineOption &option) {
        if (!parser.isSet(option))
            return -1;
        bool ok = false;
        const int n = parser.value(option).toInt(&ok);
        return ok && n >= 0 ? n : -2;
    };
    const int totalMs = number(timeoutOption);
    const int connectMs = number(connectTimeoutOption);
    const int maxRedirs = number(maxRedirsOption);
    const int retries = number(retryOption);
    if (totalMs == -2 || connectMs == -2 || maxRedirs == -2 || retries == -2)
        return usageError(
            QStringLiteral("--timeout, --connect-timeout, --max-redirs and --retry take a non-negative number"));
    if (retries > 0)
        request.setRetryPolicy(RetryPolicy(retries + 1));
    if (parser.isSet(maxFilesizeOption)) {
        bool ok = false;
        const qint64 limit = parser.value(maxFilesizeOption).toLongLong(&ok);
        if (!ok || limit <= 0)
            return usageError(QStringLiteral("--max-filesize takes a positive number of bytes"));
        request.setMaximumBodySize(limit);
    }
    // The body is written out as it arrives: a bounded buffer keeps memory flat for any size.
    request.setReadBufferSize(1024 * 1024);
    if (totalMs >= 0)
        request.setTotalTimeout(totalMs);
    if (connectMs >= 0)
        request.setConnectTimeout(connectMs);
    if (maxRedirs >= 0)
        request.setMaximumRedirects(maxRedirs);
    if (parser.isSet(insecureRedirectOption))
        request.setInsecureRedirectsAllowed(true);

    if (parser.isSet(userOption)) {
        const QString credentials = parser.value(userOption);
        const qsizetype colon = credentials.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            return usageError(QStringLiteral("-u takes USER:PASSWORD"));
        request.setCredentials(credentials.left(colon), credentials.mid(colon + 1));
        request.setPreemptiveAuthentication(parser.isSet(basicOption));
    }
    if (parser.isSet(bearerOption))
        request.setBearerToken(parser.value(bearerOption).toUtf8());

    TlsOptions tls;
    if (parser.isSet(cacertOption) && !tls.addCaCertificatesFromFile(parser.value(cacertOption)))
        return usageError(QStringLiteral("no PEM certificate can be read from ") + parser.value(cacertOption));
    if (parser.isSet(pinOption) && !tls.addPinnedPublicKey(parser.value(pinOption).toLatin1()))
        return usageError(QStringLiteral("--pinnedpubkey takes sha256// and the base64 of a SHA-256"));
    if (parser.isSet(certOption) != parser.isSet(keyOption))
        return usageError(QStringLiteral("--cert and --key go together"));
    if (parser.isSet(certOption)) {
        QFile certificate(parser.value(certOption));
        QFile key(parser.value(keyOption));
        if (!certificate.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly)
            || !tls.setClientCertificateFromPem(certificate.readAll(), key.readAll(),
                                                parser.value(passOption).toUtf8()))
            return usageError(
                QStringLiteral("cannot read the client certificate and key (or the passphrase is wrong)"));
    }
    if (!tls.isDefault())
        request.setTlsOptions(tls);

    if (int(parser.isSet(http11Option)) + int(parser.isSet(http2Option)) + int(parser.isSet(priorKnowledgeOption)) > 1)
        return usageError(QStringLiteral("choose one of --http1.1, --http2 and --http2-prior-knowledge"));
    if (parser.isSet(http11Option))
        request.setProtocol(Request::Protocol::Http1);
    else if (parser.isSet(http2Option))
        request.setProtocol(Request::Protocol::Http2);
    else if (parser.isSet(priorKnowledgeOption))
        request.setProtocol(Request::Protocol::Http2PriorKnowledge);

    const QString progressWhen = parser.value(progressOption);
    if (progressWhen != QLatin1String("auto") && progressWhen != QLatin1String("always")
        && progressWhen != QLatin1String("never"))
        return usageError(QStringLiteral("--progress takes auto, always or never"));
    // A stream's items share the terminal with stderr: no bar there unless asked for.
    const bool showProgress = progressWhen == QLatin1String("always")
        || (progressWhen == QLatin1String("auto") && stderrIsTerminal() && !sse && !ndjson);

    if (parser.isSet(jsonOption)) {
        request.setExpectedDataType(Request::DataType::Json);
        if (!request.hasHeader("Accept"))
            request.setHeader("Accept", "application/json");
    }
    if (ndjson && !request.hasHeader("Accept"))
        request.setHeader("Accept", "application/x-ndjson, application/jsonl;q=0.9, */*;q=0.8");
    // An EventSource adds its own Accept; a request read once asks for the stream here.
    if (sse && !request.hasHeader("Accept"))
        request.setHeader("Accept", "text/event-stream");

    QFile stdoutFile;
    stdoutFile.open(stdout, QIODevice::WriteOnly);
    DownloadOptions download;
    download.setResume(parser.isSet(continueOption));
    download.setSha256(sha);

    Client::Engine engine = Client::defaultEngine();
    if (parser.isSet(engineOption)) {
        const QString name = parser.value(engineOption);
        if (name == QLatin1String("qt"))
            engine = Client::Engine::Qt;
        else if (name == QLatin1String("curl") && Client::isEngineAvailable(Client::Engine::Curl))
            engine = Client::Engine::Curl;
        else
            return usageError(
                QStringLiteral("--engine: \"%1\" is not an engine of this build (qt%2)")
                    .arg(name, Client::isEngineAvailable(Client::Engine::Curl) ? QStringLiteral(", curl") : QString()));
    }
    Client client(engine);
    CookieJar jar;
    if (parser.isSet(cookieOption) && !jar.load(parser.value(cookieOption)))
        return usageError(jar.errorString());
    client.setCookieJar(&jar);
    if (sse && request.method() == "GET" && !hasData) {
        const int status = followEventSource(client, request, stdoutFile, parser.isSet(includeOption),
                                             parser.isSet(verboseOption));
        if (parser.isSet(cookieJarOption) && !jar.save(parser.value(cookieJarOption)))
            printErr(QStringLiteral("fetch: ") + jar.errorString());
        return status;
    }
    ProgressBar bar(stderr);
    bool writeFailed = false;
    Response *response = nullptr;
    int resumesLeft = std::max(retries, 0);
    // --sse and --ndjson read once: a reader takes a 2xx body; Ctrl-C aborts the request.
    StreamReader *reader = nullptr;
    QMetaObject::Connection copyBody;
    qint64 badLines = 0;
    bool interrupted = false;
    if (sse || ndjson) {
        onInterrupt(&app, [&] {
            interrupted = true;
            if (response)
                response->abort();
        });
    }

    // One attempt; with -o, a broken transfer starts another that resumes where this one ended.
    std::function<void()> attempt = [&] {
        response = toFile ? client.download(request, parser.value(outputOption), download) : client.send(request);
        QObject::connect(response, &Response::headersReceived, response, [&] {
            if (parser.isSet(includeOption)) {
                stdoutFile.write(headOf(response)); // with -o, the head goes to stdout and the body to FILE
                stdoutFile.flush();
            }
            if (!(sse || ndjson) || reader || !response->isHttpSuccess())
                return; // an error status's body is copied as it came
            QObject::disconnect(copyBody);
            if (sse) {
                auto *events = new EventStreamReader(response);
                QObject::connect(events, &EventStreamReader::eventReceived, events, [&](const ServerSentEvent &e) {
                    if (stdoutFile.write(formatEvent(e)) < 0)
                        writeFailed = true;
                    stdoutFile.flush();
                });
                reader = events;
            } else {
                auto *lines = new JsonLinesReader(response);
                QObject::connect(lines, &JsonLinesReader::valueReceived, lines, [&](const QJsonValue &value) {
                    if (stdoutFile.write(compactJson(value) + '\n') < 0)
                        writeFailed = true;
                    stdoutFile.flush();
                });
                QObject::connect(lines, &JsonLinesReader::parseErrorOccurred, lines,
                                 [&](qint64, const QString &errorString) {
                                     ++badLines;
                                     printErr(QStringLiteral("fetch: --ndjson: ") + errorString);
                                 });
                reader = lines;
            }
            QObject::connect(reader, &StreamReader::finished, &app, &QCoreApplication::quit);
        });
        if (!parser.isSet(jsonOption)) {
            copyBody = QObject::connect(response, &QIODevice::readyRead, response, [&] {
                while (response->bytesAvailable() > 0) {
                    const QByteArray chunk = response->read(64 * 1024);
                    if (stdoutFile.write(chunk) != chunk.size())
                        writeFailed = true;
                }
                stdoutFile.flush();
            });
        }
        if (parser.isSet(verboseOption)) {
            QObject::connect(response, &Response::retrying, response, [](int n, int delayMs) {
                printErr(QStringLiteral("* attempt %1 in %2 ms").arg(n).arg(delayMs));
            });
        }
        if (showProgress) {
            QObject::connect(response, &Response::downloadProgress, response,
                             [&](qint64 received, qint64 total) { bar.update(received, total); });
            QObject::connect(response, &Response::uploadProgress, response,
                             [&](qint64 sent, qint64 total) { bar.update(sent, total); });
        }
        QObject::connect(response, &Response::finished, &app, [&] {
            if (reader && !reader->isFinished())
                return; // the reader's finished() follows, after the last item
            const bool broken = response->hasTransportError() && response->category() == Response::Network;
            if (!toFile || !broken || resumesLeft-- <= 0) {
                QCoreApplication::quit();
                return;
            }
            printErr(QStringLiteral("fetch: %1; resuming").arg(response->errorString()));
            download.setResume(true);
            response->deleteLater();
            QTimer::singleShot(1000, &app, attempt);
        });
    };
    attempt();
    app.exec();

    if (parser.isSet(jsonOption)) {
        QString why;
        const QJsonValue json = response->json(&why);
        if (!why.isEmpty() || response->error() != Response::NoError) {
            stdoutFile.write(response->body()); // as it came
            if (!why.isEmpty() && !response->hasTransportError())
                printErr(QStringLiteral("fetch: --json: ") + why);
        } else if (json.isObject() || json.isArray()) {
            stdoutFile.write(json.isObject() ? QJsonDocument(json.toObject()).toJson(QJsonDocument::Indented)
                                             : QJsonDocument(json.toArray()).toJson(QJsonDocument::Indented));
        } else {
            stdoutFile.write(compactJson(json) + '\n');
        }
    } else if (!toFile) {
        stdoutFile.write(response->readAll());
    }
    stdoutFile.flush();
    if (parser.isSet(verboseOption)) {
        printErr(QStringLiteral("* engine: %1")
                     .arg(client.engine() == Client::Engine::Curl ? QStringLiteral("curl") : QStringLiteral("qt")));
        printErr(QStringLiteral("* protocol: %1").arg(keyOf(response->protocol())));
        if (response->resumedFrom() > 0)
            printErr(QStringLiteral("* resumed from byte %1").arg(response->resumedFrom()));
        for (const TimelineEvent &event : response->timeline())
            printErr(
                QStringLiteral("* %1 ms %2 %3").arg(event.msecs, 6).arg(event.name(), event.url.toDisplayString()));
    }
    if (showProgress)
        bar.finish(response->bytesReceived(),
                   response->isComplete() ? response->bytesReceived() : response->bytesTotal());

    if (parser.isSet(cookieJarOption) && !jar.save(parser.value(cookieJarOption)))
        printErr(QStringLiteral("fetch: ") + jar.errorString());

    if (interrupted)
        return badLines > 0 ? 4 : 0; // the user ended the stream
    const QString errorName = QStringLiteral("error %1 %2 (%3)")
                                  .arg(int(response->error()))
                                  .arg(keyOf(response->error()), keyOf(response->category()));
    if (response->hasTransportError()) {
        printErr(QStringLiteral("fetch: %1: %2").arg(errorName, response->errorString()));
        if (toFile && QFile::exists(parser.value(outputOption) + QStringLiteral(".part")))
            printErr(QStringLiteral("fetch: the partial download is kept; -C - continues it"));
        return 1;
    }
    if (writeFailed) {
        printErr(QStringLiteral("fetch: cannot write the output: ") + stdoutFile.errorString());
        return 1;
    }
    if (response->error() != Response::NoError) {
        printErr(QStringLiteral("fetch: HTTP %1 %2: %3")
                     .arg(response->statusCode())
                     .arg(response->statusMessage(), errorName));
        return 2;
    }
    if (badLines > 0) {
        printErr(QStringLiteral("fetch: --ndjson: %1 line(s) were no JSON").arg(badLines));
        return 4;
    }
    return 0;
}
