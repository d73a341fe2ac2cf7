// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "streamparsers_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonParseError>
#include <QtCore/QUrl>

#include <cstring>
#include <limits>

namespace Courier {

namespace {

constexpr char Bom[] = "\xEF\xBB\xBF";
constexpr qsizetype BomSize = 3;

// Skips a byte order mark at the start of a stream, which may come in pieces: true once the
// stream is past it (or has none), with \a bytes advanced; false while the bytes so far could
// still be its start (they are then kept in \a pending).
bool skipBom(QByteArrayView &bytes, QByteArray &pending)
{
    while (!bytes.isEmpty() && pending.size() < BomSize && bytes.front() == Bom[pending.size()]) {
        pending.append(bytes.front());
        bytes = bytes.sliced(1);
    }
    if (pending.size() == BomSize) {
        pending.clear();
        return true;
    }
    if (bytes.isEmpty())
        return false; // maybe more of it in the next piece
    // Not a byte order mark after all: what looked like its start is data.
    return true;
}

QString utf8(QByteArrayView bytes)
{
    // Invalid sequences become U+FFFD; a U+FEFF inside the stream stays (only the first is a BOM).
    return QString::fromUtf8(bytes);
}

} // namespace

QString serializedOrigin(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("null");
    QUrl origin;
    origin.setScheme(url.scheme());
    origin.setHost(url.host());
    origin.setPort(url.port());
    return origin.toString(QUrl::FullyEncoded);
}

// --- Server-sent events ---

bool EventStreamParser::feed(QByteArrayView bytes, QList<EventStreamItem> &out)
{
    if (m_tooLarge)
        return false;
    if (!m_started) {
        QByteArray maybeBom = m_line; // a BOM begun in an earlier piece waits in m_line
        m_line.clear();
        m_started = skipBom(bytes, maybeBom);
        if (!m_started) {
            m_line = maybeBom;
            return true;
        }
        if (!maybeBom.isEmpty()) {
            // The bytes taken for a BOM start were the first line's: read them as such.
            m_line = maybeBom;
        }
    }
    while (!bytes.isEmpty()) {
        if (m_afterCR) {
            m_afterCR = false;
            if (bytes.front() == '\n') {
                bytes = bytes.sliced(1);
                continue;
            }
        }
        qsizetype end = 0;
        const qsizetype size = bytes.size();
        const char *data = bytes.data();
        while (end < size && data[end] != '\n' && data[end] != '\r')
            ++end;
        if (end == size) {
            m_line.append(bytes);
            if (!withinLimit()) {
                m_tooLarge = true;
                return false;
            }
            return true;
        }
        m_afterCR = data[end] == '\r';
        if (m_line.isEmpty()) {
            takeLine(bytes.first(end), out);
        } else {
            m_line.append(bytes.first(end));
            const QByteArray line = std::exchange(m_line, QByteArray());
            takeLine(line, out);
        }
        bytes = bytes.sliced(end + 1);
        if (!withinLimit()) {
            m_tooLarge = true;
            return false;
        }
    }
    return true;
}

void EventStreamParser::takeLine(QByteArrayView line, QList<EventStreamItem> &out)
{
    if (line.isEmpty()) {
        dispatch(out);
        return;
    }
    if (line.front() == ':')
        return; // a comment
    QByteArrayView field = line;
    QByteArrayView value;
    if (const qsizetype colon = line.indexOf(':'); colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }
    if (field == "event") {
        m_type = value.toByteArray();
    } else if (field == "data") {
        m_data.append(value);
        m_data.append('\n');
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_id = value.toByteArray();
    } else if (field == "retry") {
        if (value.isEmpty())
            return;
        qint64 msecs = 0;
        for (const char c : value) {
            if (c < '0' || c > '9')
                return;
            msecs = std::min<qint64>(msecs * 10 + (c - '0'), std::numeric_limits<int>::max());
        }
        EventStreamItem item;
        item.kind = EventStreamItem::Retry;
        item.retry = int(msecs);
        out.append(item);
    }
    // Any other field is ignored.
}

void EventStreamParser::dispatch(QList<EventStreamItem> &out)
{
    const QString id = utf8(m_id);
    if (id != m_lastEventId) {
        m_lastEventId = id;
        EventStreamItem item;
        item.kind = EventStreamItem::LastEventId;
        item.text = id;
        out.append(item);
    }
    if (m_data.isEmpty()) {
        m_type.clear();
        return;
    }
    m_data.chop(1); // the LF after the last data field
    EventStreamItem item;
    item.kind = EventStreamItem::Event;
    if (!m_type.isEmpty())
        item.event.type = utf8(m_type);
    item.event.data = utf8(m_data);
    item.event.lastEventId = m_lastEventId;
    item.event.origin = m_origin;
    out.append(std::move(item));
    m_data.clear();
    m_type.clear();
}

void EventStreamParser::finish()
{
    // "If the file ends in the middle of an event, before the final empty line, the incomplete
    // event is not dispatched."
    m_line.clear();
    m_data.clear();
    m_type.clear();
    m_afterCR = false;
}

QString EventStreamParser::tooLargeMessage() const
{
    return QStringLiteral("The event stream sent an event larger than the maximum event size of %1 bytes")
        .arg(m_maximum);
}

// --- JSON lines ---

bool JsonLinesParser::feed(QByteArrayView bytes, QList<JsonLinesItem> &out)
{
    if (m_tooLarge)
        return false;
    if (!m_started) {
        QByteArray maybeBom = m_line;
        m_line.clear();
        m_started = skipBom(bytes, maybeBom);
        m_line = maybeBom;
        if (!m_started)
            return true;
    }
    while (!bytes.isEmpty()) {
        const qsizetype end = bytes.indexOf('\n');
        if (end < 0) {
            m_line.append(bytes);
            if (m_maximum > 0 && m_line.size() > m_maximum) {
                m_tooLarge = true;
                return false;
            }
            return true;
        }
        if (m_maximum > 0 && m_line.size() + end > m_maximum) {
            m_tooLarge = true;
            return false;
        }
        if (m_line.isEmpty()) {
            takeLine(bytes.first(end), out);
        } else {
            m_line.append(bytes.first(end));
            const QByteArray line = std::exchange(m_line, QByteArray());
            takeLine(line, out);
        }
        bytes = bytes.sliced(end + 1);
    }
    return true;
}

void JsonLinesParser::finish(bool clean, QList<JsonLinesItem> &out)
{
    const QByteArray line = std::exchange(m_line, QByteArray());
    if (clean && !m_tooLarge && !line.isEmpty())
        takeLine(line, out);
}

void JsonLinesParser::takeLine(QByteArrayView line, QList<JsonLinesItem> &out)
{
    ++m_number;
    if (line.trimmed().isEmpty())
        return;
    out.append(parseLine(line, m_number));
}

JsonLinesItem JsonLinesParser::parseLine(QByteArrayView line, qint64 number)
{
    JsonLinesItem item;
    item.line = number;
    const QByteArrayView text = line.trimmed();
    if (text.isEmpty()) {
        item.error = QStringLiteral("line %1, column 1: no JSON value").arg(number);
        return item;
    }
    const qint64 indent = line.indexOf(text.front()); // columns count from the line's start
    const auto fail = [&](qint64 offset, const QString &why) {
        item.error = QStringLiteral("line %1, column %2: %3")
                         .arg(number)
                         .arg(std::max<qint64>(1, indent + offset + 1))
                         .arg(why);
        return item;
    };
    QJsonParseError error;
    if (text.front() == '{' || text.front() == '[') {
        const QJsonDocument document = QJsonDocument::fromJson(text.toByteArray(), &error);
        if (error.error != QJsonParseError::NoError)
            return fail(error.offset, error.errorString());
        item.value = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
        return item;
    }
    // Qt parses an object or an array only: a scalar is read as the one element of an array.
    QByteArray wrapped;
    wrapped.reserve(text.size() + 2);
    wrapped.append('[').append(text.data(), text.size()).append(']');
    const QJsonArray array = QJsonDocument::fromJson(wrapped, &error).array();
    if (error.error != QJsonParseError::NoError)
        return fail(error.offset - 1, error.errorString());
    if (array.size() != 1)
        return fail(text.indexOf(','), QStringLiteral("more than one JSON value"));
    item.value = array.at(0);
    return item;
}

QString JsonLinesParser::tooLargeMessage() const
{
    return QStringLiteral("The JSON lines stream sent line %1 longer than the maximum line size of %2 bytes")
        .arg(m_number + 1)
        .arg(m_maximum);
}

} // namespace Courier
