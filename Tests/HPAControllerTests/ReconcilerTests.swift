#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPAController
import HPACore
import KubeAPI
import Testing

@Suite("Reconciler with in-memory clients")
struct ReconcilerTests {
    @Test func scalesUpWritesStatusAndRecordsEvent() async throws {
        let world = World()
        await world.deploy(World.cpuHPA("web"), replicas: 2, cpuMilli: 100)  // 100 % of request vs target 50 %
        let reconciler = world.reconciler()
        let outcome = await reconciler.reconcile(HPAKey(namespace: "default", name: "web"))
        let record = try #require(outcome.record)
        #expect(record.decided)
        #expect(record.rescale)
        #expect(record.desiredReplicas == 4)
        #expect(world.replicas("web") == 4)
        let written = try #require(world.status.writes.last?.status)
        #expect(written.desiredReplicas == 4)
        #expect(written.currentReplicas == 2)
        #expect(written.conditions?.first { $0.type == "AbleToScale" }?.reason == "SucceededRescale")
        let event = try #require(world.events.events.first { $0.reason == "SuccessfulRescale" })
        #expect(event.message == "New size: 4; reason: cpu resource utilization (percentage of request) above target")
        #expect(event.source?.component == "horizontal-pod-autoscaler")
        #expect(event.involvedObject.kind == "HorizontalPodAutoscaler")
        #expect(event.count == 1)
    }

    @Test func scalesDownOnlyAfterTheStabilizationWindow() async throws {
        let world = World()
        await world.deploy(World.cpuHPA("web"), replicas: 4, cpuMilli: 10)  // 10 % vs 50 %
        let reconciler = world.reconciler()
        let key = HPAKey(namespace: "default", name: "web")
        let first = try #require(await reconciler.reconcile(key).record)
        #expect(!first.rescale)
        #expect(first.limitedBy == "ScaleDownStabilized")
        #expect(world.replicas("web") == 4)
        world.clock.advance(by: 120)
        await world.setPods(target: "web", count: 4, cpuMilli: 10)
        let second = try #require(await reconciler.reconcile(key).record)
        #expect(!second.rescale)
        #expect(world.replicas("web") == 4)
        world.clock.advance(by: 181)  // 301 s after the first recommendation
        await world.setPods(target: "web", count: 4, cpuMilli: 10)
        let third = try #require(await reconciler.reconcile(key).record)
        #expect(third.rescale)
        #expect(world.replicas("web") == 1)
    }

    @Test func statusIsWrittenOnlyWhenItChanges() async throws {
        let world = World()
        await world.deploy(World.cpuHPA("web"), replicas: 2, cpuMilli: 50)  // exactly on target
        let reconciler = world.reconciler()
        let key = HPAKey(namespace: "default", name: "web")
        _ = await reconciler.reconcile(key)
        #expect(world.status.writes.count == 1)
        // The cache now holds what was written; an identical pass writes nothing.
        if let stored = world.status.object(key) { await world.hpas.put(stored) }
        _ = await reconciler.reconcile(key)
        #expect(world.status.writes.count == 1)
        #expect(world.scales.updates.isEmpty)
    }

    @Test func repeatedEventsArePatchedAndRepostedAfterExpiry() async throws {
        let world = World()
        await world.deploy(World.cpuHPA("web"), replicas: 2, cpuMilli: 50)
        world.scales.failGets(kind: "Deployment", namespace: "default", name: "web", message: "deployments.apps \"web\" is forbidden")
        let reconciler = world.reconciler()
        let key = HPAKey(namespace: "default", name: "web")
        let record = try #require(await reconciler.reconcile(key).record)
        #expect(!record.decided)
        #expect(record.limitedBy == "FailedGetScale")
        _ = await reconciler.reconcile(key)
        #expect(world.events.postCount == 1)
        #expect(world.events.patchCount == 1)
        let event = try #require(world.events.events.first)
        #expect(event.reason == "FailedGetScale")
        #expect(event.type == "Warning")
        #expect(event.count == 2)
        world.events.expire(name: event.metadata.name ?? "")
        _ = await reconciler.reconcile(key)
        #expect(world.events.postCount == 2)
        #expect(world.events.events.first?.count == 3)
    }

    @Test func scaleConflictsAreRetriedAndStatusConflictIsRetriedOnce() async throws {
        let world = World()
        await world.deploy(World.cpuHPA("web"), replicas: 2, cpuMilli: 100)
        world.scales.conflictNextUpdates(kind: "Deployment", namespace: "default", name: "web", count: 3)
        world.status.conflictNext(1)
        let reconciler = world.reconciler()
        let record = try #require(await reconciler.reconcile(HPAKey(namespace: "default", name: "web")).record)
        #expect(record.rescale)
        #expect(world.replicas("web") == 4)
        #expect(world.status.writes.count == 1)
        #expect(!world.events.events.contains { $0.reason == "FailedUpdateStatus" || $0.reason == "FailedRescale" })
    }

