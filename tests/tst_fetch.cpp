// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// The fetch example as a user runs it: body to stdout or a file, -i, -X/-H/-d, exit codes and
// error naming, the progress bar when asked for, downloads (-o through FILE.part, -C -, --sha256,
// --retry resuming a broken transfer), --json, and live streams: --sse (an EventSource on a GET,
// one read of a POST) and --ndjson, each item printed before the server sends the next.

#include "peers.h"
#include "testserver.h"

#include <Courier/Client>

#include <QtCore/QCryptographicHash>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QPointer>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Courier::Test;

class tst_Fetch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void bodyToStdout();
    void outputFileAndProgress();
    void includeHeaders();
    void methodHeadersData();
    void httpErrorExitsTwo();
    void transportErrorExitsOne();
    void usageErrorExitsThree();
    void transportOptions();
    void tlsOptionsAndVerbose();
    void stateOptions();
    void downloadResumes();
    void downloadRetryResumesABrokenTransfer();
    void downloadChecksum();
    void json();
    void sseFollowsTheStreamAndReconnects();
    void sseStopsWhenTheServerRefuses();
    void sseReadsARequestWithABodyOnce();
    void ndjsonPrintsEachLineAsItArrives();
    void ndjsonStopsOnInterrupt();
    void streamUsage();

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    Run run(const QStringList &args, const QByteArray &input = QByteArray());
    std::unique_ptr<TestServer> server;
};

namespace {

// fetch left running while the test drives the server step by step and reads what it printed.
class Live
{
public:
    explicit Live(const QStringList &args) { process.start(QStringLiteral(COURIER_FETCH_PATH), args); }
    ~Live()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
    // Spins the event loop (the server lives in this thread) until stdout holds \a text; 30 s at most.
    bool waitForOutput(const QByteArray &text)
    {
        QDeadlineTimer deadline(30000);
        while (!(out += process.readAllStandardOutput()).contains(text) && !deadline.hasExpired()) {
            err += process.readAllStandardError();
            if (process.state() == QProcess::NotRunning && process.bytesAvailable() == 0)
                break;
            QTest::qWait(10);
        }
        return out.contains(text);
    }
    // Waits for fetch to end (30 s at most): its exit status, -1 when it crashed or did not end.
    int finish()
    {
        QDeadlineTimer deadline(30000);
        while (process.state() != QProcess::NotRunning && !deadline.hasExpired())
            QTest::qWait(10);
        out += process.readAllStandardOutput();
        err += process.readAllStandardError();
        return process.state() == QProcess::NotRunning && process.exitStatus() == QProcess::NormalExit
            ? process.exitCode()
            : -1;
    }
    // Ctrl-C as a script sends it: SIGTERM, which fetch handles as SIGINT.
    int interrupt()
    {
        process.terminate();
        return finish();
    }

    QProcess process;
    QByteArray out;
    QByteArray err;
};

// One chunk of a chunked body.
QByteArray chunk(const QByteArray &bytes) { return QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n"; }

// The head of a chunked stream of \a contentType; its chunks follow with chunk().
void startStream(TestConnection *c, const QByteArray &contentType)
{
    c->respond(200, "OK", {{"Content-Type", contentType}, {"Transfer-Encoding", "chunked"}});
}

} // namespace

tst_Fetch::Run tst_Fetch::run(const QStringList &args, const QByteArray &input)
{
    QProcess process;
    process.start(QStringLiteral(COURIER_FETCH_PATH), args);
    process.write(input);
    process.closeWriteChannel();
    Run result;
    // The server lives in this thread: spin the event loop while fetch runs (bounded: 30 s).
    QDeadlineTimer deadline(30000);
    while (process.state() != QProcess::NotRunning && !deadline.hasExpired())
        QTest::qWait(10);
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

void tst_Fetch::init()
{
    server = std::make_unique<TestServer>();
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/missing")
            return c->respond(404, "Not Found", {}, "no such thing");
        if (r.target == "/echo")
            return c->respond(200, "OK", {{"Content-Type", "text/plain"}},
                              r.method + " " + r.header("X-A") + " " + r.header("Content-Type") + " " + r.body);
        c->respond(200, "OK", {{"Content-Type", "text/plain"}, {"X-Served-By", "test"}}, QByteArray(200000, 'z'));
    });
}

