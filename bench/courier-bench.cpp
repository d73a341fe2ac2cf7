// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// courier-bench: one measurement per run, printed as one line of key=value pairs for bench/run.
//
//   courier-bench small    --engine E --url URL --count N --concurrency C [--protocol P] [--ca PEM]
//   courier-bench download --engine E --url URL [--ca PEM]    (read as it arrives, 1 MiB read buffer)
//   courier-bench upload   --engine E --url URL --file FILE
//   courier-bench inflight --engine E --url URL --count N
//   courier-bench first    --engine E --url https://... --ca PEM
//
// E is courier (a Client on Qt's engine), courier-curl (a Client on the libcurl engine), qnam
// (QNetworkAccessManager and QNetworkReply directly, as an application without Courier would) or
// qnam-curl (the same code over Courier::CurlAccessManager). P is h1 (default), h2c (prior
// knowledge on http) or h2 (ALPN on https).
// Wall time, CPU time (user + system, all threads) and peak RSS are measured by the process itself.
// "first" is an application's first HTTPS request trusting a private CA besides the system's: its
// CPU time counts from before the Client (or manager) is made, TLS set-up included. The raw engines
// then trust the same (the system's CAs and the private one), as an application must ask Qt to.

#include <Courier/Client>
#include <Courier/Response>
#include <Courier/version.h>
#if COURIER_HAS_CURL
#include <Courier/CurlAccessManager>
#endif

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QSslConfiguration>

#include <cstdio>
#include <functional>
#include <sys/resource.h>

using namespace Courier;

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long peakRssKib()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

