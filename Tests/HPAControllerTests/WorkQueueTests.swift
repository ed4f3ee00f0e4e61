#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPAController
import HPACore
import KubeAPI
import Testing

@Suite("Work queue and controller loop")
struct WorkQueueTests {
    let a = HPAKey(namespace: "ns", name: "a")
    let b = HPAKey(namespace: "ns", name: "b")

    @Test func deduplicatesAndNeverHandsOneKeyToTwoWorkers() async {
        let queue = WorkQueue(clock: ManualControllerClock())
        await queue.add(a)
        await queue.add(a)
        await queue.add(b)
        #expect(await queue.readyCount == 2)
        let first = await queue.next()
        #expect(first == a)
        await queue.add(a)  // while processing: queued again only after done
        #expect(await queue.readyCount == 1)
        #expect(await queue.next() == b)
        await queue.done(a)
        #expect(await queue.next() == a)
    }

    @Test func delayedAddsFireOnTheClockAndTheEarliestWins() async {
        let clock = ManualControllerClock()
        let queue = WorkQueue(clock: clock)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await queue.runTimer() }
            await queue.add(a, after: 30)
            await queue.add(a, after: 10)
            await queue.add(a, after: 20)
            #expect(await queue.readyCount == 0)
            clock.advance(by: 9)
            #expect(await queue.readyCount == 0)
            clock.advance(by: 1)
            let fired = await eventually { await queue.readyCount == 1 }
            #expect(fired)
            #expect(await queue.waitingCount == 0)
            await queue.shutDown()
        }
    }

    @Test func aSlowHPADoesNotDelayTheOthers() async throws {
        let world = World()
        await world.deploy(World.cpuHPA("slow"), replicas: 2, cpuMilli: 50)
        await world.deploy(World.cpuHPA("fast"), replicas: 2, cpuMilli: 50)
        // The slow HPA's metrics hang until released; its fetch deadline is far away too.
        let hooks = CountingHooks()
        let slowMetrics = SlowForOne(base: world.metrics, slowSelector: "app=slow")
        var clients = world.clients
        clients.metrics = slowMetrics
        let reconciler = Reconciler(clients: clients, settings: ControllerSettings(syncPeriodSeconds: 15),
                                    options: ReconcilerOptions(metricFetchTimeout: .seconds(3600)), clock: world.clock, hooks: hooks)
        let loop = ControllerLoop(reconciler: reconciler, workers: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await loop.run() }
            #expect(await eventually { hooks.count("fast") >= 1 })
            for round in 2...4 {
                world.clock.advance(by: 15)
                #expect(await eventually { hooks.count("fast") >= round })
            }
            #expect(hooks.count("slow") == 0)
            await slowMetrics.release()
            #expect(await eventually { hooks.count("slow") >= 1 })
            await loop.stop()
            try await group.waitForAll()
        }
    }

    @Test func aSpecChangeIsReconciledPromptlyAndHPASyncPeriodIsHonoured() async throws {
        let world = World()
        var hpa = World.cpuHPA("web")
        hpa.spec.syncPeriodSeconds = 60
        await world.deploy(hpa, replicas: 2, cpuMilli: 50)
        let hooks = CountingHooks()
        let reconciler = world.reconciler(hooks: hooks)
        let loop = ControllerLoop(reconciler: reconciler, workers: 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await loop.run() }
            #expect(await eventually { hooks.count("web") == 1 })
            world.clock.advance(by: 15)  // the global sync period does not apply to this HPA
            try await Task.sleep(for: .milliseconds(100))
            #expect(hooks.count("web") == 1)
            hpa.spec.maxReplicas = 20
            hpa.metadata.generation = 2
            hpa.metadata.resourceVersion = "1000"  // newer than our status write, as the API server would number it
            world.status.put(hpa)
            await world.hpas.put(hpa)  // spec change: at once, no clock advance
            #expect(await eventually { hooks.count("web") == 2 })
            world.clock.advance(by: 60)
            #expect(await eventually { hooks.count("web") == 3 })
            await loop.stop()
            try await group.waitForAll()
        }
    }

    @Test func onceReconcilesEveryHPAOnce() async throws {
        let world = World()
        for name in ["a", "b", "c"] { await world.deploy(World.cpuHPA(name), replicas: 2, cpuMilli: 100) }
        world.scales.failGets(kind: "Deployment", namespace: "default", name: "c", message: "boom")
        let loop = ControllerLoop(reconciler: world.reconciler(dryRun: true), workers: 2)
        let records = try await loop.runOnce()
        #expect(records.map(\.name) == ["a", "b", "c"])
        #expect(records.map(\.decided) == [true, true, false])
        let table = DecisionOutput.table(records)
        #expect(table.hasPrefix("NAMESPACE   NAME   REFERENCE"))
        #expect(table.split(separator: "\n").count == 4)
    }
}

/// Metrics whose resource fetches for one selector wait until `release()`.
final class SlowForOne: MetricsClient {
    let base: InMemoryMetricsClient
    let slowSelector: String
    private let gate = Gate()
    init(base: InMemoryMetricsClient, slowSelector: String) {
        self.base = base
        self.slowSelector = slowSelector
    }
    func release() async { await gate.open() }
    func podResourceMetrics(namespace: String, selector: String) async throws -> [PodMetrics] {
        if selector == slowSelector { await gate.wait() }
        return try await base.podResourceMetrics(namespace: namespace, selector: selector)
    }
    func podCustomMetrics(namespace: String, metricName: String, podSelector: String, metricSelector: String?) async throws -> [MetricValue] {
        try await base.podCustomMetrics(namespace: namespace, metricName: metricName, podSelector: podSelector, metricSelector: metricSelector)
    }
    func objectMetric(namespace: String, object: CrossVersionObjectReference, metricName: String, metricSelector: String?) async throws -> [MetricValue] {
        try await base.objectMetric(namespace: namespace, object: object, metricName: metricName, metricSelector: metricSelector)
    }
    func externalMetric(namespace: String, metricName: String, selector: String?) async throws -> [ExternalMetricValue] {
        try await base.externalMetric(namespace: namespace, metricName: metricName, selector: selector)
    }
}

actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
