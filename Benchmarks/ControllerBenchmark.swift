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
    if arguments.first == "cache" {
        await runPodCacheBenchmark(pods: arguments.dropFirst().first.flatMap(Int.init) ?? 100_000)
        return
    }
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

/// `controller cache [N]`: the memory of N pods in the controller's pod cache (decoded from JSON
/// like a list page, projected, indexed), measured as the RSS growth of this process.
private func runPodCacheBenchmark(pods count: Int) async {
    let cache = PodCache()
    let before = memory().rss
    let start = ContinuousClock.now
    var page: [String] = []
    func flush() async {
        let json = "{\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[" + page.joined(separator: ",") + "]}"
        page = []
        struct List: Decodable { var items: [PodProjection] }
        guard let list = try? JSONDecoder().decode(List.self, from: Data(json.utf8)) else { return }
        for item in list.items { await cache.upsert(item.pod) }
    }
    for index in 0..<count {
        let app = "app-\(index / 10)"
        page.append("""
            {"metadata":{"name":"\(app)-7d9f8c-\(index)","namespace":"bench-\((index / 10) % 10)","uid":"uid-\(index)","resourceVersion":"\(index)",
             "labels":{"app":"\(app)","pod-template-hash":"7d9f8c","tier":"web"},"annotations":{"note":"\(String(repeating: "x", count: 200))"}},
             "spec":{"containers":[{"name":"app","image":"registry.example/\(app):1.2.3","resources":{"requests":{"cpu":"500m","memory":"512Mi"},"limits":{"memory":"1Gi"}},
                     "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
                    {"name":"sidecar","image":"registry.example/proxy:1","resources":{"requests":{"cpu":"50m","memory":"64Mi"}}}]},
             "status":{"phase":"Running","startTime":"2026-01-01T00:00:00Z","podIP":"10.0.0.1",
                       "conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-01-01T00:00:10Z"},
                                     {"type":"Initialized","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}
            """)
        if page.count == 500 { await flush() }
    }
    await flush()
    let after = memory().rss
    let cached = await cache.count
    let perPod = Double(max(0, after - before)) * 1024 * 1024 / Double(max(1, cached))
    print("controller: pod cache: \(cached) pods (2 containers, 3 labels each) in \(seconds(since: start)) s; RSS +\(after - before) MiB ≈ \(Int(perPod)) bytes per cached pod")
    let selector = (try? Selector(parsing: "app=app-42")) ?? .everything
    let lookupStart = ContinuousClock.now
    var found = 0
    for _ in 0..<1000 { found += await cache.pods(namespace: "bench-2", selector: selector).count }
    let lookup = lookupStart.duration(to: .now)
    let micros = (Double(lookup.components.seconds) * 1e6 + Double(lookup.components.attoseconds) / 1e12) / 1000
    print("controller: pod cache: selector look-up (\(found / 1000) of \(cached) pods) \(String(format: "%.1f", micros)) µs each")
}
