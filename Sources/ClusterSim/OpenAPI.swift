import Foundation
import HTTPServer
import KubeAPI

/// `/openapi/v3` (an index plus one document per group-version) and `/openapi/v2`.
///
/// autoscaling/v2 is served from the upstream document in Resources/. Other group-versions get a
/// small generated document: their paths with the `fieldValidation` parameter (so kubectl leaves
/// validation to the server) and open schemas.
extension APIServer {
    func openAPI(_ route: Route) throws(APIError) -> HTTPResponse {
        switch route {
        case .openAPIV2:
            throw APIError(code: 404, reason: "NotFound", message: "the simulated cluster serves OpenAPI v3 only (/openapi/v3)")
        case .openAPIV3Index:
            var paths: [String: JSON] = [:]
            for groupVersion in openAPIGroupVersions() {
                let path = groupVersion == "v1" ? "api/v1" : "apis/\(groupVersion)"
                paths[path] = .object(["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(OpenAPIDocuments.hash(path))")])
            }
            return .json(200, JSONCodec.serialize(.object(["paths": .object(paths)])))
        case .openAPIV3(let path):
            if path == "apis/autoscaling/v2", let bytes = OpenAPIDocuments.autoscalingV2 {
                return .json(200, bytes)
            }
            let groupVersion = path == "api/v1" ? "v1" : String(path.dropFirst("apis/".count))
            guard path.hasPrefix("api"), openAPIGroupVersions().contains(groupVersion) else {
                throw APIError.pathNotFound("/openapi/v3/\(path)")
            }
            return .json(200, JSONCodec.serialize(OpenAPIDocuments.generated(registry.resources(groupVersion: groupVersion))))
        default:
            throw APIError.pathNotFound("")
        }
    }

    private func openAPIGroupVersions() -> [String] {
        var result: [String] = []
        for resource in registry.all where !result.contains(resource.groupVersion) { result.append(resource.groupVersion) }
        return result
    }
}

enum OpenAPIDocuments {
    /// The upstream autoscaling/v2 document, read once from the resource bundle (nil if the bundle
    /// cannot be found next to the executable).
    static let autoscalingV2: [UInt8]? = {
        let name = "apis__autoscaling__v2_openapi.json"
        var candidates: [URL] = []
        let bundleName = "hpa-controller_ClusterSim.resources"
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for base in [Bundle.main.bundleURL, executable, executable.deletingLastPathComponent(), Bundle.main.resourceURL].compactMap({ $0 }) {
            candidates.append(base.appendingPathComponent(bundleName).appendingPathComponent("Resources").appendingPathComponent(name))
            candidates.append(base.appendingPathComponent(bundleName).appendingPathComponent(name))
        }
        for bundle in Bundle.allBundles {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent(bundleName).appendingPathComponent("Resources").appendingPathComponent(name))
        }
        for url in candidates {
            if let data = try? Data(contentsOf: url) { return [UInt8](data) }
        }
        return nil
    }()

    static func hash(_ path: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (path + "-sim-v1").utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16, uppercase: true)
    }

    static func generated(_ resources: [ResourceType]) -> JSON {
        func parameter(_ name: String, in location: String = "query", required: Bool = false) -> JSON {
            .object(["name": .string(name), "in": .string(location), "required": .bool(required), "schema": .object(["type": .string("string"), "uniqueItems": .bool(true)])])
        }
        let writeParameters: JSON = .array([parameter("dryRun"), parameter("fieldManager"), parameter("fieldValidation")])
        var paths: [String: JSON] = [:]
        var schemas: [String: JSON] = [:]
        for resource in resources {
            let gvk: JSON = .array([.object(["group": .string(resource.group), "version": .string(resource.version), "kind": .string(resource.kind)])])
            let schemaName = "sim.\(resource.group.isEmpty ? "core" : resource.group).\(resource.version).\(resource.kind)"
            schemas[schemaName] = .object(["type": .string("object"), "x-kubernetes-preserve-unknown-fields": .bool(true),
                                           "x-kubernetes-group-version-kind": gvk])
            let body: JSON = .object(["content": .object(["application/json": .object(["schema": .object(["$ref": .string("#/components/schemas/\(schemaName)")])])]), "required": .bool(true)])
            let ok: JSON = .object(["200": .object(["description": .string("OK")])])
            func operation(_ id: String, write: Bool) -> JSON {
                var members: [String: JSON] = ["operationId": .string(id + resource.kind), "responses": ok,
                                               "x-kubernetes-group-version-kind": gvk.arrayFirst]
                if write {
                    members["parameters"] = writeParameters
                    members["requestBody"] = body
                }
                return .object(members)
            }
            let base = resource.group.isEmpty ? "/api/\(resource.version)" : "/apis/\(resource.group)/\(resource.version)"
            let collection = resource.namespaced ? "\(base)/namespaces/{namespace}/\(resource.plural)" : "\(base)/\(resource.plural)"
            paths[collection] = .object(["get": operation("list", write: false), "post": operation("create", write: true)])
            paths["\(collection)/{name}"] = .object(["get": operation("read", write: false), "put": operation("replace", write: true),
                                                     "patch": operation("patch", write: true), "delete": operation("delete", write: false)])
        }
        return .object(["openapi": .string("3.0.0"), "info": .object(["title": .string("Kubernetes"), "version": .string("unversioned")]),
                        "paths": .object(paths), "components": .object(["schemas": .object(schemas)])])
    }
}

extension KubeAPI.JSONValue {
    fileprivate var arrayFirst: JSON {
        if case .array(let items) = self, let first = items.first { return first }
        return .null
    }
}
