import HTTPServer
import KubeAPI

/// The `/scale` subresource (autoscaling/v1 `Scale`) of every scalable kind.
extension APIServer {
    /// The Scale view of a scalable object. Its resourceVersion is the parent's.
    static func scaleObject(of object: JSON, binding: ScaleBinding) -> JSON {
        let metadata = object["metadata"] ?? .object([:])
        var scaleMetadata: [String: JSON] = [:]
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let value = metadata[field] { scaleMetadata[field] = value }
        }
        let selector: String
        switch binding.selector {
        case .labelSelector(let path): selector = SelectorText.fromLabelSelector(object.value(at: path))
        case .labelMap(let path): selector = SelectorText.fromLabelMap(object.value(at: path)?.stringMap ?? [:])
        case .string(let path): selector = object.value(at: path)?.stringValue ?? ""
        }
        var status: [String: JSON] = ["replicas": .integer(object.value(at: binding.statusReplicasPath)?.int64Value ?? 0)]
        if !selector.isEmpty { status["selector"] = .string(selector) }
        return .object([
            "kind": .string("Scale"), "apiVersion": .string("autoscaling/v1"),
            "metadata": .object(scaleMetadata),
            "spec": .object(["replicas": .integer(object.value(at: binding.specReplicasPath)?.int64Value ?? 0)]),
            "status": .object(status),
        ])
    }

    func scale(_ resource: ResourceType, namespace: String, name: String, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        guard let binding = resource.scale else { throw APIError.pathNotFound(request.path) }
        switch request.method {
        case "GET":
            guard let object = store.get(resource, namespace: namespace, name: name) else { throw APIError.notFound(resource, name) }
            return .json(200, JSONCodec.serialize(Self.scaleObject(of: object.json, binding: binding)))
        case "PUT", "PATCH":
            var body: JSON?
            if request.method == "PATCH" { try checkPatchType(request) }
            if request.method == "PUT" {
                body = try jsonBody(request)
                if let kind = body?["kind"]?.stringValue, !kind.isEmpty, kind != "Scale" {
                    throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (Scale)")
                }
                if let bodyName = body?.value(at: ["metadata", "name"])?.stringValue, bodyName != name {
                    throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
                }
            }
            let stored = try store.update(resource, namespace: namespace, name: name, expectedResourceVersion: nil) { current throws(APIError) in
                let currentScale = Self.scaleObject(of: current, binding: binding)
                let newScale: JSON
                if let body {
                    newScale = body
                } else {
                    newScale = try applyPatch(request, to: currentScale)
                }
                if let wanted = newScale.value(at: ["metadata", "resourceVersion"])?.stringValue, !wanted.isEmpty,
                   wanted != current.value(at: ["metadata", "resourceVersion"])?.stringValue {
                    throw APIError.conflict(resource, name)
                }
                guard let replicas = newScale.value(at: ["spec", "replicas"])?.int64Value else {
                    if newScale.value(at: ["spec", "replicas"]) == nil && request.method == "PATCH" { return current }
                    throw APIError(code: 422, reason: "Invalid", message: "Scale.autoscaling \"\(name)\" is invalid: spec.replicas: Required value",
                                   details: APIError.details(resource, name: name))
                }
                guard replicas >= 0 && replicas <= Int64(Int32.max) else {
                    throw APIError(code: 422, reason: "Invalid",
                                   message: "Scale.autoscaling \"\(name)\" is invalid: spec.replicas: Invalid value: \(replicas): must be greater than or equal to 0",
                                   details: APIError.details(resource, name: name))
                }
                var next = current
                next.setValue(.integer(replicas), at: binding.specReplicasPath)
                return next
            }
            simulation.didWrite(resource, namespace: namespace, name: name)
            return .json(200, JSONCodec.serialize(Self.scaleObject(of: stored.json, binding: binding)))
        default:
            throw APIError.methodNotAllowed(request.method, request.path)
        }
    }
}
