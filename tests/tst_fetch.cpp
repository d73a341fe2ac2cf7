// The fetch example as a user runs it: body to stdout or a file, -i, -X/-H/-d, exit codes and
// error naming, and the progress bar when asked for.

#include "peers.h"
#include "testserver.h"

#include <QtCore/QDeadlineTimer>
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
    const Run r = run({server->url(QStringLiteral("/big")).toString(), QStringLiteral("-o"), file, QStringLiteral("--progress"),
                       QStringLiteral("always")});
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
    Run r = run({QStringLiteral("-X"), QStringLiteral("PUT"), QStringLiteral("-H"), QStringLiteral("X-A: one"), QStringLiteral("-d"),
                 QStringLiteral("{\"k\":1}"), server->url(QStringLiteral("/echo")).toString()});
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
    QVERIFY2(r.err.contains("HTTP 404 Not Found") && r.err.contains("error 203 ContentNotFound (Content)"), r.err.constData());
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
    QCOMPARE(run({QStringLiteral("--timeout"), QStringLiteral("soon"), QStringLiteral("http://127.0.0.1/")}).exitCode, 3);
    QCOMPARE(run({QStringLiteral("-H"), QStringLiteral("nocolon"), QStringLiteral("http://127.0.0.1/")}).exitCode, 3);
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

    r = run({QStringLiteral("--cacert"), nginx.pkiFile(QStringLiteral("cert.pem")), QStringLiteral("-v"), QStringLiteral("--progress"),
             QStringLiteral("never"), url});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("secure hello"));
    QVERIFY2(r.err.contains("* protocol: Http2"), r.err.constData());
    QVERIFY2(r.err.contains("TlsEstablished"), r.err.constData());

    r = run({QStringLiteral("--cacert"), nginx.pkiFile(QStringLiteral("cert.pem")), QStringLiteral("--pinnedpubkey"),
             QStringLiteral("sha256//") + QString::fromLatin1(QByteArray(32, 'x').toBase64()), QStringLiteral("--progress"),
             QStringLiteral("never"), url});
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

    r = run({QStringLiteral("--retry"), QStringLiteral("2"), QStringLiteral("-v"), server->url(QStringLiteral("/flaky")).toString()});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains("* attempt 2 in 0 ms"), r.err.constData());
    QVERIFY2(r.err.contains("Retrying"), r.err.constData());

    r = run({QStringLiteral("--max-filesize"), QStringLiteral("1000"), server->url(QStringLiteral("/page")).toString()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("too large"), r.err.constData());

    const QByteArray input(300000, 'i');
    r = run({QStringLiteral("--data-file"), QStringLiteral("-"), QStringLiteral("-X"), QStringLiteral("PUT"),
             server->url(QStringLiteral("/upload")).toString()},
            input);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("300000 300000")); // standard input, of unknown size, sent whole
}

QTEST_GUILESS_MAIN(tst_Fetch)
#include "tst_fetch.moc"
