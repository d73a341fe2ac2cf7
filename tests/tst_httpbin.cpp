// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Against httpbin under gunicorn: every method reaches /anything with its verb and body, and
// httpbin's status, redirect, header, streaming, drip and gzip endpoints behave through Courier.

#include <Courier/Client>

#include "peers.h"
#include "spy.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

class tst_Httpbin : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void crossOriginRedirectDropsCredentials();
    void methods_data();
    void methods();
    void status_data();
    void status();
    void redirects();
    void requestHeaders();
    void bytes();
    void streamLines();
    void drip();
    void gzip();

private:
    HttpbinPeer httpbin;
    Client client;
};

void tst_Httpbin::initTestCase() { COURIER_REQUIRE_PEER(httpbin); }

void tst_Httpbin::methods_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("echoed"); // httpbin's /anything echoes these; others it answers 405
    for (const char *m : {"GET", "DELETE", "TRACE"})
        QTest::newRow(m) << QByteArray(m) << QByteArray() << true;
    for (const char *m : {"POST", "PUT", "PATCH"})
        QTest::newRow(m) << QByteArray(m) << QByteArray("{\"m\":\"") + m + "\"}" << true;
    QTest::newRow("HEAD") << QByteArray("HEAD") << QByteArray() << false;
    QTest::newRow("OPTIONS") << QByteArray("OPTIONS") << QByteArray() << false;
    for (const char *m : {"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "NOTIFY", "SUBSCRIBE",
                          "UNSUBSCRIBE", "CONNECT", "X-CUSTOM"})
        QTest::newRow(m) << QByteArray(m) << QByteArray("<body/>") << false;
}

void tst_Httpbin::methods()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);
    QFETCH(bool, echoed);
    Request request(httpbin.url(QStringLiteral("/anything/path")), method);
    if (!body.isEmpty())
        request.setBody(body, body.startsWith('{') ? "application/json" : "application/xml");
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(20000));
    QVERIFY2(!r->hasTransportError(), qPrintable(r->errorString()));
    if (echoed) {
        QCOMPARE(r->statusCode(), 200);
        const QJsonObject json = r->json().toObject();
        QCOMPARE(json.value(QStringLiteral("method")).toString().toLatin1(), method);
        QCOMPARE(json.value(QStringLiteral("data")).toString().toLatin1(), body);
    } else if (method == "HEAD" || method == "OPTIONS") {
        QCOMPARE(r->statusCode(), 200);
        if (method == "OPTIONS")
            QVERIFY(r->header("Allow").contains("GET"));
    } else {
        // The server got the verb as sent and refused it as a method it does not route.
        QVERIFY2(r->statusCode() == 405 || r->statusCode() == 400, QByteArray::number(r->statusCode()).constData());
        if (r->statusCode() == 405)
            QCOMPARE(r->error(), Response::ContentOperationNotPermitted);
    }
    delete r;
}

void tst_Httpbin::status_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<Response::Error>("error");
    QTest::newRow("200") << 200 << Response::NoError;
    QTest::newRow("204") << 204 << Response::NoError;
    QTest::newRow("401") << 401 << Response::AuthenticationRequired;
    QTest::newRow("403") << 403 << Response::ContentAccessDenied;
    QTest::newRow("404") << 404 << Response::ContentNotFound;
    QTest::newRow("409") << 409 << Response::ContentConflict;
    QTest::newRow("410") << 410 << Response::ContentGone;
    QTest::newRow("418") << 418 << Response::UnknownContentError;
    QTest::newRow("500") << 500 << Response::InternalServerError;
    QTest::newRow("501") << 501 << Response::OperationNotImplemented;
    QTest::newRow("502") << 502 << Response::UnknownServerError;
    QTest::newRow("503") << 503 << Response::ServiceUnavailable;
}

void tst_Httpbin::status()
{
    QFETCH(int, code);
    QFETCH(Response::Error, error);
    Response *r = client.get(httpbin.url(QStringLiteral("/status/%1").arg(code)));
    SignalLog log(r);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), code);
    QCOMPARE(r->error(), error);
    QVERIFY(!r->hasTransportError());
    QCOMPARE(log.count(QStringLiteral("error")), error == Response::NoError ? 0 : 1);
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
}

void tst_Httpbin::redirects()
{
    Response *r = client.get(httpbin.url(QStringLiteral("/redirect/4")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->redirectCount(), 4);
    QCOMPARE(r->url().path(), QStringLiteral("/get"));

    Request capped(httpbin.url(QStringLiteral("/redirect/6")));
    capped.setMaximumRedirects(5);
    r = client.send(capped);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::TooManyRedirects);
}

