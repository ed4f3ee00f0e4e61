/// How a scalable kind exposes replicas and its pod selector to the `/scale` subresource.
struct ScaleBinding: Sendable, Hashable {
    enum SelectorSource: Sendable, Hashable {
        /// `spec.selector` is a `LabelSelector` object (apps/v1 kinds).
        case labelSelector([String])
        /// `spec.selector` is a plain label map (ReplicationController).
        case labelMap([String])
        /// The selector is already a string at this path (CRDs: `labelSelectorPath`).
        case string([String])
    }
    var specReplicasPath: [String] = ["spec", "replicas"]
    var statusReplicasPath: [String] = ["status", "replicas"]
    var selector: SelectorSource
}

/// One kind the simulated cluster serves: where it lives in the URL space and how it behaves.
struct ResourceType: Sendable, Hashable {
    var group: String
    var version: String
    var plural: String
    var singular: String
    var kind: String
    var namespaced: Bool = true
    var shortNames: [String] = []
    var categories: [String] = []
    var hasStatus: Bool = false
    var scale: ScaleBinding?

    var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `plural` for the core group, `plural.group` otherwise (as in Status messages and `GroupResource`).
    var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }
    var listKind: String { kind + "List" }
    /// Key of this resource in the store.
    var id: String { "\(group)/\(plural)" }
    /// The URL prefix of its group-version: `/api/v1` or `/apis/GROUP/VERSION`.
    var apiPrefix: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }
}

/// The kinds served, and lookups by URL, kind and name.
struct ResourceRegistry: Sendable {
    let all: [ResourceType]

    /// The custom resource kind with a scale subresource served by default: `example.com/v1` `WorkerPool`.
    static let workerPool = ResourceType(
        group: "example.com", version: "v1", plural: "workerpools", singular: "workerpool", kind: "WorkerPool",
        shortNames: ["wp"], categories: ["all"], hasStatus: true,
        scale: ScaleBinding(selector: .string(["status", "selector"])))

    static let standard = ResourceRegistry(all: [
        ResourceType(group: "", version: "v1", plural: "pods", singular: "pod", kind: "Pod",
                     shortNames: ["po"], categories: ["all"], hasStatus: true),
        ResourceType(group: "", version: "v1", plural: "events", singular: "event", kind: "Event", shortNames: ["ev"]),
        ResourceType(group: "", version: "v1", plural: "replicationcontrollers", singular: "replicationcontroller",
                     kind: "ReplicationController", shortNames: ["rc"], categories: ["all"], hasStatus: true,
                     scale: ScaleBinding(selector: .labelMap(["spec", "selector"]))),
        ResourceType(group: "", version: "v1", plural: "namespaces", singular: "namespace", kind: "Namespace",
                     namespaced: false, shortNames: ["ns"], hasStatus: true),
        ResourceType(group: "apps", version: "v1", plural: "deployments", singular: "deployment", kind: "Deployment",
                     shortNames: ["deploy"], categories: ["all"], hasStatus: true,
                     scale: ScaleBinding(selector: .labelSelector(["spec", "selector"]))),
        ResourceType(group: "apps", version: "v1", plural: "statefulsets", singular: "statefulset", kind: "StatefulSet",
                     shortNames: ["sts"], categories: ["all"], hasStatus: true,
                     scale: ScaleBinding(selector: .labelSelector(["spec", "selector"]))),
        ResourceType(group: "apps", version: "v1", plural: "replicasets", singular: "replicaset", kind: "ReplicaSet",
                     shortNames: ["rs"], categories: ["all"], hasStatus: true,
                     scale: ScaleBinding(selector: .labelSelector(["spec", "selector"]))),
        ResourceType(group: "autoscaling", version: "v2", plural: "horizontalpodautoscalers",
                     singular: "horizontalpodautoscaler", kind: "HorizontalPodAutoscaler",
                     shortNames: ["hpa"], categories: ["all"], hasStatus: true),
        ResourceType(group: "coordination.k8s.io", version: "v1", plural: "leases", singular: "lease", kind: "Lease"),
        workerPool,
    ])

    func resource(groupVersion: String, plural: String) -> ResourceType? {
        all.first { $0.groupVersion == groupVersion && $0.plural == plural }
    }

    func resource(apiVersion: String, kind: String) -> ResourceType? {
        all.first { $0.groupVersion == apiVersion && $0.kind == kind }
    }

    func resource(kind: String) -> ResourceType? {
        all.first { $0.kind == kind }
    }

    /// Group names in discovery order (the core group is not listed under /apis).
    var groups: [String] {
        var seen: [String] = []
        for resource in all where !resource.group.isEmpty && !seen.contains(resource.group) { seen.append(resource.group) }
        return seen
    }

    func resources(groupVersion: String) -> [ResourceType] {
        all.filter { $0.groupVersion == groupVersion }
    }
}
