// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// The fault matrix: for every phase of an exchange and every way a server can fail in it, the
// error, its category and words, errorOccurred then finished exactly once each, and the bytes that
// arrived before the fault still readable. One data row per cell; doc/reliability.md shows the
// matrix with these results. Each cell is one MockResponse of Courier::Test's MockServer, the
// server applications test with: its faults are this matrix's, so the two cannot drift apart.

#include <Courier/Client>
#include <Courier/MockServer>

#include "spy.h"
#include "testserver.h"

#include <QtCore/QMetaEnum>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;
using namespace std::chrono_literals;

namespace {

enum Phase { Connect, TlsHandshake, Upload, StatusLine, Headers, Body, ChunkBoundary, InsideChunk };
enum Fault { Close, Reset, Stall, Garbage, Oversized, LengthLarger, LengthSmaller };

const char *phaseName(int p)
{
    static const char *const names[] = {"connect",
                                        "TLS handshake",
                                        "request upload",
                                        "status line",
                                        "headers",
                                        "body (fixed length)",
                                        "chunked: at a chunk boundary",
                                        "chunked: inside a chunk"};
    return names[p];
}

const char *faultName(int f)
{
    static const char *const names[] = {
        "close", "reset (RST)", "stall", "garbage", "oversized", "Content-Length > body", "Content-Length < body"};
    return names[f];
}

// The body every cell is about: 100 bytes, of which the first 40 arrive before the fault.
const QByteArray kBody = QByteArray("0123456789").repeated(10);
const QByteArray kBefore = kBody.left(40);
constexpr qint64 kLimit = 64; // maximumBodySize of the oversized-body cells
constexpr qint64 kUploadSize = 32 << 20; // more than loopback's socket buffers hold
constexpr qint64 kUploadFault = 256 << 10; // of the upload, arrived before its fault

MockResponse::Phase mockPhase(Phase phase)
{
    using P = MockResponse::Phase;
    static const P phases[] = {P::Connect, P::Connect, P::RequestBody,   P::StatusLine,
                               P::Headers, P::Body,    P::ChunkBoundary, P::InsideChunk};
    return phases[phase];
}

// The cell's answer: kBody as text with the fault at its phase, 40 bytes into the body (256 KiB
// into the upload). The Content-Length cells are well-formed answers whose fields lie; an
// oversized fixed-length body is one announced past the request's maximumBodySize (MockServer's
// own oversized body announces 2^62 bytes, a length of 19 digits that Courier refuses as such).
MockResponse answer(Phase phase, Fault fault)
{
    MockResponse response = MockResponse(200, kBody).setHeader("Content-Type", "text/plain");
    switch (fault) {
    case LengthLarger:
    case LengthSmaller: {
        const QByteArray stated = fault == LengthLarger ? "100" : "40";
        if (phase == Headers) // two Content-Length fields that disagree; the body matches the second
            return response.setBody(fault == LengthLarger ? kBefore : kBody)
                .addHeader("Content-Length", stated)
                .addHeader("Content-Length", fault == LengthLarger ? "40" : "100");
        if (phase == Body) // 40 bytes then the connection's end, or 100 bytes
            return fault == LengthLarger
                ? response.setBody(kBefore).setHeader("Content-Length", stated).setHeader("Connection", "close")
                : response.setHeader("Content-Length", stated);
        // A whole chunked body with a Content-Length beside it.
        return response.setHeader("Transfer-Encoding", "chunked")
            .setHeader("Content-Length", fault == LengthLarger ? "1000" : "10")
            .setChunked(kBefore.size());
    }
    default: break;
    }
    using F = MockResponse::Fault;
    static const F faults[] = {F::Close, F::Reset, F::Stall, F::Garbage, F::Oversized};
    const F mockFault = faults[fault];
    if (phase == Upload) // refused early with 413 when oversized, reading on as nginx does
        return (fault == Oversized ? MockResponse(413, "too large") : response)
            .setFault(mockFault, MockResponse::Phase::RequestBody, kUploadFault);
    if (phase == Body && fault == Oversized) // 100 bytes announced, past the request's limit of 64
        return response;
    const bool inBody = phase == Body || phase == ChunkBoundary || phase == InsideChunk;
    return response.setFault(mockFault, mockPhase(phase), inBody ? kBefore.size() : -1);
}

} // namespace

class tst_Faults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { blackHole.reset(); }
    void matrix_data();
    void matrix();
    void extraBytesDoNotReachTheNextRequest();

