// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Response as a device and a signal source, against Courier::Test's MockServer: status, headers,
// streaming, progress, text/JSON, abort and deletion, timeouts, and servers that break framing.

#include <Courier/Client>
#include <Courier/MockServer>
#include <Courier/Response>

#include "spy.h"
#include "testserver.h"

#include <QtCore/QDebug>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonParseError>
#include <QtCore/QJsonValue>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;
using namespace std::chrono_literals;

namespace {

// An answer that does not come within any test: the request is read, and nothing is sent.
MockResponse never() { return MockResponse().setHeadersDelay(1h); }

} // namespace

class tst_Response : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void success();
    void reasonPhrase_data();
    void reasonPhrase();
    void headers();
    void chunkedOddSizes();
    void streamsAsItArrives();
    void noBodyProgress_data();
    void noBodyProgress();
    void uploadProgressOnlyWithBody();
    void abortKeepsReceivedData();
    void abortFromASlotEndsTheSignals_data();
    void abortFromASlotEndsTheSignals();
    void abortAfterFinishIsNoop();
    void deleteInsideSignal_data();
    void deleteInsideSignal();
    void deleteMidTransfer();
    void connectionSignals();
    void noPropertyHidesASignal();
    void qmlFacingProperties();
    void debugOutput();
    void textCharset_data();
    void textCharset();
    void jsonParseError();
    void result_data();
    void result();
    void waitForFinished();
    void contentLengthLargerThanBody();
    void contentLengthSmallerThanBody();
    void closeInsideChunk();
    void garbageStatusLine();
    void readTimeout();
    void totalTimeout();
    void abortIsNotTimeout();

private:
    std::unique_ptr<MockServer> server;
    std::unique_ptr<Client> client;
};

void tst_Response::init()
{
    server = std::make_unique<MockServer>();
    QVERIFY2(server->listen(), qPrintable(server->errorString()));
    server->setDefaultResponse(MockResponse(200, "ok")); // each test answers otherwise, or with this
    client = std::make_unique<Client>();
}

void tst_Response::success()
{
    server->setDefaultResponse(MockResponse(200, "hello").setHeader("Content-Type", "text/plain"));
    Response *r = client->get(server->url(QStringLiteral("/hello")));
    SignalLog log(r);
    QSignalSpy finished(r, &Response::finished);
    QVERIFY(finished.isValid());
    QVERIFY(r->isRunning());
    QVERIFY(!r->isFinished());
    QVERIFY(r->isOpen() && r->isReadable() && !r->isWritable() && r->isSequential());
    QVERIFY(finished.wait(10000));

    QCOMPARE(log.sequence(), QStringLiteral("headers download finished"));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->statusMessage(), QStringLiteral("OK"));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->category(), Response::None);
    QCOMPARE(r->errorString(), QString()); // not QIODevice's "Unknown error"
    QVERIFY(!r->hasTransportError());
    QVERIFY(r->isHttpSuccess());
    QVERIFY(r->isComplete());
    QVERIFY(!r->isRunning());
    QVERIFY(r->isFinished());
    QCOMPARE(r->contentLength(), 5);
    QCOMPARE(r->bytesReceived(), 5);
    QCOMPARE(r->url(), server->url(QStringLiteral("/hello")));
    QCOMPARE(r->bytesAvailable(), 5);
    QCOMPARE(r->readAll(), QByteArray("hello"));
    QVERIFY(r->atEnd());
    QCOMPARE(log.downloads.last(), (QPair<qint64, qint64>(5, 5)));
    const MockRequest request = server->takeRequest();
    QCOMPARE(request.method(), QByteArray("GET"));
    QVERIFY(request.header("User-Agent").startsWith("Courier/"));
    QVERIFY(r->reply() != nullptr);
    QTest::qWait(50);
    QCOMPARE(finished.size(), 1); // exactly once, also after the event loop ran again
}

void tst_Response::reasonPhrase_data()
{
    QTest::addColumn<QByteArray>("statusLine");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("none, from the table") << QByteArray("HTTP/1.1 200") << 200 << QStringLiteral("OK");
    QTest::newRow("none, 404") << QByteArray("HTTP/1.1 404") << 404 << QStringLiteral("Not Found");
    QTest::newRow("server's own") << QByteArray("HTTP/1.1 200 Fine Thanks") << 200 << QStringLiteral("Fine Thanks");
    QTest::newRow("unregistered code") << QByteArray("HTTP/1.1 299") << 299 << QString();
}

