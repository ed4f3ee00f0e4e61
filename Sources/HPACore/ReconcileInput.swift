#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// The target's `/scale` subresource as the decision needs it.
public struct TargetScale: Sendable, Equatable {
    /// `spec.replicas` — the controller's "current replicas".
    public var specReplicas: Int32
    /// `status.replicas` — used by Object/External `AverageValue` targets.
    public var statusReplicas: Int32
    /// `status.selector` in string form (`""` when the target reports none).
    public var selector: String

    public init(specReplicas: Int32, statusReplicas: Int32, selector: String) {
        self.specReplicas = specReplicas
        self.statusReplicas = statusReplicas
        self.selector = selector
    }

    /// From an `autoscaling/v1` Scale (nil spec replicas count as 0).
    public init(scale: Scale) {
        self.init(specReplicas: scale.spec.replicas ?? 0, statusReplicas: scale.status?.replicas ?? 0, selector: scale.status?.selector ?? "")
    }
}

/// Reading the scale failed. The core adds upstream's wrapping; pass the underlying error text.
/// (An unparsable `scaleTargetRef.apiVersion` is detected by the core itself — see
/// `HPADecider.scaleTargetGroupVersion(_:)`.)
public enum ScaleReadFailure: Sendable, Equatable {
    /// The REST mapper could not map the target's group/kind (`unable to determine resource for
    /// scale target reference: %w`).
    case restMapping(String)
    /// Every mapping's GET of `/scale` failed; the text is the **first** mapping's error, or
    /// `unrecognized resource` with no mappings (`failed to query scale subresource for %s: %w`).
    case get(String)
}

/// The selector registry as seen by one reconcile of one HPA (§11).
public struct SelectorRegistryView: Sendable, Equatable {
    /// Whether this HPA's key is registered (registration happens when the controller first
    /// sees the HPA). With the optimized store an unregistered key fails the pass.
    public var isRegistered: Bool
    /// Other HPAs of the same namespace: key `namespace/name` → their current selector string,
    /// or nil for the match-nothing selector of HPAs that never completed a selector update.
    public var others: [String: String?]

    public init(isRegistered: Bool = true, others: [String: String?] = [:]) {
        self.isRegistered = isRegistered
        self.others = others
    }
}

/// Everything one reconcile of one HPA decides from. Build it after fetching: read the HPA,
/// read the scale, ask `HPADecider.fetchPlan(hpa:scale:settings:)` what to fetch, fetch, then call
/// `HPADecider.decide(_:settings:)`.
public struct ReconcileInput: Sendable {
    /// The HPA as read (a deep copy; the decision never mutates the caller's value).
    public var hpa: HorizontalPodAutoscaler
    /// The target's scale, or why it could not be read.
    public var scale: Result<TargetScale, ScaleReadFailureError>
    /// Pods of the HPA's namespace (the core selects those matching the scale's selector).
    public var pods: [ScalingPod]
    /// Fetch results keyed by index into `hpa.spec.metrics`. A metric the plan asked for but
    /// that has no entry counts as a failed fetch.
    public var metrics: [Int: MetricFetchResult]
    public var selectorRegistry: SelectorRegistryView
    /// What the controller remembers about this HPA (fresh `ControllerMemory()` when new).
    public var memory: ControllerMemory
    public var now: Date

    public init(
        hpa: HorizontalPodAutoscaler, scale: Result<TargetScale, ScaleReadFailureError>, pods: [ScalingPod],
        metrics: [Int: MetricFetchResult], selectorRegistry: SelectorRegistryView = SelectorRegistryView(),
        memory: ControllerMemory = ControllerMemory(), now: Date
    ) {
        self.hpa = hpa
        self.scale = scale
        self.pods = pods
        self.metrics = metrics
        self.selectorRegistry = selectorRegistry
        self.memory = memory
        self.now = now
    }
}

/// `ScaleReadFailure` as an `Error` (so it can sit in a `Result`).
public struct ScaleReadFailureError: Error, Sendable, Equatable {
    public var failure: ScaleReadFailure
    public init(_ failure: ScaleReadFailure) { self.failure = failure }
}
