// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Client: defaults (base URL, headers, user agent, timeouts), its own or an external
// QNetworkAccessManager, the verb shortcuts and the data they take, properties, and deletion
// with requests in flight.

// Which data post() takes is checked as an application compiles it: with a string literal
// converting to QVariant, which this project's QT_NO_CAST_FROM_ASCII forbids elsewhere.
#undef QT_NO_CAST_FROM_ASCII

#include <Courier/Client>

#include "spy.h"
#include "testserver.h"

#include <QtCore/QDate>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QPointer>
#include <QtCore/QRegularExpression>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

namespace {

// Whether client.post(url, value), put() and patch() compile for a value of type T (the detection idiom).
template <typename T, typename = void>
struct Posts : std::false_type
{
};
template <typename T>
struct Posts<T, std::void_t<decltype(std::declval<Client &>().post(QUrl(), std::declval<T>()))>> : std::true_type
{
};
template <typename T, typename = void>
struct Puts : std::false_type
{
};
template <typename T>
struct Puts<T, std::void_t<decltype(std::declval<Client &>().put(QUrl(), std::declval<T>()))>> : std::true_type
{
};
template <typename T, typename = void>
struct Patches : std::false_type
{
};
template <typename T>
struct Patches<T, std::void_t<decltype(std::declval<Client &>().patch(QUrl(), std::declval<T>()))>> : std::true_type
{
};
template <typename T>
constexpr bool sendable = std::conjunction_v<Posts<T>, Puts<T>, Patches<T>>;
template <typename T>
constexpr bool refused = !std::disjunction_v<Posts<T>, Puts<T>, Patches<T>>;

// No data, bytes, text and objects are bodies.
static_assert(std::is_same_v<decltype(std::declval<Client &>().post(QUrl())), Response *>);
static_assert(std::is_same_v<decltype(std::declval<Client &>().put(QUrl())), Response *>);
static_assert(std::is_same_v<decltype(std::declval<Client &>().patch(QUrl())), Response *>);
static_assert(sendable<QByteArray>);
static_assert(sendable<decltype("literal")>);
static_assert(sendable<const char *>);
static_assert(sendable<QString>);
static_assert(sendable<decltype(QStringLiteral("text"))>);
static_assert(sendable<QStringList>);
static_assert(sendable<QVariantMap>);
static_assert(sendable<QVariantHash>);
static_assert(sendable<QVariantList>);
static_assert(sendable<QJsonObject>);
static_assert(sendable<QJsonArray>);
static_assert(sendable<QJsonDocument>);
static_assert(sendable<QVariant>);
static_assert(sendable<const QVariant &>);
// A QVariant of another type compiles, and is refused when sent (unsendableDataFailsWhenSent).
static_assert(sendable<QDate>);
// Numbers, bools, enums and pointers are not, though QVariant would take them (a pointer as a bool).
static_assert(refused<int>);
static_assert(refused<const int &>);
static_assert(refused<bool>);
static_assert(refused<char>);
static_assert(refused<qint64>);
static_assert(refused<unsigned>);
static_assert(refused<double>);
static_assert(refused<Response::Error>);
static_assert(refused<Request::Protocol>);
static_assert(refused<QObject *>);
static_assert(refused<const QString *>);
static_assert(refused<const QByteArray *>);
static_assert(refused<void *>);
static_assert(refused<char *>);
static_assert(refused<const unsigned char *>);
static_assert(refused<int *>);
static_assert(refused<void (*)()>);
static_assert(refused<int QUrl::*>);

} // namespace

class tst_Client : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void baseUrl_data();
    void baseUrl();
    void defaultHeadersAndUserAgent();
    void verbs_data();
    void verbs();
    void unsendableDataFailsWhenSent_data();
    void unsendableDataFailsWhenSent();
    void externalManagerIsNotOwned();
    void ownTlsOptionsFollowTheManagersProxy();
    void responsesAreChildren();
    void deleteClientWithRequestsInFlight();
    void propertiesNotifyOnChangeOnly();
    void priorityOrdersQueuedRequests();
    void priorityIsClamped();

private:
    std::unique_ptr<TestServer> server;
};

void tst_Client::init() { server = std::make_unique<TestServer>(); }

