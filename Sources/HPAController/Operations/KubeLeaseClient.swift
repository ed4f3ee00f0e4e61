import KubeAPI
import KubeClient

/// `LeaseClient` over the real `KubeClient` (wire spec B9): GET/POST/PUT on
/// `coordination.k8s.io/v1` leases. 404 → `.notFound`; 409 (Conflict or AlreadyExists) → `.conflict`;
/// no response → `.transport`; any other API error → `.status`.
public struct KubeLeaseClient: LeaseClient {
    private let client: KubeClient

    /// Pass a client with `RetryPolicy.none` or a short one: the elector retries on its own
    /// schedule and bounds each renewal by the renew deadline.
    public init(client: KubeClient) {
        self.client = client
    }

    public func get(namespace: String, name: String) async throws(LeaseClientError) -> Lease {
        do {
            return try await client.get(Lease.self, .leases, namespace: namespace, name: name)
        } catch {
            throw Self.map(error, namespace: namespace, name: name)
        }
    }

    public func create(_ lease: Lease) async throws(LeaseClientError) -> Lease {
        let namespace = lease.metadata.namespace ?? ""
        do {
            return try await client.create(Self.stamped(lease), .leases, namespace: namespace)
        } catch {
            throw Self.map(error, namespace: namespace, name: lease.metadata.name ?? "")
        }
    }

    public func update(_ lease: Lease) async throws(LeaseClientError) -> Lease {
        let namespace = lease.metadata.namespace ?? ""
        let name = lease.metadata.name ?? ""
        do {
            return try await client.update(Self.stamped(lease), .leases, namespace: namespace, name: name)
        } catch {
            throw Self.map(error, namespace: namespace, name: name)
        }
    }

    static func stamped(_ lease: Lease) -> Lease {
        var lease = lease
        lease.apiVersion = "coordination.k8s.io/v1"
        lease.kind = "Lease"
        return lease
    }

    static func map(_ error: any Error, namespace: String, name: String) -> LeaseClientError {
        guard let error = error as? KubeClientError else {
            if error is CancellationError { return .transport(message: "cancelled") }
            return .transport(message: String(describing: error))
        }
        switch error.code {
        case .notFound: return .notFound(namespace: namespace, name: name)
        case .conflict, .alreadyExists: return .conflict(namespace: namespace, name: name)
        case .transport: return .transport(message: error.description)
        case .decoding: return .decoding(message: error.description)
        default: return .status(code: error.httpStatus ?? 0, namespace: namespace, name: name, message: error.message)
        }
    }
}
