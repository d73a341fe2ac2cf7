// Request: value semantics, headers, validation helpers, and every kind of body and query as it
// arrives on the wire at the in-process server.

#include <Courier/Client>
#include <Courier/Request>

#include "testserver.h"

#include <QtCore/QBuffer>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryFile>
#include <QtNetwork/QHttpMultiPart>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

class tst_Request : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void implicitSharing();
    void headers();
    void validators_data();
    void validators();
    void wire_data();
    void wire();
    void everyMethodOnTheWire_data();
    void everyMethodOnTheWire();
    void streamedFileBody();
    void multipartBody();
    void unsupportedDataType();

private:
    RawRequest roundTrip(const Request &request);
    std::unique_ptr<TestServer> server;
    std::unique_ptr<Client> client;
};

void tst_Request::init()
{
    server = std::make_unique<TestServer>();
    client = std::make_unique<Client>();
}

RawRequest tst_Request::roundTrip(const Request &request)
{
    Response *r = client->send(request);
    if (!r->waitForFinished(10000) || r->error() != Response::NoError)
        qWarning() << "request failed:" << r->errorString();
    return server->lastRequest();
}

void tst_Request::implicitSharing()
{
    Request a(QUrl(QStringLiteral("http://127.0.0.1/a")));
    a.setHeader("X-One", "1");
    Request b = a;
    b.setUrl(QUrl(QStringLiteral("http://127.0.0.1/b")));
    b.setHeader("X-One", "changed");
    b.setMethod("PUT");
    QCOMPARE(a.url().path(), QStringLiteral("/a"));
    QCOMPARE(a.header("X-One"), QByteArray("1"));
    QCOMPARE(a.method(), QByteArray("GET"));
    QCOMPARE(b.method(), QByteArray("PUT"));
    Request c = std::move(b);
    QCOMPARE(c.header("x-one"), QByteArray("changed"));
    swap(a, c);
    QCOMPARE(a.method(), QByteArray("PUT"));
    QCOMPARE(a.readTimeout(), Request::UseClientDefault);
    QCOMPARE(a.maximumRedirects(), -1);
}

void tst_Request::headers()
{
    Request r;
    r.setHeader("Accept", "a");
    r.addHeader("accept", "b");
    r.setHeader("X-Other", "o");
    QCOMPARE(r.header("ACCEPT"), QByteArray("a, b"));
    QVERIFY(r.hasHeader("x-other"));
    QCOMPARE(r.headers().size(), 3);
    r.setHeader("Accept", "c"); // replaces both
    QCOMPARE(r.header("Accept"), QByteArray("c"));
    r.removeHeader("ACCEPT");
    QVERIFY(!r.hasHeader("Accept"));
    QVERIFY(r.header("Accept").isNull());
    r.setHeader("X-Empty", "");
    QCOMPARE(r.header("X-Empty"), QByteArray(""));
    QVERIFY(!r.header("X-Empty").isNull());
}

void tst_Request::validators_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("method");
    QTest::addColumn<bool>("name");
    QTest::addColumn<bool>("value");
    QTest::newRow("GET") << QByteArray("GET") << true << true << true;
    QTest::newRow("PROPFIND") << QByteArray("PROPFIND") << true << true << true;
    QTest::newRow("M-SEARCH") << QByteArray("M-SEARCH") << true << true << true;
    QTest::newRow("tchar symbols") << QByteArray("!#$%&'*+-.^_`|~") << true << true << true;
    QTest::newRow("empty") << QByteArray("") << false << false << true;
    QTest::newRow("space") << QByteArray("GET X") << false << false << true;
    QTest::newRow("tab") << QByteArray("a\tb") << false << false << true;
    QTest::newRow("colon") << QByteArray("a:b") << false << false << true;
    QTest::newRow("CR") << QByteArray("a\rb") << false << false << false;
    QTest::newRow("LF") << QByteArray("a\nb") << false << false << false;
    QTest::newRow("NUL") << QByteArray("a\0b", 3) << false << false << false;
    QTest::newRow("DEL") << QByteArray("a\x7f") << false << false << false;
    QTest::newRow("UTF-8") << QByteArray("caf\xc3\xa9") << false << false << true;
}

