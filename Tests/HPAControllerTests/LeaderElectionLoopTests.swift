@testable import HPAController
import KubeAPI
import Synchronization
import Testing

@Suite struct LeaderElectionLoopTests {
    @Test func standbyTakesOverAfterTheLeaderIsCancelledAndReleases() async throws {
        let store = InMemoryLeaseStore()
        let clock = ManualOperationsClock()
        let a = makeElector("a", store: store, clock: clock)
        let b = makeElector("b", store: store, clock: clock)
        let runA = Task { await a.run() }
        await settle(clock, sleepers: 1)
        #expect(a.leadership.isLeader)
        let runB = Task { await b.run() }
        await settle(clock, sleepers: 2)
        #expect(!b.leadership.isLeader)
        for _ in 0..<5 {  // 10 s of renewals: still A
            clock.advance(by: 2)
            await settle(clock, sleepers: 2)
        }
        #expect(a.leadership.isLeader)
        #expect(!b.leadership.isLeader)

        runA.cancel()
        await runA.value
        #expect(!a.leadership.isLeader)
        #expect(store.stored(namespace: "kube-system", name: "hpa-controller")?.spec.holderIdentity == "a")
        #expect(await a.release())
        #expect(store.stored(namespace: "kube-system", name: "hpa-controller")?.spec.holderIdentity == "")
        // B's next attempt (within one jittered retry period) takes the released lease.
        clock.advance(by: 2)
        await settle(clock, sleepers: 1)
        #expect(b.leadership.isLeader)
        #expect(store.stored(namespace: "kube-system", name: "hpa-controller")?.spec.holderIdentity == "b")
        runB.cancel()
        await runB.value
    }

    @Test func standbyTakesOverAfterTheLeaderStopsWithoutReleasing() async throws {
        let store = InMemoryLeaseStore()
        let clock = ManualOperationsClock()
        let a = makeElector("a", store: store, clock: clock)
        #expect(await a.tryAcquireOrRenew())  // A acquired, then "crashed": no renewals, no release
        let b = makeElector("b", store: store, clock: clock)
        let runB = Task { await b.run() }
        await settle(clock, sleepers: 1)
        var waited = 0.0
        while !b.leadership.isLeader && waited < 40 {
            clock.advance(by: 1)
            waited += 1
            await settle(clock, sleepers: 1)
        }
        #expect(b.leadership.isLeader)
        #expect(waited >= 15)  // not before the lease duration on B's clock
        #expect(waited <= 15 + 4.4 + 1)
        runB.cancel()
        await runB.value
    }

    @Test func renewFailureLosesLeadershipBeforeTheLeaseCanExpireElsewhere() async throws {
        let store = InMemoryLeaseStore()
        let clock = ManualOperationsClock()
        let logs = CollectingLogSink()
        let a = makeElector("a", store: store, clock: clock, logs: logs)
        let changes = ChangeLog()
        let runA = Task { await a.run(onChange: { changes.append($0) }) }
        await settle(clock, sleepers: 1)
        #expect(a.leadership.isLeader)
        store.setFailing(true)  // the API server becomes unreachable
        var elapsed = 0.0
        while a.leadership.isLeader && elapsed < 30 {
            clock.advance(by: 1)
            elapsed += 1
            await settle(clock, sleepers: 1)
        }
        #expect(!a.leadership.isLeader)
        // Lost within retry (2 s) + renew deadline (10 s), so before a standby could take over (15 s).
        #expect(elapsed <= 12 + 1)
        #expect(elapsed >= 10)
        #expect(changes.values == [true, false])
        #expect(logs.lines.contains { $0.contains("lost leadership") })
        // Back as a candidate: once the API returns and the lease is released, it leads again.
        store.setFailing(false)
        runA.cancel()
        await runA.value
    }

    @Test func waitUntilLeaderResumesWhenLeadershipIsGranted() async {
        let state = LeadershipState()
        let waiter = Task { await state.waitUntilLeader(); return state.isLeader }
        try? await Task.sleep(for: .milliseconds(5))
        state.set(leading: true)
        #expect(await waiter.value)
    }
}

final class ChangeLog: Sendable {
    private let stored = Mutex<[Bool]>([])
    func append(_ value: Bool) { stored.withLock { $0.append(value) } }
    var values: [Bool] { stored.withLock { $0 } }
}

@Suite struct LeaseReachabilityTests {
    @Test func leaseRequestsReportWhetherTheAPIServerAnswered() async {
        let store = InMemoryLeaseStore()
        let readiness = ReadinessState()
        let elector = LeaderElector(config: LeaderElectionConfig(namespace: "ns", name: "n", identity: "a"), client: store,
                                    clock: ManualOperationsClock(), jitter: { 0 },
                                    apiResult: { readiness.recordAPIResult(error: $0) })
        store.setFailing(true)
        #expect(await elector.tryAcquireOrRenew() == false)
        #expect(!readiness.apiReachable)
        store.setFailing(false)
        #expect(await elector.tryAcquireOrRenew())
        #expect(readiness.apiReachable)
    }
}
