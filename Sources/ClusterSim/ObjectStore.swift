#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI
import Synchronization

/// One stored object: its JSON, the serialized bytes served for it, and its resourceVersion.
struct StoredObject: Sendable {
    var json: JSON
    var bytes: [UInt8]
    var resourceVersion: UInt64
    var labels: [String: String]
    var namespace: String
    var name: String

    init(json: JSON, resourceVersion: UInt64) {
        self.json = json
        self.bytes = JSONCodec.serialize(json)
        self.resourceVersion = resourceVersion
        self.labels = json.value(at: ["metadata", "labels"])?.stringMap ?? [:]
        self.namespace = json.value(at: ["metadata", "namespace"])?.stringValue ?? ""
        self.name = json.value(at: ["metadata", "name"])?.stringValue ?? ""
    }
}

/// One change, as kept in the event log that watches replay from.
struct StoreChange: Sendable {
    enum Kind: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    var kind: Kind
    var resourceID: String
    var object: StoredObject
    /// The object before a modification (for selector-transition handling), nil otherwise.
    var previous: StoredObject?
    var resourceVersion: UInt64 { object.resourceVersion }
}

/// A result page of a list.
struct ListPage: Sendable {
    var items: [StoredObject]
    var resourceVersion: UInt64
    var continueToken: String?
    var remaining: Int?
}

/// The object store: every object as JSON with resourceVersions, uids and generations, plus a
/// bounded log of changes for watches. One lock guards everything; critical sections are short.
final class ObjectStore: Sendable {
    struct State: ~Copyable {
        var resourceVersion: UInt64 = 1000
        var objects: [String: [String: StoredObject]] = [:]
        var log: [StoreChange] = []
        /// Watches from a resourceVersion below this get 410 Gone.
        var oldestWatchable: UInt64 = 1000
        var subscriptions: [ObjectIdentifier: WatchSubscription] = [:]
    }

    let state = Mutex(State())
    let logCapacity: Int
    let now: @Sendable () -> Date

    init(logCapacity: Int = 10_000, now: @escaping @Sendable () -> Date) {
        self.logCapacity = max(10, logCapacity)
        self.now = now
    }

    var currentResourceVersion: UInt64 { state.withLock { $0.resourceVersion } }

    static func key(_ namespace: String, _ name: String) -> String { "\(namespace)/\(name)" }

    func get(_ resource: ResourceType, namespace: String, name: String) -> StoredObject? {
        state.withLock { $0.objects[resource.id]?[Self.key(namespace, name)] }
    }

    /// Objects of `resource` in `namespace` (nil: all) passing `filter`, ordered by namespace and name,
    /// one page at a time.
    func list(_ resource: ResourceType, namespace: String?, limit: Int?, continueToken: String?,
              filter: (StoredObject) -> Bool) throws(APIError) -> ListPage {
        var startAfter: String?
        if let continueToken, !continueToken.isEmpty {
            guard let token = ContinueToken(text: continueToken) else { throw APIError.badRequest("invalid continue token") }
            let tooOld = state.withLock { token.resourceVersion < $0.oldestWatchable }
            if tooOld {
                throw APIError.gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.")
            }
            startAfter = token.lastKey
        }
        let (objects, resourceVersion) = state.withLock { state in
            (state.objects[resource.id] ?? [:], state.resourceVersion)
        }
        var keys = objects.keys.filter { key in
            if let namespace, !key.hasPrefix(namespace + "/") { return false }
            if let startAfter, key <= startAfter { return false }
            return true
        }
        keys.sort()
        var items: [StoredObject] = []
        var index = 0
        while index < keys.count {
            if let object = objects[keys[index]], filter(object) {
                if let limit, limit > 0, items.count == limit { break }
                items.append(object)
            }
            index += 1
        }
        guard index < keys.count, let last = items.last else {
            return ListPage(items: items, resourceVersion: resourceVersion, continueToken: nil, remaining: nil)
        }
        let remaining = keys[index...].reduce(0) { count, key in count + ((objects[key].map(filter) ?? false) ? 1 : 0) }
        if remaining == 0 { return ListPage(items: items, resourceVersion: resourceVersion, continueToken: nil, remaining: nil) }
        let token = ContinueToken(resourceVersion: resourceVersion, lastKey: Self.key(last.namespace, last.name))
        return ListPage(items: items, resourceVersion: resourceVersion, continueToken: token.text, remaining: remaining)
    }

