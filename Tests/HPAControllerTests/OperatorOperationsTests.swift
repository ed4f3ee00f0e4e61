#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@testable import HPAController
import KubeAPI
import Testing

/// One controller instance: its own view of a cluster (a `World`), the real loop and the ops shell.
struct Instance {
    let world: World
    let operations: OperatorControllerOperations
    let loop: ControllerLoop

    let logs = CollectingLogSink()

    init(identity: String, store: InMemoryLeaseStore, hpaCPU: Int64 = 90) async {
        world = World()
        await world.deploy(World.cpuHPA("web", utilization: 50), replicas: 2, cpuMilli: hpaCPU)
        var election = LeaderElectionConfig(namespace: "hpa-system", name: "hpa-controller", identity: identity)
        // Takeover in these tests comes from the release on shutdown, never from expiry, so the
        // lease can be long enough that a loaded machine never loses it between renewals.
        election.leaseDuration = 5.0
        election.renewDeadline = 4.0
        election.retryPeriod = 0.1
        let runtime = OperatorRuntime(settings: .init(leaderElection: election, probeAddress: nil),
                                      logger: OperationsLogger(verbosity: 1, sink: logs))
        operations = OperatorControllerOperations(runtime: runtime, leaseClient: store, handleSignals: false)
        loop = ControllerLoop(reconciler: world.reconciler(hooks: operations), workers: 2)
    }

    var scaleWrites: Int { world.scales.updates.count }
    var leading: Bool { operations.runtime.leadership.isLeader }
}

@Suite struct OperatorOperationsTests {
    @Test func onlyTheLeaderWritesAndTheStandbyTakesOverWhenTheLeaderStops() async throws {
        let store = InMemoryLeaseStore()
        let a = await Instance(identity: "a", store: store)
        let runA = Task { try await a.operations.run(loop: a.loop) }
        #expect(await eventually { a.leading && a.scaleWrites == 1 })
        #expect(a.world.replicas("web") == 4)  // 90 % of request at a 50 % target: 2 → 4

        let b = await Instance(identity: "b", store: store)
        let runB = Task { try await b.operations.run(loop: b.loop) }
        // The standby syncs its caches (so it is ready), decides, but never writes.
        #expect(await eventually { b.operations.runtime.readiness.cachesSynced })
        #expect(b.operations.runtime.readiness.checks.allSatisfy { $0.check() == nil })
        #expect(await eventually { b.logs.lines.contains { $0.contains("standby decided") && $0.contains("desired=4") } })
        #expect(!b.operations.runtime.metrics.render().contains("reconciliations_total{"))
        #expect(!b.leading)
        #expect(b.scaleWrites == 0)
        #expect(store.stored(namespace: "hpa-system", name: "hpa-controller")?.spec.holderIdentity == "a")

        // SIGTERM on A: workers drain, the lease is released, run returns normally (exit 0).
        a.operations.runtime.requestShutdown(reason: "SIGTERM")
        try await runA.value
        #expect(!a.leading)
        #expect(await eventually { b.leading })
        b.world.clock.advance(by: 15)  // B's next pass
        #expect(await eventually { b.scaleWrites == 1 })
        #expect(b.world.replicas("web") == 4)
        let lease = try #require(store.stored(namespace: "hpa-system", name: "hpa-controller"))
        #expect(lease.spec.holderIdentity == "b")
        #expect(lease.spec.leaseTransitions == 1)

        b.operations.runtime.requestShutdown(reason: "SIGTERM")
        try await runB.value
        #expect(store.stored(namespace: "hpa-system", name: "hpa-controller")?.spec.holderIdentity == "")
    }

    @Test func metricsAndReadinessFollowThePasses() async throws {
        let store = InMemoryLeaseStore()
        let a = await Instance(identity: "a", store: store)
        let runA = Task { try await a.operations.run(loop: a.loop) }
        #expect(await eventually { a.scaleWrites == 1 })
        let text = try Exposition(a.operations.runtime.metrics.render())
        let hpa = ["namespace": "default", "hpa_name": "web"]
        #expect(await eventually {
            (try? Exposition(a.operations.runtime.metrics.render()))?.value("horizontal_pod_autoscaler_controller_desired_replicas", hpa) == 4
        })
        #expect(text.value("horizontal_pod_autoscaler_controller_num_horizontal_pod_autoscalers") == 1)
        #expect(text.value("leader_election_master_status", ["name": "hpa-controller"]) == 1)
        #expect(text.samples.contains { $0.name == "horizontal_pod_autoscaler_controller_metric_computation_total" && $0.labels["metric_type"] == "Resource" })
        a.operations.runtime.requestShutdown(reason: "test")
        try await runA.value
    }
}

/// An HPA source whose first list never completes (an unreachable API server).
struct NeverSyncingHPASource: HPASource {
    let cache = HPACache()
    func hpa(_ key: HPAKey) async -> StoredHPA? { nil }
    func keys() async -> [HPAKey] { [] }
    func run(onChange: @escaping @Sendable (HPAChange) async -> Void) async throws {
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
    }
    func waitUntilSynced() async { await cache.waitUntilSynced() }
}

@Suite struct ShutdownBeforeSyncTests {
    @Test func shutdownBeforeTheCachesSyncReturnsWithoutMarkingThemSynced() async throws {
        let world = World()
        var clients = world.clients
        clients.hpas = NeverSyncingHPASource()
        let runtime = OperatorRuntime(settings: .init(leaderElection: nil, probeAddress: nil), logger: .disabled)
        let operations = OperatorControllerOperations(runtime: runtime, leaseClient: nil, handleSignals: false)
        let reconciler = Reconciler(clients: clients, settings: .defaults, clock: world.clock, hooks: operations)
        let loop = ControllerLoop(reconciler: reconciler, workers: 2)
        let run = Task { try await operations.run(loop: loop) }
        try await Task.sleep(for: .milliseconds(50))
        runtime.requestShutdown(reason: "SIGTERM")
        try await run.value  // returns (exit 0) instead of waiting for a sync that never comes
        #expect(!runtime.readiness.cachesSynced)
    }
}