void tst_Request::validators()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, method);
    QFETCH(bool, name);
    QFETCH(bool, value);
    QCOMPARE(isValidMethod(text), method);
    QCOMPARE(isValidHeaderName(text), name);
    QCOMPARE(isValidHeaderValue(text), value);
}

void tst_Request::wire_data()
{
    QTest::addColumn<Request>("request");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");

    const QUrl base(QStringLiteral("http://placeholder/p"));
    const QVariantMap object{
        {QStringLiteral("name"), QStringLiteral("a b+c&d")}, {QStringLiteral("n"), 2}, {QStringLiteral("ok"), true}};
    Request r(base, "GET");
    r.setData(object);
    QTest::newRow("GET object -> query") << r << QByteArray("/p?n=2&name=a%20b%2Bc%26d&ok=true") << QByteArray()
                                         << QByteArray();
    r = Request(base, "DELETE");
    r.setData(QJsonObject{{QStringLiteral("id"), 7}});
    QTest::newRow("DELETE object -> query") << r << QByteArray("/p?id=7") << QByteArray() << QByteArray();
    r = Request(QUrl(QStringLiteral("http://placeholder/p?x=1")), "GET");
    r.setData(QStringLiteral("a=1&b=two"));
    QTest::newRow("GET string appended to query")
        << r << QByteArray("/p?x=1&a=1&b=two") << QByteArray() << QByteArray();
    r = Request(base, "POST");
    r.setData(object);
    QTest::newRow("POST object -> JSON") << r << QByteArray("/p")
                                         << QByteArray("{\"n\":2,\"name\":\"a b+c&d\",\"ok\":true}")
                                         << QByteArray("application/json");
    r = Request(base, "PUT");
    r.setData(QVariantList{1, 2});
    QTest::newRow("PUT array -> JSON") << r << QByteArray("/p") << QByteArray("[1,2]")
                                       << QByteArray("application/json");
    r = Request(base, "POST");
    r.setData(QStringLiteral("caf\u00e9"));
    QTest::newRow("POST text") << r << QByteArray("/p") << QByteArray("caf\xc3\xa9")
                               << QByteArray("text/plain; charset=utf-8");
    r = Request(base, "POST");
    r.setData(QByteArray("\x00\x01raw", 5));
    QTest::newRow("POST bytes") << r << QByteArray("/p") << QByteArray("\x00\x01raw", 5)
                                << QByteArray("application/octet-stream");
    r = Request(base, "PROPFIND");
    r.setBody("<propfind/>", "application/xml");
    r.setHeader("Depth", "1");
    QTest::newRow("PROPFIND xml") << r << QByteArray("/p") << QByteArray("<propfind/>")
                                  << QByteArray("application/xml");
    r = Request(base, "POST");
    r.setFormFields(
        QUrlQuery{{QStringLiteral("q"), QStringLiteral("a b+c")}, {QStringLiteral("x"), QStringLiteral("1&2=3")}});
    QTest::newRow("form") << r << QByteArray("/p") << QByteArray("q=a+b%2Bc&x=1%262%3D3")
                          << QByteArray("application/x-www-form-urlencoded");
    r = Request(base, "POST");
    r.setJson(QJsonDocument(QJsonArray{QStringLiteral("x")}));
    r.setHeader("Content-Type", "application/vnd.api+json");
    QTest::newRow("explicit content type wins")
        << r << QByteArray("/p") << QByteArray("[\"x\"]") << QByteArray("application/vnd.api+json");
    r = Request(base, "GET");
    r.addQueryItem(QStringLiteral("q"), QStringLiteral("\u00e9 &="));
    QTest::newRow("query items encoded") << r << QByteArray("/p?q=%C3%A9%20%26%3D") << QByteArray() << QByteArray();
}

