/// Configuration of the HPA decision: every kube-controller-manager flag of the upstream HPA
/// controller (with upstream's production defaults), the feature gates that change HPA behaviour,
/// and the two test-only knobs of the legacy scale-up limit.
///
/// This is the one configuration type of the project: `hpa-controller run` fills it from flags,
/// the simulator from a scenario, and the conformance runner from each case's `controllerConfig`.
/// Durations are in seconds (`Double`) so sub-second sync periods (the upstream test harness uses
/// 0.1 s) can be expressed.
public struct ControllerSettings: Sendable, Equatable, Hashable {
    /// `--horizontal-pod-autoscaler-sync-period` (default 15 s): requeue interval of every HPA
    /// unless the HPA sets `spec.syncPeriodSeconds`.
    public var syncPeriodSeconds: Double
    /// `--horizontal-pod-autoscaler-tolerance` (default 0.1): the global tolerance applied in both
    /// directions unless `behavior.scaleUp/scaleDown.tolerance` overrides it (gate
    /// `HPAConfigurableTolerance`).
    public var tolerance: Double
    /// `--horizontal-pod-autoscaler-downscale-stabilization` (default 300 s): the legacy window, and
    /// the scale-down window in behavior mode when `behavior.scaleDown.stabilizationWindowSeconds` is nil.
    public var downscaleStabilizationWindowSeconds: Double
    /// `--horizontal-pod-autoscaler-cpu-initialization-period` (default 300 s).
    public var cpuInitializationPeriodSeconds: Double
    /// `--horizontal-pod-autoscaler-initial-readiness-delay` (default 30 s).
    public var initialReadinessDelaySeconds: Double
    /// `--concurrent-horizontal-pod-autoscaler-syncs` (default 5): number of workers (must be ≥ 1).
    public var concurrentSyncs: Int
    /// `--horizontal-pod-autoscaler-upscale-delay` (default 180 s): deprecated, accepted and ignored.
    public var upscaleForbiddenWindowSeconds: Double
    /// `--horizontal-pod-autoscaler-downscale-delay` (default 300 s): deprecated, accepted and ignored.
    public var downscaleForbiddenWindowSeconds: Double
    /// Legacy (no `behavior`) scale-up limit factor: limit = max(factor × current, minimum).
    /// Production 2.0; upstream's unit tests set 8.0.
    public var scaleUpLimitFactor: Double
    /// Legacy scale-up limit minimum (4.0 in production and tests).
    public var scaleUpLimitMinimum: Double
    /// Feature gates that change HPA behaviour.
    public var featureGates: FeatureGates

    public init(
        syncPeriodSeconds: Double = 15,
        tolerance: Double = 0.1,
        downscaleStabilizationWindowSeconds: Double = 300,
        cpuInitializationPeriodSeconds: Double = 300,
        initialReadinessDelaySeconds: Double = 30,
        concurrentSyncs: Int = 5,
        upscaleForbiddenWindowSeconds: Double = 180,
        downscaleForbiddenWindowSeconds: Double = 300,
        scaleUpLimitFactor: Double = 2.0,
        scaleUpLimitMinimum: Double = 4.0,
        featureGates: FeatureGates = FeatureGates()
    ) {
        self.syncPeriodSeconds = syncPeriodSeconds
        self.tolerance = tolerance
        self.downscaleStabilizationWindowSeconds = downscaleStabilizationWindowSeconds
        self.cpuInitializationPeriodSeconds = cpuInitializationPeriodSeconds
        self.initialReadinessDelaySeconds = initialReadinessDelaySeconds
        self.concurrentSyncs = concurrentSyncs
        self.upscaleForbiddenWindowSeconds = upscaleForbiddenWindowSeconds
        self.downscaleForbiddenWindowSeconds = downscaleForbiddenWindowSeconds
        self.scaleUpLimitFactor = scaleUpLimitFactor
        self.scaleUpLimitMinimum = scaleUpLimitMinimum
        self.featureGates = featureGates
    }

    /// Upstream production defaults.
    public static let defaults = ControllerSettings()

