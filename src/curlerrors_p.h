// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// How a finished libcurl transfer ends for a CurlReply: its CURLcode, and what the reply saw of
// the exchange, as Qt's error and message.

#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkReply>

#include <curl/curl.h>

namespace Courier {

/*! What is known of a transfer when libcurl reports it done: all classifyCurlResult() reads. */
struct CurlResultFacts
{
    CURLcode code = CURLE_OK;
    QString detail; // libcurl's error buffer, or curl_easy_strerror() when it is empty
    long osError = 0; // CURLINFO_OS_ERRNO
    long proxyError = CURLPX_OK; // CURLINFO_PROXY_ERROR: why a SOCKS proxy refused
    long connectCode = 0; // the proxy's answer to CONNECT, for an https URL through an HTTP proxy
    long verifyResult = 0; // CURLINFO_SSL_VERIFYRESULT: OpenSSL's verdict on the server's certificate
    bool headersDone = false; // the last response's header block ended
    bool statusSet = false; // the reply has an HttpStatusCodeAttribute
    int status = 0; // the reply's status, 0 when it has none
    QByteArray reason; // the status line's reason phrase
    QUrl url; // the reply's URL, for the message of a 4xx or 5xx
    bool hasContentEncoding = false; // the response has a Content-Encoding field
    bool responseComplete = false; // a response without a body, or all of its Content-Length
    bool proxied = false;
    bool followRedirects = false; // libcurl follows redirects
    bool https = false;
    // The error a callback set before it stopped the transfer (a refused pin, a header block
    // past the limit, a decompression bomb, ...), and its message.
    QNetworkReply::NetworkError callbackError = QNetworkReply::NoError;
    QString callbackMessage;
};

/*! The error a CurlReply ends with, NoError for a transfer that worked, and its message. */
struct CurlOutcome
{
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString message;
};

/*!
    How the transfer of \a facts ends, in Qt's terms: libcurl's code classified, then the rules
    that correct it, in order, and last an error a callback set or the status's.
*/
CurlOutcome classifyCurlResult(const CurlResultFacts &facts);

} // namespace Courier
