// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "forecastservice.h"

#include <Courier/Response>
#include <Courier/RetryPolicy>

#include <QtCore/QJsonObject>

ForecastService::ForecastService(const QUrl &baseUrl, const QByteArray &apiKey, QObject *parent)
    : QObject(parent)
{
    m_client.setBaseUrl(baseUrl);
    m_client.setDefaultHeader("X-Api-Key", apiKey);
    m_client.setReadTimeout(std::chrono::seconds(10));
}

void ForecastService::setPatience(std::chrono::milliseconds patience) { m_client.setReadTimeout(patience); }

void ForecastService::refresh(const QString &city)
{
    if (m_pending)
        m_pending->abort();
    set(State::Loading);
    Courier::Response *response = m_client.get(
        QUrl(QStringLiteral("forecast/") + QString::fromUtf8(QUrl::toPercentEncoding(city))));
    m_pending = response;
    connect(response, &Courier::Response::finished, this, [this, response] {
        response->deleteLater();
        if (response == m_pending)
            finish(response);
    });
}

void ForecastService::finish(Courier::Response *response)
{
    if (response->statusCode() == 503) {
        set(State::Failed,
            tr("The forecast service is busy; try again in %1 s.")
                .arg(QString::fromLatin1(response->header("Retry-After"))));
        return;
    }
    if (response->hasTransportError()) {
        set(State::Failed,
            response->error() == Courier::Response::Timeout ? tr("The forecast service does not answer.")
                                                            : tr("The connection was lost."));
        return;
    }
    if (!response->isHttpSuccess()) {
        set(State::Failed, tr("The forecast service refused: %1.").arg(response->statusMessage()));
        return;
    }
    const QJsonValue celsius = response->json().toObject().value(QStringLiteral("celsius"));
    if (!celsius.isDouble()) {
        set(State::Failed, tr("The forecast service sent something that is not a forecast."));
        return;
    }
    m_temperature = celsius.toDouble();
    set(State::Ready);
}

void ForecastService::set(State state, const QString &problem)
{
    m_state = state;
    m_problem = problem;
    Q_EMIT stateChanged();
}
