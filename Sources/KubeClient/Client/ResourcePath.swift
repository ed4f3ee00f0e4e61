/// An API resource: group, version, plural name, scope.
public struct ResourceType: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var plural: String
    public var namespaced: Bool

    public init(group: String, version: String, plural: String, namespaced: Bool = true) {
        self.group = group
        self.version = version
        self.plural = plural
        self.namespaced = namespaced
    }

    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// `/api/v1` or `/apis/<group>/<version>`.
    public var basePath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// The path of the collection (name nil) or of one object, optionally a subresource of it.
    public func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = basePath
        if namespaced, let namespace, !namespace.isEmpty { path += "/namespaces/" + PathSegment.escape(namespace) }
        path += "/" + plural
        if let name { path += "/" + PathSegment.escape(name) }
        if let subresource { path += "/" + subresource }
        return path
    }

    public static let horizontalPodAutoscalers = ResourceType(group: "autoscaling", version: "v2", plural: "horizontalpodautoscalers")
    public static let pods = ResourceType(group: "", version: "v1", plural: "pods")
    public static let events = ResourceType(group: "", version: "v1", plural: "events")
    public static let eventsV1 = ResourceType(group: "events.k8s.io", version: "v1", plural: "events")
    public static let leases = ResourceType(group: "coordination.k8s.io", version: "v1", plural: "leases")
    public static let deployments = ResourceType(group: "apps", version: "v1", plural: "deployments")
    public static let statefulSets = ResourceType(group: "apps", version: "v1", plural: "statefulsets")
    public static let replicaSets = ResourceType(group: "apps", version: "v1", plural: "replicasets")
    public static let replicationControllers = ResourceType(group: "", version: "v1", plural: "replicationcontrollers")
    public static let namespaces = ResourceType(group: "", version: "v1", plural: "namespaces", namespaced: false)
}

/// Percent-encoding as Go's `url.PathEscape` and `url.QueryEscape` do it (what the API server
/// and its logs expect: `pods/%2A/...`, `labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29`).
public enum PathSegment {
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"): true
        default: false
        }
    }

    private static func percent(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        return String(decoding: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
    }

    /// One path segment (`*` becomes `%2A`, `/` becomes `%2F`); `:`, `@`, `&`, `=`, `+`, `$`, `,` stay.
    public static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if isUnreserved(byte) || ":@&=+$,".utf8.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += percent(byte)
            }
        }
        return out
    }

    /// A query key or value (space becomes `+`).
    public static func queryEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if isUnreserved(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte == UInt8(ascii: " ") {
                out += "+"
            } else {
                out += percent(byte)
            }
        }
        return out
    }

    /// `k=v&k2=v2`, keys sorted as Go's `url.Values.Encode` sorts them (stable for equal keys).
    public static func query(_ items: [(String, String)]) -> String {
        items.enumerated()
            .sorted { $0.element.0 == $1.element.0 ? $0.offset < $1.offset : $0.element.0 < $1.element.0 }
            .map { queryEscape($0.element.0) + "=" + queryEscape($0.element.1) }
            .joined(separator: "&")
    }
}
