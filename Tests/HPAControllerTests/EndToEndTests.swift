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
import Testing

/// The controller against the simulated cluster on loopback, through the real libcurl KubeClient.
struct SimHarness {
    let cluster: SimulatedCluster
    let clock = HPAController.ManualControllerClock()

    init() throws {
        cluster = try SimulatedCluster.start()
    }

    var requester: KubeClientRequester {
        KubeClientRequester(client: KubeClient(configuration: ClientConfiguration(server: cluster.url, credentials: .token(cluster.token)),
                                               qps: 0))
    }

    /// One `--once` pass over every HPA, the controller clock set to the simulation's.
    func pass(dryRun: Bool = false, namespace: String? = nil) async throws -> [DecisionRecord] {
        clock.set(to: cluster.clock.nowDate())
        let base: any KubeRequester = requester
        let requester: any KubeRequester = dryRun ? ReadOnlyRequester(base) : base
        let reconciler = Reconciler(clients: .live(requester: requester, namespace: namespace, metricFetchTimeout: .seconds(10)),
                                    settings: .defaults, options: ReconcilerOptions(dryRun: dryRun), clock: clock)
        return try await ControllerLoop(reconciler: reconciler, workers: 5).runOnce()
    }

    func hpa(_ name: String, kind: String = "Deployment", apiVersion: String = "apps/v1", target: String? = nil,
             metrics: String = #"[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]"#,
             max: Int = 10) throws {
        try cluster.create(json: """
            {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"\(name)","namespace":"default"},
             "spec":{"scaleTargetRef":{"apiVersion":"\(apiVersion)","kind":"\(kind)","name":"\(target ?? name)"},
                     "minReplicas":1,"maxReplicas":\(max),"metrics":\(metrics)}}
            """)
    }

    func specReplicas(kind: String = "Deployment", _ name: String) -> Int64? {
        cluster.object(kind: kind, name: name)?["spec"]?["replicas"].flatMap { if case .integer(let n) = $0 { n } else { nil } }
    }

    func hpaStatus(_ name: String) -> KubeAPI.JSONValue? {
        cluster.object(kind: "HorizontalPodAutoscaler", name: name)?["status"]
    }

    func eventReasons() -> [String] {
        cluster.objects(kind: "Event", namespace: "default").compactMap { $0["reason"]?.stringValue }
    }
}

@Suite("End to end against the simulated cluster", .serialized)
struct EndToEndTests {
    @Test(arguments: [("Deployment", "apps/v1"), ("StatefulSet", "apps/v1"), ("WorkerPool", "example.com/v1")])
    func scalesUpOnCPU(kind: String, apiVersion: String) async throws {
        let sim = try SimHarness()
        defer { sim.cluster.stop() }
        // 2 pods, 500m requests; 20,000 units → 20m + 1000m... per pod ≈ 104 % of request vs 50 %.
        try sim.cluster.addWorkload(WorkloadSpec(kind: kind, namespace: "default", name: "web", replicas: 2,
                                                 load: LoadProfile(demand: .constant(20_000))))
        try sim.hpa("web", kind: kind, apiVersion: apiVersion)
        let records = try await sim.pass()
        let record = try #require(records.first)
        #expect(record.decided, "\(record.error ?? "")")
        #expect(record.rescale)
        #expect(record.desiredReplicas == 4)
        #expect(sim.specReplicas(kind: kind, "web") == 4)
        let status = try #require(sim.hpaStatus("web"))
        #expect(status["desiredReplicas"] == .integer(4))
        #expect(status["currentReplicas"] == .integer(2))
        #expect(sim.eventReasons().contains("SuccessfulRescale"))
    }

