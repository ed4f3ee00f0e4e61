@testable import HPAController
import KubeAPI
import Synchronization
import Testing

/// Lets tasks driven by a manual clock run until they park again on the clock.
func settle(_ clock: ManualOperationsClock, sleepers: Int = 1) async {
    for _ in 0..<2000 {
        if clock.sleeperCount >= sleepers { break }
        try? await Task.sleep(for: .milliseconds(1))
    }
    try? await Task.sleep(for: .milliseconds(2))
}

func makeElector(_ identity: String, store: InMemoryLeaseStore, clock: ManualOperationsClock,
                 logs: CollectingLogSink? = nil) -> LeaderElector {
    let config = LeaderElectionConfig(namespace: "kube-system", name: "hpa-controller", identity: identity)
    let logger = logs.map { OperationsLogger(sink: $0) } ?? .disabled
    return LeaderElector(config: config, client: store, clock: clock, logger: logger, jitter: { 0 })
}

@Suite struct LeaderElectionTests {
    @Test func createsTheLeaseOn404AndOnlyOneOfTwoLeads() async throws {
        let store = InMemoryLeaseStore()
        let clock = ManualOperationsClock()
        let a = makeElector("a", store: store, clock: clock)
        let b = makeElector("b", store: store, clock: clock)
        #expect(await a.tryAcquireOrRenew())
        #expect(await b.tryAcquireOrRenew() == false)
        let lease = try #require(store.stored(namespace: "kube-system", name: "hpa-controller"))
        #expect(lease.spec.holderIdentity == "a")
        #expect(lease.spec.leaseDurationSeconds == 15)
        #expect(lease.spec.leaseTransitions == 0)
        #expect(lease.spec.acquireTime == MicroTime(clock.wallNow()))
        // A renews every 2 s; B never gets it however long it tries.
        for _ in 0..<20 {
            clock.advance(by: 2)
            #expect(await a.tryAcquireOrRenew())
            #expect(await b.tryAcquireOrRenew() == false)
        }
        let renewed = try #require(store.stored(namespace: "kube-system", name: "hpa-controller"))
        #expect(renewed.spec.holderIdentity == "a")
        #expect(renewed.spec.acquireTime == lease.spec.acquireTime)
        #expect(renewed.spec.renewTime == MicroTime(clock.wallNow()))
        #expect(renewed.spec.leaseTransitions == 0)
    }

    @Test func standbyTakesOverOnlyAfterTheRecordStopsChangingForTheLeaseDuration() async throws {
        let store = InMemoryLeaseStore()
        let clock = ManualOperationsClock()
        let a = makeElector("a", store: store, clock: clock)
        let b = makeElector("b", store: store, clock: clock)
        #expect(await a.tryAcquireOrRenew())
        #expect(await b.tryAcquireOrRenew() == false)  // B first observes the record now
        clock.advance(by: 14)
        #expect(await b.tryAcquireOrRenew() == false)
        clock.advance(by: 1.5)  // 15.5 s since B saw the record change
        #expect(await b.tryAcquireOrRenew())
        let lease = try #require(store.stored(namespace: "kube-system", name: "hpa-controller"))
        #expect(lease.spec.holderIdentity == "b")
        #expect(lease.spec.leaseTransitions == 1)
        #expect(lease.spec.acquireTime == MicroTime(clock.wallNow()))
        // The old leader cannot renew: it sees a fresh record held by someone else.
        #expect(await a.tryAcquireOrRenew() == false)
    }

    @Test func expiryIsJudgedOnTheLocalClockNotTheLeasesRenewTime() async throws {
        let store = InMemoryLeaseStore()
        let clock = ManualOperationsClock()
        // A lease whose renewTime is far in the past (the leader's wall clock is skewed) but which
        // keeps changing: it must not be taken over.
        let skewed = LeaderElectionConfig(namespace: "kube-system", name: "hpa-controller", identity: "skewed")
        _ = try await store.create(Lease(metadata: ObjectMeta(name: skewed.name, namespace: skewed.namespace),
                                         spec: .init(holderIdentity: "skewed", leaseDurationSeconds: 15,
                                                     acquireTime: MicroTime(clock.wallNow().addingTimeInterval(-3600)),
                                                     renewTime: MicroTime(clock.wallNow().addingTimeInterval(-3600)),
                                                     leaseTransitions: 4)))
        let b = makeElector("b", store: store, clock: clock)
        #expect(await b.tryAcquireOrRenew() == false)
        for step in 1...10 {
            clock.advance(by: 2)
            var lease = try #require(store.stored(namespace: "kube-system", name: "hpa-controller"))
            lease.spec.renewTime = MicroTime(clock.wallNow().addingTimeInterval(-3600 + Double(step)))
            _ = try await store.update(lease)
            #expect(await b.tryAcquireOrRenew() == false)
        }
    }

