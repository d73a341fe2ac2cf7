// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "mockserver_p.h"

#include <Courier/HttpStatus>

#include <QtCore/QJsonDocument>
#include <QtCore/QMetaEnum>

namespace Courier {

namespace {

// A literal with its NUL bytes, its length counted by the compiler.
template <std::size_t N>
QByteArray octets(const char (&literal)[N])
{
    return QByteArray(literal, N - 1);
}

template <typename Enum>
QString enumName(Enum value)
{
    return QString::fromLatin1(QMetaEnum::fromType<Enum>().valueToKey(int(value)));
}

} // namespace

MockResponse::MockResponse()
    : MockResponse(200)
{
}

MockResponse::MockResponse(int status, const QByteArray &body)
    : d(new MockResponseData)
{
    setStatus(status);
    d->body = body;
}

MockResponse MockResponse::json(const QJsonDocument &document, int status)
{
    MockResponse response(status, document.toJson(QJsonDocument::Compact));
    response.setHeader("Content-Type", "application/json");
    return response;
}

MockResponse MockResponse::raw(const QByteArray &bytes)
{
    MockResponse response;
    response.d->isRaw = true;
    response.d->raw = bytes;
    return response;
}

MockResponse MockResponse::failing(Fault fault, Phase phase)
{
    // An upload refused as too large is answered 413 before it is in.
    const bool refused = fault == Fault::Oversized && phase == Phase::RequestBody;
    MockResponse response(refused ? 413 : 200, QByteArray("0123456789").repeated(10));
    response.setHeader("Content-Type", "text/plain");
    response.setFault(fault, phase);
    return response;
}

MockResponse::MockResponse(const MockResponse &other) = default;
MockResponse::MockResponse(MockResponse &&other) noexcept = default;
MockResponse &MockResponse::operator=(const MockResponse &other) = default;
MockResponse &MockResponse::operator=(MockResponse &&other) noexcept = default;
MockResponse::~MockResponse() = default;

int MockResponse::status() const { return d->status; }

QByteArray MockResponse::reasonPhrase() const { return d->reason; }

MockResponse &MockResponse::setStatus(int status, const QByteArray &reason)
{
    d->status = status;
    d->reason = reason.isNull() ? HttpStatus::phrase(status).toLatin1() : reason;
    return *this;
}

QList<QPair<QByteArray, QByteArray>> MockResponse::headers() const { return d->headers; }

MockResponse &MockResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    removeHeader(name);
    return addHeader(name, value);
}

MockResponse &MockResponse::addHeader(const QByteArray &name, const QByteArray &value)
{
    d->headers.append({name, value});
    return *this;
}

MockResponse &MockResponse::removeHeader(const QByteArray &name)
{
    d->headers.removeIf([&](const auto &field) { return sameName(field.first, name); });
    return *this;
}

QByteArray MockResponse::body() const { return d->body; }

MockResponse &MockResponse::setBody(const QByteArray &body)
{
    d->body = body;
    d->bodyFile.clear();
    return *this;
}

MockResponse &MockResponse::setBodyFile(const QString &path)
{
    d->bodyFile = path;
    d->body.clear();
    return *this;
}

QString MockResponse::bodyFile() const { return d->bodyFile; }

MockResponse &MockResponse::setChunked(qint64 chunkSize)
{
    d->chunked = true;
    d->chunkSize = qMax<qint64>(0, chunkSize);
    return *this;
}

bool MockResponse::isChunked() const { return d->chunked; }

qint64 MockResponse::chunkSize() const { return d->chunkSize; }

MockResponse &MockResponse::setThrottle(qint64 bytes, std::chrono::milliseconds period)
{
    d->throttleBytes = qMax<qint64>(0, bytes);
    d->throttlePeriod = qMax(std::chrono::milliseconds(0), period);
    return *this;
}

qint64 MockResponse::throttleBytes() const { return d->throttleBytes; }

std::chrono::milliseconds MockResponse::throttlePeriod() const { return d->throttlePeriod; }

MockResponse &MockResponse::setHeadersDelay(std::chrono::milliseconds delay)
{
    d->headersDelay = qMax(std::chrono::milliseconds(0), delay);
    return *this;
}

std::chrono::milliseconds MockResponse::headersDelay() const { return d->headersDelay; }

MockResponse &MockResponse::setBodyDelay(std::chrono::milliseconds delay)
{
    d->bodyDelay = qMax(std::chrono::milliseconds(0), delay);
    return *this;
}

std::chrono::milliseconds MockResponse::bodyDelay() const { return d->bodyDelay; }

