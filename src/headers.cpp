#include "headers_p.h"

#include <algorithm>
#include <iterator>

namespace Courier::Headers {

namespace {

bool isNeverSplit(const QByteArray &lowerName)
{
    // Fields whose value is a single item that may itself contain commas.
    static const char *const names[] = {
        "age", "authorization", "content-disposition", "content-length", "content-location",
        "content-range", "content-type", "date", "etag", "expires", "host", "if-modified-since",
        "if-range", "if-unmodified-since", "last-modified", "location", "proxy-authenticate",
        "proxy-authorization", "referer", "retry-after", "server", "user-agent", "www-authenticate",
    };
    return std::any_of(std::begin(names), std::end(names),
                       [&](const char *n) { return lowerName == n; });
}

} // namespace

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
        if (charset.size() >= 2 && charset.startsWith('"') && charset.endsWith('"'))
            charset = charset.mid(1, charset.size() - 2);
        return charset.toLower();
    }
    return {};
}

QByteArray mimeTypeOf(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
}

QString redacted(const QUrl &url)
{
    return url.toDisplayString(QUrl::RemoveUserInfo);
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    const auto defaultPort = [](const QUrl &u) { return u.scheme() == QLatin1String("https") ? 443 : 80; };
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0
        && a.host().compare(b.host(), Qt::CaseInsensitive) == 0
        && a.port(defaultPort(a)) == b.port(defaultPort(b));
}

QByteArray encodeQuery(const QList<QPair<QString, QString>> &items)
{
    QByteArray out;
    for (const auto &[key, value] : items) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key);
        out += '=';
        out += QUrl::toPercentEncoding(value);
    }
    return out;
}

} // namespace Courier::Headers