    @Test func releaseLetsTheStandbyTakeOverAtOnce() async throws {
        let store = InMemoryLeaseStore()
        let clock = ManualOperationsClock()
        let a = makeElector("a", store: store, clock: clock)
        let b = makeElector("b", store: store, clock: clock)
        #expect(await a.tryAcquireOrRenew())
        #expect(await b.tryAcquireOrRenew() == false)
        clock.advance(by: 1)
        #expect(await a.release())
        let released = try #require(store.stored(namespace: "kube-system", name: "hpa-controller"))
        #expect(released.spec.holderIdentity == "")
        #expect(released.spec.leaseDurationSeconds == 1)
        #expect(released.spec.leaseTransitions == 0)
        #expect(released.spec.renewTime == MicroTime(clock.wallNow()))
        #expect(await b.tryAcquireOrRenew())  // no waiting for expiry
        #expect(store.stored(namespace: "kube-system", name: "hpa-controller")?.spec.leaseTransitions == 1)
        // Releasing a lease we do not hold writes nothing.
        let writes = store.writes.count
        #expect(await a.release() == false)
        #expect(store.writes.count == writes)
    }

    @Test func releaseRereadsAfterAConflictFromARenewalAppliedInFlight() async throws {
        let store = InMemoryLeaseStore()
        let clock = ManualOperationsClock()
        let a = makeElector("a", store: store, clock: clock)
        #expect(await a.tryAcquireOrRenew())
        // A renewal reached the server but its reply was lost (cancelled): our resourceVersion is stale.
        var applied = try #require(store.stored(namespace: "kube-system", name: "hpa-controller"))
        applied.spec.renewTime = MicroTime(clock.wallNow().addingTimeInterval(2))
        _ = try await store.update(applied)
        #expect(await a.release())
        #expect(store.stored(namespace: "kube-system", name: "hpa-controller")?.spec.holderIdentity == "")
        // But a lease someone else took over in the meantime is left alone.
        let b = makeElector("b", store: store, clock: clock)
        #expect(await b.tryAcquireOrRenew())
        var stolen = try #require(store.stored(namespace: "kube-system", name: "hpa-controller"))
        stolen.spec.holderIdentity = "c"
        _ = try await store.update(stolen)
        #expect(await b.release() == false)
        #expect(store.stored(namespace: "kube-system", name: "hpa-controller")?.spec.holderIdentity == "c")
    }

    @Test func aLostRaceIsAConflictAndOnlyOneWins() async throws {
        let store = InMemoryLeaseStore()
        let clock = ManualOperationsClock()
        let a = makeElector("a", store: store, clock: clock)
        #expect(await a.tryAcquireOrRenew())
        #expect(await a.release())
        // B and C both read the released lease; whoever writes second gets 409.
        let racing = RacingLeaseClient(store: store)
        let config = { (id: String) in LeaderElectionConfig(namespace: "kube-system", name: "hpa-controller", identity: id) }
        let b = LeaderElector(config: config("b"), client: racing, clock: clock, jitter: { 0 })
        let c = LeaderElector(config: config("c"), client: store, clock: clock, jitter: { 0 })
        racing.beforeUpdate = { _ = await c.tryAcquireOrRenew() }
        #expect(await b.tryAcquireOrRenew() == false)
        #expect(store.stored(namespace: "kube-system", name: "hpa-controller")?.spec.holderIdentity == "c")
    }

    @Test(arguments: [
        (15.0, 10.0, 2.0, true), (10.0, 10.0, 2.0, false), (15.0, 2.4, 2.0, false), (15.0, 10.0, 0.0, false),
    ])
    func validatesDurationsLikeClientGo(lease: Double, renew: Double, retry: Double, valid: Bool) {
        var config = LeaderElectionConfig(namespace: "ns", name: "n", identity: "me")
        config.leaseDuration = lease
        config.renewDeadline = renew
        config.retryPeriod = retry
        #expect(((try? config.validate()) != nil) == valid)
    }

    @Test func identityIsHostnameUnderscoreUUID() {
        let identity = LeaderElectionConfig.defaultIdentity(hostname: "node-a")
        #expect(identity.hasPrefix("node-a_"))
        #expect(identity.count == "node-a_".count + 36)
    }
}

/// Runs a hook between reading and writing, to stage a lost race.
final class RacingLeaseClient: LeaseClient, @unchecked Sendable {
    let store: InMemoryLeaseStore
    var beforeUpdate: (@Sendable () async -> Void)?
    init(store: InMemoryLeaseStore) { self.store = store }
    func get(namespace: String, name: String) async throws(LeaseClientError) -> Lease {
        try await store.get(namespace: namespace, name: name)
    }
    func create(_ lease: Lease) async throws(LeaseClientError) -> Lease { try await store.create(lease) }
    func update(_ lease: Lease) async throws(LeaseClientError) -> Lease {
        await beforeUpdate?()
        return try await store.update(lease)
    }
}