void tst_Fetch::bodyToStdout()
{
    const Run r = run({server->url(QStringLiteral("/big")).toString()});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray(200000, 'z'));
    QCOMPARE(r.err, QByteArray()); // stderr is not a terminal: no progress bar
}

void tst_Fetch::outputFileAndProgress()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("out.bin"));
    const Run r = run({server->url(QStringLiteral("/big")).toString(), QStringLiteral("-o"), file,
                       QStringLiteral("--progress"), QStringLiteral("always")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray());
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray(200000, 'z'));
    QVERIFY2(r.err.contains("100%") && r.err.contains("195.3 KiB"), r.err.constData());
}

void tst_Fetch::includeHeaders()
{
    const Run r = run({QStringLiteral("-i"), server->url(QStringLiteral("/big")).toString()});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("HTTP 200 OK\r\n"));
    QVERIFY(r.out.contains("X-Served-By: test\r\n"));
    QVERIFY(r.out.endsWith(QByteArray(200000, 'z')));
}

void tst_Fetch::methodHeadersData()
{
    Run r = run({QStringLiteral("-X"), QStringLiteral("PUT"), QStringLiteral("-H"), QStringLiteral("X-A: one"),
                 QStringLiteral("-d"), QStringLiteral("{\"k\":1}"), server->url(QStringLiteral("/echo")).toString()});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("PUT one application/json {\"k\":1}"));
    r = run({QStringLiteral("-d"), QStringLiteral("a=1"), server->url(QStringLiteral("/echo")).toString()});
    QCOMPARE(r.out, QByteArray("POST  application/x-www-form-urlencoded a=1"));
}

void tst_Fetch::httpErrorExitsTwo()
{
    const Run r = run({server->url(QStringLiteral("/missing")).toString()});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.out, QByteArray("no such thing"));
    QVERIFY2(r.err.contains("HTTP 404 Not Found") && r.err.contains("error 203 ContentNotFound (Content)"),
             r.err.constData());
}

