// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Cookies: the Client's jar (stored from every hop, sent back by Qt's rules), Response::cookies(),
// an application's jar, isolation from the manager's jar, and curl's cookies.txt files (load,
// atomic save, malformed files, and a round trip through curl itself against httpbin).

#include <Courier/Client>
#include <Courier/CookieJar>
#include <Courier/Response>

#include "peers.h"
#include "testserver.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtTest/QTest>

#include <unistd.h> // link(): a hard link shows whether a file was rewritten in place

using namespace Courier;
using namespace Courier::Test;

class tst_Cookies : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void storedAndSentBack();
    void responseListsWhatItSet();
    void attributesAsQtDoes_data();
    void attributesAsQtDoes();
    void maxAgeZeroDeletes();
    void redirectHopSetsCookie();
    void explicitCookieHeaderKept();
    void clientsSharingAManagerKeepTheirOwn();
    void applicationJar();
    void boundToSchemeAndPort();
    void netscapeRoundTrip();
    void netscapeMalformed_data();
    void netscapeMalformed();
    void loadFailureKeepsJarAndFile();
    void missingFileCanBeSavedTo();
    void loadSkipsExpired();
    void loadRefusesEndlessFiles();
    void loadManyLines();
    void saveIsAtomic();
    void sharedWithCurl();

private:
    QByteArray cookieHeaderOf(Client &client, const QString &path);
    std::unique_ptr<TestServer> server;
};

void tst_Cookies::init() { server = std::make_unique<TestServer>(); }

// The Cookie header the server received for a GET of path.
QByteArray tst_Cookies::cookieHeaderOf(Client &client, const QString &path)
{
    Response *r = client.get(server->url(path));
    if (!r->waitForFinished(10000))
        return "(timed out)";
    return server->lastRequest().header("Cookie");
}

void tst_Cookies::storedAndSentBack()
{
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/login")
            c->respond(200, "OK", {{"Set-Cookie", "session=abc; Path=/"}, {"Set-Cookie", "theme=dark"}}, "in");
        else
            c->respond(200, "OK", {}, "ok");
    });
    Client client;
    QCOMPARE(cookieHeaderOf(client, QStringLiteral("/login")), QByteArray());
    QCOMPARE(cookieHeaderOf(client, QStringLiteral("/next")), QByteArray("session=abc; theme=dark"));
    QCOMPARE(client.cookieJar()->cookiesForUrl(server->url()).size(), 2);
    // Another Client has its own jar.
    Client other;
    QCOMPARE(cookieHeaderOf(other, QStringLiteral("/next")), QByteArray());
}

void tst_Cookies::responseListsWhatItSet()
{
    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK",
                   {{"Set-Cookie", "a=1; HttpOnly; SameSite=Strict"},
                    {"Set-Cookie", "b=2; Domain=elsewhere.example; Path=/x"}},
                   "ok");
    });
    Client client;
    Response *r = client.get(server->url(QStringLiteral("/dir/page")));
    QVERIFY(r->waitForFinished(10000));
    const QList<QNetworkCookie> set = r->cookies();
    QCOMPARE(set.size(), 2);
    QCOMPARE(set.at(0).name(), QByteArray("a"));
    QCOMPARE(set.at(0).value(), QByteArray("1"));
    QVERIFY(set.at(0).isHttpOnly());
    QCOMPARE(set.at(0).sameSitePolicy(), QNetworkCookie::SameSite::Strict);
    QCOMPARE(set.at(0).domain(), QStringLiteral("127.0.0.1")); // completed from the URL
    QCOMPARE(set.at(0).path(), QStringLiteral("/dir/")); // Qt's default path of /dir/page
    QCOMPARE(set.at(1).name(), QByteArray("b"));
    // The jar refuses the cookie for another domain; the Response still lists it.
    const QList<QNetworkCookie> stored = qobject_cast<CookieJar *>(client.cookieJar())->cookies();
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.first().name(), QByteArray("a"));
}

void tst_Cookies::attributesAsQtDoes_data()
{
    QTest::addColumn<QByteArray>("setCookie");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("sent");
    QTest::newRow("path matches") << QByteArray("c=1; Path=/api") << QStringLiteral("/api/items") << true;
    QTest::newRow("path does not match") << QByteArray("c=1; Path=/api") << QStringLiteral("/other") << false;
    QTest::newRow("secure is not sent over http") << QByteArray("c=1; Secure") << QStringLiteral("/") << false;
    QTest::newRow("expired") << QByteArray("c=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT") << QStringLiteral("/")
                             << false;
    QTest::newRow("future expiry") << QByteArray("c=1; Max-Age=3600") << QStringLiteral("/") << true;
    QTest::newRow("domain of another host") << QByteArray("c=1; Domain=example.com") << QStringLiteral("/") << false;
    QTest::newRow("HttpOnly is sent") << QByteArray("c=1; HttpOnly") << QStringLiteral("/") << true;
}

