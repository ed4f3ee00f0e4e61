import HTTPServer
import KubeAPI

/// Discovery documents: /api, /apis, /apis/GROUP, /api/v1 and /apis/GROUP/VERSION.
extension APIServer {
    func discovery(_ route: Route) throws(APIError) -> HTTPResponse {
        switch route {
        case .coreVersions:
            return .json(200, JSONCodec.serialize(.object([
                "kind": .string("APIVersions"), "versions": .array([.string("v1")]),
                "serverAddressByClientCIDRs": .array([.object(["clientCIDR": .string("0.0.0.0/0"), "serverAddress": .string("127.0.0.1:6443")])]),
            ])))
        case .groupList:
            let groups = visibleGroups().map { groupDocument($0.group, $0.versions, withKind: false) }
            return .json(200, JSONCodec.serialize(.object(["kind": .string("APIGroupList"), "apiVersion": .string("v1"), "groups": .array(groups)])))
        case .group(let name):
            guard let group = visibleGroups().first(where: { $0.group == name }) else { throw APIError.pathNotFound("/apis/\(name)") }
            if let metrics = metricsGroups.first(where: { $0.group == name }), availability(of: metrics.group) == .failing {
                throw Self.statusFault(503)
            }
            return .json(200, JSONCodec.serialize(groupDocument(group.group, group.versions, withKind: true)))
        case .resourceList(let groupVersion):
            return try resourceList(groupVersion)
        default:
            throw APIError.pathNotFound("")
        }
    }

    private func visibleGroups() -> [(group: String, versions: [String])] {
        var groups: [(group: String, versions: [String])] = []
        for name in registry.groups {
            var versions: [String] = []
            for resource in registry.all where resource.group == name && !versions.contains(resource.version) { versions.append(resource.version) }
            groups.append((name, versions))
        }
        for metrics in metricsGroups where availability(of: metrics.group) != .absent {
            groups.append((metrics.group, metrics.versions))
        }
        return groups
    }

    private func groupDocument(_ name: String, _ versions: [String], withKind: Bool) -> JSON {
        let entries: [JSON] = versions.map { .object(["groupVersion": .string("\(name)/\($0)"), "version": .string($0)]) }
        var document: [String: JSON] = ["name": .string(name), "versions": .array(entries), "preferredVersion": entries.first ?? .null]
        if withKind {
            document["kind"] = .string("APIGroup")
            document["apiVersion"] = .string("v1")
        }
        return .object(document)
    }

    private func resourceList(_ groupVersion: String) throws(APIError) -> HTTPResponse {
        var resources: [JSON] = []
        if let metrics = metricsGroups.first(where: { groupVersion.hasPrefix($0.group + "/") }) {
            switch availability(of: metrics.group) {
            case .absent: throw APIError.pathNotFound("/apis/\(groupVersion)")
            case .failing: throw Self.statusFault(503)
            case .available: resources = metricsResources(group: metrics.group)
            }
        } else {
            let served = registry.resources(groupVersion: groupVersion)
            guard !served.isEmpty else { throw APIError.pathNotFound(groupVersion == "v1" ? "/api/v1" : "/apis/\(groupVersion)") }
            for resource in served {
                var entry: [String: JSON] = [
                    "name": .string(resource.plural), "singularName": .string(resource.singular),
                    "namespaced": .bool(resource.namespaced), "kind": .string(resource.kind),
                    "verbs": .array(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"].map { .string($0) }),
                ]
                if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map { .string($0) }) }
                if !resource.categories.isEmpty { entry["categories"] = .array(resource.categories.map { .string($0) }) }
                resources.append(.object(entry))
                if resource.hasStatus {
                    resources.append(.object(["name": .string("\(resource.plural)/status"), "singularName": .string(""),
                                               "namespaced": .bool(resource.namespaced), "kind": .string(resource.kind),
                                               "verbs": .array([.string("get"), .string("patch"), .string("update")])]))
                }
                if resource.scale != nil {
                    resources.append(.object(["name": .string("\(resource.plural)/scale"), "singularName": .string(""),
                                               "namespaced": .bool(resource.namespaced), "group": .string("autoscaling"),
                                               "version": .string("v1"), "kind": .string("Scale"),
                                               "verbs": .array([.string("get"), .string("patch"), .string("update")])]))
                }
            }
        }
        return .json(200, JSONCodec.serialize(.object([
            "kind": .string("APIResourceList"), "apiVersion": .string("v1"), "groupVersion": .string(groupVersion),
            "resources": .array(resources),
        ])))
    }

    private func metricsResources(group: String) -> [JSON] {
        func entry(_ name: String, kind: String, namespaced: Bool, verbs: [String]) -> JSON {
            .object(["name": .string(name), "singularName": .string(""), "namespaced": .bool(namespaced), "kind": .string(kind),
                     "verbs": .array(verbs.map { .string($0) })])
        }
        switch group {
        case "metrics.k8s.io":
            return [entry("nodes", kind: "NodeMetrics", namespaced: false, verbs: ["get", "list"]),
                    entry("pods", kind: "PodMetrics", namespaced: true, verbs: ["get", "list"])]
        case "custom.metrics.k8s.io":
            return simulation.customMetricNames().map { entry($0, kind: "MetricValueList", namespaced: true, verbs: ["get"]) }
        default:
            return simulation.externalMetricNames().map { entry($0, kind: "ExternalMetricValueList", namespaced: true, verbs: ["get"]) }
        }
    }
}
