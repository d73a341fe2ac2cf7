// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "auth_p.h"

#include "sha512_256_p.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QRandomGenerator>
#include <QtCore/QStringList>

#include <algorithm>
#include <optional>

namespace Courier::Auth {

namespace {

bool isTchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

// A cursor over a header value that reads tokens, quoted strings and separators.
class Reader
{
public:
    explicit Reader(const QByteArray &text)
        : m_text(text)
    {
    }
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text.at(m_pos); }
    void skipSpaces()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t'))
            ++m_pos;
    }
    void skipSpacesAndCommas()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == ','))
            ++m_pos;
    }
    QByteArray token()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isTchar(peek()))
            ++m_pos;
        return m_text.mid(start, m_pos - start);
    }
    QByteArray quoted()
    {
        QByteArray out;
        ++m_pos; // opening quote
        while (!atEnd() && peek() != '"') {
            if (peek() == '\\' && m_pos + 1 < m_text.size())
                ++m_pos;
            out += m_text.at(m_pos++);
        }
        ++m_pos; // closing quote (or past the end)
        return out;
    }
    // Skips whatever cannot be parsed up to the next comma, so that parsing always advances.
    void skipJunk()
    {
        while (!atEnd() && peek() != ',')
            ++m_pos;
    }
    qsizetype pos() const { return m_pos; }
    void setPos(qsizetype pos) { m_pos = pos; }

private:
    const QByteArray &m_text;
    qsizetype m_pos = 0;
};

QByteArray quote(const QByteArray &value)
{
    QByteArray out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

// Whether \a value fits in a quoted-string as printable ASCII (RFC 9110 section 5.6.4): no
// control character, nothing over 0x7E (obs-text would be read as Latin-1, if at all).
bool quotable(const QByteArray &value)
{
    return std::all_of(value.cbegin(), value.cend(), [](char c) { return c == '\t' || (c >= 0x20 && c < 0x7f); });
}

enum class Hash { Md5, Sha256, Sha512_256, Sha512 };

QByteArray hexDigest(Hash hash, QByteArrayView data)
{
    switch (hash) {
    case Hash::Md5: return QCryptographicHash::hash(data, QCryptographicHash::Md5).toHex();
    case Hash::Sha256: return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
    case Hash::Sha512_256: return sha512_256(data).toHex();
    case Hash::Sha512: return QCryptographicHash::hash(data, QCryptographicHash::Sha512).toHex();
    }
    Q_UNREACHABLE();
    return {};
}

struct Algorithm
{
    QByteArray name; // as the challenge spells it, and sent back so
    Hash hash;
    bool session;
    int strength;
};

// RFC 7616 section 6.1's algorithms, weakest first, and SHA-512 (httpbin's, not in the RFC's
// registry) last: it is the strongest of them.
std::optional<Algorithm> digestAlgorithm(const QByteArray &name)
{
    static const std::pair<const char *, Hash> known[] = {
        {"MD5", Hash::Md5}, {"SHA-256", Hash::Sha256}, {"SHA-512-256", Hash::Sha512_256}, {"SHA-512", Hash::Sha512}};
    const QByteArray given = name.isEmpty() ? QByteArray("MD5") : name;
    const QByteArray upper = given.toUpper();
    const bool session = upper.endsWith("-SESS");
    const QByteArray base = session ? upper.chopped(5) : upper;
    for (int i = 0; i < int(std::size(known)); ++i) {
        if (base == known[i].first)
            return Algorithm{given, known[i].second, session, i + 1};
    }
    return std::nullopt;
}

// The Digest answer to \a challenge, or empty with the reason in \a why.
QByteArray digestResponse(const Challenge &challenge, const Algorithm &algorithm, const QByteArray &method,
                          const QByteArray &uri, const QString &user, const QString &password, const QByteArray *body,
                          QByteArray cnonce, QString *why)
{
    const auto h = [&algorithm](const QByteArray &data) { return hexDigest(algorithm.hash, data); };
    const QByteArray realm = challenge.params.value("realm");
    const QByteArray nonce = challenge.params.value("nonce");
    if (nonce.isEmpty()) {
        *why = QStringLiteral("a Digest challenge has no nonce");
        return {};
    }

    QByteArray qop;
    if (challenge.params.contains("qop")) {
        const QList<QByteArray> offered = challenge.params.value("qop").split(',');
        for (const QByteArray &option : offered) {
            const QByteArray o = option.trimmed().toLower();
            if (o == "auth")
                qop = o;
            else if (o == "auth-int" && body && qop.isEmpty())
                qop = o;
        }
        if (qop.isEmpty()) {
            *why = QStringLiteral("Digest qop \"%1\" cannot be answered%2")
                       .arg(QString::fromLatin1(challenge.params.value("qop").left(64)),
                            body ? QString() : QStringLiteral(" for a streamed body"));
            return {};
        }
    } else if (algorithm.session) {
        // -sess hashes the cnonce into HA1, and without qop there is no cnonce to send.
        *why = QStringLiteral("Digest algorithm %1 without qop").arg(QString::fromLatin1(algorithm.name));
        return {};
    }
    if (cnonce.isEmpty()) {
        quint32 random[4];
        QRandomGenerator::system()->fillRange(random);
        cnonce = QByteArray(reinterpret_cast<const char *>(random), sizeof(random)).toHex();
    }
    const QByteArray nc = "00000001";

    const QByteArray name = user.toUtf8();
    QByteArray ha1 = h(name + ':' + realm + ':' + password.toUtf8());
    if (algorithm.session)
        ha1 = h(ha1 + ':' + nonce + ':' + cnonce);
    const QByteArray ha2 = qop == "auth-int" ? h(method + ':' + uri + ':' + h(*body)) : h(method + ':' + uri);
    const QByteArray response = qop.isEmpty() ? h(ha1 + ':' + nonce + ':' + ha2)
                                              : h(ha1 + ':' + nonce + ':' + nc + ':' + cnonce + ':' + qop + ':' + ha2);

    // RFC 7616 section 3.4.4: the hashed name when the server offers it, else the name quoted,
    // or in username* (RFC 8187) when a quoted-string cannot carry it.
    const bool userhash = challenge.params.value("userhash").compare("true", Qt::CaseInsensitive) == 0;
    QByteArray out = "Digest ";
    if (userhash)
        out += "username=" + quote(h(name + ':' + realm));
    else if (quotable(name))
        out += "username=" + quote(name);
    else
        out += "username*=UTF-8''" + name.toPercentEncoding("!#$&+^`|");
    out += ", realm=" + quote(realm) + ", nonce=" + quote(nonce) + ", uri=" + quote(uri)
        + ", algorithm=" + algorithm.name + ", response=" + quote(response);
    if (challenge.params.contains("opaque"))
        out += ", opaque=" + quote(challenge.params.value("opaque"));
    if (!qop.isEmpty())
        out += ", qop=" + qop + ", nc=" + nc + ", cnonce=" + quote(cnonce);
    if (userhash)
        out += ", userhash=true";
    return out;
}

} // namespace

