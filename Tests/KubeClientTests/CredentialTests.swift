import Foundation
import KubeAPI
import Testing
@testable import KubeClient

@Suite("credentials: token, tokenFile rotation, exec plugins")
struct CredentialTests {
    typealias T = KubeClientAPITests

    @Test func tokenFileIsCachedThenReread() async throws {
        let dir = try TempDirectory()
        let path = try dir.write("token", "one\n")
        let clock = Locked(Date(timeIntervalSince1970: 1_000_000))
        let provider = CredentialProvider(source: .tokenFile(path: path, initial: nil), now: { clock.withLock { $0 } })
        #expect(try await provider.credentials().authorization == "Bearer one")
        try dir.write("token", "two\n")
        #expect(try await provider.credentials().authorization == "Bearer one")  // cached copy is young
        clock.withLock { $0 += 51 }
        #expect(try await provider.credentials().authorization == "Bearer two")
        try FileManager.default.removeItem(atPath: path)
        clock.withLock { $0 += 60 }
        #expect(try await provider.credentials().authorization == "Bearer two")  // read error keeps the old token
    }

    @Test func tokenFileIsRereadAfter401() async throws {
        let dir = try TempDirectory()
        let path = try dir.write("token", "old")
        let fake = FakeTransport { request in
            if request.headers["Authorization"] == "Bearer new" { return T.json("{}") }
            try dir.write("token", "new")  // the kubelet rotated it meanwhile
            return T.json(T.status(401, "Unauthorized"), status: 401)
        }
        _ = try await T.client(fake, credentials: .tokenFile(path: path, initial: nil)).perform(method: "GET", path: "/api")
        #expect(fake.requests.map { $0.headers["Authorization"] ?? "" } == ["Bearer old", "Bearer new"])
    }

