// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// A test program outside the Courier tree, built with courier-test.pc's flags alone: a MockServer
// answers a Client once well and once with a fault, and the program prints what it got.
#include <Courier/Client>
#include <Courier/MockServer>

#include <QtCore/QCoreApplication>
#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Courier::MockServer server;
    if (!server.listen())
        return 1;
    server.enqueue(Courier::MockResponse(200, "mocked"));
    server.route("GET", QStringLiteral("/broken"),
                 Courier::MockResponse(200, QByteArray(100, 'x'))
                     .setFault(Courier::MockResponse::Fault::Reset, Courier::MockResponse::Phase::Body));
    Courier::Client client;
    Courier::Response *good = client.get(server.url());
    Courier::Response *broken = client.get(server.url(QStringLiteral("/broken")));
    if (!good->waitForFinished(10000) || !broken->waitForFinished(10000))
        return 2;
    const Courier::MockRequest request = server.takeRequest();
    std::printf("MockServer: %s %d, %s, %s\n", good->readAll().constData(), good->statusCode(),
                request.method().constData(), broken->error() == Courier::Response::RemoteHostClosed ? "reset" : "?");
    return 0;
}
