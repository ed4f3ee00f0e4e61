import Synchronization

/// `action` label of the reconciliation and metric-computation metrics (hpa-behavior §15).
public enum ReconcileAction: String, Sendable, CaseIterable {
    case scaleUp = "scale_up"
    case scaleDown = "scale_down"
    case none
}

/// `error` label: `spec` for spec errors (invalid scaleTargetRef apiVersion, unknown metric type on
/// that metric's own computation), `internal` for everything else that failed, `none` on success.
public enum ReconcileErrorLabel: String, Sendable, CaseIterable {
    case spec
    case `internal`
    case none
}

/// What the reconcile path reports about each pass. `MetricsRegistry` implements it; the
/// reconciler holds it as `any ReconcileMetricsRecorder`, so tests can pass a recorder of their own.
public protocol ReconcileMetricsRecorder: Sendable {
    /// One `reconcileAutoscaler` pass finished (counter and duration histogram).
    func recordReconciliation(action: ReconcileAction, error: ReconcileErrorLabel, durationSeconds: Double)
    /// One metric of one HPA was computed. `metricType` is the spec type string (`Resource`, `Pods`, ...).
    func recordMetricComputation(action: ReconcileAction, error: ReconcileErrorLabel, metricType: String,
                                 durationSeconds: Double)
    /// An HPA key was seen for the first time (`num_horizontal_pod_autoscalers` +1).
    func hpaAdded(namespace: String, name: String)
    /// An HPA was deleted: −1, and its per-HPA gauges are dropped.
    func hpaDeleted(namespace: String, name: String)
    /// End of a pass that reached the decision: current and desired replicas, and each metric's
    /// proposal (`metrics` entries: spec type, metric name such as `cpu` or the custom metric's name,
    /// proposed replicas). Replaces the HPA's previous proposals.
    func recordReplicas(namespace: String, name: String, current: Int32, desired: Int32,
                        proposals: [MetricProposal])
}

/// One metric's proposed replica count, for the per-HPA gauge.
public struct MetricProposal: Sendable, Hashable {
    public var metricType: String
    public var metricName: String
    public var replicas: Int32
    public init(metricType: String, metricName: String, replicas: Int32) {
        self.metricType = metricType
        self.metricName = metricName
        self.replicas = replicas
    }
}

/// The controller's Prometheus registry. A mutex rather than an actor because the `/metrics`
/// handler runs synchronously on the HTTP server's connection thread; every call is O(labels).
///
/// Exposes upstream's `horizontal_pod_autoscaler_controller_*` metrics with their help texts,
/// labels and buckets, plus three of ours (documented in docs/operations.md):
/// `..._current_replicas{namespace,hpa_name}`, `..._metric_proposed_replicas{namespace,hpa_name,
/// metric_type,metric_name}` and `leader_election_master_status{name}` (component-base's name).
public final class MetricsRegistry: ReconcileMetricsRecorder {
    static let subsystem = "horizontal_pod_autoscaler_controller"
    /// Upstream buckets: 0.001 × 2^k for k = 0…14.
    public static let durationBuckets: [Double] = (0...14).map { 0.001 * Double(1 << $0) }

    struct HPAKey: Hashable, Comparable {
        var namespace: String
        var name: String
        static func < (a: HPAKey, b: HPAKey) -> Bool { (a.namespace, a.name) < (b.namespace, b.name) }
    }

    struct State {
        var reconciliations: [[String]: Double] = [:]
        var reconciliationDurations: [[String]: Histogram] = [:]
        var computations: [[String]: Double] = [:]
        var computationDurations: [[String]: Histogram] = [:]
        var hpaCount: Double = 0
        var knownHPAs: Set<HPAKey> = []
        var current: [HPAKey: Int32] = [:]
        var desired: [HPAKey: Int32] = [:]
        var proposals: [HPAKey: [MetricProposal]] = [:]
    }

