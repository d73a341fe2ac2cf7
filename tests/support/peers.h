// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// Real servers from Debian, started by the tests on 127.0.0.1 with free ports and stopped when the
// peer object is destroyed. A peer that cannot start is a failure in CI (CI=true) and a skip on a
// developer machine that lacks the package.

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QProcess>
#include <QtCore/QString>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUrl>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

#include <memory>

namespace Courier::Test {

/*! Whether the suite runs in CI, where a missing peer is a failure, never a skip. */
bool inCI();
/*! A TCP port on 127.0.0.1 that nothing listens on at the moment of the call. */
quint16 freePort();
/*! \a count distinct TCP ports on 127.0.0.1 that nothing listens on at the moment of the call
    (empty if there are not so many). */
QList<quint16> freePorts(int count);
/*! Waits until something accepts connections on 127.0.0.1:\a port. */
bool waitForPort(quint16 port, int msecs, const QProcess *process = nullptr);

/*!
    Makes the test PKI in \a dir with openssl: cert.pem/key.pem (self-signed for localhost and
    127.0.0.1), ca.pem/ca.key (a test CA), and signed by it named.pem/named.key (for
    "courier.test" only), client.pem/client.key (a client certificate, key encrypted with
    "secret"), expired.pem/expired.key, other.pem/other.key (localhost and 127.0.0.1, a key of
    its own), rsa1024.pem/rsa1024.key and sha1.pem/sha1.key (what OpenSSL's default security
    level refuses).
*/
bool makeTestCertificates(const QString &dir, QString *why);

/*! The test PKI of makeTestCertificates() in a temporary directory of its own. */
class TestPki
{
public:
    bool create(QString *why);
    /*! The path of \a name, e.g. "ca.pem". */
    QString file(const QString &name) const;
    /*! The certificates in the PEM file \a fileName, e.g. "cert.pem". */
    QList<QSslCertificate> certificates(const QString &fileName) const;
    /*! The unencrypted key in the PEM file \a fileName, e.g. "key.pem". */
    QSslKey key(const QString &fileName) const;

private:
    QTemporaryDir m_dir;
    bool m_created = false;
};

/*!
    nginx with several servers on one document root, keep-alive, and an access log that records
    each request's port and connection serial number. Certificates are made with openssl at start
    (see pkiFile()).
*/
class NginxPeer
{
public:
    enum Server {
        Plain, //!< HTTP/1.1 cleartext
        H2c, //!< HTTP/2 cleartext with prior knowledge
        Tls, //!< TLS (self-signed cert.pem for localhost and 127.0.0.1), HTTP/2 through ALPN
        NamedTls, //!< TLS with named.pem (for "courier.test" only, signed by ca.pem); /client shows the client certificate
        Tls12, //!< TLS 1.2 only, cert.pem
        ExpiredTls, //!< TLS with expired.pem: for localhost and 127.0.0.1, signed by ca.pem, expired in 2020
        TlsRetiring, //!< as Tls, but each connection is retired (HTTP/2 GOAWAY) after 10 requests
        ServerCount
    };

    NginxPeer();
    ~NginxPeer();

    /*!
        Makes /upstream/ on the Plain, H2c and Tls servers a streaming reverse proxy to
        http://127.0.0.1:\a port/ (the rest of the path and the query kept): HTTP/1.1 to the
        upstream, proxy_buffering off, so that each piece the upstream sends goes on to the client
        as it comes, chunked on HTTP/1.1 and kept alive. Call before start(); 0, the default,
        leaves the location out.
    */
    void setUpstreamPort(quint16 port) { m_upstreamPort = port; }

    bool start(QString *why);
    void stop();

    QUrl url(const QString &path = QStringLiteral("/")) const { return url(Plain, path); }
    QUrl tlsUrl(const QString &path = QStringLiteral("/")) const { return url(Tls, path); }
    QUrl url(Server server, const QString &path) const;
    quint16 port(Server server) const;
    QString documentRoot() const;
    /*! Writes \a content to \a name under the document root, creating directories as needed. */
    bool addFile(const QString &name, const QByteArray &content);
    /*! Writes a file of \a size pseudo-random bytes; returns its SHA-256. */
    QByteArray addRandomFile(const QString &name, qint64 size);
    /*! The PEM certificate the TLS server presents (its own CA). */
    QByteArray certificatePem() const;
    /*!
        A file of the test PKI: cert.pem/key.pem (self-signed), ca.pem/ca.key (test CA),
        named.pem/named.key, client.pem/client.key (key encrypted with "secret"),
        expired.pem/expired.key.
    */
    QString pkiFile(const QString &name) const;
    /*! The access log: one line per request, "<port> <connection serial> <request line> <status>". */
    QList<QByteArray> accessLog() const;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_ports[ServerCount] = {};
    quint16 m_upstreamPort = 0;
};

/*!
    nghttpd (Debian nghttp2-server) serving \a documentRoot over HTTP/2 only: h2c with prior
    knowledge, or h2 over TLS with the given certificate and key.
*/
class NghttpdPeer
{
public:
    NghttpdPeer();
    ~NghttpdPeer();

    /*! Cleartext h2c when \a certificate is empty, TLS otherwise. */
    bool start(const QString &documentRoot, QString *why, const QString &certificate = QString(),
               const QString &key = QString());
    void stop();
    QUrl url(const QString &path = QStringLiteral("/")) const;

private:
    QProcess m_process;
    quint16 m_port = 0;
    bool m_tls = false;
};

/*!
    `openssl s_server -www` on 127.0.0.1: a TLS server whose handshake can be set up as no Qt or
    nginx server would (a client certificate required in TLS 1.3, keys and signatures below
    OpenSSL's default security level).
*/
class OpensslServerPeer
{
public:
    OpensslServerPeer();
    ~OpensslServerPeer();

    /*! Starts s_server with \a arguments (besides -accept and -www). */
    bool start(const QStringList &arguments, QString *why);
    void stop();
    QUrl url(const QString &path = QStringLiteral("/")) const;

private:
    QProcess m_process;
    quint16 m_port = 0;
};

/*! python3-httpbin under Debian's gunicorn (threaded, so /drip does not block other requests). */
class HttpbinPeer
{
public:
    HttpbinPeer();
    ~HttpbinPeer();

    bool start(QString *why);
    void stop();
    quint16 port() const { return m_port; }
    QUrl url(const QString &pathAndQuery = QStringLiteral("/")) const;

private:
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace Courier::Test

/*! Fails the test in CI and skips it elsewhere unless \a started; \a why says what is missing. */
#define COURIER_REQUIRE_STARTED(started, why)                                                                          \
    do {                                                                                                               \
        if (!(started)) {                                                                                              \
            if (Courier::Test::inCI())                                                                                 \
                QFAIL(qPrintable(why));                                                                                \
            QSKIP(qPrintable((why) + QStringLiteral(" (not in CI: skipped; with CI=true it fails)")));                 \
        }                                                                                                              \
    } while (false)

/*! Starts \a peer, failing the test in CI and skipping it elsewhere when it cannot start. */
#define COURIER_REQUIRE_PEER(peer)                                                                                     \
    do {                                                                                                               \
        QString why_;                                                                                                  \
        const bool started_ = (peer).start(&why_);                                                                     \
        COURIER_REQUIRE_STARTED(started_, why_);                                                                       \
    } while (false)
