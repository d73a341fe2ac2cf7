// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// Courier::Test's private parts: the data of its value types, the plan of bytes and actions one
// answer becomes (a pure function of the MockResponse, tested on its own), and the server's
// state shared between the MockServer's thread and the server's.

#include <Courier/mockserver.h>

#include <QtCore/QList>
#include <QtCore/QMutex>
#include <QtCore/QSharedData>
#include <QtCore/QThread>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

#include <optional>

namespace Courier {

class MockResponseData : public QSharedData
{
public:
    int status = 200;
    QByteArray reason;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString bodyFile;
    QByteArray raw;
    bool isRaw = false;
    bool chunked = false;
    qint64 chunkSize = 0;
    qint64 throttleBytes = 0;
    std::chrono::milliseconds throttlePeriod{0};
    std::chrono::milliseconds headersDelay{0};
    std::chrono::milliseconds bodyDelay{0};
    MockResponse::Fault fault = MockResponse::Fault::None;
    MockResponse::Phase phase = MockResponse::Phase::Body;
    qint64 afterBytes = -1;
};

class MockRequestData : public QSharedData
{
public:
    QByteArray method;
    QByteArray target;
    QByteArray version;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QUrl url;
    bool complete = true;
    int connection = 0;
    int sequence = 0;
    int index = 0;
    bool encrypted = false;
    QSsl::SslProtocol protocol = QSsl::UnknownProtocol;
};

/*! Whether two header field names are the same (they are compared without case). */
inline bool sameName(const QByteArray &a, const QByteArray &b) { return a.compare(b, Qt::CaseInsensitive) == 0; }

struct MockResponseAccess
{
    static const MockResponseData &of(const MockResponse &response) { return *response.d; }
};

namespace MockPlan {

/*! One thing the server does on a connection. */
struct Step
{
    enum Kind {
        Write, // write bytes
        Wait, // wait ms
        Settle, // wait until everything written has left, and 100 ms more
        Close, // FIN once flushed; the connection ends
        Reset, // RST; the connection ends
        HalfClose, // FIN, the socket stays open for reading
        StopReading, // read nothing more: the peer's writes fill the kernel's buffers
        Silence, // send nothing more; read and drop whatever comes (the plan ends here)
        Next, // the answer is complete: read the connection's next request
    };
    Kind kind;
    QByteArray bytes;
    int ms = 0;
};
using Steps = QList<Step>;

/*! The fault's byte offset, with the documented defaults for -1. */
qint64 faultOffset(const MockResponse &response, qint64 bodySize);
/*!
    What answering a request with \a response does: \a body is the body to send (the response's,
    or its file's bytes), \a head whether the request was HEAD, \a closeAfter whether the
    connection closes once the answer is sent.
*/
Steps answer(const MockResponse &response, const QByteArray &body, bool head, bool closeAfter);
/*! A fault at Phase::Connect on a connection just accepted (https: once its ClientHello is in). */
Steps connectFault(MockResponse::Fault fault, bool tls);
/*! A fault at Phase::RequestBody, once its offset of the request body has arrived. */
Steps requestBodyFault(const MockResponse &response);

} // namespace MockPlan

/*! Makes a CA and a leaf for 127.0.0.1, ::1 and localhost (OpenSSL); false without OpenSSL. */
bool makeMockCertificates(QSslCertificate *ca, QSslCertificate *leaf, QSslKey *key, QString *error);

class MockWorker;

class MockServerPrivate
{
public:
    explicit MockServerPrivate(MockServer *q);

    /*! The answer to a whole request, and whether it was unexpected. On the server's thread. */
    MockResponse answerFor(const MockRequest &request);
    /*! The answer whose fault comes once \a method \a path's header block is in, if any. */
    bool earlyAnswer(const QByteArray &method, const QString &path, MockResponse *response);
    /*!
        The queue's head when it is a fault at Phase::Connect (taken), or the default answer's such
        fault when the queue is empty, for a new connection.
    */
    bool connectFault(MockResponse *response);
    /*! Records \a request (complete or cut short) and tells the MockServer's thread. */
    MockRequest record(MockRequestData *data);
    int nextConnection();

    MockServer *const q;
    QThread thread;
    MockWorker *worker = nullptr;

    // Set before listen(), read by the server's thread afterwards.
    bool tls = false;
    QList<QSslCertificate> chain;
    QSslKey key;
    QSslCertificate ca;
    QString scheme = QStringLiteral("http");

    // Set by listen() and close(), in the MockServer's thread.
    bool listening = false;
    quint16 port = 0;
    QHostAddress address;
    QString error;

    mutable QMutex mutex; // guards what follows
    QList<MockResponse> queue;
    struct Route
    {
        QByteArray method;
        QString path;
        MockResponse response;
    };
    QList<Route> routes;
    MockServer::Dispatcher dispatcher;
    std::optional<MockResponse> fallback; // setDefaultResponse()
    QList<MockRequest> untaken;
    QList<MockRequest> unexpected;
    int requests = 0;
    int connections = 0;
};

} // namespace Courier