void tst_Fetch::transportErrorExitsOne()
{
    const QUrl url = server->url();
    server.reset();
    Run r = run({url.toString()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("error 1 ConnectionRefused (Network)"), r.err.constData());
    r = run({QStringLiteral("ftp://127.0.0.1/x")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("ProtocolUnknown (Protocol)"), r.err.constData());
    r = run({QStringLiteral("-H"), QStringLiteral("X-Bad: a\rb"), url.toString()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("ProtocolInvalidOperation"), r.err.constData());
}

void tst_Fetch::usageErrorExitsThree()
{
    QCOMPARE(run({}).exitCode, 3);
    QCOMPARE(run({QStringLiteral("--timeout"), QStringLiteral("soon"), QStringLiteral("http://127.0.0.1/")}).exitCode,
             3);
    QCOMPARE(run({QStringLiteral("-H"), QStringLiteral("nocolon"), QStringLiteral("http://127.0.0.1/")}).exitCode, 3);
    QCOMPARE(run({QStringLiteral("--engine"), QStringLiteral("carrier-pigeon"), QStringLiteral("http://127.0.0.1/")})
                 .exitCode,
             3);
}

void tst_Fetch::transportOptions()
{
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/loop")
            return c->respond(302, "Found", {{"Location", "/loop"}});
        if (r.header("Authorization") != "Basic " + QByteArray("me:pw").toBase64())
            return c->respond(401, "Unauthorized", {{"WWW-Authenticate", "Basic realm=\"x\""}}, "denied");
        c->respond(200, "OK", {}, "in");
    });
    Run r = run({QStringLiteral("-u"), QStringLiteral("me:pw"), QStringLiteral("--progress"), QStringLiteral("never"),
                 server->url(QStringLiteral("/")).toString()});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("in"));
    QCOMPARE(server->requests().size(), 2); // challenge, then answer

    r = run({QStringLiteral("-u"), QStringLiteral("me:pw"), QStringLiteral("--basic"), QStringLiteral("--progress"),
             QStringLiteral("never"), server->url(QStringLiteral("/")).toString()});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(server->requests().size(), 3); // preemptive: one more request only

    r = run({QStringLiteral("--max-redirs"), QStringLiteral("3"), QStringLiteral("--progress"), QStringLiteral("never"),
             server->url(QStringLiteral("/loop")).toString()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("TooManyRedirects"), r.err.constData());

    r = run({QStringLiteral("--connect-timeout"), QStringLiteral("soon"), server->url().toString()});
    QCOMPARE(r.exitCode, 3);
    r = run({QStringLiteral("--http1.1"), QStringLiteral("--http2"), server->url().toString()});
    QCOMPARE(r.exitCode, 3);
}

void tst_Fetch::tlsOptionsAndVerbose()
{
    NginxPeer nginx;
    COURIER_REQUIRE_PEER(nginx);
    QVERIFY(nginx.addFile(QStringLiteral("hello.txt"), "secure hello"));
    const QString url = nginx.tlsUrl(QStringLiteral("/hello.txt")).toString();

    Run r = run({QStringLiteral("--progress"), QStringLiteral("never"), url});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("SslHandshakeFailed"), r.err.constData());

    r = run({QStringLiteral("--cacert"), nginx.pkiFile(QStringLiteral("cert.pem")), QStringLiteral("-v"),
             QStringLiteral("--progress"), QStringLiteral("never"), url});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("secure hello"));
    QVERIFY2(r.err.contains("* protocol: Http2"), r.err.constData());
    QVERIFY2(r.err.contains("TlsEstablished"), r.err.constData());

    // Either engine on request, whatever the default.
    QStringList engines{QStringLiteral("qt")};
    if (Courier::Client::isEngineAvailable(Courier::Client::Engine::Curl))
        engines << QStringLiteral("curl");
    for (const QString &engine : std::as_const(engines)) {
        r = run({QStringLiteral("--engine"), engine, QStringLiteral("--cacert"),
                 nginx.pkiFile(QStringLiteral("cert.pem")), QStringLiteral("-v"), QStringLiteral("--progress"),
                 QStringLiteral("never"), url});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("secure hello"));
        QVERIFY2(r.err.contains(QByteArray("* engine: " + engine.toLatin1())), r.err.constData());
    }

    r = run({QStringLiteral("--cacert"), nginx.pkiFile(QStringLiteral("cert.pem")), QStringLiteral("--pinnedpubkey"),
             QStringLiteral("sha256//") + QString::fromLatin1(QByteArray(32, 'x').toBase64()),
             QStringLiteral("--progress"), QStringLiteral("never"), url});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("pinned public key"), r.err.constData());
}

