#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// Fake cluster for a whole-reconcile case: the HPA, the scale (or its read error), pods, the three
/// metrics APIs, the selector registry and faults. It answers the core's fetch plan like the
/// controller's fetchers would, runs `HPADecider.decide`, and applies the scale-update fault.
struct ReconcileScenario {
    var settings: ControllerSettings
    var hpa: HorizontalPodAutoscaler
    var scale: Result<TargetScale, ScaleReadFailureError>
    var pods: [Pod]
    /// metrics.k8s.io: items, or the API error text.
    var podMetrics: Result<[PodMetrics], CaseError>?
    /// custom.metrics.k8s.io for pods: metric name → values.
    var podsCustomMetrics: [String: [MetricValue]] = [:]
    /// custom.metrics.k8s.io for objects: metric name → values.
    var objectCustomMetrics: [String: [MetricValue]] = [:]
    var customMetricsError: String?
    /// external.metrics.k8s.io: metric name → values.
    var externalMetrics: [String: [ExternalMetricValue]] = [:]
    var externalMetricsError: String?
    var memory: ControllerMemory
    var registry: SelectorRegistryView
    /// Every scale update fails with this text.
    var scaleUpdateError: String?
    var now: Date

    func answer(_ request: MetricFetchRequest) -> MetricFetchResult {
        switch request {
        case .podResourceMetrics:
            switch podMetrics {
            case nil: return .failed("no pod resource metrics specified in test client")
            case .failure(let error): return .failed(error.description)
            case .success(let items): return .podResources(items.map(PodResourceUsage.init(podMetrics:)))
            }
        case .podsCustomMetric(_, _, let name, _):
            if let customMetricsError { return .failed(customMetricsError) }
            guard let values = podsCustomMetrics[name] else { return .failed("no custom metrics specified in test client") }
            return .custom(values.map(MetricSample.init(metricValue:)))
        case .objectCustomMetric(_, _, let name, _, _):
            if let customMetricsError { return .failed(customMetricsError) }
            guard let values = objectCustomMetrics[name] else { return .failed("no custom metrics specified in test client") }
            return .custom(values.map(MetricSample.init(metricValue:)))
        case .externalMetric(_, let name, _):
            if let externalMetricsError { return .failed(externalMetricsError) }
            guard let values = externalMetrics[name] else { return .failed("no external metrics specified in test client") }
            return .external(values.map(MetricSample.init(externalMetricValue:)))
        }
    }

    /// One reconcile pass at `now` with `memory`.
    func pass(memory: ControllerMemory, now: Date) -> Decision {
        var fetched: [Int: MetricFetchResult] = [:]
        if case .success(let targetScale) = scale {
            for planned in HPADecider.fetchPlan(hpa: hpa, scale: targetScale, settings: settings) {
                fetched[planned.index] = answer(planned.request)
            }
        }
        let input = ReconcileInput(
            hpa: hpa, scale: scale, pods: pods.map(ScalingPod.init(pod:)), metrics: fetched, selectorRegistry: registry,
            memory: memory, now: now)
        var decision = HPADecider.decide(input, settings: settings)
        if decision.rescale, let scaleUpdateError { decision = decision.rescaleFailed(scaleUpdateError) }
        return decision
    }

    /// `count` passes, memory carried over, the clock advanced by each pass's requeue interval.
    func run(passes count: Int) -> [Decision] {
        var decisions: [Decision] = []
        var memory = self.memory
        var clock = now
        for _ in 0..<max(1, count) {
            let decision = pass(memory: memory, now: clock)
            decisions.append(decision)
            memory = decision.memory
            clock = clock.addingTimeInterval(decision.requeueAfterSeconds)
        }
        return decisions
    }
}

/// Checks shared by the controller and behavior-integration runners.
enum DecisionChecks {
    static func conditions(_ expected: CaseJSON, _ decision: Decision, field: String) throws {
        guard let list = expected.array else { throw CaseError("\(field) is not a list") }
        let actual = (decision.status.conditions ?? []).map { "\($0.type) \($0.status.rawValue) \($0.reason ?? "")" }
        let wanted = list.map { "\($0["type"].string ?? "") \($0["status"].string ?? "") \($0["reason"].string ?? "")" }
        if actual != wanted {
            throw Mismatch(field: field, expected: wanted.joined(separator: ", "), actual: actual.joined(separator: ", ") + " (events: " + decision.events.map { "\($0.reason): \($0.message)" }.joined(separator: "; ") + ")")
        }
    }

    static func labels(_ expected: CaseJSON, _ labels: OutcomeLabels, field: String) throws {
        if let action = expected["action"].string { try expectEqual(field + ".action", action, labels.action.rawValue) }
        if let error = expected["error"].string { try expectEqual(field + ".error", error, labels.error.rawValue) }
    }

    /// `averageUtilization` of the cpu Resource metric in status.
    static func reportedCPUUtilization(_ decision: Decision) -> Int32? {
        decision.status.currentMetrics?.first { $0.type == "Resource" && $0.resource?.name == "cpu" }?.resource?.current.averageUtilization
    }
}