    @Test func customObjectAndExternalMetrics() async throws {
        let sim = try SimHarness()
        defer { sim.cluster.stop() }
        // One workload per HPA: two HPAs selecting the same pods would be ambiguous (and blocked).
        for name in ["pods-metric", "object-metric", "external-metric"] {
            try sim.cluster.addWorkload(WorkloadSpec(namespace: "default", name: name, replicas: 2,
                                                     load: LoadProfile(demand: .constant(0), metrics: ["http_requests": .constant(300)])))
        }
        sim.cluster.setObjectMetric(namespace: "default", resource: "deployments.apps", name: "object-metric", metric: "queue_length", curve: .constant(200))
        sim.cluster.setExternalMetric(name: "backlog", labels: ["queue": "jobs"], curve: .constant(300))
        try sim.hpa("pods-metric", metrics: #"[{"type":"Pods","pods":{"metric":{"name":"http_requests"},"target":{"type":"AverageValue","averageValue":"50"}}}]"#, max: 20)
        try sim.hpa("object-metric", metrics: #"[{"type":"Object","object":{"describedObject":{"apiVersion":"apps/v1","kind":"Deployment","name":"object-metric"},"metric":{"name":"queue_length"},"target":{"type":"Value","value":"50"}}}]"#, max: 20)
        try sim.hpa("external-metric", metrics: #"[{"type":"External","external":{"metric":{"name":"backlog","selector":{"matchLabels":{"queue":"jobs"}}},"target":{"type":"AverageValue","averageValue":"50"}}}]"#, max: 20)
        let records = try await sim.pass(dryRun: true)
        let byName = Dictionary(records.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // 300 requests/s over 2 pods = 150 per pod vs 50 → 6 pods.
        #expect(byName["pods-metric"]?.metrics.first?.proposedReplicas == 6)
        // 200 vs a value target of 50 on 2 ready pods → 8 pods.
        #expect(byName["object-metric"]?.metrics.first?.proposedReplicas == 8)
        // 300 in total vs 50 per pod → 6 pods.
        #expect(byName["external-metric"]?.metrics.first?.proposedReplicas == 6)
        for record in records { #expect(record.error == nil, "\(record.name): \(record.error ?? "")") }
    }

    @Test func aCustomMetrics404IsRetriedAfterRediscovery() async throws {
        let sim = try SimHarness()
        defer { sim.cluster.stop() }
        try sim.cluster.addWorkload(WorkloadSpec(namespace: "default", name: "web", replicas: 2,
                                                 load: LoadProfile(demand: .constant(0), metrics: ["http_requests": .constant(300)])))
        try sim.hpa("web", metrics: #"[{"type":"Pods","pods":{"metric":{"name":"http_requests"},"target":{"type":"AverageValue","averageValue":"50"}}}]"#, max: 20)
        let fault = sim.cluster.inject(Fault(.status(404), method: "GET", pathPrefix: "/apis/custom.metrics.k8s.io/v1beta2/namespaces/", count: 1))
        let record = try #require(try await sim.pass(dryRun: true).first)
        #expect(sim.cluster.faultCount(fault) == 1)
        #expect(record.metrics.first?.proposedReplicas == 6)
        #expect(record.error == nil)
    }

    @Test func multipleMetricsWithOneFailing() async throws {
        let sim = try SimHarness()
        defer { sim.cluster.stop() }
        try sim.cluster.addWorkload(WorkloadSpec(namespace: "default", name: "web", replicas: 2, load: LoadProfile(demand: .constant(20_000))))
        try sim.hpa("web", metrics: #"[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}},{"type":"External","external":{"metric":{"name":"missing"},"target":{"type":"AverageValue","averageValue":"10"}}}]"#)
        let record = try #require(try await sim.pass().first)
        #expect(record.metrics.count == 2)
        #expect(record.metrics[0].proposedReplicas == 5)  // before the scale-up limit
        #expect(record.limitedBy == "ScaleUpLimit")
        #expect(record.metrics[1].error != nil)
        #expect(record.desiredReplicas == 4)
        #expect(sim.specReplicas("web") == 4)
        #expect(sim.eventReasons().contains("FailedGetExternalMetric"))
    }

    @Test func dryRunSendsNoWriteVerb() async throws {
        let sim = try SimHarness()
        defer { sim.cluster.stop() }
        for name in ["a", "b", "c"] {
            try sim.cluster.addWorkload(WorkloadSpec(namespace: "default", name: name, replicas: 2, load: LoadProfile(demand: .constant(20_000))))
            try sim.hpa(name)
        }
        try sim.hpa("broken", target: "does-not-exist")
        sim.cluster.clearRequestLog()
        let records = try await sim.pass(dryRun: true)
        #expect(records.count == 4)
        #expect(records.filter(\.rescale).count == 3)
        #expect(!sim.cluster.requests.isEmpty)
        #expect(sim.cluster.writeRequests.isEmpty, "\(sim.cluster.writeRequests)")
        #expect(sim.specReplicas("a") == 2)
    }
}

@Suite("Continuous run against the simulated cluster", .serialized)
struct ContinuousRunTests {
    @Test func picksUpNewHPAsByWatchAndAggregatesRepeatedEvents() async throws {
        let sim = try SimHarness()
        defer { sim.cluster.stop() }
        try sim.cluster.addWorkload(WorkloadSpec(namespace: "default", name: "web", replicas: 2, load: LoadProfile(demand: .constant(20_000))))
        try sim.hpa("broken", target: "does-not-exist")
        sim.clock.set(to: sim.cluster.clock.nowDate())
        let hooks = CountingHooks()
        let reconciler = Reconciler(clients: .live(requester: sim.requester, namespace: nil), settings: .defaults,
                                    clock: sim.clock, hooks: hooks)
        let loop = ControllerLoop(reconciler: reconciler, workers: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await loop.run() }
            #expect(await eventually { hooks.count("broken") >= 1 })
            sim.clock.advance(by: 15)
            #expect(await eventually { hooks.count("broken") >= 2 })
            let events = sim.cluster.objects(kind: "Event", namespace: "default").filter { $0["reason"]?.stringValue == "FailedGetScale" }
            #expect(events.count == 1)
            #expect(events.first?["count"] == .integer(2))
            #expect(sim.cluster.requests.contains { $0.method == "PATCH" && $0.path.hasPrefix("/api/v1/namespaces/default/events/") })
            // A new HPA arrives through the watch and is reconciled without waiting for a sync period.
            try sim.hpa("web")
            #expect(await eventually { sim.specReplicas("web") == 4 })
            await loop.stop()
            try await group.waitForAll()
        }
    }
}
