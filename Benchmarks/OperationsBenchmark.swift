#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ClusterSim
import HPAController
import KubeClient

/// `hpa-benchmarks operations [hpas]`: the operations side's costs.
/// - recording one pass per HPA into the Prometheus registry, and rendering `/metrics`, for N HPAs
///   (each with 2 metrics);
/// - leader election round trips (GET + PUT of the Lease) over libcurl against the simulated cluster.
func runOperationsBenchmark(arguments: [String]) async throws {
    let hpas = arguments.first.flatMap { Int($0) } ?? 1_000
    let registry = MetricsRegistry(leadership: LeadershipState(leading: true))
    let clock = ContinuousClock()
    let record = clock.measure {
        for index in 0..<hpas {
            let namespace = "ns-\(index % 20)"
            let name = "hpa-\(index)"
            registry.hpaAdded(namespace: namespace, name: name)
            registry.recordReconciliation(action: .none, error: .none, durationSeconds: 0.004)
            registry.recordMetricComputation(action: .none, error: .none, metricType: "Resource", durationSeconds: 0.002)
            registry.recordMetricComputation(action: .none, error: .none, metricType: "Pods", durationSeconds: 0.003)
            registry.recordReplicas(namespace: namespace, name: name, current: 4, desired: 4, proposals: [
                MetricProposal(metricType: "Resource", metricName: "cpu", replicas: 4),
                MetricProposal(metricType: "Pods", metricName: "http_requests", replicas: 3),
            ])
        }
    }
    var text = ""
    let renders = 20
    let render = clock.measure {
        for _ in 0..<renders { text = registry.render() }
    }
    print("operations: \(hpas) HPAs recorded in \(milliseconds(record)) ms (\(microseconds(record / hpas)) µs per pass)")
    print("operations: /metrics render \(milliseconds(render / renders)) ms, \(text.utf8.count / 1024) KiB, \(text.split(separator: "\n").count) lines")

    var configuration = SimulatedCluster.Configuration()
    configuration.bookmarkIntervalSeconds = 5
    let cluster = try SimulatedCluster.start(configuration)
    defer { cluster.stop() }
    let resolved = try KubeConfigLoader(explicitPath: cluster.kubeconfigPath, environment: [:]).resolve()
    let leases = KubeLeaseClient(client: KubeClient(configuration: resolved, qps: 0, retryPolicy: .none))
    let elector = LeaderElector(config: LeaderElectionConfig(namespace: "default", name: "bench", identity: "bench_1"),
                                client: leases, clock: SystemOperationsClock())
    _ = await elector.tryAcquireOrRenew()
    let rounds = 200
    var renewed = 0
    let renew = await clock.measure {
        for _ in 0..<rounds where await elector.tryAcquireOrRenew() { renewed += 1 }
    }
    print("operations: lease renew (GET + PUT over libcurl, loopback) \(microseconds(renew / rounds)) µs each, \(renewed)/\(rounds) succeeded")
}

private func milliseconds(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    return String(Int(value.rounded()))
}

private func microseconds(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    return String(Int(value.rounded()))
}
