import CCurl
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Transport-wide options for `CurlTransport`.
public struct CurlTransportOptions: Sendable {
    public var connectTimeout: Duration = .seconds(30)
    /// Default whole-request deadline for `send` (client-go has none by default; a controller wants one).
    public var requestTimeout: Duration? = .seconds(60)
    public var userAgent: String = CurlTransportOptions.defaultUserAgent(version: "0.1.0")
    /// Threads (each with its own easy handle and connection cache) serving `send`.
    public var maxConcurrentRequests: Int = 8
    /// An idle worker thread exits (closing its connections) after this long.
    public var idleWorkerTimeout: Duration = .seconds(90)
    /// Ask for gzip/deflate responses (kubeconfig `disable-compression: true` turns this off).
    public var acceptCompressedResponses = true
    public init() {}

    /// `hpa-controller/<version> (linux/<arch>)`, shaped like client-go's User-Agent.
    public static func defaultUserAgent(version: String) -> String {
        "hpa-controller/\(version) \(platform)"
    }

    /// `(linux/amd64)`, in Go's GOOS/GOARCH words.
    public static var platform: String {
        #if arch(x86_64)
        let arch = "amd64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "unknown"
        #endif
        return "(linux/\(arch))"
    }
}

/// The state of one transfer, shared between the libcurl callbacks (on the transfer's thread)
/// and the async side. Everything but `cancelled` is touched only on the transfer's thread.
final class CurlTransfer: @unchecked Sendable {
    enum Mode {
        case buffered(completion: @Sendable (Result<TransportResponse, TransportError>) -> Void)
        case streaming(head: @Sendable (Result<(Int, HeaderFields), TransportError>) -> Void,
                       lines: AsyncThrowingStream<Data, any Error>.Continuation)
    }

    let request: TransportRequest
    let tls: TLSSettings
    let options: CurlTransportOptions
    let mode: Mode
    let cancelled = Atomic<Bool>(false)

    private var status = 0
    private var headers = HeaderFields()
    private var body = Data()
    private var lineBuffer = Data()
    private var headDelivered = false

    init(request: TransportRequest, tls: TLSSettings, options: CurlTransportOptions, mode: Mode) {
        self.request = request
        self.tls = tls
        self.options = options
        self.mode = mode
    }

    func cancel() { cancelled.store(true, ordering: .relaxed) }

    // MARK: callbacks (transfer thread)