private:
    // Scripts \a server for one cell; returns the request to send.
    Request arm(MockServer &server, Phase phase, Fault fault);
    std::unique_ptr<FullBacklog> blackHole;
};

Request tst_Faults::arm(MockServer &server, Phase phase, Fault fault)
{
    Request request(server.url(QStringLiteral("/cell")));
    // Short timeouts only where the fault is silence; elsewhere a slow machine (or a sanitizer,
    // with Qt reading headers a byte per read()) must not turn the cell into a timeout.
    request.setReadTimeout(fault == Stall ? 300ms : 5s);
    request.setConnectTimeout(fault == Stall ? 300ms : 5s);
    if (phase == Connect && fault == Stall) {
        // The TCP handshake itself never completes: no server that accepts can do that.
        blackHole = std::make_unique<FullBacklog>();
        request.setUrl(blackHole->url());
        return request;
    }
    // A connect fault comes as the connection is accepted, before the request is read; a TLS
    // handshake fault (the server is https: matrix()) as the answer to the ClientHello.
    if (phase == TlsHandshake)
        request.setTlsOptions(server.tlsOptions());
    if (phase == Upload) {
        // The body never arrives whole: the fault comes once 256 KiB of it are in, and the server
        // stops reading first (but for garbage and 413), so the rest of the 32 MiB cannot fit in
        // loopback's socket buffers: the client is still sending when it comes, however fast the
        // machine.
        request.setMethod("POST");
        request.setBody(QByteArray(kUploadSize, 'u'));
    }
    if ((phase == Body || phase == InsideChunk) && fault == Oversized)
        request.setMaximumBodySize(kLimit);
    // Every connection and every request meets the fault: Qt's engine sends a request again on a
    // new connection when one closes before the response has begun.
    server.setDefaultResponse(answer(phase, fault));
    return request;
}

