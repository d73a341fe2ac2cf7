#include "peers.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QRandomGenerator>
#include <QtCore/QStandardPaths>
#include <QtCore/QThread>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

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

} // namespace

bool inCI()
{
    const QByteArray ci = qgetenv("CI").toLower();
    return !ci.isEmpty() && ci != "0" && ci != "false";
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
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

    QProcess cert;
    cert.start(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                         QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                         QStringLiteral("-keyout"), dir + QStringLiteral("/key.pem"), QStringLiteral("-out"),
                         dir + QStringLiteral("/cert.pem"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                         QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                         QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")});
    if (!cert.waitForFinished(30000) || cert.exitCode() != 0) {
        *why = QStringLiteral("openssl could not make a certificate: ") + QString::fromLocal8Bit(cert.readAllStandardError());
        return false;
    }

    for (int attempt = 0; attempt < 5; ++attempt) {
        m_port = freePort();
        m_tlsPort = freePort();
        const QByteArray d = QFile::encodeName(dir);
        const QByteArray conf =
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + d + "/nginx.pid;\n"
            "error_log " + d + "/logs/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "  types { text/html html; text/plain txt; application/json json; application/octet-stream bin; }\n"
            "  default_type application/octet-stream;\n"
            "  log_format conn '$connection $request $status';\n"
            "  access_log " + d + "/logs/access.log conn;\n"
            "  client_body_temp_path " + d + "/tmp/body; proxy_temp_path " + d + "/tmp/proxy;\n"
            "  fastcgi_temp_path " + d + "/tmp/fcgi; uwsgi_temp_path " + d + "/tmp/uwsgi; scgi_temp_path " + d + "/tmp/scgi;\n"
            "  keepalive_timeout 30s; keepalive_requests 100000; sendfile on;\n"
            "  server {\n"
            "    listen 127.0.0.1:" + QByteArray::number(m_port) + ";\n"
            "    root " + d + "/www;\n"
            "    location = /redirect-to-https { return 302 https://127.0.0.1:" + QByteArray::number(m_tlsPort) + "/hello.txt; }\n"
            "  }\n"
            "  server {\n"
            "    listen 127.0.0.1:" + QByteArray::number(m_tlsPort) + " ssl http2;\n"
            "    ssl_certificate " + d + "/cert.pem; ssl_certificate_key " + d + "/key.pem;\n"
            "    root " + d + "/www;\n"
            "    location = /to-http { return 302 http://127.0.0.1:" + QByteArray::number(m_port) + "/hello.txt; }\n"
            "  }\n"
            "}\n";
        QFile f(dir + QStringLiteral("/nginx.conf"));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(conf) != conf.size()) {
            *why = QStringLiteral("cannot write nginx.conf");
            return false;
        }
        f.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(nginx, {QStringLiteral("-p"), dir, QStringLiteral("-c"), dir + QStringLiteral("/nginx.conf"),
                                QStringLiteral("-e"), dir + QStringLiteral("/logs/error.log")});
        if (m_process.waitForStarted(10000) && waitForPort(m_port, 10000, &m_process)
            && waitForPort(m_tlsPort, 10000, &m_process))
            return true;
        *why = QStringLiteral("nginx did not start: ") + QString::fromLocal8Bit(m_process.readAll())
            + QString::fromLocal8Bit(readFile(dir + QStringLiteral("/logs/error.log")));
        stopProcess(m_process);
    }
    return false;
}

void NginxPeer::stop() { stopProcess(m_process); }

QUrl NginxPeer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}

QUrl NginxPeer::tlsUrl(const QString &path) const
{
    return QUrl(QStringLiteral("https://127.0.0.1:%1%2").arg(m_tlsPort).arg(path));
}

QString NginxPeer::documentRoot() const { return m_dir.path() + QStringLiteral("/www"); }

bool NginxPeer::addFile(const QString &name, const QByteArray &content)
{
    QFile f(documentRoot() + QLatin1Char('/') + name);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

QByteArray NginxPeer::addRandomFile(const QString &name, qint64 size)
{
    QFile f(documentRoot() + QLatin1Char('/') + name);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
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

QList<QByteArray> NginxPeer::accessLog() const
{
    QList<QByteArray> lines = readFile(m_dir.path() + QStringLiteral("/logs/access.log")).split('\n');
    lines.removeAll(QByteArray());
    return lines;
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
    const QString gunicorn = QFile::exists(QStringLiteral("/usr/bin/gunicorn")) ? QStringLiteral("/usr/bin/gunicorn")
                                                                               : findProgram(QStringLiteral("gunicorn"));
    if (gunicorn.isEmpty() || !QFile::exists(QStringLiteral("/usr/lib/python3/dist-packages/httpbin"))) {
        *why = QStringLiteral("gunicorn or python3-httpbin is not installed (scripts/setup installs them)");
        return false;
    }
    for (int attempt = 0; attempt < 5; ++attempt) {
        m_port = freePort();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(gunicorn, {QStringLiteral("--bind"), QStringLiteral("127.0.0.1:%1").arg(m_port),
                                   QStringLiteral("--workers"), QStringLiteral("1"), QStringLiteral("--threads"),
                                   QStringLiteral("16"), QStringLiteral("--log-level"), QStringLiteral("warning"),
                                   QStringLiteral("httpbin:app")});
        if (m_process.waitForStarted(10000) && waitForPort(m_port, 30000, &m_process))
            return true;
        *why = QStringLiteral("httpbin under gunicorn did not start: ") + QString::fromLocal8Bit(m_process.readAll());
        stopProcess(m_process);
    }
    return false;
}

void HttpbinPeer::stop() { stopProcess(m_process); }

QUrl HttpbinPeer::url(const QString &pathAndQuery) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(pathAndQuery));
}

} // namespace Courier::Test
