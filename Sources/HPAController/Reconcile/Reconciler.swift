#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// Everything the reconciler talks to, each behind a small protocol (live or in-memory).
public struct ReconcilerClients: Sendable {
    public var hpas: any HPASource
    public var pods: any PodLister
    public var scales: any ScaleClient
    public var metrics: any MetricsClient
    public var status: any HPAStatusClient
    public var events: any EventClient

    public init(hpas: any HPASource, pods: any PodLister, scales: any ScaleClient, metrics: any MetricsClient,
                status: any HPAStatusClient, events: any EventClient) {
        self.hpas = hpas
        self.pods = pods
        self.scales = scales
        self.metrics = metrics
        self.status = status
        self.events = events
    }
}

/// How the reconciler runs.
public struct ReconcilerOptions: Sendable {
    /// Decide and report, write nothing (no scale, status or event request at all).
    public var dryRun: Bool
    /// Deadline of each metric fetch.
    public var metricFetchTimeout: Duration
    public init(dryRun: Bool = false, metricFetchTimeout: Duration = .seconds(10)) {
        self.dryRun = dryRun
        self.metricFetchTimeout = metricFetchTimeout
    }
}

/// The result of one reconcile of one key.
public enum ReconcileOutcome: Sendable {
    /// The HPA is gone from the cache: its memory was dropped; do not requeue.
    case deleted
    /// The cache has not yet caught up with this controller's own last status write (upstream's
    /// read-your-own-writes check, gate `StaleControllerConsistencyHPA`): nothing was decided;
    /// requeue after the interval.
    case staleCache(requeueAfterSeconds: Double)
    /// A pass ran. `record.decided` tells whether the core reached a replica count; `decision`
    /// is the core's decision as carried out (after a failed rescale or status write, the
    /// corresponding outcome).
    case reconciled(DecisionRecord, decision: Decision, requeueAfterSeconds: Double)

    public var record: DecisionRecord? {
        if case .reconciled(let record, _, _) = self { return record }
        return nil
    }

    public var decision: Decision? {
        if case .reconciled(_, let decision, _) = self { return decision }
        return nil
    }
}

/// One HPA's reconcile: read from the caches → resolve the target and read its scale → ask the
/// core which metrics it needs → fetch them concurrently (each with a deadline) → `HPADecider.decide`
/// → write the scale (if rescale), the status (if changed) and the events → keep the core's memory.
/// In dry-run (or when the hooks deny writes) nothing is written; the decision record is the output.
public final class Reconciler: Sendable {
    public let clients: ReconcilerClients
    public let settings: ControllerSettings
    public let options: ReconcilerOptions
    public let clock: any ControllerClock
    public let hooks: any ControllerHooks
    public let memory = MemoryStore()
    public let registry = SelectorRegistry()
    /// The resourceVersion of this controller's last status write per HPA (read-your-own-writes).
    public let writtenVersions = WrittenVersions()
    private let recorder: EventRecorder
    private let statusWriter: StatusWriter

    public init(clients: ReconcilerClients, settings: ControllerSettings, options: ReconcilerOptions = ReconcilerOptions(),
                clock: any ControllerClock, hooks: any ControllerHooks = NoControllerHooks(), eventHost: String = "") {
        self.clients = clients
        self.settings = settings
        self.options = options
        self.clock = clock
        self.hooks = hooks
        self.recorder = EventRecorder(client: clients.events, clock: clock, host: eventHost)
        self.statusWriter = StatusWriter(client: clients.status)
    }

    /// The controller saw `key` appear (registers it in the selector registry).
    public func hpaAdded(_ key: HPAKey) async { await registry.register(key) }

    /// The HPA is gone: drop its memory and registry entry.
    public func hpaDeleted(_ key: HPAKey) async {
        await memory.remove(key)
        await writtenVersions.clear(key)
        await registry.remove(key)
        await hooks.hpaDeleted(key)
    }