void tst_Faults::matrix_data()
{
    QTest::addColumn<int>("phase");
    QTest::addColumn<int>("fault");
    QTest::addColumn<Response::Error>("error");
    QTest::addColumn<QString>("words"); // a fragment errorString() must contain
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("readable");
    // Why Qt 6.4 cannot give the expected outcome: the cell is an expected failure (XFAIL) that
    // turns into a failure (XPASS) the day it does.
    QTest::addColumn<QString>("qtDefect");
    // Why Qt 6.4 sometimes ends the cell otherwise, with raceError: a race in Qt. The cell passes
    // when Courier gets the expected error, and is an expected failure when Qt wins the race.
    QTest::addColumn<QString>("qtRace");
    QTest::addColumn<Response::Error>("raceError");

    const auto row = [](Phase p, Fault f, Response::Error e, const char *words, int status, const QByteArray &readable,
                        const char *qtDefect = "", const char *qtRace = "",
                        Response::Error raceError = Response::NoError) {
        QTest::addRow("%s/%s", phaseName(p), faultName(f))
            << int(p) << int(f) << e << QString::fromUtf8(words) << status << readable << QString::fromUtf8(qtDefect)
            << QString::fromUtf8(qtRace) << raceError;
    };
    using R = Response;
    const char *notHttp = "before a complete HTTP response";
    const char *headerBlockDropped = "Qt 6.4's header parser drops a block with a malformed line without "
                                     "reporting it, and reads the body to the connection's end";
    const char *chunkSizeAsZero = "Qt 6.4 reads a chunk-size line that is not a hexadecimal number as 0, "
                                  "the last chunk";
    const char *closeEndsChunks = "Qt 6.4's QHttpProtocolHandler::_q_receiveReply takes a closed socket in "
                                  "ReadingDataState for the end of any body, chunked included, when it runs "
                                  "before the channel's error handler";
    // Seen under load, about 1 run in 16 with the sanitizers; the request then waits for an answer
    // until Courier's read timeout ends it.
    const char *closeBeforeRequest = "Qt 6.4's QHttpNetworkConnectionChannel::_q_error can take a connection "
                                     "closed before its request was written for an idle keep-alive "
                                     "connection closing, and drop the error";

    row(Connect, Close, R::RemoteHostClosed, notHttp, 0, {}, "", closeBeforeRequest, R::Timeout);
    row(Connect, Reset, R::RemoteHostClosed, notHttp, 0, {}, "", closeBeforeRequest, R::Timeout);
    row(Connect, Stall, R::Timeout, "connect timeout", 0, {});
    row(Connect, Garbage, R::RemoteHostClosed, notHttp, 0, {});

    row(TlsHandshake, Close, R::RemoteHostClosed, notHttp, 0, {});
    row(TlsHandshake, Reset, R::RemoteHostClosed, notHttp, 0, {});
    row(TlsHandshake, Stall, R::Timeout, "connect timeout", 0, {});
    row(TlsHandshake, Garbage, R::SslHandshakeFailed, "wrong version number", 0, {});
    row(TlsHandshake, Oversized, R::SslHandshakeFailed, "packet length too long", 0, {});

    row(Upload, Close, R::RemoteHostClosed, "while the request body was being sent", 0, {});
    row(Upload, Reset, R::RemoteHostClosed, "while the request body was being sent", 0, {});
    row(Upload, Stall, R::Timeout, "read timeout", 0, {});
    row(Upload, Garbage, R::RemoteHostClosed, notHttp, 0, {});
    row(Upload, Oversized, R::UnknownContentError, "413", 413, "too large");

    row(StatusLine, Close, R::RemoteHostClosed, notHttp, 0, {});
    row(StatusLine, Reset, R::RemoteHostClosed, notHttp, 0, {});
    row(StatusLine, Stall, R::Timeout, "read timeout", 0, {});
    row(StatusLine, Garbage, R::RemoteHostClosed, notHttp, 0, {});
    row(StatusLine, Oversized, R::ProtocolFailure, "headers are too large", 200, {});

    row(Headers, Close, R::RemoteHostClosed, notHttp, 0, {});
    row(Headers, Reset, R::RemoteHostClosed, notHttp, 0, {});
    row(Headers, Stall, R::Timeout, "read timeout", 0, {});
    row(Headers, Garbage, R::ProtocolFailure, "", 200, {}, headerBlockDropped);
    row(Headers, Oversized, R::ProtocolFailure, "headers are too large", 200, {});
    row(Headers, LengthLarger, R::ProtocolFailure, "is not one length", 200, {});
    row(Headers, LengthSmaller, R::ProtocolFailure, "is not one length", 200, {});

    row(Body, Close, R::RemoteHostClosed, "after 40 of the 100 bytes", 200, kBefore);
    row(Body, Reset, R::RemoteHostClosed, "after 40 of the 100 bytes", 200, kBefore);
    row(Body, Stall, R::Timeout, "read timeout", 200, kBefore);
    row(Body, Garbage, R::ProtocolFailure, "could not be decoded", 200, {});
    row(Body, Oversized, R::UnknownContentError, "too large", 200, {});
    row(Body, LengthLarger, R::RemoteHostClosed, "after 40 of the 100 bytes", 200, kBefore);
    row(Body, LengthSmaller, R::NoError, "", 200, kBefore);

    row(ChunkBoundary, Close, R::RemoteHostClosed, "after 40 bytes", 200, kBefore, "", closeEndsChunks);
    row(ChunkBoundary, Reset, R::RemoteHostClosed, "after 40 bytes", 200, kBefore, "", closeEndsChunks);
    row(ChunkBoundary, Stall, R::Timeout, "read timeout", 200, kBefore);
    row(ChunkBoundary, Garbage, R::ProtocolFailure, "", 200, kBefore, chunkSizeAsZero);
    row(ChunkBoundary, Oversized, R::ProtocolFailure, "", 200, kBefore, chunkSizeAsZero);
    row(ChunkBoundary, LengthLarger, R::ProtocolFailure, "both Transfer-Encoding and Content-Length", 200, {});
    row(ChunkBoundary, LengthSmaller, R::ProtocolFailure, "both Transfer-Encoding and Content-Length", 200, {});

    row(InsideChunk, Close, R::RemoteHostClosed, "after 40 bytes", 200, kBefore, "", closeEndsChunks);
    row(InsideChunk, Reset, R::RemoteHostClosed, "after 40 bytes", 200, kBefore, "", closeEndsChunks);
    row(InsideChunk, Stall, R::Timeout, "read timeout", 200, kBefore);
    row(InsideChunk, Garbage, R::ProtocolFailure, "", 200, kBefore,
        "Qt 6.4 does not check the CRLF after a chunk's data; it reads on from there");
    row(InsideChunk, Oversized, R::UnknownContentError, "too large", 200, kBody);
}

