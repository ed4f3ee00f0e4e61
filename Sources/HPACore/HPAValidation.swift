import KubeAPI

/// One problem found by `HPAValidation`, phrased like the API server's field errors
/// (`spec.maxReplicas: Required value: must be set and greater than 0`).
public struct HPAFieldError: Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, Hashable {
        case required = "Required value"
        case invalid = "Invalid value"
        case notSupported = "Unsupported value"
        case forbidden = "Forbidden"
    }
    /// Field path, e.g. `spec.behavior.scaleUp.policies[0].value`.
    public var field: String
    public var kind: Kind
    /// The offending value as text (nil for Required/Forbidden).
    public var value: String?
    public var message: String

    public init(field: String, kind: Kind, value: String? = nil, message: String) {
        self.field = field
        self.kind = kind
        self.value = value
        self.message = message
    }

    public var description: String {
        if let value { return "\(field): \(kind.rawValue): \(value): \(message)" }
        return "\(field): \(kind.rawValue): \(message)"
    }
}

/// The API server's validation of `autoscaling/v2` HPA specs (hpa-behavior.md §14).
///
/// The controller never sees HPAs the API server rejects, so `HPADecider.decide` does not run
/// this: it decides such HPAs the way upstream's controller would (unknown metric types and
/// missing targets become per-metric failures with upstream's conditions and events). Use this
/// where specs come from files (the simulator, dry-run input checks) to name the bad field.
public enum HPAValidation {
    public static func validate(_ hpa: HorizontalPodAutoscaler, settings: ControllerSettings = ControllerSettings()) -> [HPAFieldError] {
        var errors: [HPAFieldError] = []
        let spec = hpa.spec
        let minimumAllowed: Int32 = settings.featureGates.hpaScaleToZero ? 0 : 1
        if let minReplicas = spec.minReplicas, minReplicas < minimumAllowed {
            errors.append(.init(field: "spec.minReplicas", kind: .invalid, value: "\(minReplicas)",
                                message: "must be greater than or equal to \(minimumAllowed)"))
        }
        if spec.maxReplicas == 0 {
            errors.append(.init(field: "spec.maxReplicas", kind: .required, message: "must be set and greater than 0"))
        } else if spec.maxReplicas < 0 {
            errors.append(.init(field: "spec.maxReplicas", kind: .invalid, value: "\(spec.maxReplicas)", message: "must be greater than or equal to 1"))
        } else if let minReplicas = spec.minReplicas, spec.maxReplicas < minReplicas {
            errors.append(.init(field: "spec.maxReplicas", kind: .invalid, value: "\(spec.maxReplicas)",
                                message: "must be greater than or equal to `minReplicas`"))
        }
        errors += validateReference(spec.scaleTargetRef, field: "spec.scaleTargetRef", requireGroup: spec.scaleTargetRef.kind != "ReplicationController")
        let metrics = spec.metrics ?? []
        for (index, metric) in metrics.enumerated() {
            errors += validateMetric(metric, field: "spec.metrics[\(index)]")
        }
        if spec.minReplicas == 0 && !metrics.contains(where: { $0.type == "Object" || $0.type == "External" }) {
            errors.append(.init(field: "spec.minReplicas", kind: .forbidden,
                                message: "must specify at least one Object or External metric to support scaling to zero replicas"))
        }
        if let behavior = spec.behavior {
            errors += validateRules(behavior.scaleUp, field: "spec.behavior.scaleUp")
            errors += validateRules(behavior.scaleDown, field: "spec.behavior.scaleDown")
        }
        return errors
    }

    static func validateReference(_ reference: CrossVersionObjectReference, field: String, requireGroup: Bool) -> [HPAFieldError] {
        var errors: [HPAFieldError] = []
        if reference.kind.isEmpty { errors.append(.init(field: field + ".kind", kind: .required, message: "must specify a kind")) }
        if reference.name.isEmpty { errors.append(.init(field: field + ".name", kind: .required, message: "must specify a name")) }
        let apiVersion = reference.apiVersion ?? ""
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 2 {
            errors.append(.init(field: field + ".apiVersion", kind: .invalid, value: apiVersion, message: "unexpected GroupVersion string: \(apiVersion)"))
        } else if requireGroup && parts.count < 2 {
            errors.append(.init(field: field + ".apiVersion", kind: .invalid, value: apiVersion, message: "apiVersion must specify API group"))
        }
        return errors
    }

