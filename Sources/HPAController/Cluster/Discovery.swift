#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// `GET /apis` reply (legacy discovery), reduced.
struct APIGroupList: Decodable, Sendable {
    struct GroupVersion: Decodable, Sendable { var groupVersion: String; var version: String }
    struct Group: Decodable, Sendable {
        var name: String
        var versions: [GroupVersion]
        var preferredVersion: GroupVersion?
    }
    var groups: [Group]
}

/// `GET /apis/{g}/{v}` (or `/api/v1`) reply, reduced.
struct APIResourceList: Decodable, Sendable {
    struct Resource: Decodable, Sendable {
        var name: String
        var namespaced: Bool?
        var kind: String
    }
    var resources: [Resource]
}

/// One way to address a kind: group, version, plural resource name.
public struct ResourceMapping: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var resource: String
    public var namespaced: Bool

    public init(group: String, version: String, resource: String, namespaced: Bool = true) {
        self.group = group
        self.version = version
        self.resource = resource
        self.namespaced = namespaced
    }

    /// `/api/v1` or `/apis/{group}/{version}`.
    public var groupVersionPath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// The collection path in `namespace`.
    public func collectionPath(namespace: String) -> String {
        namespaced ? "\(groupVersionPath)/namespaces/\(URLEncoding.pathSegment(namespace))/\(resource)"
            : "\(groupVersionPath)/\(resource)"
    }

    /// `plural` for the core group, else `plural.group` (the custom metrics API's resource form).
    public var groupResource: String { group.isEmpty ? resource : "\(resource).\(group)" }

    public var description: String { "\(groupResource) (\(group.isEmpty ? "" : group + "/")\(version))" }
}

/// Why a kind could not be mapped to a resource.
public struct MappingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var kind: String
    public var message: String
    public var description: String { message }
}

/// ResourceDiscovery with a cache, and the REST mapper built on it: `(group, kind)` → resource mappings,
/// preferred version first; refreshed once when a kind is not found (a CRD installed later).
/// Also answers which version of a metrics API group the server offers.
public actor ResourceDiscovery {
    private let requester: any KubeRequester
    private var groups: [String: APIGroupList.Group]?
    private var resources: [String: [APIResourceList.Resource]] = [:]

    public init(requester: any KubeRequester) { self.requester = requester }

    /// Forgets everything (upstream invalidates custom-metrics discovery every sync period).
    public func invalidate() {
        groups = nil
        resources = [:]
    }

    private func loadGroups(force: Bool) async throws -> [String: APIGroupList.Group] {
        if let groups, !force { return groups }
        let list = try await requester.get(APIGroupList.self, APIRequest(path: "/apis"))
        var table: [String: APIGroupList.Group] = [:]
        for group in list.groups { table[group.name] = group }
        groups = table
        return table
    }

    /// The versions of `group`, preferred first; `["v1"]` for the core group.
    public func versions(of group: String, refresh: Bool = false) async throws -> [String] {
        if group.isEmpty { return ["v1"] }
        guard let entry = try await loadGroups(force: refresh)[group] else { return [] }
        var versions = entry.versions.map(\.version)
        if let preferred = entry.preferredVersion?.version, let index = versions.firstIndex(of: preferred) {
            versions.remove(at: index)
            versions.insert(preferred, at: 0)
        }
        return versions
    }

    private func resourceList(_ mapping: ResourceMapping, refresh: Bool) async throws -> [APIResourceList.Resource] {
        let path = mapping.groupVersionPath
        if let cached = resources[path], !refresh { return cached }
        let list = try await requester.get(APIResourceList.self, APIRequest(path: path))
        resources[path] = list.resources
        return list.resources
    }

    /// Every mapping of `kind` in `group` (preferred version first).
    public func mappings(group: String, kind: String) async throws -> [ResourceMapping] {
        if let found = try await findMappings(group: group, kind: kind, refresh: false), !found.isEmpty { return found }
        if let found = try await findMappings(group: group, kind: kind, refresh: true), !found.isEmpty { return found }
        throw MappingError(group: group, kind: kind,
                           message: "no matches for kind \"\(kind)\" in group \"\(group)\"")
    }

    private func findMappings(group: String, kind: String, refresh: Bool) async throws -> [ResourceMapping]? {
        var found: [ResourceMapping] = []
        for version in try await versions(of: group, refresh: refresh) {
            let probe = ResourceMapping(group: group, version: version, resource: "")
            let list: [APIResourceList.Resource]
            do { list = try await resourceList(probe, refresh: refresh) } catch let error as APIError where error.isNotFound { continue }
            if let resource = list.first(where: { $0.kind == kind && !$0.name.contains("/") }) {
                found.append(ResourceMapping(group: group, version: version, resource: resource.name,
                                             namespaced: resource.namespaced ?? true))
            }
        }
        return found
    }
}

/// Splits `apps/v1` into `("apps", "v1")` and `v1` into `("", "v1")`, as Go's
/// `schema.ParseGroupVersion` does (empty is the empty group-version).
public func parseGroupVersion(_ text: String) -> (group: String, version: String)? {
    if text.isEmpty { return ("", "") }
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    switch parts.count {
    case 1: return ("", String(parts[0]))
    case 2: return (String(parts[0]), String(parts[1]))
    default: return nil
    }
}