long currentRssKib()
{
    QFile status(QStringLiteral("/proc/self/statm"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = status.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLong() * 4 : 0; // pages of 4 KiB
}

// Reads and drops the body as it arrives, as an application streaming it somewhere would.
void dropAsItArrives(QIODevice *device)
{
    QObject::connect(device, &QIODevice::readyRead, device, [device] {
        char buffer[64 * 1024];
        while (device->read(buffer, sizeof buffer) > 0) { }
    });
}

struct Options
{
    QString mode;
    QString engine;
    QUrl url;
    int count = 1;
    int concurrency = 1;
    QString protocol = QStringLiteral("h1");
    QByteArray caPem;
    QString file;
};

// One request, whichever engine: started by start(), reports its end once through done(ok).
class Engine
{
public:
    virtual ~Engine() = default;
    virtual void get(const QUrl &url, std::function<void(bool)> done, bool readAsItArrives) = 0;
    virtual void put(const QUrl &url, QIODevice *body, std::function<void(bool)> done) = 0;
};

class CourierEngine : public Engine
{
public:
    explicit CourierEngine(const Options &o, Client::Engine engine)
        : m_client(engine)
    {
        if (o.protocol == QLatin1String("h1"))
            m_client.setProtocol(Request::Protocol::Http1);
        else if (o.protocol == QLatin1String("h2c"))
            m_client.setProtocol(Request::Protocol::Http2PriorKnowledge);
        else
            m_client.setProtocol(Request::Protocol::Http2);
        if (!o.caPem.isEmpty()) {
            TlsOptions tls;
            tls.addCaCertificatesFromPem(o.caPem);
            m_client.setTlsOptions(tls);
        }
        m_client.setReadTimeout(0);
    }
    void get(const QUrl &url, std::function<void(bool)> done, bool readAsItArrives) override
    {
        Request request(url);
        if (readAsItArrives)
            request.setReadBufferSize(1024 * 1024);
        finish(m_client.send(request), std::move(done), readAsItArrives);
    }
    void put(const QUrl &url, QIODevice *body, std::function<void(bool)> done) override
    {
        Request request(url, "PUT");
        request.setBodyDevice(body, -1, "application/octet-stream");
        finish(m_client.send(request), std::move(done), false);
    }

private:
    static void finish(Response *r, std::function<void(bool)> done, bool readAsItArrives)
    {
        if (readAsItArrives)
            dropAsItArrives(r);
        QObject::connect(r, &Response::finished, r, [r, done] {
            r->readAll();
            const bool ok = !r->hasTransportError() && r->statusCode() < 400;
            r->deleteLater();
            done(ok);
        });
    }
    Client m_client;
};

class QnamEngine : public Engine
{
public:
    QnamEngine(const Options &o, std::unique_ptr<QNetworkAccessManager> manager)
        : m_options(o)
        , m_manager(std::move(manager))
    {
        if (!o.caPem.isEmpty()) {
            m_ssl = QSslConfiguration::defaultConfiguration();
            if (o.mode == QLatin1String("first"))
                m_ssl.setCaCertificates(QSslConfiguration::systemCaCertificates() + QSslCertificate::fromData(o.caPem));
            else
                m_ssl.addCaCertificates(QSslCertificate::fromData(o.caPem));
        }
        m_manager->setAutoDeleteReplies(false);
    }
    void get(const QUrl &url, std::function<void(bool)> done, bool readAsItArrives) override
    {
        QNetworkReply *reply = m_manager->get(request(url));
        if (readAsItArrives)
            reply->setReadBufferSize(1024 * 1024); // bounded memory, as Courier's download is run
        finish(reply, std::move(done), readAsItArrives);
    }
    void put(const QUrl &url, QIODevice *body, std::function<void(bool)> done) override
    {
        QNetworkRequest r = request(url);
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
        finish(m_manager->put(r, body), std::move(done), false);
    }

private:
    QNetworkRequest request(const QUrl &url) const
    {
        QNetworkRequest r(url);
        if (m_options.protocol == QLatin1String("h1"))
            r.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        else if (m_options.protocol == QLatin1String("h2c"))
            r.setAttribute(QNetworkRequest::Http2DirectAttribute, true);
        else
            r.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
        if (!m_options.caPem.isEmpty())
            r.setSslConfiguration(m_ssl);
        return r;
    }
    static void finish(QNetworkReply *reply, std::function<void(bool)> done, bool readAsItArrives)
    {
        if (readAsItArrives)
            dropAsItArrives(reply);
        QObject::connect(reply, &QNetworkReply::finished, reply, [reply, done] {
            reply->readAll();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const bool ok = reply->error() == QNetworkReply::NoError && status < 400;
            reply->deleteLater();
            done(ok);
        });
    }
    Options m_options;
    std::unique_ptr<QNetworkAccessManager> m_manager;
    QSslConfiguration m_ssl;
};

void report(const Options &o, qint64 requests, int errors, double seconds, double cpu, qint64 bytes,
            const QString &extra = {})
{
    std::printf("mode=%s engine=%s protocol=%s concurrency=%d requests=%lld errors=%d seconds=%.4f cpu=%.4f "
                "bytes=%lld peak_rss_kib=%ld%s%s\n",
                qPrintable(o.mode), qPrintable(o.engine), qPrintable(o.protocol), o.concurrency, requests, errors,
                seconds, cpu, bytes, peakRssKib(), extra.isEmpty() ? "" : " ", qPrintable(extra));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("mode"), QStringLiteral("small, download, upload, inflight or first"));
    const QCommandLineOption engineOption(QStringLiteral("engine"),
                                          QStringLiteral("courier, courier-curl, qnam or qnam-curl"),
                                          QStringLiteral("E"), QStringLiteral("courier"));
    const QCommandLineOption urlOption(QStringLiteral("url"), QStringLiteral("URL"), QStringLiteral("URL"));
    const QCommandLineOption countOption(QStringLiteral("count"), QStringLiteral("requests"), QStringLiteral("N"),
                                         QStringLiteral("1"));
    const QCommandLineOption concurrencyOption(QStringLiteral("concurrency"), QStringLiteral("in flight"),
                                               QStringLiteral("C"), QStringLiteral("1"));
    const QCommandLineOption protocolOption(QStringLiteral("protocol"), QStringLiteral("h1, h2c or h2"),
                                            QStringLiteral("P"), QStringLiteral("h1"));
    const QCommandLineOption caOption(QStringLiteral("ca"), QStringLiteral("CA certificate (PEM)"),
                                      QStringLiteral("FILE"));
    const QCommandLineOption fileOption(QStringLiteral("file"), QStringLiteral("body to upload"),
                                        QStringLiteral("FILE"));
    parser.addOptions({engineOption, urlOption, countOption, concurrencyOption, protocolOption, caOption, fileOption});
    parser.process(app);

    Options o;
    o.mode = parser.positionalArguments().value(0);
    o.engine = parser.value(engineOption);
    o.url = QUrl(parser.value(urlOption));
    o.count = parser.value(countOption).toInt();
    o.concurrency = std::max(1, parser.value(concurrencyOption).toInt());
    o.protocol = parser.value(protocolOption);
    o.file = parser.value(fileOption);
    if (parser.isSet(caOption)) {
        QFile ca(parser.value(caOption));
        if (ca.open(QIODevice::ReadOnly))
            o.caPem = ca.readAll();
    }
    const double setupCpuStart = cpuSeconds();
    std::unique_ptr<Engine> engine;
    if (o.engine == QLatin1String("courier"))
        engine = std::make_unique<CourierEngine>(o, Client::Engine::Qt);
    else if (o.engine == QLatin1String("qnam"))
        engine = std::make_unique<QnamEngine>(o, std::make_unique<QNetworkAccessManager>());
#if COURIER_HAS_CURL
    else if (o.engine == QLatin1String("courier-curl"))
        engine = std::make_unique<CourierEngine>(o, Client::Engine::Curl);
    else if (o.engine == QLatin1String("qnam-curl"))
        engine = std::make_unique<QnamEngine>(o, std::make_unique<CurlAccessManager>());
#endif
    if (!o.url.isValid() || !engine) {
        std::fprintf(stderr,
                     "courier-bench: give --url and --engine courier|courier-curl|qnam|qnam-curl "
                     "(the -curl ones when built with libcurl)\n");
        return 2;
    }

    QElapsedTimer wall;
    int started = 0;
    int done = 0;
    int errors = 0;
    // One request, run to its end.
    const auto getOne = [&](bool readAsItArrives) {
        engine->get(
            o.url,
            [&](bool ok) {
                errors += ok ? 0 : 1;
                QCoreApplication::quit();
            },
            readAsItArrives);
        app.exec();
    };
    // Small requests are measured in the steady state: one request first, not counted, so that
    // neither side's one-time set-up (TLS back-end, CA list, first connection) is in the numbers
    // ("first" measures that). A run of no requests makes it too: callgrind subtracts that run.
    if (o.mode == QLatin1String("small"))
        getOne(false);
    const double cpuStart = cpuSeconds();
    wall.start();

    if (o.mode == QLatin1String("small") || o.mode == QLatin1String("inflight")) {
        if (o.count <= 0) {
            report(o, 0, 0, 0, cpuSeconds() - cpuStart, 0);
            return 0;
        }
        const bool all = o.mode == QLatin1String("inflight");
        if (all)
            o.concurrency = o.count;
        const long rssBefore = currentRssKib();
        std::function<void()> launch = [&] {
            if (started >= o.count)
                return;
            ++started;
            engine->get(
                o.url,
                [&](bool ok) {
                    errors += ok ? 0 : 1;
                    if (++done == o.count)
                        QCoreApplication::quit();
                    else
                        launch();
                },
                false);
        };
        for (int i = 0; i < o.concurrency; ++i)
            launch();
        const long rssInFlight = currentRssKib();
        app.exec();
        QString extra;
        if (all)
            extra = QStringLiteral("rss_per_inflight_bytes=%1").arg((rssInFlight - rssBefore) * 1024 / o.count);
        report(o, done, errors, wall.nsecsElapsed() / 1e9, cpuSeconds() - cpuStart, 0, extra);
        return errors == 0 ? 0 : 1;
    }
    if (o.mode == QLatin1String("first")) {
        getOne(false);
        report(o, 1, errors, wall.nsecsElapsed() / 1e9, cpuSeconds() - setupCpuStart, 0);
        return errors == 0 ? 0 : 1;
    }
    if (o.mode == QLatin1String("download")) {
        getOne(true);
        // The body was read and dropped as it arrived: its size is what the server sent.
        report(o, 1, errors, wall.nsecsElapsed() / 1e9, cpuSeconds() - cpuStart, -1);
        return errors == 0 ? 0 : 1;
    }
    if (o.mode == QLatin1String("upload")) {
        QFile body(o.file);
        if (!body.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "courier-bench: cannot read %s\n", qPrintable(o.file));
            return 2;
        }
        engine->put(o.url, &body, [&](bool ok) {
            errors += ok ? 0 : 1;
            QCoreApplication::quit();
        });
        app.exec();
        report(o, 1, errors, wall.nsecsElapsed() / 1e9, cpuSeconds() - cpuStart, body.size());
        return errors == 0 ? 0 : 1;
    }
    std::fprintf(stderr, "courier-bench: unknown mode '%s'\n", qPrintable(o.mode));
    return 2;
}
