// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "mockserver_p.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QMutexLocker>
#include <QtCore/QTimer>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpServer>

#include <sys/socket.h>

namespace Courier {

using MockPlan::Step;

namespace {

// Bounds on what the server reads from a client, so that a runaway client cannot exhaust a test.
constexpr qsizetype kMaximumHead = 1 << 20;
constexpr qsizetype kMaximumChunkLine = 4096;

bool hasToken(const QByteArray &value, const QByteArray &token)
{
    const QList<QByteArray> parts = value.split(',');
    return std::any_of(parts.cbegin(), parts.cend(), [&](const QByteArray &p) { return sameName(p.trimmed(), token); });
}

/*! Whether \a response is a fault at \a phase. */
bool faultsAt(const MockResponse &response, MockResponse::Phase phase)
{
    return response.fault() != MockResponse::Fault::None && response.faultPhase() == phase;
}

} // namespace

/*! Accepts connections on the server's thread and hands each to the worker. */
class MockListener : public QTcpServer
{
public:
    std::function<void(qintptr)> accepted;

protected:
    void incomingConnection(qintptr descriptor) override { accepted(descriptor); }
};

/*! One accepted connection: reads requests, and carries out the plan of each answer. */
class MockConnection : public QObject
{
    Q_OBJECT
public:
    MockConnection(MockServerPrivate *server, QTcpSocket *socket, int number, QObject *parent);
    /*! Starts with a fault at Phase::Connect (https: once the ClientHello has arrived). */
    void failAtConnect(MockResponse::Fault fault);
    /*! Ends the connection without a word (the server stops). */
    void drop();

private:
    enum class State { AwaitingHello, ReadingHead, ReadingBody, Answering, Silent, Closed };

    void onReadyRead();
    void onWritten();
    void processInput();
    bool readHead();
    bool readBody();
    void complete();
    void refuse(int status, const QByteArray &why);
    void run(MockPlan::Steps steps);
    void step();
    qint64 pending() const;

    MockServerPrivate *const m_server;
    QTcpSocket *const m_socket;
    const int m_number;
    State m_state = State::ReadingHead;
    QByteArray m_in;
    int m_sequence = 0;
    MockPlan::Steps m_plan;
    qsizetype m_next = 0;
    bool m_reading = true;
    bool m_flushing = false;
    MockResponse::Fault m_connectFault = MockResponse::Fault::None;

    // The request being read.
    QExplicitlySharedDataPointer<MockRequestData> m_request;
    qint64 m_length = 0; // of a fixed-length body
    bool m_chunked = false;
    enum class Chunk { Size, Data, DataEnd, Trailer } m_chunk = Chunk::Size;
    qint64 m_chunkLeft = 0;
    bool m_early = false; // an answer whose fault comes while the body arrives
    MockResponse m_earlyAnswer;
    qint64 m_earlyAt = 0;
};

/*! The server's side of MockServer: lives on the server's thread. */
class MockWorker : public QObject
{
    Q_OBJECT
public:
    explicit MockWorker(MockServerPrivate *server)
        : m_server(server)
    {
    }
    bool listen(const QHostAddress &address, quint16 port, QString *error, quint16 *bound);
    void shutdown();

private:
    void accept(qintptr descriptor);

    MockServerPrivate *const m_server;
    MockListener *m_listener = nullptr;
    QSslConfiguration m_tls;
};

MockConnection::MockConnection(MockServerPrivate *server, QTcpSocket *socket, int number, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_socket(socket)
    , m_number(number)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::readyRead, this, &MockConnection::onReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, &MockConnection::onWritten);
    if (auto *tls = qobject_cast<QSslSocket *>(socket))
        connect(tls, &QSslSocket::encryptedBytesWritten, this, &MockConnection::onWritten);
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        m_state = State::Closed;
        deleteLater();
    });
}

void MockConnection::failAtConnect(MockResponse::Fault fault)
{
    if (!m_server->tls) {
        run(MockPlan::connectFault(fault, false));
        return;
    }
    m_connectFault = fault;
    m_state = State::AwaitingHello;
}

void MockConnection::drop()
{
    m_state = State::Closed;
    m_socket->abort();
}