void tst_Cookies::attributesAsQtDoes()
{
    QFETCH(QByteArray, setCookie);
    QFETCH(QString, path);
    QFETCH(bool, sent);
    server->setHandler([&](TestConnection *c, const RawRequest &r) {
        if (r.target == "/set")
            c->respond(200, "OK", {{"Set-Cookie", setCookie}}, "set");
        else
            c->respond(200, "OK", {}, "ok");
    });
    Client client;
    QVERIFY(client.get(server->url(QStringLiteral("/set")))->waitForFinished(10000));
    QCOMPARE(cookieHeaderOf(client, path) == "c=1", sent);
}

void tst_Cookies::maxAgeZeroDeletes()
{
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/set")
            c->respond(200, "OK", {{"Set-Cookie", "c=1"}}, "");
        else if (r.target == "/delete")
            c->respond(200, "OK", {{"Set-Cookie", "c=gone; Max-Age=0"}}, "");
        else
            c->respond(200, "OK", {}, "ok");
    });
    Client client;
    QVERIFY(client.get(server->url(QStringLiteral("/set")))->waitForFinished(10000));
    QCOMPARE(cookieHeaderOf(client, QStringLiteral("/")), QByteArray("c=1"));
    QVERIFY(client.get(server->url(QStringLiteral("/delete")))->waitForFinished(10000));
    QCOMPARE(cookieHeaderOf(client, QStringLiteral("/")), QByteArray());
}

void tst_Cookies::redirectHopSetsCookie()
{
    // A login that sets the session on its 302: the next hop already carries it.
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/login")
            c->respond(302, "Found", {{"Location", "/home"}, {"Set-Cookie", "session=s1"}}, "");
        else
            c->respond(200, "OK", {{"Set-Cookie", "seen=1"}}, r.header("Cookie"));
    });
    Client client;
    Response *r = client.get(server->url(QStringLiteral("/login")));
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->readAll(), QByteArray("session=s1"));
    QCOMPARE(r->cookies().size(), 2);
    QCOMPARE(r->cookies().at(0).name(), QByteArray("session"));
    QCOMPARE(r->cookies().at(1).name(), QByteArray("seen"));
}

void tst_Cookies::explicitCookieHeaderKept()
{
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        c->respond(200, "OK", {{"Set-Cookie", "jar=1"}}, r.header("Cookie"));
    });
    Client client;
    QVERIFY(client.get(server->url())->waitForFinished(10000));
    Request request(server->url());
    request.setHeader("Cookie", "mine=2");
    Response *r = client.send(request);
    QVERIFY(r->waitForFinished(10000));
    QCOMPARE(r->readAll(), QByteArray("mine=2; jar=1"));
}

void tst_Cookies::clientsSharingAManagerKeepTheirOwn()
{
    server->setHandler([](TestConnection *c, const RawRequest &r) {
        c->respond(200, "OK", {{"Set-Cookie", "who=" + r.header("X-Who")}}, "ok");
    });
    QNetworkAccessManager manager;
    Client alice(&manager);
    Client bob(&manager);
    alice.setDefaultHeader("X-Who", "alice");
    bob.setDefaultHeader("X-Who", "bob");
    QVERIFY(alice.get(server->url())->waitForFinished(10000));
    QVERIFY(bob.get(server->url())->waitForFinished(10000));
    QCOMPARE(cookieHeaderOf(alice, QStringLiteral("/")), QByteArray("who=alice"));
    QCOMPARE(cookieHeaderOf(bob, QStringLiteral("/")), QByteArray("who=bob"));
    QVERIFY(manager.cookieJar()->cookiesForUrl(server->url()).isEmpty()); // the manager's jar is not used
}

