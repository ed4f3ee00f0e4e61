#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// Where the controller finds the pods a scale selector selects.
public protocol PodLister: Sendable {
    /// Pods of `namespace` whose labels match `selector`, sorted by name.
    func pods(namespace: String, selector: Selector) async -> [ScalingPod]
    /// Fills the cache until cancelled.
    func run() async throws
    func waitUntilSynced() async
    /// The latest list/watch failure (nil when none).
    func lastError() async -> String?
}

extension PodLister {
    /// Sources that cannot fail (in-memory ones) report no error.
    public func lastError() async -> String? { nil }
}

/// The pod cache: per namespace, name → ``ScalingPod`` projection, with a `key=value` label index so that a
/// selector with an equality requirement only looks at the pods carrying that label.
public actor PodCache {
    private struct Namespace {
        var pods: [String: ScalingPod] = [:]
        var byLabel: [String: Set<String>] = [:]

        mutating func upsert(_ pod: ScalingPod) {
            if let old = pods.updateValue(pod, forKey: pod.name) {
                if old.labels == pod.labels { return }
                unindex(old)
            }
            for (key, value) in pod.labels { byLabel["\(key)=\(value)", default: []].insert(pod.name) }
        }

        mutating func remove(_ name: String) {
            if let old = pods.removeValue(forKey: name) { unindex(old) }
        }

        private mutating func unindex(_ pod: ScalingPod) {
            for (key, value) in pod.labels {
                let label = "\(key)=\(value)"
                byLabel[label]?.remove(pod.name)
                if byLabel[label]?.isEmpty == true { byLabel.removeValue(forKey: label) }
            }
        }
    }
    private var namespaces: [String: Namespace] = [:]
    private var synced = false
    /// Fired once synced; waiting on it returns early when the waiting task is cancelled, so a
    /// shutdown before the first list completes does not hang.
    private let syncLatch = ShutdownSignal()
    public private(set) var lastError: String?

    public init() {}

    public var isSynced: Bool { synced }
    public func recordError(_ error: any Error) { lastError = String(describing: error) }

    public var count: Int { namespaces.values.reduce(0) { $0 + $1.pods.count } }

    public func markSynced() {
        synced = true
        syncLatch.fire(reason: "synced")
    }

    public func waitUntilSynced() async {
        if synced { return }
        await syncLatch.wait()
    }

    /// Mutates the namespace entry in place (a copy out of the dictionary would copy every pod).
    public func upsert(_ pod: ScalingPod) {
        namespaces[pod.namespace, default: Namespace()].upsert(pod)
    }

    public func remove(namespace: String, name: String) {
        namespaces[namespace]?.remove(name)
        if namespaces[namespace]?.pods.isEmpty == true { namespaces.removeValue(forKey: namespace) }
    }

    public func replaceAll(_ pods: [ScalingPod]) {
        namespaces = [:]
        for pod in pods { upsert(pod) }
    }

    public func pods(namespace: String, selector: Selector) -> [ScalingPod] {
        guard let space = namespaces[namespace] else { return [] }
        var candidates: [ScalingPod]
        let equality = selector.requirements.first {
            ($0.operator == .equals || $0.operator == .doubleEquals || ($0.operator == .in && $0.values.count == 1))
        }
        if let equality, let value = equality.values.first {
            candidates = (space.byLabel["\(equality.key)=\(value)"] ?? []).compactMap { space.pods[$0] }
        } else {
            candidates = Array(space.pods.values)
        }
        candidates.removeAll { !selector.matches($0.labels) }
        return candidates.sorted { $0.name < $1.name }
    }

    func apply(_ delta: ListWatchDelta<PodProjection>) {
        switch delta {
        case .replace(let list): replaceAll(list.map(\.pod))
        case .added(let item), .modified(let item): upsert(item.pod)
        case .deleted(let item): remove(namespace: item.pod.namespace, name: item.pod.name)
        }
    }
}

/// Pods from the API server: list+watch in one namespace or all, projected on arrival.
public struct ListWatchPodLister: PodLister {
    public let cache = PodCache()
    public let watcher: ListWatcher<PodProjection>

    /// - Parameter namespace: nil = all namespaces.
    public init(requester: any KubeRequester, namespace: String?) {
        let path = namespace.map { "/api/v1/namespaces/\(URLEncoding.pathSegment($0))/pods" } ?? "/api/v1/pods"
        watcher = ListWatcher(requester: requester, path: path)
    }

    public func pods(namespace: String, selector: Selector) async -> [ScalingPod] {
        await cache.pods(namespace: namespace, selector: selector)
    }
    public func waitUntilSynced() async { await cache.waitUntilSynced() }
    public func lastError() async -> String? { await cache.lastError }
    public func run() async throws {
        let cache = self.cache
        try await watcher.run(deliver: { await cache.apply($0) }, onSynced: { await cache.markSynced() },
                              onError: { await cache.recordError($0) })
    }
}

/// Pods held in memory, for tests.
public struct InMemoryPodLister: PodLister {
    public let cache = PodCache()
    public init() {}

    public static func holding(_ pods: [ScalingPod]) async -> InMemoryPodLister {
        let lister = InMemoryPodLister()
        await lister.cache.replaceAll(pods)
        await lister.cache.markSynced()
        return lister
    }

    public func pods(namespace: String, selector: Selector) async -> [ScalingPod] {
        await cache.pods(namespace: namespace, selector: selector)
    }
    public func waitUntilSynced() async {}
    public func lastError() async -> String? { nil }
    public func run() async throws {
        await cache.markSynced()
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
    }
}

/// Decodes a Pod and keeps only its ``ScalingPod`` projection (what the decision core reads), so a
/// list of 100k pods never holds the full objects and a pass needs no further conversion.
public struct PodProjection: Decodable, Sendable {
    public var pod: ScalingPod
    public init(from decoder: any Decoder) throws { pod = ScalingPod(pod: try Pod(from: decoder)) }
}