    static func validateMetric(_ metric: MetricSpec, field: String) -> [HPAFieldError] {
        let supported = ["Object", "Pods", "Resource", "External", "ContainerResource"]
        guard !metric.type.isEmpty else { return [.init(field: field + ".type", kind: .required, message: "must specify a metric source type")] }
        guard supported.contains(metric.type) else {
            return [.init(field: field + ".type", kind: .notSupported, value: "\"\(metric.type)\"",
                          message: "supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"")]
        }
        let members: [(String, Bool)] = [
            ("Object", metric.object != nil), ("Pods", metric.pods != nil), ("Resource", metric.resource != nil),
            ("External", metric.external != nil), ("ContainerResource", metric.containerResource != nil),
        ]
        let memberField = field + "." + metric.type.prefix(1).lowercased() + metric.type.dropFirst()
        if !members.contains(where: { $0.0 == metric.type && $0.1 }) {
            return [.init(field: memberField, kind: .required, message: "must populate information for the given metric source")]
        }
        if members.contains(where: { $0.0 != metric.type && $0.1 }) {
            return [.init(field: field, kind: .forbidden, message: "must populate the given metric source only")]
        }
        var errors: [HPAFieldError] = []
        func name(_ text: String, _ path: String) {
            if text.isEmpty { errors.append(.init(field: path, kind: .required, message: "must specify a metric name")) }
        }
        switch metric.type {
        case "Object":
            guard let source = metric.object else { break }
            errors += validateReference(source.describedObject, field: memberField + ".describedObject", requireGroup: false)
            name(source.metric.name, memberField + ".metric.name")
            if source.target.value == nil && source.target.averageValue == nil {
                errors.append(.init(field: memberField + ".target", kind: .required, message: "must set either a target value or averageValue"))
            }
            errors += validateTarget(source.target, field: memberField + ".target")
        case "External":
            guard let source = metric.external else { break }
            name(source.metric.name, memberField + ".metric.name")
            if source.target.value == nil && source.target.averageValue == nil {
                errors.append(.init(field: memberField + ".target", kind: .required, message: "must set either a target value for metric or a per-pod target"))
            } else if source.target.value != nil && source.target.averageValue != nil {
                errors.append(.init(field: memberField + ".target", kind: .forbidden, message: "may not set both a target value for metric and a per-pod target"))
            }
            errors += validateTarget(source.target, field: memberField + ".target")
        case "Pods":
            guard let source = metric.pods else { break }
            name(source.metric.name, memberField + ".metric.name")
            if source.target.averageValue == nil {
                errors.append(.init(field: memberField + ".target.averageValue", kind: .required, message: "must specify a positive target averageValue"))
            }
            errors += validateTarget(source.target, field: memberField + ".target")
        default:
            let target = metric.resource?.target ?? metric.containerResource?.target ?? MetricTarget(type: "")
            if (metric.resource?.name ?? metric.containerResource?.name ?? "").isEmpty {
                errors.append(.init(field: memberField + ".name", kind: .required, message: "must specify a resource name"))
            }
            if let source = metric.containerResource, source.container.isEmpty {
                errors.append(.init(field: memberField + ".container", kind: .required, message: "must specify a container"))
            }
            if target.averageUtilization == nil && target.averageValue == nil {
                errors.append(.init(field: memberField + ".target", kind: .required, message: "must set either a target raw value or a target utilization"))
            } else if target.averageUtilization != nil && target.averageValue != nil {
                errors.append(.init(field: memberField + ".target", kind: .forbidden, message: "may not set both a target raw value and a target utilization"))
            }
            errors += validateTarget(target, field: memberField + ".target")
        }
        return errors
    }

    static func validateTarget(_ target: MetricTarget, field: String) -> [HPAFieldError] {
        var errors: [HPAFieldError] = []
        if target.type.isEmpty {
            errors.append(.init(field: field + ".type", kind: .required, message: "must specify a metric target type"))
        } else if !["Utilization", "Value", "AverageValue"].contains(target.type) {
            errors.append(.init(field: field + ".type", kind: .invalid, value: target.type, message: "must be either Utilization, Value, or AverageValue"))
        }
        if let value = target.value, value.sign <= 0 {
            errors.append(.init(field: field + ".value", kind: .invalid, value: value.description, message: "must be positive"))
        }
        if let value = target.averageValue, value.sign <= 0 {
            errors.append(.init(field: field + ".averageValue", kind: .invalid, value: value.description, message: "must be positive"))
        }
        if let utilization = target.averageUtilization, utilization < 1 {
            errors.append(.init(field: field + ".averageUtilization", kind: .invalid, value: "\(utilization)", message: "must be greater than 0"))
        }
        return errors
    }

    static func validateRules(_ rules: HPAScalingRules?, field: String) -> [HPAFieldError] {
        guard let rules else { return [] }
        var errors: [HPAFieldError] = []
        if let window = rules.stabilizationWindowSeconds, window < 0 || window > 3600 {
            errors.append(.init(field: field + ".stabilizationWindowSeconds", kind: .invalid, value: "\(window)",
                                message: window < 0 ? "must be greater than or equal to 0" : "must be less than or equal to 3600"))
        }
        if let select = rules.selectPolicy, !["Max", "Min", "Disabled"].contains(select) {
            errors.append(.init(field: field + ".selectPolicy", kind: .notSupported, value: "\"\(select)\"",
                                message: "supported values: \"Disabled\", \"Max\", \"Min\""))
        }
        let policies = rules.policies ?? []
        if policies.isEmpty { errors.append(.init(field: field + ".policies", kind: .required, message: "must specify at least one Policy")) }
        for (index, policy) in policies.enumerated() {
            let path = "\(field).policies[\(index)]"
            if policy.type != "Pods" && policy.type != "Percent" {
                errors.append(.init(field: path + ".type", kind: .notSupported, value: "\"\(policy.type)\"", message: "supported values: \"Percent\", \"Pods\""))
            }
            if policy.value <= 0 {
                errors.append(.init(field: path + ".value", kind: .invalid, value: "\(policy.value)", message: "must be greater than zero"))
            }
            if policy.periodSeconds <= 0 || policy.periodSeconds > 1800 {
                errors.append(.init(field: path + ".periodSeconds", kind: .invalid, value: "\(policy.periodSeconds)",
                                    message: policy.periodSeconds <= 0 ? "must be greater than zero" : "must be less than or equal to 1800"))
            }
        }
        if let tolerance = rules.tolerance, tolerance.sign < 0 {
            errors.append(.init(field: field + ".tolerance", kind: .invalid, value: tolerance.description, message: "must be greater than or equal to 0"))
        }
        return errors
    }
}