qint64 MockConnection::pending() const
{
    const auto *tls = qobject_cast<const QSslSocket *>(m_socket);
    return m_socket->bytesToWrite() + (tls ? tls->encryptedBytesToWrite() : 0);
}

void MockConnection::onReadyRead()
{
    if (!m_reading)
        return;
    const QByteArray bytes = m_socket->readAll();
    switch (m_state) {
    case State::AwaitingHello: run(MockPlan::connectFault(m_connectFault, true)); return;
    case State::Silent:
    case State::Closed: return; // read and dropped
    default: m_in += bytes; processInput();
    }
}

void MockConnection::onWritten()
{
    if (m_flushing && pending() == 0) {
        m_flushing = false;
        step();
    }
}

void MockConnection::processInput()
{
    for (;;) {
        if (m_state == State::ReadingHead && !readHead())
            return;
        if (m_state != State::ReadingBody || !readBody())
            return;
    }
}

bool MockConnection::readHead()
{
    // Empty lines before a request are allowed (RFC 9112, 2.2).
    while (m_in.startsWith("\r\n"))
        m_in.remove(0, 2);
    const qsizetype end = m_in.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_in.size() > kMaximumHead)
            refuse(431, "the request's header block is larger than 1 MiB");
        return false;
    }
    const QList<QByteArray> lines = m_in.left(end).split('\n');
    m_in.remove(0, end + 4);
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/")) {
        refuse(400, "the request line is not \"method target HTTP/version\"");
        return false;
    }
    m_request = new MockRequestData;
    m_request->method = requestLine.at(0);
    m_request->target = requestLine.at(1);
    m_request->version = requestLine.at(2);
    m_request->connection = m_number;
    m_request->sequence = m_sequence++;
    if (auto *tls = qobject_cast<QSslSocket *>(m_socket)) {
        m_request->encrypted = tls->isEncrypted();
        m_request->protocol = tls->sessionProtocol();
    }
    m_length = 0;
    m_chunked = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        m_request->headers.append({name, value});
        if (sameName(name, "Content-Length"))
            m_length = qMax<qint64>(0, value.toLongLong());
        else if (sameName(name, "Transfer-Encoding") && hasToken(value, "chunked"))
            m_chunked = true;
    }
    const QByteArray &target = m_request->target;
    if (target.startsWith('/')) {
        QUrl url;
        url.setScheme(m_server->scheme);
        url.setHost(m_server->address.toString());
        url.setPort(m_server->port);
        const qsizetype query = target.indexOf('?');
        url.setPath(QUrl::fromPercentEncoding(query < 0 ? target : target.left(query)), QUrl::DecodedMode);
        if (query >= 0)
            url.setQuery(QString::fromLatin1(target.mid(query + 1)), QUrl::TolerantMode);
        m_request->url = url;
    } else {
        m_request->url = QUrl::fromEncoded(target); // absolute form, through a proxy
    }
    m_chunk = Chunk::Size;
    const bool hasBody = m_chunked || m_length > 0;
    m_early = hasBody && m_server->earlyAnswer(m_request->method, m_request->url.path(), &m_earlyAnswer);
    if (m_early)
        m_earlyAt = MockPlan::faultOffset(m_earlyAnswer, m_chunked ? (128 << 10) : m_length);
    if (hasBody) {
        for (const auto &[name, value] : std::as_const(m_request->headers)) {
            if (sameName(name, "Expect") && sameName(value, "100-continue"))
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
    }
    m_state = State::ReadingBody;
    return true;
}