void tst_Response::reasonPhrase()
{
    QFETCH(QByteArray, statusLine);
    QFETCH(int, code);
    QFETCH(QString, message);
    server->setDefaultResponse(MockResponse::raw(statusLine + "\r\nContent-Length: 2\r\n\r\nok"));
    Response *r = client->get(server->url());
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->statusCode(), code);
    QCOMPARE(r->statusMessage(), message);
    QCOMPARE(r->readAll(), QByteArray("ok"));
}

void tst_Response::headers()
{
    server->setDefaultResponse(MockResponse(200)
                                   .addHeader("Content-Type", "text/plain")
                                   .addHeader("X-Multi", "a")
                                   .addHeader("x-multi", "b")
                                   .addHeader("Cache-Control", "no-cache, max-age=0")
                                   .addHeader("Set-Cookie", "a=1; Path=/")
                                   .addHeader("Set-Cookie", "b=2, c; Expires=Wed, 21 Oct 2026 07:28:00 GMT")
                                   .addHeader("Date", "Wed, 21 Oct 2026 07:28:00 GMT")
                                   .addHeader("X-Quoted", "\"x, y\", z"));
    Response *r = client->get(server->url());
    QSignalSpy headers(r, &Response::headersReceived);
    QVERIFY(headers.wait(10000));
    QCOMPARE(headers.size(), 1);
    QCOMPARE(r->header("content-type"), QByteArray("text/plain"));
    QCOMPARE(r->header("CONTENT-TYPE"), QByteArray("text/plain"));
    QVERIFY(r->hasHeader("x-MULTI"));
    QVERIFY(r->header("X-Absent").isNull());
    QVERIFY(!r->hasHeader("X-Absent"));
    QCOMPARE(r->header("X-Multi"), QByteArray("a, b"));
    QCOMPARE(r->headerValues("x-multi"), (QList<QByteArray>{"a", "b"}));
    QCOMPARE(r->headerValues("Cache-Control"), (QList<QByteArray>{"no-cache", "max-age=0"}));
    QCOMPARE(r->headerValues("Set-Cookie"),
             (QList<QByteArray>{"a=1; Path=/", "b=2, c; Expires=Wed, 21 Oct 2026 07:28:00 GMT"}));
    QCOMPARE(r->headerValues("Date"), (QList<QByteArray>{"Wed, 21 Oct 2026 07:28:00 GMT"}));
    QCOMPARE(r->headerValues("X-Quoted"), (QList<QByteArray>{"\"x, y\"", "z"}));
    const QVariantMap map = r->headerMap();
    QCOMPARE(map.value(QStringLiteral("content-type")).toString(), QStringLiteral("text/plain"));
    QCOMPARE(map.value(QStringLiteral("x-multi")).toString(), QStringLiteral("a, b"));
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        QCOMPARE(it.key(), it.key().toLower());
    QVERIFY(r->waitForFinished(10000));
}

void tst_Response::chunkedOddSizes()
{
    QByteArray expected;
    QByteArray wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    int n = 0;
    for (int size : {1, 3, 7, 4096, 13, 65537, 2}) {
        const QByteArray chunk(size, char('a' + n++ % 26));
        expected += chunk;
        wire += QByteArray::number(size, 16) + (n == 3 ? ";ext=1" : "") + "\r\n" + chunk + "\r\n";
    }
    wire += "0\r\n\r\n";
    // Split at awkward places: inside the size line, inside data, between CR and LF.
    server->setDefaultResponse(MockResponse::raw(wire).setThrottle(997, 1ms));
    Response *r = client->get(server->url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->contentLength(), -1);
    QVERIFY(r->isComplete());
    QCOMPARE(r->readAll(), expected);
    QCOMPARE(log.downloads.last().first, qint64(expected.size()));
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
}

