import Yams
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Loads and merges kubeconfig files the way client-go's clientcmd does, and resolves one context
/// into a `ClientConfiguration`.
///
/// Rules: `explicitPath` (must exist, not merged) else the `KUBECONFIG` list (`:`-separated,
/// duplicates dropped, missing files skipped) else `~/.kube/config`. For clusters, users and
/// contexts the first file that defines a name wins entirely; the first file that sets
/// `current-context` wins. Relative paths resolve against the folder of the file they are in.
public struct KubeConfigLoader: Sendable {
    public var explicitPath: String?
    public var context: String?
    public var namespace: String?
    public var environment: [String: String]

    public init(explicitPath: String? = nil, context: String? = nil, namespace: String? = nil,
                environment: [String: String] = ProcessInfoEnvironment.current) {
        self.explicitPath = explicitPath
        self.context = context
        self.namespace = namespace
        self.environment = environment
    }

    /// A merged set of kubeconfig files; each entry remembers the file it came from.
    public struct Merged: Sendable {
        public var files: [String] = []
        public var currentContext: String?
        public var clusters: [String: (cluster: KubeConfigFile.Cluster, file: String)] = [:]
        public var users: [String: (user: KubeConfigFile.User, file: String)] = [:]
        public var contexts: [String: (context: KubeConfigFile.Context, file: String)] = [:]
    }

