// Reading HPA manifests exactly as users `kubectl apply` them: autoscaling/v2 only, unknown fields
// rejected (as kubectl's strict field validation does), then the API server's validation rules.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// The fields an autoscaling/v2 HorizontalPodAutoscaler may hold, for strict field validation.
indirect enum FieldShape: Sendable {
    /// A scalar (string, number, boolean).
    case scalar
    /// Anything (fields we pass through without looking inside: status, managedFields, ...).
    case any
    /// An object with exactly these fields.
    case object([String: FieldShape])
    /// An object with free keys whose values have one shape (labels, annotations).
    case map(FieldShape)
    case list(FieldShape)

    static let reference: FieldShape = .object(["apiVersion": .scalar, "kind": .scalar, "name": .scalar])
    static let selector: FieldShape = .object([
        "matchLabels": .map(.scalar),
        "matchExpressions": .list(.object(["key": .scalar, "operator": .scalar, "values": .list(.scalar)])),
    ])
    static let identifier: FieldShape = .object(["name": .scalar, "selector": selector])
    static let target: FieldShape = .object(["type": .scalar, "value": .scalar, "averageValue": .scalar, "averageUtilization": .scalar])
    static let rules: FieldShape = .object([
        "stabilizationWindowSeconds": .scalar, "selectPolicy": .scalar, "tolerance": .scalar,
        "policies": .list(.object(["type": .scalar, "value": .scalar, "periodSeconds": .scalar])),
    ])
    static let metric: FieldShape = .object([
        "type": .scalar,
        "resource": .object(["name": .scalar, "target": target]),
        "containerResource": .object(["name": .scalar, "container": .scalar, "target": target]),
        "pods": .object(["metric": identifier, "target": target]),
        "object": .object(["describedObject": reference, "metric": identifier, "target": target]),
        "external": .object(["metric": identifier, "target": target]),
    ])
    static let horizontalPodAutoscaler: FieldShape = .object([
        "apiVersion": .scalar, "kind": .scalar,
        "metadata": .object([
            "name": .scalar, "generateName": .scalar, "namespace": .scalar, "uid": .scalar, "resourceVersion": .scalar,
            "generation": .scalar, "creationTimestamp": .any, "deletionTimestamp": .any, "deletionGracePeriodSeconds": .scalar,
            "labels": .map(.scalar), "annotations": .map(.scalar), "ownerReferences": .any, "finalizers": .list(.scalar),
            "managedFields": .any, "selfLink": .scalar,
        ]),
        "spec": .object([
            "scaleTargetRef": reference, "minReplicas": .scalar, "maxReplicas": .scalar,
            "metrics": .list(metric),
            "behavior": .object(["scaleUp": rules, "scaleDown": rules]),
        ]),
        "status": .any,
    ])

    /// Checks `value` against this shape; the first unknown field or wrong kind of node is an error.
    func check(_ value: YAMLValue) throws(ScenarioError) {
        switch self {
        case .any:
            return
        case .scalar:
            if case .scalar = value.node { return }
            throw value.error("expected a single value, not an object or list")
        case .object(let fields):
            if value.isNull { return }
            let known = fields.keys.sorted()
            let object = try value.object(allowed: known)
            for (key, field) in object.fields { try fields[key]?.check(field) }
        case .map(let shape):
            if value.isNull { return }
            for (_, field) in try value.entries() { try shape.check(field) }
        case .list(let shape):
            if value.isNull { return }
            for item in try value.list() { try shape.check(item) }
        }
    }
}

enum HPAManifest {
    /// Reads one HPA from a parsed document: strict fields, autoscaling/v2, decoded into KubeAPI's
    /// type, then checked against the API server's validation. Errors name the file, the field
    /// path and the line.
    static func read(_ document: YAMLValue, settings: SimulationSettings) throws(ScenarioError) -> HorizontalPodAutoscaler {
        guard case .mapping = document.node else { throw document.error("expected an HPA manifest (an object)") }
        let object = try document.object(allowed: ["apiVersion", "kind", "metadata", "spec", "status"])
        let apiVersion = try object.required("apiVersion")
        guard try apiVersion.string() == "autoscaling/v2" else {
            throw apiVersion.error("must be autoscaling/v2 (found \(try apiVersion.string())); convert older manifests with kubectl convert")
        }
        let kind = try object.required("kind")
        guard try kind.string() == "HorizontalPodAutoscaler" else {
            throw kind.error("must be HorizontalPodAutoscaler (found \(try kind.string()))")
        }
        _ = try object.required("spec")
        try FieldShape.horizontalPodAutoscaler.check(document)
        let json = try document.json()
        let hpa: HorizontalPodAutoscaler
        do {
            let data = try JSONEncoder().encode(json)
            hpa = try JSONDecoder().decodeKube(HorizontalPodAutoscaler.self, from: data)
        } catch let problem as DecodingProblem {
            let node = document.descendant(problem.path)
            throw ScenarioError(file: document.file, line: node.line, field: problem.path.isEmpty ? nil : problem.path, message: problem.reason)
        } catch {
            throw document.error("cannot read the manifest: \(error)")
        }
        let problems = HPAValidation.validate(hpa, settings: settings.controllerSettings)
        if let first = problems.first {
            let node = document.descendant(first.field)
            let more = problems.count > 1 ? " (and \(problems.count - 1) more problem\(problems.count == 2 ? "" : "s"))" : ""
            let value = first.value.map { "\($0): " } ?? ""
            throw ScenarioError(file: document.file, line: node.line, field: first.field,
                                message: "the API server would reject this HPA: \(first.kind.rawValue): \(value)\(first.message)\(more)")
        }
        return hpa
    }
}