    /// Stores a new object. Sets uid, resourceVersion, creationTimestamp and generation.
    func create(_ resource: ResourceType, namespace: String, object: JSON) throws(APIError) -> StoredObject {
        var object = object
        guard case .object = object else { throw APIError.badRequest("the request body must be a JSON object") }
        var name = object.value(at: ["metadata", "name"])?.stringValue ?? ""
        if name.isEmpty, let prefix = object.value(at: ["metadata", "generateName"])?.stringValue, !prefix.isEmpty {
            name = prefix + RandomText.suffix(5)
            object.setValue(.string(name), at: ["metadata", "name"])
        }
        guard !name.isEmpty else {
            throw APIError.invalid(resource, "", causes: [("metadata.name", "Required value: name or generateName is required")])
        }
        if resource.namespaced { object.setValue(.string(namespace), at: ["metadata", "namespace"]) }
        object.setValue(.string(RandomText.uid()), at: ["metadata", "uid"])
        object.setValue(.string(KubeTime(now()).description), at: ["metadata", "creationTimestamp"])
        object.setValue(nil, at: ["metadata", "deletionTimestamp"])
        if object["spec"] != nil { object.setValue(.integer(1), at: ["metadata", "generation"]) }
        object["apiVersion"] = .string(resource.groupVersion)
        object["kind"] = .string(resource.kind)
        let key = Self.key(namespace, name)
        return try state.withLock { state throws(APIError) in
            if state.objects[resource.id]?[key] != nil { throw APIError.alreadyExists(resource, name) }
            state.resourceVersion += 1
            object.setValue(.string(String(state.resourceVersion)), at: ["metadata", "resourceVersion"])
            let stored = StoredObject(json: object, resourceVersion: state.resourceVersion)
            state.objects[resource.id, default: [:]][key] = stored
            record(StoreChange(kind: .added, resourceID: resource.id, object: stored), in: &state)
            return stored
        }
    }

    /// Read-modify-write of one object under the store lock. `change` gets the current object and
    /// returns the new one; `expectedResourceVersion` (if non-empty) must match or the write fails
    /// with 409. Bumps the generation when `spec` changes; a write that changes nothing keeps the
    /// resourceVersion and sends no watch event.
    func update(_ resource: ResourceType, namespace: String, name: String, expectedResourceVersion: String?,
                change: (JSON) throws(APIError) -> JSON) throws(APIError) -> StoredObject {
        let key = Self.key(namespace, name)
        return try state.withLock { state throws(APIError) in
            guard let current = state.objects[resource.id]?[key] else { throw APIError.notFound(resource, name) }
            if let expectedResourceVersion, !expectedResourceVersion.isEmpty,
               expectedResourceVersion != String(current.resourceVersion) {
                throw APIError.conflict(resource, name)
            }
            var next = try change(current.json)
            guard case .object = next else { throw APIError.badRequest("the object must be a JSON object") }
            // Server-owned metadata is kept.
            for field in ["uid", "creationTimestamp", "namespace", "name", "generation", "resourceVersion"] {
                next.setValue(current.json.value(at: ["metadata", field]), at: ["metadata", field])
            }
            next["apiVersion"] = .string(resource.groupVersion)
            next["kind"] = .string(resource.kind)
            if next == current.json { return current }
            if next["spec"] != current.json["spec"], next["spec"] != nil {
                let generation = current.json.value(at: ["metadata", "generation"])?.int64Value ?? 0
                next.setValue(.integer(generation &+ 1), at: ["metadata", "generation"])
            }
            state.resourceVersion += 1
            next.setValue(.string(String(state.resourceVersion)), at: ["metadata", "resourceVersion"])
            let stored = StoredObject(json: next, resourceVersion: state.resourceVersion)
            state.objects[resource.id, default: [:]][key] = stored
            record(StoreChange(kind: .modified, resourceID: resource.id, object: stored, previous: current), in: &state)
            return stored
        }
    }