void tst_Cookies::applicationJar()
{
    server->setHandler([](TestConnection *c, const RawRequest &) {
        c->respond(200, "OK", {{"Set-Cookie", "k=v"}}, "ok");
    });
    Client client;
    auto *jar = new CookieJar;
    client.setCookieJar(jar);
    QCOMPARE(client.cookieJar(), jar);
    QVERIFY(client.get(server->url())->waitForFinished(10000));
    QCOMPARE(jar->cookies().size(), 1);
    Client second;
    second.setCookieJar(jar); // shared between Clients
    QCOMPARE(cookieHeaderOf(second, QStringLiteral("/")), QByteArray("k=v"));
    delete jar; // not owned: the Client falls back to its own, empty jar
    QVERIFY(client.cookieJar());
    QVERIFY(client.cookieJar() != jar);
    server->setHandler([](TestConnection *c, const RawRequest &) { c->respond(200, "OK", {}, "ok"); });
    QCOMPARE(cookieHeaderOf(client, QStringLiteral("/")), QByteArray());
    client.setCookieJar(nullptr);
    QVERIFY(client.cookieJar());
}

void tst_Cookies::boundToSchemeAndPort()
{
    CookieJar jar;
    const QUrl a(QStringLiteral("http://127.0.0.1:8080/")), b(QStringLiteral("http://127.0.0.1:9090/")),
        tls(QStringLiteral("https://127.0.0.1:8080/")), defaultPort(QStringLiteral("http://127.0.0.1/"));
    QVERIFY(jar.setCookiesFromUrl(QNetworkCookie::parseCookies("bound=1; Path=/"), a));
    QCOMPARE(jar.cookiesForUrl(a).size(), 1);
    QVERIFY(jar.cookiesForUrl(b).isEmpty()); // same host, another port
    QVERIFY(jar.cookiesForUrl(tls).isEmpty()); // same port, another scheme
    QVERIFY(jar.cookiesForUrl(defaultPort).isEmpty());

    // A default port is the scheme's: http://h/ and http://h:80/ are one origin.
    QVERIFY(jar.setCookiesFromUrl(QNetworkCookie::parseCookies("port80=1"), defaultPort));
    QCOMPARE(jar.cookiesForUrl(QUrl(QStringLiteral("http://127.0.0.1:80/x"))).size(), 1);

    // Set from another port, it is another cookie: the first port's stays as it was, and a
    // deletion from there (Max-Age=0) deletes only its own.
    QVERIFY(jar.setCookiesFromUrl(QNetworkCookie::parseCookies("bound=2; Path=/"), b));
    QCOMPARE(jar.cookiesForUrl(a).value(0).value(), QByteArray("1"));
    QCOMPARE(jar.cookiesForUrl(b).value(0).value(), QByteArray("2"));
    QVERIFY(!jar.setCookiesFromUrl(QNetworkCookie::parseCookies("bound=; Max-Age=0; Path=/"), b));
    QCOMPARE(jar.cookiesForUrl(a).value(0).value(), QByteArray("1"));
    QVERIFY(jar.cookiesForUrl(b).isEmpty());

    // Cookies put in by the application have no origin and go to every port, as in curl.
    jar.setCookies(jar.cookies()); // "bound" and "port80"
    QCOMPARE(jar.cookiesForUrl(a).size(), 2);
    QCOMPARE(jar.cookiesForUrl(b).size(), 2);
    // A Set-Cookie from any origin replaces such a cookie, and binds it.
    QVERIFY(jar.setCookiesFromUrl(QNetworkCookie::parseCookies("bound=3; Path=/"), b));
    QCOMPARE(jar.cookiesForUrl(a).size(), 1);
    QCOMPARE(jar.cookiesForUrl(b).size(), 2);

    // Through a Client: a cookie set by one server is not sent to another port of the same host.
    TestServer other;
    server->setHandler([](TestConnection *c, const RawRequest &) { c->respond(200, "OK", {{"Set-Cookie", "s=1"}}); });
    Client client;
    QVERIFY(client.get(server->url())->waitForFinished(10000));
    QCOMPARE(cookieHeaderOf(client, QStringLiteral("/")), QByteArray("s=1"));
    QVERIFY(client.get(other.url())->waitForFinished(10000));
    QVERIFY(!other.lastRequest().hasHeader("Cookie"));
}