    public func reconcile(_ key: HPAKey) async -> ReconcileOutcome {
        let started = ContinuousClock.now
        guard let stored = await clients.hpas.hpa(key) else {
            await hpaDeleted(key)
            return .deleted
        }
        await registry.register(key)
        let hpa = stored.value
        if settings.featureGates.staleControllerConsistencyHPA,
           await !writtenVersions.isCaughtUp(key, uid: hpa.metadata.uid, cached: hpa.metadata.resourceVersion) {
            return .staleCache(requeueAfterSeconds: HPADecider.requeueInterval(hpa: hpa, settings: settings))
        }
        let namespace = hpa.metadata.namespace ?? key.namespace
        let now = clock.now()

        // The scale (the core itself reports an unparsable apiVersion).
        var scaleRead: ScaleRead?
        let scale: Result<TargetScale, ScaleReadFailureError>
        if case .failure = HPADecider.scaleTargetGroupVersion(hpa) {
            scale = .failure(ScaleReadFailureError(.get("invalid API version")))
        } else {
            do {
                let read = try await clients.scales.getScale(namespace: namespace, ref: hpa.spec.scaleTargetRef)
                scaleRead = read
                scale = .success(TargetScale(scale: read.scale.value))
            } catch {
                switch error {
                case .unmappable(let text), .invalidAPIVersion(let text): scale = .failure(ScaleReadFailureError(.restMapping(text)))
                case .getFailed(_, let text): scale = .failure(ScaleReadFailureError(.get(text)))
                }
            }
        }

        // Pods (pre-filtered by the scale's selector; the core re-checks) and metrics.
        var pods: [ScalingPod] = []
        var fetched: [Int: MetricFetchResult] = [:]
        var fetchSeconds: [Int: Double] = [:]
        var plan: [PlannedMetricFetch] = []
        if case .success(let target) = scale {
            if !target.selector.isEmpty, let selector = try? Selector(parsing: target.selector) {
                pods = await clients.pods.pods(namespace: namespace, selector: selector)
            }
            plan = HPADecider.fetchPlan(hpa: hpa, scale: target, settings: settings)
            (fetched, fetchSeconds) = await fetchAll(plan)
        }

        let input = ReconcileInput(hpa: hpa, scale: scale, pods: pods, metrics: fetched,
                                   selectorRegistry: await registry.view(for: key), memory: await memory.get(key), now: now)
        var decision = HPADecider.decide(input, settings: settings)

        // Writes.
        let writing = !options.dryRun ? await hooks.mayWrite() : false
        if writing {
            if decision.rescale, let scaleRead {
                do { _ = try await clients.scales.updateScale(scaleRead, replicas: decision.desiredReplicas) } catch {
                    decision = decision.rescaleFailed(String(describing: error))
                }
            }
            if decision.statusChanged {
                do {
                    if case .written(let written) = try await statusWriter.write(stored, status: decision.status) {
                        await writtenVersions.record(key, uid: written.value.metadata.uid, resourceVersion: written.value.metadata.resourceVersion)
                    }
                } catch {
                    decision = decision.statusWriteFailed(String(describing: error), hpaName: key.name)
                }
            }
            for event in decision.events {
                await recorder.record(hpa, type: event.type == .warning ? .warning : .normal, reason: event.reason, message: event.message)
            }
        }
        // A rescale that was not carried out (dry-run, standby) leaves no scale event behind: the
        // rate policies must count only changes that happened. Recommendations are kept.
        let kept = writing || !decision.rescale ? decision.memory : decision.rescaleFailed("not written").memory
        await memory.set(key, kept)
        if let selector = decision.registrySelector { await registry.update(key, selector: selector) }

        let record = DecisionRecord(key: key, hpa: hpa, decision: decision, input: input, plan: plan, time: now, wrote: writing)
        let elapsed = started.duration(to: ContinuousClock.now)
        await hooks.reconciled(ReconcileReport(
            key: key, action: decision.reconciliationLabels.action.rawValue, error: decision.reconciliationLabels.error.rawValue,
            durationSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            currentReplicas: decision.currentReplicas, desiredReplicas: decision.desiredReplicas,
            metrics: decision.proposals.map { proposal in
                ReconcileReport.MetricComputation(
                    metricType: proposal.metricType, name: proposal.name, action: proposal.labels.action.rawValue,
                    error: proposal.labels.error.rawValue, fetchSeconds: fetchSeconds[proposal.index] ?? 0,
                    proposedReplicas: proposal.proposedReplicas)
            },
            errorMessage: decision.error?.message, wrote: writing))
        return .reconciled(record, decision: decision, requeueAfterSeconds: decision.requeueAfterSeconds)
    }

