// The API server's validation of an autoscaling/v2 HPA (hpa-behavior.md §14), so the simulator
// refuses what `kubectl apply` would be refused, with the API server's field paths and messages.
import KubeAPI

enum HPAValidation {
    struct Problem: Equatable {
        var field: String
        var message: String
    }

    /// Every problem, in field order. `scaleToZero` mirrors the `HPAScaleToZero` gate.
    static func problems(_ hpa: HorizontalPodAutoscaler, scaleToZero: Bool = false) -> [Problem] {
        var found: [Problem] = []
        func add(_ field: String, _ message: String) { found.append(Problem(field: field, message: message)) }
        let spec = hpa.spec
        if (hpa.metadata.name ?? "").isEmpty && (hpa.metadata.generateName ?? "").isEmpty {
            add("metadata.name", "name or generateName is required")
        } else if let name = hpa.metadata.name, !isDNSSubdomain(name) {
            add("metadata.name", "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'")
        }
        reference(spec.scaleTargetRef, "spec.scaleTargetRef", allowEmptyGroup: spec.scaleTargetRef.kind == "ReplicationController", add)
        let lower: Int32 = scaleToZero ? 0 : 1
        if let min = spec.minReplicas, min < lower { add("spec.minReplicas", "must be greater than or equal to \(lower)") }
        if spec.maxReplicas == 0 {
            add("spec.maxReplicas", "must be set and greater than 0")
        } else if spec.maxReplicas < 0 {
            add("spec.maxReplicas", "must be greater than or equal to 1")
        } else if let min = spec.minReplicas, spec.maxReplicas < min {
            add("spec.maxReplicas", "must be greater than or equal to `minReplicas`")
        }
        let metrics = spec.metrics ?? []
        for (index, metric) in metrics.enumerated() { self.metric(metric, "spec.metrics[\(index)]", add) }
        if spec.minReplicas == 0 && !metrics.contains(where: { $0.type == "Object" || $0.type == "External" }) {
            add("spec.minReplicas", "must specify at least one Object or External metric to support scaling to zero replicas")
        }
        if let behavior = spec.behavior {
            if let up = behavior.scaleUp { rules(up, "spec.behavior.scaleUp", add) }
            if let down = behavior.scaleDown { rules(down, "spec.behavior.scaleDown", add) }
        }
        return found
    }

    private static func reference(_ ref: CrossVersionObjectReference, _ path: String, allowEmptyGroup: Bool,
                                  _ add: (String, String) -> Void) {
        if ref.kind.isEmpty { add("\(path).kind", "Required value") } else if !isPathSegment(ref.kind) { add("\(path).kind", "may not contain '/' or '%'") }
        if ref.name.isEmpty { add("\(path).name", "Required value") } else if !isPathSegment(ref.name) { add("\(path).name", "may not contain '/' or '%'") }
        let apiVersion = ref.apiVersion ?? ""
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 2 || parts.contains(where: { $0.isEmpty }) && !apiVersion.isEmpty {
            add("\(path).apiVersion", "must be group/version")
        } else if parts.count < 2 && !allowEmptyGroup {
            add("\(path).apiVersion", "apiVersion must specify API group")
        }
    }