void tst_Fetch::stateOptions()
{
    int unavailable = 1;
    server->setHandler([&](TestConnection *c, const RawRequest &r) {
        if (r.target == "/login")
            return c->respond(200, "OK", {{"Set-Cookie", "session=s1; Path=/"}}, "welcome");
        if (r.target == "/flaky" && unavailable-- > 0)
            return c->respond(503, "Service Unavailable", {{"Retry-After", "0"}}, "");
        if (r.target == "/upload")
            return c->respond(200, "OK", {}, QByteArray::number(r.body.size()) + " " + r.header("Content-Length"));
        c->respond(200, "OK", {}, r.header("Cookie") + "|" + QByteArray(100000, 'z'));
    });
    QTemporaryDir dir;
    const QString jar = dir.filePath(QStringLiteral("cookies.txt"));
    Run r = run({QStringLiteral("-c"), jar, server->url(QStringLiteral("/login")).toString()});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(QFile::exists(jar));
    r = run({QStringLiteral("-b"), jar, server->url(QStringLiteral("/page")).toString()});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("session=s1|"), r.out.left(40).constData());
    r = run({QStringLiteral("-b"), dir.filePath(QStringLiteral("missing.txt")), server->url().toString()});
    QCOMPARE(r.exitCode, 3);

    r = run({QStringLiteral("--retry"), QStringLiteral("2"), QStringLiteral("-v"),
             server->url(QStringLiteral("/flaky")).toString()});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains("* attempt 2 in 0 ms"), r.err.constData());
    QVERIFY2(r.err.contains("Retrying"), r.err.constData());

    r = run(
        {QStringLiteral("--max-filesize"), QStringLiteral("1000"), server->url(QStringLiteral("/page")).toString()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("too large"), r.err.constData());

    const QByteArray input(300000, 'i');
    r = run({QStringLiteral("--data-file"), QStringLiteral("-"), QStringLiteral("-X"), QStringLiteral("PUT"),
             server->url(QStringLiteral("/upload")).toString()},
            input);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("300000 300000")); // standard input, of unknown size, sent whole
}

namespace {

QByteArray contentOf(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("(missing)");
}

// A body served with an ETag and Range support; \a breakFirst: the first full answer stops after
// 40 bytes and closes, as a broken transfer does.
void serveRanges(TestServer &server, const QByteArray &body, bool breakFirst)
{
    auto first = std::make_shared<bool>(breakFirst);
    server.setHandler([body, first](TestConnection *c, const RawRequest &r) {
        const QByteArray range = r.header("Range");
        if (range.startsWith("bytes=") && r.header("If-Range") == "\"v1\"") {
            const qint64 from = range.mid(6, range.indexOf('-') - 6).toLongLong();
            return c->respond(206, "Partial Content",
                              {{"ETag", "\"v1\""},
                               {"Content-Range",
                                "bytes " + QByteArray::number(from) + '-' + QByteArray::number(body.size() - 1) + '/'
                                    + QByteArray::number(body.size())}},
                              body.mid(from));
        }
        if (*first) {
            *first = false;
            c->write("HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nContent-Length: " + QByteArray::number(body.size())
                     + "\r\n\r\n" + body.left(40));
            return c->close();
        }
        c->respond(200, "OK", {{"ETag", "\"v1\""}}, body);
    });
}

} // namespace

