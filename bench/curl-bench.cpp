// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// curl-bench: the same small-request work as courier-bench, with libcurl's multi interface, as
// the fastest client on this machine to compare against. One line of key=value pairs.
//
//   curl-bench URL COUNT CONCURRENCY PROTOCOL [CA.pem]      PROTOCOL: h1, h2c or h2
//
// h1 opens up to CONCURRENCY connections; h2c and h2 multiplex CONCURRENCY streams on one.
#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sys/resource.h>

static std::size_t discard(char *, std::size_t size, std::size_t count, void *) { return size * count; }

static double now()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

static double cpu()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static CURL *make(const char *url, const char *protocol, const char *ca)
{
    CURL *easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    if (strcmp(protocol, "h2c") == 0)
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE));
    else if (strcmp(protocol, "h2") == 0)
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    else
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    if (ca)
        curl_easy_setopt(easy, CURLOPT_CAINFO, ca);
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
    return easy;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: curl-bench URL COUNT CONCURRENCY h1|h2c|h2 [CA.pem]\n");
        return 2;
    }
    const char *url = argv[1];
    const long count = atol(argv[2]);
    const long concurrency = atol(argv[3]) > 0 ? atol(argv[3]) : 1;
    const char *protocol = argv[4];
    const char *ca = argc > 5 ? argv[5] : nullptr;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, strcmp(protocol, "h1") == 0 ? concurrency : 1L);
    curl_multi_setopt(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, concurrency);

    const double start = now();
    const double cpuStart = cpu();
    long started = 0, done = 0, errors = 0;
    for (; started < concurrency && started < count; ++started)
        curl_multi_add_handle(multi, make(url, protocol, ca));
    while (done < count) {
        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        CURLMsg *message;
        while ((message = curl_multi_info_read(multi, &queued))) {
            if (message->msg != CURLMSG_DONE)
                continue;
            CURL *easy = message->easy_handle;
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            if (message->data.result != CURLE_OK || status >= 400) {
                if (errors++ == 0)
                    std::fprintf(stderr, "curl-bench: %s (status %ld)\n", curl_easy_strerror(message->data.result),
                                 status);
            }
            ++done;
            curl_multi_remove_handle(multi, easy);
            curl_easy_cleanup(easy);
            if (started < count) {
                ++started;
                // A new handle per request, as an application makes them; connections belong to
                // the multi handle and are reused.
                curl_multi_add_handle(multi, make(url, protocol, ca));
            }
        }
        if (done < count)
            curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    const double seconds = now() - start;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    printf("mode=small engine=curl protocol=%s concurrency=%ld requests=%ld errors=%ld seconds=%.4f cpu=%.4f "
           "bytes=0 peak_rss_kib=%ld\n",
           protocol, concurrency, done, errors, seconds, cpu() - cpuStart, usage.ru_maxrss);
    curl_multi_cleanup(multi);
    curl_global_cleanup();
    return errors == 0 ? 0 : 1;
}