    /// The settings upstream's unit tests run the controller with (sync 0.1 s, CPU initialization
    /// 120 s, readiness delay 10 s, scale-up limit factor 8).
    public static let upstreamTestHarness = ControllerSettings(
        syncPeriodSeconds: 0.1, cpuInitializationPeriodSeconds: 120, initialReadinessDelaySeconds: 10,
        scaleUpLimitFactor: 8.0)

    /// Problems with the settings themselves, phrased like kube-controller-manager's validation.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if concurrentSyncs < 1 {
            errors.append("concurrent-horizontal-pod-autoscaler-syncs must be greater than 0, but got \(concurrentSyncs)")
        }
        if !(syncPeriodSeconds > 0) { errors.append("horizontal-pod-autoscaler-sync-period must be greater than 0") }
        if !(tolerance >= 0) { errors.append("horizontal-pod-autoscaler-tolerance must not be negative") }
        if !(downscaleStabilizationWindowSeconds >= 0) {
            errors.append("horizontal-pod-autoscaler-downscale-stabilization must not be negative")
        }
        if !(cpuInitializationPeriodSeconds >= 0) {
            errors.append("horizontal-pod-autoscaler-cpu-initialization-period must not be negative")
        }
        if !(initialReadinessDelaySeconds >= 0) {
            errors.append("horizontal-pod-autoscaler-initial-readiness-delay must not be negative")
        }
        return errors
    }
}

/// Feature gates of kube-controller-manager / kube-apiserver that change HPA behaviour.
/// Defaults follow the 1.37 development cycle (see hpa-behavior.md §13.3).
public struct FeatureGates: Sendable, Equatable, Hashable {
    /// Alpha, off: `minReplicas: 0`, scaling from/to zero, the `ScaledToZero` condition.
    public var hpaScaleToZero: Bool
    /// Beta, on: per-direction `behavior.*.tolerance`.
    public var hpaConfigurableTolerance: Bool
    /// Assumed alpha, off: `status.observedGeneration`, immediate requeue on spec change.
    public var hpaGeneration: Bool
    /// Beta, on: the optimized per-namespace selector registry.
    public var hpaOptimizedSelectorStore: Bool
    /// Beta, on: read-your-own-writes consistency check on HPA status writes.
    public var staleControllerConsistencyHPA: Bool
    /// Beta, on: pod-level resource requests are used for utilization.
    public var podLevelResources: Bool

    public init(
        hpaScaleToZero: Bool = false, hpaConfigurableTolerance: Bool = true, hpaGeneration: Bool = false,
        hpaOptimizedSelectorStore: Bool = true, staleControllerConsistencyHPA: Bool = true,
        podLevelResources: Bool = true
    ) {
        self.hpaScaleToZero = hpaScaleToZero
        self.hpaConfigurableTolerance = hpaConfigurableTolerance
        self.hpaGeneration = hpaGeneration
        self.hpaOptimizedSelectorStore = hpaOptimizedSelectorStore
        self.staleControllerConsistencyHPA = staleControllerConsistencyHPA
        self.podLevelResources = podLevelResources
    }

    /// Gate names as kube-controller-manager spells them in `--feature-gates`.
    public static let knownNames: [String] = [
        "HPAScaleToZero", "HPAConfigurableTolerance", "HPAGeneration", "HPAOptimizedSelectorStore",
        "StaleControllerConsistencyHPA", "PodLevelResources",
    ]

    /// Sets a gate by its upstream name; returns false for a name this type does not know.
    @discardableResult
    public mutating func set(_ name: String, _ enabled: Bool) -> Bool {
        switch name {
        case "HPAScaleToZero": hpaScaleToZero = enabled
        case "HPAConfigurableTolerance": hpaConfigurableTolerance = enabled
        case "HPAGeneration": hpaGeneration = enabled
        case "HPAOptimizedSelectorStore": hpaOptimizedSelectorStore = enabled
        case "StaleControllerConsistencyHPA": staleControllerConsistencyHPA = enabled
        case "PodLevelResources": podLevelResources = enabled
        default: return false
        }
        return true
    }
}