void tst_Fetch::downloadResumes()
{
    const QByteArray body = QByteArray("0123456789").repeated(100);
    serveRanges(*server, body, true);
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("out.bin"));
    const QString url = server->url(QStringLiteral("/file")).toString();

    Run r = run({url, QStringLiteral("-o"), file});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("RemoteHostClosed") && r.err.contains("-C - continues it"), r.err.constData());
    QVERIFY(!QFile::exists(file)); // never half-written
    QCOMPARE(contentOf(file + QStringLiteral(".part")), body.left(40));

    r = run({url, QStringLiteral("-o"), file, QStringLiteral("-C"), QStringLiteral("-"), QStringLiteral("-v")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(server->lastRequest().header("Range"), QByteArray("bytes=40-"));
    QVERIFY2(r.err.contains("* resumed from byte 40"), r.err.constData());
    QVERIFY2(r.err.contains("ms Finished"), r.err.constData()); // -v prints the timeline
    QCOMPARE(contentOf(file), body);
    QVERIFY(!QFile::exists(file + QStringLiteral(".part")));

    // Without -C, a partial file is not continued: the download starts over.
    QVERIFY(QFile(file + QStringLiteral(".part")).open(QIODevice::WriteOnly));
    r = run({url, QStringLiteral("-o"), file});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(!server->lastRequest().hasHeader("Range"));
}

void tst_Fetch::downloadRetryResumesABrokenTransfer()
{
    const QByteArray body = QByteArray("abcdefghij").repeated(100);
    serveRanges(*server, body, true);
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("out.bin"));
    const Run r = run({server->url(QStringLiteral("/file")).toString(), QStringLiteral("-o"), file,
                       QStringLiteral("--retry"), QStringLiteral("2")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains("; resuming"), r.err.constData());
    QCOMPARE(server->requests().size(), 2);
    QCOMPARE(server->lastRequest().header("Range"), QByteArray("bytes=40-"));
    QCOMPARE(contentOf(file), body);
}

void tst_Fetch::downloadChecksum()
{
    const QByteArray body = "checked content";
    serveRanges(*server, body, false);
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("out.bin"));
    const QString url = server->url(QStringLiteral("/file")).toString();
    const QString good = QString::fromLatin1(QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex());
    const QString bad = QString(64, QLatin1Char('0'));

    Run r = run({url, QStringLiteral("-o"), file, QStringLiteral("--sha256"), bad});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("SHA-256") && r.err.contains(good.toLatin1()), r.err.constData());
    QVERIFY(!QFile::exists(file));
    r = run({url, QStringLiteral("-o"), file, QStringLiteral("--sha256"), good.toUpper()});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(contentOf(file), body);
    QCOMPARE(run({url, QStringLiteral("--sha256"), good}).exitCode, 3); // needs -o
    QCOMPARE(run({url, QStringLiteral("-o"), file, QStringLiteral("--sha256"), QStringLiteral("abc")}).exitCode, 3);
}

