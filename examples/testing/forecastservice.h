// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// The class under test of the testing example: a small piece of an application that asks a web
// service for a forecast. It is given its service's base URL (dependency injection), so that its
// tests can point it at a Courier::MockServer.

#include <Courier/Client>

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QUrl>

#include <chrono>

class ForecastService : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(double temperature READ temperature NOTIFY stateChanged)
    Q_PROPERTY(QString problem READ problem NOTIFY stateChanged)
public:
    enum class State { Idle, Loading, Ready, Failed };
    Q_ENUM(State)

    /*! Asks the service at \a baseUrl ("https://forecast.example/api/"), with an API key. */
    ForecastService(const QUrl &baseUrl, const QByteArray &apiKey, QObject *parent = nullptr);

    /*! The longest a forecast may keep the service silent (10 s; tests shorten it). */
    void setPatience(std::chrono::milliseconds patience);

    /*! GET <base>/forecast/<city>: Loading, then Ready or Failed. A second call cancels the first. */
    void refresh(const QString &city);

    State state() const { return m_state; }
    double temperature() const { return m_temperature; }
    /*! Why it failed, in words for the user. */
    QString problem() const { return m_problem; }

Q_SIGNALS:
    void stateChanged();

private:
    void finish(Courier::Response *response);
    void set(State state, const QString &problem = {});

    Courier::Client m_client;
    QPointer<Courier::Response> m_pending;
    State m_state = State::Idle;
    double m_temperature = 0;
    QString m_problem;
};
