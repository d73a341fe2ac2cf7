#pragma once

#include <Courier/courier_export.h>

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtNetwork/QNetworkCookie>
#include <QtNetwork/QNetworkCookieJar>

namespace Courier {

/*!
    \class Courier::CookieJar
    \brief The Client's cookie jar: Qt's QNetworkCookieJar rules, plus curl's cookies.txt files.

    Every Client has one, in memory, until the application gives it another
    (Client::setCookieJar()). Cookies are accepted and sent as QNetworkCookieJar decides: the
    Domain attribute must match the server (and not be a public suffix), Path scopes them,
    Secure cookies only go over https, expired cookies are dropped, and a Set-Cookie with
    \c Max-Age or \c Expires replaces or deletes an earlier one. HttpOnly and SameSite are kept
    on the cookie; a client without scripts or a notion of a "site" has nothing more to do with
    them, as in Qt.

    ### Cookies stay with the scheme and port that set them

    RFC 6265 ignores ports and, without Secure, schemes: a cookie set by http://127.0.0.1:8080
    would go to http://127.0.0.1:9090 too, another server on the same machine. This jar binds
    each cookie it receives (setCookiesFromUrl()) to the scheme and port of the response that
    set it, as Chrome's origin-bound cookies do, and cookiesForUrl() leaves it out for any other
    scheme or port. So a redirect to another port or from https to http never carries the first
    server's cookies. Domain and Path still widen and narrow a cookie as RFC 6265 says. Cookies
    put in with setCookies(), insertCookie() or load() have no origin (cookies.txt has no field
    for one) and go to every port, as in curl. A plain QNetworkCookieJar given to
    Client::setCookieJar() follows RFC 6265 alone.

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

    ### Threads and ownership

    A CookieJar is a QObject of the thread it lives in, used by the Clients of that thread.
    Client::setCookieJar() does not take ownership.
*/
class COURIER_EXPORT CookieJar : public QNetworkCookieJar
{
    Q_OBJECT

public:
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
        with errorString() set and the jar unchanged, when the file cannot be read or a line is
        malformed.
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
        Stores \a cookieList as QNetworkCookieJar does, bound to the scheme and port of \a url.
        Returns whether any was stored.
    */
    bool setCookiesFromUrl(const QList<QNetworkCookie> &cookieList, const QUrl &url) override;
    /*!
        The cookies to send to \a url as QNetworkCookieJar chooses them, less those bound to
        another scheme or port.
    */
    QList<QNetworkCookie> cookiesForUrl(const QUrl &url) const override;

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
    mutable QString m_errorString;
    QHash<QString, QString> m_origins; // name, domain and path -> "scheme:port" that set it
    QSet<QString> m_unreadable; // files load() could not read: save() leaves them alone
};

} // namespace Courier