void tst_Fetch::json()
{
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/not-json")
            return c->respond(200, "OK", {{"Content-Type", "text/plain"}}, "plain words");
        c->respond(200, "OK", {{"Content-Type", "application/json"}}, "{\"b\":[1,2],\"a\":\"x\"}");
    });
    Run r = run({server->url(QStringLiteral("/json")).toString(), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(server->lastRequest().header("Accept"), QByteArray("application/json"));
    QCOMPARE(r.out, QByteArray("{\n    \"a\": \"x\",\n    \"b\": [\n        1,\n        2\n    ]\n}\n"));
    r = run({server->url(QStringLiteral("/not-json")).toString(), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("plain words")); // as it came, with a word on stderr
    QVERIFY2(r.err.contains("--json:"), r.err.constData());
    QCOMPARE(
        run({server->url().toString(), QStringLiteral("--json"), QStringLiteral("-o"), QStringLiteral("x")}).exitCode,
        3);
}

void tst_Fetch::sseFollowsTheStreamAndReconnects()
{
    QPointer<TestConnection> stream;
    server->setHandler([&](TestConnection *c, const RawRequest &r) {
        stream = c;
        startStream(c, "text/event-stream");
        if (r.hasHeader("Last-Event-ID"))
            c->write(chunk("data: " + r.header("Last-Event-ID") + " was the last\n\n"));
        else // a comment, then a short reconnection time for the drop to come
            c->write(chunk(": hello\n\nretry: 20\nid: 1\ndata: first\n\n"));
    });
    Live fetch({QStringLiteral("--sse"), QStringLiteral("-v"), server->url(QStringLiteral("/events")).toString()});
    QVERIFY2(fetch.waitForOutput("event: message\nid: 1\ndata: first\n\n"), fetch.err.constData());
    // The next event only once the first was printed: printed as it arrives, not at the end.
    stream->write(chunk("event: update\nid: 2\ndata: two\ndata: lines\n\n"));
    QVERIFY2(fetch.waitForOutput("event: update\nid: 2\ndata: two\ndata: lines\n\n"), fetch.out.constData());
    stream->write("0\r\n\r\n"); // the stream ends: EventSource connects again
    stream->close();
    QVERIFY2(fetch.waitForOutput("event: message\nid: 2\ndata: 2 was the last\n\n"), fetch.out.constData());
    QCOMPARE(server->requests().size(), 2);
    QCOMPARE(server->requests().at(0).header("Accept"), QByteArray("text/event-stream"));
    QCOMPARE(server->lastRequest().header("Last-Event-ID"), QByteArray("2"));
    QCOMPARE(fetch.interrupt(), 0); // Ctrl-C ends a stream that has no end
    QCOMPARE(fetch.out,
             QByteArray("event: message\nid: 1\ndata: first\n\n"
                        "event: update\nid: 2\ndata: two\ndata: lines\n\n"
                        "event: message\nid: 2\ndata: 2 was the last\n\n"));
    QVERIFY2(fetch.err.contains("; reconnecting") && fetch.err.contains("* reconnecting: attempt 1 after 20 ms"),
             fetch.err.constData());
}

void tst_Fetch::sseStopsWhenTheServerRefuses()
{
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/no-content")
            return c->respond(204, "No Content");
        if (r.target == "/missing")
            return c->respond(404, "Not Found", {{"Content-Type", "text/event-stream"}}, "data: x\n\n");
        c->respond(200, "OK", {{"Content-Type", "text/plain"}}, "data: x\n\n");
    });
    // A wrong type is a failure (1), an error status an HTTP error (2), 204 the server's "stop" (0).
    const QList<QPair<const char *, int>> cases = {{"/plain", 1}, {"/missing", 2}, {"/no-content", 0}};
    for (const auto &[path, exitCode] : cases) {
        Live fetch({QStringLiteral("--sse"), server->url(QLatin1String(path)).toString()});
        QCOMPARE(fetch.finish(), exitCode);
        QCOMPARE(fetch.out, QByteArray());
        QVERIFY2(fetch.err.contains("fetch: the stream ended: "), fetch.err.constData());
    }
    QCOMPARE(server->requests().size(), 3); // none of them is tried again
    QVERIFY2(server->requests().constLast().hasHeader("Cache-Control"), "EventSource's own headers");

    // -i prints the head of each connection that opens the stream; 204 then stops it.
    int connections = 0;
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        if (++connections > 1)
            return c->respond(204, "No Content");
        c->respond(200, "OK", {{"Content-Type", "text/event-stream"}}, "retry: 1\ndata: x\n\n");
    });
    Live fetch({QStringLiteral("--sse"), QStringLiteral("-i"), server->url(QStringLiteral("/once")).toString()});
    QCOMPARE(fetch.finish(), 0);
    QVERIFY2(fetch.out.startsWith("HTTP 200 OK\r\n") && fetch.out.contains("Content-Type: text/event-stream\r\n")
                 && fetch.out.endsWith("\r\n\r\nevent: message\ndata: x\n\n"),
             fetch.out.constData());
    QVERIFY2(fetch.err.contains("204 No Content"), fetch.err.constData());
    QCOMPARE(connections, 2);
}

void tst_Fetch::sseReadsARequestWithABodyOnce()
{
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/missing")
            return c->respond(404, "Not Found", {{"Content-Type", "text/plain"}}, "no such model");
        startStream(c, "text/event-stream");
        c->write(chunk("data: {\"token\":\"Hel\"}\n\n")
                 + chunk("data: {\"token\":\"lo\"}\n\nevent: done\ndata: " + r.method + ' ' + r.body + "\n\n")
                 + "0\r\n\r\n");
    });
    Live fetch({QStringLiteral("--sse"), QStringLiteral("-d"), QStringLiteral("{\"prompt\":\"hi\"}"),
                server->url(QStringLiteral("/v1/chat")).toString()});
    QCOMPARE(fetch.finish(), 0);
    QCOMPARE(fetch.out,
             QByteArray("event: message\ndata: {\"token\":\"Hel\"}\n\n"
                        "event: message\ndata: {\"token\":\"lo\"}\n\n"
                        "event: done\ndata: POST {\"prompt\":\"hi\"}\n\n"));
    QCOMPARE(server->requests().size(), 1); // read once: a POST is not sent again when it ends
    QCOMPARE(server->lastRequest().header("Accept"), QByteArray("text/event-stream"));

    Live missing({QStringLiteral("--sse"), QStringLiteral("-d"), QStringLiteral("{}"),
                  server->url(QStringLiteral("/missing")).toString()});
    QCOMPARE(missing.finish(), 2);
    QCOMPARE(missing.out, QByteArray("no such model")); // an error's body as it came
    QVERIFY2(missing.err.contains("HTTP 404 Not Found"), missing.err.constData());
}