    struct Histogram {
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
        init(bucketCount: Int) { counts = Array(repeating: 0, count: bucketCount) }
        mutating func observe(_ value: Double, bounds: [Double]) {
            let value = value.isFinite ? max(0, value) : 0
            for (index, bound) in bounds.enumerated() where value <= bound { counts[index] &+= 1 }
            sum += value
            count &+= 1
        }
    }

    private let state = Mutex(State())
    private let leadership: LeadershipState?
    private let leaseName: String

    /// - Parameters:
    ///   - leadership: when given, `leader_election_master_status{name=leaseName}` reports it.
    public init(leadership: LeadershipState? = nil, leaseName: String = LeaderElectionConfig.defaultName) {
        self.leadership = leadership
        self.leaseName = leaseName
    }

    public func recordReconciliation(action: ReconcileAction, error: ReconcileErrorLabel, durationSeconds: Double) {
        let labels = [action.rawValue, error.rawValue]
        state.withLock { state in
            state.reconciliations[labels, default: 0] += 1
            state.reconciliationDurations[labels, default: Histogram(bucketCount: Self.durationBuckets.count)]
                .observe(durationSeconds, bounds: Self.durationBuckets)
        }
    }

    public func recordMetricComputation(action: ReconcileAction, error: ReconcileErrorLabel, metricType: String,
                                        durationSeconds: Double) {
        let labels = [action.rawValue, error.rawValue, metricType]
        state.withLock { state in
            state.computations[labels, default: 0] += 1
            state.computationDurations[labels, default: Histogram(bucketCount: Self.durationBuckets.count)]
                .observe(durationSeconds, bounds: Self.durationBuckets)
        }
    }

    public func hpaAdded(namespace: String, name: String) {
        state.withLock { state in
            if state.knownHPAs.insert(HPAKey(namespace: namespace, name: name)).inserted { state.hpaCount += 1 }
        }
    }

    public func hpaDeleted(namespace: String, name: String) {
        let key = HPAKey(namespace: namespace, name: name)
        state.withLock { state in
            // Upstream decrements on every delete event; we decrement once per known key so the
            // gauge cannot go negative on repeated deletes.
            if state.knownHPAs.remove(key) != nil { state.hpaCount -= 1 }
            state.current[key] = nil
            state.desired[key] = nil
            state.proposals[key] = nil
        }
    }

    public func recordReplicas(namespace: String, name: String, current: Int32, desired: Int32,
                               proposals: [MetricProposal]) {
        let key = HPAKey(namespace: namespace, name: name)
        state.withLock { state in
            state.current[key] = current
            state.desired[key] = desired
            state.proposals[key] = proposals
        }
    }

