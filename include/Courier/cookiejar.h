// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/courier_export.h>

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtNetwork/QNetworkCookie>
#include <QtNetwork/QNetworkCookieJar>

#include <map>
#include <set>

namespace Courier {

/*!
    \class Courier::CookieJar
    \brief The Client's cookie jar: RFC 6265's rules, cookies bound to their origin, bounded in
    size, plus curl's cookies.txt files.

    Every Client has one, in memory, until the application gives it another
    (Client::setCookieJar()). A cookie is accepted (setCookiesFromUrl()) and sent (cookiesForUrl())
    as RFC 6265 says: without a Domain attribute it is host-only and goes back to that very host,
    never to its subdomains; with one, the attribute must domain-match the server and not be a
    public suffix (Qt's list), and the cookie then also goes to the subdomains. Path scopes it,
    Secure cookies only go over https, expired cookies are dropped, and a Set-Cookie with
    \c Max-Age or \c Expires replaces or deletes an earlier one. HttpOnly and SameSite are kept on
    the cookie; a client without scripts or a notion of a "site" has nothing more to do with them,
    as in Qt.

    What a server may not set, and is ignored (logged at debug level in \c courier.client):
    - a cookie with a Domain attribute from a server reached by IP address, unless the attribute
      is that very address (RFC 6265 section 5.1.3: an IP address only domain-matches itself);
    - a Secure cookie over http, and a cookie whose name starts with \c __Secure- or \c __Host-
      without the attributes those prefixes demand (RFC 6265bis);
    - a cookie whose name and value are longer than MaximumCookieSize bytes together.

    ### Cookies stay with the scheme and port that set them

    RFC 6265 ignores ports and, without Secure, schemes: a cookie set by http://127.0.0.1:8080
    would go to http://127.0.0.1:9090 too, another server on the same machine. This jar binds
    each cookie it receives (setCookiesFromUrl()) to the scheme and port of the response that
    set it, as Chrome's origin-bound cookies do, and cookiesForUrl() leaves it out for any other
    scheme or port. A Set-Cookie from another scheme or port is another cookie: it neither
    replaces nor deletes this one (so http://h:9090 cannot overwrite what https://h set). So a
    redirect to another port or from https to http never carries the first server's cookies.
    Domain and Path still widen and narrow a cookie as RFC 6265 says. Cookies put in with
    setCookies(), insertCookie() or load() have no origin (cookies.txt has no field for one) and
    go to every port, as in curl; a Set-Cookie from any origin replaces such a cookie. A plain
    QNetworkCookieJar given to Client::setCookieJar() follows Qt's rules alone.

    ### Bounded

    The jar holds at most MaximumCookiesPerDomain cookies per domain and MaximumCookies in all,
    the limits browsers use; past them, expired cookies go first, then the oldest. A chain of
    redirects from a hostile server thus cannot fill memory with cookies. load() reads files of at
    most MaximumFileSize bytes.

    ### cookies.txt

    load() and save() read and write the Netscape format that curl uses for `-b` and
    `-c`, so cookies can be shared with curl and with tools that speak it: one cookie per line,
    seven fields separated by tabs (domain, include subdomains, path, secure, expiry in seconds
    since the epoch with 0 for a session cookie, name, value), `#HttpOnly_` before the domain
    of an HttpOnly cookie, other `#` lines comments. SameSite has no field in that format and is
    not saved.

    Neither loses data: load() of a malformed file changes nothing in the jar and names the line
    and the fault in errorString(); save() writes a temporary file and only replaces the old one
    when the new one is complete (QSaveFile), and refuses to overwrite a file that load() could not
    read, so a file this jar did not understand is never replaced by a partial copy. A file that
    does not exist yet is no such file: load() fails, and save() creates it.

    ### Storage

    The jar keeps its cookies itself: QNetworkCookieJar's protected allCookies() and
    setAllCookies() are not used (cookies() and setCookies() are the jar's own). Storing and
    looking up cost O(1) per cookie stored, O(n) per request in the number of cookies held.

    ### Threads and ownership

    A CookieJar is a QObject of the thread it lives in, used by the Clients of that thread.
    Client::setCookieJar() does not take ownership.
*/
class COURIER_EXPORT CookieJar : public QNetworkCookieJar
{
    Q_OBJECT

public:
    /*! Cookies kept per domain (the cookie's Domain, or its host): 180, as in Chrome and Firefox. */
    static constexpr int MaximumCookiesPerDomain = 180;
    /*! Cookies kept in all: 3000, RFC 6265's minimum and Firefox's limit. */
    static constexpr int MaximumCookies = 3000;
    /*! The longest name and value of a cookie, together: 4096 bytes (RFC 6265bis). */
    static constexpr int MaximumCookieSize = 4096;
    /*! The largest cookies.txt load() reads: 16 MiB, far more than MaximumCookies fill. */
    static constexpr qint64 MaximumFileSize = 16 * 1024 * 1024;

