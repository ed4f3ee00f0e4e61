#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// An event to record on the HPA (upstream reasons and messages).
public struct HPAEvent: Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable, Equatable, Hashable { case normal = "Normal", warning = "Warning" }
    public var type: Kind
    public var reason: String
    public var message: String
    public init(type: Kind, reason: String, message: String) {
        self.type = type
        self.reason = reason
        self.message = message
    }
}

/// Label values of upstream's controller metrics (`action`, `error`).
public struct OutcomeLabels: Sendable, Equatable, Hashable {
    public enum Action: String, Sendable, Equatable, Hashable { case scaleUp = "scale_up", scaleDown = "scale_down", none }
    public enum ErrorLabel: String, Sendable, Equatable, Hashable { case spec, `internal`, none }
    public var action: Action
    public var error: ErrorLabel
    public init(action: Action, error: ErrorLabel) {
        self.action = action
        self.error = error
    }
}

/// One metric's result for the dry-run report, the simulator and the per-metric Prometheus labels.
public struct MetricProposal: Sendable, Equatable {
    /// Index into `spec.metrics`.
    public var index: Int
    /// `spec.metrics[i].type` as written (`Resource`, …, or an unknown string).
    public var metricType: String
    /// Metric name (resource name for Resource/ContainerResource).
    public var name: String
    /// Upstream's description (`cpu resource utilization (percentage of request)`, …); empty on error.
    public var description: String
    /// Current value as reported in status (utilization percent, or a milli quantity); nil on error.
    public var current: MetricValueStatus?
    /// The target as written.
    public var target: MetricTarget?
    /// Proposed replicas; nil when the metric failed.
    public var proposedReplicas: Int32?
    /// The per-metric failure (condition/event text), nil on success.
    public var error: String?
    /// `metric_computation_total` labels for this metric.
    public var labels: OutcomeLabels
}

/// The outcome of deciding one reconcile. Carry it out in this order: if `rescale`, PUT the
/// scale to `desiredReplicas`; if that fails, continue with `rescaleFailed(_:)`'s result instead.
/// Then write `status` if `statusChanged` (on failure use `statusWriteFailed(_:)`), record
/// `events`, store `memory`, update the selector registry with `registrySelector` (if non-nil),
/// and requeue after `requeueAfterSeconds`.
public struct Decision: Sendable {
    /// The replica count to scale to when `rescale`; otherwise the value written to status.
    public var desiredReplicas: Int32
    /// Whether the scale subresource must be updated to `desiredReplicas`.
    public var rescale: Bool
    /// The spec replicas read from the scale (nil when the scale could not be read).
    public var currentReplicas: Int32?
    /// Metric-derived desired count before normalization (nil if metrics were not computed).
    public var prenormalizedReplicas: Int32?
    /// `SuccessfulRescale`'s reason text (`cpu resource utilization (percentage of request) above target`, …).
    public var rescaleReason: String
    /// The status to write (always complete; equal to the original when nothing changed).
    public var status: HorizontalPodAutoscalerStatus
    /// Whether `status` differs semantically from the status read (i.e. must be written).
    public var statusChanged: Bool
    public var events: [HPAEvent]
    /// `reconciliations_total` labels of this pass.
    public var reconciliationLabels: OutcomeLabels
    /// Per-metric results in spec order (empty when metrics were not computed).
    public var proposals: [MetricProposal]
    /// What bounded the result, as upstream's reason string: `ScaleUpLimit`, `ScaleDownLimit`,
    /// `TooManyReplicas`, `TooFewReplicas`, `ScaleUpStabilized`, `ScaleDownStabilized`,
    /// `DesiredWithinRange`, or for passes that did not normalize: `ScalingDisabled`,
    /// `FailedGetScale`, `InvalidSelector`, `AmbiguousSelector`, the failing metric's reason, …
    public var limitedBy: String
    /// The pass's error as upstream would return it (nil = success); logged by the controller.
    public var error: ScalingError?
    /// Interval until the next reconcile: `spec.syncPeriodSeconds` when set, else the sync period.
    public var requeueAfterSeconds: Double
    /// Updated controller memory to store for this HPA.
    public var memory: ControllerMemory
    /// The parsed scale selector to store in the selector registry (nil = leave it unchanged).
    public var registrySelector: String?
    /// What the API server's validation would reject in this HPA's spec (informational: the
    /// decision itself follows upstream's controller, which never re-validates).
    public var specProblems: [HPAFieldError] = []

    /// Parts needed to turn this decision into the failed-rescale outcome.
    var rescaleFailureBasis: RescaleFailureBasis?
    var originalStatus: HorizontalPodAutoscalerStatus?
    var now: Date
}

struct RescaleFailureBasis: Sendable {
    var conditionsBeforeRescale: [HorizontalPodAutoscalerCondition]
    var statusDesiredBefore: Int32
    var lastScaleTimeBefore: KubeTime?
    var memoryBeforeScaleEvent: ControllerMemory
    var eventsBeforeRescale: [HPAEvent]
    /// `<kind>/<namespace>/<name>` of the target, for `failed to rescale %s`.
    var reference: String
}
