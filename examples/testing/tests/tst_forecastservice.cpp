// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// The Qt Test suite of ForecastService, against a Courier::MockServer: what the class sends, and
// how it meets a good answer, an error status, and a server that breaks in each way it can.

#include "forecastservice.h"

#include <Courier/MockServer>

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace std::chrono_literals;
using Courier::MockRequest;
using Courier::MockResponse;
using Courier::MockServer;
using Fault = Courier::MockResponse::Fault;
using Phase = Courier::MockResponse::Phase;

class tst_ForecastService : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        server = std::make_unique<MockServer>();
        QVERIFY2(server->listen(), qPrintable(server->errorString()));
        // The class is given the server's URL where the application gives the real service's.
        service = std::make_unique<ForecastService>(server->url(QStringLiteral("/api/")), "key-123");
    }
    void cleanup()
    {
        // Every scripted answer was asked for, and nothing else was.
        QVERIFY2(server->isSatisfied(), qPrintable(server->report()));
        service.reset();
        server.reset();
    }

    void asksForTheCityWithItsKey()
    {
        server->enqueue(MockResponse::json(QJsonDocument(QJsonObject{{QStringLiteral("celsius"), 21.5}})));
        service->refresh(QStringLiteral("São Paulo"));
        QCOMPARE(service->state(), ForecastService::State::Loading);
        QTRY_COMPARE(service->state(), ForecastService::State::Ready);
        QCOMPARE(service->temperature(), 21.5);

        const MockRequest request = server->takeRequest();
        QCOMPARE(request.method(), QByteArray("GET"));
        QCOMPARE(request.path(), QStringLiteral("/api/forecast/São Paulo"));
        QCOMPARE(request.header("X-Api-Key"), QByteArray("key-123"));
    }

    void reusesItsConnection()
    {
        server->route("GET", QStringLiteral("/api/forecast/Oslo"),
                      MockResponse::json(QJsonDocument(QJsonObject{{QStringLiteral("celsius"), -3}})));
        for (int i = 0; i < 2; ++i) {
            service->refresh(QStringLiteral("Oslo"));
            QTRY_COMPARE(service->state(), ForecastService::State::Ready);
        }
        const MockRequest first = server->takeRequest();
        const MockRequest second = server->takeRequest();
        QCOMPARE(second.connection(), first.connection());
        QCOMPARE(second.sequenceNumber(), 1);
    }

    void busyServer()
    {
        server->enqueue(MockResponse(503).setHeader("Retry-After", "30"));
        service->refresh(QStringLiteral("Lima"));
        QTRY_COMPARE(service->state(), ForecastService::State::Failed);
        QCOMPARE(service->problem(), QStringLiteral("The forecast service is busy; try again in 30 s."));
    }

    void notAForecast()
    {
        server->enqueue(MockResponse(200, "<html>maintenance</html>").setHeader("Content-Type", "text/html"));
        service->refresh(QStringLiteral("Lima"));
        QTRY_COMPARE(service->state(), ForecastService::State::Failed);
        QCOMPARE(service->problem(), QStringLiteral("The forecast service sent something that is not a forecast."));
    }

    // Each fault MockServer can make, at the phase where it hurts this class most. What the
    // application shows is the point: never a forecast made of half an answer.
    void brokenServer_data()
    {
        QTest::addColumn<MockResponse>("answer");
        QTest::addColumn<QString>("problem");
        const QByteArray forecast = R"({"celsius": 18.25, "padding": "..............................."})";
        const auto failing = [&](Fault fault, Phase phase) {
            return MockResponse(200, forecast).setHeader("Content-Type", "application/json").setFault(fault, phase);
        };
        const QString lost = QStringLiteral("The connection was lost.");
        const QString silent = QStringLiteral("The forecast service does not answer.");
        QTest::newRow("close mid-body") << failing(Fault::Close, Phase::Body) << lost;
        QTest::newRow("reset in the headers") << failing(Fault::Reset, Phase::Headers) << lost;
        QTest::newRow("stall mid-body") << failing(Fault::Stall, Phase::Body) << silent;
        QTest::newRow("stall before the status line") << failing(Fault::Stall, Phase::StatusLine) << silent;
        QTest::newRow("garbage for a status line") << failing(Fault::Garbage, Phase::StatusLine) << lost;
        QTest::newRow("oversized header block") << failing(Fault::Oversized, Phase::Headers) << lost;
    }
    void brokenServer()
    {
        QFETCH(MockResponse, answer);
        QFETCH(QString, problem);
        // Silence is told by the read timeout, shortened to keep the test quick; only there, so
        // that no other row depends on how fast a busy machine reads the answer.
        if (answer.fault() == Fault::Stall)
            service->setPatience(300ms);
        // A route, not enqueue(): it answers every attempt alike. Qt's engine sends a request
        // again (twice at most) when its connection breaks before the response is complete, as
        // if a kept-alive connection had been closed under it; each attempt meets the fault.
        server->route("GET", QStringLiteral("/api/forecast/Lima"), answer);
        service->refresh(QStringLiteral("Lima"));
        QTRY_COMPARE(service->state(), ForecastService::State::Failed);
        QCOMPARE(service->problem(), problem);
        QVERIFY(server->requestCount() >= 1);
    }

private:
    std::unique_ptr<MockServer> server;
    std::unique_ptr<ForecastService> service;
};

QTEST_MAIN(tst_ForecastService)
#include "tst_forecastservice.moc"
