// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "Courier/cookiejar.h"

#include "logging_p.h"
#include "url_p.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>
#include <QtNetwork/QHostAddress>

#include <algorithm>

namespace Courier {

namespace {

QString absolute(const QString &fileName) { return QFileInfo(fileName).absoluteFilePath(); }

bool parseFlag(const QByteArray &field, bool *value)
{
    if (field.compare("TRUE", Qt::CaseInsensitive) == 0)
        *value = true;
    else if (field.compare("FALSE", Qt::CaseInsensitive) == 0)
        *value = false;
    else
        return false;
    return true;
}

bool expired(const QNetworkCookie &cookie, const QDateTime &now)
{
    return !cookie.isSessionCookie() && cookie.expirationDate() <= now;
}

// A cookie's identity in the jar (RFC 6265 section 5.3 step 11): name, domain and path. Qt's
// domain carries the host-only flag: a leading dot for a domain cookie, none for a host-only one.
QString identity(const QNetworkCookie &cookie)
{
    return QString::fromLatin1(cookie.name()) + QChar(0) + cookie.domain() + QChar(0) + cookie.path();
}

QString originOf(const QUrl &url)
{
    return url.scheme().toLower() + QLatin1Char(':') + QString::number(Url::effectivePort(url));
}

QString domainKey(const QNetworkCookie &cookie)
{
    const QString domain = cookie.domain();
    return domain.startsWith(QLatin1Char('.')) ? domain.mid(1) : domain;
}

// RFC 6265 section 5.1.4, as Qt has it.
bool pathMatches(const QString &path, const QString &cookiePath)
{
    if (path.isEmpty() && cookiePath == QLatin1String("/"))
        return true;
    if (!path.startsWith(cookiePath))
        return false;
    return path.size() == cookiePath.size() || cookiePath.endsWith(QLatin1Char('/'))
        || path.at(cookiePath.size()) == QLatin1Char('/');
}

// RFC 6265 section 5.1.3: a host-only cookie goes to its host only; a domain cookie (".d") to d
// and the hosts below it, never to an IP address other than d itself.
bool domainMatches(const QString &host, const QString &cookieDomain)
{
    if (!cookieDomain.startsWith(QLatin1Char('.')))
        return host.compare(cookieDomain, Qt::CaseInsensitive) == 0;
    const QStringView bare = QStringView(cookieDomain).mid(1);
    if (host.compare(bare, Qt::CaseInsensitive) == 0)
        return true;
    return !QHostAddress(host).isNull() ? false : host.endsWith(cookieDomain, Qt::CaseInsensitive);
}

// Why a response from \a url may not set \a cookie (as parsed, not normalized); empty when it may.
bool hasControl(const QByteArray &bytes)
{
    return std::any_of(bytes.cbegin(), bytes.cend(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

QString refusal(const QNetworkCookie &cookie, const QUrl &url)
{
    if (cookie.name().size() + cookie.value().size() > CookieJar::MaximumCookieSize)
        return QStringLiteral("larger than %1 bytes").arg(CookieJar::MaximumCookieSize);
    // RFC 6265 section 4.1.1: no control character in a cookie; it would go back out in a
    // Cookie header, where a CR or LF ends the line.
    if (hasControl(cookie.name()) || hasControl(cookie.value()))
        return QStringLiteral("a control character in its name or value");
    const bool secureOrigin = url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    if (cookie.isSecure() && !secureOrigin)
        return QStringLiteral("Secure, from an http origin");
    // RFC 6265bis section 4.1.3: the cookie prefixes.
    const bool securePrefix = cookie.name().startsWith("__Secure-");
    const bool hostPrefix = cookie.name().startsWith("__Host-");
    if ((securePrefix || hostPrefix) && (!cookie.isSecure() || !secureOrigin))
        return QStringLiteral("a __Secure- or __Host- cookie without Secure over https");
    if (hostPrefix && (!cookie.domain().isEmpty() || cookie.path() != QLatin1String("/")))
        return QStringLiteral("a __Host- cookie with a Domain or a Path other than /");
    // RFC 6265 section 5.1.3: an IP address domain-matches itself only.
    const QString host = url.host();
    if (!QHostAddress(host).isNull() && !cookie.domain().isEmpty()) {
        const QString domain = cookie.domain().startsWith(QLatin1Char('.')) ? cookie.domain().mid(1) : cookie.domain();
        if (domain.compare(host, Qt::CaseInsensitive) != 0)
            return QStringLiteral("a Domain attribute from a server reached by IP address");
    }
    return {};
}

} // namespace

CookieJar::CookieJar(QObject *parent)
    : QNetworkCookieJar(parent)
{
}

CookieJar::~CookieJar() = default;

QList<QNetworkCookie> CookieJar::cookies() const
{
    QList<QNetworkCookie> out;
    out.reserve(qsizetype(m_byAge.size()));
    for (const auto &[order, key] : m_byAge) {
        for (const Stored &stored : m_cookies.value(key)) {
            if (stored.order == order)
                out.append(stored.cookie);
        }
    }
    return out;
}

void CookieJar::setCookies(const QList<QNetworkCookie> &cookies)
{
    m_cookies.clear();
    m_byAge.clear();
    m_perDomain.clear();
    for (const QNetworkCookie &cookie : cookies)
        insertCookie(cookie);
}

void CookieJar::clear() { setCookies({}); }

void CookieJar::removeAt(const QString &key, qsizetype index)
{
    auto it = m_cookies.find(key);
    const Stored gone = it->takeAt(index);
    if (it->isEmpty())
        m_cookies.erase(it);
    m_byAge.erase(gone.order);
    const QString domain = domainKey(gone.cookie);
    auto orders = m_perDomain.find(domain);
    orders->erase(gone.order);
    if (orders->empty())
        m_perDomain.erase(orders);
}

void CookieJar::removeOrder(quint64 order)
{
    const auto found = m_byAge.find(order);
    if (found == m_byAge.end())
        return;
    const QString key = found->second;
    const QList<Stored> list = m_cookies.value(key);
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (list.at(i).order == order) {
            removeAt(key, i);
            return;
        }
    }
}

bool CookieJar::removeAll(const QNetworkCookie &cookie)
{
    const QString key = identity(cookie);
    const auto it = m_cookies.constFind(key);
    if (it == m_cookies.cend())
        return false;
    for (qsizetype i = it->size() - 1; i >= 0; --i)
        removeAt(key, i);
    return true;
}

bool CookieJar::store(const QNetworkCookie &cookie, const QString &origin)
{
    const QString key = identity(cookie);
    // A Set-Cookie replaces (or deletes) the cookie of its own origin and one that has none;
    // the same cookie from another scheme or port is another cookie.
    if (auto it = m_cookies.find(key); it != m_cookies.end()) {
        for (qsizetype i = it->size() - 1; i >= 0; --i) {
            const QString &bound = it->at(i).origin;
            if (origin.isNull() || bound.isEmpty() || bound == origin) {
                removeAt(key, i);
                it = m_cookies.find(key);
                if (it == m_cookies.end())
                    break;
            }
        }
    }
    if (expired(cookie, QDateTime::currentDateTimeUtc()))
        return false; // a deletion
    Stored stored;
    stored.cookie = cookie;
    stored.origin = origin.isNull() ? QString() : origin;
    stored.order = m_next++;
    m_cookies[key].append(stored);
    m_byAge.emplace(stored.order, key);
    const QString domain = domainKey(cookie);
    m_perDomain[domain].insert(stored.order);
    enforceLimits(domain);
    return true;
}

void CookieJar::enforceLimits(const QString &domain)
{
    const auto domainCount = [&] {
        const auto it = m_perDomain.constFind(domain);
        return it == m_perDomain.cend() ? 0 : int(it->size());
    };
    if (domainCount() <= MaximumCookiesPerDomain && int(m_byAge.size()) <= MaximumCookies)
        return;
    // Expired cookies go first (RFC 6265 section 5.3): swept at most once a second, as a sweep
    // looks at every cookie; then the oldest, of the domain past its share or of all.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (now.toMSecsSinceEpoch() - m_lastPurge >= 1000) {
        m_lastPurge = now.toMSecsSinceEpoch();
        QList<quint64> stale;
        for (const QList<Stored> &list : std::as_const(m_cookies)) {
            for (const Stored &stored : list) {
                if (expired(stored.cookie, now))
                    stale.append(stored.order);
            }
        }
        for (const quint64 order : std::as_const(stale))
            removeOrder(order);
    }
    while (domainCount() > MaximumCookiesPerDomain)
        removeOrder(*m_perDomain.constFind(domain)->begin());
    while (int(m_byAge.size()) > MaximumCookies)
        removeOrder(m_byAge.begin()->first);
}

bool CookieJar::setCookiesFromUrl(const QList<QNetworkCookie> &cookieList, const QUrl &url)
{
    bool stored = false;
    const QString origin = originOf(url);
    for (const QNetworkCookie &cookie : cookieList) {
        const QString why = refusal(cookie, url);
        if (!why.isEmpty()) {
            qCDebug(lcClient) << "cookie" << cookie.name() << "from" << url.host() << "ignored:" << why;
            continue;
        }
        QNetworkCookie normalized = cookie;
        normalized.normalize(url); // once: a host-only cookie keeps a domain without a leading dot
        // Domain-match and public suffixes, as Qt checks them.
        if (!validateCookie(normalized, url)) {
            qCDebug(lcClient) << "cookie" << cookie.name() << "from" << url.host() << "ignored: its domain"
                              << normalized.domain() << "does not match";
            continue;
        }
        stored = store(normalized, origin) || stored;
    }
    return stored;
}

QList<QNetworkCookie> CookieJar::cookiesForUrl(const QUrl &url) const
{
    if (m_cookies.isEmpty())
        return {}; // asked before every request: nothing to work out for an empty jar
    const QString origin = originOf(url);
    const QString host = url.host();
    const QString path = url.path();
    const bool secure = url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<const Stored *> chosen;
    for (const QList<Stored> &list : m_cookies) {
        for (const Stored &stored : list) {
            const QNetworkCookie &cookie = stored.cookie;
            if (!stored.origin.isEmpty() && stored.origin != origin)
                continue;
            if (!domainMatches(host, cookie.domain()) || !pathMatches(path, cookie.path()))
                continue;
            if ((cookie.isSecure() && !secure) || expired(cookie, now))
                continue;
            // A cookie put in for a public suffix (".com") goes to that name only.
            if (cookie.domain().startsWith(QLatin1Char('.')) && !validateCookie(cookie, url))
                continue;
            chosen.append(&stored);
        }
    }
    std::sort(chosen.begin(), chosen.end(), [](const Stored *a, const Stored *b) {
        if (a->cookie.path().size() != b->cookie.path().size())
            return a->cookie.path().size() > b->cookie.path().size();
        return a->order < b->order;
    });
    QList<QNetworkCookie> out;
    out.reserve(chosen.size());
    for (const Stored *stored : std::as_const(chosen))
        out.append(stored->cookie);
    return out;
}

bool CookieJar::insertCookie(const QNetworkCookie &cookie)
{
    removeAll(cookie);
    return store(cookie, QString());
}

bool CookieJar::updateCookie(const QNetworkCookie &cookie)
{
    if (!removeAll(cookie))
        return false;
    return insertCookie(cookie);
}

bool CookieJar::deleteCookie(const QNetworkCookie &cookie) { return removeAll(cookie); }

QString CookieJar::errorString() const { return m_errorString; }

QList<QNetworkCookie> CookieJar::fromNetscapeFormat(const QByteArray &data, QString *errorString, bool *ok)
{
    const auto fail = [&](int line, const QString &why) {
        if (errorString)
            *errorString = QStringLiteral("line %1: %2").arg(line).arg(why);
        if (ok)
            *ok = false;
        return QList<QNetworkCookie>();
    };
    QList<QNetworkCookie> cookies;
    const QList<QByteArray> lines = data.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int number = int(i + 1);
        QByteArray line = lines.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        bool httpOnly = false;
        if (line.startsWith("#HttpOnly_")) {
            httpOnly = true;
            line = line.mid(10);
        } else if (line.startsWith('#') || line.trimmed().isEmpty()) {
            continue;
        }
        const QList<QByteArray> fields = line.split('\t');
        // curl writes a cookie with an empty value as six fields when the value is missing.
        if (fields.size() != 7 && fields.size() != 6)
            return fail(number, QStringLiteral("expected 7 tab-separated fields, found %1").arg(fields.size()));
        QByteArray domain = fields.at(0);
        bool subdomains = false;
        bool secure = false;
        if (domain.isEmpty() || domain == ".")
            return fail(number, QStringLiteral("the domain is empty"));
        // A host name has no '#', '/', '\\' nor blanks; a domain starting with '#' would also be
        // written back as a comment or an HttpOnly marker.
        if (std::any_of(domain.cbegin(), domain.cend(), [](char c) {
                return c == '#' || c == '/' || c == '\\' || static_cast<unsigned char>(c) <= ' ';
            }))
            return fail(number, QStringLiteral("the domain is not a host name"));
        if (!parseFlag(fields.at(1), &subdomains))
            return fail(number, QStringLiteral("the subdomain field must be TRUE or FALSE"));
        const QByteArray path = fields.at(2);
        if (!path.startsWith('/'))
            return fail(number, QStringLiteral("the path must start with /"));
        if (!parseFlag(fields.at(3), &secure))
            return fail(number, QStringLiteral("the secure field must be TRUE or FALSE"));
        bool numeric = false;
        const qint64 expiry = fields.at(4).toLongLong(&numeric);
        if (!numeric || expiry < 0)
            return fail(number, QStringLiteral("the expiry must be seconds since 1970 (0 for a session cookie)"));
        const QByteArray name = fields.at(5);
        if (name.isEmpty())
            return fail(number, QStringLiteral("the cookie has no name"));
        const QByteArray value = fields.size() == 7 ? fields.at(6) : QByteArray();
        // RFC 6265 cookie octets exclude control characters; a CR at the end of a value would
        // also not survive being written back with a CR LF line end (found by fuzz_cookies_txt).
        const auto control = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; };
        if (std::any_of(name.cbegin(), name.cend(), control) || std::any_of(value.cbegin(), value.cend(), control))
            return fail(number, QStringLiteral("the cookie's name or value has a control character"));