void tst_Request::wire()
{
    QFETCH(Request, request);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QUrl url = request.url();
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(server->port());
    request.setUrl(url);
    const RawRequest seen = roundTrip(request);
    QCOMPARE(seen.method, request.method());
    QCOMPARE(seen.target, target);
    QCOMPARE(seen.body, body);
    QCOMPARE(seen.header("Content-Type"), contentType);
}

void tst_Request::everyMethodOnTheWire_data()
{
    QTest::addColumn<QByteArray>("method");
    for (const char *m :
         {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "PROPPATCH", "MKCOL",
          "COPY", "MOVE", "LOCK", "UNLOCK", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "M-SEARCH"})
        QTest::newRow(m) << QByteArray(m);
}

void tst_Request::everyMethodOnTheWire()
{
    QFETCH(QByteArray, method);
    Request request(server->url(QStringLiteral("/m")), method);
    request.setBody("body of " + method, "text/plain");
    const RawRequest seen = roundTrip(request);
    QCOMPARE(seen.method, method);
    QCOMPARE(seen.body, "body of " + method);
    QCOMPARE(seen.header("Content-Length"), QByteArray::number(8 + method.size()));
}

void tst_Request::streamedFileBody()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    QByteArray content;
    for (int i = 0; i < 200000; ++i)
        content += QByteArray::number(i) + '\n';
    file.write(content);
    file.seek(0);
    Request request(server->url(QStringLiteral("/upload")), "PUT");
    request.setBodyDevice(&file, -1, "text/plain");
    Response *r = client->send(request);
    qint64 lastSent = 0;
    connect(r, &Response::uploadProgress, this, [&](qint64 sent, qint64) { lastSent = sent; });
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->error(), Response::NoError);
    const RawRequest seen = server->lastRequest();
    QCOMPARE(seen.header("Content-Length"), QByteArray::number(content.size()));
    QCOMPARE(seen.body.size(), content.size());
    QVERIFY(seen.body == content);
    QCOMPARE(lastSent, qint64(content.size()));
    QCOMPARE(r->bytesToSend(), qint64(content.size()));
}

void tst_Request::multipartBody()
{
    auto *multi = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    QHttpPart field;
    field.setHeader(QNetworkRequest::ContentDispositionHeader, QStringLiteral("form-data; name=\"title\""));
    field.setBody("hello");
    multi->append(field);
    QHttpPart filePart;
    filePart.setHeader(QNetworkRequest::ContentDispositionHeader,
                       QStringLiteral("form-data; name=\"file\"; filename=\"a.bin\""));
    filePart.setBody(QByteArray(1000, 'f'));
    multi->append(filePart);
    Request request(server->url(QStringLiteral("/form")), "POST");
    request.setMultipart(multi);
    Response *r = client->send(request);
    multi->setParent(r);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    const RawRequest seen = server->lastRequest();
    QVERIFY(seen.header("Content-Type").startsWith("multipart/form-data; boundary="));
    QVERIFY(seen.header("Content-Type").contains(multi->boundary()));
    QVERIFY(seen.body.contains("name=\"title\"\r\n\r\nhello\r\n"));
    QVERIFY(seen.body.contains(QByteArray(1000, 'f')));
}

void tst_Request::unsupportedDataType()
{
    Request request(server->url(), "POST");
    request.setData(QVariant::fromValue(QPointF(1, 2)));
    Response *r = client->send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::ProtocolInvalidOperation);
    QVERIFY2(r->errorString().contains(QLatin1String("QPointF")), qPrintable(r->errorString()));
    QCOMPARE(server->connectionCount(), 0);

    Request getArray(server->url(), "GET");
    getArray.setData(QVariantList{1});
    r = client->send(getArray);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::ProtocolInvalidOperation);
}

QTEST_GUILESS_MAIN(tst_Request)
#include "tst_request.moc"