MockResponse &MockResponse::setFault(Fault fault, Phase phase, qint64 afterBytes)
{
    d->fault = fault;
    d->phase = phase;
    d->afterBytes = afterBytes < 0 ? -1 : afterBytes;
    return *this;
}

MockResponse::Fault MockResponse::fault() const { return d->fault; }

MockResponse::Phase MockResponse::faultPhase() const { return d->phase; }

qint64 MockResponse::faultAfterBytes() const { return d->afterBytes; }

QString MockResponse::toString() const
{
    QString text = d->isRaw ? QStringLiteral("%1 raw bytes").arg(d->raw.size())
                            : QStringLiteral("%1 %2, %3")
                                  .arg(QString::number(d->status), QString::fromLatin1(d->reason),
                                       d->bodyFile.isEmpty() ? QStringLiteral("%1 bytes").arg(d->body.size())
                                                             : QStringLiteral("body from ") + d->bodyFile);
    if (d->fault != Fault::None)
        text += QStringLiteral(", fault %1 at %2").arg(enumName(d->fault), enumName(d->phase));
    return text;
}

MockRequest::MockRequest() = default;
MockRequest::MockRequest(const MockRequest &other) = default;
MockRequest::MockRequest(MockRequest &&other) noexcept = default;
MockRequest &MockRequest::operator=(const MockRequest &other) = default;
MockRequest &MockRequest::operator=(MockRequest &&other) noexcept = default;
MockRequest::~MockRequest() = default;

bool MockRequest::isValid() const { return d; }

QByteArray MockRequest::method() const { return d ? d->method : QByteArray(); }

QByteArray MockRequest::target() const { return d ? d->target : QByteArray(); }

QString MockRequest::path() const { return d ? d->url.path() : QString(); }

QUrl MockRequest::url() const { return d ? d->url : QUrl(); }

QByteArray MockRequest::httpVersion() const { return d ? d->version : QByteArray(); }

QList<QPair<QByteArray, QByteArray>> MockRequest::headers() const
{
    return d ? d->headers : QList<QPair<QByteArray, QByteArray>>();
}

QByteArray MockRequest::header(const QByteArray &name) const
{
    if (d) {
        for (const auto &[n, v] : d->headers) {
            if (sameName(n, name))
                return v.isNull() ? QByteArray("") : v;
        }
    }
    return {};
}

bool MockRequest::hasHeader(const QByteArray &name) const { return !header(name).isNull(); }

QByteArray MockRequest::body() const { return d ? d->body : QByteArray(); }

bool MockRequest::isComplete() const { return d && d->complete; }

int MockRequest::connection() const { return d ? d->connection : 0; }

int MockRequest::sequenceNumber() const { return d ? d->sequence : -1; }

int MockRequest::index() const { return d ? d->index : -1; }

bool MockRequest::isEncrypted() const { return d && d->encrypted; }

QSsl::SslProtocol MockRequest::tlsProtocol() const { return d ? d->protocol : QSsl::UnknownProtocol; }

QString MockRequest::toString() const
{
    if (!d)
        return QStringLiteral("(no request)");
    // One arg() call: a target may hold "%1".
    return QStringLiteral("%1 %2 %3 (request %4, connection %5%6)")
        .arg(QString::fromLatin1(d->method), QString::fromLatin1(d->target), QString::fromLatin1(d->version),
             QString::number(d->index), QString::number(d->connection),
             d->complete ? QString() : QStringLiteral(", body cut short after %1 bytes").arg(d->body.size()));
}

