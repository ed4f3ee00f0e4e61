#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ClusterSim
@testable import HPAController
import KubeAPI
import KubeClient
import Simulation
import Testing

/// The operations side end to end: the real controller (list+watch caches, reconciler, libcurl
/// `KubeClient`) wrapped in `OperatorControllerOperations`, against the simulated cluster, with
/// leader election on the cluster's own Lease.
@Suite struct ClusterSimOperationsTests {
    static let leaseNamespace = "default"
    static let leaseName = "hpa-controller-e2e"

    static func fastElection(_ identity: String) -> LeaderElectionConfig {
        var config = LeaderElectionConfig(namespace: leaseNamespace, name: leaseName, identity: identity)
        // Short enough to keep the test quick, long enough that a loaded machine (the whole suite
        // runs in parallel) does not lose the lease between renewals: takeover here comes from
        // the release, never from expiry.
        config.leaseDuration = 5.0
        config.renewDeadline = 4.0
        config.retryPeriod = 0.1
        return config
    }

    @Test func theStandbyWritesNothingUntilTheLeaderReleasesThenTakesOverAndReleasesOnShutdown() async throws {
        var configuration = SimulatedCluster.Configuration()
        configuration.bookmarkIntervalSeconds = 0.2
        let cluster = try SimulatedCluster.start(configuration)  // manual clock: moves with advance(by:)
        defer { cluster.stop() }
        var scenario = ClusterScenario.loginService
        scenario.workloads = scenario.workloads.map { workload in
            var workload = workload
            workload.load = LoadProfile(demand: .constant(50_000), unit: "users")  // wants ~8 pods
            return workload
        }
        try cluster.load(scenario)
        let controllerClock = ManualControllerClock()  // same epoch as the cluster's ManualClock
        cluster.advance(by: 60)  // the 3 pods are Running and Ready, metrics exist
        controllerClock.advance(by: 60)

        let resolved = try KubeConfigLoader(explicitPath: cluster.kubeconfigPath, environment: [:]).resolve()
        let client = KubeClient(configuration: resolved, qps: 0, retryPolicy: .none)
        let leases = KubeLeaseClient(client: client)

        // Another instance holds the lease (an elector without a controller).
        let other = LeaderElector(config: Self.fastElection("other"), client: leases, clock: SystemOperationsClock())
        let otherRun = Task { await other.run() }
        await other.leadership.waitUntilLeader()

        // Ours starts as a standby.
        let logs = CollectingLogSink()
        let runtime = OperatorRuntime(settings: .init(leaderElection: Self.fastElection("ours"), probeAddress: nil),
                                      logger: OperationsLogger(verbosity: 1, sink: logs))
        let operations = OperatorControllerOperations(runtime: runtime, leaseClient: leases, handleSignals: false)
        let reconciler = Reconciler(clients: .live(requester: KubeClientRequester(client: client), namespace: "login"),
                                    settings: .defaults, clock: controllerClock, hooks: operations)
        let loop = ControllerLoop(reconciler: reconciler, workers: 2)
        let ours = Task { try await operations.run(loop: loop) }

        #expect(await eventually { runtime.readiness.cachesSynced })  // a standby is ready
        #expect(await eventually { logs.lines.contains { $0.contains("standby decided") } })
        let nonLeaseWrites: @Sendable () -> [RequestRecord] = { cluster.writeRequests.filter { !$0.path.contains("/leases") } }
        #expect(nonLeaseWrites().isEmpty, "standby wrote: \(nonLeaseWrites().map { "\($0.method) \($0.path)" })")
        #expect(!runtime.leadership.isLeader)

        // The other instance shuts down and releases: ours takes over within a retry period or two.
        otherRun.cancel()
        await otherRun.value
        #expect(await other.release())
        #expect(await eventually { runtime.leadership.isLeader })
        controllerClock.advance(by: 15)  // the next pass
        #expect(await eventually {
            (cluster.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "login", name: "webflux-login")?["spec"]?["replicas"])
                .flatMap { if case .integer(let value) = $0 { return value } else { return nil } }.map { $0 > 3 } ?? false
        })
        #expect(nonLeaseWrites().contains { $0.path.hasSuffix("/scale") && $0.verb == "update" })
        #expect(await eventually { nonLeaseWrites().contains { $0.path.hasSuffix("/status") } },
                "writes: \(nonLeaseWrites().map { "\($0.verb) \($0.path)" })")
        #expect(runtime.metrics.render().contains("leader_election_master_status{name=\"hpa-controller\"} 1")
                || runtime.metrics.render().contains("leader_election_master_status{name=\"\(Self.leaseName)\"} 1"))

        // Shutdown: drains, releases, returns normally (exit status 0).
        runtime.requestShutdown(reason: "SIGTERM")
        try await ours.value
        let lease = try await leases.get(namespace: Self.leaseNamespace, name: Self.leaseName)
        #expect(lease.spec.holderIdentity == "")
        #expect(lease.spec.leaseDurationSeconds == 1)
        #expect(lease.spec.leaseTransitions == 1)
        #expect(logs.lines.contains { $0.contains("released lease") })
    }
}