void tst_Cookies::netscapeRoundTrip()
{
    QNetworkCookie session("sid", "a b");
    session.setDomain(QStringLiteral("127.0.0.1"));
    session.setPath(QStringLiteral("/"));
    QNetworkCookie domain("pref", "x=y");
    domain.setDomain(QStringLiteral(".example.com"));
    domain.setPath(QStringLiteral("/app"));
    domain.setSecure(true);
    domain.setHttpOnly(true);
    domain.setExpirationDate(QDateTime::fromSecsSinceEpoch(4102444800, Qt::UTC)); // 2100
    QNetworkCookie empty("flag", "");
    empty.setDomain(QStringLiteral("host.test"));
    empty.setPath(QStringLiteral("/"));

    const QByteArray text = CookieJar::toNetscapeFormat({session, domain, empty});
    QVERIFY(text.startsWith("# Netscape HTTP Cookie File\n"));
    QVERIFY(text.contains("\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\ta b\n"));
    QVERIFY(text.contains("\n#HttpOnly_.example.com\tTRUE\t/app\tTRUE\t4102444800\tpref\tx=y\n"));
    bool ok = false;
    QString why;
    const QList<QNetworkCookie> back = CookieJar::fromNetscapeFormat(text, &why, &ok);
    QVERIFY2(ok, qPrintable(why));
    QCOMPARE(back.size(), 3);
    QCOMPARE(back.at(0), session);
    QVERIFY(back.at(0).isSessionCookie());
    QCOMPARE(back.at(1), domain);
    QVERIFY(back.at(1).isHttpOnly());
    QCOMPARE(back.at(2).value(), QByteArray());

    // curl writes a missing value as six fields, and Windows line ends happen.
    const QList<QNetworkCookie> six = CookieJar::fromNetscapeFormat("host.test\tFALSE\t/\tFALSE\t0\tflag\r\n", &why,
                                                                    &ok);
    QVERIFY2(ok, qPrintable(why));
    QCOMPARE(six.size(), 1);
    QCOMPARE(six.first().name(), QByteArray("flag"));
    QCOMPARE(CookieJar::fromNetscapeFormat("", &why, &ok).size(), 0);
    QVERIFY(ok);
}

void tst_Cookies::netscapeMalformed_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("why");
    const QByteArray good = "host.test\tFALSE\t/\tFALSE\t0\tn\tv\n";
    QTest::newRow("too few fields") << good + "host.test\tFALSE\t/\n" << QStringLiteral("line 2: expected 7");
    QTest::newRow("too many fields") << good + good.trimmed() + "\textra\n" << QStringLiteral("line 2: expected 7");
    QTest::newRow("spaces, not tabs") << QByteArray("host.test FALSE / FALSE 0 n v\n")
                                      << QStringLiteral("line 1: expected 7");
    QTest::newRow("bad flag") << QByteArray("host.test\tyes\t/\tFALSE\t0\tn\tv\n")
                              << QStringLiteral("line 1: the subdomain");
    QTest::newRow("bad secure") << QByteArray("host.test\tFALSE\t/\t1\t0\tn\tv\n")
                                << QStringLiteral("line 1: the secure");
    QTest::newRow("bad expiry") << QByteArray("host.test\tFALSE\t/\tFALSE\tsoon\tn\tv\n")
                                << QStringLiteral("line 1: the expiry");
    QTest::newRow("negative expiry") << QByteArray("host.test\tFALSE\t/\tFALSE\t-5\tn\tv\n")
                                     << QStringLiteral("line 1: the expiry");
    QTest::newRow("no domain") << QByteArray("\tFALSE\t/\tFALSE\t0\tn\tv\n") << QStringLiteral("line 1: the domain");
    QTest::newRow("no name") << QByteArray("host.test\tFALSE\t/\tFALSE\t0\t\tv\n")
                             << QStringLiteral("line 1: the cookie has no name");
    QTest::newRow("relative path") << QByteArray("host.test\tFALSE\tpath\tFALSE\t0\tn\tv\n")
                                   << QStringLiteral("line 1: the path");
    // Found by fuzz_cookies_txt: written back, this domain would read as an HttpOnly marker.
    QTest::newRow("domain like a comment")
        << QByteArray(".#HttpOnly_x.test\tFALSE\t/\tFALSE\t0\tn\tv\n") << QStringLiteral("line 1: the domain");
    QTest::newRow("domain of dots") << QByteArray("..\tFALSE\t/\tFALSE\t0\tn\tv\n")
                                    << QStringLiteral("line 1: the domain");
    // Found by fuzz_cookies_txt: a value ending in CR lost it when written back (CR LF line end).
    QTest::newRow("control character in value") << QByteArray("host.test\tFALSE\t/\tFALSE\t0\tn\tv\r\r\n")
                                                << QStringLiteral("line 1: the cookie's name or value");
    QTest::newRow("domain with a space") << QByteArray("a b.test\tFALSE\t/\tFALSE\t0\tn\tv\n")
                                         << QStringLiteral("line 1: the domain");
    QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0", 10) << QStringLiteral("line 1: expected 7");
}