void tst_Client::baseUrl_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("relative");
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("below a directory") << QStringLiteral("/api/v1/") << QStringLiteral("items")
                                       << QByteArray("/api/v1/items");
    QTest::newRow("replaces the last segment")
        << QStringLiteral("/api/v1") << QStringLiteral("items") << QByteArray("/api/items");
    QTest::newRow("absolute path") << QStringLiteral("/api/v1/") << QStringLiteral("/root") << QByteArray("/root");
    QTest::newRow("with query") << QStringLiteral("/api/") << QStringLiteral("items?a=1")
                                << QByteArray("/api/items?a=1");
}

void tst_Client::baseUrl()
{
    QFETCH(QString, base);
    QFETCH(QString, relative);
    QFETCH(QByteArray, target);
    Client client;
    client.setBaseUrl(server->url(base));
    Response *r = client.get(QUrl(relative));
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    QCOMPARE(server->lastRequest().target, target);

    // An absolute URL ignores the base.
    Response *absolute = client.get(server->url(QStringLiteral("/elsewhere")));
    QVERIFY(absolute->waitForFinished(10000));
    QCOMPARE(server->lastRequest().target, QByteArray("/elsewhere"));
}

void tst_Client::defaultHeadersAndUserAgent()
{
    Client client;
    QVERIFY(client.userAgent().startsWith("Courier/"));
    client.setDefaultHeader("X-Team", "core");
    client.setDefaultHeader("Accept", "application/json");
    client.setUserAgent("MyApp/2.0");
    QCOMPARE(client.defaultHeaders().size(), 2);

    Response *r = client.get(server->url());
    QVERIFY(r->waitForFinished(10000));
    RawRequest seen = server->lastRequest();
    QCOMPARE(seen.header("X-Team"), QByteArray("core"));
    QCOMPARE(seen.header("Accept"), QByteArray("application/json"));
    QCOMPARE(seen.header("User-Agent"), QByteArray("MyApp/2.0"));
    // Response::request() is the request with the Client's defaults applied.
    QCOMPARE(r->request().userAgent(), QByteArray("MyApp/2.0"));
    QCOMPARE(r->request().header("X-Team"), QByteArray("core"));

    Request request(server->url());
    request.setHeader("accept", "text/plain"); // overrides the default, whatever the case
    request.setUserAgent("Special/1");
    r = client.send(request);
    QVERIFY(r->waitForFinished(10000));
    seen = server->lastRequest();
    QCOMPARE(seen.header("Accept"), QByteArray("text/plain"));
    QCOMPARE(seen.header("User-Agent"), QByteArray("Special/1"));
    QCOMPARE(seen.header("X-Team"), QByteArray("core"));
    QCOMPARE(r->request().userAgent(), QByteArray("Special/1"));

    client.removeDefaultHeader("x-team");
    r = client.get(server->url());
    QVERIFY(r->waitForFinished(10000));
    QVERIFY(!server->lastRequest().hasHeader("X-Team"));
}

void tst_Client::verbs_data()
{
    QTest::addColumn<QString>("verb");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("get") << QStringLiteral("get") << QByteArray("GET") << QByteArray() << QByteArray();
    QTest::newRow("head") << QStringLiteral("head") << QByteArray("HEAD") << QByteArray() << QByteArray();
    QTest::newRow("options") << QStringLiteral("options") << QByteArray("OPTIONS") << QByteArray() << QByteArray();
    QTest::newRow("delete") << QStringLiteral("deleteResource") << QByteArray("DELETE") << QByteArray() << QByteArray();
    QTest::newRow("post json") << QStringLiteral("post") << QByteArray("POST") << QByteArray("{\"n\":1}")
                               << QByteArray("application/json");
    QTest::newRow("put json") << QStringLiteral("put") << QByteArray("PUT") << QByteArray("{\"n\":1}")
                              << QByteArray("application/json");
    QTest::newRow("patch json") << QStringLiteral("patch") << QByteArray("PATCH") << QByteArray("{\"n\":1}")
                                << QByteArray("application/json");
    QTest::newRow("post nothing") << QStringLiteral("post-empty") << QByteArray("POST") << QByteArray() << QByteArray();
}

void tst_Client::verbs()
{
    QFETCH(QString, verb);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    Client client;
    const QUrl url = server->url(QStringLiteral("/v"));
    const QVariantMap object{{QStringLiteral("n"), 1}};
    Response *r = verb == QLatin1String("get")    ? client.get(url)
        : verb == QLatin1String("head")           ? client.head(url)
        : verb == QLatin1String("options")        ? client.options(url)
        : verb == QLatin1String("deleteResource") ? client.deleteResource(url)
        : verb == QLatin1String("post")           ? client.post(url, object)
        : verb == QLatin1String("put")            ? client.put(url, object)
        : verb == QLatin1String("patch")          ? client.patch(url, object)
                                                  : client.post(url);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->error(), Response::NoError);
    const RawRequest seen = server->lastRequest();
    QCOMPARE(seen.method, method);
    QCOMPARE(seen.body, body);
    QCOMPARE(seen.header("Content-Type"), contentType);
    if (method == "POST" || method == "PUT" || method == "PATCH")
        QCOMPARE(seen.header("Content-Length"), QByteArray::number(body.size())); // also 0: servers insist
}