        if (domain.startsWith('.'))
            domain = domain.mid(1);
        if (domain.isEmpty() || domain.startsWith('.')) // found by fuzz_cookies_txt: ".." wrote back as "."
            return fail(number, QStringLiteral("the domain is not a host name"));
        QNetworkCookie cookie(name, value);
        // Qt marks a cookie for subdomains with a leading dot; a host-only cookie has none.
        cookie.setDomain(QString::fromUtf8(subdomains ? '.' + domain : domain));
        cookie.setPath(QString::fromUtf8(path));
        cookie.setSecure(secure);
        cookie.setHttpOnly(httpOnly);
        if (expiry > 0)
            cookie.setExpirationDate(QDateTime::fromSecsSinceEpoch(expiry, Qt::UTC));
        cookies.append(cookie);
    }
    if (errorString)
        errorString->clear();
    if (ok)
        *ok = true;
    return cookies;
}

QByteArray CookieJar::toNetscapeFormat(const QList<QNetworkCookie> &cookies)
{
    QByteArray out = "# Netscape HTTP Cookie File\n"
                     "# https://curl.se/docs/http-cookies.html\n"
                     "# Written by Courier; curl -b and -c read and write this format.\n\n";
    for (const QNetworkCookie &cookie : cookies) {
        const QByteArray domain = cookie.domain().toUtf8();
        const bool subdomains = domain.startsWith('.');
        if (cookie.isHttpOnly())
            out += "#HttpOnly_";
        out += domain;
        out += subdomains ? "\tTRUE\t" : "\tFALSE\t";
        out += cookie.path().isEmpty() ? QByteArray("/") : cookie.path().toUtf8();
        out += cookie.isSecure() ? "\tTRUE\t" : "\tFALSE\t";
        out += QByteArray::number(cookie.isSessionCookie() ? 0 : cookie.expirationDate().toSecsSinceEpoch());
        out += '\t';
        out += cookie.name();
        out += '\t';
        out += cookie.value();
        out += '\n';
    }
    return out;
}