void tst_Response::streamsAsItArrives()
{
    server->setDefaultResponse(MockResponse(200, "one,two,three").setThrottle(5, 100ms)); // three pieces
    Response *r = client->get(server->url());
    QByteArray got;
    int readyReads = 0;
    bool finishedBeforeLast = false;
    connect(r, &QIODevice::readyRead, this, [&] {
        ++readyReads;
        got += r->read(r->bytesAvailable());
        finishedBeforeLast = finishedBeforeLast || r->isFinished();
    });
    QVERIFY(r->waitForFinished(10000));
    got += r->readAll();
    QCOMPARE(got, QByteArray("one,two,three"));
    QVERIFY2(readyReads >= 3, QByteArray::number(readyReads).constData());
    QVERIFY(!finishedBeforeLast);
    QVERIFY(r->isComplete());
}

void tst_Response::noBodyProgress_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<int>("status");
    QTest::newRow("204") << QByteArray("GET") << 204;
    QTest::newRow("HEAD") << QByteArray("HEAD") << 200;
    QTest::newRow("empty 200") << QByteArray("GET") << 200;
}

void tst_Response::noBodyProgress()
{
    QFETCH(QByteArray, method);
    QFETCH(int, status);
    // A HEAD's answer has the length of the body it leaves out.
    server->setDefaultResponse(method == "HEAD" ? MockResponse(200, QByteArray(1234, 'h')) : MockResponse(status));
    Response *r = client->send(Request(server->url(), method));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->statusCode(), status);
    QVERIFY(!log.downloads.isEmpty());
    QCOMPARE(log.downloads.last(), (QPair<qint64, qint64>(0, 0)));
    QCOMPARE(log.count(QStringLiteral("upload")), 0);
    QCOMPARE(r->readAll(), QByteArray());
}

void tst_Response::uploadProgressOnlyWithBody()
{
    Response *get = client->get(server->url());
    SignalLog getLog(get);
    const QByteArray body(300 * 1024, 'x');
    Response *post = client->post(server->url(), body);
    SignalLog postLog(post);
    QVERIFY(get->waitForFinished(10000));
    QVERIFY(post->waitForFinished(10000));
    QCOMPARE(getLog.count(QStringLiteral("upload")), 0);
    QVERIFY(postLog.count(QStringLiteral("upload")) >= 1);
    QCOMPARE(postLog.uploads.last(), (QPair<qint64, qint64>(body.size(), body.size())));
    QCOMPARE(post->bytesSent(), qint64(body.size()));
    MockRequest posted = server->takeRequest();
    if (posted.method() != "POST")
        posted = server->takeRequest(); // the two may have come in either order
    QCOMPARE(posted.method(), QByteArray("POST"));
    QCOMPARE(posted.body().size(), body.size());
}

void tst_Response::abortKeepsReceivedData()
{
    server->setDefaultResponse(MockResponse(200, "first part").setHeader("Content-Length", "1000")); // then silence
    Response *r = client->get(server->url());
    SignalLog log(r);
    QTRY_COMPARE_WITH_TIMEOUT(r->bytesAvailable(), qint64(10), 10000);
    QCOMPARE(r->bytesReceived(), qint64(10));
    r->abort();
    // abort() finishes at once, like QNetworkReply::abort().
    QVERIFY(r->isFinished());
    QCOMPARE(r->error(), Response::OperationCanceled);
    QCOMPARE(r->category(), Response::Network);
    QVERIFY(r->hasTransportError());
    QVERIFY(!r->isComplete());
    QVERIFY(r->errorString().contains(QLatin1String("abort"), Qt::CaseInsensitive));
    QCOMPARE(r->readAll(), QByteArray("first part"));
    QCOMPARE(log.count(QStringLiteral("error")), 1);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QVERIFY(log.sequence().endsWith(QLatin1String("error finished")));
    QTest::qWait(50);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
}

void tst_Response::abortFromASlotEndsTheSignals_data()
{
    QTest::addColumn<QString>("signal");
    QTest::addColumn<qint64>("readBufferSize");
    QTest::newRow("readyRead") << QStringLiteral("readyRead") << qint64(0);
    QTest::newRow("readyRead, read buffer") << QStringLiteral("readyRead") << qint64(1 << 20);
    QTest::newRow("downloadProgress") << QStringLiteral("downloadProgress") << qint64(0);
    QTest::newRow("downloadProgress, read buffer") << QStringLiteral("downloadProgress") << qint64(1 << 20);
}

