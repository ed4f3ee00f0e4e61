#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore

/// The per-HPA memory of the decision core (recommendations, scale events), in memory only as
/// upstream keeps it; dropped when the HPA is deleted.
public actor MemoryStore {
    private var memories: [HPAKey: ControllerMemory] = [:]
    public init() {}
    public func get(_ key: HPAKey) -> ControllerMemory { memories[key] ?? ControllerMemory() }
    public func set(_ key: HPAKey, _ memory: ControllerMemory) { memories[key] = memory }
    public func remove(_ key: HPAKey) { memories.removeValue(forKey: key) }
    public var count: Int { memories.count }
}

/// Upstream's selector registry (§11): every HPA the controller has seen is registered with a
/// match-nothing selector (nil) until its first successful selector update; the decision core
/// checks a pass's pods against the other HPAs of the namespace for ambiguity.
public actor SelectorRegistry {
    private var namespaces: [String: [String: String?]] = [:]
    public init() {}

    /// Registers `key` (match-nothing) if it is not yet registered.
    public func register(_ key: HPAKey) {
        if namespaces[key.namespace]?[key.description] == nil {
            namespaces[key.namespace, default: [:]][key.description] = .some(nil)
        }
    }

    public func remove(_ key: HPAKey) {
        namespaces[key.namespace]?.removeValue(forKey: key.description)
        if namespaces[key.namespace]?.isEmpty == true { namespaces.removeValue(forKey: key.namespace) }
    }

    /// Replaces a registered key's selector (ignored when the key is not registered, as upstream).
    public func update(_ key: HPAKey, selector: String) {
        guard namespaces[key.namespace]?[key.description] != nil else { return }
        namespaces[key.namespace]?[key.description] = .some(selector)
    }

    /// The view one reconcile of `key` needs.
    public func view(for key: HPAKey) -> SelectorRegistryView {
        let space = namespaces[key.namespace] ?? [:]
        var others = space
        others.removeValue(forKey: key.description)
        return SelectorRegistryView(isRegistered: space[key.description] != nil, others: others)
    }
}

/// Upstream's consistency store (§3.4): after a successful status write the controller remembers
/// the written resourceVersion, and skips a pass while its cache still holds an older one.
/// resourceVersions are compared as numbers, as upstream does here; anything unparsable, or a
/// different UID (the HPA was recreated), counts as caught up.
public actor WrittenVersions {
    private var written: [HPAKey: (uid: String?, version: UInt64)] = [:]
    public init() {}

    public func record(_ key: HPAKey, uid: String?, resourceVersion: String?) {
        guard let version = resourceVersion.flatMap({ UInt64($0) }) else { return }
        written[key] = (uid, version)
    }

    public func clear(_ key: HPAKey) { written.removeValue(forKey: key) }

    /// Whether the cached copy is at least as new as our last write (clears the record once it is).
    public func isCaughtUp(_ key: HPAKey, uid: String?, cached: String?) -> Bool {
        guard let record = written[key] else { return true }
        guard record.uid == uid, let cachedVersion = cached.flatMap({ UInt64($0) }) else {
            written.removeValue(forKey: key)
            return true
        }
        if cachedVersion >= record.version {
            written.removeValue(forKey: key)
            return true
        }
        return false
    }
}
