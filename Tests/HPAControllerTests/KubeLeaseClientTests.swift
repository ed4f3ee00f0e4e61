#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@testable import HPAController
import HTTPServer
import KubeAPI
import KubeClient
import Synchronization
import Testing

/// A loopback stand-in for the Lease API: GET, POST (409 AlreadyExists), PUT with a
/// resourceVersion precondition (409 Conflict).
final class LeaseAPIServer: Sendable {
    let leases = Mutex<[String: Lease]>([:])
    let version = Atomic<Int>(1)
    let requests = Mutex<[String]>([])

    func handle(_ request: ServerRequest) -> ServerResponse {
        requests.withLock { $0.append(request.method + " " + request.path) }
        let segments = request.pathSegments  // apis coordination.k8s.io v1 namespaces NS leases [NAME]
        guard segments.count >= 6, segments[0] == "apis", segments[1] == "coordination.k8s.io", segments[5] == "leases" else {
            return Self.status(404, "NotFound", "no route")
        }
        let namespace = segments[4]
        switch (request.method, segments.count) {
        case ("GET", 7):
            guard let lease = leases.withLock({ $0[namespace + "/" + segments[6]] }) else {
                return Self.status(404, "NotFound", "leases.coordination.k8s.io \"\(segments[6])\" not found")
            }
            return Self.json(200, lease)
        case ("POST", 6), ("PUT", 7):
            guard var lease = try? JSONDecoder().decode(Lease.self, from: Data(request.body)) else {
                return Self.status(400, "BadRequest", "undecodable")
            }
            let key = namespace + "/" + (lease.metadata.name ?? "")
            let next = version.add(1, ordering: .sequentiallyConsistent).newValue
            let outcome: Int = leases.withLock { store in
                if request.method == "POST" {
                    if store[key] != nil { return 409 }
                } else {
                    guard let current = store[key] else { return 404 }
                    if lease.metadata.resourceVersion != current.metadata.resourceVersion { return 410 }
                }
                lease.metadata.resourceVersion = String(next)
                store[key] = lease
                return request.method == "POST" ? 201 : 200
            }
            switch outcome {
            case 409: return Self.status(409, "AlreadyExists", "leases.coordination.k8s.io already exists")
            case 410: return Self.status(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again")
            case 404: return Self.status(404, "NotFound", "not found")
            default: return Self.json(outcome, lease)
            }
        default:
            return Self.status(405, "MethodNotAllowed", "method not allowed")
        }
    }

    static func json(_ code: Int, _ lease: Lease) -> ServerResponse {
        .json(code, Array((try? JSONEncoder().encode(lease)) ?? Data()))
    }

    static func status(_ code: Int, _ reason: String, _ message: String) -> ServerResponse {
        .json(code, Array(#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"\#(message)","reason":"\#(reason)","code":\#(code)}"#.utf8))
    }
}

@Suite struct KubeLeaseClientTests {
    @Test func twoElectorsOverLibcurlAgainstALoopbackLeaseAPI() async throws {
        let api = LeaseAPIServer()
        let server = HTTPServer { api.handle($0) }
        let port = try server.start()
        defer { server.stop() }
        let client = KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:\(port)"), qps: 0, retryPolicy: .none)
        let leases = KubeLeaseClient(client: client)
        await #expect(throws: LeaseClientError.notFound(namespace: "ns", name: "lock")) {
            try await leases.get(namespace: "ns", name: "lock")
        }
        let clock = ManualOperationsClock()
        let config = { (id: String) in LeaderElectionConfig(namespace: "ns", name: "lock", identity: id) }
        let a = LeaderElector(config: config("a"), client: leases, clock: clock, jitter: { 0 })
        let b = LeaderElector(config: config("b"), client: leases, clock: clock, jitter: { 0 })
        #expect(await a.tryAcquireOrRenew())
        #expect(await b.tryAcquireOrRenew() == false)
        // A stale resourceVersion is a conflict; creating an existing lease is a conflict too.
        var stale = try await leases.get(namespace: "ns", name: "lock")
        clock.advance(by: 2)
        #expect(await a.tryAcquireOrRenew())
        stale.spec.holderIdentity = "b"
        await #expect(throws: LeaseClientError.conflict(namespace: "ns", name: "lock")) { try await leases.update(stale) }
        await #expect(throws: LeaseClientError.conflict(namespace: "ns", name: "lock")) { try await leases.create(stale) }
        #expect(await a.release())
        #expect(await b.tryAcquireOrRenew())
        let lease = try await leases.get(namespace: "ns", name: "lock")
        #expect(lease.spec.holderIdentity == "b")
        #expect(lease.spec.leaseTransitions == 1)
        #expect(api.requests.withLock { $0.contains("POST /apis/coordination.k8s.io/v1/namespaces/ns/leases") })
    }
}