void tst_Response::abortFromASlotEndsTheSignals()
{
    // Aborted from inside one of its own signals while the body is still coming: finished() is
    // the last signal, and the slot is not entered again from within abort().
    QFETCH(QString, signal);
    QFETCH(qint64, readBufferSize);
    server->setDefaultResponse(MockResponse(200, QByteArray(1 << 20, 'd')).setThrottle(16384, 5ms));
    Request request(server->url());
    request.setReadBufferSize(readBufferSize);
    Response *r = client->send(request);
    SignalLog log(r);
    int depth = 0;
    int deepest = 0;
    const auto stop = [&] {
        deepest = std::max(deepest, ++depth);
        r->readAll(); // as an application writing it somewhere would
        if (r->bytesReceived() > 0)
            r->abort();
        --depth;
    };
    if (signal == QLatin1String("readyRead"))
        connect(r, &QIODevice::readyRead, this, stop);
    else
        connect(r, &Response::downloadProgress, this, stop);
    QTRY_VERIFY_WITH_TIMEOUT(r->isFinished(), 10000);
    QTest::qWait(200); // what Qt had queued for the reply has run
    QCOMPARE(r->error(), Response::OperationCanceled);
    QCOMPARE(log.names.last(), QStringLiteral("finished"));
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QCOMPARE(deepest, 1);
}

