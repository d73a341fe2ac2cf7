// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// A program outside the Courier tree, built against the installed package.
#include <Courier/Client>
#include <Courier/CookieJar>
#include <Courier/HttpStatus>
#include <Courier/ResponseCache>
#include <Courier/RetryPolicy>
#include <Courier/TlsOptions>

#include <QtCore/QCoreApplication>
#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Courier::Client client;
    // Every installed header is usable on its own.
    Courier::CookieJar jar;
    client.setCookieJar(&jar);
    client.setRetryPolicy(Courier::RetryPolicy(2));
    client.setTlsOptions(Courier::TlsOptions());
    Courier::ResponseCache *cache = nullptr;
    client.setCache(cache);
    // An unsupported scheme fails from the event loop without touching the network.
    Courier::Response *r = client.get(QUrl(QStringLiteral("gopher://127.0.0.1/")));
    QObject::connect(r, &Courier::Response::finished, &app, &QCoreApplication::quit);
    app.exec();
    std::printf("%s; error %d\n", qPrintable(Courier::HttpStatus::phrase(Courier::HttpStatus::NotFound)),
                int(r->error()));
    return r->error() == Courier::Response::ProtocolUnknown ? 0 : 1;
}
