#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// `namespace/name` of an HPA: the work queue's key.
public struct HPAKey: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var namespace: String
    public var name: String
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }
    public init?(_ hpa: HorizontalPodAutoscaler) {
        guard let name = hpa.metadata.name else { return nil }
        self.init(namespace: hpa.metadata.namespace ?? "", name: name)
    }
    public var description: String { "\(namespace)/\(name)" }
    public static func < (lhs: HPAKey, rhs: HPAKey) -> Bool { (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name) }
}

/// An HPA as read from the API, with its original JSON (so a status write sends back fields
/// this project does not model).
public typealias StoredHPA = Preserved<HorizontalPodAutoscaler>

/// What changed in the HPA cache; the controller turns these into queue operations.
public enum HPAChange: Sendable, Hashable {
    /// A new HPA (enqueue at once).
    case added(HPAKey)
    /// An update; `specChanged` when `metadata.generation` (or, without one, the spec) changed.
    case updated(HPAKey, specChanged: Bool)
    case deleted(HPAKey)
}

/// Where the controller reads HPAs from: a cache filled by list+watch (``ListWatchHPASource``)
/// or by a test (``InMemoryHPASource``).
public protocol HPASource: Sendable {
    func hpa(_ key: HPAKey) async -> StoredHPA?
    func keys() async -> [HPAKey]
    /// Fills the cache until cancelled, calling `onChange` for every add, update and delete.
    func run(onChange: @escaping @Sendable (HPAChange) async -> Void) async throws
    /// Returns once the first full list is in the cache.
    func waitUntilSynced() async
    /// The latest list/watch failure (nil when none), e.g. `401 Unauthorized` on the first list.
    func lastError() async -> String?
}

extension HPASource {
    /// Sources that cannot fail (in-memory ones) report no error.
    public func lastError() async -> String? { nil }
}

/// The HPA cache: key → object, a synced flag and the change fan-out.
public actor HPACache {
    private var objects: [HPAKey: StoredHPA] = [:]
    private var synced = false
    /// Fired once synced; waiting on it returns early when the waiting task is cancelled, so a
    /// shutdown before the first list completes does not hang.
    private let syncLatch = ShutdownSignal()
    private var onChange: (@Sendable (HPAChange) async -> Void)?
    public private(set) var lastError: String?

    public init() {}

    public var isSynced: Bool { synced }
    public func recordError(_ error: any Error) { lastError = String(describing: error) }

    public func setHandler(_ handler: @escaping @Sendable (HPAChange) async -> Void) { onChange = handler }
    public func get(_ key: HPAKey) -> StoredHPA? { objects[key] }
    public func keys() -> [HPAKey] { objects.keys.sorted() }
    public var count: Int { objects.count }

    public func markSynced() {
        synced = true
        syncLatch.fire(reason: "synced")
    }

    public func waitUntilSynced() async {
        if synced { return }
        await syncLatch.wait()
    }

    /// Adds or replaces one object and reports the change.
    public func upsert(_ object: StoredHPA) async {
        guard let key = HPAKey(object.value) else { return }
        let old = objects[key]
        objects[key] = object
        let change: HPAChange
        if let old {
            let specChanged: Bool
            if let before = old.value.metadata.generation, let after = object.value.metadata.generation {
                specChanged = before != after
            } else {
                specChanged = old.value.spec != object.value.spec
            }
            change = .updated(key, specChanged: specChanged)
        } else {
            change = .added(key)
        }
        await onChange?(change)
    }

    public func remove(_ key: HPAKey) async {
        guard objects.removeValue(forKey: key) != nil else { return }
        await onChange?(.deleted(key))
    }

    /// Replaces the whole content (a relist): reports adds, updates and deletes.
    public func replaceAll(_ list: [StoredHPA]) async {
        var seen = Set<HPAKey>()
        for object in list {
            if let key = HPAKey(object.value) { seen.insert(key) }
            await upsert(object)
        }
        for key in objects.keys where !seen.contains(key) { await remove(key) }
    }

    func apply(_ delta: ListWatchDelta<StoredHPA>) async {
        switch delta {
        case .replace(let list): await replaceAll(list)
        case .added(let object), .modified(let object): await upsert(object)
        case .deleted(let object): if let key = HPAKey(object.value) { await remove(key) }
        }
    }
}

/// HPAs from the API server: list+watch of `autoscaling/v2` HPAs in one namespace or all.
public struct ListWatchHPASource: HPASource {
    public let cache = HPACache()
    public let watcher: ListWatcher<StoredHPA>

    /// - Parameter namespace: nil = all namespaces.
    public init(requester: any KubeRequester, namespace: String?) {
        let path = namespace.map { "/apis/autoscaling/v2/namespaces/\(URLEncoding.pathSegment($0))/horizontalpodautoscalers" }
            ?? "/apis/autoscaling/v2/horizontalpodautoscalers"
        watcher = ListWatcher(requester: requester, path: path)
    }

    public func hpa(_ key: HPAKey) async -> StoredHPA? { await cache.get(key) }
    public func keys() async -> [HPAKey] { await cache.keys() }
    public func waitUntilSynced() async { await cache.waitUntilSynced() }

    public func run(onChange: @escaping @Sendable (HPAChange) async -> Void) async throws {
        await cache.setHandler(onChange)
        let cache = self.cache
        try await watcher.run(deliver: { await cache.apply($0) }, onSynced: { await cache.markSynced() },
                              onError: { await cache.recordError($0) })
    }

    public func lastError() async -> String? { await cache.lastError }
}

/// HPAs held in memory: tests (and the conformance runner) put objects in and take them out.
public struct InMemoryHPASource: HPASource {
    public let cache = HPACache()

    public init() {}

    /// A source holding `hpas`.
    public static func holding(_ hpas: [HorizontalPodAutoscaler]) async -> InMemoryHPASource {
        let source = InMemoryHPASource()
        for hpa in hpas { await source.put(hpa) }
        return source
    }

    public func put(_ hpa: HorizontalPodAutoscaler) async { await cache.upsert(Preserved(hpa)) }
    public func delete(_ key: HPAKey) async { await cache.remove(key) }

    public func hpa(_ key: HPAKey) async -> StoredHPA? { await cache.get(key) }
    public func keys() async -> [HPAKey] { await cache.keys() }
    public func waitUntilSynced() async {}
    public func lastError() async -> String? { nil }

    public func run(onChange: @escaping @Sendable (HPAChange) async -> Void) async throws {
        await cache.setHandler(onChange)
        for key in await cache.keys() { await onChange(.added(key)) }
        await cache.markSynced()
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
    }
}