    fileprivate func receivedHeaderLine(_ raw: Data) {
        var bytes = raw[...]
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes = bytes.dropLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response head (after 100 Continue or a proxy CONNECT): start over.
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = HeaderFields()
        } else if line.isEmpty {
            if status >= 200 { deliverHead() }
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" })
            headers.fields.append(HeaderField(name, value))
        }
    }

    fileprivate func receivedBody(_ chunk: UnsafeRawBufferPointer) {
        switch mode {
        case .buffered:
            body.append(contentsOf: chunk)
        case .streaming(_, let lines):
            deliverHead()
            lineBuffer.append(contentsOf: chunk)
            while let newline = lineBuffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Data(lineBuffer[lineBuffer.startIndex..<newline])
                lineBuffer.removeSubrange(lineBuffer.startIndex...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                if !line.isEmpty { lines.yield(line) }
            }
        }
    }

    private func deliverHead() {
        guard !headDelivered, case .streaming(let head, _) = mode else { return }
        headDelivered = true
        head(.success((status, headers)))
    }

    // MARK: perform (transfer thread)

    /// Configures `handle` for this request, runs it to completion and reports the outcome.
    /// `handle` keeps its connection cache across calls (curl_easy_reset preserves it).
    /// A buffered transfer's outcome is delivered by the returned closure, so that the pool can
    /// mark the worker idle first (the caller's next request then finds the same connection).
    func perform(on handle: UnsafeMutableRawPointer, errorBuffer: UnsafeMutablePointer<CChar>) -> () -> Void {
        let outcome = run(on: handle, errorBuffer: errorBuffer)
        switch mode {
        case .buffered(let completion):
            let result = outcome.map { TransportResponse(status: status, headers: headers, body: body) }
            return { completion(result) }
        case .streaming(let head, let lines):
            switch outcome {
            case .success:
                if !lineBuffer.isEmpty { lines.yield(lineBuffer) }
                if !headDelivered { headDelivered = true; head(.success((status, headers))) }
                lines.finish()
            case .failure(let error):
                if !headDelivered { headDelivered = true; head(.failure(error)) }
                lines.finish(throwing: error)
            }
            return {}
        }
    }

    private func run(on handle: UnsafeMutableRawPointer, errorBuffer: UnsafeMutablePointer<CChar>) -> Result<Void, TransportError> {
        if cancelled.load(ordering: .relaxed) {
            return .failure(TransportError(kind: .cancelled, url: request.url, message: "cancelled before start"))
        }
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        var headerList: UnsafeMutablePointer<curl_slist>?
        var connectTo: UnsafeMutablePointer<curl_slist>?
        defer {
            curl_slist_free_all(headerList)
            curl_slist_free_all(connectTo)
        }
        let streaming: Bool
        if case .streaming = mode { streaming = true } else { streaming = false }

        _ = hpa_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = hpa_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = hpa_curl_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent)
        if options.acceptCompressedResponses {
            _ = hpa_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl has: gzip, deflate, ...
        }
        _ = hpa_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeout.milliseconds)
        _ = hpa_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        _ = hpa_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        _ = hpa_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        if !streaming, let timeout = request.timeout ?? options.requestTimeout {
            _ = hpa_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeout.milliseconds)
        }

        // URL, with tls-server-name done as "connect to the real host, talk to the named one".
        var url = request.url
        if let serverName = tls.serverName, !serverName.isEmpty, let parts = URLParts(url), parts.host != serverName {
            url = parts.replacingHost(with: serverName)
            connectTo = curl_slist_append(nil, "\(serverName):\(parts.port):\(parts.bracketedHost):\(parts.port)")
            _ = hpa_curl_setopt_slist(handle, CURLOPT_CONNECT_TO, connectTo)
        }
        if hpa_curl_setopt_string(handle, CURLOPT_URL, url) != CURLE_OK {
            return .failure(TransportError(kind: .badURL, url: request.url, message: "libcurl rejected the URL"))
        }

        // Method and body.
        switch (request.method, request.body) {
        case ("GET", nil):
            _ = hpa_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case ("HEAD", nil):
            _ = hpa_curl_setopt_long(handle, CURLOPT_NOBODY, 1)  // no body follows; do not wait for one
        case (let method, let body?):
            _ = hpa_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { raw in
                _ = hpa_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)))
            }
            if method != "POST" { _ = hpa_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method) }
        case (let method, nil):
            _ = hpa_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
            _ = hpa_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
        }

        // Headers ("Expect:" stops libcurl's 100-continue round trip on larger bodies).
        for field in request.headers.fields + [HeaderField("Expect", "")] {
            let line = field.value.isEmpty ? "\(field.name):" : "\(field.name): \(field.value)"
            headerList = curl_slist_append(headerList, line)
        }
        _ = hpa_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)

        // TLS: in-memory PEM blobs, never temporary files.
        if let ca = tls.caPEM { setBlob(handle, CURLOPT_CAINFO_BLOB, ca) }
        if let identity = request.clientIdentity ?? tls.clientIdentity {
            setBlob(handle, CURLOPT_SSLCERT_BLOB, identity.certificatePEM)
            _ = hpa_curl_setopt_string(handle, CURLOPT_SSLCERTTYPE, "PEM")
            setBlob(handle, CURLOPT_SSLKEY_BLOB, identity.keyPEM)
            _ = hpa_curl_setopt_string(handle, CURLOPT_SSLKEYTYPE, "PEM")
        }
        if tls.insecureSkipVerify {
            _ = hpa_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            _ = hpa_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        }
        // Always set: "" turns off libcurl's own environment proxy rules (ours follow Go's).
        _ = hpa_curl_setopt_string(handle, CURLOPT_PROXY, tls.proxyURL ?? "")

        // Callbacks. The progress callback fires at least once a second even on an idle
        // connection, which is what lets cancellation abort a quiet watch promptly.
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = hpa_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        _ = hpa_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        _ = hpa_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        _ = hpa_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, me)
        _ = hpa_curl_setopt_xferinfo(handle, curlProgressCallback)
        _ = hpa_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, me)
        _ = hpa_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)

        let code = curl_easy_perform(handle)
        if code == CURLE_OK { return .success(()) }
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        var kind = Self.kind(of: code, cancelled: cancelled.load(ordering: .relaxed))
        // A client certificate the server refuses shows up as a TLS alert while reading (TLS 1.3).
        if kind == .protocolError, detail.contains("alert"), detail.contains("certificate") { kind = .tls }
        return .failure(TransportError(kind: kind, url: request.url, message: detail))
    }

    private func setBlob(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ data: Data) {
        data.withUnsafeBytes { raw in
            _ = hpa_curl_setopt_blob(handle, option, raw.baseAddress, raw.count)
        }
    }

    static func kind(of code: CURLcode, cancelled: Bool) -> TransportError.Kind {
        if cancelled || code == CURLE_ABORTED_BY_CALLBACK { return .cancelled }
        return switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .couldNotResolveHost
        case CURLE_COULDNT_CONNECT: .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT: .timedOut
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CRL_BADFILE:
            .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: .badURL
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2,
             CURLE_HTTP2_STREAM, CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING:
            .protocolError
        default: .other
        }
    }

    // Trampolines for the C callbacks.
    fileprivate static func from(_ pointer: UnsafeMutableRawPointer?) -> CurlTransfer? {
        guard let pointer else { return nil }
        return Unmanaged<CurlTransfer>.fromOpaque(pointer).takeUnretainedValue()
    }
}

