#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ClusterSim
import HPAController
import HPACore
import KubeClient
import Simulation
import Synchronization

/// The demo's composition: simulated cluster + real controller (list+watch caches, work queue,
/// reconciler, libcurl) + the live table. Returns the exit status.
struct DemoRun {
    let speed: Double
    let logFormat: LogFormat
    let verbosity: Int

    func run(print: @escaping @Sendable (String) -> Void) async -> Int32 {
        let wallStart = ContinuousClock.now
        let clock = AcceleratedClock(speed: speed)
        var configuration = SimulatedCluster.Configuration()
        configuration.clock = clock
        configuration.stepIntervalSeconds = 0.05
        configuration.kubeconfigNamespace = DemoScenario.namespace
        let cluster: SimulatedCluster
        do {
            cluster = try SimulatedCluster.start(configuration)
            // The seed's login-service scenario, with its day of traffic compressed to 20 minutes.
            var scenario = ClusterScenario.loginService
            scenario.workloads = scenario.workloads.map { workload in
                var workload = workload
                workload.load = LoadProfile(demand: DemoScenario.traffic, unit: "users")
                return workload
            }
            try cluster.load(scenario)
        } catch {
            print("demo: cannot start the simulated cluster: \(error)")
            return 1
        }
        defer { cluster.stop() }

        let client: KubeClient
        do {
            client = KubeClient(configuration: try ClientConfiguration.resolve(kubeconfig: cluster.kubeconfigPath), qps: 200, burst: 200)
        } catch {
            print("demo: cannot read the simulated cluster's kubeconfig: \(error)")
            return 1
        }

        let logger = verbosity > 0 ? OperationsLogger(format: logFormat, verbosity: verbosity - 1) : OperationsLogger.disabled
        // The daemon's own shell: leader election on the simulated cluster's Lease, signals, ordered shutdown.
        var election = LeaderElectionConfig(namespace: DemoScenario.namespace, name: DemoScenario.leaseName,
                                            identity: LeaderElectionConfig.defaultIdentity())
        election.releaseOnCancel = true
        let operationsClock = SimulationOperationsClock(clock: clock)
        let runtime = OperatorRuntime(settings: .init(leaderElection: election, probeAddress: nil), logger: logger,
                                      clock: operationsClock)
        let controllerClock = SimulationControllerClock(clock: clock)
        let reconciler = Reconciler(clients: .live(requester: KubeClientRequester(client: client), namespace: DemoScenario.namespace),
                                    settings: .defaults, clock: controllerClock, hooks: OperationsHooks(runtime: runtime),
                                    eventHost: "demo")
        let timeline = DemoTimeline()
        let printer = DemoPrinter(print: print)
        let loop = ControllerLoop(reconciler: reconciler, workers: 2) { record in
            guard record.namespace == DemoScenario.namespace, record.name == DemoScenario.hpaName else { return }
            let now = clock.now()
            let sample = DemoSample(record: record, time: now, users: DemoScenario.traffic.value(at: now))
            timeline.append(sample)
            printer.offer(sample)
        }
        let workers = ClosureService(name: "reconcile-workers") { shutdown in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await loop.run() }
                await shutdown.wait()
                await loop.stop()
                try await group.waitForAll()
            }
        }
        let timer = ClosureService(name: "demo-timer") { shutdown in
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    try? await Task.sleep(for: clock.realDelay(until: DemoScenario.duration))
                    runtime.requestShutdown(reason: "demo finished")
                }
                await shutdown.wait()
                group.cancelAll()
            }
        }

        print("hpa-controller demo: the seed's login service on a simulated cluster at \(cluster.url), \(Int(speed))× real time")
        print("  Deployment \(DemoScenario.namespace)/\(DemoScenario.deployment) · HPA \(DemoScenario.hpaName): 3–15 replicas, CPU target 70 % of 500m")
        print("  20 simulated minutes of traffic: 5K users → 50K → 150K campaign spike → 20K; the controller syncs every 15 s")
        print("")
        print(DemoFormat.header)

        let status = await runtime.run(workers: GroupedServices(name: "controller", services: [workers, timer]),
                                       leaseClient: KubeLeaseClient(client: client))
        let wall = ContinuousClock.now - wallStart
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let summary = timeline.summary()
        print("")
        for line in DemoFormat.summaryLines(summary, maxReplicas: DemoScenario.maxReplicas, wallSeconds: wallSeconds,
                                            simulatedSeconds: clock.now()) {
            print(line)
        }
        let lease = cluster.object(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: DemoScenario.namespace,
                                   name: DemoScenario.leaseName)
        let holder = lease?["spec"]?["holderIdentity"]?.stringValue
        print("  leader election:      Lease \(DemoScenario.namespace)/\(DemoScenario.leaseName) "
              + (holder == "" ? "released on shutdown" : "still held by \(holder ?? "nobody")"))
        if status != 0 {
            print("demo: the controller stopped with an error (exit status \(status)); run with -v to see its log")
            return status
        }
        guard summary.passes > 0 else {
            print("demo: the controller made no decision; run with -v to see its log")
            return 1
        }
        return 0
    }
}

/// Prints a row when something changes (a rescale, a new limiting reason) and otherwise once per
/// simulated minute, so the table tells the story without scrolling away.
final class DemoPrinter: Sendable {
    private struct State {
        var lastPrinted: DemoSample?
    }
    private let state = Mutex(State())
    private let print: @Sendable (String) -> Void

    init(print: @escaping @Sendable (String) -> Void) { self.print = print }

    func offer(_ sample: DemoSample) {
        let line: String? = state.withLock { state in
            let show: Bool
            if let last = state.lastPrinted {
                show = sample.rescaled || sample.limitedBy != last.limitedBy || sample.time - last.time >= 60
            } else {
                show = true
            }
            guard show else { return nil }
            state.lastPrinted = sample
            return DemoFormat.row(sample)
        }
        if let line { print(line) }
    }
}

