// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "foreign.h"
#include "options.h"
#include "responsecache.h"

#include <Courier/Client>
#include <Courier/TlsOptions>

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtCore/QVariantMap>
#include <QtQml/QJSValue>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqml.h>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
QT_END_NAMESPACE

namespace Courier {
class CookieJar;
}

namespace Courier::Qml {

/*!
    \c HttpClient: a configurable client for QML, in the style of the platform \c http module.

    \qml
    import Courier

    HttpClient {
        id: api
        baseUrl: "https://api.example.org/v1/"
        headers: { "Accept": "application/json" }
        bearerToken: settings.token
        caCertificatesFile: "/etc/myapp/ca.pem"
        cookiesFile: StandardPaths.writableLocation(StandardPaths.AppDataLocation) + "/cookies.txt"
        cache: ResponseCache { maximumSize: 5 * 1024 * 1024 }
    }

    api.fetch("items", { expectDataType: HttpClient.Object })
        .then(response => console.log(response.statusCode, response.result.length))
        .catch(failure => console.log(failure.errorString))
    \endqml

    Every property applies to the requests made after it changes. A property a QML document does
    not set keeps the Client's value; with \c client set to a Client configured in C++, only the
    properties QML sets change it.

    request() and the shortcuts return a running Response at once; fetch() returns a Promise
    that resolves with the finished Response, also for 4xx and 5xx statuses, and rejects with
    \c{{ error, category, errorString, response }} when the exchange itself failed (connection,
    TLS, timeout, cancel, an options object that cannot be honoured, …). Relative URLs resolve
    against \c baseUrl.

    An options object with a key that is unknown, given under two names, or whose value has
    the wrong type is refused: nothing is sent, and the Response fails, from the event loop, with
    ProtocolInvalidOperation and an errorString that names the option. So is every request while
    \c configurationError is set (a CA file that cannot be read, for instance).

    \section1 Lifetime

    A Response made here has JavaScript ownership. While it runs it is kept alive whatever
    references remain; once finished, it is collected when nothing references it any more.
    With \c{options.context} set to an object, the request is tied to it: when the object is
    destroyed the Response is deleted, its transfer aborted and no handler or promise callback
    runs. Deleting the HttpClient deletes its Responses the same way, quietly, running or not.

    Lives in the thread of its QML engine, as its Client and Responses do.
*/
class HttpClient : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT

    Q_PROPERTY(QString engine READ engine WRITE setEngine NOTIFY engineChanged)
    Q_PROPERTY(Courier::Client *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(QString configurationError READ configurationError NOTIFY configurationErrorChanged)

    Q_PROPERTY(QUrl baseUrl MEMBER m_baseUrl NOTIFY baseUrlChanged)
    Q_PROPERTY(QVariantMap headers MEMBER m_headers NOTIFY headersChanged)
    Q_PROPERTY(QString userAgent MEMBER m_userAgent NOTIFY userAgentChanged)
    Q_PROPERTY(int connectTimeout MEMBER m_connectTimeout NOTIFY connectTimeoutChanged)
    Q_PROPERTY(int readTimeout MEMBER m_readTimeout NOTIFY readTimeoutChanged)
    Q_PROPERTY(int timeout MEMBER m_timeout NOTIFY timeoutChanged)
    Q_PROPERTY(int maximumRedirects MEMBER m_maximumRedirects NOTIFY maximumRedirectsChanged)
    Q_PROPERTY(double maximumBodySize MEMBER m_maximumBodySize NOTIFY maximumBodySizeChanged)

    Q_PROPERTY(QString user MEMBER m_user NOTIFY userChanged)
    Q_PROPERTY(QString password MEMBER m_password NOTIFY passwordChanged)
    Q_PROPERTY(QString bearerToken MEMBER m_bearerToken NOTIFY bearerTokenChanged)
    Q_PROPERTY(bool preemptiveAuthentication MEMBER m_preemptiveAuthentication NOTIFY preemptiveAuthenticationChanged)

    Q_PROPERTY(QString caCertificatesFile MEMBER m_caCertificatesFile NOTIFY caCertificatesFileChanged)
    Q_PROPERTY(QString caCertificates MEMBER m_caCertificates NOTIFY caCertificatesChanged)
    Q_PROPERTY(bool systemCaCertificates MEMBER m_systemCaCertificates NOTIFY systemCaCertificatesChanged)
    Q_PROPERTY(QString clientCertificateFile MEMBER m_clientCertificateFile NOTIFY clientCertificateFileChanged)
    Q_PROPERTY(QString clientKeyFile MEMBER m_clientKeyFile NOTIFY clientKeyFileChanged)
    Q_PROPERTY(QString clientKeyPassphrase MEMBER m_clientKeyPassphrase NOTIFY clientKeyPassphraseChanged)
    Q_PROPERTY(QStringList pinnedPublicKeys MEMBER m_pinnedPublicKeys NOTIFY pinnedPublicKeysChanged)
    Q_PROPERTY(bool hostNameCheck MEMBER m_hostNameCheck NOTIFY hostNameCheckChanged)

    Q_PROPERTY(QString cookiesFile MEMBER m_cookiesFile NOTIFY cookiesFileChanged)
    Q_PROPERTY(Courier::Qml::ResponseCache *cache READ cache WRITE setCache NOTIFY cacheChanged)
    Q_PROPERTY(int retries MEMBER m_retries NOTIFY retriesChanged)
    Q_PROPERTY(int retryDelay MEMBER m_retryDelay NOTIFY retryDelayChanged)

public:
    /*! Values of \c expectDataType and of Response.resultType: those of Request::DataType. */
    enum DataType {
        Auto = int(Request::DataType::Auto), //!< by Content-Type (the default)
        String = int(Request::DataType::Text), //!< result is a string
        Object = int(Request::DataType::Json), //!< result is the parsed JSON value
        ArrayBuffer = int(Request::DataType::Bytes), //!< result is an ArrayBuffer
    };
    Q_ENUM(DataType)
    /*! Values of \c usingProtocol. */
    enum Protocol {
        Http1_1 = int(ProtocolOption::Http1_1),
        Http2 = int(ProtocolOption::Http2),
    };
    Q_ENUM(Protocol)

    explicit HttpClient(QObject *parent = nullptr);
    ~HttpClient() override;

    /*! Sends a request to \a url with \a options; never null. */
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
    /*!
        Saves the body of \a url to the file \a path (a path or a file: URL), as
        Client::download() does: through \c{path.part}, resumed when a partial file is there
        (\c{options.resume}, true by default), checked against \c{options.sha256} when given.
    */
    Q_INVOKABLE Courier::Response *download(const QUrl &url, const QString &path, const QJSValue &options = QJSValue());
    /*! Forgets every cookie, and empties \c cookiesFile when set. */
    Q_INVOKABLE void clearCookies();

    /*! "qt" or "curl": the engine of client(). */
    QString engine() const;
    /*!
        Chooses the engine of the HttpClient's own Client: "qt" or "curl" (when built with it).
        Read when the Client is made (at the end of the declaration, or the first request):
        a later change is refused with a warning. Empty: Client::defaultEngine().
    */
    void setEngine(const QString &engine);

    /*!
        The Client requests go through: one of the HttpClient's own, or one a C++ application
        gave (not owned; it must outlive the HttpClient, or requests fail with a clear error).
    */
    Client *client();
    void setClient(Client *client);

    /*!
        The response cache of the requests (a ResponseCache); null for none. Not owned. A
        request opts out with \c{usingCache: false}; \c{response.fromCache} tells a cached answer.
    */
    ResponseCache *cache() const { return m_cache; }
    void setCache(ResponseCache *cache);

    /*! Why the settings cannot be used (each problem named by its property); empty when they can. */
    QString configurationError() const { return m_configurationErrors.join(QStringLiteral("; ")); }

    /*!
        The Client requests go through, settled: from here on it is not replaced by one of the QML
        engine's network access manager factory. Null when the Client given was destroyed. Used
        by EventSource, whose connections are requests of this HttpClient.
    */
    Client *clientForRequests();

    void classBegin() override { }
    void componentComplete() override;

Q_SIGNALS:
    void engineChanged();
    void clientChanged();
    void configurationErrorChanged();
    void baseUrlChanged();
    void headersChanged();
    void userAgentChanged();
    void connectTimeoutChanged();
    void readTimeoutChanged();
    void timeoutChanged();
    void maximumRedirectsChanged();
    void maximumBodySizeChanged();
    void userChanged();
    void passwordChanged();
    void bearerTokenChanged();
    void preemptiveAuthenticationChanged();
    void caCertificatesFileChanged();
    void caCertificatesChanged();
    void systemCaCertificatesChanged();
    void clientCertificateFileChanged();
    void clientKeyFileChanged();
    void clientKeyPassphraseChanged();
    void pinnedPublicKeysChanged();
    void hostNameCheckChanged();
    void cookiesFileChanged();
    void cacheChanged();
    void retriesChanged();
    void retryDelayChanged();

private Q_SLOTS:
    // A declarative setting changed: remembered as set by QML, and applied to the Client.
    void onSettingChanged();

private:
    Response *send(const QUrl &url, const QJSValue &options, const QByteArray &method, const QString *downloadPath);
    Response *adopt(Response *response, const ExtraOptions &extra);
    void apply(Client *client, const QByteArray &property);
    void applyTls(Client *client);
    void applyCookies(Client *client);
    void saveCookies();
    void readSettingsFrom(Client *client);
    void setProblem(const QByteArray &property, const QString &problem);
    void makeOwnClient(Client::Engine engine, QNetworkAccessManager *manager);
    void readStream(Response *response, const ExtraOptions &extra, const QJSValue &options);

    QPointer<Client> m_client; // the one in use: m_own or the application's
    Client *m_own = nullptr;
    bool m_given = false; // m_client came from setClient()
    bool m_settled = false; // the engine is fixed: a request was made, or the declaration completed
    QSet<QByteArray> m_explicit; // the properties QML set, applied to every Client
    bool m_syncing = false; // reading a given Client's values: not explicit settings
    QHash<QByteArray, QString> m_problems;
    QStringList m_configurationErrors;
    QList<QByteArray> m_appliedHeaders; // the default headers that came from the headers property
    QPointer<CookieJar> m_cookieJar; // the jar of cookiesFile
    QList<QPointer<Response>> m_responses; // handed to JavaScript, deleted with the HttpClient

    QUrl m_baseUrl;
    QVariantMap m_headers;
    QString m_userAgent;
    int m_connectTimeout = 0;
    int m_readTimeout = 0;
    int m_timeout = 0;
    int m_maximumRedirects = 0;
    double m_maximumBodySize = -1;
    QString m_user;
    QString m_password;
    QString m_bearerToken;
    bool m_preemptiveAuthentication = false;
    QString m_caCertificatesFile;
    QString m_caCertificates;
    bool m_systemCaCertificates = true;
    QString m_clientCertificateFile;
    QString m_clientKeyFile;
    QString m_clientKeyPassphrase;
    QStringList m_pinnedPublicKeys;
    bool m_hostNameCheck = true;
    QString m_cookiesFile;
    QPointer<ResponseCache> m_cache;
    TlsOptions m_baseTls; // the Client's TLS options before QML's settings
    int m_retries = 0;
    int m_retryDelay = 0;
};

/*!
    The \c Http singleton: the default HttpClient of a QML engine, with the same properties and
    methods.

    \qml
    Http.fetch("https://example.org/data.json", { expectDataType: Http.Object })
        .then(response => console.log(response.statusCode, response.result.name))
    \endqml
*/
class Http : public Courier::Qml::HttpClient
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Http(QObject *parent = nullptr)
        : HttpClient(parent)
    {
    }
};

} // namespace Courier::Qml
