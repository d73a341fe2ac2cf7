// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// The fault matrix: for every phase of an exchange and every way a server can fail in it, the
// error, its category and words, errorOccurred then finished exactly once each, and the bytes that
// arrived before the fault still readable. One data row per cell; doc/reliability.md shows the
// matrix with these results. The servers are in-process (TestServer), scripted per cell.

#include <Courier/Client>

#include "spy.h"
#include "testserver.h"

#include <QtCore/QMetaEnum>
#include <QtCore/QTimer>
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

// Does the fault on connection \a c: close or reset (a moment later, so what was written before
// has reached the client), stall (nothing) or write \a garbage.
void fail(TestConnection *c, Fault fault, const QByteArray &garbage = {}, int delayMs = 100)
{
    switch (fault) {
    case Close: QTimer::singleShot(delayMs, c, [c] { c->close(); }); break;
    case Reset: QTimer::singleShot(delayMs, c, [c] { c->reset(); }); break;
    case Stall: break;
    default: c->write(garbage); break;
    }
}

// A literal with its NUL bytes, its length counted by the compiler.
template <std::size_t N>
QByteArray bytes(const char (&literal)[N])
{
    return QByteArray(literal, N - 1);
}

QByteArray head(const QByteArray &fields)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + fields + "\r\n";
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
    Request arm(TestServer &server, Phase phase, Fault fault);
    std::unique_ptr<FullBacklog> blackHole;
};

