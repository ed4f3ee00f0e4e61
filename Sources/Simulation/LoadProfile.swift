// Which curve drives what: the workload's demand, and optionally a curve per metric name.

/// The load of one scenario: `demand` (in the workload's load unit, e.g. concurrent users) drives
/// CPU, memory and per-pod custom metrics; `metrics` holds curves for metrics that are measured
/// rather than derived (a queue length behind an External metric, a per-metric CSV column, the
/// values replayed from dry-run records), keyed by metric name as written in the HPA
/// (`cpu`, `http_requests`, `queue_messages_ready`, ...).
public struct LoadProfile: Sendable, Hashable {
    /// The workload's demand in `unit`.
    public var demand: LoadCurve
    /// Curves of metrics that report their own values, by metric name.
    public var metrics: [String: LoadCurve]
    /// The unit of `demand`, for tables and chart axes (e.g. "users"). Empty when unitless.
    public var unit: String

    public init(demand: LoadCurve, metrics: [String: LoadCurve] = [:], unit: String = "") {
        self.demand = demand
        self.metrics = metrics
        self.unit = unit
    }

    /// The demand at `t`.
    public func demand(at t: SimSeconds) -> Double { demand.value(at: t) }

    /// The value of the metric named `name` at `t`: its own curve if there is one, else the demand.
    public func value(ofMetric name: String, at t: SimSeconds) -> Double {
        (metrics[name] ?? demand).value(at: t)
    }

    /// Whether `name` has a curve of its own (rather than following the demand).
    public func hasCurve(forMetric name: String) -> Bool { metrics[name] != nil }
}