void tst_Client::unsendableDataFailsWhenSent_data()
{
    QTest::addColumn<QString>("verb");
    QTest::addColumn<QVariant>("data");
    QTest::addColumn<QString>("type");
    for (const char *verb : {"post", "put", "patch"}) {
        QTest::addRow("%s int", verb) << QString::fromLatin1(verb) << QVariant(42) << QStringLiteral("int");
        QTest::addRow("%s QDate", verb) << QString::fromLatin1(verb) << QVariant(QDate(2024, 5, 17))
                                        << QStringLiteral("QDate");
    }
}

void tst_Client::unsendableDataFailsWhenSent()
{
    // A QVariant that holds no body compiles (the type is only known when it is sent), and fails
    // as a request refused at once does: from the event loop, with nothing sent.
    QFETCH(QString, verb);
    QFETCH(QVariant, data);
    QFETCH(QString, type);
    Client client;
    const QUrl url = server->url(QStringLiteral("/v"));
    Response *r = verb == QLatin1String("post") ? client.post(url, data)
        : verb == QLatin1String("put")          ? client.put(url, data)
                                                : client.patch(url, data);
    SignalLog log(r);
    QVERIFY(r->isRunning());
    QCOMPARE(r->error(), Response::NoError);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(log.sequence(), QStringLiteral("download error finished"));
    QCOMPARE(log.errors, QList<Response::Error>{Response::ProtocolInvalidOperation});
    QCOMPARE(r->error(), Response::ProtocolInvalidOperation);
    // The message names the type and says what to give instead.
    const QString message = r->errorString();
    QVERIFY2(message.contains(QStringLiteral("the type %1,").arg(type)), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("give a QByteArray, a QString")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("QString::number()")), qPrintable(message));
    QCOMPARE(server->connectionCount(), 0);
    QVERIFY(server->requests().isEmpty());
}

void tst_Client::externalManagerIsNotOwned()
{
    QNetworkAccessManager manager;
    QSignalSpy managerFinished(&manager, &QNetworkAccessManager::finished);
    QVERIFY(managerFinished.isValid());
    {
        Client client(&manager);
        QCOMPARE(client.networkAccessManager(), &manager);
        Response *r = client.get(server->url());
        QVERIFY(r->waitForFinished(10000));
        QCOMPARE(r->readAll(), QByteArray("ok"));
    }
    QCOMPARE(managerFinished.size(), 1); // the request went through the application's manager
    // ...which is still alive and usable after the Client is gone.
    QNetworkReply *reply = manager.get(QNetworkRequest(server->url()));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    delete reply;

    Client own;
    QVERIFY(own.networkAccessManager() != nullptr);
    QCOMPARE(own.networkAccessManager()->parent(), &own);
}

void tst_Client::ownTlsOptionsFollowTheManagersProxy()
{
    // On Qt's engine, requests with TlsOptions of their own go through a manager of their own
    // (connections are not shared across TLS settings): it still takes the proxy the application
    // sets on networkAccessManager(), then and later, and forwards the manager's signals.
    TestServer first; // proxies: they answer requests in absolute form as any other
    TestServer second;
    Client client;
    QSignalSpy finished(client.networkAccessManager(), &QNetworkAccessManager::finished);
    QVERIFY(finished.isValid());
    TlsOptions tls;
    tls.setMinimumProtocol(QSsl::TlsV1_3OrLater);
    for (TestServer *proxy : {&first, &second}) {
        // A change of proxy is seen at once.
        client.networkAccessManager()->setProxy(
            QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxy->port()));
        Request request(QUrl(QStringLiteral("http://somewhere.test/path")));
        request.setTlsOptions(tls);
        Response *r = client.send(request);
        QVERIFY(r->waitForFinished(10000));
        QVERIFY2(r->error() == Response::NoError, qPrintable(r->errorString()));
        QCOMPARE(proxy->requests().size(), 1);
        QCOMPARE(proxy->lastRequest().target, QByteArray("http://somewhere.test/path"));
    }
    QCOMPARE(finished.size(), 2);
}

