import Foundation
import KubeAPI
import Testing
@testable import KubeClient

/// `KubeClient` over the real libcurl transport against a loopback server.
@Suite("KubeClient over libcurl on loopback")
struct EndToEndLoopbackTests {
    @Test func watchStreamsDecodedEvents() async throws {
        let server = try LoopbackServer()
        let client = KubeClient(configuration: ClientConfiguration(server: server.baseURL))
        let stream = try await client.watch(PartialObjectMeta.self, .pods, namespace: "d", resourceVersion: "0", timeoutSeconds: 30)
        var names: [String] = []
        for try await change in stream {
            if case .added(let object) = change { names.append(object.metadata.name ?? "") }
        }
        #expect(names == ["o0", "o1", "o2"])
    }

    @Test func cancellingAQuietWatchEndsIteration() async throws {
        let server = try LoopbackServer()
        let client = KubeClient(configuration: ClientConfiguration(server: server.baseURL + "/watch-idle"))
        let consumer = Task {
            var count = 0
            let stream = try await client.watch(PartialObjectMeta.self, .pods, namespace: nil, resourceVersion: nil)
            do { for try await _ in stream { count += 1 } } catch {}
            return count
        }
        try await Task.sleep(for: .milliseconds(500))
        consumer.cancel()
        _ = await consumer.result  // finishes (events or a cancellation error) once the progress callback sees the flag
    }

    @Test func unreachableServerNamesTheURL() async throws {
        let client = KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:1"), retryPolicy: .none)
        await #expect {
            _ = try await client.get(Scale.self, .deployments, namespace: "default", name: "web", subresource: "scale")
        } throws: { error in
            guard let error = error as? KubeClientError else { return false }
            return error.code == .transport && error.transportError?.kind == .couldNotConnect
                && error.description.contains("http://127.0.0.1:1/apis/apps/v1/namespaces/default/deployments/web/scale")
        }
    }

    @Test func nonJSONErrorBodyIsTolerated() async throws {
        let server = try LoopbackServer()
        let client = KubeClient(configuration: ClientConfiguration(server: server.baseURL), retryPolicy: .none)
        await #expect {
            _ = try await client.perform(method: "GET", path: "/raw", query: [("code", "502"), ("body", "<html>Bad Gateway</html>")])
        } throws: { error in
            guard let error = error as? KubeClientError else { return false }
            return error.httpStatus == 502 && error.message.contains("Bad Gateway")
        }
    }

    @Test func configurationResolutionOrder() throws {
        let dir = try TempDirectory()
        let text = { (server: String) in
            "current-context: c\nclusters:\n- name: c\n  cluster: {server: \"\(server)\"}\ncontexts:\n- name: c\n  context: {cluster: c}\n"
        }
        let explicit = try dir.write("explicit", text("https://explicit"))
        let listed = try dir.write("listed", text("https://listed"))
        try dir.write("home/.kube/config", text("https://home"))
        let home = dir.path + "/home"
        #expect(try ClientConfiguration.resolve(kubeconfig: explicit, environment: ["KUBECONFIG": listed, "HOME": home]).server == "https://explicit")
        #expect(try ClientConfiguration.resolve(environment: ["KUBECONFIG": listed, "HOME": home]).server == "https://listed")
        #expect(try ClientConfiguration.resolve(environment: ["HOME": home, "KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"]).server == "https://home")
        #expect(throws: ConfigError.self) { try ClientConfiguration.resolve(environment: ["HOME": dir.path + "/nowhere"]) }
    }
}

@Suite("User-Agent")
struct UserAgentTests {
    @Test func platformIsAppended() async throws {
        let server = try LoopbackServer()
        let client = KubeClient(configuration: ClientConfiguration(server: server.baseURL), userAgent: "hpa-controller/9.9.9")
        let response = try await client.perform(method: "GET", path: "/echo")
        let echo = try JSONDecoder().decode(CurlTransportTests.Echo.self, from: response.body)
        #expect(echo.headers["user-agent"] == "hpa-controller/9.9.9 \(CurlTransportOptions.platform)")
        #expect(CurlTransportOptions.platform.hasPrefix("(linux/"))
    }
}