    /// The exposition in Prometheus text format 0.0.4.
    public func render() -> String {
        let snapshot = state.withLock { $0 }
        var out = PrometheusText()
        let labelSentence = "The label 'action' should be either 'scale_down', 'scale_up', or 'none'. Also, the label 'error' should be either 'spec', 'internal', or 'none'."
        let note = "Note that if both spec and internal errors happen during a reconciliation, the first one to occur is reported in `error` label."
        let prefix = Self.subsystem + "_"

        out.family(prefix + "reconciliations_total", type: "counter",
                   help: "Number of reconciliations of HPA controller. " + labelSentence + " " + note)
        for (labels, value) in snapshot.reconciliations.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            out.sample(prefix + "reconciliations_total", [("action", labels[0]), ("error", labels[1])], value)
        }
        out.family(prefix + "reconciliation_duration_seconds", type: "histogram",
                   help: "The time(seconds) that the HPA controller takes to reconcile once. " + labelSentence + " " + note)
        for (labels, histogram) in snapshot.reconciliationDurations.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            out.histogram(prefix + "reconciliation_duration_seconds", [("action", labels[0]), ("error", labels[1])],
                          histogram, bounds: Self.durationBuckets)
        }
        out.family(prefix + "metric_computation_total", type: "counter",
                   help: "Number of metric computations. " + labelSentence + " The label 'metric_type' corresponds to HPA.spec.metrics[*].type")
        for (labels, value) in snapshot.computations.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            out.sample(prefix + "metric_computation_total",
                       [("action", labels[0]), ("error", labels[1]), ("metric_type", labels[2])], value)
        }
        out.family(prefix + "metric_computation_duration_seconds", type: "histogram",
                   help: "The time(seconds) that the HPA controller takes to calculate one metric. The label 'action' should be either 'scale_down', 'scale_up', or 'none'. The label 'error' should be either 'spec', 'internal', or 'none'. The label 'metric_type' corresponds to HPA.spec.metrics[*].type")
        for (labels, histogram) in snapshot.computationDurations.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            out.histogram(prefix + "metric_computation_duration_seconds",
                          [("action", labels[0]), ("error", labels[1]), ("metric_type", labels[2])],
                          histogram, bounds: Self.durationBuckets)
        }
        out.family(prefix + "num_horizontal_pod_autoscalers", type: "gauge", help: "Current number of controlled HPA objects.")
        out.sample(prefix + "num_horizontal_pod_autoscalers", [], snapshot.hpaCount)
        out.family(prefix + "desired_replicas", type: "gauge", help: "Current desired replica count for HPA objects.")
        for (key, value) in snapshot.desired.sorted(by: { $0.key < $1.key }) {
            out.sample(prefix + "desired_replicas", [("namespace", key.namespace), ("hpa_name", key.name)], Double(value))
        }
        out.family(prefix + "current_replicas", type: "gauge",
                   help: "Current replica count of each HPA's scale target, as last observed (not upstream).")
        for (key, value) in snapshot.current.sorted(by: { $0.key < $1.key }) {
            out.sample(prefix + "current_replicas", [("namespace", key.namespace), ("hpa_name", key.name)], Double(value))
        }
        out.family(prefix + "metric_proposed_replicas", type: "gauge",
                   help: "Replica count each metric of each HPA proposed in the last pass (not upstream).")
        for (key, proposals) in snapshot.proposals.sorted(by: { $0.key < $1.key }) {
            for proposal in proposals {
                out.sample(prefix + "metric_proposed_replicas",
                           [("namespace", key.namespace), ("hpa_name", key.name),
                            ("metric_type", proposal.metricType), ("metric_name", proposal.metricName)],
                           Double(proposal.replicas))
            }
        }
        if let leadership {
            out.family("leader_election_master_status", type: "gauge",
                       help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease. Please make sure to group by name.")
            out.sample("leader_election_master_status", [("name", leaseName)], leadership.isLeader ? 1 : 0)
        }
        return out.text
    }
}

/// Builds Prometheus text exposition (format 0.0.4): HELP and TYPE lines, escaped label values.
struct PrometheusText {
    var text = ""

    mutating func family(_ name: String, type: String, help: String) {
        text += "# HELP " + name + " " + Self.escapeHelp(help) + "\n# TYPE " + name + " " + type + "\n"
    }

    mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { $0.0 + "=\"" + Self.escapeLabel($0.1) + "\"" }.joined(separator: ",") + "}"
        }
        text += " " + Self.format(value) + "\n"
    }

    mutating func histogram(_ name: String, _ labels: [(String, String)], _ histogram: MetricsRegistry.Histogram,
                            bounds: [Double]) {
        for (index, bound) in bounds.enumerated() {
            sample(name + "_bucket", labels + [("le", Self.format(bound))], Double(histogram.counts[index]))
        }
        sample(name + "_bucket", labels + [("le", "+Inf")], Double(histogram.count))
        sample(name + "_sum", labels, histogram.sum)
        sample(name + "_count", labels, Double(histogram.count))
    }

    /// Integers without a fraction (`3`), other values in Swift's shortest round-trip form.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    static func escapeHelp(_ text: String) -> String {
        escape(text, quotes: false)
    }

    static func escapeLabel(_ text: String) -> String {
        escape(text, quotes: true)
    }

    private static func escape(_ text: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where quotes: out += "\\\""
            default: out.append(character)
            }
        }
        return out
    }
}