    /// Runs the plan's fetches concurrently, identical requests once, each under the fetch deadline.
    private func fetchAll(_ plan: [PlannedMetricFetch]) async -> ([Int: MetricFetchResult], [Int: Double]) {
        let unique = Array(Set(plan.map(\.request)))
        let metrics = clients.metrics
        let timeout = options.metricFetchTimeout
        var answers: [MetricFetchRequest: (MetricFetchResult, Double)] = [:]
        await withTaskGroup(of: (MetricFetchRequest, MetricFetchResult, Double).self) { group in
            for request in unique {
                group.addTask {
                    let start = ContinuousClock.now
                    let result = await Self.fetch(request, metrics: metrics, timeout: timeout)
                    let elapsed = start.duration(to: ContinuousClock.now)
                    return (request, result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                }
            }
            for await (request, result, seconds) in group { answers[request] = (result, seconds) }
        }
        var results: [Int: MetricFetchResult] = [:]
        var seconds: [Int: Double] = [:]
        for item in plan {
            if let answer = answers[item.request] {
                results[item.index] = answer.0
                seconds[item.index] = answer.1
            }
        }
        return (results, seconds)
    }

    /// One fetch raced against its deadline; failures become `.failed(text)`.
    static func fetch(_ request: MetricFetchRequest, metrics: any MetricsClient, timeout: Duration) async -> MetricFetchResult {
        await withTaskGroup(of: MetricFetchResult?.self) { group in
            group.addTask {
                do { return try await perform(request, metrics: metrics) } catch {
                    return .failed(String(describing: error))
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : .failed("the metrics request did not answer within \(timeout)")
            }
            var answer: MetricFetchResult = .failed("no answer")
            for await result in group {
                if let result {
                    answer = result
                    break
                }
            }
            group.cancelAll()
            return answer
        }
    }

    static func perform(_ request: MetricFetchRequest, metrics: any MetricsClient) async throws -> MetricFetchResult {
        switch request {
        case .podResourceMetrics(let namespace, let podSelector):
            return .podResources(try await metrics.podResourceMetrics(namespace: namespace, selector: podSelector).map(PodResourceUsage.init(podMetrics:)))
        case .podsCustomMetric(let namespace, let podSelector, let metricName, let metricSelector):
            return .custom(try await metrics.podCustomMetrics(namespace: namespace, metricName: metricName, podSelector: podSelector,
                                                              metricSelector: metricSelector).map(MetricSample.init(metricValue:)))
        case .objectCustomMetric(let namespace, let describedObject, let metricName, let metricSelector, let rootScopedNamespace):
            var object = describedObject
            if rootScopedNamespace { object = CrossVersionObjectReference(apiVersion: "v1", kind: "Namespace", name: namespace) }
            return .custom(try await metrics.objectMetric(namespace: namespace, object: object, metricName: metricName,
                                                          metricSelector: metricSelector).map(MetricSample.init(metricValue:)))
        case .externalMetric(let namespace, let metricName, let metricSelector):
            return .external(try await metrics.externalMetric(namespace: namespace, metricName: metricName,
                                                              selector: metricSelector).map(MetricSample.init(externalMetricValue:)))
        }
    }
}