void tst_Cookies::netscapeMalformed()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, why);
    bool ok = true;
    QString error;
    QVERIFY(CookieJar::fromNetscapeFormat(text, &error, &ok).isEmpty());
    QVERIFY(!ok);
    QVERIFY2(error.startsWith(why), qPrintable(error));
}

void tst_Cookies::missingFileCanBeSavedTo()
{
    // A first run: the cookies file does not exist yet. load() says so, and save() creates it
    // (there is nothing there that this jar could have failed to understand).
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cookies.txt"));
    CookieJar jar;
    QVERIFY(!jar.load(path));
    QVERIFY2(jar.errorString().contains(path), qPrintable(jar.errorString()));
    jar.setCookies(QNetworkCookie::parseCookies("id=1; Domain=example.com; Path=/"));
    QVERIFY2(jar.save(path), qPrintable(jar.errorString()));
    CookieJar again;
    QVERIFY(again.load(path));
    QCOMPARE(again.cookies().size(), 1);
}

void tst_Cookies::loadFailureKeepsJarAndFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cookies.txt"));
    const QByteArray precious
        = "host.test\tFALSE\t/\tFALSE\t0\tkeep\tme\nhost.test\tFALSE\t/\tFALSE\tnever\tbad\tline\n";
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(precious);
    }
    CookieJar jar;
    QNetworkCookie existing("old", "1");
    existing.setDomain(QStringLiteral("host.test"));
    jar.setCookies({existing});
    QVERIFY(!jar.load(path));
    QVERIFY2(jar.errorString().contains(QLatin1String("line 2")), qPrintable(jar.errorString()));
    QCOMPARE(jar.cookies(), QList<QNetworkCookie>{existing}); // nothing half-loaded
    // Saving over the file it could not read would lose "keep=me": refused.
    QVERIFY(!jar.save(path));
    QVERIFY2(jar.errorString().contains(QLatin1String("Not overwriting")), qPrintable(jar.errorString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), precious);
    // Another file is fine; a missing file is an error too.
    QVERIFY(jar.save(dir.filePath(QStringLiteral("other.txt"))));
    QVERIFY(!jar.load(dir.filePath(QStringLiteral("missing.txt"))));
    QVERIFY(jar.errorString().startsWith(QLatin1String("Cannot read cookies")));
}

void tst_Cookies::loadSkipsExpired()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cookies.txt"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("# comment\n\nhost.test\tFALSE\t/\tFALSE\t1000\told\tx\n"
                   "host.test\tFALSE\t/\tFALSE\t4102444800\tnew\ty\n");
    }
    CookieJar jar;
    QVERIFY2(jar.load(path), qPrintable(jar.errorString()));
    QCOMPARE(jar.cookies().size(), 1);
    QCOMPARE(jar.cookies().first().name(), QByteArray("new"));
    QVERIFY(jar.errorString().isEmpty());
}

void tst_Cookies::loadRefusesEndlessFiles()
{
    // /dev/zero never ends, and a runaway file is as bad: load() reads at most MaximumFileSize
    // and fails cleanly, the jar unchanged.
    CookieJar jar;
    jar.setCookies(QNetworkCookie::parseCookies("kept=1; Domain=host.test; Path=/"));
    QVERIFY(!jar.load(QStringLiteral("/dev/zero")));
    QVERIFY2(jar.errorString().contains(QLatin1String("larger than")), qPrintable(jar.errorString()));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cookies.txt"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray line = "host.test\tFALSE\t/\tFALSE\t0\tname\t" + QByteArray(1000, 'v') + "\n";
        while (file.size() <= CookieJar::MaximumFileSize)
            file.write(line);
    }
    QVERIFY(!jar.load(path));
    QVERIFY2(jar.errorString().contains(QLatin1String("larger than")), qPrintable(jar.errorString()));
    QCOMPARE(jar.cookies().size(), 1);
    QVERIFY(!jar.save(path)); // not understood: not overwritten either
}

void tst_Cookies::loadManyLines()
{
    // 40,000 lines load in one pass (QNetworkCookieJar's insertCookie() searched the whole jar
    // for each: quadratic, seconds for this file), and the jar keeps its limits: the newest
    // 3000 cookies, at most 180 per domain.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cookies.txt"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 40000; ++i)
            file.write("d" + QByteArray::number(i / 100) + ".test\tFALSE\t/\tFALSE\t0\tc" + QByteArray::number(i)
                       + "\tv\n");
    }
    CookieJar jar;
    QVERIFY2(jar.load(path), qPrintable(jar.errorString()));
    const QList<QNetworkCookie> kept = jar.cookies();
    QCOMPARE(kept.size(), CookieJar::MaximumCookies);
    QCOMPARE(kept.first().name(), QByteArray("c37000"));
    QCOMPARE(kept.last().name(), QByteArray("c39999"));
    QCOMPARE(jar.cookiesForUrl(QUrl(QStringLiteral("http://d399.test/"))).size(), 100);
}