void tst_Response::abortAfterFinishIsNoop()
{
    Response *r = client->get(server->url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    r->abort();
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QCOMPARE(log.count(QStringLiteral("error")), 0);
    QCOMPARE(r->readAll(), QByteArray("ok"));
}

void tst_Response::deleteInsideSignal_data()
{
    QTest::addColumn<QString>("signal");
    QTest::addColumn<QString>("ending"); // ok, 404, a read timeout, a body over the limit
    for (const char *s :
         {"connecting", "connected", "requestSent", "headersReceived", "readyRead", "downloadProgress", "finished"})
        QTest::addRow("%s", s) << QString::fromLatin1(s) << QStringLiteral("ok");
    // The ends Courier makes itself abort the reply, whose last signals come from inside abort().
    for (const char *ending : {"404", "read timeout", "body limit"}) {
        QTest::addRow("errorOccurred after %s", ending)
            << QStringLiteral("errorOccurred") << QString::fromLatin1(ending);
        QTest::addRow("finished after %s", ending) << QStringLiteral("finished") << QString::fromLatin1(ending);
    }
}

void tst_Response::deleteInsideSignal()
{
    QFETCH(QString, signal);
    QFETCH(QString, ending);
    const QByteArray body(100000, 'z');
    Request request(server->url());
    if (ending == QLatin1String("404")) {
        server->setDefaultResponse(MockResponse(404, body));
    } else if (ending == QLatin1String("read timeout")) {
        server->setDefaultResponse(
            MockResponse(200, body).setFault(MockResponse::Fault::Stall, MockResponse::Phase::Body, 1000));
        request.setReadTimeout(200);
    } else if (ending == QLatin1String("body limit")) {
        server->setDefaultResponse(MockResponse(200, body).setChunked(1000));
        request.setMaximumBodySize(5000);
    } else {
        server->setDefaultResponse(MockResponse(200, body));
    }
    QPointer<Response> r = client->send(request);
    bool deleted = false;
    auto killer = [&] {
        if (!deleted) {
            deleted = true;
            delete r.data();
        }
    };
    if (signal == QLatin1String("connecting"))
        connect(r, &Response::connecting, this, killer);
    else if (signal == QLatin1String("connected"))
        connect(r, &Response::connected, this, killer);
    else if (signal == QLatin1String("requestSent"))
        connect(r, &Response::requestSent, this, killer);
    else if (signal == QLatin1String("headersReceived"))
        connect(r, &Response::headersReceived, this, killer);
    else if (signal == QLatin1String("readyRead"))
        connect(r, &QIODevice::readyRead, this, killer);
    else if (signal == QLatin1String("downloadProgress"))
        connect(r, &Response::downloadProgress, this, killer);
    else if (signal == QLatin1String("errorOccurred"))
        connect(r, &Response::errorOccurred, this, killer);
    else
        connect(r, &Response::finished, this, killer);
    QTRY_VERIFY_WITH_TIMEOUT(deleted, 10000);
    QVERIFY(r.isNull());
    QTest::qWait(100); // the reply's own pending events must not reach the dead Response
}

void tst_Response::deleteMidTransfer()
{
    // The one test on the private TestServer: MockServer cannot show the client going away.
    TestServer watched;
    QPointer<TestConnection> connection;
    watched.setHandler([&](TestConnection *c, const RawRequest &) {
        connection = c;
        c->write("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n");
        c->drip(QList<QByteArray>(1000, QByteArray(1000, 'd')), 5);
    });
    QPointer<Response> r = client->get(watched.url());
    QTRY_VERIFY_WITH_TIMEOUT(r->bytesReceived() > 0, 10000);
    delete r.data();
    // The connection is torn down: the server sees the client go away.
    QTRY_VERIFY_WITH_TIMEOUT(connection.isNull(), 10000);
}

void tst_Response::connectionSignals()
{
    // Plain http: connecting, connected and requestSent, each once, before the headers; a second
    // request over the kept-alive connection only sends. (Over TLS: tst_tls's pinning().)
    server->setDefaultResponse(MockResponse(200, "hello").setHeader("Content-Type", "text/plain"));
    const auto record = [this](Response *r, QStringList *events) {
        connect(r, &Response::connecting, this, [events] { events->append(QStringLiteral("connecting")); });
        connect(r, &Response::connected, this, [events] { events->append(QStringLiteral("connected")); });
        connect(r, &Response::tlsEstablished, this, [events] { events->append(QStringLiteral("tls")); });
        connect(r, &Response::requestSent, this, [events] { events->append(QStringLiteral("sent")); });
        connect(r, &Response::headersReceived, this, [events] { events->append(QStringLiteral("headers")); });
        connect(r, &Response::finished, this, [events] { events->append(QStringLiteral("finished")); });
    };
    QStringList first;
    Response *r = client->get(server->url(QStringLiteral("/one")));
    record(r, &first);
    QVERIFY(first.isEmpty()); // never from inside the call that made the Response
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(first.join(QLatin1Char(' ')), QStringLiteral("connecting connected sent headers finished"));
    QStringList second;
    Response *again = client->get(server->url(QStringLiteral("/two")));
    record(again, &second);
    QVERIFY(again->waitForFinished(10000));
    QCOMPARE(second.join(QLatin1Char(' ')), QStringLiteral("sent headers finished"));
    QCOMPARE(server->connectionCount(), 1);
}

void tst_Response::noPropertyHidesASignal()
{
    // In QML a property hides a signal of the same name (r.finished.connect() would fail).
    const QMetaObject &meta = Response::staticMetaObject;
    for (int p = 0; p < meta.propertyCount(); ++p) {
        const QByteArray name = meta.property(p).name();
        for (int m = 0; m < meta.methodCount(); ++m) {
            const QMetaMethod method = meta.method(m);
            QVERIFY2(method.methodType() != QMetaMethod::Signal || method.name() != name, name.constData());
        }
    }
    QVERIFY(meta.indexOfProperty("running") >= 0);
    QVERIFY(meta.indexOfSignal("finished()") >= 0);
}

void tst_Response::qmlFacingProperties()
{
    server->setDefaultResponse(MockResponse(200, "{}")
                                   .setHeader("Content-Type", "application/json")
                                   .setHeader("Set-Cookie", "a=1; Path=/; HttpOnly"));
    Response *r = client->get(server->url());
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->property("ok").toBool(), true);
    QCOMPARE(r->property("resultType").value<Request::DataType>(), Request::DataType::Json);
    const QVariantList cookies = r->property("cookies").toList();
    QCOMPARE(cookies.size(), 1);
    const QVariantMap cookie = cookies.first().toMap();
    QCOMPARE(cookie.value(QStringLiteral("name")).toString(), QStringLiteral("a"));
    QCOMPARE(cookie.value(QStringLiteral("value")).toString(), QStringLiteral("1"));
    QCOMPARE(cookie.value(QStringLiteral("domain")).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(cookie.value(QStringLiteral("httpOnly")).toBool(), true);
    QCOMPARE(cookie.value(QStringLiteral("session")).toBool(), true);
    QVERIFY(!cookie.contains(QStringLiteral("expires")));
}

void tst_Response::debugOutput()
{
    // As Qt shows a QObject pointer: null-safe, then what the Response is doing, and no password.
    const auto debugged = [](const Response *response) {
        QString out;
        QDebug(&out).nospace() << response;
        return out;
    };
    QCOMPARE(debugged(nullptr), QStringLiteral("Courier::Response(0x0)"));

    server->setDefaultResponse(MockResponse(404, "no").setHeader("Content-Type", "text/plain"));
    QUrl url = server->url(QStringLiteral("/missing"));
    url.setUserInfo(QStringLiteral("alice:url-secret"));
    Response *r = client->post(url, QByteArray("body"));
    const QString address = QStringLiteral("0x%1").arg(quintptr(r), 0, 16);
    const QString shownUrl = server->url(QStringLiteral("/missing")).toString();
    QString shown = debugged(r);
    QVERIFY2(shown.startsWith(QStringLiteral("Courier::Response(%1, \"POST\", QUrl(\"").arg(address)),
             qPrintable(shown));
    QVERIFY2(shown.endsWith(QLatin1String(", running)")), qPrintable(shown));
    QVERIFY2(!shown.contains(QLatin1String("url-secret")), qPrintable(shown));
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(debugged(r),
             QStringLiteral("Courier::Response(%1, \"POST\", QUrl(\"%2\"), finished, statusCode: 404, "
                            "error: ContentNotFound)")
                 .arg(address, shownUrl));

    // Refused before anything was sent: no status, the error.
    r = client->get(QUrl(QStringLiteral("ftp://127.0.0.1/")));
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(debugged(r),
             QStringLiteral("Courier::Response(0x%1, \"GET\", QUrl(\"ftp://127.0.0.1/\"), finished, "
                            "error: ProtocolUnknown)")
                 .arg(quintptr(r), 0, 16));
}

void tst_Response::textCharset_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("text");
    const QString ete = QStringLiteral("\u00e9t\u00e9 \u20ac");
    QTest::newRow("utf-8 by default") << QByteArray("text/plain") << ete.toUtf8() << ete;
    QTest::newRow("utf-8 named") << QByteArray("text/plain; charset=UTF-8") << ete.toUtf8() << ete;
    QTest::newRow("latin-1") << QByteArray("text/plain; charset=\"ISO-8859-1\"") << QByteArray("\xe9t\xe9")
                             << QStringLiteral("\u00e9t\u00e9");
    QTest::newRow("utf-16le") << QByteArray("text/plain;charset=utf-16le")
                              << QByteArray(reinterpret_cast<const char *>(ete.utf16()), ete.size() * 2) << ete;
    QTest::newRow("unknown charset falls back to utf-8")
        << QByteArray("text/plain; charset=x-no-such") << ete.toUtf8() << ete;
}

