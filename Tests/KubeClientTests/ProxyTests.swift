import Foundation
import Testing
@testable import KubeClient

@Suite("proxies: proxy-url and Go's environment rules")
struct ProxyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var server: String
        var environment: [String: String]
        var expected: String?
        var testDescription: String { "\(server) \(environment) → \(expected ?? "direct")" }
    }

    static let cases: [Case] = [
        Case(server: "https://k8s.example.com:6443", environment: ["HTTPS_PROXY": "proxy:3128"], expected: "http://proxy:3128"),
        Case(server: "https://k8s.example.com", environment: ["https_proxy": "http://p:1"], expected: "http://p:1"),
        Case(server: "https://k8s.example.com", environment: ["HTTP_PROXY": "http://p:1"], expected: nil),
        Case(server: "http://k8s.example.com", environment: ["HTTP_PROXY": "http://p:1"], expected: "http://p:1"),
        Case(server: "https://127.0.0.1:6443", environment: ["HTTPS_PROXY": "http://p:1"], expected: nil),
        Case(server: "https://localhost:6443", environment: ["HTTPS_PROXY": "http://p:1"], expected: nil),
        Case(server: "https://k8s.example.com", environment: ["HTTPS_PROXY": "http://p:1", "NO_PROXY": "example.com"], expected: nil),
        Case(server: "https://example.com", environment: ["HTTPS_PROXY": "http://p:1", "NO_PROXY": ".example.com"], expected: "http://p:1"),
        Case(server: "https://a.example.com", environment: ["HTTPS_PROXY": "http://p:1", "no_proxy": ".example.com"], expected: nil),
        Case(server: "https://10.1.2.3:6443", environment: ["HTTPS_PROXY": "http://p:1", "NO_PROXY": "10.0.0.0/8"], expected: nil),
        Case(server: "https://11.1.2.3:6443", environment: ["HTTPS_PROXY": "http://p:1", "NO_PROXY": "10.0.0.0/8"], expected: "http://p:1"),
        Case(server: "https://k8s.example.com:6443", environment: ["HTTPS_PROXY": "http://p:1", "NO_PROXY": "k8s.example.com:443"], expected: "http://p:1"),
        Case(server: "https://k8s.example.com:6443", environment: ["HTTPS_PROXY": "http://p:1", "NO_PROXY": "k8s.example.com:6443"], expected: nil),
        Case(server: "https://k8s.example.com", environment: ["HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"], expected: nil),
    ]

    @Test(arguments: cases)
    func environmentRules(_ c: Case) {
        #expect(ProxyEnvironment.proxy(for: c.server, environment: c.environment) == c.expected)
    }

    struct Echo: Decodable { var path: String }

    @Test func requestsGoThroughTheProxy() async throws {
        // The loopback test server answers absolute-form requests too, so it can stand in for a proxy.
        let proxy = try LoopbackServer()
        let explicit = KubeClient(configuration: ClientConfiguration(server: "http://kube.example.invalid:8080",
                                                                      tls: TLSSettings(proxyURL: proxy.baseURL)), retryPolicy: .none)
        let echo = try JSONDecoder().decode(Echo.self, from: try await explicit.perform(method: "GET", path: "/echo").body)
        #expect(echo.path == "http://kube.example.invalid:8080/echo")

        let dir = try TempDirectory()
        let kubeconfig = try dir.write("config", "current-context: c\nclusters:\n- name: c\n  cluster: {server: \"http://kube.example.invalid:8080\"}\ncontexts:\n- name: c\n  context: {cluster: c}\n")
        let fromEnvironment = try KubeConfigLoader(explicitPath: kubeconfig, environment: ["HTTP_PROXY": proxy.baseURL]).resolve()
        #expect(fromEnvironment.tls.proxyURL == nil && fromEnvironment.environmentProxyURL == proxy.baseURL)
        let viaEnvironment = try await KubeClient(configuration: fromEnvironment, retryPolicy: .none).perform(method: "GET", path: "/echo")
        #expect(try JSONDecoder().decode(Echo.self, from: viaEnvironment.body).path == "http://kube.example.invalid:8080/echo")

        let excluded = try KubeConfigLoader(explicitPath: kubeconfig, environment: ["HTTP_PROXY": proxy.baseURL, "NO_PROXY": "example.invalid"]).resolve()
        await #expect { _ = try await KubeClient(configuration: excluded, retryPolicy: .none).perform(method: "GET", path: "/echo") } throws: {
            ($0 as? KubeClientError)?.transportError?.kind == .couldNotResolveHost
        }
    }
}
