/// Where a request path points.
enum Route {
    case version
    case health(String)
    case coreVersions
    case groupList
    case group(String)
    case resourceList(groupVersion: String)
    case openAPIV2
    case openAPIV3Index
    case openAPIV3(String)
    case metrics(group: String, version: String, rest: [String])
    case resource(ResourceAddress)
    case unknown
}

/// A resource URL taken apart: the kind, namespace, object name and subresource.
struct ResourceAddress {
    var resource: ResourceType
    var namespace: String?
    var name: String?
    var subresource: String?
    /// The deprecated `/watch/` path form was used.
    var watchPath: Bool
}

/// The metrics API groups served beside the object store, with their versions.
let metricsGroups: [(group: String, versions: [String])] = [
    ("metrics.k8s.io", ["v1beta1"]),
    ("custom.metrics.k8s.io", ["v1beta2", "v1beta1"]),
    ("external.metrics.k8s.io", ["v1beta1"]),
]

extension ResourceRegistry {
    func route(_ segments: [String]) -> Route {
        guard let first = segments.first else { return .unknown }
        switch first {
        case "version": return segments.count == 1 ? .version : .unknown
        case "healthz", "readyz", "livez": return .health(first)
        case "openapi":
            if segments == ["openapi", "v2"] { return .openAPIV2 }
            if segments == ["openapi", "v3"] { return .openAPIV3Index }
            if segments.count > 2 && segments[1] == "v3" { return .openAPIV3(segments.dropFirst(2).joined(separator: "/")) }
            return .unknown
        case "api":
            if segments.count == 1 { return .coreVersions }
            guard segments[1] == "v1" else { return .unknown }
            if segments.count == 2 { return .resourceList(groupVersion: "v1") }
            return resourceRoute(groupVersion: "v1", Array(segments.dropFirst(2)))
        case "apis":
            if segments.count == 1 { return .groupList }
            let group = segments[1]
            if segments.count == 2 { return .group(group) }
            let version = segments[2]
            if metricsGroups.contains(where: { $0.group == group && $0.versions.contains(version) }) {
                if segments.count == 3 { return .resourceList(groupVersion: "\(group)/\(version)") }
                return .metrics(group: group, version: version, rest: Array(segments.dropFirst(3)))
            }
            if segments.count == 3 { return .resourceList(groupVersion: "\(group)/\(version)") }
            return resourceRoute(groupVersion: "\(group)/\(version)", Array(segments.dropFirst(3)))
        default:
            return .unknown
        }
    }

    private func resourceRoute(groupVersion: String, _ rest: [String]) -> Route {
        var rest = rest[...]
        var watchPath = false
        if rest.first == "watch" {
            watchPath = true
            rest = rest.dropFirst()
        }
        guard let head = rest.first else { return .unknown }
        // namespaces/{ns}/{plural}/... (a namespaced resource), unless it is the Namespace object itself.
        if head == "namespaces", rest.count >= 3, let resource = resource(groupVersion: groupVersion, plural: rest[rest.startIndex + 2]), resource.namespaced {
            let namespace = rest[rest.startIndex + 1]
            let tail = Array(rest.dropFirst(3))
            guard tail.count <= 2 else { return .unknown }
            return .resource(ResourceAddress(resource: resource, namespace: namespace, name: tail.first,
                                             subresource: tail.count == 2 ? tail[1] : nil, watchPath: watchPath))
        }
        guard let resource = resource(groupVersion: groupVersion, plural: head) else { return .unknown }
        let tail = Array(rest.dropFirst())
        guard tail.count <= 2 else { return .unknown }
        if resource.namespaced && !tail.isEmpty { return .unknown }
        return .resource(ResourceAddress(resource: resource, namespace: nil, name: tail.first,
                                         subresource: tail.count == 2 ? tail[1] : nil, watchPath: watchPath))
    }
}