bool MockConnection::readBody()
{
    QByteArray &body = m_request->body;
    bool done = false;
    qsizetype at = 0;
    if (!m_chunked) {
        const qint64 take = qMin<qint64>(m_length - body.size(), m_in.size());
        body += m_in.left(take);
        at = take;
        done = body.size() == m_length;
    } else {
        while (!done) {
            if (m_chunk == Chunk::Data) {
                const qint64 take = qMin<qint64>(m_chunkLeft, m_in.size() - at);
                body += m_in.mid(at, take);
                at += take;
                m_chunkLeft -= take;
                if (m_chunkLeft > 0)
                    break;
                m_chunk = Chunk::DataEnd;
                continue;
            }
            if (m_chunk == Chunk::DataEnd) {
                if (m_in.size() - at < 2)
                    break;
                at += 2;
                m_chunk = Chunk::Size;
                continue;
            }
            const qsizetype lineEnd = m_in.indexOf("\r\n", at);
            if (lineEnd < 0) {
                if (m_in.size() - at > kMaximumChunkLine) {
                    refuse(400, "a chunk-size line is longer than 4 KiB");
                    return false;
                }
                break;
            }
            const QByteArray line = m_in.mid(at, lineEnd - at);
            at = lineEnd + 2;
            if (m_chunk == Chunk::Trailer) {
                done = line.isEmpty();
                continue;
            }
            bool ok = false;
            m_chunkLeft = line.split(';').value(0).trimmed().toLongLong(&ok, 16);
            if (!ok || m_chunkLeft < 0) {
                refuse(400, "a chunk-size line is not a hexadecimal number");
                return false;
            }
            m_chunk = m_chunkLeft == 0 ? Chunk::Trailer : Chunk::Data;
        }
    }
    m_in.remove(0, at);
    if (m_early && body.size() >= m_earlyAt) {
        m_request->complete = done;
        m_server->record(m_request.data());
        m_early = false;
        run(MockPlan::requestBodyFault(m_earlyAnswer));
        return false;
    }
    if (!done)
        return false;
    complete();
    return m_state == State::ReadingHead;
}

void MockConnection::complete()
{
    const MockRequest request = m_server->record(m_request.data());
    MockResponse response = m_server->answerFor(request);
    QByteArray body = response.body();
    if (!response.bodyFile().isEmpty()) {
        QFile file(response.bodyFile());
        if (file.open(QIODevice::ReadOnly)) {
            body = file.readAll();
        } else {
            response = MockResponse(
                500, "MockServer: cannot read " + response.bodyFile().toUtf8() + ": " + file.errorString().toUtf8());
            QMutexLocker lock(&m_server->mutex);
            m_server->unexpected.append(request);
        }
    }
    const bool closeRequested = sameName(request.header("Connection"), "close")
        || (request.httpVersion() == "HTTP/1.0" && !sameName(request.header("Connection"), "keep-alive"));
    bool closeAfter = closeRequested;
    for (const auto &[name, value] : response.headers())
        closeAfter = closeAfter || (sameName(name, "Connection") && hasToken(value, "close"));
    run(MockPlan::answer(response, body, request.method() == "HEAD", closeAfter));
}

void MockConnection::refuse(int status, const QByteArray &why)
{
    MockResponse response(status, "MockServer: " + why + "\n");
    run(MockPlan::answer(response, response.body(), false, true));
}

void MockConnection::run(MockPlan::Steps steps)
{
    m_plan = std::move(steps);
    m_next = 0;
    m_state = State::Answering;
    step();
}

void MockConnection::step()
{
    while (m_next < m_plan.size() && m_state == State::Answering) {
        const Step &s = m_plan.at(m_next++);
        switch (s.kind) {
        case Step::Write: m_socket->write(s.bytes); break;
        case Step::Wait: QTimer::singleShot(s.ms, this, &MockConnection::step); return;
        case Step::Settle:
            if (pending() > 0) {
                --m_next; // again, once everything has been written
                m_flushing = true;
                return;
            }
            QTimer::singleShot(100, this, &MockConnection::step);
            return;
        case Step::Close:
            m_state = State::Closed;
            m_socket->disconnectFromHost();
            return;
        case Step::Reset: {
            m_state = State::Closed;
            const struct linger lingerZero = {1, 0};
            ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &lingerZero, sizeof lingerZero);
            m_socket->abort();
            deleteLater();
            return;
        }
        case Step::HalfClose:
            m_socket->flush();
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
            break;
        case Step::StopReading:
            m_reading = false;
            m_socket->setReadBufferSize(1);
            break;
        case Step::Silence: m_state = State::Silent; return;
        case Step::Next:
            m_state = State::ReadingHead;
            processInput();
            return;
        }
    }
}

