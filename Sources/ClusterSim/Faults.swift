import Synchronization

/// A failure the simulated cluster injects into matching requests.
public struct Fault: Sendable, Hashable {
    /// What goes wrong.
    public enum Kind: Sendable, Hashable {
        /// 429 TooManyRequests with `Retry-After: seconds` (and `details.retryAfterSeconds`).
        case tooManyRequests(retryAfterSeconds: Int)
        /// A `Status` failure with this code: 500 InternalError, 503 ServiceUnavailable, 409 Conflict,
        /// 410 Expired, 404 NotFound, 403 Forbidden, ...
        case status(Int)
        /// On a watch: a 200 stream whose only frame is an ERROR event with a 410 Expired `Status`
        /// (what a real server sends when the resourceVersion is too old). On other requests: 410.
        case watchExpired
        /// The connection is closed without any response.
        case dropConnection
        /// On a watch: the stream works normally, then the connection is cut (no terminating
        /// chunk) after this many real seconds. Other requests are answered normally.
        case dropWatch(afterSeconds: Double)
        /// The request is answered normally after this many (real) seconds.
        case delay(seconds: Double)
        /// The response head promises the full body but only half of it is sent before the close.
        case truncatedBody
        /// A 200 response whose body is not JSON (as from a misconfigured proxy).
        case nonJSONBody
    }

    public var kind: Kind
    /// HTTP method to match (`GET`, `PUT`, ...); nil matches any.
    public var method: String?
    /// The request path must start with this (no query string), e.g. `/apis/metrics.k8s.io/`.
    public var pathPrefix: String
    /// Requests matching `watch=true` only (true), non-watch only (false), or both (nil).
    public var watch: Bool?
    /// Inject at most this many times; nil is unlimited.
    public var count: Int?
    /// Chance (0...1) that a matching request is hit.
    public var probability: Double

    public init(_ kind: Kind, method: String? = nil, pathPrefix: String = "/", watch: Bool? = nil,
                count: Int? = nil, probability: Double = 1) {
        self.kind = kind
        self.method = method
        self.pathPrefix = pathPrefix
        self.watch = watch
        self.count = count
        self.probability = probability
    }
}

/// Identifies one injected fault rule, for reading its counter or removing it.
public struct FaultID: Sendable, Hashable {
    let value: Int
}

/// The installed fault rules and how often each one fired.
final class FaultInjector: Sendable {
    private struct Rule {
        var id: FaultID
        var fault: Fault
        var fired: Int
    }
    private struct State {
        var rules: [Rule] = []
        var nextID = 1
        var firedTotal = 0
        var firedByID: [FaultID: Int] = [:]
        var random = SplitMix64(seed: 0x5EED)
    }
    private let state = Mutex(State())

    func add(_ fault: Fault) -> FaultID {
        state.withLock { state in
            let id = FaultID(value: state.nextID)
            state.nextID += 1
            state.rules.append(Rule(id: id, fault: fault, fired: 0))
            return id
        }
    }

    func remove(_ id: FaultID) {
        state.withLock { $0.rules.removeAll { $0.id == id } }
    }

    func removeAll() {
        state.withLock { $0.rules.removeAll() }
    }

    func seed(_ seed: UInt64) {
        state.withLock { $0.random = SplitMix64(seed: seed) }
    }

    func count(_ id: FaultID) -> Int { state.withLock { $0.firedByID[id] ?? 0 } }
    var total: Int { state.withLock { $0.firedTotal } }

    /// The first rule matching the request that fires (counting it), or nil.
    func match(method: String, path: String, isWatch: Bool) -> Fault? {
        state.withLock { state in
            for index in state.rules.indices {
                let rule = state.rules[index]
                if let wanted = rule.fault.method, wanted != method { continue }
                if !path.hasPrefix(rule.fault.pathPrefix) { continue }
                if let watch = rule.fault.watch, watch != isWatch { continue }
                if let count = rule.fault.count, rule.fired >= count { continue }
                if rule.fault.probability < 1 && state.random.nextUnit() >= rule.fault.probability { continue }
                state.rules[index].fired += 1
                state.firedTotal += 1
                state.firedByID[rule.id, default: 0] += 1
                return rule.fault
            }
            return nil
        }
    }
}

/// A small seeded generator so probabilistic faults are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// One request as the cluster saw it.
public struct RequestRecord: Sendable, Hashable {
    public var method: String
    /// The path, percent-decoded, without the query.
    public var path: String
    /// The raw query string ("" if none).
    public var query: String
    /// The Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection,
    /// or "" for non-resource paths (discovery, metrics, /version).
    public var verb: String
    public var status: Int
    /// Whether the request changed (or tried to change) cluster state.
    public var isWrite: Bool { ["create", "update", "patch", "delete", "deletecollection"].contains(verb) }
}

/// The bounded log of requests (the newest 100,000).
final class RequestLog: Sendable {
    private let records = Mutex<[RequestRecord]>([])
    static let capacity = 100_000

    func append(_ record: RequestRecord) {
        records.withLock { records in
            if records.count >= Self.capacity + Self.capacity / 10 { records.removeFirst(records.count - Self.capacity) }
            records.append(record)
        }
    }

    var all: [RequestRecord] { records.withLock { $0 } }
    func clear() { records.withLock { $0.removeAll() } }
}