void tst_Httpbin::requestHeaders()
{
    Request request(httpbin.url(QStringLiteral("/headers")));
    request.setHeader("X-Courier-Test", "yes");
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(20000));
    const QJsonObject headers = r->json().toObject().value(QStringLiteral("headers")).toObject();
    QCOMPARE(headers.value(QStringLiteral("X-Courier-Test")).toString(), QStringLiteral("yes"));
    QVERIFY(headers.value(QStringLiteral("User-Agent")).toString().startsWith(QLatin1String("Courier/")));
}

void tst_Httpbin::bytes()
{
    Response *r = client.get(httpbin.url(QStringLiteral("/bytes/70000?seed=3")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll().size(), 70000);
}

void tst_Httpbin::streamLines()
{
    Response *r = client.get(httpbin.url(QStringLiteral("/stream/7")));
    QList<QByteArray> lines;
    connect(r, &QIODevice::readyRead, this, [&] {
        while (r->canReadLine())
            lines << r->readLine();
    });
    QVERIFY(r->waitForFinished(20000));
    while (r->canReadLine())
        lines << r->readLine();
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(lines.size(), 7);
    QCOMPARE(QJsonDocument::fromJson(lines.last()).object().value(QStringLiteral("id")).toInt(), 6);
}

void tst_Httpbin::drip()
{
    Response *r = client.get(httpbin.url(QStringLiteral("/drip?numbytes=5&duration=1&delay=0")));
    int readyReads = 0;
    connect(r, &QIODevice::readyRead, this, [&] { ++readyReads; });
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->readAll(), QByteArray("*****"));
    QVERIFY2(readyReads >= 2, QByteArray::number(readyReads).constData()); // it arrived over time
}

void tst_Httpbin::gzip()
{
    Response *r = client.get(httpbin.url(QStringLiteral("/gzip")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QVERIFY(r->isComplete());
    QCOMPARE(r->header("Content-Encoding"), QByteArray("gzip"));
    const QJsonObject json = r->json().toObject(); // decompressed by Qt
    QCOMPARE(json.value(QStringLiteral("gzipped")).toBool(), true);
    QCOMPARE(r->bytesReceived(), qint64(r->body().size()));
}

void tst_Httpbin::crossOriginRedirectDropsCredentials()
{
    // httpbin on a second port is another origin: /redirect-to sends there, /headers shows what
    // arrived. Credentials of every kind stay behind; other headers follow.
    HttpbinPeer second;
    COURIER_REQUIRE_PEER(second);
    const QByteArray target = second.url(QStringLiteral("/headers")).toEncoded();
    Client courier;
    courier.setBearerToken("secret-token");
    courier.setSensitiveHeaders({"X-Api-Key"});
    Request request(httpbin.url(QStringLiteral("/redirect-to?url=") + QString::fromLatin1(target.toPercentEncoding())));
    request.setHeader("Cookie", "session=secret");
    request.setHeader("X-Api-Key", "secret-key");
    request.setHeader("X-Trace", "kept");
    Response *r = courier.send(request);
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(r->redirectCount(), 1);
    QCOMPARE(r->url().port(), int(second.port()));
    const QJsonObject arrived = r->json().toObject().value(QLatin1String("headers")).toObject();
    QVERIFY(!arrived.contains(QLatin1String("Authorization")));
    QVERIFY(!arrived.contains(QLatin1String("Cookie")));
    QVERIFY(!arrived.contains(QLatin1String("X-Api-Key")));
    QCOMPARE(arrived.value(QLatin1String("X-Trace")).toString(), QStringLiteral("kept"));

    // The same request without a redirect does carry them (the test would pass vacuously otherwise).
    Request direct(second.url(QStringLiteral("/headers")));
    direct.setHeader("Cookie", "session=secret");
    Response *d = courier.send(direct);
    QVERIFY(d->waitForFinished(20000));
    const QJsonObject sent = d->json().toObject().value(QLatin1String("headers")).toObject();
    QCOMPARE(sent.value(QLatin1String("Authorization")).toString(), QStringLiteral("Bearer secret-token"));
    QCOMPARE(sent.value(QLatin1String("Cookie")).toString(), QStringLiteral("session=secret"));
}

QTEST_GUILESS_MAIN(tst_Httpbin)
#include "tst_httpbin.moc"