bool MockWorker::listen(const QHostAddress &address, quint16 port, QString *error, quint16 *bound)
{
    if (m_server->tls) {
        m_tls = QSslConfiguration::defaultConfiguration();
        m_tls.setLocalCertificateChain(m_server->chain);
        m_tls.setPrivateKey(m_server->key);
        m_tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        // HTTP/1.1 only: a client offering h2 in ALPN falls back.
        m_tls.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
    }
    m_listener = new MockListener;
    m_listener->setParent(this);
    m_listener->accepted = [this](qintptr descriptor) { accept(descriptor); };
    if (!m_listener->listen(address, port)) {
        *error = m_listener->errorString();
        delete m_listener;
        m_listener = nullptr;
        return false;
    }
    *bound = m_listener->serverPort();
    return true;
}

void MockWorker::shutdown()
{
    delete m_listener;
    m_listener = nullptr;
    const QList<MockConnection *> connections = findChildren<MockConnection *>(Qt::FindDirectChildrenOnly);
    for (MockConnection *c : connections) {
        c->drop();
        delete c;
    }
}

void MockWorker::accept(qintptr descriptor)
{
    QTcpSocket *socket = m_server->tls ? new QSslSocket : new QTcpSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    auto *connection = new MockConnection(m_server, socket, m_server->nextConnection(), this);
    MockResponse fault;
    if (m_server->connectFault(&fault)) {
        connection->failAtConnect(fault.fault());
        return;
    }
    if (auto *tls = qobject_cast<QSslSocket *>(socket)) {
        tls->setSslConfiguration(m_tls);
        // A client that gives up in the handshake (it refuses the certificate) just goes.
        connect(tls, &QSslSocket::sslErrors, tls, [tls](const QList<QSslError> &) { tls->abort(); });
        tls->startServerEncryption();
    }
}

MockServerPrivate::MockServerPrivate(MockServer *server)
    : q(server)
{
}

int MockServerPrivate::nextConnection()
{
    QMutexLocker lock(&mutex);
    return ++connections;
}

MockRequest MockServerPrivate::record(MockRequestData *data)
{
    MockRequest request;
    {
        QMutexLocker lock(&mutex);
        data->index = requests++;
        request.d = data;
        untaken.append(request);
    }
    MockServer *server = q;
    QMetaObject::invokeMethod(
        q, [server, request] { Q_EMIT server->requestReceived(request); }, Qt::QueuedConnection);
    return request;
}

MockResponse MockServerPrivate::answerFor(const MockRequest &request)
{
    MockServer::Dispatcher dispatch;
    {
        QMutexLocker lock(&mutex);
        dispatch = dispatcher;
        if (!dispatch) {
            for (const Route &route : std::as_const(routes)) {
                if (route.path == request.path() && (route.method == request.method() || route.method == "*"))
                    return route.response;
            }
            if (!queue.isEmpty())
                return queue.takeFirst();
            if (fallback)
                return *fallback;
            unexpected.append(request);
            return MockResponse(500, "MockServer: no answer for " + request.toString().toUtf8() + "\n");
        }
    }
    return dispatch(request);
}

bool MockServerPrivate::earlyAnswer(const QByteArray &method, const QString &path, MockResponse *response)
{
    const auto early = [](const MockResponse &r) { return faultsAt(r, MockResponse::Phase::RequestBody); };
    QMutexLocker lock(&mutex);
    if (dispatcher)
        return false;
    for (const Route &route : std::as_const(routes)) {
        if (route.path == path && (route.method == method || route.method == "*")) {
            *response = route.response;
            return early(route.response);
        }
    }
    if (queue.isEmpty()) {
        if (!fallback)
            return false;
        *response = *fallback;
        return early(*fallback);
    }
    if (!early(queue.constFirst()))
        return false;
    *response = queue.takeFirst();
    return true;
}