void tst_Response::textCharset()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, text);
    server->setDefaultResponse(MockResponse(200, bytes).setHeader("Content-Type", contentType));
    Response *r = client->get(server->url());
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->text(), text);
    QCOMPARE(r->text(), text); // kept: a second call gives the same
    QCOMPARE(r->body(), bytes);
}

void tst_Response::jsonParseError()
{
    const MockResponse json = MockResponse().setHeader("Content-Type", "application/json");
    server->route("GET", QStringLiteral("/good"), MockResponse(json).setBody("{\"a\": [1, 2]}"));
    server->route("GET", QStringLiteral("/bad"), MockResponse(json).setBody("{\"a\": [1, 2"));
    Response *good = client->get(server->url(QStringLiteral("/good")));
    Response *bad = client->get(server->url(QStringLiteral("/bad")));
    QVERIFY(good->waitForFinished(10000));
    QVERIFY(bad->waitForFinished(10000));
    QString error;
    const QJsonValue value = good->json(&error);
    QVERIFY(error.isEmpty());
    QCOMPARE(value[QStringLiteral("a")].toArray().size(), 2);
    QCOMPARE(good->text(), QStringLiteral("{\"a\": [1, 2]}")); // text() after json() still has it
    QVERIFY(bad->json(&error).isUndefined());
    QVERIFY2(error.startsWith(QLatin1String("The body is not JSON")), qPrintable(error));
    QVERIFY(bad->json().isUndefined());
    QCOMPARE(bad->error(), Response::NoError); // a parse error is not a transfer error
}

