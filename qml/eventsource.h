// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "httpclient.h"

#include <Courier/EventSource>
#include <Courier/ServerSentEvent>

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QUrl>
#include <QtCore/QVariantMap>
#include <QtQml/QJSValue>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqml.h>

namespace Courier::Qml {

/*!
    \c EventSource: a server-sent event stream that stays connected, as a browser's
    \c EventSource, on Courier::EventSource (whose rules it keeps: reconnection with
    \c Last-Event-ID and the server's \c retry, Closed on a non-200 or non-event-stream answer).

    \qml
    EventSource {
        url: "https://example.com/updates"
        headers: { "Authorization": "Bearer " + settings.token }
        onMessage: event => console.log(event.data)
        Component.onCompleted: addEventListener("price", event => console.log(event.toJson().value))
    }
    \endqml

    It sends its requests with the Client of \c client, an HttpClient (the \c Http singleton when
    none is given), whose settings apply (base URL, headers, credentials, TLS, timeouts; the read
    timeout is the idle timeout of an open stream). \c headers adds the source's own.

    \c active is the switch: true by default, so that the source connects once its declaration
    completes with a \c url, as a browser's does when it is made. open() sets it, close() clears
    it. While active, setting another \c url connects to it at once; an empty \c url disconnects
    until one is given. A failure that ends the stream (\c readyState Closed, errorOccurred())
    leaves \c active as it is: open(), a new \c url or \c active going false and true again try
    anew. \c headers and the limits apply from the next connection.

    A QObject of the QML engine's thread, owned by QML like any declared object.
*/
class EventSource : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT

    Q_PROPERTY(QUrl url READ url WRITE setUrl NOTIFY urlChanged)
    Q_PROPERTY(QVariantMap headers READ headers WRITE setHeaders NOTIFY headersChanged)
    Q_PROPERTY(Courier::Qml::HttpClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(ReadyState readyState READ readyState NOTIFY readyStateChanged)
    Q_PROPERTY(QString lastEventId READ lastEventId WRITE setLastEventId NOTIFY lastEventIdChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    // Set at the answer's headers, just before readyState changes; see Courier::EventSource::statusCode().
    Q_PROPERTY(int statusCode READ statusCode NOTIFY readyStateChanged)
    Q_PROPERTY(int reconnectionTime READ reconnectionTime WRITE setReconnectionTime NOTIFY reconnectionTimeChanged)
    Q_PROPERTY(int maximumReconnectionDelay READ maximumReconnectionDelay WRITE setMaximumReconnectionDelay NOTIFY
                   maximumReconnectionDelayChanged)
    Q_PROPERTY(double maximumEventSize READ maximumEventSize WRITE setMaximumEventSize NOTIFY maximumEventSizeChanged)

public:
    /*! readyState: the browser's numbers (CONNECTING 0, OPEN 1, CLOSED 2). */
    enum ReadyState {
        Connecting = Courier::EventSource::Connecting,
        Open = Courier::EventSource::Open,
        Closed = Courier::EventSource::Closed,
    };
    Q_ENUM(ReadyState)

    explicit EventSource(QObject *parent = nullptr);
    ~EventSource() override;

    QUrl url() const { return m_url; }
    void setUrl(const QUrl &url);
    QVariantMap headers() const { return m_headers; }
    void setHeaders(const QVariantMap &headers);
    /*! The HttpClient given; null when none was (then the \c Http singleton's Client is used). */
    HttpClient *client() const { return m_client; }
    void setClient(HttpClient *client);
    bool isActive() const { return m_active; }
    void setActive(bool active);

    ReadyState readyState() const { return m_readyState; }
    QString lastEventId() const;
    void setLastEventId(const QString &id);
    QString errorString() const { return m_errorString; }
    int statusCode() const { return m_source->statusCode(); }
    int reconnectionTime() const;
    void setReconnectionTime(int msecs);
    int maximumReconnectionDelay() const;
    void setMaximumReconnectionDelay(int msecs);
    double maximumEventSize() const;
    void setMaximumEventSize(double bytes);

    /*! Sets \c active: connects unless connected or connecting already (also after a failure). */
    Q_INVOKABLE void open();
    /*! Clears \c active: disconnects and stops reconnecting. readyState becomes Closed. */
    Q_INVOKABLE void close();
    /*!
        Calls \a callback with the event for each event of \a type ("message" for those without
        an \c event: field, or a name the server gives), and with \c{{ type }} for "open" and
        "error". A callback already listening to \a type is not added twice.
    */
    Q_INVOKABLE void addEventListener(const QString &type, const QJSValue &callback);
    /*! Stops calling \a callback for \a type. */
    Q_INVOKABLE void removeEventListener(const QString &type, const QJSValue &callback);

    void classBegin() override { }
    void componentComplete() override;

Q_SIGNALS:
    void urlChanged();
    void headersChanged();
    void clientChanged();
    void activeChanged();
    void readyStateChanged();
    void lastEventIdChanged();
    void errorStringChanged();
    void reconnectionTimeChanged();
    void maximumReconnectionDelayChanged();
    void maximumEventSizeChanged();
    /*! A connection opened the stream (readyState Open). */
    void opened();
    /*! An event of type "message". */
    void message(const Courier::ServerSentEvent &event);
    /*! An event of any type, after message() for those of type "message". */
    void eventReceived(const Courier::ServerSentEvent &event);
    /*! The stream dropped or failed: readyState says whether it reconnects, errorString why. */
    void errorOccurred();
    /*! A new connection starts: the \a attempt in a row (from 1), after \a delayMs. */
    void reconnecting(int attempt, int delayMs);

private:
    // Connects with the current settings, or fails (Closed, errorOccurred()) when they cannot be used.
    void connectNow();
    // Disconnects without a signal but readyStateChanged.
    void disconnectNow();
    // The Client of client(), or of the Http singleton; null and *problem set when there is none.
    Client *requestClient(QString *problem);
    // The request of url and headers; *problem names a header that cannot be sent.
    Request makeRequest(QString *problem) const;
    void setError(const QString &errorString);
    // readyState as the C++ source has it, told when it differs.
    void syncReadyState();
    void dispatch(const QString &type, const QJSValue &event);
    void dispatchSimple(const QString &type);

    Courier::EventSource *m_source;
    QUrl m_url;
    QVariantMap m_headers;
    QPointer<HttpClient> m_client;
    bool m_clientGiven = false;
    bool m_active = true;
    bool m_complete = false;
    bool m_switching = false; // between closing and opening the C++ source: its states are not told
    ReadyState m_readyState = Closed;
    QString m_errorString;
    QHash<QString, QList<QJSValue>> m_listeners;
    QMetaObject::Connection m_followClient; // the HttpClient's clientChanged, to the source
    quint64 m_generation = 0; // counts connectNow() and disconnectNow(): a refusal told late is dropped
};

} // namespace Courier::Qml
