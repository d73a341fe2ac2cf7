#include "Courier/cookiejar.h"

#include "logging_p.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>

#include <algorithm>

namespace Courier {

namespace {

QString absolute(const QString &fileName)
{
    return QFileInfo(fileName).absoluteFilePath();
}

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

// A cookie's identity in the jar (RFC 6265 section 5.3 step 11): name, domain and path.
QString identity(const QNetworkCookie &cookie)
{
    return QString::fromLatin1(cookie.name()) + QChar(0) + cookie.domain() + QChar(0) + cookie.path();
}

QString originOf(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return scheme + QLatin1Char(':') + QString::number(url.port(scheme == QLatin1String("https") ? 443 : 80));
}

} // namespace

CookieJar::CookieJar(QObject *parent)
    : QNetworkCookieJar(parent)
{
}

CookieJar::~CookieJar() = default;

QList<QNetworkCookie> CookieJar::cookies() const { return allCookies(); }

void CookieJar::setCookies(const QList<QNetworkCookie> &cookies)
{
    m_origins.clear();
    setAllCookies(cookies);
}

void CookieJar::clear() { setCookies({}); }

bool CookieJar::setCookiesFromUrl(const QList<QNetworkCookie> &cookieList, const QUrl &url)
{
    bool stored = false;
    for (const QNetworkCookie &cookie : cookieList) {
        // One at a time, to know which ones QNetworkCookieJar accepted.
        if (!QNetworkCookieJar::setCookiesFromUrl({cookie}, url))
            continue;
        stored = true;
        QNetworkCookie normalized = cookie;
        normalized.normalize(url); // the domain and path the jar stored it under
        m_origins.insert(identity(normalized), originOf(url));
    }
    return stored;
}

QList<QNetworkCookie> CookieJar::cookiesForUrl(const QUrl &url) const
{
    QList<QNetworkCookie> out = QNetworkCookieJar::cookiesForUrl(url);
    const QString origin = originOf(url);
    out.removeIf([&](const QNetworkCookie &cookie) {
        const auto bound = m_origins.constFind(identity(cookie));
        return bound != m_origins.cend() && *bound != origin;
    });
    return out;
}

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
    QString why;
    bool ok = false;
    const QList<QNetworkCookie> loaded = fromNetscapeFormat(file.readAll(), &why, &ok);
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
        insertCookie(cookie); // replaces a cookie with the same name, domain and path
        m_origins.remove(identity(cookie));
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
    for (const QNetworkCookie &cookie : allCookies()) {
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
