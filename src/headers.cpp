// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "headers_p.h"

#include <QtCore/QLocale>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>

namespace Courier::Headers {

namespace {

// One decimal number of at most 18 digits: it fits a qint64.
bool isDigits(QByteArrayView number)
{
    return !number.isEmpty() && number.size() <= 18
        && std::all_of(number.cbegin(), number.cend(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isNeverSplit(const QByteArray &lowerName)
{
    // Fields whose value is a single item that may itself contain commas.
    static const char *const names[] = {
        "age",
        "authorization",
        "content-disposition",
        "content-length",
        "content-location",
        "content-range",
        "content-type",
        "date",
        "etag",
        "expires",
        "host",
        "if-modified-since",
        "if-range",
        "if-unmodified-since",
        "last-modified",
        "location",
        "proxy-authenticate",
        "proxy-authorization",
        "referer",
        "retry-after",
        "server",
        "user-agent",
        "www-authenticate",
    };
    return std::any_of(std::begin(names), std::end(names), [&](const char *n) { return lowerName == n; });
}

} // namespace

QString framingProblem(const QByteArray &contentLength, bool hasContentLength, bool hasTransferEncoding)
{
    if (!hasContentLength)
        return {};
    if (hasTransferEncoding)
        return QStringLiteral("the response has both Transfer-Encoding and Content-Length");
    if (isDigits(contentLength))
        return {}; // the usual: one number, nothing to split
    QByteArray first;
    for (const QByteArray &part : contentLength.split(',')) {
        const QByteArray number = part.trimmed();
        if (!isDigits(number) || (!first.isNull() && number != first)) {
            return QStringLiteral("Content-Length \"%1\" is not one length")
                .arg(QString::fromLatin1(contentLength.left(64).toPercentEncoding(" ,")));
        }
        first = number;
    }
    return {};
}

QList<QByteArray> splitValues(const QByteArray &name, const QByteArray &value)
{
    const QByteArray lower = name.toLower();
    QList<QByteArray> out;
    if (lower == "set-cookie") {
        for (const QByteArray &part : value.split('\n')) {
            const QByteArray t = part.trimmed();
            if (!t.isEmpty())
                out.append(t);
        }
        return out;
    }
    if (isNeverSplit(lower)) {
        out.append(value);
        return out;
    }
    QByteArray current;
    bool quoted = false;
    bool escaped = false;
    for (const char c : value) {
        if (escaped) {
            escaped = false;
        } else if (quoted && c == '\\') {
            escaped = true;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            current = current.trimmed();
            if (!current.isEmpty())
                out.append(current);
            current.clear();
            continue;
        }
        current.append(c);
    }
    current = current.trimmed();
    if (!current.isEmpty())
        out.append(current);
    return out;
}

QByteArray charsetOf(const QByteArray &contentType)
{
    const QList<QByteArray> params = contentType.split(';');
    for (qsizetype i = 1; i < params.size(); ++i) {
        const QByteArray param = params.at(i).trimmed();
        const qsizetype eq = param.indexOf('=');
        if (eq < 0 || param.left(eq).trimmed().toLower() != "charset")
            continue;
        QByteArray charset = param.mid(eq + 1).trimmed();
        if (charset.startsWith('"')) {
            // A quoted-string (RFC 9110 section 5.6.4): up to the closing quote, escapes undone.
            QByteArray unquoted;
            for (qsizetype at = 1; at < charset.size() && charset.at(at) != '"'; ++at) {
                if (charset.at(at) == '\\' && at + 1 < charset.size())
                    ++at;
                unquoted += charset.at(at);
            }
            charset = unquoted;
        }
        return charset.toLower();
    }
    return {};
}

QDateTime parseHttpDate(const QByteArray &value)
{
    const QString text = QString::fromLatin1(value).simplified();
    const QLocale c = QLocale::c();
    // IMF-fixdate, then the obsolete RFC 850 and asctime forms every recipient must accept.
    static const char *const formats[] = {"ddd, dd MMM yyyy hh:mm:ss 'GMT'", "dddd, dd-MMM-yy hh:mm:ss 'GMT'",
                                          "ddd MMM d hh:mm:ss yyyy"};
    for (const char *format : formats) {
        QDateTime parsed = c.toDateTime(text, QString::fromLatin1(format));
        if (!parsed.isValid())
            continue;
        parsed.setTimeSpec(Qt::UTC);
        if (parsed.date().year() < 1970) // a two-digit RFC 850 year is of this century
            parsed = parsed.addYears(100);
        return parsed;
    }
    return {};
}

qint64 retryAfterMsecs(const QByteArray &value, const QDateTime &now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return -1;
    if (std::all_of(trimmed.cbegin(), trimmed.cend(), [](char c) { return c >= '0' && c <= '9'; })) {
        constexpr qint64 Largest = qint64(std::numeric_limits<int>::max()) * 1000;
        if (trimmed.size() > 10)
            return Largest;
        return std::min(trimmed.toLongLong() * 1000, Largest);
    }
    const QDateTime when = parseHttpDate(trimmed);
    if (!when.isValid())
        return -1;
    return std::max<qint64>(0, now.msecsTo(when));
}

QByteArray mimeTypeOf(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
}

QString printable(const QByteArray &bytes)
{
    QString out;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (u == '\r')
            out += QLatin1String("\\r");
        else if (u == '\n')
            out += QLatin1String("\\n");
        else if (u < 0x20 || u >= 0x7f)
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        else
            out += QLatin1Char(c);
    }
    return out;
}

Summary Summary::of(const QList<QPair<QByteArray, QByteArray>> &fields)
{
    Summary out;
    // \a lower: a name in lower case, of the size of \a name. Inline: qstrnicmp() costs ten times more.
    const auto is = [](const QByteArray &name, QByteArrayView lower) {
        return std::equal(name.cbegin(), name.cend(), lower.cbegin(),
                          [](char c, char l) { return (c >= 'A' && c <= 'Z' ? char(c + 32) : c) == l; });
    };
    for (const auto &[name, value] : fields) {
        out.size += name.size() + value.size() + 4;
        switch (name.size()) { // most fields are none of these: told apart by their length
        case 14:
            if (!out.hasContentLength && is(name, "content-length")) {
                out.contentLength = value;
                out.hasContentLength = true;
            }
            break;
        case 17:
            if (!out.hasTransferEncoding && is(name, "transfer-encoding")) {
                out.transferEncoding = value;
                out.hasTransferEncoding = true;
            }
            break;
        case 16:
            if (out.contentEncoding.isNull() && is(name, "content-encoding"))
                out.contentEncoding = value.isNull() ? QByteArray("") : value;
            break;
        case 10:
            if (out.setCookie.isNull() && is(name, "set-cookie"))
                out.setCookie = value.isNull() ? QByteArray("") : value;
            break;
        default: break;
        }
    }
    return out;
}

qint64 announcedLength(const Summary &fields)
{
    if (!fields.hasContentLength
        || (fields.hasTransferEncoding && fields.transferEncoding.toLower().contains("chunked")))
        return -1;
    if (isDigits(fields.contentLength)) { // the usual: read here, without QByteArray's number parsing
        qint64 n = 0;
        for (const char c : fields.contentLength)
            n = n * 10 + (c - '0');
        return n;
    }
    bool ok = false;
    const qint64 n = fields.contentLength.trimmed().toLongLong(&ok);
    return ok && n >= 0 ? n : -1;
}

bool isIdentityCoding(const QByteArray &contentEncoding)
{
    const QByteArray coding = contentEncoding.trimmed();
    return coding.isEmpty() || coding.compare("identity", Qt::CaseInsensitive) == 0;
}

namespace {
bool hasBareCarriageReturn(const QByteArray &value)
{
    // Run on every value of every response: the C library's scans, not two QByteArray::contains().
    const auto size = size_t(value.size());
    return std::memchr(value.constData(), '\r', size) || qstrnlen(value.constData(), size) != size;
}
} // namespace

QByteArray withoutBareCarriageReturns(const QByteArray &value)
{
    if (!hasBareCarriageReturn(value))
        return value;
    QByteArray clean = value;
    clean.replace('\r', ' ').replace('\0', ' ');
    return clean;
}

QList<QPair<QByteArray, QByteArray>> withoutBareCarriageReturns(const QList<QPair<QByteArray, QByteArray>> &fields)
{
    QList<QPair<QByteArray, QByteArray>> out = fields;
    for (qsizetype i = 0; i < out.size(); ++i) {
        if (hasBareCarriageReturn(out.at(i).second)) // the list is copied only for a value to clean
            out[i].second = withoutBareCarriageReturns(out.at(i).second);
    }
    return out;
}

} // namespace Courier::Headers