private func curlWriteCallback(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    let (total, overflow) = size.multipliedReportingOverflow(by: count)
    guard !overflow, let transfer = CurlTransfer.from(userdata) else { return 0 }
    if transfer.cancelled.load(ordering: .relaxed) { return 0 }
    if let buffer, total > 0 { transfer.receivedBody(UnsafeRawBufferPointer(start: buffer, count: total)) }
    return total
}

private func curlHeaderCallback(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    let (total, overflow) = size.multipliedReportingOverflow(by: count)
    guard !overflow, let transfer = CurlTransfer.from(userdata) else { return 0 }
    if let buffer, total > 0 { transfer.receivedHeaderLine(Data(bytes: buffer, count: total)) }
    return total
}

private func curlProgressCallback(_ userdata: UnsafeMutableRawPointer?, _ dltotal: curl_off_t, _ dlnow: curl_off_t,
                                  _ ultotal: curl_off_t, _ ulnow: curl_off_t) -> Int32 {
    guard let transfer = CurlTransfer.from(userdata) else { return 1 }
    return transfer.cancelled.load(ordering: .relaxed) ? 1 : 0
}

extension Duration {
    /// Whole milliseconds, clamped to what a C `long` holds.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? 0 : Int.max }
        return max(0, Int(ms) + Int(attoseconds / 1_000_000_000_000_000))
    }
}

extension CurlTransfer {
    /// Reports a failure without running (the handle could not be created).
    func perform(failingWith message: String) {
        let error = TransportError(kind: .other, url: request.url, message: message)
        switch mode {
        case .buffered(let completion): completion(.failure(error))
        case .streaming(let head, let lines):
            head(.failure(error))
            lines.finish(throwing: error)
        }
    }
}
