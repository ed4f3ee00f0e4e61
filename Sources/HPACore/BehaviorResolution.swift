import KubeAPI

extension ResolvedScalingRules {
    /// Resolves one direction of `spec.behavior`, applying the API-server defaults (§13.1) to any
    /// field left nil — the API server normally has done so already — and, for scale-down, the
    /// controller's `--horizontal-pod-autoscaler-downscale-stabilization` for a nil window.
    public init(_ rules: HPAScalingRules?, direction: ScalingDirection, downscaleStabilizationWindowSeconds: Double) {
        let defaults: ResolvedScalingRules
        switch direction {
        case .up: defaults = .defaultScaleUp
        case .down: defaults = .defaultScaleDown(windowSeconds: Saturating.int32(downscaleStabilizationWindowSeconds))
        }
        guard let rules else {
            self = defaults
            return
        }
        let policies = rules.policies.map { list in
            list.map { policy in
                ScalingPolicyRule(kind: policy.type == "Percent" ? .percent : .pods, value: policy.value, periodSeconds: policy.periodSeconds)
            }
        }
        self.init(
            stabilizationWindowSeconds: rules.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
            selectPolicy: rules.selectPolicy.map { SelectPolicy(upstream: $0) } ?? defaults.selectPolicy,
            policies: policies ?? defaults.policies,
            tolerance: rules.tolerance?.approximateDouble)
    }
}

/// Direction of a scaling change.
public enum ScalingDirection: String, Sendable, Equatable, Hashable {
    case up, down
}

extension ResolvedBehavior {
    /// Resolves `spec.behavior` (both directions; see `ResolvedScalingRules.init(_:direction:…)`).
    public init(_ behavior: HorizontalPodAutoscalerBehavior, downscaleStabilizationWindowSeconds: Double) {
        self.init(
            scaleUp: ResolvedScalingRules(behavior.scaleUp, direction: .up, downscaleStabilizationWindowSeconds: downscaleStabilizationWindowSeconds),
            scaleDown: ResolvedScalingRules(
                behavior.scaleDown, direction: .down, downscaleStabilizationWindowSeconds: downscaleStabilizationWindowSeconds))
    }

    /// The tolerances in effect: the global one, overridden per direction by `behavior.*.tolerance`
    /// when the `HPAConfigurableTolerance` gate is on.
    public func tolerances(global: Double, configurableTolerance: Bool) -> Tolerances {
        var result = Tolerances(both: global)
        guard configurableTolerance else { return result }
        if let down = scaleDown.tolerance { result.scaleDown = down }
        if let up = scaleUp.tolerance { result.scaleUp = up }
        return result
    }
}