void tst_Fetch::ndjsonPrintsEachLineAsItArrives()
{
    QPointer<TestConnection> stream;
    server->setHandler([&](TestConnection *c, const RawRequest &) {
        stream = c;
        startStream(c, "application/x-ndjson");
        c->write(chunk("{\"a\": 1}\n{\"b\": \n")); // the second line is no JSON
    });
    Live fetch({QStringLiteral("--ndjson"), server->url(QStringLiteral("/lines")).toString()});
    QVERIFY2(fetch.waitForOutput("{\"a\":1}\n"), fetch.out.constData());
    // Blank lines skipped, a line cut between two chunks, CRLF.
    stream->write(chunk("[1, 2]\n\"text\"\n\n   \n4") + chunk("2\r\nnull\n"));
    QVERIFY2(fetch.waitForOutput("null\n"), fetch.out.constData());
    stream->write(chunk("{\"last\": true}") + "0\r\n\r\n"); // the last line without a line end
    QCOMPARE(fetch.finish(), 4);
    QCOMPARE(fetch.out, QByteArray("{\"a\":1}\n[1,2]\n\"text\"\n42\nnull\n{\"last\":true}\n"));
    QVERIFY2(fetch.err.contains("fetch: --ndjson: line 2, column ") && fetch.err.contains("1 line(s) were no JSON"),
             fetch.err.constData());
    QCOMPARE(server->lastRequest().header("Accept"),
             QByteArray("application/x-ndjson, application/jsonl;q=0.9, */*;q=0.8"));

    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"Content-Type", "application/x-ndjson"}}, "{\"n\":1}\n{\"n\":2}\n");
    });
    Live good({QStringLiteral("--ndjson"), server->url(QStringLiteral("/lines")).toString()});
    QCOMPARE(good.finish(), 0);
    QCOMPARE(good.out, QByteArray("{\"n\":1}\n{\"n\":2}\n"));
    QCOMPARE(good.err, QByteArray());
}

void tst_Fetch::ndjsonStopsOnInterrupt()
{
    server->setHandler([](TestConnection *c, const RawRequest &) {
        startStream(c, "application/x-ndjson");
        c->write(chunk("{\"log\":\"started\"}\n")); // and then nothing: a feed that goes on
    });
    Live fetch({QStringLiteral("--ndjson"), server->url(QStringLiteral("/feed")).toString()});
    QVERIFY2(fetch.waitForOutput("{\"log\":\"started\"}\n"), fetch.out.constData());
    QCOMPARE(fetch.interrupt(), 0);
    QCOMPARE(fetch.out, QByteArray("{\"log\":\"started\"}\n"));
}

void tst_Fetch::streamUsage()
{
    const QString url = server->url().toString();
    QCOMPARE(run({QStringLiteral("--sse"), QStringLiteral("--ndjson"), url}).exitCode, 3);
    QCOMPARE(run({QStringLiteral("--ndjson"), QStringLiteral("--json"), url}).exitCode, 3);
    QCOMPARE(run({QStringLiteral("--sse"), QStringLiteral("-o"), QStringLiteral("x"), url}).exitCode, 3);
    const Run help = run({QStringLiteral("--help")});
    QVERIFY2(help.out.contains("--sse") && help.out.contains("--ndjson"), help.out.constData());
}

QTEST_GUILESS_MAIN(tst_Fetch)
#include "tst_fetch.moc"