    private static func metric(_ metric: MetricSpec, _ path: String, _ add: (String, String) -> Void) {
        let members: [(String, Bool)] = [("object", metric.object != nil), ("pods", metric.pods != nil),
                                         ("resource", metric.resource != nil), ("containerResource", metric.containerResource != nil),
                                         ("external", metric.external != nil)]
        guard let type = metric.sourceType else {
            add("\(path).type", metric.type.isEmpty ? "Required value" : "Unsupported value: \"\(metric.type)\": supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"")
            return
        }
        let expected: String
        switch type {
        case .object: expected = "object"
        case .pods: expected = "pods"
        case .resource: expected = "resource"
        case .containerResource: expected = "containerResource"
        case .external: expected = "external"
        }
        if !(members.first { $0.0 == expected }?.1 ?? false) {
            add("\(path).\(expected)", "must populate information for the given metric source")
            return
        }
        if members.contains(where: { $0.0 != expected && $0.1 }) {
            add(path, "must populate the given metric source only")
        }
        switch type {
        case .object:
            guard let source = metric.object else { return }
            reference(source.describedObject, "\(path).object.describedObject", allowEmptyGroup: true, add)
            metricName(source.metric.name, "\(path).object.metric.name", add)
            target(source.target, "\(path).object.target", add)
            if source.target.value == nil && source.target.averageValue == nil {
                add("\(path).object.target", "must set either a target value or averageValue")
            }
        case .external:
            guard let source = metric.external else { return }
            metricName(source.metric.name, "\(path).external.metric.name", add)
            target(source.target, "\(path).external.target", add)
            if source.target.value == nil && source.target.averageValue == nil {
                add("\(path).external.target", "must set either a target value for metric or a per-pod target")
            } else if source.target.value != nil && source.target.averageValue != nil {
                add("\(path).external.target", "may not set both a target value for metric and a per-pod target")
            }
        case .pods:
            guard let source = metric.pods else { return }
            metricName(source.metric.name, "\(path).pods.metric.name", add)
            target(source.target, "\(path).pods.target", add)
            if source.target.averageValue == nil { add("\(path).pods.target.averageValue", "must specify a positive target averageValue") }
        case .resource:
            guard let source = metric.resource else { return }
            if source.name.isEmpty { add("\(path).resource.name", "must specify a resource name") }
            resourceTarget(source.target, "\(path).resource.target", add)
        case .containerResource:
            guard let source = metric.containerResource else { return }
            if source.name.isEmpty { add("\(path).containerResource.name", "must specify a resource name") }
            if source.container.isEmpty { add("\(path).containerResource.container", "Required value") }
            resourceTarget(source.target, "\(path).containerResource.target", add)
        }
    }

    private static func resourceTarget(_ target: MetricTarget, _ path: String, _ add: (String, String) -> Void) {
        self.target(target, path, add)
        if target.averageUtilization == nil && target.averageValue == nil {
            add(path, "must set either a target raw value or a target utilization")
        } else if target.averageUtilization != nil && target.averageValue != nil {
            add(path, "may not set both a target raw value and a target utilization")
        }
    }

    private static func target(_ target: MetricTarget, _ path: String, _ add: (String, String) -> Void) {
        if target.type.isEmpty {
            add("\(path).type", "must specify a metric target type")
        } else if !["Utilization", "Value", "AverageValue"].contains(target.type) {
            add("\(path).type", "must be either Utilization, Value, or AverageValue")
        }
        if let value = target.value, value.sign <= 0 { add("\(path).value", "must be positive") }
        if let value = target.averageValue, value.sign <= 0 { add("\(path).averageValue", "must be positive") }
        if let utilization = target.averageUtilization, utilization < 1 { add("\(path).averageUtilization", "must be greater than 0") }
    }

    private static func metricName(_ name: String, _ path: String, _ add: (String, String) -> Void) {
        if name.isEmpty { add(path, "must specify a metric name") } else if !isPathSegment(name) { add(path, "may not contain '/' or '%'") }
    }

    private static func rules(_ rules: HPAScalingRules, _ path: String, _ add: (String, String) -> Void) {
        if let window = rules.stabilizationWindowSeconds, window < 0 || window > 3600 {
            add("\(path).stabilizationWindowSeconds", window < 0 ? "must be greater than or equal to 0" : "must be less than or equal to 3600")
        }
        if let select = rules.selectPolicy, rules.select == nil {
            add("\(path).selectPolicy", "Unsupported value: \"\(select)\": supported values: \"Disabled\", \"Max\", \"Min\"")
        }
        let policies = rules.policies ?? []
        if policies.isEmpty { add("\(path).policies", "must specify at least one Policy") }
        for (index, policy) in policies.enumerated() {
            let at = "\(path).policies[\(index)]"
            if policy.policyType == nil { add("\(at).type", "Unsupported value: \"\(policy.type)\": supported values: \"Percent\", \"Pods\"") }
            if policy.value <= 0 { add("\(at).value", "must be greater than zero") }
            if policy.periodSeconds <= 0 { add("\(at).periodSeconds", "must be greater than zero") }
            if policy.periodSeconds > 1800 { add("\(at).periodSeconds", "must be less than or equal to 1800") }
        }
        if let tolerance = rules.tolerance, tolerance.sign < 0 { add("\(path).tolerance", "must be greater than or equal to 0") }
    }

    private static func isPathSegment(_ text: String) -> Bool {
        text != "." && text != ".." && !text.contains("/") && !text.contains("%")
    }

    private static func isDNSSubdomain(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 253 else { return false }
        let allowed = text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
        guard allowed, let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        let alnum: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return alnum(first) && alnum(last)
    }
}
