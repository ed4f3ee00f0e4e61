#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Configuration from inside a pod: `KUBERNETES_SERVICE_HOST`/`PORT`, and the service account's
/// token (re-read as it rotates), CA bundle and namespace files.
public enum InClusterConfig {
    public static let defaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    public static func isAvailable(environment: [String: String]) -> Bool {
        !(environment["KUBERNETES_SERVICE_HOST"] ?? "").isEmpty && !(environment["KUBERNETES_SERVICE_PORT"] ?? "").isEmpty
    }

    /// - Parameter directory: where `token`, `ca.crt` and `namespace` live (tests pass their own).
    public static func load(environment: [String: String], directory: String = defaultDirectory) throws -> ClientConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw ConfigError(.notInCluster, source: "in-cluster",
                              "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined")
        }
        guard let portNumber = Int(port), (1...65535).contains(portNumber) else {
            throw ConfigError(.malformed, source: "in-cluster", field: "KUBERNETES_SERVICE_PORT", "not a port number: \(port)")
        }
        let tokenPath = directory + "/token"
        guard FileManager.default.fileExists(atPath: tokenPath) else {
            throw ConfigError(.fileNotFound, source: "in-cluster", field: "token", "service account token file \(tokenPath) does not exist")
        }
        // client-go only logs an unreadable CA; we do the same by falling back to the system store.
        let ca = FileManager.default.contents(atPath: directory + "/ca.crt")
        var namespace = "default"
        if let fromEnv = environment["POD_NAMESPACE"], !fromEnv.isEmpty {
            namespace = fromEnv
        } else if let data = FileManager.default.contents(atPath: directory + "/namespace") {
            let text = String(decoding: data, as: UTF8.self).trimmingWhitespace()
            if !text.isEmpty { namespace = text }
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return ClientConfiguration(server: "https://\(hostPart):\(portNumber)", tls: TLSSettings(caPEM: ca),
                                   credentials: .tokenFile(path: tokenPath, initial: nil), namespace: namespace,
                                   contextName: nil, source: "in-cluster")
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