void tst_Faults::matrix()
{
    QFETCH(int, phase);
    QFETCH(int, fault);
    QFETCH(Response::Error, error);
    QFETCH(QString, words);
    QFETCH(int, status);
    QFETCH(QByteArray, readable);
    QFETCH(QString, qtDefect);
    QFETCH(QString, qtRace);
    QFETCH(Response::Error, raceError);

    MockServer server;
    if (Phase(phase) == TlsHandshake)
        QVERIFY2(server.useTls(), qPrintable(server.errorString()));
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    auto client = std::make_unique<Client>();
    const Request request = arm(server, Phase(phase), Fault(fault));
    QPointer<Response> r = client->send(request);
    SignalLog log(r);
    QVERIFY(r->waitForFinished(60000));
    const QByteArray got = r->readAll();

    const QMetaEnum errors = QMetaEnum::fromType<Response::Error>();
    // One line per cell, the source of the table in doc/reliability.md.
    qInfo().noquote() << QStringLiteral("| %1 | %2 | %3 | %4 | %5 |")
                             .arg(QString::fromLatin1(phaseName(phase)), QString::fromLatin1(faultName(fault)),
                                  QString::fromLatin1(errors.valueToKey(r->error())))
                             .arg(got.size())
                             .arg(r->errorString().isEmpty() || r->error() == Response::NoError ? QStringLiteral("—")
                                                                                                : r->errorString());

    // Whatever the outcome, it came once, in order, from the event loop, and nothing runs on.
    QCOMPARE(log.count(QStringLiteral("finished")), 1);
    QCOMPARE(log.names.last(), QStringLiteral("finished"));
    QCOMPARE(log.count(QStringLiteral("error")), r->error() == Response::NoError ? 0 : 1);
    if (r->error() != Response::NoError) {
        QCOMPARE(log.errors, QList<Response::Error>{r->error()});
        QCOMPARE(log.names.at(log.names.size() - 2), QStringLiteral("error"));
        QVERIFY(!r->errorString().isEmpty());
    }
    QVERIFY(!r->isRunning());
    QCOMPARE(r->isComplete(), !r->hasTransportError());

    // libcurl reads what is not HTTP as such, where Qt sees a connection closed; and it has
    // neither Qt's defects nor its race.
    const bool curl = client->engine() == Client::Engine::Curl;
    if (curl) {
        qtDefect.clear();
        qtRace.clear();
        if (Fault(fault) == Garbage
            && (Phase(phase) == Connect || Phase(phase) == Upload || Phase(phase) == StatusLine)) {
            error = Response::ProtocolFailure;
            words = QStringLiteral("not HTTP");
        }
        // A header block libcurl refuses is never shown, status line included.
        if ((Phase(phase) == StatusLine && Fault(fault) == Oversized)
            || (Phase(phase) == Headers && Fault(fault) == Garbage))
            status = 0;
    }
    if (!qtDefect.isEmpty()) {
        QEXPECT_FAIL(QTest::currentDataTag(), qPrintable(qtDefect), Abort);
    } else if (!qtRace.isEmpty() && r->error() == raceError) {
        QCOMPARE(got, readable); // what came before the fault, no more and no less
        QEXPECT_FAIL(QTest::currentDataTag(), qPrintable(qtRace), Abort);
    }
    QCOMPARE(r->error(), error);
    QCOMPARE(r->category(), Response::categoryOf(error));
    QVERIFY2(r->errorString().contains(words, Qt::CaseInsensitive), qPrintable(r->errorString()));
    QCOMPARE(r->statusCode(), status);
    QCOMPARE(got, readable);
    // A transport error is the exchange failing; an error status is the server's answer.
    QCOMPARE(r->hasTransportError(), error != Response::NoError && error != Response::errorForStatus(status));

    // Nothing stays behind: the Response goes with delete, and no other appears later.
    delete r;
    QTest::qWait(50);
    QVERIFY(client->findChildren<Response *>().isEmpty());
}

void tst_Faults::extraBytesDoNotReachTheNextRequest()
{
    // A server that sends more than its Content-Length on a kept-alive connection: the surplus
    // must not be taken for the next request's response (response splitting).
    MockServer server;
    QVERIFY(server.listen());
    server.route("GET", QStringLiteral("/first"),
                 MockResponse(200, kBody + "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged")
                     .setHeader("Content-Length", "40"));
    server.route("GET", QStringLiteral("/second"), MockResponse(200, "second"));
    Client client;
    Response *first = client.get(server.url(QStringLiteral("/first")));
    QVERIFY(first->waitForFinished(10000));
    QCOMPARE(first->error(), Response::NoError);
    QCOMPARE(first->readAll(), kBefore);
    Response *second = client.get(server.url(QStringLiteral("/second")));
    QVERIFY(second->waitForFinished(10000));
    QCOMPARE(second->error(), Response::NoError);
    QCOMPARE(second->readAll(), QByteArray("second"));
}

QTEST_MAIN(tst_Faults)
#include "tst_faults.moc"