namespace MockPlan {

namespace {

using Fault = MockResponse::Fault;
using Phase = MockResponse::Phase;

void write(Steps &steps, const QByteArray &bytes)
{
    if (!bytes.isEmpty())
        steps.append(Step{Step::Write, bytes});
}

// Close, Reset or Stall after what came before them; Garbage and Oversized are the phase's own.
void end(Steps &steps, Fault fault)
{
    switch (fault) {
    case Fault::Close:
        steps.append(Step{Step::Settle, {}});
        steps.append(Step{Step::Close, {}});
        break;
    case Fault::Reset:
        steps.append(Step{Step::Settle, {}});
        steps.append(Step{Step::Reset, {}});
        break;
    default: steps.append(Step{Step::Silence, {}}); break;
    }
}

// \a bytes, \a throttle bytes at a time \a period apart (all at once without a throttle).
void paced(Steps &steps, const QByteArray &bytes, qint64 throttle, int period)
{
    if (throttle <= 0) {
        write(steps, bytes);
        return;
    }
    for (qsizetype at = 0; at < bytes.size(); at += throttle) {
        if (at > 0 && period > 0)
            steps.append(Step{Step::Wait, {}, period});
        write(steps, bytes.mid(at, throttle));
    }
}

QByteArray chunk(const QByteArray &data) { return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n"; }

// \a data as chunks of \a size bytes (one chunk when 0).
QByteArray chunks(const QByteArray &data, qint64 size)
{
    if (data.isEmpty())
        return {};
    if (size <= 0)
        return chunk(data);
    QByteArray out;
    for (qsizetype at = 0; at < data.size(); at += size)
        out += chunk(data.mid(at, size));
    return out;
}

bool hasBody(int status) { return status >= 200 && status != 204 && status != 304; }

bool hasField(const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &name)
{
    return std::any_of(headers.cbegin(), headers.cend(), [&](const auto &f) { return sameName(f.first, name); });
}

} // namespace

qint64 faultOffset(const MockResponse &response, qint64 bodySize)
{
    if (response.faultAfterBytes() >= 0)
        return response.faultPhase() == Phase::RequestBody ? response.faultAfterBytes()
                                                           : qMin(response.faultAfterBytes(), bodySize);
    if (response.faultPhase() == Phase::RequestBody)
        return qMin<qint64>(bodySize / 2, 64 << 10);
    return bodySize / 2;
}

Steps answer(const MockResponse &response, const QByteArray &body, bool head, bool closeAfter)
{
    const MockResponseData &r = MockResponseAccess::of(response);
    Steps steps;
    const Fault fault = r.fault;
    // Connect and RequestBody faults were done before an answer was due.
    const Phase phase = fault == Fault::None || r.phase == Phase::Connect || r.phase == Phase::RequestBody
        ? Phase::Connect
        : r.phase;
    if (r.headersDelay.count() > 0)
        steps.append(Step{Step::Wait, {}, int(r.headersDelay.count())});
    if (r.isRaw) {
        paced(steps, r.raw, r.throttleBytes, int(r.throttlePeriod.count()));
        if (fault != Fault::None)
            end(steps, fault);
        else
            steps.append(Step{closeAfter ? Step::Close : Step::Next, {}});
        return steps;
    }

    const bool chunkPhase = phase == Phase::ChunkBoundary || phase == Phase::InsideChunk;
    const bool chunked = r.chunked || chunkPhase;
    const bool sendsBody = hasBody(r.status) && !head;
    QByteArray statusLine = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + r.reason + "\r\n";
    if (phase == Phase::StatusLine && fault == Fault::Oversized)
        statusLine = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + QByteArray(256 << 10, 'A') + "\r\n";
    QList<QPair<QByteArray, QByteArray>> fields = r.headers;
    const bool framed = hasField(fields, "Content-Length") || hasField(fields, "Transfer-Encoding");
    if (phase == Phase::Body && fault == Fault::Garbage)
        fields.append(qMakePair(QByteArray("Content-Encoding"), QByteArray("gzip")));
    if (phase == Phase::Body && fault == Fault::Oversized)
        fields.append(qMakePair(QByteArray("Content-Length"), QByteArray("1099511627776")));
    else if (chunked && hasBody(r.status) && !hasField(fields, "Transfer-Encoding"))
        fields.append(qMakePair(QByteArray("Transfer-Encoding"), QByteArray("chunked")));
    else if (!framed && hasBody(r.status))
        fields.append(qMakePair(QByteArray("Content-Length"), QByteArray(QByteArray::number(body.size()))));
    if (closeAfter && !hasField(fields, "Connection"))
        fields.append(qMakePair(QByteArray("Connection"), QByteArray("close")));
    QByteArray block;
    for (const auto &[name, value] : std::as_const(fields))
        block += name + ": " + value + "\r\n";

    switch (phase) {
    case Phase::StatusLine:
        if (fault == Fault::Garbage) {
            write(steps, octets("\x01\x02garbage\xff\r\n\r\n"));
            steps.append(Step{Step::Silence, {}});
            return steps;
        }
        if (fault != Fault::Oversized) {
            write(steps, statusLine.left(11)); // "HTTP/1.1 20"
            end(steps, fault);
            return steps;
        }
        break;
    case Phase::Headers:
        if (fault == Fault::Garbage) {
            block.prepend(octets("\x01\x02\xff garbage\x00 line\r\n"));
        } else if (fault == Fault::Oversized) {
            QByteArray filler;
            for (int i = 0; i < 64; ++i)
                filler += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(2048, 'f') + "\r\n";
            block.prepend(filler);
        } else {
            // In the middle of the first field (a made-up one when there is none).
            const QByteArray first = block.isEmpty() ? QByteArray("Content-Type: text/plain") : block;
            write(steps, statusLine + first.left(qMax<qsizetype>(1, first.indexOf("\r\n") / 2)));
            end(steps, fault);
            return steps;
        }
        break;
    default: break;
    }

    write(steps, statusLine + block + "\r\n");
    if (r.bodyDelay.count() > 0)
        steps.append(Step{Step::Wait, {}, int(r.bodyDelay.count())});
    const qint64 throttle = r.throttleBytes;
    const int period = int(r.throttlePeriod.count());
    if (!sendsBody) {
        steps.append(Step{closeAfter ? Step::Close : Step::Next, {}});
        return steps;
    }
    const qint64 at = faultOffset(response, body.size());
    switch (phase) {
    case Phase::Body:
        if (fault == Fault::Garbage)
            break;
        if (fault == Fault::Oversized) {
            paced(steps, body, throttle, period);
            end(steps, Fault::Close);
        } else {
            paced(steps, body.left(at), throttle, period);
            end(steps, fault);
        }
        return steps;
    case Phase::ChunkBoundary:
        paced(steps, chunks(body.left(at), r.chunkSize), throttle, period);
        if (fault == Fault::Garbage) {
            write(steps, "zz\r\n");
            end(steps, Fault::Stall);
        } else if (fault == Fault::Oversized) {
            write(steps, QByteArray(25, 'f') + "\r\n" + body.mid(at));
            end(steps, Fault::Stall);
        } else {
            end(steps, fault);
        }
        return steps;
    case Phase::InsideChunk:
        if (fault == Fault::Garbage) {
            write(steps, QByteArray::number(at, 16) + "\r\n");
            paced(steps, body, throttle, period);
            write(steps, "\r\n0\r\n\r\n");
            end(steps, Fault::Stall);
        } else if (fault == Fault::Oversized) {
            write(steps, "7fffffffffffffff\r\n");
            paced(steps, body, throttle, period);
            end(steps, Fault::Stall);
        } else {
            write(steps, QByteArray::number(body.size(), 16) + "\r\n");
            paced(steps, body.left(at), throttle, period);
            end(steps, fault);
        }
        return steps;
    default: break;
    }
    paced(steps, chunked ? chunks(body, r.chunkSize) : body, throttle, period);
    if (chunked)
        write(steps, "0\r\n\r\n");
    steps.append(Step{closeAfter ? Step::Close : Step::Next, {}});
    return steps;
}

Steps connectFault(MockResponse::Fault fault, bool tls)
{
    Steps steps;
    switch (fault) {
    case Fault::Close: steps.append(Step{Step::Close, {}}); break;
    case Fault::Reset: steps.append(Step{Step::Reset, {}}); break;
    case Fault::Garbage:
        write(steps,
              tls ? QByteArray("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                  : octets("\x16\x03garbage\x00\xff\r\n\r\n"));
        steps.append(Step{Step::Silence, {}});
        break;
    case Fault::Oversized:
        // A TLS record header announcing 65535 bytes, more than the 16 KiB + 2048 a record may hold.
        write(steps, tls ? octets("\x16\x03\x03\xff\xff") + QByteArray(1024, '\x01') : QByteArray(256 << 10, 'A'));
        steps.append(Step{Step::Silence, {}});
        break;
    default: steps.append(Step{Step::Silence, {}}); break;
    }
    return steps;
}

Steps requestBodyFault(const MockResponse &response)
{
    Steps steps;
    switch (response.fault()) {
    case Fault::Close:
        // FIN while the body is being sent; the socket goes a moment later (with unread data the
        // kernel then resets it), so a client busy writing notices either way.
        steps.append(Step{Step::StopReading, {}});
        steps.append(Step{Step::HalfClose, {}});
        steps.append(Step{Step::Wait, {}, 100});
        steps.append(Step{Step::Close, {}});
        break;
    case Fault::Reset:
        steps.append(Step{Step::StopReading, {}});
        steps.append(Step{Step::Reset, {}});
        break;
    case Fault::Garbage:
        write(steps, "garbage\r\n\r\n");
        steps.append(Step{Step::Silence, {}});
        break;
    case Fault::Oversized: {
        // Answered before the body is in, as a server refusing it does; then it reads on and drops
        // the rest (a lingering close) rather than resetting the answer away.
        MockResponse early = response;
        early.setFault(Fault::None, Phase::Body);
        early.setHeader("Connection", "close");
        steps = answer(early, early.body(), false, false);
        steps.removeLast(); // Next: the connection has no next request
        steps.append(Step{Step::Silence, {}});
        break;
    }
    default: steps.append(Step{Step::StopReading, {}}); break;
    }
    return steps;
}

} // namespace MockPlan

} // namespace Courier
