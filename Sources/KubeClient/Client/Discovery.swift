import KubeAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /apis` (legacy discovery).
public struct APIGroupList: Codable, Sendable, Hashable {
    public struct GroupVersion: Codable, Sendable, Hashable {
        public var groupVersion: String
        public var version: String
    }
    public struct Group: Codable, Sendable, Hashable {
        public var name: String
        public var versions: [GroupVersion]
        public var preferredVersion: GroupVersion?
    }
    public var groups: [Group]
}

/// `GET /api/v1`, `GET /apis/<group>/<version>`.
public struct APIResourceList: Codable, Sendable, Hashable {
    public struct Resource: Codable, Sendable, Hashable {
        public var name: String
        public var namespaced: Bool
        public var kind: String
        public var group: String?
        public var version: String?
        public var verbs: [String]?
    }
    public var groupVersion: String
    public var resources: [Resource]
}

/// `GET /version`.
public struct ServerVersion: Codable, Sendable, Hashable {
    public var major: String?
    public var minor: String?
    public var gitVersion: String
}

/// Where a `scaleTargetRef` leads: the parent resource, whose `scale` subresource exists.
public struct ScaleTarget: Sendable, Hashable {
    public var resource: ResourceType
    public var kind: String
    /// The Scale flavour the server serves (autoscaling/v1 today).
    public var scaleGroupVersion: String
}

/// Caches discovery documents; entries are dropped when a look-up misses, so new kinds and
/// CRDs are found on the next try.
public actor Discovery {
    private var groupList: APIGroupList?
    private var resourceLists: [String: APIResourceList] = [:]

    public init() {}

    public func invalidate() {
        groupList = nil
        resourceLists = [:]
    }

    func groups(_ client: KubeClient) async throws -> APIGroupList {
        if let groupList { return groupList }
        let response = try await client.perform(method: "GET", path: "/apis")
        let list = try client.decode(APIGroupList.self, from: response, method: "GET", path: "/apis")
        groupList = list
        return list
    }

    func resources(_ client: KubeClient, groupVersion: String) async throws -> APIResourceList {
        if let cached = resourceLists[groupVersion] { return cached }
        let path = groupVersion.contains("/") ? "/apis/" + groupVersion : "/api/" + groupVersion
        let response = try await client.perform(method: "GET", path: path)
        let list = try client.decode(APIResourceList.self, from: response, method: "GET", path: path)
        resourceLists[groupVersion] = list
        return list
    }
}

extension KubeClient {
    /// `GET /version`: a cheap reachability and credentials check.
    public func serverVersion() async throws -> ServerVersion {
        let response = try await perform(method: "GET", path: "/version")
        return try decode(ServerVersion.self, from: response, method: "GET", path: "/version")
    }

    /// Maps `scaleTargetRef` apiVersion + kind to the resource serving its scale subresource:
    /// the given version first, then the group's other versions (preferred first). A miss
    /// refreshes discovery once before giving up.
    public func scaleTarget(apiVersion: String, kind: String) async throws -> ScaleTarget {
        if let found = try await findScaleTarget(apiVersion: apiVersion, kind: kind) { return found }
        await discovery.invalidate()
        if let found = try await findScaleTarget(apiVersion: apiVersion, kind: kind) { return found }
        throw KubeClientError(code: .noMapping, method: "GET", url: configuration.server + "/apis",
                              message: "no resource with a scale subresource for kind \"\(kind)\" in version \"\(apiVersion)\"")
    }

    private func findScaleTarget(apiVersion: String, kind: String) async throws -> ScaleTarget? {
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let group = parts.count == 2 ? parts[0] : ""
        let version = parts.last ?? ""
        var versions = [version]
        if !group.isEmpty, let entry = try await discovery.groups(self).groups.first(where: { $0.name == group }) {
            let preferred = entry.preferredVersion.map { [$0.version] } ?? []
            for other in preferred + entry.versions.map(\.version) where !versions.contains(other) { versions.append(other) }
        }
        for candidate in versions where !candidate.isEmpty {
            let groupVersion = group.isEmpty ? candidate : "\(group)/\(candidate)"
            let list: APIResourceList
            do {
                list = try await discovery.resources(self, groupVersion: groupVersion)
            } catch let error as KubeClientError where error.code == .notFound {
                continue
            }
            guard let parent = list.resources.first(where: { $0.kind == kind && !$0.name.contains("/") }),
                  let scale = list.resources.first(where: { $0.name == parent.name + "/scale" }) else { continue }
            let scaleGroupVersion = scale.group.map { g in "\(g)/\(scale.version ?? "v1")" } ?? "autoscaling/v1"
            return ScaleTarget(resource: ResourceType(group: group, version: candidate, plural: parent.name, namespaced: parent.namespaced),
                               kind: kind, scaleGroupVersion: scaleGroupVersion)
        }
        return nil
    }

    /// The version of `group` to use: the server's preferred one if we know it, else the first
    /// of `known` the server lists; `nil` when the group is not served.
    public func preferredVersion(group: String, known: [String]) async throws -> String? {
        guard let entry = try await discovery.groups(self).groups.first(where: { $0.name == group }) else { return nil }
        if let preferred = entry.preferredVersion?.version, known.contains(preferred) { return preferred }
        return known.first { candidate in entry.versions.contains { $0.version == candidate } }
    }
}
