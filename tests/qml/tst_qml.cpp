// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// Runs the Qt Quick Test suites of tests/qml (tst_*.qml) against the module "Courier" in the build
// tree, with the same local peers as the C++ suites: the in-process test server (routes below) and
// nginx (a 20 MiB file). The peers are reachable from QML as the context property "peers".

#include "peers.h"
#include "testserver.h"

#include <Courier/Client>

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtQml/QQmlNetworkAccessManagerFactory>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QPointer>
#include <QtQml/QQmlContext>
#include <QtQml/QQmlEngine>
#include <QtQuickTest/quicktest.h>

using namespace Courier::Test;

// The QML engine's network access manager factory, counting what it makes: HttpClients on Qt's
// engine must make their managers with it.
class CountingFactory : public QQmlNetworkAccessManagerFactory
{
public:
    QNetworkAccessManager *create(QObject *parent) override
    {
        ++created;
        return new QNetworkAccessManager(parent);
    }
    std::atomic<int> created{0};
};

class Peers : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString server READ server CONSTANT)
    Q_PROPERTY(QString nginx READ nginx CONSTANT)
    Q_PROPERTY(QString nginxError READ nginxError CONSTANT)
    Q_PROPERTY(bool inCI READ inCI CONSTANT)
    // The engine ctest names for this run (COURIER_ENGINE), empty when run by hand.
    Q_PROPERTY(QString engine READ engine CONSTANT)
    Q_PROPERTY(QString refused READ refused CONSTANT)
    // nginx over TLS, its self-signed certificate (a file and PEM text) and big.bin's SHA-256.
    Q_PROPERTY(QString nginxTls READ nginxTls CONSTANT)
    Q_PROPERTY(QString nginxCertificateFile READ nginxCertificateFile CONSTANT)
    Q_PROPERTY(QString nginxCertificatePem READ nginxCertificatePem CONSTANT)
    Q_PROPERTY(QString bigSha256 READ bigSha256 CONSTANT)
    // A folder for the files a test writes, emptied at the end of the run.
    Q_PROPERTY(QString tempDir READ tempDir CONSTANT)
    // A Client configured in C++ (a default header X-From-Cpp: yes), as an application hands it to QML.
    Q_PROPERTY(Courier::Client *configuredClient READ configuredClient CONSTANT)

public:
    QString server() const
    {
        return m_server ? QStringLiteral("http://127.0.0.1:%1").arg(m_server->port()) : QString();
    }
    QString nginx() const
    {
        return m_nginxError.isEmpty() ? QStringLiteral("http://127.0.0.1:%1").arg(m_nginx.port(NginxPeer::Plain))
                                      : QString();
    }
    QString nginxError() const { return m_nginxError; }
    bool inCI() const { return Courier::Test::inCI(); }
    QString engine() const { return qEnvironmentVariable("COURIER_ENGINE"); }
    QString refused() const { return QStringLiteral("http://127.0.0.1:%1/").arg(m_refusedPort); }
    QString nginxTls() const
    {
        return m_nginxError.isEmpty() ? QStringLiteral("https://127.0.0.1:%1").arg(m_nginx.port(NginxPeer::Tls))
                                      : QString();
    }
    QString nginxCertificateFile() const
    {
        return m_nginxError.isEmpty() ? m_nginx.pkiFile(QStringLiteral("cert.pem")) : QString();
    }
    QString nginxCertificatePem() const
    {
        return m_nginxError.isEmpty() ? QString::fromLatin1(m_nginx.certificatePem()) : QString();
    }
    QString bigSha256() const { return QString::fromLatin1(m_bigSha256.toHex()); }
    QString tempDir() const { return m_temp.path(); }
    Courier::Client *configuredClient() const { return m_configured; }

    Q_INVOKABLE QString readFile(const QString &path) const
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }
    Q_INVOKABLE bool writeFile(const QString &path, const QString &content) const
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content.toUtf8()) >= 0;
    }
    Q_INVOKABLE bool exists(const QString &path) const { return QFile::exists(path); }
    /*! nginx's server with named.pem (signed by ca.pem), whose /client shows the client certificate. */
    Q_INVOKABLE QString nginxNamedTls() const
    {
        return m_nginxError.isEmpty() ? m_nginx.url(NginxPeer::NamedTls, QStringLiteral("/client")).toString()
                                      : QString();
    }
    /*! A file of nginx's test PKI: "ca.pem", "client.pem", "client.key" (passphrase "secret"). */
    Q_INVOKABLE QString pkiFile(const QString &name) const { return m_nginx.pkiFile(name); }
    Q_INVOKABLE double fileSize(const QString &path) const { return double(QFileInfo(path).size()); }
    Q_INVOKABLE QString sha256(const QString &path) const
    {
        QFile file(path);
        QCryptographicHash hash(QCryptographicHash::Sha256);
        return file.open(QIODevice::ReadOnly) && hash.addData(&file) ? QString::fromLatin1(hash.result().toHex())
                                                                     : QString();
    }
    /*! Managers the QML engine's factory made so far. */
    Q_INVOKABLE int factoryManagers() const { return m_factory.created; }

    /*!
        Follows \a object without keeping it alive: alive() counts those not destroyed yet, and
        finishedCount() those that emitted finished().
    */
    Q_INVOKABLE void watch(QObject *object)
    {
        m_watched.append(object);
        connect(object, SIGNAL(finished()), this, SLOT(onWatchedFinished()));
    }
    Q_INVOKABLE int finishedCount() const { return m_finished; }
    Q_INVOKABLE int alive() const
    {
        return int(std::count_if(m_watched.cbegin(), m_watched.cend(),
                                 [](const QPointer<QObject> &o) { return !o.isNull(); }));
    }
    /*! The first ```qml block of README.md. */
    Q_INVOKABLE QString readmeQml() const
    {
        QFile readme(QStringLiteral(COURIER_README));
        if (!readme.open(QIODevice::ReadOnly))
            return QString();
        const QString text = QString::fromUtf8(readme.readAll());
        const qsizetype start = text.indexOf(QLatin1String("```qml\n"));
        const qsizetype end = start < 0 ? -1 : text.indexOf(QLatin1String("```"), start + 7);
        return end < 0 ? QString() : text.mid(start + 7, end - start - 7);
    }
    Q_INVOKABLE void forget()
    {
        m_watched.clear();
        m_finished = 0;
    }
    /*! Requests the in-process server received for \a target. */
    Q_INVOKABLE int requestsFor(const QString &target) const
    {
        const QList<RawRequest> all = m_server->requests();
        return int(
            std::count_if(all.cbegin(), all.cend(), [&](const RawRequest &r) { return r.target == target.toUtf8(); }));
    }

