#include "http.h"

#include <QtQml/QJSEngine>
#include <QtQml/QQmlEngine>
#include <QtQml/qqml.h>
#include <QtQml/qqmlinfo.h>

namespace Courier::Qml {

Http::Http(QObject *parent)
    : QObject(parent)
    , m_client(new Client(this))
{
}

Http::~Http()
{
    // Finished Responses belong to JavaScript and are not the Client's children any more: they go
    // first, while the manager their replies come from is alive.
    for (const QPointer<Response> &response : std::as_const(m_responses))
        delete response.data();
}

Response *Http::request(const QUrl &url, const QJSValue &options) { return send(url, options, QByteArray()); }
Response *Http::get(const QUrl &url, const QJSValue &options) { return send(url, options, "GET"); }
Response *Http::head(const QUrl &url, const QJSValue &options) { return send(url, options, "HEAD"); }
Response *Http::post(const QUrl &url, const QJSValue &options) { return send(url, options, "POST"); }
Response *Http::put(const QUrl &url, const QJSValue &options) { return send(url, options, "PUT"); }
Response *Http::patch(const QUrl &url, const QJSValue &options) { return send(url, options, "PATCH"); }
Response *Http::del(const QUrl &url, const QJSValue &options) { return send(url, options, "DELETE"); }
Response *Http::options(const QUrl &url, const QJSValue &options) { return send(url, options, "OPTIONS"); }

Response *Http::send(const QUrl &url, const QJSValue &options, const QByteArray &method)
{
    Request request(url);
    ExtraOptions extra;
    if (!options.isUndefined() && !options.isNull()) {
        QStringList warnings;
        if (options.isObject() && !options.isArray() && !options.isCallable())
            applyOptions(options.toVariant().toMap(), request, extra, warnings);
        else
            warnings.append(QStringLiteral("the options must be an object; ignored"));
        for (const QString &warning : std::as_const(warnings))
            qmlWarning(this) << warning;
    }
    if (!method.isEmpty())
        request.setMethod(method);

    Response *response = m_client->send(request);
    QQmlEngine::setObjectOwnership(response, QQmlEngine::JavaScriptOwnership);
    // Parented to the Client while it runs, so the collector leaves it alone; after that it
    // belongs to JavaScript alone.
    connect(response, &Response::finished, response, [response] { response->setParent(nullptr); });
    if (extra.context) {
        connect(extra.context, &QObject::destroyed, response, [response] { delete response; });
    }
    m_responses.removeAll(nullptr);
    m_responses.append(response);
    return response;
}

QJSValue Http::fetch(const QUrl &url, const QJSValue &options)
{
    QJSEngine *engine = qjsEngine(this);
    if (!engine) {
        qmlWarning(this) << "Http.fetch() needs a QML engine";
        return QJSValue();
    }
    Response *response = send(url, options, QByteArray());
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

QString Http::engine() const
{
    return m_client->engine() == Client::Engine::Curl ? QStringLiteral("curl") : QStringLiteral("qt");
}

} // namespace Courier::Qml
