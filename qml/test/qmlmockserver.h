// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/MockServer>

#include <QtCore/QObject>
#include <QtQml/QJSValue>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqml.h>

namespace Courier::Qml {

/*!
    \c MockServer of the QML module Courier.Test: Courier::MockServer scripted from JavaScript, for
    Qt Quick tests.

    \qml
    import Courier
    import Courier.Test

    MockServer { id: server }   // listens on a free port once the declaration completes

    function test_retry() {
        server.enqueue({ status: 503, headers: { "Retry-After": "0" } })
        server.enqueue({ status: 200, body: { id: 7 } })   // JSON, Content-Type application/json
        const response = ...                               // the code under test, given server.url
        const request = server.takeRequest(5000)
        compare(request.method, "GET")
        verify(server.isSatisfied(), server.report())
    }
    \endqml

    An answer is an object whose keys are those of MockResponse: \c status, \c reason,
    \c headers (a name to a string, or to an array of strings for a repeated field), \c body (a
    string sent as UTF-8, an ArrayBuffer, or an object or array sent as JSON), \c bodyFile,
    \c chunked, \c chunkSize, \c throttle (\c{{ bytes, period }}), \c headersDelay, \c bodyDelay (in
    milliseconds), \c fault, \c phase and \c afterBytes, or \c raw bytes. Fault and phase names are
    MockResponse's enum keys with a lower-case first letter ("reset", "insideChunk"); a fault
    without a phase comes at "body", and one without a body has MockResponse::failing()'s 100
    bytes. A key, value or name that is not understood throws, naming it: nothing is enqueued.

    \c tls and \c port are read when the declaration completes, when the server starts listening;
    later changes are refused with a warning. \c requestCount and \c connectionCount are read from
    the server whenever they are read; their change signals come when a request has arrived, or
    when takeRequest() or close() returns (a connection that sends no request, such as one ended by
    a fault at "connect", is told with the next of these).
*/
class MockServerObject : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_NAMED_ELEMENT(MockServer)

    Q_PROPERTY(bool tls READ tls WRITE setTls NOTIFY tlsChanged)
    Q_PROPERTY(int port READ port WRITE setPort NOTIFY portChanged)
    Q_PROPERTY(bool listening READ isListening NOTIFY listeningChanged)
    Q_PROPERTY(QString url READ url NOTIFY urlChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    Q_PROPERTY(int requestCount READ requestCount NOTIFY requestCountChanged)
    Q_PROPERTY(int connectionCount READ connectionCount NOTIFY connectionCountChanged)
    Q_PROPERTY(QString caCertificate READ caCertificate NOTIFY caCertificateChanged)

public:
    explicit MockServerObject(QObject *parent = nullptr);
    ~MockServerObject() override;

    bool tls() const { return m_tls; }
    void setTls(bool tls);
    /*! The port it listens on; before that, the one asked for (0: a free one). */
    int port() const;
    void setPort(int port);
    bool isListening() const { return m_server.isListening(); }
    /*! "http://127.0.0.1:PORT/" (https with tls); empty when not listening. */
    QString url() const;
    QString errorString() const { return m_server.errorString(); }
    int requestCount() const { return m_server.requestCount(); }
    int connectionCount() const { return m_server.connectionCount(); }
    /*! The PEM of the CA that signed the server's certificate; empty without tls. */
    QString caCertificate() const;

    /*! Adds an answer to the queue. */
    Q_INVOKABLE void enqueue(const QJSValue &response);
    /*! Answers every request for \a method ("*": any) and \a path with \a response, before the queue. */
    Q_INVOKABLE void route(const QString &method, const QString &path, const QJSValue &response);
    Q_INVOKABLE void clearRoutes();
    /*!
        Answers with \a response whatever no route or queued answer is there for, never used up
        (MockServer::setDefaultResponse()): a server down or broken the same way for every attempt.
    */
    Q_INVOKABLE void setDefaultResponse(const QJSValue &response);
    /*! Requests nothing answers get the 500 again. */
    Q_INVOKABLE void clearDefaultResponse();
    /*!
        The oldest request not taken yet, as an object, waiting up to \a timeout milliseconds while
        the event loop runs; null when none came in time.
    */
    Q_INVOKABLE QJSValue takeRequest(int timeout = 10000);
    /*! The server's URL with \a path (which may carry a query); empty when not listening. */
    Q_INVOKABLE QString urlFor(const QString &path = QStringLiteral("/")) const;
    Q_INVOKABLE bool isSatisfied() const;
    Q_INVOKABLE QString report() const;
    /*! Stops listening and closes every connection; the queue, routes and records stay. */
    Q_INVOKABLE void close();

    void classBegin() override { }
    void componentComplete() override;

Q_SIGNALS:
    void tlsChanged();
    void portChanged();
    void listeningChanged();
    void urlChanged();
    void errorStringChanged();
    void requestCountChanged();
    void connectionCountChanged();
    void caCertificateChanged();

private:
    // Emits the NOTIFY signals of the properties whose value differs from the last one told.
    void notifyChanges();
    // The MockResponse \a spec describes; on a problem, throws it to JavaScript as \a call's.
    bool toResponse(const QJSValue &spec, const char *call, MockResponse *response);

    Courier::MockServer m_server;
    bool m_tls = false;
    int m_port = 0;
    bool m_completed = false;
    // The values last told through NOTIFY signals.
    bool m_toldListening = false;
    QString m_toldUrl;
    QString m_toldError;
    int m_toldRequests = 0;
    int m_toldConnections = 0;
    int m_toldPort = 0;
    QString m_toldCa;
};

} // namespace Courier::Qml
