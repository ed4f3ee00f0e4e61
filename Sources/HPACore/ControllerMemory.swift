#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An unstabilized replica recommendation remembered for the stabilization windows.
public struct TimestampedRecommendation: Sendable, Equatable, Hashable {
    public var replicas: Int32
    public var timestamp: Date
    public init(replicas: Int32, timestamp: Date) {
        self.replicas = replicas
        self.timestamp = timestamp
    }
}

/// A completed rescale, remembered for the rate policies (behavior mode only).
public struct ScaleChangeEvent: Sendable, Equatable, Hashable {
    /// |new − previous| replicas.
    public var replicaChange: Int32
    public var timestamp: Date
    /// Older than the direction's longest policy period; its slot may be reused.
    public var outdated: Bool
    public init(replicaChange: Int32, timestamp: Date, outdated: Bool = false) {
        self.replicaChange = replicaChange
        self.timestamp = timestamp
        self.outdated = outdated
    }
}

/// What the controller remembers about one HPA between reconciles (upstream keeps the same three
/// maps, keyed by `namespace/name`, in memory only). Start with `ControllerMemory()` for a
/// new HPA or after a restart; store `Decision.memory` after every pass; drop it when the HPA is
/// deleted.
public struct ControllerMemory: Sendable, Equatable, Hashable {
    /// nil = no history for this HPA yet (the core seeds `[(currentReplicas, now)]`); an empty
    /// list is kept as is — the two differ in upstream behaviour.
    public var recommendations: [TimestampedRecommendation]?
    public var scaleUpEvents: [ScaleChangeEvent]
    public var scaleDownEvents: [ScaleChangeEvent]

    public init(
        recommendations: [TimestampedRecommendation]? = nil, scaleUpEvents: [ScaleChangeEvent] = [],
        scaleDownEvents: [ScaleChangeEvent] = []
    ) {
        self.recommendations = recommendations
        self.scaleUpEvents = scaleUpEvents
        self.scaleDownEvents = scaleDownEvents
    }
}
