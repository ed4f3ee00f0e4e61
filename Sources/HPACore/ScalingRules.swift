/// How the policies of one direction combine (`behavior.*.selectPolicy`).
public enum SelectPolicy: String, Sendable, Equatable, Hashable {
    case max = "Max", min = "Min", disabled = "Disabled"

    /// Upstream treats anything that is not `Min` or `Disabled` as `Max`.
    public init(upstream raw: String?) {
        switch raw {
        case "Min": self = .min
        case "Disabled": self = .disabled
        default: self = .max
        }
    }
}

/// One rate policy (`behavior.*.policies[i]`).
public struct ScalingPolicyRule: Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable, Equatable, Hashable { case pods = "Pods", percent = "Percent" }
    public var kind: Kind
    public var value: Int32
    public var periodSeconds: Int32
    public init(kind: Kind, value: Int32, periodSeconds: Int32) {
        self.kind = kind
        self.value = value
        self.periodSeconds = periodSeconds
    }
}

/// One direction of `spec.behavior` with every default applied (API defaulting plus the
/// controller's downscale window for a nil scale-down window).
public struct ResolvedScalingRules: Sendable, Equatable, Hashable {
    public var stabilizationWindowSeconds: Int32
    public var selectPolicy: SelectPolicy
    public var policies: [ScalingPolicyRule]
    /// Per-direction tolerance (`AsApproximateFloat64`), nil when unset.
    public var tolerance: Double?
    public init(stabilizationWindowSeconds: Int32, selectPolicy: SelectPolicy, policies: [ScalingPolicyRule], tolerance: Double? = nil) {
        self.stabilizationWindowSeconds = stabilizationWindowSeconds
        self.selectPolicy = selectPolicy
        self.policies = policies
        self.tolerance = tolerance
    }

    /// API default for scale-up: window 0, `Max`, Pods 4 / 15 s then Percent 100 / 15 s.
    public static let defaultScaleUp = ResolvedScalingRules(
        stabilizationWindowSeconds: 0, selectPolicy: .max,
        policies: [ScalingPolicyRule(kind: .pods, value: 4, periodSeconds: 15), ScalingPolicyRule(kind: .percent, value: 100, periodSeconds: 15)])

    /// API default for scale-down with the given window: `Max`, Percent 100 / 15 s.
    public static func defaultScaleDown(windowSeconds: Int32) -> ResolvedScalingRules {
        ResolvedScalingRules(
            stabilizationWindowSeconds: windowSeconds, selectPolicy: .max,
            policies: [ScalingPolicyRule(kind: .percent, value: 100, periodSeconds: 15)])
    }
}

/// `spec.behavior` with both directions resolved.
public struct ResolvedBehavior: Sendable, Equatable, Hashable {
    public var scaleUp: ResolvedScalingRules
    public var scaleDown: ResolvedScalingRules
    public init(scaleUp: ResolvedScalingRules, scaleDown: ResolvedScalingRules) {
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
    }
}
