// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// courier-stream-bench: whether a long live stream keeps memory flat. A server in a process of its
// own (this program with "serve") generates COUNT server-sent events or JSON lines as fast as the
// socket takes them, chunked, on 127.0.0.1; the client reads them with EventSource,
// EventStreamReader or JsonLinesReader, checks that each arrives once and in order, and samples
// its own resident set (VmRSS) at 10 %, 50 % and 100 % of the stream. With --pause MS the reader
// pauses at 10 % for MS milliseconds while the server goes on trying to send: with the read buffer
// set, Courier stops reading and TCP flow control stops the server.
//
//   courier-stream-bench --engine qt|curl --reader eventsource|events|lines [--count N] [--pause MS]
//                        [--read-buffer BYTES] [--timeout S] [--max-growth-kib K] [--max-cost-kib K]
//                        [--report-only]
//   courier-stream-bench serve          (prints "port N", serves until standard input closes)
//
// Prints one line of key=value pairs (stdout) for bench/run. Exits 1 when an item is missing, out
// of order or the stream fails, or (unless --report-only) when RSS rose by more than K KiB (default
// 512) above its value at 10 % later in the stream or during the pause, or the stream cost more
// than --max-cost-kib (default 4096) above the RSS before the request at its highest. The readers' Request has a read
// buffer of 64 KiB, as EventSource's has; --read-buffer 0 leaves it unset (no backpressure: the
// control case, in which a paused reader's Response takes in the whole stream).

#include "memory.h" // tests/support: VmRSS and VmHWM of /proc/self/status

#include <Courier/Client>
#include <Courier/EventSource>
#include <Courier/Response>
#include <Courier/StreamReader>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTimer>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Courier;
using Courier::Test::statusKiB;

namespace {

// ---- the server: plain sockets, a thread per connection, no Qt --------------------------------

// Body bytes written to the streams so far (one stream at a time): GET /sent answers it.
std::atomic<long long> streamBytesSent{0};

bool sendAll(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= size_t(n);
    }
    return true;
}

bool sendChunk(int fd, const std::string &body)
{
    char head[32];
    const int headSize = std::snprintf(head, sizeof head, "%zx\r\n", body.size());
    const std::string chunk = std::string(head, size_t(headSize)) + body + "\r\n";
    return sendAll(fd, chunk.data(), chunk.size());
}

// One item of the stream, numbered from 1: an event ("id" is its number) or a JSON line.
void appendItem(std::string &out, long long n, bool events)
{
    char item[160];
    const int size = events
        ? std::snprintf(item, sizeof item, "id: %lld\ndata: {\"n\":%lld,\"text\":\"the quick brown fox jumps\"}\n\n", n,
                        n)
        : std::snprintf(item, sizeof item, "{\"n\":%lld,\"text\":\"the quick brown fox jumps\"}\n", n);
    out.append(item, size_t(size));
}

void serveStream(int fd, long long count, bool events)
{
    const std::string head = std::string("HTTP/1.1 200 OK\r\nContent-Type: ")
        + (events ? "text/event-stream" : "application/x-ndjson")
        + "\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    if (!sendAll(fd, head.data(), head.size()))
        return;
    streamBytesSent = 0;
    std::string body;
    body.reserve(70 * 1024);
    for (long long n = 1; n <= count; ++n) {
        appendItem(body, n, events);
        if (body.size() >= 64 * 1024 || n == count) {
            if (!sendChunk(fd, body))
                return; // the client went away
            streamBytesSent += static_cast<long long>(body.size());
            body.clear();
        }
    }
    sendAll(fd, "0\r\n\r\n", 5);
}

void serveConnection(int fd)
{
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        request.append(buffer, size_t(n));
    }
    // "GET /events?count=N HTTP/1.1", "GET /lines?count=N …" or "GET /sent …".
    const size_t space = request.find(' ');
    const std::string target = request.substr(space + 1, request.find(' ', space + 1) - space - 1);
    const size_t countAt = target.find("count=");
    const long long count = countAt == std::string::npos ? 0 : std::atoll(target.c_str() + countAt + 6);
    if (target.rfind("/events", 0) == 0 || target.rfind("/lines", 0) == 0) {
        serveStream(fd, count, target.rfind("/events", 0) == 0);
    } else {
        const std::string body = std::to_string(streamBytesSent.load());
        const std::string answer
            = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: "
            + std::to_string(body.size()) + "\r\n\r\n" + body;
        sendAll(fd, answer.data(), answer.size());
    }
    ::shutdown(fd, SHUT_WR);
    while (::recv(fd, buffer, sizeof buffer, 0) > 0) { } // until the client closes too
    ::close(fd);
}

