#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// The decision core: upstream's `reconcileAutoscaler` for one HPA as a pure function.
///
/// A reconcile is split in two, as upstream does conceptually:
/// 1. the caller reads the HPA, its target's scale and the namespace's pods, then asks
///    `fetchPlan(hpa:scale:settings:)` which metrics to fetch and fetches them;
/// 2. `decide(_:settings:)` computes everything else: desired replicas, whether to rescale, the new
///    status (conditions with upstream's reasons and messages), events, metric labels, the
///    requeue interval and the updated memory.
/// No I/O, no clock: `now` comes in `ReconcileInput`.
public enum HPADecider {
    /// Decides one reconcile pass. See `Decision` for how to carry it out.
    public static func decide(_ input: ReconcileInput, settings: ControllerSettings) -> Decision {
        var pass = ReconcilePass(input: input, settings: settings)
        var decision = pass.run()
        decision.specProblems = HPAValidation.validate(input.hpa, settings: settings)
        return decision
    }

    /// `scaleTargetRef.apiVersion` split into (group, version), or upstream's parse error (a
    /// *spec* error). Empty → ("", ""); `v1` → ("", "v1"); `apps/v1` → ("apps", "v1").
    public static func scaleTargetGroupVersion(_ hpa: HorizontalPodAutoscaler) -> Result<(group: String, version: String), ScalingError> {
        let text = hpa.spec.scaleTargetRef.apiVersion ?? ""
        if text.isEmpty { return .success(("", "")) }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return .success(("", String(parts[0])))
        case 2: return .success((String(parts[0]), String(parts[1])))
        default: return .failure(ScalingError("unexpected GroupVersion string: \(text)", isSpecError: true))
        }
    }

    /// The requeue interval for `hpa`: `spec.syncPeriodSeconds` when set and positive, else the
    /// controller's sync period.
    public static func requeueInterval(hpa: HorizontalPodAutoscaler, settings: ControllerSettings) -> Double {
        if let seconds = hpa.spec.syncPeriodSeconds, seconds > 0 { return Double(seconds) }
        return settings.syncPeriodSeconds
    }

    /// Whether a pass with `currentReplicas` computes metrics (§4.2 Step 2, §12).
    static func computesMetrics(hpa: HorizontalPodAutoscaler, currentReplicas: Int32, settings: ControllerSettings) -> Bool {
        let minReplicas = hpa.spec.minReplicas ?? 1
        if currentReplicas == 0 { return scalesFromZero(hpa: hpa, settings: settings) }
        return currentReplicas <= hpa.spec.maxReplicas && currentReplicas >= minReplicas
    }

    static func scalesFromZero(hpa: HorizontalPodAutoscaler, settings: ControllerSettings) -> Bool {
        let scaledToZero = settings.featureGates.hpaScaleToZero
            && (hpa.status?.conditions ?? []).contains { $0.type == HPAConditionType.scaledToZero.rawValue && $0.status == .true }
        let minReplicas = hpa.spec.minReplicas ?? 1
        return (minReplicas != 0 && scaledToZero) || (scaledToZero && hasObjectOrExternalMetric(hpa))
    }

    static func hasObjectOrExternalMetric(_ hpa: HorizontalPodAutoscaler) -> Bool {
        (hpa.spec.metrics ?? []).contains { $0.type == "Object" || $0.type == "External" }
    }

    /// `spec.behavior` resolved, or nil for the legacy path.
    public static func resolvedBehavior(_ hpa: HorizontalPodAutoscaler, settings: ControllerSettings) -> ResolvedBehavior? {
        hpa.spec.behavior.map { ResolvedBehavior($0, downscaleStabilizationWindowSeconds: settings.downscaleStabilizationWindowSeconds) }
    }

    /// The tolerances in effect for `hpa`.
    public static func tolerances(_ hpa: HorizontalPodAutoscaler, settings: ControllerSettings) -> Tolerances {
        guard let behavior = resolvedBehavior(hpa, settings: settings) else { return Tolerances(both: settings.tolerance) }
        return behavior.tolerances(global: settings.tolerance, configurableTolerance: settings.featureGates.hpaConfigurableTolerance)
    }
}