public Q_SLOTS:
    void applicationAvailable()
    {
        m_server = new TestServer(this);
        m_server->setHandler(&Peers::handle);
        QString why;
        if (!m_nginx.start(&why))
            m_nginxError = why;
        else if ((m_bigSha256 = m_nginx.addRandomFile(QStringLiteral("rate/big.bin"), 20 * 1024 * 1024)).isEmpty())
            m_nginxError = QStringLiteral("cannot write big.bin for nginx");
        m_configured = new Courier::Client(this);
        m_configured->setDefaultHeader("X-From-Cpp", "yes");
        m_refusedPort = freePort();
    }
    void onWatchedFinished() { ++m_finished; }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->rootContext()->setContextProperty(QStringLiteral("peers"), this);
        engine->setNetworkAccessManagerFactory(&m_factory);
    }

private:
    static void handle(TestConnection *c, const RawRequest &r)
    {
        const QByteArray path = r.target.split('?').first();
        if (path == "/text")
            return c->respond(200, "OK", {{"Content-Type", "text/plain; charset=utf-8"}}, "hello, QML");
        if (path == "/data.json")
            return c->respond(200, "OK", {{"Content-Type", "application/json"}}, R"({"name": "Courier"})");
        if (path == "/json")
            return c->respond(200, "OK", {{"Content-Type", "application/json"}, {"X-Mixed-Case", "yes"}},
                              R"({"name": "Courier", "n": [1, 2, 3]})");
        if (path == "/not-json")
            return c->respond(200, "OK", {{"Content-Type", "application/json"}}, "<html>");
        if (path == "/missing")
            return c->respond(404, "Not Found", {{"Content-Type", "text/plain"}}, "no such thing");
        if (path == "/set-cookie")
            return c->respond(200, "OK", {{"Set-Cookie", "session=abc123; Path=/; Max-Age=3600"}}, "set");
        if (path == "/cacheable")
            return c->respond(200, "OK", {{"Cache-Control", "max-age=600"}, {"Content-Type", "text/plain"}},
                              "cached body");
        if (path == "/flaky") {
            // 503 to every first request of a target, 200 to the next.
            const int seen = ++flakyCounts()[r.target];
            if (seen % 2 == 1)
                return c->respond(503, "Service Unavailable", {{"Retry-After", "0"}}, "later");
            return c->respond(200, "OK", {{"Content-Type", "text/plain"}}, "now");
        }
        if (path == "/redirect")
            return c->respond(302, "Found", {{"Location", "/text"}});
        if (path == "/slow") {
            c->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
            c->drip(QList<QByteArray>(100, "x"), 100);
            return;
        }
        if (path == "/echo") {
            QJsonObject headers;
            for (const auto &[name, value] : r.headers)
                headers.insert(QString::fromLatin1(name.toLower()), QString::fromUtf8(value));
            const QJsonObject echo{{QStringLiteral("method"), QString::fromLatin1(r.method)},
                                   {QStringLiteral("target"), QString::fromUtf8(r.target)},
                                   {QStringLiteral("headers"), headers},
                                   {QStringLiteral("body"), QString::fromUtf8(r.body)}};
            return c->respond(200, "OK", {{"Content-Type", "application/json"}},
                              QJsonDocument(echo).toJson(QJsonDocument::Compact));
        }
        c->respond(200, "OK", {{"Content-Type", "text/plain"}}, "ok");
    }

    static QHash<QByteArray, int> &flakyCounts()
    {
        static QHash<QByteArray, int> counts;
        return counts;
    }

    TestServer *m_server = nullptr;
    CountingFactory m_factory;
    QTemporaryDir m_temp;
    QByteArray m_bigSha256;
    Courier::Client *m_configured = nullptr;
    NginxPeer m_nginx;
    QString m_nginxError;
    quint16 m_refusedPort = 0;
    QList<QPointer<QObject>> m_watched;
    int m_finished = 0;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_qml, Peers)

#include "tst_qml.moc"
