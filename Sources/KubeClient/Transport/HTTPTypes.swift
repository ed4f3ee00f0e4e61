#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One HTTP header field. Names compare case-insensitively (see `HeaderFields`).
public struct HeaderField: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An ordered list of header fields with case-insensitive look-up.
public struct HeaderFields: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    public var fields: [HeaderField]
    public init(_ fields: [HeaderField] = []) { self.fields = fields }
    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { HeaderField($0.0, $0.1) }
    }
    /// The first value of `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }
    /// Replaces every field called `name` by one field with `value`.
    public mutating func set(_ name: String, _ value: String) {
        let lowered = name.lowercased()
        fields.removeAll { $0.name.lowercased() == lowered }
        fields.append(HeaderField(name, value))
    }
}

/// A client certificate and its private key, PEM-encoded, handed to libcurl as in-memory blobs.
public struct ClientIdentity: Sendable, Hashable {
    public var certificatePEM: Data
    public var keyPEM: Data
    public init(certificatePEM: Data, keyPEM: Data) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }
}

/// How a transport reaches and verifies one API server.
public struct TLSSettings: Sendable, Hashable {
    /// PEM bundle of trusted CAs; `nil` means the system store.
    public var caPEM: Data?
    /// A static client certificate (kubeconfig `client-certificate[-data]`).
    public var clientIdentity: ClientIdentity?
    /// kubeconfig `insecure-skip-tls-verify`.
    public var insecureSkipVerify: Bool
    /// kubeconfig `tls-server-name`: the name sent as SNI and checked against the certificate.
    public var serverName: String?
    /// kubeconfig `proxy-url` (http, https, socks5); `nil` means no proxy (environment variables are
    /// resolved beforehand, see `ProxyEnvironment`).
    public var proxyURL: String?
    public init(caPEM: Data? = nil, clientIdentity: ClientIdentity? = nil, insecureSkipVerify: Bool = false,
                serverName: String? = nil, proxyURL: String? = nil) {
        self.caPEM = caPEM
        self.clientIdentity = clientIdentity
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
        self.proxyURL = proxyURL
    }
}

/// One HTTP request with an absolute URL.
public struct TransportRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: HeaderFields
    public var body: Data?
    /// Whole-request deadline; `nil` uses the transport's default (never applied to streams).
    public var timeout: Duration?
    /// A per-request client certificate (exec plugins may return one); overrides the transport's.
    public var clientIdentity: ClientIdentity?

    public init(method: String = "GET", url: String, headers: HeaderFields = [:], body: Data? = nil,
                timeout: Duration? = nil, clientIdentity: ClientIdentity? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.clientIdentity = clientIdentity
    }
}

/// A complete HTTP response.
public struct TransportResponse: Sendable {
    public var status: Int
    public var headers: HeaderFields
    public var body: Data
    public init(status: Int, headers: HeaderFields = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A response whose body arrives as newline-delimited lines (watch streams). The status and
/// headers are known when this value is returned; lines are delivered as they arrive, without
/// their trailing newline. Ending iteration (or cancelling the iterating task) aborts the transfer.
public struct StreamingTransportResponse: Sendable {
    public var status: Int
    public var headers: HeaderFields
    public var lines: AsyncThrowingStream<Data, any Error>
    public init(status: Int, headers: HeaderFields, lines: AsyncThrowingStream<Data, any Error>) {
        self.status = status
        self.headers = headers
        self.lines = lines
    }
}

/// Request in, response out. The libcurl implementation is `CurlTransport`; tests use `FakeTransport`.
public protocol Transport: Sendable {
    /// Sends `request` and returns the whole response, whatever its status code.
    func send(_ request: TransportRequest) async throws -> TransportResponse
    /// Sends `request` and returns as soon as the response head has arrived.
    func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse
}

/// Why a request got no HTTP response. Messages name the URL and never carry credentials.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case couldNotResolveHost, couldNotConnect, timedOut, tls, cancelled, badURL, protocolError, other
    }
    public var kind: Kind
    public var url: String
    public var message: String
    public init(kind: Kind, url: String, message: String) {
        self.kind = kind
        self.url = url
        self.message = message
    }
    public var description: String { "\(kind.rawValue) for \(url): \(message)" }

    /// Connection-level failures a retry may fix (the request may not have reached the server).
    public var isRetryable: Bool {
        switch kind {
        case .couldNotResolveHost, .couldNotConnect, .timedOut, .protocolError: true
        case .tls, .cancelled, .badURL, .other: false
        }
    }
}
