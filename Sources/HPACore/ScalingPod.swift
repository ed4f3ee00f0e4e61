#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The compact projection of a Pod that the decision needs: identity, labels, phase, the Ready
/// condition, start and deletion times, and resource requests (already in milli-units).
///
/// The controller's pod cache holds this projection itself, made on arrival from each listed or
/// watched Pod (see `ScalingPod.init(pod:)` for KubeAPI's `Pod`); the simulator builds it directly.
public struct ScalingPod: Sendable, Equatable {
    public enum Phase: String, Sendable, Equatable {
        case pending = "Pending", running = "Running", succeeded = "Succeeded", failed = "Failed", unknown = "Unknown"
    }

    /// The pod's `Ready` condition.
    public struct ReadyCondition: Sendable, Equatable {
        /// `"True"`, `"False"` or `"Unknown"` (only `"False"` counts as not ready; `"True"` as ready).
        public var status: String
        /// Go's zero time when the API object leaves it unset.
        public var lastTransitionTime: Date
        public init(status: String, lastTransitionTime: Date = GoTime.zero) {
            self.status = status
            self.lastTransitionTime = lastTransitionTime
        }
    }

    /// Requests of one container, in milli-units per resource name (`cpu` → 500 for `500m`).
    public struct Container: Sendable, Equatable {
        public var name: String
        public var requestsMilli: [String: Int64]
        /// For init containers: `restartPolicy: Always` (a sidecar), whose requests count.
        public var isRestartableInit: Bool
        public init(name: String, requestsMilli: [String: Int64], isRestartableInit: Bool = false) {
            self.name = name
            self.requestsMilli = requestsMilli
            self.isRestartableInit = isRestartableInit
        }
    }

    // Stored properties go from widest to narrowest so that the one-byte ones (phase, deletion)
    // share the tail padding: 104 bytes a pod instead of 112, and the controller caches 100k.
    public var name: String
    public var namespace: String
    public var labels: [String: String]
    public var containers: [Container]
    public var initContainers: [Container]
    /// Pod-level `spec.resources.requests` in milli-units (gate `PodLevelResources`); nil = unset.
    public var podLevelRequestsMilli: [String: Int64]?
    /// nil when the pod has no `Ready` condition.
    public var ready: ReadyCondition?
    /// `status.startTime`; nil when unset.
    public var startTime: Date?
    /// nil for a pod with no status at all.
    public var phase: Phase?
    /// Whether `metadata.deletionTimestamp` is set (only its presence matters).
    public var isBeingDeleted: Bool

    public init(
        name: String, namespace: String = "", labels: [String: String] = [:], phase: Phase? = .running,
        ready: ReadyCondition? = ReadyCondition(status: "True"), startTime: Date? = GoTime.zero,
        isBeingDeleted: Bool = false, containers: [Container] = [], initContainers: [Container] = [],
        podLevelRequestsMilli: [String: Int64]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.phase = phase
        self.ready = ready
        self.startTime = startTime
        self.isBeingDeleted = isBeingDeleted
        self.containers = containers
        self.initContainers = initContainers
        self.podLevelRequestsMilli = podLevelRequestsMilli
    }

    /// Running with `Ready=True` (the pod count Object/External `Value` targets scale by).
    public var isRunningAndReady: Bool { phase == .running && ready?.status == "True" }
}

/// Go's zero `time.Time` (0001-01-01T00:00:00Z), which upstream uses for unset times.
public enum GoTime {
    public static let zero = Date(timeIntervalSince1970: -62_135_596_800)
}

/// One pod's metric value as the calculator sees it.
public struct PodMetricSample: Sendable, Equatable {
    public var valueMilli: Int64
    public var timestamp: Date
    /// The metric's sample window (resource metrics: as reported; custom metrics: `windowSeconds`
    /// or 60 s).
    public var windowSeconds: Double
    public init(valueMilli: Int64, timestamp: Date = GoTime.zero, windowSeconds: Double = 60) {
        self.valueMilli = valueMilli
        self.timestamp = timestamp
        self.windowSeconds = windowSeconds
    }
}

/// Pod name → metric sample.
public typealias PodMetricsByName = [String: PodMetricSample]
