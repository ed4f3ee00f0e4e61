#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The kubeconfig file format (YAML or JSON), as far as a client needs it. Unknown keys are ignored.
public struct KubeConfigFile: Codable, Sendable, Hashable {
    public var currentContext: String?
    public var clusters: [NamedCluster]?
    public var users: [NamedUser]?
    public var contexts: [NamedContext]?

    enum CodingKeys: String, CodingKey {
        case currentContext = "current-context", clusters, users, contexts
    }

    public struct NamedCluster: Codable, Sendable, Hashable {
        public var name: String
        public var cluster: Cluster
    }
    public struct NamedUser: Codable, Sendable, Hashable {
        public var name: String
        public var user: User
    }
    public struct NamedContext: Codable, Sendable, Hashable {
        public var name: String
        public var context: Context
    }

    public struct Cluster: Codable, Sendable, Hashable {
        public var server: String?
        public var certificateAuthority: String?
        public var certificateAuthorityData: String?
        public var insecureSkipTLSVerify: Bool?
        public var tlsServerName: String?
        public var proxyURL: String?
        public var disableCompression: Bool?
        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
            case proxyURL = "proxy-url"
            case disableCompression = "disable-compression"
        }
    }

    public struct User: Codable, Sendable, Hashable {
        public var token: String?
        public var tokenFile: String?
        public var clientCertificate: String?
        public var clientCertificateData: String?
        public var clientKey: String?
        public var clientKeyData: String?
        public var username: String?
        public var password: String?
        public var exec: ExecConfig?
        enum CodingKeys: String, CodingKey {
            case token, tokenFile, username, password, exec
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
        }
    }

    public struct Context: Codable, Sendable, Hashable {
        public var cluster: String?
        public var user: String?
        public var namespace: String?
    }
}

/// A kubeconfig `exec` credential plugin stanza.
public struct ExecConfig: Codable, Sendable, Hashable {
    public struct EnvVar: Codable, Sendable, Hashable {
        public var name: String
        public var value: String
    }
    public var apiVersion: String?
    public var command: String
    public var args: [String]?
    public var env: [EnvVar]?
    public var provideClusterInfo: Bool?
    public var interactiveMode: String?
    public var installHint: String?
}