QList<Challenge> parseChallenges(const QByteArray &value)
{
    QList<Challenge> challenges;
    Reader in(value);
    while (true) {
        in.skipSpacesAndCommas();
        if (in.atEnd())
            break;
        const qsizetype start = in.pos();
        const QByteArray name = in.token();
        if (name.isEmpty()) {
            in.skipJunk();
            if (in.pos() == start)
                in.setPos(start + 1);
            continue;
        }
        in.skipSpaces();
        if (in.peek() == '=' && !challenges.isEmpty()) {
            // name=value: a parameter of the current challenge
            in.setPos(in.pos() + 1);
            in.skipSpaces();
            const QByteArray v = in.peek() == '"' ? in.quoted() : in.token();
            challenges.last().params.insert(name.toLower(), v);
            in.skipSpaces();
            if (!in.atEnd() && in.peek() != ',')
                in.skipJunk();
            continue;
        }
        challenges.append({name.toLower(), {}});
        // A token68 (Negotiate and others) right after the scheme: kept as the "" parameter.
        const qsizetype afterScheme = in.pos();
        QByteArray t68 = in.token();
        while (in.peek() == '=') {
            t68 += '=';
            in.setPos(in.pos() + 1);
        }
        in.skipSpaces();
        if (!t68.isEmpty() && t68.endsWith('=') && (in.atEnd() || in.peek() == ','))
            challenges.last().params.insert(QByteArray(), t68);
        else
            in.setPos(afterScheme);
    }
    return challenges;
}

QByteArray basic(const QString &user, const QString &password)
{
    return "Basic " + QByteArray(user.toUtf8() + ':' + password.toUtf8()).toBase64();
}

QByteArray authorization(const QByteArray &wwwAuthenticate, const QByteArray &method, const QByteArray &uri,
                         const QString &user, const QString &password, const QByteArray *body, const QByteArray &cnonce,
                         QString *why)
{
    // Digest before Basic; the strongest Digest algorithm first (RFC 7616 section 3.7), the
    // first offered of equals, and the next one when a challenge cannot be answered.
    const QList<Challenge> challenges = parseChallenges(wwwAuthenticate);
    QList<std::pair<const Challenge *, Algorithm>> digests;
    QStringList reasons;
    bool basicOffered = false;
    for (const Challenge &c : challenges) {
        if (c.scheme == "basic") {
            basicOffered = true;
        } else if (c.scheme == "digest") {
            const QByteArray name = c.params.value("algorithm");
            if (const std::optional<Algorithm> a = digestAlgorithm(name))
                digests.append({&c, *a});
            else
                reasons
                    << QStringLiteral("Digest algorithm %1 is not supported").arg(QString::fromLatin1(name.left(64)));
        }
    }
    std::stable_sort(digests.begin(), digests.end(),
                     [](const auto &a, const auto &b) { return a.second.strength > b.second.strength; });
    for (const auto &[challenge, algorithm] : std::as_const(digests)) {
        QString reason;
        const QByteArray answer = digestResponse(*challenge, algorithm, method, uri, user, password, body, cnonce,
                                                 &reason);
        if (!answer.isEmpty())
            return answer;
        reasons << reason;
    }
    if (basicOffered)
        return basic(user, password);
    if (why)
        *why = reasons.join(QStringLiteral("; "));
    return {};
}

} // namespace Courier::Auth
