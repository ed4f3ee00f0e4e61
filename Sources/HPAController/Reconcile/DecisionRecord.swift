#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// One HPA's decision in one pass: the line `--output json` prints (JSON Lines) and the row of
/// `--output table`. `observations` holds every input of the decision, so the simulator (or a
/// test) can rebuild the `ReconcileInput` and replay it exactly. See docs/dry-run.md.
public struct DecisionRecord: Sendable, Codable, Equatable {
    public struct Metric: Sendable, Codable, Equatable {
        public var type: String
        public var name: String
        /// Current value as status reports it (`averageUtilization`, `averageValue` or `value`).
        public var current: MetricValueStatus?
        public var target: MetricTarget?
        public var proposedReplicas: Int32?
        public var error: String?
    }

    public var time: KubeTime
    public var namespace: String
    public var name: String
    public var scaleTargetRef: CrossVersionObjectReference
    public var currentReplicas: Int32?
    /// Our decision: the replica count we would scale to (equal to current when not rescaling).
    public var desiredReplicas: Int32
    /// `status.desiredReplicas` of the HPA as read: what the controller running in the cluster decided.
    public var clusterDesiredReplicas: Int32?
    /// `desiredReplicas == clusterDesiredReplicas`; nil when the HPA has no status yet.
    public var agree: Bool?
    public var rescale: Bool
    /// `SuccessfulRescale`'s reason text when rescaling.
    public var reason: String?
    public var metrics: [Metric]
    /// Upstream's reason string of what bounded the result (`ScaleUpLimit`, `DesiredWithinRange`, …).
    public var limitedBy: String
    public var conditions: [HorizontalPodAutoscalerCondition]
    /// Events the pass emitted (or would have emitted in dry-run).
    public var events: [RecordedEvent]
    /// The pass's error (nil on success).
    public var error: String?
    /// Whether the core reached a replica count (false: scale unreadable or metrics fatally failed).
    public var decided: Bool
    /// Whether the pass's writes were carried out (false in dry-run).
    public var wrote: Bool
    public var observations: Observations

    public struct RecordedEvent: Sendable, Codable, Equatable {
        public var type: String
        public var reason: String
        public var message: String
    }

    /// The raw inputs of the decision (the schema lives in HPACore, shared with the simulator).
    public typealias Observations = DecisionObservations
}

extension DecisionRecord {
    init(key: HPAKey, hpa: HorizontalPodAutoscaler, decision: Decision, input: ReconcileInput, plan: [PlannedMetricFetch],
         time: Date, wrote: Bool) {
        let cluster = hpa.status?.desiredReplicas
        self.time = KubeTime(time)
        namespace = key.namespace
        name = key.name
        scaleTargetRef = hpa.spec.scaleTargetRef
        currentReplicas = decision.currentReplicas
        desiredReplicas = decision.desiredReplicas
        clusterDesiredReplicas = cluster
        agree = cluster.map { $0 == decision.desiredReplicas }
        rescale = decision.rescale
        reason = decision.rescale ? decision.rescaleReason : nil
        metrics = decision.proposals.map {
            Metric(type: $0.metricType, name: $0.name, current: $0.current, target: $0.target,
                   proposedReplicas: $0.proposedReplicas, error: $0.error)
        }
        limitedBy = decision.limitedBy
        conditions = decision.status.conditions ?? []
        events = decision.events.map { RecordedEvent(type: $0.type.rawValue, reason: $0.reason, message: $0.message) }
        error = decision.error?.message
        decided = decision.currentReplicas != nil
            && (decision.error == nil || decision.proposals.contains { $0.proposedReplicas != nil })
        self.wrote = wrote
        observations = Observations(input: input)
    }
}
