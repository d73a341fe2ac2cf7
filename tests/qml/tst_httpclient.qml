// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

import QtQuick
import QtTest
import Courier

// HttpClient, ResponseCache, downloads and uploads from QML, and the Response's signals from
// JavaScript: declarative configuration applied to requests, relative URLs, credentials, a
// private CA, persistent cookies, the cache, retries, connection events, a C++ Client handed
// to QML, the QML engine's network access manager factory, and lifetime.
TestCase {
    id: testCase
    name: "HttpClient"

    function requireNginx() {
        if (peers.nginxError !== "") {
            if (peers.inCI)
                fail(peers.nginxError)
            skip(peers.nginxError + " (not in CI: skipped; with CI=true it fails)")
        }
    }

    function settle(promise) {
        const state = { done: false, value: null, rejected: false }
        promise.then(v => { state.value = v; state.done = true },
                     e => { state.value = e; state.rejected = true; state.done = true })
        tryVerify(() => state.done, 20000)
        return state
    }

    function waitFinished(response) {
        tryVerify(() => !response.running, 60000)
        return response
    }

    Component { id: clientComponent; HttpClient {} }
    Component { id: cacheComponent; ResponseCache {} }
    Component { id: contextComponent; QtObject {} }
    // A cache whose directory is a binding, evaluated after the HttpClient got the cache.
    Component {
        id: boundCacheClient
        HttpClient {
            id: owner
            property string folder
            cache: ResponseCache { directory: owner.folder + "/bound-cache" }
        }
    }

    function makeClient(properties) {
        const client = clientComponent.createObject(testCase, properties || {})
        verify(client !== null)
        return client
    }

    function test_engine() {
        const client = makeClient()
        if (peers.engine !== "")
            compare(client.engine, peers.engine)
        compare(makeClient({ engine: "qt" }).engine, "qt")
        if (peers.engine === "curl")
            compare(makeClient({ engine: "curl" }).engine, "curl")
    }

    // The signal is not hidden by a property: connect() and disconnect() from JavaScript.
    function test_finishedConnectsFromJavaScript() {
        const r = Http.get(peers.server + "/text")
        let calls = 0
        const once = () => calls++
        const never = () => fail("disconnected handler called")
        r.finished.connect(once)
        r.finished.connect(never)
        r.finished.disconnect(never)
        tryVerify(() => calls === 1, 10000)
        verify(!r.running)
        compare(calls, 1)
    }

    function test_responseProperties() {
        const client = makeClient()
        let s = settle(client.fetch(peers.server + "/set-cookie"))
        verify(s.value.ok)
        compare(s.value.cookies.length, 1)
        compare(s.value.cookies[0].name, "session")
        compare(s.value.cookies[0].value, "abc123")
        compare(s.value.cookies[0].path, "/")
        verify(!s.value.cookies[0].session)
        compare(s.value.resultType, HttpClient.ArrayBuffer) // no Content-Type: Auto gives bytes
        s = settle(client.fetch(peers.server + "/missing"))
        verify(!s.value.ok)
        compare(s.value.cookies.length, 0)
        s = settle(client.fetch(peers.server + "/json"))
        compare(s.value.resultType, HttpClient.Object)
        s = settle(client.fetch(peers.server + "/text"))
        compare(s.value.resultType, HttpClient.String)
        s = settle(client.fetch(peers.server + "/text", { expectDataType: HttpClient.ArrayBuffer }))
        compare(s.value.resultType, HttpClient.ArrayBuffer)
    }

    // The defaults a request takes from its HttpClient, and relative URLs against baseUrl.
    function test_declarativeConfiguration() {
        const client = makeClient({
            baseUrl: peers.server + "/",
            headers: { "X-App": "demo", "Accept": "application/json" },
            userAgent: "CourierQmlTest/1.0",
            bearerToken: "t0ken",
            timeout: 15000,
            connectTimeout: 5000,
            readTimeout: 5000,
            maximumRedirects: 3,
        })
        compare(client.configurationError, "")
        const s = settle(client.fetch("echo?x=1", { expectDataType: HttpClient.Object }))
        verify(!s.rejected, s.value && s.value.errorString)
        const echo = s.value.result
        compare(echo.target, "/echo?x=1")
        compare(echo.headers["x-app"], "demo")
        compare(echo.headers["accept"], "application/json")
        compare(echo.headers["user-agent"], "CourierQmlTest/1.0")
        compare(echo.headers["authorization"], "Bearer t0ken")
        // A request's own header wins over the client's, under either name.
        const own = settle(client.fetch("echo", { headers: { "X-App": "mine" }, expectDataType: HttpClient.Object }))
        compare(own.value.result.headers["x-app"], "mine")
        // Changing a property changes the next request.
        client.headers = { "X-Other": "1" }
        const next = settle(client.fetch("echo", { expectDataType: HttpClient.Object }))
        compare(next.value.result.headers["x-other"], "1")
        compare(next.value.result.headers["x-app"], undefined)
        compare(client.maximumRedirects, 3)
        compare(client.timeout, 15000)
    }

    function test_defaultsShowTheClientsValues() {
        const client = makeClient()
        compare(client.connectTimeout, 60000)
        compare(client.readTimeout, 60000)
        compare(client.maximumRedirects, 50)
        compare(client.retries, 0)
        verify(client.hostNameCheck)
        verify(client.systemCaCertificates)
        compare(client.baseUrl, "")
    }

    function test_basicCredentials() {
        const client = makeClient({ user: "ann", password: "s3cret", preemptiveAuthentication: true })
        const s = settle(client.fetch(peers.server + "/echo", { expectDataType: HttpClient.Object }))
        compare(s.value.result.headers["authorization"], "Basic " + Qt.btoa("ann:s3cret"))
    }

    function test_webAndPlatformOptionNames() {
        let s = settle(Http.fetch(peers.server + "/echo", { method: "POST", headers: { "X-A": "1" }, body: { k: "v" },
                                                            expectDataType: Http.Object }))
        compare(s.value.result.method, "POST")
        compare(s.value.result.headers["x-a"], "1")
        compare(JSON.parse(s.value.result.body), { k: "v" })
        s = settle(Http.fetch(peers.server + "/echo", { method: "POST", header: { "X-A": "2" }, extraData: "text",
                                                        expectDataType: Http.Object }))
        compare(s.value.result.headers["x-a"], "2")
        compare(s.value.result.body, "text")
    }

    function test_retries() {
        const client = makeClient({ retries: 2, retryDelay: 10 })
        const s = settle(client.fetch(peers.server + "/flaky?retries"))
        compare(s.value.statusCode, 200)
        compare(s.value.attempts, 2)
        compare(s.value.text(), "now")
    }

    // A private CA from a file or PEM text; nothing trusted without it; an unreadable file is
    // a configuration error that refuses every request.
    function test_privateCa_data() {
        return [
            { tag: "file", properties: () => ({ caCertificatesFile: peers.nginxCertificateFile }) },
            { tag: "file URL", properties: () => ({ caCertificatesFile: "file://" + peers.nginxCertificateFile }) },
            { tag: "PEM text", properties: () => ({ caCertificates: peers.nginxCertificatePem }) },
        ]
    }

    function test_privateCa(data) {
        requireNginx()
        const client = makeClient(data.properties())
        compare(client.configurationError, "")
        const r = client.get(peers.nginxTls + "/rate/big.bin", { headers: { "Range": "bytes=0-99" } })
        const events = []
        r.connecting.connect(() => events.push("connecting"))
        r.connected.connect(() => events.push("connected"))
        r.tlsEstablished.connect(() => events.push("tls"))
        r.requestSent.connect(() => events.push("sent"))
        r.headersReceived.connect(() => events.push("headers"))
        waitFinished(r)
        compare(r.error, Response.NoError, r.errorString)
        compare(r.statusCode, 206)
        compare(events, ["connecting", "connected", "tls", "sent", "headers"])
    }

    // Mutual TLS: a client certificate and its encrypted key from files. (named.pem names
    // courier.test, not 127.0.0.1: the host-name check is off for this server, signed by ca.pem.)
    function test_clientCertificate() {
        requireNginx()
        const client = makeClient({
            caCertificatesFile: peers.pkiFile("ca.pem"),
            hostNameCheck: false,
            clientCertificateFile: peers.pkiFile("client.pem"),
            clientKeyFile: peers.pkiFile("client.key"),
            clientKeyPassphrase: "secret",
        })
        compare(client.configurationError, "")
        const s = settle(client.fetch(peers.nginxNamedTls()))
        verify(!s.rejected, s.value.errorString)
        compare(s.value.text(), "SUCCESS CN=courier-client")
        ignoreWarning(/clientKeyPassphrase does not open the key/)
        client.clientKeyPassphrase = "wrong"
        verify(client.configurationError.indexOf("clientKeyPassphrase does not open the key") >= 0,
               client.configurationError)
        verify(settle(client.fetch(peers.nginxNamedTls())).rejected)
    }

    function test_untrustedServerFails() {
        requireNginx()
        const s = settle(makeClient().fetch(peers.nginxTls + "/"))
        verify(s.rejected)
        compare(s.value.error, Response.SslHandshakeFailed)
    }

    function test_configurationErrorRefusesRequests() {
        ignoreWarning(/caCertificatesFile: cannot read "\/nonexistent\/ca.pem"/)
        const client = makeClient({ caCertificatesFile: "/nonexistent/ca.pem" })
        verify(client.configurationError.indexOf('caCertificatesFile: cannot read "/nonexistent/ca.pem"') >= 0,
               client.configurationError)
        const s = settle(client.fetch(peers.server + "/echo?misconfigured"))
        verify(s.rejected)
        compare(s.value.error, Response.ProtocolInvalidOperation)
        verify(s.value.errorString.indexOf("caCertificatesFile") >= 0, s.value.errorString)
        compare(peers.requestsFor("/echo?misconfigured"), 0)
        client.caCertificatesFile = ""
        compare(client.configurationError, "")
        verify(!settle(client.fetch(peers.server + "/text")).rejected)
    }

    // A default header with CR or LF never reaches the wire: every request fails, naming it.
    function test_headerInjectionIsRefused() {
        const client = makeClient({ headers: { "X-Evil": "a\r\nInjected: yes" } })
        const s = settle(client.fetch(peers.server + "/echo?injected"))
        verify(s.rejected)
        compare(s.value.error, Response.ProtocolInvalidOperation)
        verify(s.value.errorString.indexOf("X-Evil") >= 0, s.value.errorString)
        compare(peers.requestsFor("/echo?injected"), 0)
        const form = settle(Http.fetch(peers.server + "/echo?injected", { method: "POST",
                                                                         multipart: { "a\r\nb": "x" } }))
        verify(form.rejected)
        verify(form.value.errorString.indexOf("may not contain CR or LF") >= 0, form.value.errorString)
        compare(peers.requestsFor("/echo?injected"), 0)
    }

    function test_badPinIsAConfigurationError() {
        ignoreWarning(/pinnedPublicKeys: "md5\/\/abc" is not/)
        const client = makeClient({ pinnedPublicKeys: ["md5//abc"] })
        verify(client.configurationError.indexOf("pinnedPublicKeys") >= 0, client.configurationError)
    }

    // Plain http: connecting, connected and requestSent, in order, as they happen; a second
    // request over the kept-alive connection only sends.
    function test_connectionEvents() {
        const client = makeClient()
        const first = client.get(peers.server + "/text")
        const events = []
        first.connecting.connect(() => events.push("connecting"))
        first.connected.connect(() => events.push("connected"))
        first.tlsEstablished.connect(() => events.push("tls"))
        first.requestSent.connect(() => events.push("sent"))
        first.headersReceived.connect(() => events.push("headers"))
        waitFinished(first)
        compare(events, ["connecting", "connected", "sent", "headers"])
        const second = client.get(peers.server + "/text")
        const again = []
        second.connecting.connect(() => again.push("connecting"))
        second.requestSent.connect(() => again.push("sent"))
        waitFinished(second)
        compare(again, ["sent"])
    }

    function test_persistentCookies() {
        const file = peers.tempDir + "/cookies-" + peers.engine + ".txt"
        const first = makeClient({ cookiesFile: file })
        compare(first.configurationError, "")
        verify(!settle(first.fetch(peers.server + "/set-cookie")).rejected)
        verify(peers.readFile(file).indexOf("session\tabc123") >= 0, peers.readFile(file))
        first.destroy()
        // Another client (another run of the application) sends it back.
        const second = makeClient({ cookiesFile: "file://" + file })
        const s = settle(second.fetch(peers.server + "/echo", { expectDataType: HttpClient.Object }))
        compare(s.value.result.headers["cookie"], "session=abc123")
        second.clearCookies()
        verify(peers.readFile(file).indexOf("abc123") < 0)
        const third = settle(second.fetch(peers.server + "/echo", { expectDataType: HttpClient.Object }))
        compare(third.value.result.headers["cookie"], undefined)
    }

    function test_cookiesInMemoryByDefault() {
        const client = makeClient()
        settle(client.fetch(peers.server + "/set-cookie"))
        const s = settle(client.fetch(peers.server + "/echo", { expectDataType: HttpClient.Object }))
        compare(s.value.result.headers["cookie"], "session=abc123")
        // Each HttpClient has its own jar.
        const other = settle(makeClient().fetch(peers.server + "/echo", { expectDataType: HttpClient.Object }))
        compare(other.value.result.headers["cookie"], undefined)
    }

    function test_responseCache() {
        const dir = peers.tempDir + "/cache-" + peers.engine
        const cache = cacheComponent.createObject(testCase, { directory: dir, maximumSize: 1024 * 1024 })
        const client = makeClient({ cache: cache })
        const target = "/cacheable?" + peers.engine
        let s = settle(client.fetch(peers.server + target))
        verify(!s.value.fromCache)
        s = settle(client.fetch(peers.server + target))
        verify(s.value.fromCache)
        compare(s.value.text(), "cached body")
        compare(peers.requestsFor(target), 1)
        verify(cache.contains(peers.server + target))
        // usingCache: false goes to the server.
        s = settle(client.fetch(peers.server + target, { usingCache: false }))
        verify(!s.value.fromCache)
        compare(peers.requestsFor(target), 2)
        const flushed = settle(cache.flush())
        verify(!flushed.rejected)
        verify(flushed.value > 0, flushed.value)
        compare(cache.size, flushed.value)
        verify(cache.enabled)
        const cleared = settle(cache.clear())
        verify(!cleared.rejected)
        verify(!cache.enabled)
        verify(!cache.contains(peers.server + target))
        s = settle(client.fetch(peers.server + target))
        verify(!s.value.fromCache)
        compare(peers.requestsFor(target), 3)
    }

    function test_cacheDirectoryFromABinding() {
        const folder = peers.tempDir + "/" + peers.engine
        const client = boundCacheClient.createObject(testCase, { folder: folder })
        compare(client.cache.directory, folder + "/bound-cache")
        const target = "/cacheable?bound-" + peers.engine
        verify(!settle(client.fetch(peers.server + target)).value.fromCache)
        verify(settle(client.fetch(peers.server + target)).value.fromCache)
        verify(peers.exists(folder + "/bound-cache"))
    }

    function test_cacheSizeIsBounded() {
        ignoreWarning(/maximumSize 104857600 is out of range 1 to 10485760; using 10485760/)
        const cache = cacheComponent.createObject(testCase, { maximumSize: 100 * 1024 * 1024,
                                                              directory: peers.tempDir + "/bounded" })
        compare(cache.maximumSize, 10 * 1024 * 1024)
        ignoreWarning(/directory is read when the cache is made/)
        cache.directory = peers.tempDir + "/elsewhere"
        compare(cache.directory, peers.tempDir + "/bounded")
    }

    function test_downloadToFileWithResumeAndChecksum() {
        requireNginx()
        const path = peers.tempDir + "/big-" + peers.engine + ".bin"
        const client = makeClient()
        // A first attempt, cancelled after some progress, leaves the partial file.
        const first = client.download(peers.nginx + "/rate/big.bin", path)
        tryVerify(() => first.bytesReceived > 0 || !first.running, 30000)
        first.abort()
        compare(first.error, Response.OperationCanceled)
        verify(!peers.exists(path))
        const partial = peers.fileSize(path + ".part")
        verify(partial > 0)
        // The next one resumes from it, verifies the checksum and puts the file in place.
        const second = client.download(peers.nginx + "/rate/big.bin", "file://" + path, { sha256: peers.bigSha256 })
        let progress = 0
        second.downloadProgress.connect((received, total) => progress++)
        waitFinished(second)
        compare(second.error, Response.NoError, second.errorString)
        compare(second.statusCode, 206)
        compare(second.resumedFrom, partial)
        verify(progress > 0)
        compare(peers.fileSize(path), 20 * 1024 * 1024)
        compare(peers.sha256(path), peers.bigSha256)
        verify(!peers.exists(path + ".part"))
    }

    function test_downloadWithAWrongChecksumKeepsNoFile() {
        requireNginx()
        const path = peers.tempDir + "/wrong-" + peers.engine + ".bin"
        const r = waitFinished(Http.download(peers.nginx + "/rate/big.bin", path, { sha256: "00".repeat(32), resume: false }))
        compare(r.error, Response.UnknownContentError)
        verify(!peers.exists(path))
    }

    function test_uploadFileStreamedFromDisk() {
        const path = peers.tempDir + "/upload.txt"
        verify(peers.writeFile(path, "file contents from disk"))
        const r = Http.put(peers.server + "/echo", { file: path, expectDataType: Http.Object })
        const sent = []
        r.uploadProgress.connect((done, total) => sent.push([done, total]))
        waitFinished(r)
        compare(r.result.method, "PUT")
        compare(r.result.body, "file contents from disk")
        compare(r.result.headers["content-type"], "text/plain")
        verify(sent.length > 0)
        compare(sent[sent.length - 1], [23, 23])
    }

    function test_multipartWithAFile() {
        const path = peers.tempDir + "/report.csv"
        verify(peers.writeFile(path, "a,b\n1,2\n"))
        const r = Http.post(peers.server + "/echo", {
            multipart: { title: "Q3", count: 2, report: { file: "file://" + path, contentType: "text/csv" } },
            expectDataType: Http.Object,
        })
        let uploads = 0
        r.uploadProgress.connect(() => uploads++)
        waitFinished(r)
        const type = r.result.headers["content-type"]
        verify(type.startsWith("multipart/form-data; boundary="), type)
        const body = r.result.body
        verify(body.indexOf('Content-Disposition: form-data; name="title"\r\n\r\nQ3\r\n') >= 0, body)
        verify(body.indexOf('name="count"\r\n\r\n2\r\n') >= 0, body)
        verify(body.indexOf('name="report"; filename="report.csv"') >= 0, body)
        verify(body.indexOf("Content-Type: text/csv") >= 0, body)
        verify(body.indexOf("a,b\n1,2\n") >= 0, body)
        verify(uploads > 0)
    }

    function test_clientFromCpp() {
        const client = makeClient({ client: peers.configuredClient, headers: { "X-From-Qml": "yes" } })
        compare(client.client, peers.configuredClient)
        const s = settle(client.fetch(peers.server + "/echo", { expectDataType: HttpClient.Object }))
        compare(s.value.result.headers["x-from-cpp"], "yes")
        compare(s.value.result.headers["x-from-qml"], "yes")
        client.client = null // back to its own Client
        const own = settle(client.fetch(peers.server + "/echo", { expectDataType: HttpClient.Object }))
        compare(own.value.result.headers["x-from-cpp"], undefined)
        compare(own.value.result.headers["x-from-qml"], "yes")
    }

    function test_networkAccessManagerFactory() {
        const before = peers.factoryManagers()
        const client = makeClient({ engine: "qt" })
        verify(!settle(client.fetch(peers.server + "/text")).rejected)
        compare(peers.factoryManagers(), before + 1)
    }

    function test_destroyingTheClientAbortsQuietly() {
        const client = makeClient()
        const r = client.get(peers.server + "/slow")
        let heard = 0
        r.finished.connect(() => heard++)
        r.errorOccurred.connect(() => heard++)
        peers.forget()
        peers.watch(r)
        tryVerify(() => r.statusCode === 200, 10000)
        client.destroy()
        tryVerify(() => peers.alive() === 0, 5000)
        wait(100)
        compare(heard, 0)
        compare(peers.finishedCount(), 0)
        peers.forget()
    }
}
