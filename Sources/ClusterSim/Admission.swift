import KubeAPI

/// Server-side defaulting and the validation the simulated cluster applies on create and update.
enum Admission {
    /// Fills defaults like the real API server does for the kinds whose defaults clients rely on.
    static func applyDefaults(_ object: inout JSON, for resource: ResourceType) {
        switch (resource.group, resource.kind) {
        case ("autoscaling", "HorizontalPodAutoscaler"):
            if object.value(at: ["spec", "minReplicas"]) == nil { object.setValue(.integer(1), at: ["spec", "minReplicas"]) }
            let metrics = object.value(at: ["spec", "metrics"])
            if metrics == nil || metrics == .array([]) || metrics == .null {
                object.setValue(.array([cpuUtilization(80)]), at: ["spec", "metrics"])
            }
            if let behavior = object.value(at: ["spec", "behavior"]), case .object = behavior {
                object.setValue(defaultedRules(behavior["scaleUp"], scaleUp: true), at: ["spec", "behavior", "scaleUp"])
                object.setValue(defaultedRules(behavior["scaleDown"], scaleUp: false), at: ["spec", "behavior", "scaleDown"])
            }
        default:
            if resource.scale != nil, object["spec"] != nil, object.value(at: ["spec", "replicas"]) == nil {
                object.setValue(.integer(1), at: ["spec", "replicas"])
            }
        }
    }

    private static func cpuUtilization(_ percent: Int64) -> JSON {
        .object(["type": .string("Resource"), "resource": .object([
            "name": .string("cpu"),
            "target": .object(["type": .string("Utilization"), "averageUtilization": .integer(percent)]),
        ])])
    }

    private static func policy(_ type: String, _ value: Int64, _ period: Int64) -> JSON {
        .object(["type": .string(type), "value": .integer(value), "periodSeconds": .integer(period)])
    }

    private static func defaultedRules(_ rules: JSON?, scaleUp: Bool) -> JSON {
        var result: JSON = rules ?? .object([:])
        if case .object = result {} else { result = .object([:]) }
        if result["selectPolicy"] == nil { result["selectPolicy"] = .string("Max") }
        if result["policies"] == nil {
            result["policies"] = scaleUp ? .array([policy("Pods", 4, 15), policy("Percent", 100, 15)]) : .array([policy("Percent", 100, 15)])
        }
        if scaleUp && result["stabilizationWindowSeconds"] == nil { result["stabilizationWindowSeconds"] = .integer(0) }
        return result
    }

    /// Field problems that make the API server answer 422 Invalid.
    static func problems(_ object: JSON, for resource: ResourceType) -> [(field: String, message: String)] {
        var problems: [(field: String, message: String)] = []
        switch (resource.group, resource.kind) {
        case ("autoscaling", "HorizontalPodAutoscaler"):
            if object.value(at: ["spec", "scaleTargetRef", "kind"])?.stringValue?.isEmpty ?? true {
                problems.append(("spec.scaleTargetRef.kind", "Required value"))
            }
            if object.value(at: ["spec", "scaleTargetRef", "name"])?.stringValue?.isEmpty ?? true {
                problems.append(("spec.scaleTargetRef.name", "Required value"))
            }
            let maxReplicas = object.value(at: ["spec", "maxReplicas"])?.int64Value
            let minReplicas = object.value(at: ["spec", "minReplicas"])?.int64Value ?? 1
            if let maxReplicas {
                if maxReplicas < 1 { problems.append(("spec.maxReplicas", "Invalid value: \(maxReplicas): must be greater than or equal to 1")) }
                if minReplicas > maxReplicas {
                    problems.append(("spec.maxReplicas", "Invalid value: \(maxReplicas): must be greater than or equal to `minReplicas`"))
                }
            } else {
                problems.append(("spec.maxReplicas", "Required value"))
            }
            if minReplicas < 0 { problems.append(("spec.minReplicas", "Invalid value: \(minReplicas): must be greater than or equal to 0")) }
        default:
            if let replicas = object.value(at: ["spec", "replicas"]) {
                if let count = replicas.int64Value {
                    if count < 0 || count > Int64(Int32.max) {
                        problems.append(("spec.replicas", "Invalid value: \(count): must be greater than or equal to 0"))
                    }
                } else if resource.scale != nil {
                    problems.append(("spec.replicas", "Invalid value: must be an integer"))
                }
            }
            if resource.group == "apps", object["spec"] != nil, object.value(at: ["spec", "selector"]) == nil {
                problems.append(("spec.selector", "Required value"))
            }
        }
        return problems
    }
}

/// The string form of a selector, as the scale subresource's `status.selector` carries it:
/// requirements sorted by key, `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
enum SelectorText {
    static func fromLabelSelector(_ selector: JSON?) -> String {
        guard let selector else { return "" }
        var terms: [(String, String)] = []
        for (key, value) in (selector["matchLabels"]?.stringMap ?? [:]) { terms.append((key, "\(key)=\(value)")) }
        if case .array(let expressions)? = selector["matchExpressions"] {
            for expression in expressions {
                guard let key = expression["key"]?.stringValue, let op = expression["operator"]?.stringValue else { continue }
                var values: [String] = []
                if case .array(let list)? = expression["values"] { values = list.compactMap(\.stringValue).sorted() }
                switch op {
                case "In": terms.append((key, "\(key) in (\(values.joined(separator: ",")))"))
                case "NotIn": terms.append((key, "\(key) notin (\(values.joined(separator: ",")))"))
                case "Exists": terms.append((key, key))
                case "DoesNotExist": terms.append((key, "!\(key)"))
                default: continue
                }
            }
        }
        return terms.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }.map(\.1).joined(separator: ",")
    }

    static func fromLabelMap(_ map: [String: String]) -> String {
        map.keys.sorted().map { "\($0)=\(map[$0] ?? "")" }.joined(separator: ",")
    }
}