    @Test func staticTokenIsNotRetriedOn401() async throws {
        let fake = FakeTransport { _ in T.json(T.status(401, "Unauthorized"), status: 401) }
        await #expect { _ = try await T.client(fake).perform(method: "GET", path: "/api") } throws: {
            ($0 as? KubeClientError)?.code == .unauthorized
        }
        #expect(fake.requests.count == 1)
    }

    /// A plugin that counts its runs, records its input, and prints token `exec-<run>`.
    static func plugin(in dir: TempDirectory, expiry: String) throws -> ExecConfig {
        let script = """
        #!/bin/sh
        n=$(cat "\(dir.path)/runs" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "\(dir.path)/runs"
        echo "$KUBERNETES_EXEC_INFO" > "\(dir.path)/info"; echo "$1 $FOO" > "\(dir.path)/args"
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-%s","expirationTimestamp":"\(expiry)"}}' $n
        """
        try dir.write("plugin.sh", script, executable: true)
        return ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: dir.path + "/plugin.sh", args: ["--flag"],
                          env: [.init(name: "FOO", value: "bar")], provideClusterInfo: true, interactiveMode: "Never", installHint: nil)
    }

    @Test func execPluginIsCachedUntilExpiry() async throws {
        let dir = try TempDirectory()
        let cluster = ExecClusterInfo(server: "https://k8s.test:6443", certificateAuthorityData: "Q0E=")
        let fresh = CredentialProvider(source: .exec(try Self.plugin(in: dir, expiry: "2999-01-01T00:00:00Z"), cluster: cluster))
        #expect(try await fresh.credentials().authorization == "Bearer exec-1")
        #expect(try await fresh.credentials().authorization == "Bearer exec-1")
        let info = try String(contentsOfFile: dir.path + "/info", encoding: .utf8)
        #expect(info.contains(#""kind":"ExecCredential""#) && info.contains(#""server":"https:\/\/k8s.test:6443""#) && info.contains(#""interactive":false"#))
        #expect(try String(contentsOfFile: dir.path + "/args", encoding: .utf8) == "--flag bar\n")

        let expired = CredentialProvider(source: .exec(try Self.plugin(in: dir, expiry: "2000-01-01T00:00:00Z"), cluster: nil))
        #expect(try await expired.credentials().authorization == "Bearer exec-2")
        #expect(try await expired.credentials().authorization == "Bearer exec-3")
    }

    @Test func execPluginIsRerunAfter401() async throws {
        let dir = try TempDirectory()
        let fake = FakeTransport { request in
            request.headers["Authorization"] == "Bearer exec-2" ? T.json("{}") : T.json(T.status(401, "Unauthorized"), status: 401)
        }
        let config = try Self.plugin(in: dir, expiry: "2999-01-01T00:00:00Z")
        _ = try await T.client(fake, credentials: .exec(config, cluster: nil)).perform(method: "GET", path: "/api")
        #expect(fake.requests.map { $0.headers["Authorization"] ?? "" } == ["Bearer exec-1", "Bearer exec-2"])
    }

    struct BadPlugin: Sendable, CustomTestStringConvertible {
        var name: String
        var script: String
        var code: ConfigError.Code
        var testDescription: String { name }
    }

    static let badPlugins: [BadPlugin] = [
        BadPlugin(name: "exits 1", script: "echo secret-ish >&2; exit 1", code: .execFailed),
        BadPlugin(name: "garbage", script: "echo 'tok-SECRET not json'", code: .execOutputInvalid),
        BadPlugin(name: "wrong kind", script: #"echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"Nope","status":{"token":"tok-SECRET"}}'"#, code: .execOutputInvalid),
        BadPlugin(name: "no credential", script: #"echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}'"#, code: .execOutputInvalid),
        BadPlugin(name: "bad expiry", script: #"echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-SECRET","expirationTimestamp":"soon"}}'"#, code: .execOutputInvalid),
    ]

    @Test(arguments: badPlugins)
    func badPluginsGiveCleanErrors(_ bad: BadPlugin) async throws {
        let dir = try TempDirectory()
        let command = try dir.write("bad.sh", "#!/bin/sh\n" + bad.script + "\n", executable: true)
        let config = ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: command, interactiveMode: "Never")
        do {
            _ = try await CredentialProvider(source: .exec(config, cluster: nil)).credentials()
            Issue.record("expected \(bad.code)")
        } catch let error as ConfigError {
            #expect(error.code == bad.code)
            #expect(error.description.contains("bad.sh"))
            #expect(!error.description.contains("SECRET"))
        }
    }

    @Test func missingPluginAndUnsupportedVersion() async throws {
        let missing = ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: "/nonexistent/get-token",
                                 interactiveMode: "Never", installHint: "install get-token")
        await #expect { _ = try await CredentialProvider(source: .exec(missing, cluster: nil)).credentials() } throws: {
            String(describing: $0).contains("/nonexistent/get-token") && String(describing: $0).contains("install get-token")
        }
        let noMode = ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: "x")
        await #expect { _ = try await CredentialProvider(source: .exec(noMode, cluster: nil)).credentials() } throws: {
            ($0 as? ConfigError)?.field == "exec.interactiveMode"
        }
        let always = ExecConfig(apiVersion: "client.authentication.k8s.io/v1beta1", command: "x", interactiveMode: "Always")
        await #expect { _ = try await CredentialProvider(source: .exec(always, cluster: nil)).credentials() } throws: {
            ($0 as? ConfigError)?.code == .unsupported
        }
        let alpha = ExecConfig(apiVersion: "client.authentication.k8s.io/v1alpha1", command: "x")
        await #expect { _ = try await CredentialProvider(source: .exec(alpha, cluster: nil)).credentials() } throws: {
            ($0 as? ConfigError)?.code == .unsupported
        }
    }

    @Test func credentialFailureSurfacesAsClientError() async throws {
        let fake = FakeTransport { _ in T.json("{}") }
        await #expect { _ = try await T.client(fake, credentials: .tokenFile(path: "/nonexistent/token", initial: nil)).perform(method: "GET", path: "/api") } throws: {
            ($0 as? KubeClientError)?.code == .credentials && String(describing: $0).contains("/nonexistent/token")
        }
        #expect(fake.requests.isEmpty)
    }

    @Test func watchRefreshesCredentialsAfter401() async throws {
        let dir = try TempDirectory()
        let path = try dir.write("token", "old")
        let fake = FakeTransport(handler: { _ in T.json("{}") }, streamHandler: { request in
            if request.headers["Authorization"] == "Bearer new" {
                return (200, [Data(#"{"type":"ADDED","object":{"metadata":{"name":"a"}}}"#.utf8)])
            }
            try dir.write("token", "new")
            return (401, [Data(T.status(401, "Unauthorized").utf8)])
        })
        let client = T.client(fake, credentials: .tokenFile(path: path, initial: nil))
        var count = 0
        for try await _ in try await client.watch(PartialObjectMeta.self, .pods, namespace: "d", resourceVersion: "1") { count += 1 }
        #expect(count == 1)
        #expect(fake.requests.map { $0.headers["Authorization"] ?? "" } == ["Bearer old", "Bearer new"])
    }
}
