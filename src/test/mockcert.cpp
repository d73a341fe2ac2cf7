// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

// MockServer's certificates: a CA and a leaf signed by it, made with OpenSSL when the server
// starts, so that no key is shared between runs or installations. The leaf names 127.0.0.1, ::1
// and localhost; both are valid from an hour ago (clocks differ) for a day.

#include "mockserver_p.h"

#if COURIER_TEST_HAS_OPENSSL
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#endif

#include <memory>

namespace Courier {

#if COURIER_TEST_HAS_OPENSSL

namespace {

template <typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

bool addExtension(X509 *certificate, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
    if (!extension)
        return false;
    const bool added = X509_add_ext(certificate, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return added;
}

// A certificate for \a key named \a commonName, signed by \a issuerKey as \a issuer (itself when
// null): a CA when \a ca, else a TLS server certificate for the loopback names.
Certificate make(EVP_PKEY *key, const char *commonName, EVP_PKEY *issuerKey, X509 *issuer, bool ca)
{
    Certificate certificate(X509_new());
    if (!certificate)
        return nullptr;
    X509 *c = certificate.get();
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return nullptr;
    serial[0] &= 0x7f; // positive
    BIGNUM *number = BN_bin2bn(serial, sizeof serial, nullptr);
    const bool serialSet = number && BN_to_ASN1_INTEGER(number, X509_get_serialNumber(c));
    BN_free(number);
    X509_NAME *name = X509_get_subject_name(c);
    const bool ok = serialSet && X509_set_version(c, 2) == 1 && X509_gmtime_adj(X509_getm_notBefore(c), -3600)
        && X509_gmtime_adj(X509_getm_notAfter(c), 24 * 3600) && X509_set_pubkey(c, key) == 1
        && X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                      reinterpret_cast<const unsigned char *>("Courier MockServer"), -1, -1, 0)
            == 1
        && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(commonName), -1,
                                      -1, 0)
            == 1
        && X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name) == 1;
    if (!ok)
        return nullptr;
    X509 *signer = issuer ? issuer : c;
    const bool extended = ca ? addExtension(c, signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
            && addExtension(c, signer, NID_key_usage, "critical,keyCertSign,cRLSign")
            && addExtension(c, signer, NID_subject_key_identifier, "hash")
                             : addExtension(c, signer, NID_basic_constraints, "critical,CA:FALSE")
            && addExtension(c, signer, NID_key_usage, "critical,digitalSignature")
            && addExtension(c, signer, NID_ext_key_usage, "serverAuth")
            && addExtension(c, signer, NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost")
            && addExtension(c, signer, NID_subject_key_identifier, "hash")
            && addExtension(c, signer, NID_authority_key_identifier, "keyid:always");
    if (!extended || X509_sign(c, issuerKey, EVP_sha256()) <= 0)
        return nullptr;
    return certificate;
}

QByteArray pem(X509 *certificate)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1)
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, size);
}

QByteArray pem(EVP_PKEY *key)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, size);
}

} // namespace

bool makeMockCertificates(QSslCertificate *ca, QSslCertificate *leaf, QSslKey *key, QString *error)
{
    // P-256 keys: made in a millisecond, where RSA keys take a visible part of a test's time.
    const Key caKey(EVP_EC_gen("P-256"));
    const Key leafKey(EVP_EC_gen("P-256"));
    const Certificate caCertificate = caKey ? make(caKey.get(), "Courier MockServer CA", caKey.get(), nullptr, true)
                                            : nullptr;
    const Certificate leafCertificate = caCertificate && leafKey
        ? make(leafKey.get(), "Courier MockServer", caKey.get(), caCertificate.get(), false)
        : nullptr;
    if (!leafCertificate) {
        *error = QStringLiteral("MockServer could not make its certificate with OpenSSL");
        return false;
    }
    *ca = QSslCertificate(pem(caCertificate.get()));
    *leaf = QSslCertificate(pem(leafCertificate.get()));
    *key = QSslKey(pem(leafKey.get()), QSsl::Ec);
    if (ca->isNull() || leaf->isNull() || key->isNull()) {
        *error = QStringLiteral("Qt could not read the certificate MockServer made (is its TLS back-end OpenSSL?)");
        return false;
    }
    return true;
}

#else

bool makeMockCertificates(QSslCertificate *, QSslCertificate *, QSslKey *, QString *error)
{
    *error = QStringLiteral("this Courier::Test was built without OpenSSL 3 and cannot make certificates: "
                            "give MockServer::useTls() a certificate and its key");
    return false;
}

#endif

} // namespace Courier
