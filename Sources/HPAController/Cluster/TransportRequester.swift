#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI
import KubeClient
import Synchronization

/// A ``KubeRequester`` straight over a `KubeClient.Transport` (libcurl in production): base URL,
/// fixed headers (e.g. `Authorization`), JSON accept, a client-side token-bucket rate limit
/// (`--kube-api-qps`, `--kube-api-burst`) and a default per-request timeout.
public final class TransportRequester: KubeRequester {
    public let transport: any Transport
    public let baseURL: String
    public let headers: HeaderFields
    public let defaultTimeout: Duration
    private let limiter: TokenBucket?

    /// - Parameters:
    ///   - qps: sustained requests per second; 0 or less disables the limit. Watches are not limited.
    ///   - burst: bucket size.
    public init(transport: any Transport, baseURL: String, headers: HeaderFields = [:], qps: Double = 20, burst: Int = 30,
                defaultTimeout: Duration = .seconds(30)) {
        self.transport = transport
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.headers = headers
        self.defaultTimeout = defaultTimeout
        self.limiter = qps > 0 ? TokenBucket(qps: qps, burst: max(1, burst)) : nil
    }

    private func httpRequest(_ request: APIRequest) -> TransportRequest {
        var fields = headers
        fields.set("Accept", "application/json")
        if let contentType = request.contentType { fields.set("Content-Type", contentType) }
        return TransportRequest(method: request.method, url: baseURL + request.pathAndQuery, headers: fields,
                           body: request.body, timeout: request.timeout ?? defaultTimeout)
    }

    public func send(_ request: APIRequest) async throws -> Data {
        if let limiter { try await limiter.acquire() }
        let response = try await transport.send(httpRequest(request))
        guard (200..<300).contains(response.status) else {
            throw APIError(method: request.method, path: request.path, code: response.status,
                           status: try? JSONDecoder().decode(Status.self, from: response.body))
        }
        return response.body
    }

    public func watch(_ request: APIRequest) async throws -> AsyncThrowingStream<Data, any Error> {
        var http = httpRequest(request)
        http.timeout = nil
        let response = try await transport.stream(http)
        guard (200..<300).contains(response.status) else {
            var body = Data()
            for try await line in response.lines { body.append(line) }
            throw APIError(method: request.method, path: request.path, code: response.status,
                           status: try? JSONDecoder().decode(Status.self, from: body))
        }
        return response.lines
    }
}

/// client-go's token bucket: `burst` tokens, refilled at `qps` per second; `acquire` waits for one.
final class TokenBucket: Sendable {
    private struct State { var tokens: Double; var last: ContinuousClock.Instant }
    private let qps: Double
    private let burst: Double
    private let state: Mutex<State>

    init(qps: Double, burst: Int) {
        self.qps = qps
        self.burst = Double(burst)
        state = Mutex(State(tokens: Double(burst), last: ContinuousClock.now))
    }

    func acquire() async throws {
        let wait: Double = state.withLock { state in
            let now = ContinuousClock.now
            let elapsed = state.last.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.tokens = min(burst, state.tokens + seconds * qps)
            state.last = now
            state.tokens -= 1
            return state.tokens >= 0 ? 0 : -state.tokens / qps
        }
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
    }
}
