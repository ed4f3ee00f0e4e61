#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything needed to talk to one API server, resolved from a kubeconfig or in-cluster files.
/// Its descriptions never show credentials.
public struct ClientConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// Base URL without a trailing slash, e.g. `https://10.0.0.1:6443`.
    public var server: String
    public var tls: TLSSettings
    public var credentials: CredentialSource
    /// The namespace to work in (`default` when none is configured).
    public var namespace: String
    /// The kubeconfig context this came from; `nil` for in-cluster configuration.
    public var contextName: String?
    public var disableCompression: Bool
    /// Where this came from, for messages: kubeconfig paths or `in-cluster`.
    public var source: String
    /// The proxy the environment names for `server` (Go's rules, see `ProxyEnvironment`); used
    /// when the kubeconfig has no `proxy-url`.
    public var environmentProxyURL: String?

    public init(server: String, tls: TLSSettings = TLSSettings(), credentials: CredentialSource = .none,
                namespace: String = "default", contextName: String? = nil, disableCompression: Bool = false,
                source: String = "explicit", environmentProxyURL: String? = nil) {
        self.server = server
        self.tls = tls
        self.credentials = credentials
        self.namespace = namespace
        self.contextName = contextName
        self.disableCompression = disableCompression
        self.source = source
        self.environmentProxyURL = environmentProxyURL
    }

    public var description: String {
        "ClientConfiguration(server: \(server), context: \(contextName ?? "-"), namespace: \(namespace), credentials: \(credentials), source: \(source))"
    }
}

/// How requests authenticate (besides a client certificate, which lives in `TLSSettings`).
public enum CredentialSource: Sendable, Hashable, CustomStringConvertible {
    case none
    case token(String)
    /// A token file re-read about every 50 s and after a 401; `initial` is kubeconfig `token`, if also set.
    case tokenFile(path: String, initial: String?)
    case basic(username: String, password: String)
    case exec(ExecConfig, cluster: ExecClusterInfo?)

    public var description: String {
        switch self {
        case .none: "none"
        case .token: "token(<redacted>)"
        case .tokenFile(let path, _): "tokenFile(\(path))"
        case .basic(let username, _): "basic(\(username), <redacted>)"
        case .exec(let config, _): "exec(\(config.command))"
        }
    }
}

/// The `spec.cluster` an exec plugin receives in `KUBERNETES_EXEC_INFO` when `provideClusterInfo` is set.
public struct ExecClusterInfo: Codable, Sendable, Hashable {
    public var server: String
    public var certificateAuthorityData: String?
    public var tlsServerName: String?
    public var insecureSkipTLSVerify: Bool?
    public var proxyURL: String?
    public var disableCompression: Bool?
    enum CodingKeys: String, CodingKey {
        case server
        case certificateAuthorityData = "certificate-authority-data"
        case tlsServerName = "tls-server-name"
        case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        case proxyURL = "proxy-url"
        case disableCompression = "disable-compression"
    }
}

extension ClientConfiguration {
    /// client-go's order for a controller: `--kubeconfig`; else `KUBECONFIG`; else `~/.kube/config`
    /// if it exists; else the in-cluster service account.
    public static func resolve(kubeconfig: String? = nil, context: String? = nil, namespace: String? = nil,
                               environment: [String: String] = ProcessInfoEnvironment.current) throws -> ClientConfiguration {
        var loader = KubeConfigLoader(explicitPath: kubeconfig, context: context, namespace: namespace, environment: environment)
        if kubeconfig != nil || !(environment["KUBECONFIG"] ?? "").isEmpty { return try loader.resolve() }
        if let home = environment["HOME"], FileManager.default.fileExists(atPath: home + "/.kube/config") {
            return try loader.resolve()
        }
        if InClusterConfig.isAvailable(environment: environment) {
            var config = try InClusterConfig.load(environment: environment)
            if let namespace { config.namespace = namespace }
            config.environmentProxyURL = ProxyEnvironment.proxy(for: config.server, environment: environment)
            return config
        }
        loader.explicitPath = nil
        return try loader.resolve()
    }
}

/// The process environment, read once (kept out of the API so tests can pass their own).
public enum ProcessInfoEnvironment {
    public static var current: [String: String] { ProcessInfo.processInfo.environment }
}