int serve()
{
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr *>(&address), length) != 0
        || ::listen(listener, 64) != 0
        || ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        std::perror("courier-stream-bench serve");
        return 2;
    }
    std::printf("port %d\n", ntohs(address.sin_port));
    std::fflush(stdout);
    pollfd fds[2] = {{listener, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    for (;;) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return 2;
        }
        if (fds[1].revents) { // the client closed our standard input, or died
            char byte;
            if (::read(STDIN_FILENO, &byte, 1) <= 0)
                return 0;
        }
        if (fds[0].revents & POLLIN) {
            const int fd = ::accept(listener, nullptr, nullptr);
            if (fd >= 0)
                std::thread(serveConnection, fd).detach();
        }
    }
}

// ---- the client ---------------------------------------------------------------------------------

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

qint64 rssKib() { return statusKiB(QByteArrayLiteral("VmRSS")); }

struct Options
{
    QString engine;
    QString reader;
    qint64 count = 1000000;
    int pauseMs = 0;
    qint64 readBuffer = 64 * 1024;
    int timeoutSeconds = 300;
    qint64 maxGrowthKib = 512;
    qint64 maxCostKib = 4096;
    bool reportOnly = false;
};

class StreamBench
{
public:
    StreamBench(const Options &o, quint16 port)
        : m_o(o)
        , m_client(o.engine == QLatin1String("curl") ? Client::Engine::Curl : Client::Engine::Qt)
        , m_base(QStringLiteral("http://127.0.0.1:%1").arg(port))
    {
        // A paused reader holds the stream longer than Courier's default read timeout would allow.
        m_client.setReadTimeout(0);
    }

    // Runs the stream to its end (or failure, or the timeout); returns the exit status.
    int run()
    {
        const bool events = m_o.reader != QLatin1String("lines");
        const QUrl url(QStringLiteral("%1/%2?count=%3")
                           .arg(m_base, events ? QStringLiteral("events") : QStringLiteral("lines"))
                           .arg(m_o.count));
        QTimer::singleShot(std::chrono::seconds(m_o.timeoutSeconds), &m_client,
                           [this] { fail(QStringLiteral("timed out after %1 s").arg(m_o.timeoutSeconds)); });
        m_rssStart = rssKib();
        m_cpuStart = cpuSeconds();
        m_wall.start();
        if (m_o.reader == QLatin1String("eventsource"))
            startEventSource(url);
        else
            startReader(url, events);
        QCoreApplication::exec();
        return report();
    }

private:
    void startEventSource(const QUrl &url)
    {
        m_source = new EventSource(&m_client, Request(url), &m_client);
        QObject::connect(m_source, &EventSource::message, &m_client, [this](const ServerSentEvent &e) {
            if (!check(e.lastEventId.toLongLong()))
                return;
            if (m_received == m_o.count) {
                if (m_source->response())
                    m_bytes = m_source->response()->bytesReceived();
                m_source->close(); // else it would reconnect when the server ends the stream
                done();
            }
        });
        QObject::connect(m_source, &EventSource::errorOccurred, &m_client,
                         [this] { fail(QStringLiteral("the stream dropped: ") + m_source->errorString()); });
        m_source->open();
    }

