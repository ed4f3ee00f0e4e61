import ClusterSim
import Foundation
import HTTPServer
import KubeAPI
import Testing

private let leases = "/apis/coordination.k8s.io/v1/namespaces/default/leases"

@Suite struct ConcurrencyTests {
    /// Writers race on one lease with optimistic concurrency while many watchers stream: every
    /// successful write is seen by every watcher, conflicts are 409s, nothing is lost or duplicated.
    @Test func racingWritersAndManyWatchers() throws {
        let harness = try Harness()
        try harness.request("POST", leases, json(#"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l"},"spec":{"leaseTransitions":0}}"#))
        let start = harness.cluster.resourceVersion
        let watcherCount = 20
        var readers: [WatchReader] = []
        for _ in 0..<watcherCount {
            let client = try harness.newClient()
            _ = try client.start("GET", "\(leases)?watch=true&resourceVersion=\(start)", headers: harness.authorization)
            readers.append(WatchReader(client: client))
        }
        let port = harness.cluster.port
        let successes = Locked(0)
        let conflicts = Locked(0)
        let group = DispatchGroup()
        for writer in 0..<8 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                guard let client = try? LoopbackHTTPClient(port: port) else { return }
                let headers = [("Authorization", "Bearer test-token"), ("Content-Type", "application/json")]
                for attempt in 0..<25 {
                    guard let current = try? client.send("GET", "\(leases)/l", headers: headers) else { continue }
                    var lease = json(current.text)
                    lease["spec"]?["holderIdentity"] = .string("writer-\(writer)-\(attempt)")
                    guard let body = try? JSONEncoder().encode(lease), let reply = try? client.send("PUT", "\(leases)/l", headers: headers, body: Array(body)) else { continue }
                    if reply.status == 200 { successes.add(1) } else if reply.status == 409 { conflicts.add(1) }
                }
            }
        }
        group.wait()
        #expect(successes.value + conflicts.value == 200)
        #expect(successes.value > 0)
        for reader in readers {
            let events = try reader.events(successes.value)
            #expect(events.count == successes.value)
            let versions = events.compactMap { $0.at("object.metadata.resourceVersion")?.stringValue }.compactMap { Int($0) }
            #expect(versions == versions.sorted() && Set(versions).count == versions.count)
            reader.client.close()
        }
    }

    /// Garbage on many connections at once does not stop the server from answering.
    @Test func garbageFloodKeepsServing() throws {
        let harness = try Harness()
        let port = harness.cluster.port
        let group = DispatchGroup()
        for index in 0..<32 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                guard let client = try? LoopbackHTTPClient(port: port, receiveTimeoutSeconds: 1) else { return }
                let garbage: [UInt8] = index % 2 == 0 ? Array("\u{0}\u{1}GET /\r\n\r\n".utf8) : (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
                try? client.sendRaw(garbage)
                _ = try? client.readHead()
                client.close()
            }
        }
        group.wait()
        #expect(try harness.get("/version").status == 200)
        #expect(try harness.newClient().send("GET", "/api", headers: harness.authorization).status == 200)
    }
}

final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    func add(_ delta: Int) where Value == Int { lock.lock(); stored += delta; lock.unlock() }
}
