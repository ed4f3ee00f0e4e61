import Foundation
import Testing
@testable import KubeClient

@Suite("kubeconfig loading and bad input")
struct KubeConfigTests {
    static let minimal = """
    current-context: dev
    clusters:
    - name: c
      cluster: {server: "https://first.example:6443"}
    users:
    - name: u
      user: {token: s3cr3t-token}
    contexts:
    - name: dev
      context: {cluster: c, user: u}
    """

    @Test func mergedListFirstDefinitionWins() throws {
        let dir = try TempDirectory()
        let a = try dir.write("a", Self.minimal)
        let b = try dir.write("b", Self.minimal.replacingOccurrences(of: "first", with: "second").replacingOccurrences(of: "dev", with: "b"))
        let config = try KubeConfigLoader(environment: ["KUBECONFIG": "\(a):\(b)"]).resolve()
        #expect(config.server == "https://first.example:6443")
        #expect(config.namespace == "default")
        #expect(config.credentials == .token("s3cr3t-token"))
        let other = try KubeConfigLoader(context: "b", namespace: "override", environment: ["KUBECONFIG": "\(b):\(a)"]).resolve()
        #expect(other.server == "https://second.example:6443")
        #expect(other.namespace == "override")
    }

    @Test func descriptionsNeverShowSecrets() throws {
        let dir = try TempDirectory()
        let a = try dir.write("a", Self.minimal)
        let config = try KubeConfigLoader(environment: ["KUBECONFIG": a]).resolve()
        #expect(!String(describing: config).contains("s3cr3t"))
        #expect(!String(describing: config.credentials).contains("s3cr3t"))
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String?
        var context: String? = nil
        var code: ConfigError.Code
        /// Words the message must contain (file names, fields).
        var mentions: [String]
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "missing explicit file", text: nil, code: .fileNotFound, mentions: ["config.yaml", "does not exist"]),
        BadCase(name: "malformed YAML", text: "clusters: [ {name: c, cluster: ", code: .malformed, mentions: ["config.yaml"]),
        BadCase(name: "wrong type", text: "clusters:\n- name: c\n  cluster: {server: [1, 2]}\n", code: .malformed, mentions: ["config.yaml", "server"]),
        BadCase(name: "no current context", text: "clusters: []\n", code: .noContext, mentions: ["config.yaml", "context"]),
        BadCase(name: "unknown context", text: minimal, context: "nope", code: .unknownContext, mentions: ["\"nope\""]),
        BadCase(name: "unknown cluster", text: minimal.replacingOccurrences(of: "{cluster: c,", with: "{cluster: zz,"),
                code: .unknownCluster, mentions: ["\"zz\"", "contexts[dev].context.cluster"]),
        BadCase(name: "missing server", text: minimal.replacingOccurrences(of: "server: \"https://first.example:6443\"", with: "insecure-skip-tls-verify: true"),
                code: .missingServer, mentions: ["clusters[c].cluster.server"]),
        BadCase(name: "missing CA file", text: minimal.replacingOccurrences(of: "6443\"}", with: "6443\", certificate-authority: nothere.crt}"),
                code: .fileNotFound, mentions: ["clusters[c].cluster.certificate-authority", "nothere.crt"]),
        BadCase(name: "bad base64", text: minimal.replacingOccurrences(of: "6443\"}", with: "6443\", certificate-authority-data: \"!!notbase64!!\"}"),
                code: .badBase64, mentions: ["certificate-authority-data"]),
        BadCase(name: "CA with insecure", text: minimal.replacingOccurrences(of: "6443\"}", with: "6443\", certificate-authority-data: QUJD, insecure-skip-tls-verify: true}"),
                code: .conflictingOptions, mentions: ["insecure"]),
        BadCase(name: "key without certificate", text: minimal.replacingOccurrences(of: "{token: s3cr3t-token}", with: "{client-key-data: QUJD}"),
                code: .conflictingOptions, mentions: ["users[u].user.client-certificate"]),
    ]

    @Test(arguments: badCases)
    func badInputNamesTheProblem(_ bad: BadCase) throws {
        let dir = try TempDirectory()
        let path = dir.path + "/config.yaml"
        if let text = bad.text { try dir.write("config.yaml", text) }
        do {
            _ = try KubeConfigLoader(explicitPath: path, context: bad.context, environment: [:]).resolve()
            Issue.record("expected \(bad.code)")
        } catch let error as ConfigError {
            #expect(error.code == bad.code)
            for word in bad.mentions { #expect(error.description.contains(word), "\(error) should mention \(word)") }
            #expect(!error.description.contains("s3cr3t"))
        }
    }

    @Test func schemeLessServerGetsHTTPOrHTTPSLikeClientGo() throws {
        let dir = try TempDirectory()
        let plain = try dir.write("plain", Self.minimal.replacingOccurrences(of: "https://first.example:6443", with: "127.0.0.1:8080"))
        #expect(try KubeConfigLoader(explicitPath: plain, environment: [:]).resolve().server == "http://127.0.0.1:8080")
        let insecure = try dir.write("insecure", Self.minimal.replacingOccurrences(of: "server: \"https://first.example:6443\"",
                                                                                  with: "server: \"10.0.0.1:6443\", insecure-skip-tls-verify: true"))
        #expect(try KubeConfigLoader(explicitPath: insecure, environment: [:]).resolve().server == "https://10.0.0.1:6443")
    }

    @Test func missingFilesInKUBECONFIGAreSkipped() throws {
        let dir = try TempDirectory()
        let a = try dir.write("a", Self.minimal)
        let config = try KubeConfigLoader(environment: ["KUBECONFIG": "\(dir.path)/missing:\(a)"]).resolve()
        #expect(config.server == "https://first.example:6443")
    }

    @Test func inClusterConfig() throws {
        let dir = try TempDirectory()
        try dir.write("token", "tok\n")
        try dir.write("ca.crt", "CA")
        try dir.write("namespace", "kube-system\n")
        let env = ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"]
        let config = try InClusterConfig.load(environment: env, directory: dir.path)
        #expect(config.server == "https://[fd00::1]:443")
        #expect(config.namespace == "kube-system")
        #expect(config.tls.caPEM == Data("CA".utf8))
        #expect(config.credentials == .tokenFile(path: dir.path + "/token", initial: nil))
        let overridden = try InClusterConfig.load(environment: env.merging(["POD_NAMESPACE": "mine"]) { $1 }, directory: dir.path)
        #expect(overridden.namespace == "mine")
        #expect(throws: ConfigError.self) { try InClusterConfig.load(environment: [:], directory: dir.path) }
        #expect(throws: ConfigError.self) { try InClusterConfig.load(environment: env, directory: dir.path + "/nope") }
    }
}
