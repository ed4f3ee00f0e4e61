import KubeAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// When and how often to retry: 429 (any method), 5xx and connection errors (idempotent methods
/// only), with jittered exponential backoff, honouring `Retry-After`.
public struct RetryPolicy: Sendable {
    /// Total attempts including the first; 1 disables retries.
    public var maxAttempts: Int = 5
    public var initialBackoff: Duration = .milliseconds(200)
    public var maxBackoff: Duration = .seconds(10)
    /// A server's `Retry-After` is capped at this.
    public var maxRetryAfter: Duration = .seconds(60)
    public init() {}
    public init(maxAttempts: Int, initialBackoff: Duration, maxBackoff: Duration = .seconds(10), maxRetryAfter: Duration = .seconds(60)) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
    }
    public static let none = RetryPolicy(maxAttempts: 1, initialBackoff: .zero)

    /// Backoff before retry number `retry` (0-based): base·2^retry capped, times a jitter in [0.5, 1).
    func backoff(retry: Int) -> Duration {
        let base = initialBackoff.seconds * Double(1 << min(max(retry, 0), 30))
        let capped = min(base, maxBackoff.seconds)
        return .seconds(capped * Double.random(in: 0.5..<1.0))
    }
}

/// The Kubernetes API client: authentication, rate limit, retries and error decoding around a
/// `Transport`, with typed calls in extensions (`get`, `list`, `watch`, `scale`, metrics, ...).
public struct KubeClient: Sendable {
    public let configuration: ClientConfiguration
    public let transport: any Transport
    public let credentials: CredentialProvider
    public let rateLimiter: RateLimiter?
    public let retryPolicy: RetryPolicy
    /// Discovery cache and `scaleTargetRef` mapping.
    public let discovery: Discovery

    /// - Parameters:
    ///   - transport: `nil` builds a `CurlTransport` from the configuration's TLS settings.
    ///   - qps, burst: client-side rate limit; `qps <= 0` disables it.
    ///   - userAgent: `product/version`; ` (linux/<arch>)` is appended unless it has a parenthesis.
    public init(configuration: ClientConfiguration, transport: (any Transport)? = nil, qps: Double = 20, burst: Int = 30,
                retryPolicy: RetryPolicy = RetryPolicy(), userAgent: String? = nil) {
        self.configuration = configuration
        var options = CurlTransportOptions()
        if let userAgent {
            // "product/version" gets the platform appended, as client-go's default does.
            options.userAgent = userAgent.contains("(") ? userAgent : "\(userAgent) \(CurlTransportOptions.platform)"
        }
        options.acceptCompressedResponses = !configuration.disableCompression
        var tls = configuration.tls
        if tls.proxyURL == nil { tls.proxyURL = configuration.environmentProxyURL }
        self.transport = transport ?? CurlTransport(tls: tls, options: options)
        self.credentials = CredentialProvider(source: configuration.credentials)
        self.rateLimiter = qps > 0 ? RateLimiter(qps: qps, burst: burst) : nil
        self.retryPolicy = retryPolicy
        self.discovery = Discovery()
    }

    /// The namespace from the configuration (`default` when unset).
    public var namespace: String { configuration.namespace }

    static let idempotentMethods: Set<String> = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]

    /// Builds the absolute URL for `path` and `query`.
    public func url(_ path: String, query: [(String, String)] = []) -> String {
        let encoded = PathSegment.query(query)
        return configuration.server + path + (encoded.isEmpty ? "" : "?" + encoded)
    }

    /// Sends one request with credentials, rate limiting and retries; returns a 2xx response or
    /// throws `KubeClientError`.
    public func perform(method: String, path: String, query: [(String, String)] = [], body: Data? = nil,
                        contentType: String = "application/json", timeout: Duration? = nil) async throws -> TransportResponse {
        let url = url(path, query: query)
        var refreshedAfter401 = false
        var attempt = 0
        while true {
            attempt += 1
            let request = try await prepare(method: method, url: url, body: body, contentType: contentType, timeout: timeout)
            let response: TransportResponse
            do {
                response = try await transport.send(request)
            } catch let error as TransportError {
                let failure = KubeClientError(code: .transport, method: method, url: url, transportError: error, message: "\(error.kind.rawValue): \(error.message)")
                if error.isRetryable, Self.idempotentMethods.contains(method), attempt < retryPolicy.maxAttempts {
                    try await Task.sleep(for: retryPolicy.backoff(retry: attempt - 1))
                    continue
                }
                throw failure
            }
            if (200..<300).contains(response.status) { return response }
            let failure = KubeClientError.from(response: response, method: method, url: url)
            if response.status == 401, !refreshedAfter401, credentials.canRefresh {
                refreshedAfter401 = true
                await credentials.invalidate()
                continue
            }
            if shouldRetry(failure, method: method), attempt < retryPolicy.maxAttempts {
                let delay = failure.retryAfter.map { min($0, retryPolicy.maxRetryAfter) } ?? retryPolicy.backoff(retry: attempt - 1)
                try await Task.sleep(for: delay)
                continue
            }
            throw failure
        }
    }

    private func shouldRetry(_ error: KubeClientError, method: String) -> Bool {
        guard let status = error.httpStatus else { return false }
        if status == 429 { return true }
        // client-go also retries any reply carrying Retry-After; 5xx only when idempotent.
        return status >= 500 && Self.idempotentMethods.contains(method)
    }

    /// Rate limit, then attach credentials and headers.
    func prepare(method: String, url: String, body: Data?, contentType: String, timeout: Duration?) async throws -> TransportRequest {
        if let rateLimiter { try await rateLimiter.acquire() }
        let auth: RequestCredentials
        do {
            auth = try await credentials.credentials()
        } catch let error as ConfigError {
            throw KubeClientError(code: .credentials, method: method, url: url, message: error.description)
        }
        var headers: HeaderFields = ["Accept": "application/json"]
        if body != nil { headers.set("Content-Type", contentType) }
        if let authorization = auth.authorization { headers.set("Authorization", authorization) }
        return TransportRequest(method: method, url: url, headers: headers, body: body, timeout: timeout, clientIdentity: auth.clientIdentity)
    }

    /// Decodes a JSON body, naming the URL and the field on failure.
    func decode<T: Decodable>(_ type: T.Type, from response: TransportResponse, method: String, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch let error as DecodingError {
            let field = error.fieldPath.map { " at \($0)" } ?? ""
            throw KubeClientError(code: .decoding, method: method, url: configuration.server + path, httpStatus: response.status,
                                  message: "cannot decode \(T.self)\(field): \(error.summary) (\(response.body.count) bytes)")
        } catch {
            throw KubeClientError(code: .decoding, method: method, url: configuration.server + path, httpStatus: response.status,
                                  message: "cannot decode \(T.self): \(error)")
        }
    }

    func encode<T: Encodable>(_ value: T, method: String, path: String) throws -> Data {
        do {
            return try JSONEncoder().encode(value)
        } catch {
            throw KubeClientError(code: .decoding, method: method, url: configuration.server + path, message: "cannot encode \(T.self): \(error)")
        }
    }
}