    /// Removes an object; the DELETED event carries its last state with a new resourceVersion.
    func delete(_ resource: ResourceType, namespace: String, name: String, expectedResourceVersion: String? = nil) throws(APIError) -> StoredObject {
        let key = Self.key(namespace, name)
        return try state.withLock { state throws(APIError) in
            guard let current = state.objects[resource.id]?[key] else { throw APIError.notFound(resource, name) }
            if let expectedResourceVersion, !expectedResourceVersion.isEmpty,
               expectedResourceVersion != String(current.resourceVersion) {
                throw APIError.conflict(resource, name)
            }
            state.objects[resource.id]?[key] = nil
            state.resourceVersion += 1
            var last = current.json
            last.setValue(.string(String(state.resourceVersion)), at: ["metadata", "resourceVersion"])
            let stored = StoredObject(json: last, resourceVersion: state.resourceVersion)
            record(StoreChange(kind: .deleted, resourceID: resource.id, object: stored), in: &state)
            return stored
        }
    }

    /// Forgets the whole event log: watches and continue tokens from before now get 410.
    func compact() {
        state.withLock { state in
            state.log.removeAll()
            // A new resourceVersion, so that even the latest version handed out before is too old.
            state.resourceVersion += 1
            state.oldestWatchable = state.resourceVersion
        }
    }

    private func record(_ change: StoreChange, in state: inout State) {
        state.log.append(change)
        if state.log.count > logCapacity + logCapacity / 4 {
            let drop = state.log.count - logCapacity
            state.oldestWatchable = state.log[drop - 1].resourceVersion
            state.log.removeFirst(drop)
        }
        for subscription in state.subscriptions.values where subscription.resourceID == change.resourceID {
            subscription.push(change)
        }
    }

    /// Starts a watch. `fromResourceVersion` nil means "from now, after the current objects as ADDED
    /// events"; a number replays the logged changes after it, or fails with 410 when the log no
    /// longer reaches back that far.
    func subscribe(_ resource: ResourceType, namespace: String?, fromResourceVersion: UInt64?) -> Result<(WatchSubscription, [StoreChange]), APIError> {
        state.withLock { state in
            let subscription = WatchSubscription(resourceID: resource.id, namespace: namespace)
            var backlog: [StoreChange] = []
            if let from = fromResourceVersion {
                if from < state.oldestWatchable {
                    return .failure(APIError.gone("too old resource version: \(from) (\(state.oldestWatchable))"))
                }
                backlog = state.log.filter { $0.resourceID == resource.id && $0.resourceVersion > from }
            } else {
                let objects = (state.objects[resource.id] ?? [:]).values.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
                backlog = objects.map { StoreChange(kind: .added, resourceID: resource.id, object: $0) }
            }
            if let namespace { backlog = backlog.filter { $0.object.namespace == namespace } }
            state.subscriptions[ObjectIdentifier(subscription)] = subscription
            return .success((subscription, backlog))
        }
    }

    func unsubscribe(_ subscription: WatchSubscription) {
        _ = state.withLock { $0.subscriptions.removeValue(forKey: ObjectIdentifier(subscription)) }
    }

    var watchCount: Int { state.withLock { $0.subscriptions.count } }
}

/// `continue` tokens: the list's resourceVersion and the last key served, hex-encoded.
struct ContinueToken {
    var resourceVersion: UInt64
    var lastKey: String

    init(resourceVersion: UInt64, lastKey: String) {
        self.resourceVersion = resourceVersion
        self.lastKey = lastKey
    }

    init?(text: String) {
        let parts = text.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, let version = UInt64(parts[0]), parts[1].utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var iterator = parts[1].utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = hexDigit(high), let l = hexDigit(low) else { return nil }
            bytes.append(h << 4 | l)
        }
        resourceVersion = version
        lastKey = String(decoding: bytes, as: UTF8.self)
    }

    var text: String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in lastKey.utf8 { out.append(hex[Int(byte >> 4)]); out.append(hex[Int(byte & 15)]) }
        return "\(resourceVersion)-" + String(decoding: out, as: UTF8.self)
    }
}

private func hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 48...57: return byte - 48
    case 97...102: return byte - 87
    default: return nil
    }
}

enum RandomText {
    static func suffix(_ count: Int) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    static func uid() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef")
        let digits = (0..<32).map { _ in hex[Int(generator.next() % 16)] }
        let text = String(digits)
        let groups = [8, 4, 4, 4, 12]
        var parts: [String] = []
        var start = text.startIndex
        for length in groups {
            let end = text.index(start, offsetBy: length)
            parts.append(String(text[start..<end]))
            start = end
        }
        return parts.joined(separator: "-")
    }
}