void tst_Cookies::saveIsAtomic()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cookies.txt"));
    const QString link = dir.filePath(QStringLiteral("hardlink.txt"));
    CookieJar jar;
    QNetworkCookie c("n", "v");
    c.setDomain(QStringLiteral("host.test"));
    c.setPath(QStringLiteral("/"));
    jar.setCookies({c});
    QVERIFY2(jar.save(path), qPrintable(jar.errorString()));
    const auto contents = [](const QString &name) {
        QFile file(name);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(unreadable)");
    };
    const QByteArray saved = contents(path);
    QVERIFY(saved.contains("\tn\tv\n"));
    // A second name for the same inode: a save that rewrote the file in place would change what it
    // shows; a save that writes a new file and renames it over the old one leaves it as it was.
    QCOMPARE(::link(QFile::encodeName(path).constData(), QFile::encodeName(link).constData()), 0);
    c.setValue("new");
    jar.setCookies({c});
    QVERIFY2(jar.save(path), qPrintable(jar.errorString()));
    QVERIFY(contents(path).contains("\tn\tnew\n"));
    QCOMPARE(contents(link), saved);
    // A save that cannot be done reports why and leaves what is there alone.
    const QString directory = dir.filePath(QStringLiteral("a-directory"));
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("a-directory")));
    QVERIFY(!jar.save(directory));
    QVERIFY2(jar.errorString().startsWith(QLatin1String("Cannot save cookies")), qPrintable(jar.errorString()));
    QVERIFY(QFileInfo(directory).isDir());
    QVERIFY(!jar.save(dir.filePath(QStringLiteral("no/such/dir/cookies.txt"))));
}

void tst_Cookies::sharedWithCurl()
{
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    COURIER_REQUIRE_STARTED(!curl.isEmpty(), QStringLiteral("curl is not installed (scripts/setup installs it)"));
    HttpbinPeer httpbin;
    COURIER_REQUIRE_PEER(httpbin);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cookies.txt"));
    const auto runCurl = [&](const QStringList &args) -> QByteArray {
        QProcess p;
        p.start(curl, QStringList{QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("20")} + args);
        if (!p.waitForFinished(30000) || p.exitCode() != 0)
            return QByteArray("curl failed: ") + p.readAllStandardError();
        return p.readAllStandardOutput();
    };
    // 1. curl logs in and writes the jar.
    runCurl({QStringLiteral("-c"), path, httpbin.url(QStringLiteral("/cookies/set?from_curl=1")).toString()});
    // 2. Courier loads it, sends the cookie, gets one more and saves.
    Client client;
    auto *jar = new CookieJar(&client);
    QVERIFY2(jar->load(path), qPrintable(jar->errorString()));
    client.setCookieJar(jar);
    Response *r = client.get(httpbin.url(QStringLiteral("/cookies/set?from_courier=2")));
    QVERIFY(r->waitForFinished(20000));
    QCOMPARE(r->statusCode(), 200); // after the redirect to /cookies
    const QJsonObject seen = r->json().toObject().value(QStringLiteral("cookies")).toObject();
    QCOMPARE(seen.value(QStringLiteral("from_curl")).toString(), QStringLiteral("1"));
    QCOMPARE(seen.value(QStringLiteral("from_courier")).toString(), QStringLiteral("2"));
    QVERIFY2(jar->save(path), qPrintable(jar->errorString()));
    // 3. curl reads Courier's file and sends both.
    const QByteArray out = runCurl({QStringLiteral("-b"), path, httpbin.url(QStringLiteral("/cookies")).toString()});
    const QJsonObject curlSeen = QJsonDocument::fromJson(out).object().value(QStringLiteral("cookies")).toObject();
    QVERIFY2(curlSeen.value(QStringLiteral("from_curl")).toString() == QStringLiteral("1"), out.constData());
    QCOMPARE(curlSeen.value(QStringLiteral("from_courier")).toString(), QStringLiteral("2"));
}

QTEST_GUILESS_MAIN(tst_Cookies)
#include "tst_cookies.moc"