bool MockServerPrivate::connectFault(MockResponse *response)
{
    const auto atConnect = [](const MockResponse &r) { return faultsAt(r, MockResponse::Phase::Connect); };
    QMutexLocker lock(&mutex);
    if (queue.isEmpty()) {
        // The default answer is never used up; the dispatcher, when set, answers instead.
        if (!fallback || dispatcher || !atConnect(*fallback))
            return false;
        *response = *fallback;
        return true;
    }
    if (!atConnect(queue.constFirst()))
        return false;
    *response = queue.takeFirst();
    return true;
}

MockServer::MockServer(QObject *parent)
    : QObject(parent)
    , d_ptr(new MockServerPrivate(this))
{
    Q_D(MockServer);
    d->worker = new MockWorker(d);
    d->worker->moveToThread(&d->thread);
    d->thread.setObjectName(QStringLiteral("Courier::MockServer"));
    d->thread.start();
}

MockServer::~MockServer()
{
    Q_D(MockServer);
    close();
    d->thread.quit();
    d->thread.wait();
    delete d->worker;
}

bool MockServer::listen(quint16 port) { return listen(QHostAddress(QHostAddress::LocalHost), port); }

bool MockServer::listen(const QHostAddress &address, quint16 port)
{
    Q_D(MockServer);
    if (d->listening) {
        d->error = QStringLiteral("MockServer is already listening on port %1").arg(d->port);
        return false;
    }
    if (d->tls && (d->chain.isEmpty() || d->key.isNull())) {
        d->error = QStringLiteral("MockServer has no certificate and key for TLS");
        return false;
    }
    QString error;
    quint16 bound = 0;
    bool ok = false;
    // The address the URLs name: a wildcard address is reached through the loopback.
    d->address = address == QHostAddress::Any || address == QHostAddress::AnyIPv4
        ? QHostAddress(QHostAddress::LocalHost)
        : address == QHostAddress::AnyIPv6 ? QHostAddress(QHostAddress::LocalHostIPv6)
                                           : address;
    QMetaObject::invokeMethod(
        d->worker, [&] { ok = d->worker->listen(address, port, &error, &bound); }, Qt::BlockingQueuedConnection);
    d->listening = ok;
    d->port = ok ? bound : 0;
    d->error = error;
    return ok;
}

bool MockServer::isListening() const
{
    Q_D(const MockServer);
    return d->listening;
}

void MockServer::close()
{
    Q_D(MockServer);
    if (!d->thread.isRunning())
        return;
    QMetaObject::invokeMethod(d->worker, &MockWorker::shutdown, Qt::BlockingQueuedConnection);
    d->listening = false;
}

QString MockServer::errorString() const
{
    Q_D(const MockServer);
    return d->error;
}

quint16 MockServer::port() const
{
    Q_D(const MockServer);
    return d->port;
}

QHostAddress MockServer::address() const
{
    Q_D(const MockServer);
    return d->address;
}

bool MockServer::useTls()
{
    Q_D(MockServer);
    QSslCertificate ca;
    QSslCertificate leaf;
    QSslKey key;
    if (!makeMockCertificates(&ca, &leaf, &key, &d->error))
        return false;
    d->ca = ca;
    return useTls({leaf, ca}, key);
}

bool MockServer::useTls(const QList<QSslCertificate> &chain, const QSslKey &key)
{
    Q_D(MockServer);
    if (d->listening) {
        d->error = QStringLiteral("MockServer::useTls() is called before listen()");
        return false;
    }
    if (chain.isEmpty() || chain.constFirst().isNull() || key.isNull()) {
        d->error = QStringLiteral("MockServer::useTls() needs a certificate and its key");
        return false;
    }
    d->tls = true;
    d->scheme = QStringLiteral("https");
    d->chain = chain;
    d->key = key;
    if (d->ca.isNull() || !chain.contains(d->ca))
        d->ca = chain.constLast();
    return true;
}

bool MockServer::isTls() const
{
    Q_D(const MockServer);
    return d->tls;
}

TlsOptions MockServer::tlsOptions() const
{
    Q_D(const MockServer);
    TlsOptions options;
    options.setSystemCaCertificatesUsed(false);
    if (!d->ca.isNull())
        options.addCaCertificates({d->ca});
    return options;
}

QSslCertificate MockServer::caCertificate() const
{
    Q_D(const MockServer);
    return d->ca;
}