    /*! An empty jar, child of \a parent. */
    explicit CookieJar(QObject *parent = nullptr);
    ~CookieJar() override;

    /*! Every cookie in the jar, expired ones included until the jar drops them. */
    QList<QNetworkCookie> cookies() const;
    /*! Replaces every cookie in the jar with \a cookies. */
    void setCookies(const QList<QNetworkCookie> &cookies);
    /*! Removes every cookie. */
    void clear();

    /*!
        Adds the cookies of the Netscape-format file \a fileName to the jar, replacing cookies
        with the same name, domain and path; cookies already expired are skipped. Returns false,
        with errorString() set and the jar unchanged, when the file cannot be read, is larger
        than MaximumFileSize, or a line is malformed.
    */
    bool load(const QString &fileName);
    /*!
        Writes every cookie that has not expired, session cookies included (as curl does), to
        \a fileName in the Netscape format, atomically. Returns false, with errorString() set and
        any existing file untouched, when it cannot be written or when an earlier load() of that
        file failed.
    */
    bool save(const QString &fileName) const;
    /*!
        Stores the cookies of \a cookieList that the response from \a url may set, as they came
        from Set-Cookie (not normalized: the jar does it), each bound to the scheme and port of
        \a url. Returns whether any was stored.
    */
    bool setCookiesFromUrl(const QList<QNetworkCookie> &cookieList, const QUrl &url) override;
    /*!
        The cookies to send to \a url: those whose domain and path match it, Secure ones only over
        https, bound to its scheme and port or to none; longer paths first, then older first.
    */
    QList<QNetworkCookie> cookiesForUrl(const QUrl &url) const override;
    /*!
        Adds \a cookie with no origin, replacing every cookie with its name, domain and path
        (from any origin); an expired \a cookie only deletes them. Returns whether it was added.
    */
    bool insertCookie(const QNetworkCookie &cookie) override;
    /*! Replaces the cookies with the name, domain and path of \a cookie; false when there were none. */
    bool updateCookie(const QNetworkCookie &cookie) override;
    /*! Deletes the cookies with the name, domain and path of \a cookie, from any origin. */
    bool deleteCookie(const QNetworkCookie &cookie) override;

    /*! Why the last load() or save() failed; empty after a success. */
    QString errorString() const;

    /*!
        Parses the Netscape cookie format. On a malformed line it returns an empty list and, when
        \a errorString is given, says which line and why; \a ok tells an empty file from an error.
        Expired cookies are kept: the caller decides.
    */
    static QList<QNetworkCookie> fromNetscapeFormat(const QByteArray &data, QString *errorString = nullptr,
                                                    bool *ok = nullptr);
    /*! The Netscape cookie format of \a cookies, with curl's header comment. */
    static QByteArray toNetscapeFormat(const QList<QNetworkCookie> &cookies);

private:
    struct Stored
    {
        QNetworkCookie cookie; // normalized: its domain and path are set
        QString origin; // "scheme:port" that set it, or empty
        quint64 order = 0; // when it was stored: older ones are sent first and evicted first
    };
    /*! Stores \a cookie for \a origin, replacing as a Set-Cookie from there does; false for a deletion. */
    bool store(const QNetworkCookie &cookie, const QString &origin);
    /*! Removes every cookie with the identity of \a cookie; false when there was none. */
    bool removeAll(const QNetworkCookie &cookie);
    /*! Evicts what is past the limits, for the domain \a domain and in all. */
    void enforceLimits(const QString &domain);
    void removeAt(const QString &identity, qsizetype index);
    /*! Removes the cookie stored as \a order. */
    void removeOrder(quint64 order);

    mutable QString m_errorString;
    // name, domain and path (RFC 6265 5.3 step 11) -> the cookies with them, one per origin
    QHash<QString, QList<Stored>> m_cookies;
    std::map<quint64, QString> m_byAge; // order -> identity, oldest first
    QHash<QString, std::set<quint64>> m_perDomain; // cookie domain without its dot -> orders
    quint64 m_next = 0;
    qint64 m_lastPurge = 0; // msecs since the epoch of the last sweep of expired cookies
    QSet<QString> m_unreadable; // files load() could not read: save() leaves them alone
};

} // namespace Courier