void tst_Response::result_data()
{
    QTest::addColumn<Request::DataType>("expected");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Request::DataType>("type");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<bool>("parseError");
    using T = Request::DataType;
    const QJsonObject object{{QStringLiteral("a"), 1}};
    QTest::newRow("auto json") << T::Auto << QByteArray("application/json") << QByteArray("{\"a\":1}") << T::Json
                               << QVariant::fromValue(QJsonValue(object)) << false;
    QTest::newRow("auto +json") << T::Auto << QByteArray("application/problem+json; charset=utf-8") << QByteArray("[1]")
                                << T::Json << QVariant::fromValue(QJsonValue(QJsonArray{1})) << false;
    QTest::newRow("auto text") << T::Auto << QByteArray("Text/HTML; charset=utf-8") << QByteArray("<p>") << T::Text
                               << QVariant(QStringLiteral("<p>")) << false;
    QTest::newRow("auto xml") << T::Auto << QByteArray("application/atom+xml") << QByteArray("<a/>") << T::Text
                              << QVariant(QStringLiteral("<a/>")) << false;
    QTest::newRow("auto bytes") << T::Auto << QByteArray("image/png") << QByteArray("\x89PNG") << T::Bytes
                                << QVariant(QByteArray("\x89PNG")) << false;
    QTest::newRow("auto without type") << T::Auto << QByteArray() << QByteArray("x") << T::Bytes
                                       << QVariant(QByteArray("x")) << false;
    QTest::newRow("text asked") << T::Text << QByteArray("application/json") << QByteArray("{}") << T::Text
                                << QVariant(QStringLiteral("{}")) << false;
    QTest::newRow("bytes asked") << T::Bytes << QByteArray("text/plain") << QByteArray("hi") << T::Bytes
                                 << QVariant(QByteArray("hi")) << false;
    QTest::newRow("json asked, scalar") << T::Json << QByteArray("text/plain") << QByteArray(" 42 ") << T::Json
                                        << QVariant::fromValue(QJsonValue(42)) << false;
    QTest::newRow("json asked, string") << T::Json << QByteArray() << QByteArray("\"s\"") << T::Json
                                        << QVariant::fromValue(QJsonValue(QStringLiteral("s"))) << false;
    QTest::newRow("json asked, not json")
        << T::Json << QByteArray("text/html") << QByteArray("<html>") << T::Json << QVariant() << true;
    QTest::newRow("json asked, two values")
        << T::Json << QByteArray() << QByteArray("1,2") << T::Json << QVariant() << true;
    QTest::newRow("json asked, empty") << T::Json << QByteArray() << QByteArray() << T::Json << QVariant() << true;
    QTest::newRow("auto json, truncated")
        << T::Auto << QByteArray("application/json") << QByteArray("{\"a\":") << T::Json << QVariant() << true;
}

void tst_Response::result()
{
    QFETCH(Request::DataType, expected);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, bytes);
    QFETCH(Request::DataType, type);
    QFETCH(QVariant, value);
    QFETCH(bool, parseError);
    MockResponse answer(200, bytes);
    if (!contentType.isEmpty())
        answer.setHeader("Content-Type", contentType);
    server->setDefaultResponse(answer);
    Request request(server->url());
    request.setExpectedDataType(expected);
    Response *r = client->send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->resultType(), type);
    QString errorString;
    const QVariant result = r->result(&errorString);
    QCOMPARE(result, value);
    QCOMPARE(!errorString.isEmpty(), parseError);
    if (parseError)
        QVERIFY2(errorString.startsWith(QLatin1String("The body is not JSON")), qPrintable(errorString));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->body(), bytes); // the raw bytes stay readable
}

void tst_Response::waitForFinished()
{
    server->setDefaultResponse(MockResponse(200, "abcdef").setThrottle(2, 50ms));
    Response *r = client->get(server->url());
    QVERIFY(r->waitForReadyRead(10000));
    QVERIFY(r->bytesAvailable() > 0);
    QVERIFY(r->waitForFinished(10000));
    QVERIFY(r->waitForFinished(0)); // already finished: true at once
    QCOMPARE(r->readAll(), QByteArray("abcdef"));
    QVERIFY(!r->waitForReadyRead(10)); // finished and drained

    server->setDefaultResponse(never());
    Response *stalled = client->get(server->url());
    QVERIFY(!stalled->waitForFinished(200));
    QVERIFY(stalled->isRunning());
    stalled->abort();
}