QUrl MockServer::url(const QString &path) const
{
    Q_D(const MockServer);
    if (!d->listening)
        return {};
    QUrl url;
    url.setScheme(d->scheme);
    url.setHost(d->address.toString());
    url.setPort(d->port);
    const qsizetype query = path.indexOf(QLatin1Char('?'));
    url.setPath(query < 0 ? path : path.left(query));
    if (query >= 0)
        url.setQuery(path.mid(query + 1));
    return url;
}

void MockServer::enqueue(const MockResponse &response)
{
    Q_D(MockServer);
    QMutexLocker lock(&d->mutex);
    d->queue.append(response);
}

QList<MockResponse> MockServer::queue() const
{
    Q_D(const MockServer);
    QMutexLocker lock(&d->mutex);
    return d->queue;
}

void MockServer::route(const QByteArray &method, const QString &path, const MockResponse &response)
{
    Q_D(MockServer);
    QMutexLocker lock(&d->mutex);
    for (auto &r : d->routes) {
        if (r.method == method && r.path == path) {
            r.response = response;
            return;
        }
    }
    // Routes for one method come before those for any method ("*"), whatever the order they came in.
    if (method == "*")
        d->routes.append({method, path, response});
    else
        d->routes.prepend({method, path, response});
}

void MockServer::clearRoutes()
{
    Q_D(MockServer);
    QMutexLocker lock(&d->mutex);
    d->routes.clear();
}

void MockServer::setDefaultResponse(const MockResponse &response)
{
    Q_D(MockServer);
    QMutexLocker lock(&d->mutex);
    d->fallback = response;
}

void MockServer::clearDefaultResponse()
{
    Q_D(MockServer);
    QMutexLocker lock(&d->mutex);
    d->fallback.reset();
}

void MockServer::setDispatcher(Dispatcher dispatcher)
{
    Q_D(MockServer);
    QMutexLocker lock(&d->mutex);
    d->dispatcher = std::move(dispatcher);
}

MockRequest MockServer::takeRequest(std::chrono::milliseconds timeout)
{
    Q_D(MockServer);
    const QDeadlineTimer deadline(timeout);
    for (;;) {
        {
            QMutexLocker lock(&d->mutex);
            if (!d->untaken.isEmpty())
                return d->untaken.takeFirst();
        }
        if (deadline.hasExpired())
            return {};
        // requestReceived() is posted to this thread after a request is recorded, so a request
        // recorded between the check above and exec() still ends the wait.
        QEventLoop loop;
        connect(this, &MockServer::requestReceived, &loop, &QEventLoop::quit);
        QTimer::singleShot(deadline.remainingTime(), &loop, &QEventLoop::quit);
        loop.exec();
    }
}

int MockServer::requestCount() const
{
    Q_D(const MockServer);
    QMutexLocker lock(&d->mutex);
    return d->requests;
}

int MockServer::connectionCount() const
{
    Q_D(const MockServer);
    QMutexLocker lock(&d->mutex);
    return d->connections;
}

QList<MockRequest> MockServer::unexpectedRequests() const
{
    Q_D(const MockServer);
    QMutexLocker lock(&d->mutex);
    return d->unexpected;
}

bool MockServer::isSatisfied() const
{
    Q_D(const MockServer);
    QMutexLocker lock(&d->mutex);
    return d->queue.isEmpty() && d->unexpected.isEmpty();
}

QString MockServer::report() const
{
    Q_D(const MockServer);
    QMutexLocker lock(&d->mutex);
    QStringList lines;
    if (!d->queue.isEmpty()) {
        lines += QStringLiteral("MockServer: %1 queued answer(s) not used:").arg(d->queue.size());
        for (qsizetype i = 0; i < d->queue.size(); ++i)
            lines += QStringLiteral("  #%1 %2").arg(i).arg(d->queue.at(i).toString());
    }
    if (!d->unexpected.isEmpty()) {
        lines += QStringLiteral("MockServer: %1 request(s) without an answer:").arg(d->unexpected.size());
        for (const MockRequest &r : d->unexpected)
            lines += QStringLiteral("  ") + r.toString();
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace Courier

#include "mockserver.moc"
