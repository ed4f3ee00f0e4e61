import KubeAPI

/// One metrics-API call the controller must make before deciding (§5.8). The core only says
/// *what* to fetch; the controller (or simulator) performs it and hands back a
/// `MetricFetchResult` under the same metric index.
public enum MetricFetchRequest: Sendable, Equatable, Hashable {
    /// `metrics.k8s.io/v1beta1` PodMetrics list in `namespace` with `labelSelector=podSelector`
    /// (Resource and ContainerResource metrics; several metrics may share one call).
    case podResourceMetrics(namespace: String, podSelector: String)
    /// `custom.metrics.k8s.io` values of `metricName` for the pods matching `podSelector`
    /// (Pods metrics); `metricSelector` is the string form of `spec.pods.metric.selector`, nil = none.
    case podsCustomMetric(namespace: String, podSelector: String, metricName: String, metricSelector: String?)
    /// `custom.metrics.k8s.io` value of `metricName` for `describedObject` (Object metrics). When
    /// `rootScopedNamespace` is true (described kind `Namespace` in the core group) the query is
    /// for the namespace `namespace` itself and the described name is ignored.
    case objectCustomMetric(
        namespace: String, describedObject: CrossVersionObjectReference, metricName: String, metricSelector: String?,
        rootScopedNamespace: Bool)
    /// `external.metrics.k8s.io/v1beta1` values of `metricName` in `namespace`; `metricSelector`
    /// nil or empty = no selector.
    case externalMetric(namespace: String, metricName: String, metricSelector: String?)
}

/// A fetch the decision needs, for the metric at `index` in `spec.metrics`.
public struct PlannedMetricFetch: Sendable, Equatable, Hashable {
    public var index: Int
    public var request: MetricFetchRequest
    public init(index: Int, request: MetricFetchRequest) {
        self.index = index
        self.request = request
    }
}

extension HPADecider {
    /// Which metric fetches a reconcile of `hpa` needs given its target's `scale`. Empty when the
    /// pass will not compute metrics (replicas outside [min, max], scaling disabled at zero, a
    /// missing or unparsable scale selector) or for metrics that fail before fetching (unknown
    /// type, no usable target, bad metric selector).
    public static func fetchPlan(hpa: HorizontalPodAutoscaler, scale: TargetScale, settings: ControllerSettings) -> [PlannedMetricFetch] {
        guard computesMetrics(hpa: hpa, currentReplicas: scale.specReplicas, settings: settings) else { return [] }
        guard !scale.selector.isEmpty, (try? Selector(parsing: scale.selector)) != nil else { return [] }
        let namespace = hpa.metadata.namespace ?? ""
        var plan: [PlannedMetricFetch] = []
        for (index, metric) in (hpa.spec.metrics ?? []).enumerated() {
            if let request = fetchRequest(metric, namespace: namespace, podSelector: scale.selector) {
                plan.append(PlannedMetricFetch(index: index, request: request))
            }
        }
        return plan
    }

    static func fetchRequest(_ metric: MetricSpec, namespace: String, podSelector: String) -> MetricFetchRequest? {
        switch metric.type {
        case "Resource":
            guard let source = metric.resource, source.target.averageValue != nil || source.target.averageUtilization != nil else { return nil }
            return .podResourceMetrics(namespace: namespace, podSelector: podSelector)
        case "ContainerResource":
            guard let source = metric.containerResource,
                source.target.averageValue != nil || source.target.averageUtilization != nil
            else { return nil }
            return .podResourceMetrics(namespace: namespace, podSelector: podSelector)
        case "Pods":
            guard let source = metric.pods, source.target.averageValue != nil,
                case .success(let selector) = selectorResult(source.metric.selector)
            else { return nil }
            return .podsCustomMetric(namespace: namespace, podSelector: podSelector, metricName: source.metric.name, metricSelector: selector)
        case "Object":
            guard let source = metric.object, objectTargetKind(source.target) != nil,
                case .success(let selector) = selectorResult(source.metric.selector)
            else { return nil }
            let reference = source.describedObject
            let group = (reference.apiVersion ?? "").split(separator: "/", omittingEmptySubsequences: false)
            let coreGroup = group.count < 2
            return .objectCustomMetric(
                namespace: namespace, describedObject: reference, metricName: source.metric.name, metricSelector: selector,
                rootScopedNamespace: reference.kind == "Namespace" && coreGroup)
        case "External":
            guard let source = metric.external, source.target.averageValue != nil || source.target.value != nil,
                case .success(let selector) = selectorResult(source.metric.selector)
            else { return nil }
            return .externalMetric(namespace: namespace, metricName: source.metric.name, metricSelector: selector)
        default:
            return nil
        }
    }

    /// String form of a metric selector (nil when absent or selecting everything).
    static func metricSelectorText(_ selector: LabelSelector?) throws(InvalidValueError) -> String? {
        guard let selector else { return nil }
        let parsed = try selector.selector()
        return parsed.isEverything ? nil : parsed.description
    }

    static func selectorResult(_ selector: LabelSelector?) -> Result<String?, InvalidValueError> {
        do { return .success(try metricSelectorText(selector)) } catch { return .failure(error) }
    }

    enum ObjectTargetKind { case value, averageValue }

    /// Object targets are decided by `type` *and* the matching field (§5.1).
    static func objectTargetKind(_ target: MetricTarget) -> ObjectTargetKind? {
        if target.type == "Value" && target.value != nil { return .value }
        if target.type == "AverageValue" && target.averageValue != nil { return .averageValue }
        return nil
    }
}
