import Foundation
import Testing
@testable import KubeClient

/// Our kubeconfig resolution must agree with kubectl's
/// (`kubectl config view --raw --minify --flatten -o json` under the same environment).
@Suite("kubeconfig resolution matches kubectl")
struct KubectlComparisonTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var name: String
        /// Relative path → contents; `$DIR` is replaced by the scenario's folder.
        var files: [(String, String)]
        /// `KUBECONFIG` value (relative entries are made absolute); `nil` = use HOME/.kube/config.
        var kubeconfigList: String?
        var context: String?
        var testDescription: String { name }
    }

    static let ca = "-----BEGIN CERTIFICATE-----\nQ0EK\n-----END CERTIFICATE-----\n"
    static let cert = "-----BEGIN CERTIFICATE-----\nQ0VSVAo=\n-----END CERTIFICATE-----\n"
    static let key = "-----BEGIN PRIVATE KEY-----\nS0VZCg==\n-----END PRIVATE KEY-----\n"
    static func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static let scenarios: [Scenario] = [
        Scenario(name: "single file, relative CA and tokenFile, namespace", files: [
            ("conf/ca.crt", ca), ("conf/token", "abc\n"),
            ("conf/config", """
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: dev-cluster
              cluster: {server: "https://127.0.0.1:6443/", certificate-authority: ca.crt, tls-server-name: kubernetes}
            users:
            - name: dev-user
              user: {tokenFile: token}
            contexts:
            - name: dev
              context: {cluster: dev-cluster, user: dev-user, namespace: team-a}
            """)], kubeconfigList: "conf/config"),
        Scenario(name: "merged list: first definition and first current-context win", files: [
            ("a/config", """
            current-context: a
            clusters:
            - name: shared
              cluster: {server: "https://first.example:6443", insecure-skip-tls-verify: true}
            contexts:
            - name: a
              context: {cluster: shared, user: bob}
            """),
            ("b/config", """
            current-context: b
            clusters:
            - name: shared
              cluster: {server: "https://second.example:6443"}
            users:
            - name: bob
              user: {token: secret-b}
            contexts:
            - name: a
              context: {cluster: other, user: nobody}
            - name: b
              context: {cluster: shared, user: bob, namespace: bee}
            """)], kubeconfigList: "a/config:missing/config:b/config:a/config"),
        Scenario(name: "merged list with --context from the second file", files: [
            ("a/config", "current-context: a\ncontexts:\n- name: a\n  context: {cluster: shared, user: bob}\n"),
            ("b/config", """
            clusters:
            - name: shared
              cluster: {server: "https://second.example:6443", proxy-url: "http://proxy.example:3128"}
            users:
            - name: bob
              user: {token: secret-b}
            contexts:
            - name: b
              context: {cluster: shared, user: bob, namespace: bee}
            """)], kubeconfigList: "a/config:b/config", context: "b"),
        Scenario(name: "embedded data", files: [
            ("config", """
            current-context: emb
            clusters:
            - name: c
              cluster: {server: "https://10.1.2.3", certificate-authority-data: \(b64(ca))}
            users:
            - name: u
              user: {client-certificate-data: \(b64(cert)), client-key-data: \(b64(key))}
            contexts:
            - name: emb
              context: {cluster: c, user: u}
            """)], kubeconfigList: "config"),
        Scenario(name: "client certificate files in a sub folder", files: [
            ("deep/pki/client.crt", cert), ("deep/pki/client.key", key), ("deep/pki/ca.crt", ca),
            ("deep/kubeconfig.yaml", """
            current-context: files
            clusters:
            - name: c
              cluster: {server: "https://[::1]:6443", certificate-authority: pki/ca.crt}
            users:
            - name: u
              user: {client-certificate: pki/client.crt, client-key: pki/client.key}
            contexts:
            - name: files
              context: {cluster: c, user: u, namespace: kube-system}
            """)], kubeconfigList: "deep/kubeconfig.yaml"),
        Scenario(name: "exec users (relative command, PATH command)", files: [
            ("x/config", """
            current-context: e1
            clusters:
            - name: c
              cluster: {server: "https://exec.example"}
            users:
            - name: e1
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./bin/get-token
                  args: ["--cluster", "dev"]
                  env: [{name: FOO, value: bar}]
                  interactiveMode: Never
            - name: e2
              user:
                exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token]}
            contexts:
            - name: e1
              context: {cluster: c, user: e1}
            - name: e2
              context: {cluster: c, user: e2, namespace: ns2}
            """)], kubeconfigList: "x/config"),
        Scenario(name: "exec user chosen by --context", files: [
            ("x/config", """
            current-context: e1
            clusters:
            - name: c
              cluster: {server: "https://exec.example"}
            users:
            - name: e2
              user:
                exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token]}
            contexts:
            - name: e2
              context: {cluster: c, user: e2, namespace: ns2}
            """)], kubeconfigList: "x/config", context: "e2"),
        Scenario(name: "basic auth, insecure cluster, bare host:port server", files: [
            ("config", """
            current-context: basic
            clusters:
            - name: c
              cluster: {server: "kube.example:6443", insecure-skip-tls-verify: true}
            users:
            - name: u
              user: {username: admin, password: hunter2}
            contexts:
            - name: basic
              context: {cluster: c, user: u, namespace: ops}
            """)], kubeconfigList: "config"),
        Scenario(name: "token and tokenFile together, absolute paths, empty current-context in the first file", files: [
            ("first", "current-context: \"\"\n"),
            ("abs/token", "file-token\n"),
            ("second", """
            current-context: both
            clusters:
            - name: c
              cluster: {server: "https://10.9.8.7:443", certificate-authority-data: \(b64(ca))}
            users:
            - name: u
              user: {token: inline-token, tokenFile: "$DIR/abs/token"}
            contexts:
            - name: both
              context: {cluster: c, user: u}
            """)], kubeconfigList: "first:second"),
        Scenario(name: "exec with provideClusterInfo", files: [
            ("config", """
            current-context: e
            clusters:
            - name: c
              cluster: {server: "https://exec.example", certificate-authority-data: \(b64(ca)), tls-server-name: api.internal}
            users:
            - name: e
              user:
                exec: {apiVersion: client.authentication.k8s.io/v1, command: /usr/local/bin/token, provideClusterInfo: true, interactiveMode: IfAvailable}
            contexts:
            - name: e
              context: {cluster: c, user: e}
            """)], kubeconfigList: "config"),
        Scenario(name: "HOME/.kube/config when KUBECONFIG is unset", files: [
            (".kube/config", """
            current-context: home
            clusters:
            - name: c
              cluster: {server: "http://127.0.0.1:8080"}
            contexts:
            - name: home
              context: {cluster: c}
            """)], kubeconfigList: nil),
    ]

    @Test(arguments: scenarios)
    func agreesWithKubectl(scenario: Scenario) throws {
        let dir = try TempDirectory()
        for (path, text) in scenario.files { try dir.write(path, text.replacingOccurrences(of: "$DIR", with: dir.path)) }
        var environment = ["HOME": dir.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        if let list = scenario.kubeconfigList {
            environment["KUBECONFIG"] = list.split(separator: ":").map { dir.path + "/" + $0 }.joined(separator: ":")
        }
        var arguments = ["kubectl", "config", "view", "--raw", "--minify", "--flatten", "-o", "json"]
        if let context = scenario.context { arguments += ["--context", context] }
        let result = try runCommand(arguments, environment: environment)
        #expect(result.status == 0, "kubectl failed: \(String(decoding: result.stderr, as: UTF8.self))")
        let view = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])

        let ours = try KubeConfigLoader(context: scenario.context, environment: environment).resolve()
        let merged = try KubeConfigLoader(environment: environment).loadMerged()

        let cluster = try #require(((view["clusters"] as? [[String: Any]])?.first?["cluster"]) as? [String: Any])
        // kubectl shows a scheme-less server as written; client-go adds https (TLS settings) or http.
        var server = (cluster["server"] as? String).map(Self.trimSlash) ?? ""
        if !server.contains("://") {
            let tls = cluster["certificate-authority-data"] != nil || cluster["insecure-skip-tls-verify"] as? Bool == true
                || ((view["users"] as? [[String: Any]])?.first?["user"] as? [String: Any])?["client-certificate-data"] != nil
            server = (tls ? "https://" : "http://") + server
        }
        #expect(server == ours.server)
        #expect((cluster["certificate-authority-data"] as? String).flatMap { Data(base64Encoded: $0) } == ours.tls.caPEM)
        #expect((cluster["insecure-skip-tls-verify"] as? Bool ?? false) == ours.tls.insecureSkipVerify)
        #expect(cluster["tls-server-name"] as? String == ours.tls.serverName)
        #expect(cluster["proxy-url"] as? String == ours.tls.proxyURL)

        let contextEntry = try #require((view["contexts"] as? [[String: Any]])?.first)
        let context = try #require(contextEntry["context"] as? [String: Any])
        #expect((context["namespace"] as? String ?? "default") == ours.namespace)
        #expect(contextEntry["name"] as? String == ours.contextName)

        let userEntry = (view["users"] as? [[String: Any]])?.first
        let user = userEntry?["user"] as? [String: Any] ?? [:]
        let userFile = (userEntry?["name"] as? String).flatMap { merged.users[$0]?.file } ?? ""
        let userDir = (userFile as NSString).deletingLastPathComponent
        #expect((user["client-certificate-data"] as? String).flatMap { Data(base64Encoded: $0) } == ours.tls.clientIdentity?.certificatePEM)
        #expect((user["client-key-data"] as? String).flatMap { Data(base64Encoded: $0) } == ours.tls.clientIdentity?.keyPEM)
        switch ours.credentials {
        case .none:
            #expect(user["token"] == nil && user["tokenFile"] == nil && user["exec"] == nil)
        case .token(let token):
            #expect(user["token"] as? String == token)
        case .tokenFile(let path, let initial):
            // kubectl prints paths relative to the file again; we hold them absolute.
            let shown = try #require(user["tokenFile"] as? String)
            #expect((shown.hasPrefix("/") ? shown : userDir + "/" + shown) == path)
            #expect(user["token"] as? String == initial)
        case .basic(let username, let password):
            #expect(user["username"] as? String == username)
            #expect(user["password"] as? String == password)
        case .exec(let exec, _):
            let shown = try #require(user["exec"] as? [String: Any])
            let command = try #require(shown["command"] as? String)
            #expect((command.contains("/") && !command.hasPrefix("/") ? userDir + "/" + command : command) == exec.command)
            #expect(shown["args"] as? [String] ?? [] == exec.args ?? [])
            #expect(shown["apiVersion"] as? String == exec.apiVersion)
            #expect((shown["provideClusterInfo"] as? Bool ?? false) == (exec.provideClusterInfo ?? false))
            let env = (shown["env"] as? [[String: String]] ?? []).map { ($0["name"] ?? "") + "=" + ($0["value"] ?? "") }
            #expect(env == (exec.env ?? []).map { $0.name + "=" + $0.value })
        }
    }

    static func trimSlash(_ text: String) -> String {
        var text = text
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
