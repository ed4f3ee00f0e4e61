import ClusterSim
import Dispatch
import Foundation
import HTTPServer
import Simulation

/// `hpa-benchmarks clustersim [seconds]`: requests per second the simulated cluster sustains on
/// loopback (keep-alive connections, one thread per client) for small GETs, a 1,000-pod list and
/// a 1,000-pod PodMetrics list.
func runClusterSimBenchmark(arguments: [String]) throws {
    let seconds = arguments.first.flatMap(Double.init) ?? 3
    var configuration = SimulatedCluster.Configuration()
    configuration.token = "bench"
    let cluster = try SimulatedCluster.start(configuration)
    defer { cluster.stop() }
    try cluster.addWorkload(WorkloadSpec(namespace: "bench", name: "web", replicas: 1000,
                                         load: LoadProfile(demand: .constant(100_000))))
    try cluster.create(ClusterScenario.loginServiceHPA)
    let headers = [("Authorization", "Bearer bench"), ("Accept", "application/json")]
    let probe = try LoopbackHTTPClient(port: cluster.port)
    let listBytes = try probe.send("GET", "/api/v1/namespaces/bench/pods", headers: headers).body.count
    let smallBytes = try probe.send("GET", "/apis/autoscaling/v2/namespaces/login/horizontalpodautoscalers/login-service-hpa", headers: headers).body.count
    print("clustersim benchmark: \(seconds) s per case, keep-alive loopback connections, 1,000 pods (list body \(listBytes) bytes, small GET \(smallBytes) bytes)")
    let cases: [(String, String, [Int])] = [
        ("small GET (one HPA)", "/apis/autoscaling/v2/namespaces/login/horizontalpodautoscalers/login-service-hpa", [1, 4, 16]),
        ("GET /version", "/version", [1, 4]),
        ("list 1,000 pods", "/api/v1/namespaces/bench/pods", [1, 4]),
        ("list 1,000 pods, labelSelector", "/api/v1/namespaces/bench/pods?labelSelector=app%3Dweb", [1]),
        ("PodMetrics of 1,000 pods", "/apis/metrics.k8s.io/v1beta1/namespaces/bench/pods?labelSelector=app%3Dweb", [1, 4]),
    ]
    for (name, path, clientCounts) in cases {
        for clients in clientCounts {
            let result = measure(port: cluster.port, path: path, headers: headers, clients: clients, seconds: seconds)
            let rate = Double(result.requests) / result.elapsed
            let megabytes = Double(result.bytes) / result.elapsed / 1_000_000
            print("  \(name.padding(toLength: 34, withPad: " ", startingAt: 0)) clients \(String(clients).padding(toLength: 3, withPad: " ", startingAt: 0)) "
                  + "\(String(format: "%9.0f", rate)) req/s  \(String(format: "%8.1f", megabytes)) MB/s  errors \(result.errors)")
        }
    }
}

private final class BenchmarkTally: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var requests = 0
    private(set) var bytes = 0
    private(set) var errors = 0

    func add(requests: Int, bytes: Int, errors: Int) {
        lock.lock()
        self.requests += requests
        self.bytes += bytes
        self.errors += errors
        lock.unlock()
    }
}

private func measure(port: UInt16, path: String, headers: [(String, String)], clients: Int, seconds: Double)
    -> (requests: Int, bytes: Int, errors: Int, elapsed: Double) {
    let tally = BenchmarkTally()
    let group = DispatchGroup()
    let start = Date()
    let deadline = start.addingTimeInterval(seconds)
    for _ in 0..<clients {
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            var requests = 0, bytes = 0, errors = 0
            guard let client = try? LoopbackHTTPClient(port: port) else {
                tally.add(requests: 0, bytes: 0, errors: 1)
                return
            }
            while Date() < deadline {
                do {
                    let response = try client.send("GET", path, headers: headers)
                    if response.status == 200 { requests += 1; bytes += response.body.count } else { errors += 1 }
                } catch {
                    errors += 1
                    break
                }
            }
            tally.add(requests: requests, bytes: bytes, errors: errors)
        }
    }
    group.wait()
    return (tally.requests, tally.bytes, tally.errors, Date().timeIntervalSince(start))
}