    void startReader(const QUrl &url, bool events)
    {
        Request request(url);
        if (m_o.readBuffer > 0)
            request.setReadBufferSize(m_o.readBuffer); // as EventSource does: the pause reaches the server
        m_response = m_client.send(request);
        if (events) {
            auto *reader = new EventStreamReader(m_response);
            QObject::connect(reader, &EventStreamReader::eventReceived, &m_client,
                             [this](const ServerSentEvent &e) { check(e.lastEventId.toLongLong()); });
            m_reader = reader;
        } else {
            auto *reader = new JsonLinesReader(m_response);
            QObject::connect(reader, &JsonLinesReader::valueReceived, &m_client,
                             [this](const QJsonValue &value, qint64 line) {
                                 check(line == value.toObject().value(QLatin1String("n")).toInteger() ? line : -1);
                             });
            QObject::connect(reader, &JsonLinesReader::parseErrorOccurred, &m_client,
                             [this](qint64, const QString &why) { fail(QStringLiteral("parse error: ") + why); });
            m_reader = reader;
        }
        QObject::connect(m_reader, &StreamReader::finished, &m_client, [this] {
            if (m_response->error() != Response::NoError)
                fail(QStringLiteral("the stream failed: ") + m_response->errorString());
            else if (m_received != m_o.count)
                fail(QStringLiteral("the stream ended early"));
            else
                done();
        });
    }

    // Counts item \a n, which must be the next one; samples RSS at 10 %, 50 % and 100 %.
    bool check(qint64 n)
    {
        if (m_failed)
            return false;
        if (n != m_received + 1) {
            fail(QStringLiteral("item %1 arrived after item %2").arg(n).arg(m_received));
            return false;
        }
        ++m_received;
        if (m_received == m_o.count / 10) {
            m_rss10 = rssKib();
            m_rssMax = m_rss10;
            if (m_o.pauseMs > 0 && m_reader)
                pause();
        } else if (m_received % std::max<qint64>(1, m_o.count / 100) == 0 && m_rss10 >= 0) {
            m_rssMax = std::max(m_rssMax, rssKib());
        }
        if (m_received == m_o.count / 2)
            m_rss50 = rssKib();
        if (m_received == m_o.count)
            m_rss100 = rssKib();
        return true;
    }

    // The paused consumer: the reader takes nothing for pauseMs while the server keeps sending.
    void pause()
    {
        m_reader->pause();
        m_pausedAt = m_received;
        m_rssPauseStart = rssKib();
        m_rssPauseMax = m_rssPauseStart;
        m_bytesPauseStart = m_response->bytesReceived();
        auto *sampler = new QTimer(&m_client);
        QObject::connect(sampler, &QTimer::timeout, &m_client,
                         [this] { m_rssPauseMax = std::max(m_rssPauseMax, rssKib()); });
        sampler->start(100);
        QTimer::singleShot(m_o.pauseMs, &m_client, [this, sampler] {
            delete sampler;
            m_rssPauseEnd = rssKib();
            m_rssPauseMax = std::max(m_rssPauseMax, m_rssPauseEnd);
            m_bytesPauseEnd = m_response->bytesReceived();
            // What the server managed to write by now, asked on a connection of its own.
            Response *sent = m_client.get(QUrl(m_base + QStringLiteral("/sent")));
            QObject::connect(sent, &Response::finished, &m_client, [this, sent] {
                m_serverSentPauseEnd = sent->readAll().toLongLong();
                sent->deleteLater();
                m_reader->resume();
            });
        });
    }

    void done()
    {
        m_done = true;
        m_seconds = double(m_wall.nsecsElapsed()) / 1e9;
        m_cpu = cpuSeconds() - m_cpuStart;
        if (m_response)
            m_bytes = m_response->bytesReceived();
        QCoreApplication::quit();
    }

    void fail(const QString &why)
    {
        if (m_done)
            return;
        m_failed = true;
        m_why = why;
        if (m_source)
            m_source->close();
        done();
    }