    @Test func persistentScaleConflictBecomesFailedRescale() async throws {
        let world = World()
        await world.deploy(World.cpuHPA("web"), replicas: 2, cpuMilli: 100)
        world.scales.conflictNextUpdates(kind: "Deployment", namespace: "default", name: "web", count: 10)
        let reconciler = world.reconciler()
        _ = await reconciler.reconcile(HPAKey(namespace: "default", name: "web"))
        #expect(world.replicas("web") == 2)
        #expect(world.events.events.contains { $0.reason == "FailedRescale" })
        #expect(world.status.writes.last?.status?.conditions?.first { $0.type == "AbleToScale" }?.reason == "FailedUpdateScale")
    }

    @Test func dryRunWritesNothingAndReportsTheDecision() async throws {
        let world = World()
        var hpa = World.cpuHPA("web")
        hpa.status = HorizontalPodAutoscalerStatus(currentReplicas: 2, desiredReplicas: 3)
        await world.deploy(hpa, replicas: 2, cpuMilli: 100)
        let reconciler = world.reconciler(dryRun: true)
        let record = try #require(await reconciler.reconcile(HPAKey(namespace: "default", name: "web")).record)
        #expect(record.desiredReplicas == 4)
        #expect(record.clusterDesiredReplicas == 3)
        #expect(record.agree == false)
        #expect(!record.wrote)
        #expect(record.events.contains { $0.reason == "SuccessfulRescale" })
        #expect(world.scales.updates.isEmpty)
        #expect(world.status.writes.isEmpty)
        #expect(world.events.postCount == 0 && world.events.patchCount == 0)
    }

    @Test func anUnwrittenRescaleLeavesNoScaleEvent() async throws {
        let world = World()
        let behavior = HorizontalPodAutoscalerBehavior(scaleUp: HPAScalingRules(stabilizationWindowSeconds: 0, selectPolicy: "Max",
                                                                                policies: [HPAScalingPolicy(type: "Pods", value: 4, periodSeconds: 60)]))
        await world.deploy(World.cpuHPA("web", behavior: behavior), replicas: 2, cpuMilli: 100)
        let key = HPAKey(namespace: "default", name: "web")
        let dryRun = world.reconciler(dryRun: true)
        #expect(try #require(await dryRun.reconcile(key).record).rescale)
        let dryMemory = await dryRun.memory.get(key)
        #expect(dryMemory.scaleUpEvents.isEmpty)
        #expect(dryMemory.recommendations?.isEmpty == false)
        let live = world.reconciler()
        _ = await live.reconcile(key)
        #expect(await live.memory.get(key).scaleUpEvents.count == 1)
    }

    @Test func aStandbyDecidesButDoesNotWrite() async throws {
        let world = World()
        await world.deploy(World.cpuHPA("web"), replicas: 2, cpuMilli: 100)
        let reconciler = world.reconciler(hooks: CountingHooks(allowWrites: false))
        _ = await reconciler.reconcile(HPAKey(namespace: "default", name: "web"))
        #expect(world.scales.updates.isEmpty)
        #expect(world.status.writes.isEmpty)
        #expect(world.events.postCount == 0)
    }

    @Test func deletedHPAForgetsItsMemory() async throws {
        let world = World()
        await world.deploy(World.cpuHPA("web"), replicas: 2, cpuMilli: 50)
        let reconciler = world.reconciler()
        let key = HPAKey(namespace: "default", name: "web")
        _ = await reconciler.reconcile(key)
        #expect(await reconciler.memory.count == 1)
        await world.hpas.delete(key)
        guard case .deleted = await reconciler.reconcile(key) else {
            Issue.record("expected .deleted")
            return
        }
        #expect(await reconciler.memory.count == 0)
    }

    @Test func theRecordReplaysToTheSameDecision() async throws {
        let world = World()
        await world.deploy(World.cpuHPA("web"), replicas: 3, cpuMilli: 90)
        let reconciler = world.reconciler(dryRun: true)
        let record = try #require(await reconciler.reconcile(HPAKey(namespace: "default", name: "web")).record)
        let line = DecisionOutput.jsonLine(record)
        let decoded = try JSONDecoder().decode(DecisionRecord.self, from: Data(line.utf8))
        let replayed = HPADecider.decide(decoded.observations.reconcileInput(), settings: .defaults)
        #expect(replayed.desiredReplicas == record.desiredReplicas)
        #expect(replayed.limitedBy == record.limitedBy)
        #expect(replayed.status.conditions?.map(\.reason) == record.conditions.map(\.reason))
    }
}