@Suite struct DemoTimelineTests {
    static func sample(_ time: Double, users: Double, current: Int32, desired: Int32, proposed: Int32, limitedBy: String,
                       rescaled: Bool = false, held: Bool = false) -> DemoSample {
        var sample = DemoSample(time: time, users: users, cpuUtilization: 70, targetUtilization: 70, currentReplicas: current,
                                desiredReplicas: desired, proposedReplicas: proposed, limitedBy: limitedBy, rescaled: rescaled,
                                detail: rescaled ? "cpu resource utilization (percentage of request) above target" : nil)
        sample.scaleDownHeld = held
        return sample
    }

    @Test func summaryFindsThePeakTheLimitTheHoldAndTheScaleEvents() {
        let timeline = DemoTimeline()
        let samples = [
            Self.sample(0, users: 5_000, current: 3, desired: 3, proposed: 1, limitedBy: "TooFewReplicas"),
            Self.sample(120, users: 50_000, current: 3, desired: 8, proposed: 8, limitedBy: "DesiredWithinRange", rescaled: true),
            Self.sample(420, users: 120_000, current: 8, desired: 15, proposed: 19, limitedBy: "TooManyReplicas", rescaled: true),
            Self.sample(480, users: 150_000, current: 15, desired: 15, proposed: 23, limitedBy: "TooManyReplicas"),
            Self.sample(660, users: 20_000, current: 15, desired: 15, proposed: 4, limitedBy: "TooManyReplicas", held: true),
            Self.sample(900, users: 20_000, current: 15, desired: 15, proposed: 4, limitedBy: "TooManyReplicas", held: true),
            Self.sample(960, users: 20_000, current: 15, desired: 4, proposed: 4, limitedBy: "DesiredWithinRange", rescaled: true),
            Self.sample(1_020, users: 20_000, current: 4, desired: 4, proposed: 4, limitedBy: "DesiredWithinRange"),
        ]
        for sample in samples { timeline.append(sample) }
        let summary = timeline.summary()
        #expect(summary.passes == 8)
        #expect(summary.peakReplicas == 15)
        #expect(summary.peakUsers == 150_000)
        #expect(summary.tooManyReplicasAt == 420)
        #expect(summary.tooManyReplicasLimit == 15)
        #expect(summary.proposalAtPeak == 23)
        #expect(summary.longestHold == ScaleDownHold(from: 660, until: 960, keptReplicas: 15, lowestRecommendation: 4))
        #expect(summary.scaleUps == 2)
        #expect(summary.scaleDowns == 1)
        #expect(summary.finalReplicas == 4)
        let lines = DemoFormat.summaryLines(summary, maxReplicas: 15, wallSeconds: 40.04, simulatedSeconds: 1_200)
        #expect(lines[0] == "Summary: 20m00s of simulated traffic in 40.0 s, 8 controller passes")
        #expect(lines.contains("  TooManyReplicas:      hit at 15 replicas from 07:00; CPU wanted 23 at 150K users"))
        #expect(lines.contains { $0.contains("5m00s by the downscale stabilization window (11:00–16:00): kept 15 while CPU wanted 4") })
        #expect(lines.contains("  scale events:         3 (2 up, 1 down); final replicas 4"))
    }

    @Test(arguments: [
        (DemoTimelineTests.sample(125, users: 50_000, current: 3, desired: 8, proposed: 8, limitedBy: "", rescaled: true),
         "02:05        50K  70%/70%     3 → 8      SuccessfulRescale: cpu resource utilization (percentage of request) above target"),
        (DemoTimelineTests.sample(480, users: 150_000, current: 15, desired: 15, proposed: 23, limitedBy: "TooManyReplicas"),
         "08:00       150K  70%/70%     15         TooManyReplicas: wants 23, held at max 15"),
        (DemoTimelineTests.sample(700, users: 20_000, current: 15, desired: 15, proposed: 4, limitedBy: "TooManyReplicas", held: true),
         "11:40        20K  70%/70%     15         ScaleDownStabilized: wants 4, held by the 5m stabilization window"),
        ({ () -> DemoSample in
            var sample = DemoTimelineTests.sample(4, users: 5_000, current: 3, desired: 3, proposed: 1, limitedBy: "ScaleDownStabilized")
            sample.minReplicas = 3
            return sample
        }(), "00:04         5K  70%/70%     3          TooFewReplicas: wants 1, kept at minReplicas 3"),
    ])
    func rowsAreAlignedAndNameTheReason(sample: DemoSample, expected: String) {
        #expect(DemoFormat.row(sample) == expected)
    }
}
