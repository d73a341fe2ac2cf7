// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "peers.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QRandomGenerator>
#include <QtCore/QStandardPaths>
#include <QtCore/QThread>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <algorithm>
#include <functional>
#include <vector>

namespace Courier::Test {

namespace {

QString findProgram(const QString &name)
{
    const QStringList dirs = {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin"), QStringLiteral("/sbin"),
                              QStringLiteral("/bin")};
    QString path = QStandardPaths::findExecutable(name, dirs);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(name);
    return path;
}

void stopProcess(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(5000)) {
        process.kill();
        process.waitForFinished(5000);
    }
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool runOpenssl(const QString &openssl, const QStringList &arguments, QString *why)
{
    QProcess process;
    process.start(openssl, arguments);
    if (process.waitForFinished(30000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
        return true;
    *why = QStringLiteral("openssl %1 failed: %2")
               .arg(arguments.value(0), QString::fromLocal8Bit(process.readAllStandardError()));
    return false;
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

// expired.pem/expired.key: for localhost and 127.0.0.1, signed by ca.pem, valid for one day in
// 2020. "openssl x509" only dates from now; "openssl ca" takes any dates, with a database.
bool makeExpiredCertificate(const QString &openssl, const QString &dir, QString *why)
{
    const auto path = [&dir](const char *name) -> QString { return dir + QLatin1Char('/') + QLatin1String(name); };
    return writeFile(path("ca.cnf"),
                     "[ca]\ndefault_ca = test\n[test]\ndatabase = " + path("index.txt").toUtf8()
                         + "\nnew_certs_dir = " + dir.toUtf8() + "\nserial = " + path("serial").toUtf8()
                         + "\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n")
        && writeFile(path("index.txt"), "") && writeFile(path("serial"), "01\n")
        && writeFile(path("expired.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        && runOpenssl(openssl,
                      {QStringLiteral("req"), QStringLiteral("-nodes"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                       QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"),
                       QStringLiteral("-keyout"), path("expired.key"), QStringLiteral("-out"), path("expired.csr"),
                       QStringLiteral("-subj"), QStringLiteral("/CN=localhost")},
                      why)
        && runOpenssl(openssl,
                      {QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-notext"),
                       QStringLiteral("-config"), path("ca.cnf"), QStringLiteral("-cert"), path("ca.pem"),
                       QStringLiteral("-keyfile"), path("ca.key"), QStringLiteral("-in"), path("expired.csr"),
                       QStringLiteral("-out"), path("expired.pem"), QStringLiteral("-extfile"), path("expired.ext"),
                       QStringLiteral("-startdate"), QStringLiteral("20200101000000Z"), QStringLiteral("-enddate"),
                       QStringLiteral("20200102000000Z")},
                      why);
}

// rsa1024.pem/rsa1024.key (an RSA key of 1024 bits) and sha1.pem/sha1.key (signed with SHA-1),
// both for localhost and 127.0.0.1 and signed by ca.pem: what OpenSSL 3's default security level
// refuses. other.pem/other.key: a second certificate for the same names, with a key of its own.
bool makeWeakCertificates(const QString &openssl, const QString &dir, QString *why)
{
    const auto path = [&dir](const char *name) -> QString { return dir + QLatin1Char('/') + QLatin1String(name); };
    const auto make = [&](const char *name, const QStringList &key, const QString &digest) {
        return runOpenssl(openssl,
                          QStringList{QStringLiteral("req"), QStringLiteral("-nodes"), QStringLiteral("-newkey")} + key
                              + QStringList{QStringLiteral("-keyout"), path(name) + QStringLiteral(".key"),
                                            QStringLiteral("-out"), path(name) + QStringLiteral(".csr"),
                                            QStringLiteral("-subj"), QStringLiteral("/CN=localhost")},
                          why)
            && runOpenssl(openssl,
                          {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                           path(name) + QStringLiteral(".csr"), QStringLiteral("-CA"), path("ca.pem"),
                           QStringLiteral("-CAkey"), path("ca.key"), QStringLiteral("-set_serial"),
                           QString::number(QRandomGenerator::global()->bounded(1, 1 << 30)),
                           QStringLiteral("-") + digest, QStringLiteral("-out"), path(name) + QStringLiteral(".pem"),
                           QStringLiteral("-extfile"), path("local.ext"), QStringLiteral("-days"), QStringLiteral("2")},
                          why);
    };
    const QStringList ec = {QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                            QStringLiteral("ec_paramgen_curve:prime256v1")};
    return writeFile(path("local.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        && make("rsa1024", {QStringLiteral("rsa:1024")}, QStringLiteral("sha256"))
        && make("sha1", ec, QStringLiteral("sha1")) && make("other", ec, QStringLiteral("sha256"));
}

// cert.pem/key.pem: self-signed for localhost and 127.0.0.1. ca.pem/ca.key: a test CA, which signs
// named.pem/named.key (a server certificate for "courier.test" only) and client.pem/client.key
// (a client certificate, its key encrypted with "secret").
bool makeCertificates(const QString &openssl, const QString &dir, QString *why)
{
    const auto path = [&dir](const char *name) -> QString { return dir + QLatin1Char('/') + QLatin1String(name); };
    const QStringList ec = {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                            QStringLiteral("ec_paramgen_curve:prime256v1")};
    const QStringList days = {QStringLiteral("-days"), QStringLiteral("2")};
    const auto req = [&](const char *key, const char *out, const char *subject, const QStringList &extra) {
        return QStringList{QStringLiteral("req")} + extra + ec
            + QStringList{QStringLiteral("-keyout"), path(key),
                          QStringLiteral("-out"),    path(out),
                          QStringLiteral("-subj"),   QLatin1String(subject)};
    };
    const auto sign = [&](const char *csr, const char *out, const char *extensions) {
        return QStringList{
                   QStringLiteral("x509"),        QStringLiteral("-req"),
                   QStringLiteral("-in"),         path(csr),
                   QStringLiteral("-CA"),         path("ca.pem"),
                   QStringLiteral("-CAkey"),      path("ca.key"),
                   QStringLiteral("-set_serial"), QString::number(QRandomGenerator::global()->bounded(1, 1 << 30)),
                   QStringLiteral("-out"),        path(out),
                   QStringLiteral("-extfile"),    path(extensions)}
        + days;
    };
    return writeFile(path("named.ext"), "subjectAltName=DNS:courier.test\nextendedKeyUsage=serverAuth\n")
        && writeFile(path("client.ext"), "extendedKeyUsage=clientAuth\n")
        && runOpenssl(openssl,
                      req("key.pem", "cert.pem", "/CN=localhost",
                          QStringList{QStringLiteral("-x509"), QStringLiteral("-nodes"), QStringLiteral("-addext"),
                                      QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")}
                              + days),
                      why)
        && runOpenssl(openssl,
                      req("ca.key", "ca.pem", "/CN=Courier Test CA",
                          QStringList{QStringLiteral("-x509"), QStringLiteral("-nodes")} + days),
                      why)
        && runOpenssl(openssl, req("named.key", "named.csr", "/CN=courier.test", {QStringLiteral("-nodes")}), why)
        && runOpenssl(openssl, sign("named.csr", "named.pem", "named.ext"), why)
        && runOpenssl(openssl,
                      req("client.key", "client.csr", "/CN=courier-client",
                          {QStringLiteral("-passout"), QStringLiteral("pass:secret")}),
                      why)
        && runOpenssl(openssl, sign("client.csr", "client.pem", "client.ext"), why)
        && makeExpiredCertificate(openssl, dir, why) && makeWeakCertificates(openssl, dir, why);
}

// Starts \a program with the arguments \a arguments gives for a free port until it listens there
// (another process may take the port between the probe and the start: a few attempts).
bool startOnFreePort(QProcess &process, const QString &program, const std::function<QStringList(quint16)> &arguments,
                     int listenMsecs, const QString &name, quint16 *port, QString *why)
{
    for (int attempt = 0; attempt < 5; ++attempt) {
        *port = freePort();
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(program, arguments(*port));
        if (process.waitForStarted(10000) && waitForPort(*port, listenMsecs, &process))
            return true;
        *why = name + QStringLiteral(" did not start: ") + QString::fromLocal8Bit(process.readAll());
        stopProcess(process);
    }
    return false;
}

} // namespace

bool makeTestCertificates(const QString &dir, QString *why)
{
    const QString openssl = findProgram(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        *why = QStringLiteral("openssl is not installed (scripts/setup installs it)");
        return false;
    }
    return makeCertificates(openssl, dir, why);
}

bool TestPki::create(QString *why)
{
    if (m_created)
        return true;
    if (!m_dir.isValid()) {
        *why = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    m_created = makeTestCertificates(m_dir.path(), why);
    return m_created;
}

QString TestPki::file(const QString &name) const { return m_dir.path() + QLatin1Char('/') + name; }

QList<QSslCertificate> TestPki::certificates(const QString &fileName) const
{
    return QSslCertificate::fromData(readFile(file(fileName)), QSsl::Pem);
}

QSslKey TestPki::key(const QString &fileName) const
{
    const QByteArray pem = readFile(file(fileName));
    QSslKey key(pem, QSsl::Ec, QSsl::Pem);
    return key.isNull() ? QSslKey(pem, QSsl::Rsa, QSsl::Pem) : key;
}

bool inCI()
{
    const QByteArray ci = qgetenv("CI").toLower();
    return !ci.isEmpty() && ci != "0" && ci != "false";
}

quint16 freePort() { return freePorts(1).value(0); }

QList<quint16> freePorts(int count)
{
    // Every probe stays open until all are taken: one after another, the kernel may hand the same
    // port out twice, and two of nginx's servers on one port are one server (the first block
    // answers for both).
    std::vector<std::unique_ptr<QTcpServer>> probes;
    QList<quint16> ports;
    for (int i = 0; i < count; ++i) {
        probes.push_back(std::make_unique<QTcpServer>());
        if (!probes.back()->listen(QHostAddress::LocalHost, 0))
            return {};
        ports.append(probes.back()->serverPort());
    }
    return ports;
}

bool waitForPort(quint16 port, int msecs, const QProcess *process)
{
    QDeadlineTimer deadline(msecs);
    while (!deadline.hasExpired()) {
        if (process && process->state() == QProcess::NotRunning)
            return false;
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (socket.waitForConnected(500))
            return true;
        QThread::msleep(50);
    }
    return false;
}

// ---------------------------------------------------------------------------------------------

NginxPeer::NginxPeer() = default;
NginxPeer::~NginxPeer() { stop(); }

bool NginxPeer::start(QString *why)
{
    if (m_process.state() == QProcess::Running)
        return true;
    const QString nginx = findProgram(QStringLiteral("nginx"));
    const QString openssl = findProgram(QStringLiteral("openssl"));
    if (nginx.isEmpty() || openssl.isEmpty()) {
        *why = QStringLiteral("nginx or openssl is not installed (scripts/setup installs them)");
        return false;
    }
    if (!m_dir.isValid()) {
        *why = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    const QString dir = m_dir.path();
    for (const char *sub : {"www", "tmp", "logs"})
        QDir(dir).mkpath(QString::fromLatin1(sub));

    if (!makeCertificates(openssl, dir, why))
        return false;

    // Without buffering nginx passes each piece on as it reads it; the empty Connection header
    // lets the HTTP/1.1 upstream keep its connection.
    QByteArray upstream;
    if (m_upstreamPort != 0) {
        upstream = "    location /upstream/ {\n"
                   "      proxy_pass http://127.0.0.1:"
            + QByteArray::number(m_upstreamPort)
            + "/;\n"
              "      proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_buffering off;\n"
              "    }\n";
    }

    for (int attempt = 0; attempt < 5; ++attempt) {
        const QList<quint16> ports = freePorts(ServerCount);
        if (ports.size() != ServerCount) {
            *why = QStringLiteral("no free ports on 127.0.0.1");
            return false;
        }
        std::copy(ports.cbegin(), ports.cend(), std::begin(m_ports));
        const QByteArray d = QFile::encodeName(dir);
        const auto listen = [this](Server server) -> QByteArray {
            return "    listen 127.0.0.1:" + QByteArray::number(m_ports[server]);
        };
        const QByteArray conf = "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + d
            + "/nginx.pid;\n"
              "error_log "
            + d
            + "/logs/error.log warn;\n"
              "events { worker_connections 1024; }\n"
              "http {\n"
              "  types { text/html html; text/plain txt; application/json json; application/octet-stream bin; }\n"
              "  default_type application/octet-stream;\n"
              "  log_format conn '$server_port $connection $request $status';\n"
              "  access_log "
            + d
            + "/logs/access.log conn;\n"
              "  client_body_temp_path "
            + d + "/tmp/body; proxy_temp_path " + d
            + "/tmp/proxy;\n"
              "  fastcgi_temp_path "
            + d + "/tmp/fcgi; uwsgi_temp_path " + d + "/tmp/uwsgi; scgi_temp_path " + d
            + "/tmp/scgi;\n"
              "  keepalive_timeout 30s; keepalive_requests 100000; sendfile on;\n"
              "  root "
            + d
            + "/www;\n"
              "  server {\n"
            + listen(Plain) + ";\n" + upstream
            + "    location = /redirect-to-https { return 302 https://127.0.0.1:" + QByteArray::number(m_ports[Tls])
            + "/hello.txt; }\n"
              // Cache policies for the response cache tests (the files come from the tests).
              "    location /cache/fresh/ { expires 1h; }\n"
              "    location /cache/revalidate/ { add_header Cache-Control no-cache; }\n"
              "    location /cache/no-store/ { add_header Cache-Control no-store; }\n"
              // Slow enough for progress to be seen (Qt reports it at most every 100 ms or so).
              "    location /rate/ { limit_rate 32m; }\n"
              // Any file also answers a POST, with the body discarded (error_page makes it a GET).
              "    location /post/ { alias "
            + d
            + "/www/; error_page 405 =200 $uri; }\n"
              "  }\n"
              "  server {\n"
            + listen(H2c) + " http2;\n" + upstream
            + "  }\n"
              "  server {\n"
            + listen(Tls)
            + " ssl http2;\n"
              "    ssl_certificate "
            + d + "/cert.pem; ssl_certificate_key " + d + "/key.pem;\n" + upstream
            + "    location = /to-http { return 302 http://127.0.0.1:" + QByteArray::number(m_ports[Plain])
            + "/hello.txt; }\n"
              "    location /post/ { alias "
            + d
            + "/www/; error_page 405 =200 $uri; }\n"
              // https -> http on any local port, setting a cookie (not Secure) on the way.
              "    location ~ ^/to-port/(\\d+)(/.*)$ {\n"
              "      add_header Set-Cookie \"tls=secret; Path=/\"; return 302 http://127.0.0.1:$1$2;\n"
              "    }\n"
              "  }\n"
              "  server {\n"
            + listen(NamedTls)
            + " ssl http2;\n"
              "    ssl_certificate "
            + d + "/named.pem; ssl_certificate_key " + d
            + "/named.key;\n"
              "    ssl_client_certificate "
            + d
            + "/ca.pem; ssl_verify_client optional;\n"
              "    location = /client { default_type text/plain; return 200 \"$ssl_client_verify $ssl_client_s_dn\"; "
              "}\n"
              "  }\n"
              // keepalive_requests also bounds HTTP/2 streams per connection (nginx 1.19.7 and
              // later): the 11th request on a connection meets a GOAWAY.
              "  server {\n"
            + listen(TlsRetiring)
            + " ssl http2;\n"
              "    ssl_certificate "
            + d + "/cert.pem; ssl_certificate_key " + d
            + "/key.pem;\n"
              "    keepalive_requests 10;\n"
              // A POST here is answered only once its whole body has been read (the mirror waits
              // for it), so that the test sees the retirement and nothing else: an answer before the
              // body is tst_protocol's http2ResponseBeforeTheBodyIsSent, on the Tls server.
              "    location /read/ { alias "
            + d
            + "/www/; mirror /discard; mirror_request_body on; error_page 405 =200 $uri; }\n"
              "    location = /discard { internal; return 204; }\n"
              "  }\n"
              "  server {\n"
            + listen(ExpiredTls)
            + " ssl;\n"
              "    ssl_certificate "
            + d + "/expired.pem; ssl_certificate_key " + d
            + "/expired.key;\n"
              "  }\n"
              "  server {\n"
            + listen(Tls12)
            + " ssl;\n"
              "    ssl_protocols TLSv1.2;\n"
              "    ssl_certificate "
            + d + "/cert.pem; ssl_certificate_key " + d
            + "/key.pem;\n"
              "  }\n"
              "}\n";
        QFile f(dir + QStringLiteral("/nginx.conf"));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(conf) != conf.size()) {
            *why = QStringLiteral("cannot write nginx.conf");
            return false;
        }
        f.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(nginx,
                        {QStringLiteral("-p"), dir, QStringLiteral("-c"), dir + QStringLiteral("/nginx.conf"),
                         QStringLiteral("-e"), dir + QStringLiteral("/logs/error.log")});
        bool up = m_process.waitForStarted(10000);
        for (const quint16 port : m_ports)
            up = up && waitForPort(port, 10000, &m_process);
        if (up)
            return true;
        *why = QStringLiteral("nginx did not start: ") + QString::fromLocal8Bit(m_process.readAll())
            + QString::fromLocal8Bit(readFile(dir + QStringLiteral("/logs/error.log")));
        stopProcess(m_process);
    }
    return false;
}

void NginxPeer::stop() { stopProcess(m_process); }

QUrl NginxPeer::url(Server server, const QString &path) const
{
    const bool tls = server == Tls || server == NamedTls || server == Tls12 || server == ExpiredTls
        || server == TlsRetiring;
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                    .arg(tls ? QStringLiteral("https") : QStringLiteral("http"))
                    .arg(m_ports[server])
                    .arg(path));
}

quint16 NginxPeer::port(Server server) const { return m_ports[server]; }

QString NginxPeer::documentRoot() const { return m_dir.path() + QStringLiteral("/www"); }

namespace {
// Opens \a name (a path below \a root, with or without a leading slash) for writing, creating
// the directories on the way.
bool openBelow(const QString &root, const QString &name, QFile &file)
{
    const QString path = root + QLatin1Char('/') + name;
    file.setFileName(path);
    return QDir().mkpath(QFileInfo(path).absolutePath()) && file.open(QIODevice::WriteOnly | QIODevice::Truncate);
}
} // namespace

bool NginxPeer::addFile(const QString &name, const QByteArray &content)
{
    QFile f;
    return openBelow(documentRoot(), name, f) && f.write(content) == content.size();
}

QByteArray NginxPeer::addRandomFile(const QString &name, qint64 size)
{
    QFile f;
    if (!openBelow(documentRoot(), name, f))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QRandomGenerator generator(42);
    QByteArray block(1 << 16, Qt::Uninitialized);
    for (qint64 written = 0; written < size;) {
        const qint64 n = std::min<qint64>(block.size(), size - written);
        generator.fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
        f.write(block.constData(), n);
        hash.addData(QByteArrayView(block.constData(), n));
        written += n;
    }
    return hash.result();
}

QByteArray NginxPeer::certificatePem() const { return readFile(m_dir.path() + QStringLiteral("/cert.pem")); }
QString NginxPeer::pkiFile(const QString &name) const { return m_dir.path() + QLatin1Char('/') + name; }

QList<QByteArray> NginxPeer::accessLog() const
{
    QList<QByteArray> lines = readFile(m_dir.path() + QStringLiteral("/logs/access.log")).split('\n');
    lines.removeAll(QByteArray());
    return lines;
}

// ---------------------------------------------------------------------------------------------

NghttpdPeer::NghttpdPeer() = default;
NghttpdPeer::~NghttpdPeer() { stop(); }

bool NghttpdPeer::start(const QString &documentRoot, QString *why, const QString &certificate, const QString &key)
{
    if (m_process.state() == QProcess::Running)
        return true;
    const QString nghttpd = findProgram(QStringLiteral("nghttpd"));
    if (nghttpd.isEmpty()) {
        *why = QStringLiteral("nghttpd is not installed (package nghttp2-server; scripts/setup installs it)");
        return false;
    }
    m_tls = !certificate.isEmpty();
    const auto arguments = [&](quint16 port) {
        QStringList list{QStringLiteral("--address=127.0.0.1"), QStringLiteral("--htdocs=") + documentRoot};
        if (!m_tls)
            list << QStringLiteral("--no-tls");
        list << QString::number(port);
        if (m_tls)
            list << key << certificate;
        return list;
    };
    return startOnFreePort(m_process, nghttpd, arguments, 10000, QStringLiteral("nghttpd"), &m_port, why);
}

void NghttpdPeer::stop() { stopProcess(m_process); }

QUrl NghttpdPeer::url(const QString &path) const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                    .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                    .arg(m_port)
                    .arg(path));
}

// ---------------------------------------------------------------------------------------------

HttpbinPeer::HttpbinPeer() = default;
HttpbinPeer::~HttpbinPeer() { stop(); }

bool HttpbinPeer::start(QString *why)
{
    if (m_process.state() == QProcess::Running)
        return true;
    // Debian's gunicorn runs on Debian's /usr/bin/python3, which has python3-httpbin; the python3
    // first on PATH may be another interpreter.
    const QString gunicorn = QFile::exists(QStringLiteral("/usr/bin/gunicorn"))
        ? QStringLiteral("/usr/bin/gunicorn")
        : findProgram(QStringLiteral("gunicorn"));
    if (gunicorn.isEmpty() || !QFile::exists(QStringLiteral("/usr/lib/python3/dist-packages/httpbin"))) {
        *why = QStringLiteral("gunicorn or python3-httpbin is not installed (scripts/setup installs them)");
        return false;
    }
    const auto arguments = [](quint16 port) {
        return QStringList{QStringLiteral("--bind"),      QStringLiteral("127.0.0.1:%1").arg(port),
                           QStringLiteral("--workers"),   QStringLiteral("1"),
                           QStringLiteral("--threads"),   QStringLiteral("16"),
                           QStringLiteral("--log-level"), QStringLiteral("warning"),
                           QStringLiteral("httpbin:app")};
    };
    return startOnFreePort(m_process, gunicorn, arguments, 30000, QStringLiteral("httpbin under gunicorn"), &m_port,
                           why);
}

void HttpbinPeer::stop() { stopProcess(m_process); }

QUrl HttpbinPeer::url(const QString &pathAndQuery) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(pathAndQuery));
}

OpensslServerPeer::OpensslServerPeer() = default;
OpensslServerPeer::~OpensslServerPeer() { stop(); }

bool OpensslServerPeer::start(const QStringList &arguments, QString *why)
{
    const QString openssl = findProgram(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        *why = QStringLiteral("openssl is not installed (scripts/setup installs it)");
        return false;
    }
    const auto withPort = [&arguments](quint16 port) {
        return QStringList{QStringLiteral("s_server"), QStringLiteral("-accept"),
                           QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-www"), QStringLiteral("-quiet")}
        + arguments;
    };
    return startOnFreePort(m_process, openssl, withPort, 10000, QStringLiteral("openssl s_server"), &m_port, why);
}

void OpensslServerPeer::stop() { stopProcess(m_process); }

QUrl OpensslServerPeer::url(const QString &path) const
{
    return QUrl(QStringLiteral("https://127.0.0.1:%1%2").arg(m_port).arg(path));
}

} // namespace Courier::Test