    int report()
    {
        const qint64 growth = m_rss100 >= 0 && m_rss10 >= 0 ? m_rss100 - m_rss10 : -1;
        const qint64 pauseGrowth = m_o.pauseMs > 0 ? m_rssPauseMax - m_rssPauseStart : 0;
        // What the stream cost at its highest, warm-up included: a body taken in whole before 10 %
        // (no read buffer) would not show as growth after it.
        const qint64 peak = std::max(statusKiB(QByteArrayLiteral("VmHWM")), m_rssMax);
        const qint64 cost = peak - m_rssStart;
        const bool bounded = m_rss100 >= 0 && m_rssMax - m_rss10 <= m_o.maxGrowthKib && pauseGrowth <= m_o.maxGrowthKib
            && cost <= m_o.maxCostKib;
        const bool pass = !m_failed && m_received == m_o.count && (m_o.reportOnly || bounded);
        QString line = QStringLiteral("mode=%1 engine=%2 reader=%3 count=%4 received=%5 errors=%6 seconds=%7 cpu=%8 "
                                      "events_per_second=%9 bytes=%10 rss_start_kib=%11 rss_10_kib=%12 rss_50_kib=%13 "
                                      "rss_100_kib=%14 rss_max_kib=%15 growth_kib=%16 peak_rss_kib=%17 cost_kib=%18 "
                                      "read_buffer=%19")
                           .arg(m_o.pauseMs > 0 ? QStringLiteral("stream-paused") : QStringLiteral("stream"),
                                m_o.engine, m_o.reader)
                           .arg(m_o.count)
                           .arg(m_received)
                           .arg(m_failed ? 1 : 0)
                           .arg(m_seconds, 0, 'f', 3)
                           .arg(m_cpu, 0, 'f', 3)
                           .arg(m_seconds > 0 ? double(m_received) / m_seconds : 0.0, 0, 'f', 0)
                           .arg(m_bytes)
                           .arg(m_rssStart)
                           .arg(m_rss10)
                           .arg(m_rss50)
                           .arg(m_rss100)
                           .arg(m_rssMax)
                           .arg(growth)
                           .arg(peak)
                           .arg(cost)
                           .arg(m_o.readBuffer);
        if (m_o.pauseMs > 0)
            line += QStringLiteral(" pause_ms=%1 paused_at=%2 rss_pause_start_kib=%3 rss_pause_max_kib=%4 "
                                   "rss_pause_end_kib=%5 pause_growth_kib=%6 received_bytes_pause_start=%7 "
                                   "received_bytes_pause_end=%8 server_sent_pause_end=%9")
                        .arg(m_o.pauseMs)
                        .arg(m_pausedAt)
                        .arg(m_rssPauseStart)
                        .arg(m_rssPauseMax)
                        .arg(m_rssPauseEnd)
                        .arg(pauseGrowth)
                        .arg(m_bytesPauseStart)
                        .arg(m_bytesPauseEnd)
                        .arg(m_serverSentPauseEnd);
        std::printf("%s judged=%d pass=%d\n", qPrintable(line), m_o.reportOnly ? 0 : 1, pass ? 1 : 0);
        std::fflush(stdout);
        if (m_failed)
            std::fprintf(stderr, "courier-stream-bench: %s (%lld of %lld items)\n", qPrintable(m_why), m_received,
                         m_o.count);
        if (!bounded)
            std::fprintf(stderr,
                         "courier-stream-bench: RSS grew by up to %lld KiB after 10 %% (paused: %lld KiB; more than "
                         "%lld KiB?), the stream cost %lld KiB at its highest (more than %lld KiB?)%s\n",
                         m_rssMax - m_rss10, pauseGrowth, m_o.maxGrowthKib, cost, m_o.maxCostKib,
                         m_o.reportOnly ? " (not judged: --report-only)" : "");
        return pass ? 0 : 1;
    }

    Options m_o;
    Client m_client;
    QString m_base;
    EventSource *m_source = nullptr;
    Response *m_response = nullptr;
    StreamReader *m_reader = nullptr;
    QElapsedTimer m_wall;
    double m_cpuStart = 0;
    double m_seconds = 0;
    double m_cpu = 0;
    qint64 m_received = 0;
    qint64 m_bytes = -1;
    bool m_failed = false;
    bool m_done = false;
    QString m_why;
    qint64 m_rssStart = -1, m_rss10 = -1, m_rss50 = -1, m_rss100 = -1, m_rssMax = -1;
    qint64 m_pausedAt = 0, m_rssPauseStart = -1, m_rssPauseMax = -1, m_rssPauseEnd = -1;
    qint64 m_bytesPauseStart = -1, m_bytesPauseEnd = -1, m_serverSentPauseEnd = -1;
};

} // namespace

