#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPAController
import HPACore
import KubeAPI
import Synchronization

/// A small in-memory world for reconciler tests: one namespace, Deployments with pods that
/// request 100m CPU each, and a manual clock.
struct World {
    let clock = ManualControllerClock()
    let hpas: InMemoryHPASource
    let pods = InMemoryPodLister()
    let scales = InMemoryScaleClient()
    let metrics = InMemoryMetricsClient()
    /// Status writes reach the HPA cache, as the watch would deliver them.
    let status: InMemoryHPAStatusClient
    let events = InMemoryEventClient()
    let namespace = "default"

    init() {
        let hpas = InMemoryHPASource()
        self.hpas = hpas
        status = InMemoryHPAStatusClient(mirror: hpas)
    }

    var clients: ReconcilerClients {
        ReconcilerClients(hpas: hpas, pods: pods, scales: scales, metrics: metrics, status: status, events: events)
    }

    func reconciler(dryRun: Bool = false, settings: ControllerSettings = .defaults, hooks: any ControllerHooks = NoControllerHooks(),
                    fetchTimeout: Duration = .seconds(5)) -> Reconciler {
        Reconciler(clients: clients, settings: settings, options: ReconcilerOptions(dryRun: dryRun, metricFetchTimeout: fetchTimeout),
                   clock: clock, hooks: hooks)
    }

    static func cpuHPA(_ name: String, target: String? = nil, utilization: Int32 = 50, min: Int32 = 1, max: Int32 = 10,
                       behavior: HorizontalPodAutoscalerBehavior? = nil, generation: Int64 = 1) -> HorizontalPodAutoscaler {
        HorizontalPodAutoscaler(
            metadata: ObjectMeta(name: name, namespace: "default", uid: "uid-\(name)", resourceVersion: "1", generation: generation),
            spec: HorizontalPodAutoscalerSpec(
                scaleTargetRef: CrossVersionObjectReference(apiVersion: "apps/v1", kind: "Deployment", name: target ?? name),
                minReplicas: min, maxReplicas: max, metrics: [.resource("cpu", .utilization(utilization))], behavior: behavior),
            status: HorizontalPodAutoscalerStatus(desiredReplicas: 0))
    }

    /// Adds an HPA (to the cache and the status API), its Deployment's scale and `replicas` pods
    /// each using `cpuMilli` of their 100m request.
    func deploy(_ hpa: HorizontalPodAutoscaler, replicas: Int32, cpuMilli: Int64) async {
        let target = hpa.spec.scaleTargetRef.name
        await hpas.put(hpa)
        status.put(hpa)
        scales.setScale(kind: hpa.spec.scaleTargetRef.kind, namespace: namespace, name: target, replicas: replicas, selector: "app=\(target)")
        await setPods(target: target, count: Int(replicas), cpuMilli: cpuMilli)
    }

    /// Replaces the pods (and their metrics) of `target`.
    func setPods(target: String, count: Int, cpuMilli: Int64) async {
        let started = clock.now().addingTimeInterval(-3600)
        var all = await pods.pods(namespace: namespace, selector: .everything).filter { $0.labels["app"] != target }
        var usage = (try? await metrics.podResourceMetrics(namespace: namespace, selector: "")) ?? []
        usage.removeAll { $0.metadata.labels?["app"] == target }
        for index in 0..<count {
            let name = "\(target)-\(index)"
            all.append(ScalingPod(name: name, namespace: namespace, labels: ["app": target], phase: .running,
                                  ready: .init(status: "True", lastTransitionTime: started), startTime: started,
                                  containers: [.init(name: "app", requestsMilli: ["cpu": 100])]))
            usage.append(PodMetrics(metadata: ObjectMeta(name: name, namespace: namespace, labels: ["app": target]),
                                    timestamp: KubeTime(clock.now()), window: GoDuration(seconds: 30),
                                    containers: [ContainerMetrics(name: "app", usage: ["cpu": .milli(cpuMilli)])]))
        }
        await pods.cache.replaceAll(all)
        metrics.setPodMetrics(namespace: namespace, usage)
    }

    func replicas(_ name: String) -> Int32? { scales.replicas(kind: "Deployment", namespace: namespace, name: name) }
}

/// Counts reconciles per HPA (and can deny writes, like a standby).
final class CountingHooks: ControllerHooks {
    private let counts = Mutex<[String: Int]>([:])
    let allowWrites: Bool
    init(allowWrites: Bool = true) { self.allowWrites = allowWrites }
    func mayWrite() async -> Bool { allowWrites }
    func reconciled(_ report: ReconcileReport) async { counts.withLock { $0[report.key.name, default: 0] += 1 } }
    func count(_ name: String) -> Int { counts.withLock { $0[name] ?? 0 } }
}

/// Polls `condition` (every 10 ms, up to `seconds`); for waiting on concurrent work, not timing it.
func eventually(_ seconds: Double = 60, _ condition: @Sendable () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
