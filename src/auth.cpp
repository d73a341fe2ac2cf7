#include "auth_p.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QRandomGenerator>

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

struct Algorithm
{
    QByteArray name; // as sent back
    QCryptographicHash::Algorithm hash;
    bool session;
    int strength;
};

bool digestAlgorithm(const QByteArray &name, Algorithm *out)
{
    const QByteArray upper = name.isEmpty() ? QByteArray("MD5") : name.toUpper();
    const bool session = upper.endsWith("-SESS");
    const QByteArray base = session ? upper.chopped(5) : upper;
    if (base == "MD5")
        *out = {upper, QCryptographicHash::Md5, session, 1};
    else if (base == "SHA-256")
        *out = {upper, QCryptographicHash::Sha256, session, 2};
    else if (base == "SHA-512")
        *out = {upper, QCryptographicHash::Sha512, session, 3};
    else
        return false;
    return true;
}

QByteArray digestResponse(const Challenge &challenge, const Algorithm &algorithm, const QByteArray &method,
                          const QByteArray &uri, const QString &user, const QString &password, const QByteArray *body,
                          QByteArray cnonce)
{
    const auto h = [&algorithm](const QByteArray &data) {
        return QCryptographicHash::hash(data, algorithm.hash).toHex();
    };
    const QByteArray realm = challenge.params.value("realm");
    const QByteArray nonce = challenge.params.value("nonce");
    if (nonce.isEmpty())
        return {};

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
        if (qop.isEmpty())
            return {}; // only qop values Courier cannot answer
    }
    if (cnonce.isEmpty()) {
        quint32 random[4];
        QRandomGenerator::system()->fillRange(random);
        cnonce = QByteArray(reinterpret_cast<const char *>(random), sizeof(random)).toHex();
    }
    const QByteArray nc = "00000001";

    QByteArray ha1 = h(user.toUtf8() + ':' + realm + ':' + password.toUtf8());
    if (algorithm.session)
        ha1 = h(ha1 + ':' + nonce + ':' + cnonce);
    const QByteArray ha2 = qop == "auth-int" ? h(method + ':' + uri + ':' + h(*body)) : h(method + ':' + uri);
    const QByteArray response = qop.isEmpty() ? h(ha1 + ':' + nonce + ':' + ha2)
                                              : h(ha1 + ':' + nonce + ':' + nc + ':' + cnonce + ':' + qop + ':' + ha2);

    QByteArray out = "Digest username=" + quote(user.toUtf8()) + ", realm=" + quote(realm) + ", nonce=" + quote(nonce)
        + ", uri=" + quote(uri) + ", algorithm=" + algorithm.name + ", response=" + quote(response);
    if (challenge.params.contains("opaque"))
        out += ", opaque=" + quote(challenge.params.value("opaque"));
    if (!qop.isEmpty())
        out += ", qop=" + qop + ", nc=" + nc + ", cnonce=" + quote(cnonce);
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
                         const QString &user, const QString &password, const QByteArray *body, const QByteArray &cnonce)
{
    const QList<Challenge> challenges = parseChallenges(wwwAuthenticate);
    const Challenge *bestDigest = nullptr;
    Algorithm best{};
    bool basicOffered = false;
    for (const Challenge &c : challenges) {
        Algorithm a;
        if (c.scheme == "digest" && digestAlgorithm(c.params.value("algorithm"), &a)
            && (!bestDigest || a.strength > best.strength)) {
            bestDigest = &c;
            best = a;
        } else if (c.scheme == "basic") {
            basicOffered = true;
        }
    }
    if (bestDigest) {
        const QByteArray answer = digestResponse(*bestDigest, best, method, uri, user, password, body, cnonce);
        if (!answer.isEmpty())
            return answer;
    }
    return basicOffered ? basic(user, password) : QByteArray();
}

} // namespace Courier::Auth