Request tst_Faults::arm(TestServer &server, Phase phase, Fault fault)
{
    Request request(server.url(QStringLiteral("/cell")));
    // Short timeouts only where the fault is silence; elsewhere a slow machine (or a sanitizer,
    // with Qt reading headers a byte per read()) must not turn the cell into a timeout.
    request.setReadTimeout(fault == Stall ? 300ms : 5s);
    request.setConnectTimeout(fault == Stall ? 300ms : 5s);
    switch (phase) {
    case Connect:
        if (fault == Stall) {
            // The TCP handshake itself never completes.
            blackHole = std::make_unique<FullBacklog>();
            request.setUrl(blackHole->url());
            break;
        }
        // At once, before the request has been read; the request itself gets no answer.
        server.setConnectionHandler(
            [fault](TestConnection *c) { fail(c, fault, bytes("\x16\x03garbage\x00\xff\r\n\r\n"), 0); });
        server.setHandler([](TestConnection *, const RawRequest &) {});
        break;
    case TlsHandshake: {
        QUrl url = request.url();
        url.setScheme(QStringLiteral("https"));
        request.setUrl(url);
        // The ClientHello arrives; the fault is the answer to it. Oversized: a TLS record header
        // announcing 65535 bytes, more than the 16 KiB + 2048 a record may hold.
        server.setConnectionHandler([fault](TestConnection *c) {
            QObject::connect(c, &TestConnection::received, c, [c, fault] {
                if (c->property("done").toBool())
                    return;
                c->setProperty("done", true);
                fail(c, fault,
                     fault == Oversized ? bytes("\x16\x03\x03\xff\xff") + QByteArray(1024, '\x01')
                                        : QByteArray("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
            });
        });
        break;
    }
    case Upload:
        request.setMethod("POST");
        request.setBody(QByteArray(kUploadSize, 'u'));
        // The body never arrives whole, so nothing answers it but the fault.
        server.setHandler([](TestConnection *, const RawRequest &) {});
        // The fault comes once the headers and the first 256 KiB of the body have arrived, and the
        // server stops reading first: the rest of the 32 MiB cannot fit in loopback's socket
        // buffers, so the client is still sending when the fault comes, however fast the machine.
        server.setConnectionHandler([fault](TestConnection *c) {
            QObject::connect(c, &TestConnection::received, c, [c, fault] {
                if (c->bytesReceived() < (256 << 10) || c->property("done").toBool())
                    return;
                c->setProperty("done", true);
                switch (fault) {
                case Oversized:
                    // Refused early with 413, reading on as nginx's lingering close does.
                    c->respond(413, "Content Too Large", {{"Connection", "close"}}, "too large");
                    break;
                case Close:
                    // FIN while the body is being sent; the socket goes a moment later (with unread
                    // data, the kernel then resets it), so an engine busy writing notices either way.
                    c->stopReading();
                    c->halfClose();
                    QTimer::singleShot(100, c, [c] { c->close(); });
                    break;
                case Garbage:
                    // Read on: Qt's engine looks at what arrives only once the body is sent.
                    fail(c, fault, "garbage\r\n\r\n");
                    break;
                default: c->stopReading(); fail(c, fault, {}, 0);
                }
            });
        });
        break;
    case StatusLine:
        server.setHandler([fault](TestConnection *c, const RawRequest &) {
            if (fault == Garbage)
                c->write(bytes("\x01\x02garbage\xff\r\n\r\n"));
            else if (fault == Oversized) // a 256 KiB reason phrase
                c->write("HTTP/1.1 200 " + QByteArray(256 << 10, 'A') + "\r\nContent-Length: 100\r\n\r\n" + kBody);
            else
                c->write("HTTP/1.1 20");
            fail(c, fault);
        });
        break;
    case Headers:
        server.setHandler([fault](TestConnection *c, const RawRequest &) {
            if (fault == Garbage) {
                c->write("HTTP/1.1 200 OK\r\n" + bytes("\x01\x02\xff garbage\x00 line\r\n")
                         + "Content-Length: 100\r\n\r\n" + kBody);
            } else if (fault == Oversized) {
                // 128 KiB of fields: past Courier's 64 KiB, within what Qt's parser takes.
                QByteArray fields;
                for (int i = 0; i < 64; ++i)
                    fields += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(2048, 'f') + "\r\n";
                c->write(head(fields + "Content-Length: 100\r\n") + kBody);
            } else if (fault == LengthLarger || fault == LengthSmaller) {
                // Two Content-Length fields that disagree; the body matches the second.
                const QByteArray body = fault == LengthLarger ? kBefore : kBody;
                c->write(head("Content-Length: " + QByteArray::number(body.size() == 40 ? 100 : 40)
                              + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n")
                         + body);
            } else {
                c->write("HTTP/1.1 200 OK\r\nContent-Type: text/pl");
            }
            fail(c, fault);
        });
        break;
    case Body:
        if (fault == Oversized)
            request.setMaximumBodySize(kLimit);
        server.setHandler([fault](TestConnection *c, const RawRequest &) {
            switch (fault) {
            case Garbage: c->write(head("Content-Length: 100\r\nContent-Encoding: gzip\r\n") + kBody); break;
            case Oversized: c->write(head("Content-Length: 100\r\n") + kBody); break;
            case LengthLarger:
                c->write(head("Content-Length: 100\r\nConnection: close\r\n") + kBefore);
                c->close();
                break;
            case LengthSmaller: c->write(head("Content-Length: 40\r\n") + kBody); break;
            default: c->write(head("Content-Length: 100\r\n") + kBefore); fail(c, fault);
            }
        });
        break;
    case ChunkBoundary:
        server.setHandler([fault](TestConnection *c, const RawRequest &) {
            const QByteArray chunks = "28\r\n" + kBefore + "\r\n3c\r\n" + kBody.mid(40) + "\r\n0\r\n\r\n";
            switch (fault) {
            case Garbage: c->write(head("Transfer-Encoding: chunked\r\n") + "28\r\n" + kBefore + "\r\nzz\r\n"); break;
            case Oversized:
                c->write(head("Transfer-Encoding: chunked\r\n") + "28\r\n" + kBefore
                         + "\r\nfffffffffffffffffffffffff\r\n" + kBody);
                break;
            case LengthLarger: c->write(head("Transfer-Encoding: chunked\r\nContent-Length: 1000\r\n") + chunks); break;
            case LengthSmaller: c->write(head("Transfer-Encoding: chunked\r\nContent-Length: 10\r\n") + chunks); break;
            default: c->write(head("Transfer-Encoding: chunked\r\n") + "28\r\n" + kBefore + "\r\n"); fail(c, fault);
            }
        });
        break;
    case InsideChunk:
        if (fault == Oversized)
            request.setMaximumBodySize(kLimit);
        server.setHandler([fault](TestConnection *c, const RawRequest &) {
            switch (fault) {
            case Garbage:
                // The chunk runs past its announced size.
                c->write(head("Transfer-Encoding: chunked\r\n") + "28\r\n" + kBody + "\r\n0\r\n\r\n");
                break;
            case Oversized: c->write(head("Transfer-Encoding: chunked\r\n") + "7fffffffffffffff\r\n" + kBody); break;
            default: c->write(head("Transfer-Encoding: chunked\r\n") + "64\r\n" + kBefore); fail(c, fault);
            }
        });
        break;
    }
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

    TestServer server;
    QVERIFY(server.port() != 0);
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
    TestServer server;
    server.setHandler([](TestConnection *c, const RawRequest &request) {
        if (request.target == "/first")
            c->write(head("Content-Length: 40\r\n") + kBody + "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged");
        else
            c->respond(200, "OK", {}, "second");
    });
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