void tst_Client::responsesAreChildren()
{
    Client client;
    Response *r = client.get(server->url());
    QCOMPARE(r->parent(), &client);
    QVERIFY(r->waitForFinished(10000));
    delete r;
}

void tst_Client::deleteClientWithRequestsInFlight()
{
    server->setHandler(
        [](TestConnection *c, const RawRequest &) { c->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nx"); });
    auto *client = new Client;
    QList<QPointer<Response>> responses;
    for (int i = 0; i < 5; ++i)
        responses << client->get(server->url());
    QTRY_COMPARE_WITH_TIMEOUT(server->requests().size(), 5, 10000);
    delete client;
    for (const auto &r : responses)
        QVERIFY(r.isNull());
    QTest::qWait(50); // nothing left behind fires into freed memory
}

void tst_Client::propertiesNotifyOnChangeOnly()
{
    Client client;
    QSignalSpy base(&client, &Client::baseUrlChanged);
    QSignalSpy agent(&client, &Client::userAgentChanged);
    QSignalSpy read(&client, &Client::readTimeoutChanged);
    QSignalSpy total(&client, &Client::totalTimeoutChanged);
    QSignalSpy redirects(&client, &Client::maximumRedirectsChanged);
    QVERIFY(base.isValid() && agent.isValid() && read.isValid() && total.isValid() && redirects.isValid());

    QCOMPARE(client.readTimeout(), std::chrono::milliseconds(60000));
    QCOMPARE(client.totalTimeout(), std::chrono::milliseconds(0));
    QCOMPARE(client.maximumRedirects(), 50);

    for (int i = 0; i < 2; ++i) {
        client.setBaseUrl(QUrl(QStringLiteral("http://127.0.0.1/")));
        client.setUserAgent("x");
        client.setReadTimeout(std::chrono::seconds(5));
        client.setTotalTimeout(100);
        client.setMaximumRedirects(3);
    }
    QCOMPARE(base.size(), 1);
    QCOMPARE(agent.size(), 1);
    QCOMPARE(read.size(), 1);
    QCOMPARE(total.size(), 1);
    QCOMPARE(redirects.size(), 1);
    QCOMPARE(client.property("readTimeout").toInt(), 5000);
    QVERIFY(client.setProperty("maximumRedirects", 7));
    QCOMPARE(client.maximumRedirects(), 7);
}

void tst_Client::priorityOrdersQueuedRequests()
{
    // Qt opens at most six connections per server: hold six requests, queue more, then free one
    // connection. The request with a higher priority is sent next, ahead of earlier ones.
    QList<QPointer<TestConnection>> held;
    server->setHandler([&](TestConnection *c, const RawRequest &r) {
        if (r.target.startsWith("/hold"))
            held.append(c);
        else
            c->respond(200, "OK", {}, r.target);
    });
    Client client;
    QList<Response *> holders;
    for (int i = 0; i < 6; ++i)
        holders.append(client.get(server->url(QStringLiteral("/hold%1").arg(i))));
    QTRY_COMPARE(held.size(), 6);
    QList<Response *> queued;
    for (int i = 0; i < 3; ++i)
        queued.append(client.get(server->url(QStringLiteral("/normal%1").arg(i))));
    Request urgent(server->url(QStringLiteral("/urgent")));
    urgent.setPriority(500);
    QCOMPARE(urgent.priority(), 500);
    Response *first = client.send(urgent);
    QTest::qWait(50); // the queued requests reach Qt's connection queue
    QCOMPARE(server->requests().size(), 6);
    held.first()->respond(200, "OK", {}, "held");
    QVERIFY(first->waitForFinished(10000));
    QCOMPARE(server->requests().at(6).target, QByteArray("/urgent"));
    for (const auto &c : std::as_const(held))
        if (c)
            c->respond(200, "OK", {}, "held");
    for (Response *r : std::as_const(queued))
        QVERIFY(r->waitForFinished(10000));
    QCOMPARE(server->requests().size(), 10);
}

void tst_Client::priorityIsClamped()
{
    Request request(server->url());
    QCOMPARE(request.priority(), Request::MinimumPriority);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("priority 0 is out of range")));
    request.setPriority(0);
    QCOMPARE(request.priority(), 1);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("priority 5000 is out of range")));
    request.setPriority(5000);
    QCOMPARE(request.priority(), 1000);
}

QTEST_GUILESS_MAIN(tst_Client)
#include "tst_client.moc"
