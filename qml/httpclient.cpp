// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "httpclient.h"

#include "jscallback.h"
#include "refusal_p.h"

#include <Courier/CookieJar>
#include <Courier/EventStreamReader>
#include <Courier/JsonLinesReader>
#include <Courier/ResponseCache>
#include <Courier/RetryPolicy>
#include <Courier/TlsOptions>

#include <QtCore/QFile>
#include <QtCore/QMetaProperty>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>
#include <QtQml/QJSEngine>
#include <QtQml/QJSValueIterator>
#include <QtQml/QQmlEngine>
#include <QtQml/QQmlNetworkAccessManagerFactory>
#include <QtQml/qqmlinfo.h>

namespace Courier::Qml {

namespace {
const QByteArray TlsProperties[] = {"caCertificatesFile",    "caCertificates", "systemCaCertificates",
                                    "clientCertificateFile", "clientKeyFile",  "clientKeyPassphrase",
                                    "pinnedPublicKeys",      "hostNameCheck"};

// The options object as applyOptions() reads it: its functions (the callbacks) as FunctionOption.
QVariantMap optionsMap(const QJSValue &options)
{
    QVariantMap map = options.toVariant().toMap();
    QJSValueIterator it(options);
    while (it.hasNext()) {
        it.next();
        if (it.value().isCallable())
            map.insert(it.name(), QVariant::fromValue(FunctionOption()));
    }
    return map;
}
} // namespace

HttpClient::HttpClient(QObject *parent)
    : QObject(parent)
{
    makeOwnClient(Client::defaultEngine(), nullptr);
    readSettingsFrom(m_own);
    // Every declarative setting: remembered as set by QML, and applied to the Client at once.
    const QMetaObject *meta = &HttpClient::staticMetaObject;
    const QMetaMethod onChange = meta->method(meta->indexOfMethod("onSettingChanged()"));
    for (int i = meta->propertyOffset(); i < meta->propertyCount(); ++i) {
        const QMetaProperty property = meta->property(i);
        const QByteArray name = property.name();
        if (name != "engine" && name != "client" && name != "configurationError" && property.hasNotifySignal())
            connect(this, property.notifySignal(), this, onChange);
    }
}

HttpClient::~HttpClient()
{
    saveCookies();
    // Finished Responses belong to JavaScript and are not the Client's children any more: they go
    // first, while the manager their replies come from is alive. Running ones are aborted quietly.
    for (const QPointer<Response> &response : std::as_const(m_responses))
        delete response.data();
}

void HttpClient::makeOwnClient(Client::Engine engine, QNetworkAccessManager *manager)
{
    delete m_own;
    m_cookieJar = nullptr; // was the old Client's child
    m_own = manager ? new Client(manager, this) : new Client(engine, this);
    m_baseTls = TlsOptions();
    if (manager)
        manager->setParent(m_own);
    if (!m_given)
        m_client = m_own;
    for (const QByteArray &property : QSet<QByteArray>(m_explicit))
        apply(m_own, property);
}

Client *HttpClient::clientForRequests()
{
    if (!m_settled) {
        m_settled = true;
        // The QML engine's network access manager factory makes the managers of Qt's engine.
        const QQmlEngine *engine = qmlEngine(this);
        QQmlNetworkAccessManagerFactory *factory = engine ? engine->networkAccessManagerFactory() : nullptr;
        if (factory && !m_given && m_own->engine() == Client::Engine::Qt)
            makeOwnClient(Client::Engine::Qt, factory->create(this));
    }
    return m_client;
}

void HttpClient::componentComplete() { clientForRequests(); }

QString HttpClient::engine() const
{
    const Client *c = m_client ? m_client.data() : m_own;
    return c->engine() == Client::Engine::Curl ? QStringLiteral("curl") : QStringLiteral("qt");
}

void HttpClient::setEngine(const QString &name)
{
    Client::Engine chosen = Client::defaultEngine();
    if (name == QLatin1String("qt")) {
        chosen = Client::Engine::Qt;
    } else if (name == QLatin1String("curl")) {
        if (!Client::isEngineAvailable(Client::Engine::Curl)) {
            qmlWarning(this) << "engine \"curl\" is not part of this build of Courier; using \"qt\"";
            chosen = Client::Engine::Qt;
        } else {
            chosen = Client::Engine::Curl;
        }
    } else if (!name.isEmpty()) {
        qmlWarning(this) << "engine must be \"qt\", \"curl\" or empty, not \"" << name << "\"; unchanged";
        return;
    }
    if (chosen == m_own->engine())
        return;
    if (m_settled || m_given) {
        qmlWarning(this) << "engine can only be chosen in the declaration, before the first request; unchanged";
        return;
    }
    makeOwnClient(chosen, nullptr);
    Q_EMIT engineChanged();
}

Client *HttpClient::client() { return m_client; }

void HttpClient::setClient(Client *client)
{
    if (client == m_client && (client != nullptr) == m_given)
        return;
    m_given = client != nullptr;
    m_client = client ? client : m_own;
    m_baseTls = client ? client->tlsOptions() : TlsOptions(); // before QML's settings
    readSettingsFrom(m_client); // what QML did not set shows the Client's own value
    for (const QByteArray &property : QSet<QByteArray>(m_explicit))
        apply(m_client, property);
    Q_EMIT clientChanged();
    Q_EMIT engineChanged();
}

void HttpClient::setCache(ResponseCache *cache)
{
    if (cache == m_cache)
        return;
    m_cache = cache;
    Q_EMIT cacheChanged();
}

void HttpClient::readSettingsFrom(Client *client)
{
    m_syncing = true;
    const auto sync = [&](const char *name, const QVariant &value) {
        if (!m_explicit.contains(name))
            setProperty(name, value);
    };
    sync("baseUrl", client->baseUrl());
    QVariantMap headers;
    for (const auto &[name, value] : client->defaultHeaders())
        headers.insert(QString::fromLatin1(name), QString::fromUtf8(value));
    sync("headers", headers);
    sync("userAgent", QString::fromUtf8(client->userAgent()));
    sync("connectTimeout", int(client->connectTimeout().count()));
    sync("readTimeout", int(client->readTimeout().count()));
    sync("timeout", int(client->totalTimeout().count()));
    sync("maximumRedirects", client->maximumRedirects());
    sync("maximumBodySize", double(client->maximumBodySize()));
    sync("user", client->user());
    sync("password", client->password());
    sync("bearerToken", QString::fromUtf8(client->bearerToken()));
    sync("preemptiveAuthentication", client->preemptiveAuthentication());
    const TlsOptions tls = client->tlsOptions();
    sync("systemCaCertificates", tls.systemCaCertificatesUsed());
    sync("hostNameCheck", tls.hostNameCheckEnabled());
    QStringList pins;
    for (const QByteArray &pin : tls.pinnedPublicKeys())
        pins.append(QString::fromLatin1(pin));
    sync("pinnedPublicKeys", pins);
    sync("retries", std::max(0, client->retryPolicy().maximumAttempts() - 1));
    sync("retryDelay", int(client->retryPolicy().initialDelay().count()));
    m_syncing = false;
}

void HttpClient::onSettingChanged()
{
    const int signal = senderSignalIndex();
    const QMetaObject *meta = metaObject();
    for (int i = HttpClient::staticMetaObject.propertyOffset(); i < meta->propertyCount(); ++i) {
        const QMetaProperty property = meta->property(i);
        if (property.notifySignalIndex() != signal)
            continue;
        if (m_syncing)
            return;
        m_explicit.insert(property.name());
        if (m_client)
            apply(m_client, property.name());
        return;
    }
}

void HttpClient::setProblem(const QByteArray &property, const QString &problem)
{
    if (problem.isEmpty())
        m_problems.remove(property);
    else
        m_problems.insert(property, problem);
    QStringList all = m_problems.values();
    all.sort();
    if (all == m_configurationErrors)
        return;
    m_configurationErrors = all;
    if (!problem.isEmpty())
        qmlWarning(this).noquote() << problem;
    Q_EMIT configurationErrorChanged();
}

void HttpClient::apply(Client *client, const QByteArray &property)
{
    if (property == "baseUrl") {
        client->setBaseUrl(m_baseUrl);
    } else if (property == "headers") {
        for (const QByteArray &name : std::as_const(m_appliedHeaders))
            client->removeDefaultHeader(name);
        m_appliedHeaders.clear();
        QString problem;
        for (auto it = m_headers.cbegin(); it != m_headers.cend(); ++it) {
            const int type = it.value().typeId();
            if (type != QMetaType::QString && type != QMetaType::Double && type != QMetaType::Int
                && type != QMetaType::Bool) {
                problem = QStringLiteral("headers: the value of \"%1\" must be a string, not %2")
                              .arg(it.key(), typeName(it.value()));
                continue;
            }
            // A name or value with CR, LF or NUL makes every request fail with a clear error.
            client->setDefaultHeader(it.key().toLatin1(), it.value().toString().toUtf8());
            m_appliedHeaders.append(it.key().toLatin1());
        }
        setProblem(property, problem);
    } else if (property == "userAgent") {
        client->setUserAgent(m_userAgent.toUtf8());
    } else if (property == "connectTimeout") {
        client->setConnectTimeout(std::max(0, m_connectTimeout));
    } else if (property == "readTimeout") {
        client->setReadTimeout(std::max(0, m_readTimeout));
    } else if (property == "timeout") {
        client->setTotalTimeout(std::max(0, m_timeout));
    } else if (property == "maximumRedirects") {
        client->setMaximumRedirects(std::max(0, m_maximumRedirects));
    } else if (property == "maximumBodySize") {
        client->setMaximumBodySize(qint64(m_maximumBodySize));
    } else if (property == "user" || property == "password") {
        client->setCredentials(m_user, m_password);
    } else if (property == "bearerToken") {
        client->setBearerToken(m_bearerToken.toUtf8());
    } else if (property == "preemptiveAuthentication") {
        client->setPreemptiveAuthentication(m_preemptiveAuthentication);
    } else if (std::find(std::begin(TlsProperties), std::end(TlsProperties), property) != std::end(TlsProperties)) {
        applyTls(client);
    } else if (property == "cookiesFile") {
        applyCookies(client);
    } else if (property == "cache") {
        // A ResponseCache declared inside the HttpClient may not have its directory yet: it is
        // then given to the Client at the first request (send()).
        if (!m_cache || m_cache->isReady())
            client->setCache(m_cache ? m_cache->cache() : nullptr);
    } else if (property == "retries" || property == "retryDelay") {
        RetryPolicy policy = client->retryPolicy();
        policy.setMaximumAttempts(std::max(0, m_retries) + 1);
        if (m_explicit.contains("retryDelay"))
            policy.setInitialDelay(std::chrono::milliseconds(std::max(0, m_retryDelay)));
        client->setRetryPolicy(policy);
    }
}

void HttpClient::applyTls(Client *client)
{
    // From the Client's TLS options as they were before QML touched them, every time: what QML
    // sets replaces itself, and adds to what C++ configured (CAs, pins).
    TlsOptions tls = m_baseTls;
    QStringList problems;
    const auto readFile = [&](const char *property, const QString &pathOrUrl) -> QByteArray {
        const QString path = localPath(pathOrUrl);
        QFile file(path);
        if (path.isEmpty() || !file.open(QIODevice::ReadOnly)) {
            problems.append(QStringLiteral("%1: cannot read \"%2\"%3")
                                .arg(QLatin1String(property), pathOrUrl,
                                     path.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(file.errorString())));
            return QByteArray();
        }
        return file.readAll();
    };
    if (!m_caCertificatesFile.isEmpty()) {
        const QByteArray pem = readFile("caCertificatesFile", m_caCertificatesFile);
        if (!pem.isEmpty() && !tls.addCaCertificatesFromPem(pem))
            problems.append(
                QStringLiteral("caCertificatesFile: \"%1\" holds no PEM certificate").arg(m_caCertificatesFile));
    }
    if (!m_caCertificates.isEmpty() && !tls.addCaCertificatesFromPem(m_caCertificates.toLatin1()))
        problems.append(QStringLiteral("caCertificates: no PEM certificate in the text"));
    if (m_explicit.contains("systemCaCertificates"))
        tls.setSystemCaCertificatesUsed(m_systemCaCertificates);
    if (m_explicit.contains("hostNameCheck"))
        tls.setHostNameCheckEnabled(m_hostNameCheck);
    if (m_clientCertificateFile.isEmpty() != m_clientKeyFile.isEmpty()) {
        problems.append(QStringLiteral("clientCertificateFile and clientKeyFile go together; one is missing"));
    } else if (!m_clientCertificateFile.isEmpty()) {
        const QByteArray certificate = readFile("clientCertificateFile", m_clientCertificateFile);
        const QByteArray key = readFile("clientKeyFile", m_clientKeyFile);
        if (!certificate.isEmpty() && !key.isEmpty()
            && !tls.setClientCertificateFromPem(certificate, key, m_clientKeyPassphrase.toUtf8()))
            problems.append(QStringLiteral("clientCertificateFile, clientKeyFile: not a PEM certificate and its "
                                           "key, or clientKeyPassphrase does not open the key"));
    }
    for (const QString &pin : std::as_const(m_pinnedPublicKeys)) {
        if (!tls.addPinnedPublicKey(pin.toLatin1()))
            problems.append(
                QStringLiteral("pinnedPublicKeys: \"%1\" is not \"sha256//\" and a base64 SHA-256").arg(pin));
    }
    client->setTlsOptions(tls);
    setProblem("tls", problems.join(QStringLiteral("; ")));
}

void HttpClient::applyCookies(Client *client)
{
    if (m_cookiesFile.isEmpty()) {
        setProblem("cookiesFile", QString());
        return;
    }
    const QString path = localPath(m_cookiesFile);
    if (path.isEmpty()) {
        setProblem("cookiesFile", QStringLiteral("cookiesFile: \"%1\" is no local file").arg(m_cookiesFile));
        return;
    }
    auto *jar = new CookieJar(client);
    if (QFile::exists(path) && !jar->load(path)) {
        setProblem("cookiesFile", QStringLiteral("cookiesFile: ") + jar->errorString());
        delete jar;
        return;
    }
    client->setCookieJar(jar);
    if (m_cookieJar && m_cookieJar != jar && m_cookieJar->parent() == client)
        m_cookieJar->deleteLater(); // the jar of the previous cookiesFile
    m_cookieJar = jar;
    setProblem("cookiesFile", QString());
}

void HttpClient::saveCookies()
{
    if (!m_cookieJar || m_cookiesFile.isEmpty() || !m_problems.value("cookiesFile").isEmpty())
        return;
    if (!m_cookieJar->save(localPath(m_cookiesFile)))
        qmlWarning(this).noquote() << "cookiesFile: " << m_cookieJar->errorString();
}

void HttpClient::clearCookies()
{
    if (!m_client)
        return;
    if (auto *jar = qobject_cast<CookieJar *>(m_client->cookieJar()))
        jar->clear();
    else if (m_client->cookieJar())
        m_client->setCookieJar(nullptr);
    saveCookies();
}

Response *HttpClient::request(const QUrl &url, const QJSValue &options)
{
    return send(url, options, QByteArray(), nullptr);
}
Response *HttpClient::get(const QUrl &url, const QJSValue &options) { return send(url, options, "GET", nullptr); }
Response *HttpClient::head(const QUrl &url, const QJSValue &options) { return send(url, options, "HEAD", nullptr); }
Response *HttpClient::post(const QUrl &url, const QJSValue &options) { return send(url, options, "POST", nullptr); }
Response *HttpClient::put(const QUrl &url, const QJSValue &options) { return send(url, options, "PUT", nullptr); }
Response *HttpClient::patch(const QUrl &url, const QJSValue &options) { return send(url, options, "PATCH", nullptr); }
Response *HttpClient::del(const QUrl &url, const QJSValue &options) { return send(url, options, "DELETE", nullptr); }
Response *HttpClient::options(const QUrl &url, const QJSValue &options)
{
    return send(url, options, "OPTIONS", nullptr);
}
Response *HttpClient::download(const QUrl &url, const QString &path, const QJSValue &options)
{
    return send(url, options, QByteArray(), &path);
}

Response *HttpClient::send(const QUrl &url, const QJSValue &options, const QByteArray &method,
                           const QString *downloadPath)
{
    Client *client = clientForRequests();
    Request request(url);
    ExtraOptions extra;
    QStringList problems;
    if (!options.isUndefined() && !options.isNull()) {
        if (options.isObject() && !options.isArray() && !options.isCallable() && !options.isQObject()) {
            const QString problem = applyOptions(
                optionsMap(options), downloadPath ? OptionsFor::Download : OptionsFor::Request, request, extra);
            if (!problem.isEmpty())
                problems.append(problem);
        } else {
            problems.append(QStringLiteral("the options must be an object, not %1").arg(typeName(options.toVariant())));
        }
    }
    if (!method.isEmpty()) {
        if (options.hasProperty(QStringLiteral("method")) && request.method() != method)
            problems.append(QStringLiteral("option \"method\" is %1, but this call sends %2")
                                .arg(QString::fromLatin1(request.method()), QString::fromLatin1(method)));
        request.setMethod(method);
    }
    QString path;
    if (downloadPath) {
        path = localPath(*downloadPath);
        if (path.isEmpty())
            problems.append(QStringLiteral("the download path \"%1\" is no local file").arg(*downloadPath));
    }
    if (!m_configurationErrors.isEmpty())
        problems.append(QStringLiteral("the HttpClient's settings cannot be used (%1)").arg(configurationError()));

    if (client && m_explicit.contains("cache")) {
        Courier::ResponseCache *cache = m_cache ? m_cache->cache() : nullptr;
        if (client->cache() != cache)
            client->setCache(cache);
    }
    Response *response = nullptr;
    if (!client) {
        response = Private::refusedResponse(
            m_own, request, Response::ProtocolInvalidOperation,
            QStringLiteral("Invalid request: the Client given to this HttpClient was destroyed"));
    } else if (!problems.isEmpty()) {
        response = Private::refusedResponse(client, request, Response::ProtocolInvalidOperation,
                                            QStringLiteral("Invalid request: ") + problems.join(QStringLiteral("; ")));
    } else if (downloadPath) {
        response = client->download(request, path, extra.download);
    } else {
        response = client->send(request);
        readStream(response, extra, options);
    }
    return adopt(response, extra);
}

void HttpClient::readStream(Response *response, const ExtraOptions &extra, const QJSValue &options)
{
    // Made before the Response is returned: the reader takes the body as it arrives, and has
    // called back with every item before the Response's finished() reaches anyone else.
    QJSEngine *engine = qjsEngine(this);
    StreamReader *reader = nullptr;
    const auto callback = [&options](const char *name) { return options.property(QString::fromLatin1(name)); };
    if (extra.stream == StreamFormat::JsonLines) {
        auto *lines = new JsonLinesReader(response);
        const QJSValue onValue = callback("onValue");
        const QJSValue onParseError = callback("onParseError");
        if (onValue.isCallable() && engine)
            connect(lines, &JsonLinesReader::valueReceived, lines,
                    [this, engine, onValue](const QJsonValue &value, qint64 line) {
                        callBack(this, onValue, {engine->toScriptValue(value), double(line)});
                    });
        if (onParseError.isCallable())
            connect(lines, &JsonLinesReader::parseErrorOccurred, lines,
                    [this, onParseError](qint64 line, const QString &message) {
                        callBack(this, onParseError, {double(line), message});
                    });
        reader = lines;
    } else if (extra.stream == StreamFormat::Events) {
        auto *events = new EventStreamReader(response);
        const QJSValue onEvent = callback("onEvent");
        if (onEvent.isCallable() && engine)
            connect(events, &EventStreamReader::eventReceived, events,
                    [this, engine, onEvent](const ServerSentEvent &event) {
                        callBack(this, onEvent, {engine->toScriptValue(event)});
                    });
        reader = events;
    }
    if (reader && extra.maximumItemSize >= 0)
        reader->setMaximumItemSize(extra.maximumItemSize);
}

Response *HttpClient::adopt(Response *response, const ExtraOptions &extra)
{
    // The files and multipart bodies the request reads from live as long as it does.
    for (QObject *owned : extra.owned)
        owned->setParent(response);
    QQmlEngine::setObjectOwnership(response, QQmlEngine::JavaScriptOwnership);
    // Parented to the Client while it runs, so the collector leaves it alone; after that it
    // belongs to JavaScript alone. The cookies it set are saved first.
    connect(response, &Response::finished, this, [this, response] {
        response->setParent(nullptr);
        if (!response->cookies().isEmpty())
            saveCookies();
    });
    if (extra.context)
        connect(extra.context, &QObject::destroyed, response, [response] { delete response; });
    m_responses.removeAll(nullptr);
    m_responses.append(response);
    return response;
}

QJSValue HttpClient::fetch(const QUrl &url, const QJSValue &options)
{
    QJSEngine *engine = qjsEngine(this);
    if (!engine) {
        qmlWarning(this) << "fetch() needs a QML engine";
        return QJSValue();
    }
    Response *response = send(url, options, QByteArray(), nullptr);
    QJSValue deferred = engine->evaluate(
        QStringLiteral("(function() { var d = {}; d.promise = new Promise(function(resolve, reject) {"
                       " d.resolve = resolve; d.reject = reject; }); return d; })()"));
    connect(response, &Response::finished, response, [engine, response, deferred]() mutable {
        const QJSValue wrapped = engine->newQObject(response);
        if (response->hasTransportError()) {
            QJSValue failure = engine->newObject();
            failure.setProperty(QStringLiteral("error"), int(response->error()));
            failure.setProperty(QStringLiteral("category"), int(response->category()));
            failure.setProperty(QStringLiteral("errorString"), response->errorString());
            failure.setProperty(QStringLiteral("response"), wrapped);
            deferred.property(QStringLiteral("reject")).call({failure});
        } else {
            deferred.property(QStringLiteral("resolve")).call({wrapped});
        }
    });
    return deferred.property(QStringLiteral("promise"));
}

} // namespace Courier::Qml
