// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// courier-soak: whether memory stays flat over a long run. One Client sends COUNT GETs one after
// the other, each Response read and deleted after finished(), and samples the process's resident
// set (VmRSS of /proc/self/status) as it goes. The first part of the run is warm-up (Qt's and
// malloc's caches fill there); after it, RSS may not grow by more than a few percent: a Response,
// a reply or a timer left behind per request would show up as steady growth over 100,000s of them.
//
//   courier-soak URL [COUNT] [--sample-every N] [--warmup-percent P] [--max-growth PERCENT]
//                [--samples FILE] [--report-only]
//
// Prints one JSON object on one line (stdout) and exits 1 when a request failed or RSS grew by more
// than --max-growth (default 5) percent from the end of warm-up to the end of the run; with
// --report-only growth is reported but not judged (bench/run --quick: too few requests to judge).

#include <Courier/Client>
#include <Courier/Response>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <sys/resource.h>

using namespace Courier;

namespace {

// VmRSS in KiB, as the kernel counts it now (ru_maxrss only ever grows, so it cannot show a trend).
long rssKib()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    }
    return -1;
}

long peakRssKib()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

struct Sample
{
    qint64 requests;
    long kib;
};

// Least-squares slope of RSS over requests, in KiB per 10,000 requests: growth that the last
// sample alone could hide or exaggerate (a malloc trim just before it, say).
double slopePer10k(const QList<Sample> &samples)
{
    if (samples.size() < 2)
        return 0;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const Sample &s : samples) {
        sx += double(s.requests);
        sy += double(s.kib);
        sxx += double(s.requests) * double(s.requests);
        sxy += double(s.requests) * double(s.kib);
    }
    const double n = double(samples.size());
    const double denominator = n * sxx - sx * sx;
    return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator * 10000;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Sequential GETs on one Client, watching the resident set size."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("url"), QStringLiteral("what to GET (a small file)"));
    parser.addPositionalArgument(QStringLiteral("count"), QStringLiteral("how many requests (default 200000)"),
                                 QStringLiteral("[count]"));
    const QCommandLineOption sampleOption(QStringLiteral("sample-every"),
                                          QStringLiteral("sample RSS every N requests (default COUNT/200)"),
                                          QStringLiteral("N"));
    const QCommandLineOption warmupOption(QStringLiteral("warmup-percent"),
                                          QStringLiteral("share of the run that is warm-up (default 10)"),
                                          QStringLiteral("P"), QStringLiteral("10"));
    const QCommandLineOption growthOption(QStringLiteral("max-growth"),
                                          QStringLiteral("RSS growth allowed after warm-up (default 5)"),
                                          QStringLiteral("PERCENT"), QStringLiteral("5"));
    const QCommandLineOption samplesOption(
        QStringLiteral("samples"), QStringLiteral("write \"requests rss_kib\" lines to FILE"), QStringLiteral("FILE"));
    const QCommandLineOption reportOnlyOption(QStringLiteral("report-only"),
                                              QStringLiteral("report growth without judging it"));
    parser.addOptions({sampleOption, warmupOption, growthOption, samplesOption, reportOnlyOption});
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    const QUrl url(positional.value(0));
    bool countOk = true;
    const qint64 count = positional.size() > 1 ? positional.at(1).toLongLong(&countOk) : 200000;
    const double warmupPercent = parser.value(warmupOption).toDouble();
    const double maxGrowth = parser.value(growthOption).toDouble();
    if (!url.isValid() || url.isRelative() || !countOk || count < 10 || warmupPercent <= 0 || warmupPercent >= 100) {
        std::fprintf(stderr,
                     "courier-soak: give an absolute URL, a count of at least 10 "
                     "and a warm-up between 0 and 100 %%\n");
        return 2;
    }
    const qint64 sampleEvery = std::max<qint64>(
        1, parser.isSet(sampleOption) ? parser.value(sampleOption).toLongLong() : count / 200);
    const qint64 warmupRequests = std::max<qint64>(1, qint64(double(count) * warmupPercent / 100));

    Client client;
    qint64 done = 0;
    qint64 errors = 0;
    QString firstError;
    QList<Sample> samples{{0, rssKib()}};
    long warmupKib = -1;
    QElapsedTimer wall;

    std::function<void()> next = [&] {
        Response *r = client.get(url);
        QObject::connect(r, &Response::finished, &client, [&, r] {
            const QByteArray body = r->body(); // read, as an application would
            if (r->hasTransportError() || !r->isHttpSuccess() || body.isEmpty()) {
                if (++errors == 1)
                    firstError = QStringLiteral("%1 (status %2)").arg(r->errorString()).arg(r->statusCode());
            }
            r->deleteLater();
            ++done;
            if (done % sampleEvery == 0 || done == warmupRequests || done == count) {
                samples.append({done, rssKib()});
                if (done == warmupRequests)
                    warmupKib = samples.last().kib;
                if (done % std::max<qint64>(1, count / 10) == 0)
                    std::fprintf(stderr, "courier-soak: %lld/%lld requests, RSS %ld KiB\n", done, count,
                                 samples.last().kib);
            }
            if (done == count)
                QCoreApplication::quit();
            else
                next();
        });
    };
    wall.start();
    next();
    app.exec();
    const double seconds = double(wall.nsecsElapsed()) / 1e9;

    // Judged on what follows warm-up only.
    QList<Sample> steady;
    for (const Sample &s : samples) {
        if (s.requests >= warmupRequests)
            steady.append(s);
    }
    long minKib = steady.first().kib;
    long maxKib = steady.first().kib;
    for (const Sample &s : steady) {
        minKib = std::min(minKib, s.kib);
        maxKib = std::max(maxKib, s.kib);
    }
    const long finalKib = samples.last().kib;
    const double growth = warmupKib > 0 ? double(finalKib - warmupKib) * 100.0 / double(warmupKib) : 0;
    const bool grewTooMuch = growth > maxGrowth;
    const bool pass = errors == 0 && (parser.isSet(reportOnlyOption) || !grewTooMuch);

    if (parser.isSet(samplesOption)) {
        QFile out(parser.value(samplesOption));
        if (out.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
            out.write("# requests rss_kib\n");
            for (const Sample &s : samples)
                out.write(QByteArray::number(s.requests) + ' ' + QByteArray::number(qint64(s.kib)) + '\n');
        }
    }

    QJsonObject result{
        {QStringLiteral("tool"), QStringLiteral("courier-soak")},
        {QStringLiteral("url"), url.toString()},
        {QStringLiteral("requests"), done},
        {QStringLiteral("errors"), errors},
        {QStringLiteral("seconds"), seconds},
        {QStringLiteral("requests_per_second"), seconds > 0 ? double(done) / seconds : 0.0},
        {QStringLiteral("sample_every"), sampleEvery},
        {QStringLiteral("warmup_requests"), warmupRequests},
        {QStringLiteral("rss_start_kib"), qint64(samples.first().kib)},
        {QStringLiteral("rss_warmup_kib"), qint64(warmupKib)},
        {QStringLiteral("rss_final_kib"), qint64(finalKib)},
        {QStringLiteral("rss_min_kib"), qint64(minKib)},
        {QStringLiteral("rss_max_kib"), qint64(maxKib)},
        {QStringLiteral("rss_growth_percent"), growth},
        {QStringLiteral("rss_slope_kib_per_10k"), slopePer10k(steady)},
        // The kernel updates ru_maxrss lazily: it can lag behind the VmRSS samples.
        {QStringLiteral("peak_rss_kib"), qint64(std::max(peakRssKib(), maxKib))},
        {QStringLiteral("max_growth_percent"), maxGrowth},
        {QStringLiteral("judged"), !parser.isSet(reportOnlyOption)},
        {QStringLiteral("pass"), pass},
    };
    if (!firstError.isEmpty())
        result.insert(QStringLiteral("first_error"), firstError);
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    if (errors)
        std::fprintf(stderr, "courier-soak: %lld of %lld requests failed, the first: %s\n", errors, done,
                     qPrintable(firstError));
    if (grewTooMuch)
        std::fprintf(stderr, "courier-soak: RSS grew by %.1f %% after warm-up (%ld -> %ld KiB), more than %.1f %%%s\n",
                     growth, warmupKib, finalKib, maxGrowth,
                     parser.isSet(reportOnlyOption) ? " (not judged: --report-only)" : "");
    return pass ? 0 : 1;
}
