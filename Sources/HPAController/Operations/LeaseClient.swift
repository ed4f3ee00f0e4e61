#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI
import Synchronization

/// Why a Lease request failed. `notFound` and `conflict` drive the election (create on 404,
/// retry later on 409); the others are reported and retried on the next period.
public enum LeaseClientError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(namespace: String, name: String)
    case conflict(namespace: String, name: String)
    /// Any other HTTP status, with the API's message.
    case status(code: Int, namespace: String, name: String, message: String)
    /// No HTTP response (connection refused, timeout, ...).
    case transport(message: String)
    /// A response the client could not decode.
    case decoding(message: String)

    public var description: String {
        switch self {
        case .notFound(let namespace, let name): "lease \(namespace)/\(name) not found"
        case .conflict(let namespace, let name): "lease \(namespace)/\(name): conflict (modified concurrently)"
        case .status(let code, let namespace, let name, let message): "lease \(namespace)/\(name): HTTP \(code): \(message)"
        case .transport(let message): "lease request failed: \(message)"
        case .decoding(let message): "lease response could not be decoded: \(message)"
        }
    }
}

/// The three Lease calls leader election needs (coordination.k8s.io/v1, wire spec B9).
/// `LiveLeaseClient` speaks HTTP; `InMemoryLeaseStore` is the fake for tests.
public protocol LeaseClient: Sendable {
    /// `GET .../namespaces/{ns}/leases/{name}`; throws `.notFound` on 404.
    func get(namespace: String, name: String) async throws(LeaseClientError) -> Lease
    /// `POST .../namespaces/{ns}/leases`; throws `.conflict` if it already exists (409).
    func create(_ lease: Lease) async throws(LeaseClientError) -> Lease
    /// `PUT .../namespaces/{ns}/leases/{name}` with `metadata.resourceVersion` as precondition;
    /// throws `.conflict` when the stored version differs (409).
    func update(_ lease: Lease) async throws(LeaseClientError) -> Lease
}

/// A fake Lease API with the server's optimistic concurrency: every write bumps
/// `resourceVersion`, and an update carrying a stale one fails with `.conflict`. Several
/// electors can share one store. `failing` makes every call fail (an unreachable API server).
public final class InMemoryLeaseStore: LeaseClient {
    private struct State {
        var leases: [String: Lease] = [:]
        var version = 100
        var failing = false
        var writes: [Lease] = []
    }
    private let state = Mutex(State())

    public init() {}

    /// While true, every call throws `.transport` (simulates losing the API server).
    public func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }

    /// The stored lease, if any (for assertions).
    public func stored(namespace: String, name: String) -> Lease? {
        state.withLock { $0.leases[namespace + "/" + name] }
    }

    /// Every successful create or update, in order.
    public var writes: [Lease] { state.withLock { $0.writes } }

    /// One call against the store: like a real client, a cancelled task gets no response; a
    /// failing store answers every call with `.transport`.
    private func call(_ body: (inout State) -> Result<Lease, LeaseClientError>) throws(LeaseClientError) -> Lease {
        if Task.isCancelled { throw .transport(message: "cancelled before start") }
        let result: Result<Lease, LeaseClientError> = state.withLock { state in
            if state.failing { return .failure(.transport(message: "in-memory store set to fail")) }
            return body(&state)
        }
        return try result.get()
    }

    /// Stores `lease` under `key` with the next `resourceVersion`, as the server does on a write.
    private static func write(_ lease: Lease, at key: String, in state: inout State) -> Result<Lease, LeaseClientError> {
        var stored = lease
        state.version += 1
        stored.metadata.resourceVersion = String(state.version)
        state.leases[key] = stored
        state.writes.append(stored)
        return .success(stored)
    }

    public func get(namespace: String, name: String) async throws(LeaseClientError) -> Lease {
        try call { state in
            guard let lease = state.leases[namespace + "/" + name] else {
                return .failure(.notFound(namespace: namespace, name: name))
            }
            return .success(lease)
        }
    }

    public func create(_ lease: Lease) async throws(LeaseClientError) -> Lease {
        let namespace = lease.metadata.namespace ?? ""
        let name = lease.metadata.name ?? ""
        return try call { state in
            let key = namespace + "/" + name
            if state.leases[key] != nil { return .failure(.conflict(namespace: namespace, name: name)) }
            return Self.write(lease, at: key, in: &state)
        }
    }

    public func update(_ lease: Lease) async throws(LeaseClientError) -> Lease {
        let namespace = lease.metadata.namespace ?? ""
        let name = lease.metadata.name ?? ""
        return try call { state in
            let key = namespace + "/" + name
            guard let current = state.leases[key] else { return .failure(.notFound(namespace: namespace, name: name)) }
            if let expected = lease.metadata.resourceVersion, expected != current.metadata.resourceVersion {
                return .failure(.conflict(namespace: namespace, name: name))
            }
            return Self.write(lease, at: key, in: &state)
        }
    }
}
