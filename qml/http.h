#pragma once

#include "foreign.h"
#include "options.h"

#include <Courier/Client>

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtQml/QJSValue>
#include <QtQml/qqml.h>

namespace Courier::Qml {

/*!
    The \c Http singleton: requests from QML, in the style of the platform \c http module.

    \qml
    import Courier

    Http.fetch("https://example.org/data.json", { expectDataType: Http.Object })
        .then(response => console.log(response.statusCode, response.result.name))
        .catch(failure => console.log(failure.errorString))
    \endqml

    request() and the shortcuts return a running Response at once; fetch() returns a Promise
    that resolves with the finished Response, also for 4xx and 5xx statuses, and rejects with
    \c{{ error, category, errorString, response }} when the exchange itself failed (connection,
    TLS, timeout, cancel, …).

    \section1 Lifetime

    A Response made here has JavaScript ownership. While it runs it is kept alive whatever
    references remain; once finished, it is collected when nothing references it any more.
    With \c{options.context} set to an object, the request is tied to it: when the object is
    destroyed the Response is deleted, its transfer aborted and no handler or promise callback
    runs. Responses still alive when the engine goes away are deleted with the singleton.

    All requests go through one Client per QML engine, with its defaults (timeouts, 50
    redirects, cookies kept in memory for the engine's life), on Courier's default engine
    (Client::defaultEngine(): the environment variable COURIER_ENGINE, else libcurl when built
    with it). \c{Http.engine} says which: \c{"qt"} or \c{"curl"}.
*/
class Http : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString engine READ engine CONSTANT)

public:
    /*! Values of \c expectDataType. */
    enum DataType {
        String = int(DataTypeOption::String), //!< result is a string
        Object = int(DataTypeOption::Object), //!< result is the parsed JSON value
        ArrayBuffer = int(DataTypeOption::ArrayBuffer), //!< result is an ArrayBuffer
    };
    Q_ENUM(DataType)
    /*! Values of \c usingProtocol. */
    enum Protocol {
        Http1_1 = int(ProtocolOption::Http1_1),
        Http2 = int(ProtocolOption::Http2),
    };
    Q_ENUM(Protocol)

    explicit Http(QObject *parent = nullptr);
    ~Http() override;

    /*! Sends a request to \a url with \a options (see the class description); never null. */
    Q_INVOKABLE Courier::Response *request(const QUrl &url, const QJSValue &options = QJSValue());
    Q_INVOKABLE Courier::Response *get(const QUrl &url, const QJSValue &options = QJSValue());
    Q_INVOKABLE Courier::Response *head(const QUrl &url, const QJSValue &options = QJSValue());
    Q_INVOKABLE Courier::Response *post(const QUrl &url, const QJSValue &options = QJSValue());
    Q_INVOKABLE Courier::Response *put(const QUrl &url, const QJSValue &options = QJSValue());
    Q_INVOKABLE Courier::Response *patch(const QUrl &url, const QJSValue &options = QJSValue());
    /*! DELETE (\c delete is a JavaScript keyword). */
    Q_INVOKABLE Courier::Response *del(const QUrl &url, const QJSValue &options = QJSValue());
    Q_INVOKABLE Courier::Response *options(const QUrl &url, const QJSValue &options = QJSValue());
    /*! Sends the request and returns a Promise of its finished Response. */
    Q_INVOKABLE QJSValue fetch(const QUrl &url, const QJSValue &options = QJSValue());

    /*! The HTTP engine of the Client behind the singleton: "qt" or "curl". */
    QString engine() const;

    /*! The Client behind the singleton, for C++ that wants to configure it. */
    Client *client() const { return m_client; }

private:
    Response *send(const QUrl &url, const QJSValue &options, const QByteArray &method);

    Client *m_client;
    QList<QPointer<Response>> m_responses; // handed to JavaScript, deleted with the singleton
};

} // namespace Courier::Qml
