#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What one request carries to authenticate.
public struct RequestCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The `Authorization` header value, if any.
    public var authorization: String?
    /// A client certificate from an exec plugin (static ones live in `TLSSettings`).
    public var clientIdentity: ClientIdentity?
    public init(authorization: String? = nil, clientIdentity: ClientIdentity? = nil) {
        self.authorization = authorization
        self.clientIdentity = clientIdentity
    }
    public var description: String {
        "RequestCredentials(authorization: \(authorization == nil ? "none" : "<redacted>"), clientIdentity: \(clientIdentity == nil ? "none" : "<redacted>"))"
    }
}

/// Produces credentials for requests and refreshes them: token files are re-read when the cached
/// copy is older than 50 s (client-go: 1 min minus 10 s leeway) and after a 401; exec plugin
/// results are cached until their `expirationTimestamp` and re-run after a 401.
public actor CredentialProvider {
    public let source: CredentialSource
    private let now: @Sendable () -> Date
    private let tokenFileMaxAge: Duration
    private var cached: (credentials: RequestCredentials, fetched: Date, expires: Date?)?
    private var inflight: Task<ExecCredentialResult, any Error>?

    public init(source: CredentialSource, tokenFileMaxAge: Duration = .seconds(50),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.source = source
        self.tokenFileMaxAge = tokenFileMaxAge
        self.now = now
    }

    /// Credentials for the next request.
    public func credentials() async throws -> RequestCredentials {
        switch source {
        case .none:
            return RequestCredentials()
        case .token(let token):
            return RequestCredentials(authorization: "Bearer \(token)")
        case .basic(let username, let password):
            return RequestCredentials(authorization: "Basic " + Data("\(username):\(password)".utf8).base64EncodedString())
        case .tokenFile(let path, let initial):
            if let cached, now().timeIntervalSince(cached.fetched) < tokenFileMaxAge.seconds {
                return cached.credentials
            }
            do {
                let token = try Self.readToken(path)
                let credentials = RequestCredentials(authorization: "Bearer \(token)")
                cached = (credentials, now(), nil)
                return credentials
            } catch {
                // client-go keeps using the old token when a re-read fails.
                if let cached { return cached.credentials }
                if let initial { return RequestCredentials(authorization: "Bearer \(initial)") }
                throw error
            }
        case .exec(let config, let cluster):
            if let cached, cached.expires.map({ now() < $0 }) ?? true { return cached.credentials }
            let task: Task<ExecCredentialResult, any Error>
            if let inflight {
                task = inflight
            } else {
                task = Task { try await ExecPlugin.run(config, cluster: cluster) }
                inflight = task
            }
            defer { inflight = nil }
            let result = try await task.value
            cached = (result.credentials, now(), result.expiration)
            return result.credentials
        }
    }

    /// Called after a 401: the next request re-reads the token file or re-runs the exec plugin.
    public func invalidate() {
        cached = nil
    }

    /// Whether a 401 can be fixed by refreshing (static tokens cannot).
    public nonisolated var canRefresh: Bool {
        switch source {
        case .tokenFile, .exec: true
        case .none, .token, .basic: false
        }
    }

    static func readToken(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(.unreadableFile, source: path, field: "tokenFile", "cannot read token file")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        guard !token.isEmpty else {
            throw ConfigError(.malformed, source: path, field: "tokenFile", "token file is empty")
        }
        return token
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