    /// The files to read, in precedence order (explicit path, KUBECONFIG list, or ~/.kube/config).
    public func candidatePaths() -> [String] {
        if let explicitPath { return [absolute(explicitPath)] }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            return list.split(separator: ":").map { absolute(String($0)) }.filter { seen.insert($0).inserted }
        }
        return [absolute((environment["HOME"] ?? "~") + "/.kube/config")]
    }

    public func loadMerged() throws -> Merged {
        var merged = Merged()
        for path in candidatePaths() {
            guard FileManager.default.fileExists(atPath: path) else {
                if explicitPath != nil {
                    throw ConfigError(.fileNotFound, source: path, "kubeconfig file given with --kubeconfig does not exist")
                }
                continue
            }
            let file = try Self.parse(path: path)
            merged.files.append(path)
            if merged.currentContext == nil, let current = file.currentContext, !current.isEmpty {
                merged.currentContext = current
            }
            for entry in file.clusters ?? [] where merged.clusters[entry.name] == nil {
                merged.clusters[entry.name] = (entry.cluster, path)
            }
            for entry in file.users ?? [] where merged.users[entry.name] == nil {
                merged.users[entry.name] = (entry.user, path)
            }
            for entry in file.contexts ?? [] where merged.contexts[entry.name] == nil {
                merged.contexts[entry.name] = (entry.context, path)
            }
        }
        return merged
    }

    /// Reads one kubeconfig file; an empty file is an empty config.
    public static func parse(path: String) throws -> KubeConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(.unreadableFile, source: path, "cannot read kubeconfig file")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.trimmingWhitespace().isEmpty { return KubeConfigFile() }
        do {
            return try YAMLDecoder().decode(KubeConfigFile.self, from: text)
        } catch let error as DecodingError {
            throw ConfigError(.malformed, source: path, field: error.fieldPath, "invalid kubeconfig: \(error.summary)")
        } catch {
            throw ConfigError(.malformed, source: path, "invalid kubeconfig YAML: \(error)")
        }
    }

    /// Resolves the chosen context into a configuration, reading referenced files.
    public func resolve() throws -> ClientConfiguration {
        let merged = try loadMerged()
        let sources = merged.files.isEmpty ? candidatePaths().joined(separator: ":") : merged.files.joined(separator: ":")
        guard let contextName = context ?? merged.currentContext, !contextName.isEmpty else {
            throw ConfigError(.noContext, source: sources,
                              merged.files.isEmpty ? "no kubeconfig file found" : "no context chosen: current-context is unset and no --context was given")
        }
        guard let (contextEntry, contextFile) = merged.contexts[contextName] else {
            throw ConfigError(.unknownContext, source: sources, field: "contexts", "context \"\(contextName)\" does not exist")
        }
        let clusterName = contextEntry.cluster ?? ""
        guard let (cluster, clusterFile) = merged.clusters[clusterName] else {
            throw ConfigError(.unknownCluster, source: contextFile, field: "contexts[\(contextName)].context.cluster",
                              "cluster \"\(clusterName)\" was not found for context \"\(contextName)\"")
        }
        let clusterField = "clusters[\(clusterName)].cluster"
        guard var server = cluster.server?.trimmingWhitespace(), !server.isEmpty else {
            throw ConfigError(.missingServer, source: clusterFile, field: clusterField + ".server", "no server found for cluster \"\(clusterName)\"")
        }
        if !server.contains("://") {
            // client-go's DefaultServerURL: https when any TLS setting is present, http otherwise.
            let user = contextEntry.user.flatMap { merged.users[$0]?.user }
            let tlsConfigured = cluster.insecureSkipTLSVerify == true
                || !(cluster.certificateAuthority ?? "").isEmpty || !(cluster.certificateAuthorityData ?? "").isEmpty
                || !(user?.clientCertificate ?? "").isEmpty || !(user?.clientCertificateData ?? "").isEmpty
            server = (tlsConfigured ? "https://" : "http://") + server
        }
        while server.hasSuffix("/") { server.removeLast() }
        guard URLParts(server) != nil else {
            throw ConfigError(.malformed, source: clusterFile, field: clusterField + ".server", "not a valid URL: \(server)")
        }

        var tls = TLSSettings(insecureSkipVerify: cluster.insecureSkipTLSVerify ?? false,
                              serverName: cluster.tlsServerName.flatMap { $0.isEmpty ? nil : $0 },
                              proxyURL: cluster.proxyURL.flatMap { $0.isEmpty ? nil : $0 })
        let reader = FileFieldReader(baseFile: clusterFile)
        tls.caPEM = try reader.data(inline: cluster.certificateAuthorityData, path: cluster.certificateAuthority,
                                    field: clusterField + ".certificate-authority")
        if tls.insecureSkipVerify && tls.caPEM != nil {
            throw ConfigError(.conflictingOptions, source: clusterFile, field: clusterField + ".insecure-skip-tls-verify",
                              "specifying a root certificates file with the insecure flag is not allowed")
        }

        var credentials = CredentialSource.none
        if let userName = contextEntry.user, !userName.isEmpty {
            guard let (user, userFile) = merged.users[userName] else {
                throw ConfigError(.unknownContext, source: contextFile, field: "contexts[\(contextName)].context.user",
                                  "user \"\(userName)\" was not found for context \"\(contextName)\"")
            }
            let userField = "users[\(userName)].user"
            let userReader = FileFieldReader(baseFile: userFile)
            let cert = try userReader.data(inline: user.clientCertificateData, path: user.clientCertificate, field: userField + ".client-certificate")
            let key = try userReader.data(inline: user.clientKeyData, path: user.clientKey, field: userField + ".client-key")
            switch (cert, key) {
            case (let cert?, let key?): tls.clientIdentity = ClientIdentity(certificatePEM: cert, keyPEM: key)
            case (nil, nil): break
            case (nil, _?):
                throw ConfigError(.conflictingOptions, source: userFile, field: userField + ".client-certificate", "client-key is set but client-certificate is not")
            case (_?, nil):
                throw ConfigError(.conflictingOptions, source: userFile, field: userField + ".client-key", "client-certificate is set but client-key is not")
            }
            if var exec = user.exec {
                if exec.command.contains("/") { exec.command = userReader.resolve(exec.command) }
                var info: ExecClusterInfo?
                if exec.provideClusterInfo == true {
                    info = ExecClusterInfo(server: server, certificateAuthorityData: tls.caPEM.map { $0.base64EncodedString() },
                                           tlsServerName: tls.serverName, insecureSkipTLSVerify: tls.insecureSkipVerify,
                                           proxyURL: tls.proxyURL, disableCompression: cluster.disableCompression)
                }
                credentials = .exec(exec, cluster: info)
            } else if let tokenFile = user.tokenFile, !tokenFile.isEmpty {
                credentials = .tokenFile(path: userReader.resolve(tokenFile), initial: user.token.flatMap { $0.isEmpty ? nil : $0 })
            } else if let token = user.token, !token.isEmpty {
                credentials = .token(token)
            } else if let username = user.username, !username.isEmpty {
                credentials = .basic(username: username, password: user.password ?? "")
            }
        }
        let chosenNamespace = namespace ?? contextEntry.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return ClientConfiguration(server: server, tls: tls, credentials: credentials, namespace: chosenNamespace,
                                   contextName: contextName, disableCompression: cluster.disableCompression ?? false,
                                   source: sources, environmentProxyURL: ProxyEnvironment.proxy(for: server, environment: environment))
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// Reads `*-data` (base64) or file fields, naming the field and file in errors.
struct FileFieldReader {
    let baseFile: String

    var directory: String {
        guard let slash = baseFile.lastIndex(of: "/") else { return "." }
        return String(baseFile[..<slash])
    }

    /// A path relative to the kubeconfig's folder becomes absolute.
    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : directory + "/" + path
    }

    /// Inline data wins over the file, as in client-go.
    func data(inline: String?, path: String?, field: String) throws -> Data? {
        if let inline, !inline.isEmpty {
            let compact = inline.filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: compact) else {
                throw ConfigError(.badBase64, source: baseFile, field: field + "-data", "is not valid base64")
            }
            return data
        }
        guard let path, !path.isEmpty else { return nil }
        let full = resolve(path)
        guard FileManager.default.fileExists(atPath: full) else {
            throw ConfigError(.fileNotFound, source: baseFile, field: field, "file \(full) does not exist")
        }
        guard let data = FileManager.default.contents(atPath: full) else {
            throw ConfigError(.unreadableFile, source: baseFile, field: field, "cannot read file \(full)")
        }
        return data
    }
}

extension DecodingError {
    /// The coding path as `clusters[0].cluster.server`.
    var fieldPath: String? {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        @unknown default: return nil
        }
        guard !path.isEmpty else { return nil }
        return path.reduce(into: "") { text, key in
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : "." + key.stringValue }
        }
    }

    var summary: String {
        switch self {
        case .typeMismatch(let type, let context): "expected \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context): "missing \(type): \(context.debugDescription)"
        case .keyNotFound(let key, _): "missing field \"\(key.stringValue)\""
        case .dataCorrupted(let context): context.debugDescription
        @unknown default: "\(self)"
        }
    }
}
