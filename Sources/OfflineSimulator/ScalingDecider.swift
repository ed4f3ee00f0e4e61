// The seam between the step loop and the decision core.
import KubeAPI
import Simulation

/// One metric as a decision saw it: its current value against its target.
public struct MetricReading: Sendable, Hashable, Codable {
    /// `cpu`, `memory`, or the custom/external metric's name.
    public var name: String
    /// `Resource`, `Pods`, `Object`, `External`, `ContainerResource`.
    public var type: String
    /// The current value in `unit` (nil when the metric could not be computed).
    public var current: Double?
    public var target: Double
    /// `%` for utilization, empty for plain values, `m` for milli values.
    public var unit: String
    /// The replica count this metric alone asked for, when known.
    public var proposedReplicas: Int?
    /// The target's type as written (`Utilization`, `AverageValue`, `Value`); empty when unknown.
    public var targetType: String = ""

    public init(name: String, type: String, current: Double?, target: Double, unit: String, proposedReplicas: Int? = nil) {
        self.name = name
        self.type = type
        self.current = current
        self.target = target
        self.unit = unit
        self.proposedReplicas = proposedReplicas
    }
}

/// What the decision core decided at one sync, reduced to what the simulator shows.
public struct StepDecision: Sendable, Hashable {
    /// The replica count the controller wants after stabilization, policies and bounds.
    public var desiredReplicas: Int
    /// Whether it writes the new count to the scale.
    public var rescale: Bool
    /// Upstream's reason for the step's limit: the `ScalingLimited` reason when true
    /// (`ScaleUpLimit`, `ScaleDownLimit`, `TooManyReplicas`, `TooFewReplicas`), else the
    /// `AbleToScale` stabilization reason (`ScaleDownStabilized`, `ScaleUpStabilized`), else
    /// `DesiredWithinRange`; on failure the failing condition's reason (`FailedGetResourceMetric`, ...).
    public var limitedBy: String
    public var metrics: [MetricReading]
    /// The error text when the decision failed to compute metrics.
    public var error: String?

    public init(desiredReplicas: Int, rescale: Bool, limitedBy: String, metrics: [MetricReading] = [], error: String? = nil) {
        self.desiredReplicas = desiredReplicas
        self.rescale = rescale
        self.limitedBy = limitedBy
        self.metrics = metrics
        self.error = error
    }

    /// Whether a policy, a stabilization window or a replica bound changed the step.
    public var isLimited: Bool { limitedBy != "DesiredWithinRange" && error == nil }
}

/// Decides one HPA's syncs in order, carrying the controller's memory between them. The simulator
/// makes one per variant and calls `decide` once per sync period with the time advancing.
public protocol ScalingDecider: Sendable {
    mutating func decide(_ observation: Observation) -> StepDecision
}

/// Makes the decider of one variant.
public typealias DeciderFactory = @Sendable (ScenarioVariant, SimulationSettings) throws(ScenarioError) -> any ScalingDecider
