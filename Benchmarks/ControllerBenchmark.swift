// The controller benchmark: 1,000 HPAs with 10 pods each on the simulated cluster, reconciled
// through the real libcurl KubeClient. Reports cache sync time, the wall time of full passes,
// requests per HPA per pass (by verb) and peak RSS.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ClusterSim
import HPAController
import HPACore
import KubeAPI
import KubeClient
import Simulation

func runControllerBenchmark(arguments: [String]) async throws {
    let hpaCount = arguments.first.flatMap(Int.init) ?? 1000
    let podsPerHPA = arguments.dropFirst().first.flatMap(Int.init) ?? 10
    let workers = arguments.dropFirst(2).first.flatMap(Int.init) ?? 5
    let namespaces = 10

    let cluster = try SimulatedCluster.start()
    defer { cluster.stop() }
    let setupStart = ContinuousClock.now
    for index in 0..<hpaCount {
        let namespace = "bench-\(index % namespaces)"
        let name = "app-\(index)"
        // Half the workloads run hot (scale up), half idle (stabilized scale-down).
        let demand = index % 2 == 0 ? 20_000.0 * Double(podsPerHPA) / 2 : 0
        try cluster.addWorkload(WorkloadSpec(namespace: namespace, name: name, replicas: podsPerHPA,
                                             load: LoadProfile(demand: .constant(demand))))
        try cluster.create(json: """
            {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"\(name)","namespace":"\(namespace)"},
             "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"\(name)"},"minReplicas":1,"maxReplicas":\(podsPerHPA * 4),
                     "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]}}
            """)
    }
    print("controller: set up \(hpaCount) HPAs × \(podsPerHPA) pods in \(namespaces) namespaces in \(seconds(since: setupStart)) s; RSS \(memory().rss) MiB (simulated cluster only)")

    let clock = HPAController.ManualControllerClock(start: cluster.clock.nowDate())
    let client = KubeClient(configuration: ClientConfiguration(server: cluster.url, credentials: .token(cluster.token)), qps: 0)
    let requester = KubeClientRequester(client: client)
    let clients = ReconcilerClients.live(requester: requester, namespace: nil)
    let reconciler = Reconciler(clients: clients, settings: .defaults, clock: clock)

    await withThrowingTaskGroup(of: Void.self) { group in
        cluster.clearRequestLog()
        let syncStart = ContinuousClock.now
        group.addTask { try await clients.hpas.run(onChange: { change in
            if case .added(let key) = change { await reconciler.hpaAdded(key) }
        }) }
        group.addTask { try await clients.pods.run() }
        await clients.hpas.waitUntilSynced()
        await clients.pods.waitUntilSynced()
        let keys = await clients.hpas.keys()
        print("controller: caches synced in \(seconds(since: syncStart)) s (\(keys.count) HPAs, \(cluster.requests.count) list requests); RSS \(memory().rss) MiB")

        for pass in 1...3 {
            if pass > 1 {
                cluster.advance(by: 15)
                clock.set(to: cluster.clock.nowDate())
            }
            cluster.clearRequestLog()
            let start = ContinuousClock.now
            let feeder = BenchmarkFeeder(keys)
            let decided = await withTaskGroup(of: Int.self) { workerGroup in
                for _ in 0..<workers {
                    workerGroup.addTask {
                        var count = 0
                        while let key = await feeder.next() {
                            if await reconciler.reconcile(key).record?.decided == true { count += 1 }
                        }
                        return count
                    }
                }
                var total = 0
                for await count in workerGroup { total += count }
                return total
            }
            let elapsed = seconds(since: start)
            let requests = cluster.requests
            var byVerb: [String: Int] = [:]
            for request in requests { byVerb[request.method, default: 0] += 1 }
            let perHPA = Double(requests.count) / Double(max(1, keys.count))
            let verbs = byVerb.keys.sorted().map { "\($0) \(String(format: "%.2f", Double(byVerb[$0] ?? 0) / Double(max(1, keys.count))))" }
            print("controller: pass \(pass): \(elapsed) s wall for \(keys.count) HPAs (\(decided) decided) with \(workers) workers; \(String(format: "%.2f", perHPA)) requests per HPA (\(verbs.joined(separator: ", "))); RSS \(memory().rss) MiB")
        }
        group.cancelAll()
    }
    let final = memory()
    print("controller: peak RSS \(final.peak) MiB (process: simulated cluster + controller + caches)")
}

private actor BenchmarkFeeder {
    private var keys: [HPAKey]
    private var index = 0
    init(_ keys: [HPAKey]) { self.keys = keys }
    func next() -> HPAKey? {
        guard index < keys.count else { return nil }
        defer { index += 1 }
        return keys[index]
    }
}

private func seconds(since start: ContinuousClock.Instant) -> String {
    let elapsed = start.duration(to: .now)
    return String(format: "%.2f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

/// VmRSS and VmHWM (peak) of this process, MiB, from /proc/self/status.
private func memory() -> (rss: Int, peak: Int) {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Int {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
        let digits = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return digits / 1024
    }
    return (field("VmRSS"), field("VmHWM"))
}