int main(int argc, char *argv[])
{
    if (argc == 2 && std::strcmp(argv[1], "serve") == 0)
        return serve();

    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A long stream of events or JSON lines, watching the RSS."));
    parser.addHelpOption();
    const QCommandLineOption engineOption(QStringLiteral("engine"), QStringLiteral("qt or curl"), QStringLiteral("E"),
                                          QStringLiteral("qt"));
    const QCommandLineOption readerOption(QStringLiteral("reader"),
                                          QStringLiteral("eventsource, events (EventStreamReader) or lines "
                                                         "(JsonLinesReader)"),
                                          QStringLiteral("R"), QStringLiteral("eventsource"));
    const QCommandLineOption countOption(QStringLiteral("count"), QStringLiteral("items (default 1000000)"),
                                         QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption pauseOption(QStringLiteral("pause"),
                                         QStringLiteral("pause the reader at 10 % for MS milliseconds"),
                                         QStringLiteral("MS"), QStringLiteral("0"));
    const QCommandLineOption bufferOption(QStringLiteral("read-buffer"),
                                          QStringLiteral("the readers' read buffer (default 65536; 0: none)"),
                                          QStringLiteral("BYTES"), QStringLiteral("65536"));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"), QStringLiteral("give up after S seconds"),
                                           QStringLiteral("S"), QStringLiteral("300"));
    const QCommandLineOption growthOption(QStringLiteral("max-growth-kib"),
                                          QStringLiteral("RSS growth allowed from 10 % to 100 % and while paused"),
                                          QStringLiteral("K"), QStringLiteral("512"));
    const QCommandLineOption costOption(QStringLiteral("max-cost-kib"),
                                        QStringLiteral("highest RSS above the start allowed (default 4096)"),
                                        QStringLiteral("K"), QStringLiteral("4096"));
    const QCommandLineOption reportOnlyOption(QStringLiteral("report-only"),
                                              QStringLiteral("report growth without judging it"));
    parser.addOptions({engineOption, readerOption, countOption, pauseOption, bufferOption, timeoutOption, growthOption,
                       costOption, reportOnlyOption});
    parser.process(app);

    Options o;
    o.engine = parser.value(engineOption);
    o.reader = parser.value(readerOption);
    o.count = parser.value(countOption).toLongLong();
    o.pauseMs = parser.value(pauseOption).toInt();
    o.readBuffer = parser.value(bufferOption).toLongLong();
    o.timeoutSeconds = parser.value(timeoutOption).toInt();
    o.maxGrowthKib = parser.value(growthOption).toLongLong();
    o.maxCostKib = parser.value(costOption).toLongLong();
    o.reportOnly = parser.isSet(reportOnlyOption);
    const QStringList readers{QStringLiteral("eventsource"), QStringLiteral("events"), QStringLiteral("lines")};
    const bool engineOk = o.engine == QLatin1String("qt")
        || (o.engine == QLatin1String("curl") && Client::isEngineAvailable(Client::Engine::Curl));
    if (!engineOk || !readers.contains(o.reader) || o.count < 10 || o.timeoutSeconds <= 0 || o.pauseMs < 0
        || (o.pauseMs > 0 && o.reader == QLatin1String("eventsource"))) {
        std::fprintf(stderr,
                     "courier-stream-bench: give --engine qt|curl (an engine of this build), --reader "
                     "eventsource|events|lines (--pause: events or lines), a --count of at least 10\n");
        return 2;
    }

    // The server runs in a process of its own: the RSS measured is the client's alone.
    QProcess server;
    server.start(QCoreApplication::applicationFilePath(), {QStringLiteral("serve")});
    if (!server.waitForReadyRead(10000)) {
        std::fprintf(stderr, "courier-stream-bench: the server did not start\n");
        return 2;
    }
    const quint16 port = quint16(server.readLine().trimmed().split(' ').value(1).toUInt());
    int status = 0;
    {
        StreamBench bench(o, port);
        status = bench.run();
    }
    server.closeWriteChannel(); // the server ends when its standard input closes
    if (!server.waitForFinished(10000))
        server.kill();
    return status;
}