bool CookieJar::load(const QString &fileName)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        m_errorString = QStringLiteral("Cannot read cookies from %1: %2").arg(fileName, file.errorString());
        // A file that is not there holds no cookies to lose: save() may create it (a first run).
        if (file.exists())
            m_unreadable.insert(absolute(fileName));
        return false;
    }
    // A cookies.txt is small; /dev/zero or a runaway file is refused before it fills memory.
    const QByteArray data = file.read(MaximumFileSize + 1);
    if (data.size() > MaximumFileSize) {
        m_errorString
            = QStringLiteral("%1 is not a cookies.txt file: larger than %2 bytes").arg(fileName).arg(MaximumFileSize);
        m_unreadable.insert(absolute(fileName));
        return false;
    }
    QString why;
    bool ok = false;
    const QList<QNetworkCookie> loaded = fromNetscapeFormat(data, &why, &ok);
    if (!ok) {
        m_errorString = QStringLiteral("%1 is not a cookies.txt file: %2").arg(fileName, why);
        m_unreadable.insert(absolute(fileName));
        return false;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    int added = 0;
    for (const QNetworkCookie &cookie : loaded) {
        if (expired(cookie, now))
            continue;
        insertCookie(cookie); // replaces the cookies with the same name, domain and path
        ++added;
    }
    qCDebug(lcClient) << "loaded" << added << "cookies from" << fileName;
    m_unreadable.remove(absolute(fileName));
    m_errorString.clear();
    return true;
}

bool CookieJar::save(const QString &fileName) const
{
    if (m_unreadable.contains(absolute(fileName))) {
        m_errorString = QStringLiteral("Not overwriting %1: it could not be loaded, and its cookies would be lost")
                            .arg(fileName);
        return false;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<QNetworkCookie> live;
    for (const QNetworkCookie &cookie : cookies()) {
        if (!expired(cookie, now))
            live.append(cookie);
    }
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(toNetscapeFormat(live)) < 0 || !file.commit()) {
        m_errorString = QStringLiteral("Cannot save cookies to %1: %2").arg(fileName, file.errorString());
        return false;
    }
    m_errorString.clear();
    return true;
}

} // namespace Courier
