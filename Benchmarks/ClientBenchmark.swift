import Foundation
import HTTPServer
import KubeAPI
import KubeClient

/// Sequential small GETs per second over one keep-alive loopback connection: the libcurl
/// transport alone, the typed `KubeClient.get` (auth headers, error check, JSON decoding), and
/// the `curl` command fetching the same URLs in one process (one connection, reused).
/// Usage: `hpa-benchmarks client [requests]`.
func runClientBenchmark(arguments: [String]) async throws {
    let count = arguments.first.flatMap(Int.init) ?? 5000
    let body = Array(#"{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web","namespace":"default","resourceVersion":"81230"},"spec":{"replicas":3},"status":{"replicas":3,"selector":"app=web"}}"#.utf8)
    let server = HTTPServer { _ in .json(200, body) }
    let port = try server.start()
    defer { server.stop() }
    let base = "http://127.0.0.1:\(port)"
    let path = "/apis/apps/v1/namespaces/default/deployments/web/scale"
    print("client benchmark: \(count) sequential GETs of a \(body.count)-byte JSON body, 127.0.0.1, HTTP/1.1 keep-alive")

    // Warm-up: connection set-up, worker thread start.
    let transport = CurlTransport()
    for _ in 0..<100 { _ = try await transport.send(.init(url: base + path)) }

    var start = ContinuousClock.now
    for _ in 0..<count { _ = try await transport.send(.init(url: base + path)) }
    report("CurlTransport.send", count: count, elapsed: ContinuousClock.now - start)

    let client = KubeClient(configuration: ClientConfiguration(server: base, credentials: .token("bench")), transport: transport, qps: 0)
    start = ContinuousClock.now
    for _ in 0..<count { _ = try await client.get(Scale.self, .deployments, namespace: "default", name: "web", subresource: "scale") }
    report("KubeClient.get(Scale)", count: count, elapsed: ContinuousClock.now - start)

    let limited = KubeClient(configuration: ClientConfiguration(server: base), transport: transport, qps: 1_000_000, burst: 1_000_000)
    start = ContinuousClock.now
    for _ in 0..<count { _ = try await limited.perform(method: "GET", path: path) }
    report("KubeClient.perform + limiter", count: count, elapsed: ContinuousClock.now - start)

    // curl: one process, the same URLs, output discarded.
    let config = FileManager.default.temporaryDirectory.appendingPathComponent("client-bench-\(getpid()).curlrc")
    let lines = String(repeating: "url = \"\(base + path)\"\noutput = \"/dev/null\"\n", count: count)
    try lines.write(to: config, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: config) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["curl", "-s", "--config", config.path]
    start = ContinuousClock.now
    try process.run()
    process.waitUntilExit()
    let curlElapsed = ContinuousClock.now - start
    if process.terminationStatus == 0 {
        report("curl (one process, \(count) URLs)", count: count, elapsed: curlElapsed)
    } else {
        print("  curl exited with status \(process.terminationStatus)")
    }
}

private func report(_ name: String, count: Int, elapsed: Duration) {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(count) / max(seconds, 1e-9)
    let perRequest = seconds / Double(count) * 1e6
    print("  \(name.padding(toLength: 36, withPad: " ", startingAt: 0)) \(String(format: "%8.0f", rate)) req/s  \(String(format: "%7.1f", perRequest)) µs/req")
}