void tst_Response::contentLengthLargerThanBody()
{
    server->setDefaultResponse(
        MockResponse(200, "only ten b").setHeader("Content-Length", "100").setHeader("Connection", "close"));
    Response *r = client->get(server->url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::RemoteHostClosed);
    QCOMPARE(r->category(), Response::Network);
    QVERIFY(r->hasTransportError());
    QVERIFY(!r->isComplete());
    QCOMPARE(r->statusCode(), 200);
    QCOMPARE(r->contentLength(), 100);
    QCOMPARE(r->readAll(), QByteArray("only ten b"));
    QCOMPARE(log.sequence(), QStringLiteral("headers download error finished"));
}

void tst_Response::contentLengthSmallerThanBody()
{
    server->setDefaultResponse(MockResponse(200, "0123456789").setHeader("Content-Length", "5"));
    Response *r = client->get(server->url());
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll(), QByteArray("01234")); // exactly what was announced
}

void tst_Response::closeInsideChunk()
{
    // The bytes, then the connection closes (a raw answer's fault comes after its bytes).
    server->setDefaultResponse(
        MockResponse::raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\nhalf")
            .setFault(MockResponse::Fault::Close, MockResponse::Phase::InsideChunk));
    Response *r = client->get(server->url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    // Qt 6.4's HTTP/1 engine sometimes ends a chunked body at the connection's close as if it were
    // complete (QHttpProtocolHandler: an unconnected socket in ReadingDataState is "all done"), and
    // a QNetworkReply gives no way to tell; in other event orders it reports the close. Both are
    // asserted here: what arrived is kept, and the signals keep their order and count. When Qt does
    // report it, it is a transport error.
    QVERIFY(r->readAll().startsWith("hello"));
    if (r->hasTransportError()) {
        QCOMPARE(r->error(), Response::RemoteHostClosed);
        QVERIFY(!r->isComplete());
        QCOMPARE(log.count(QStringLiteral("error")), 1);
    } else {
        qInfo("Qt 6.4 took the cut chunked body for a complete one (known engine gap)");
    }
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QCOMPARE(log.names.last(), QStringLiteral("finished"));
}

void tst_Response::garbageStatusLine()
{
    server->setDefaultResponse(MockResponse::raw("this is not http at all\r\n\r\n")
                                   .setFault(MockResponse::Fault::Close, MockResponse::Phase::StatusLine));
    Response *r = client->get(server->url());
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QVERIFY(r->hasTransportError());
    QVERIFY2(r->error() == Response::ProtocolFailure || r->error() == Response::RemoteHostClosed,
             QByteArray::number(int(r->error())).constData());
    QVERIFY(!r->errorString().isEmpty());
    QCOMPARE(log.sequence().right(14), QStringLiteral("error finished"));
}

void tst_Response::readTimeout()
{
    server->setDefaultResponse(MockResponse(200, "some").setHeader("Content-Length", "100")); // then silence
    Request request(server->url());
    request.setReadTimeout(300);
    Response *r = client->send(request);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::Timeout);
    QVERIFY2(r->errorString().contains(QLatin1String("read timeout")), qPrintable(r->errorString()));
    QVERIFY(r->errorString().contains(QLatin1String("300 ms")));
    QCOMPARE(r->readAll(), QByteArray("some"));
    QCOMPARE(log.sequence(), QStringLiteral("headers download error finished"));
}

void tst_Response::totalTimeout()
{
    // Bytes keep coming, so the read timeout never fires; the total timeout does.
    server->setDefaultResponse(MockResponse(200, QByteArray(1000, 'x')).setThrottle(1, 20ms));
    client->setTotalTimeout(400);
    Request request(server->url());
    request.setReadTimeout(std::chrono::seconds(5));
    Response *r = client->send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::Timeout);
    QVERIFY2(r->errorString().contains(QLatin1String("total timeout of 400 ms")), qPrintable(r->errorString()));
    QVERIFY(r->bytesReceived() > 0);
}

void tst_Response::abortIsNotTimeout()
{
    server->setDefaultResponse(never());
    Request request(server->url());
    request.setReadTimeout(200);
    Response *r = client->send(request);
    QTest::qWait(50);
    r->abort();
    QCOMPARE(r->error(), Response::OperationCanceled);
    QTest::qWait(300); // the read timeout would have fired by now
    QCOMPARE(r->error(), Response::OperationCanceled);
}

QTEST_GUILESS_MAIN(tst_Response)
#include "tst_response.moc"
