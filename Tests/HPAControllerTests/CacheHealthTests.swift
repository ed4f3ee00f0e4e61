#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@testable import HPAController
import HTTPServer
import KubeAPI
import Synchronization
import Testing

/// A requester whose lists fail with 401 while `failing` is set, else answer an empty list;
/// watches stay open (and empty) until cancelled.
final class SwitchableRequester: KubeRequester {
    let failing = Atomic<Bool>(true)

    func send(_ request: APIRequest) async throws -> Data {
        if failing.load(ordering: .sequentiallyConsistent) {
            throw APIError(method: request.method, path: request.path, code: 401,
                           status: Status(code: 401, reason: "Unauthorized", message: "Unauthorized"))
        }
        return Data(#"{"metadata":{"resourceVersion":"1"},"items":[]}"#.utf8)
    }

    func watch(_ request: APIRequest) async throws -> AsyncThrowingStream<Data, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                try? await Task.sleep(for: .seconds(3600))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Cache list/watch failures reach the hooks, the log and `/readyz` — and clear on recovery.
@Suite struct CacheHealthTests {
    @Test func listFailuresMakeReadyzFailAndRecoveryClearsIt() async throws {
        let requester = SwitchableRequester()
        let world = World()
        let pods = ListWatchPodLister(requester: requester, namespace: "default")
        let readiness = ReadinessState()
        let sink = CollectingLogSink()
        let hooks = OperationsHooks(leadership: LeadershipState(leading: true), readiness: readiness,
                                    metrics: MetricsRegistry(), logger: OperationsLogger(format: .text, verbosity: 0, sink: sink))
        let clients = ReconcilerClients(hpas: world.hpas, pods: pods, scales: world.scales, metrics: world.metrics,
                                        status: world.status, events: world.events)
        let loop = ControllerLoop(reconciler: Reconciler(clients: clients, settings: .defaults, options: ReconcilerOptions(),
                                                         clock: world.clock, hooks: hooks), workers: 1)
        let server = HTTPServer(handler: ProbeEndpoints(registry: MetricsRegistry(), readiness: readiness.checks).handler)
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        let run = Task { try await loop.run() }

        #expect(await eventually { readiness.cacheFailures?.contains("pods: ") == true })
        let ready = try client.send("GET", "/readyz?verbose")
        #expect(ready.status == 503)
        #expect(ready.text.contains("[-]cache-list-watch failed: list/watch failing: pods: "))
        #expect(ready.text.contains("401"))
        #expect(sink.lines.contains { $0.contains("cache list/watch failing") && $0.contains("pods") })

        requester.failing.store(false, ordering: .sequentiallyConsistent)
        #expect(await eventually { readiness.cacheFailures == nil })
        // Recovery clears the failure first; the loop marks the caches synced a moment later.
        var readyAgain = false
        for _ in 0..<600 where !readyAgain {
            readyAgain = (try? client.send("GET", "/readyz").status) == 200
            if !readyAgain { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(readyAgain)
        #expect(sink.lines.contains { $0.contains("cache list/watch recovered") })

        await loop.stop()
        run.cancel()
        _ = try? await run.value
    }

    @Test func aCacheThatStopsWithAnErrorIsReported() async {
        struct Broken: Error, CustomStringConvertible { var description: String { "disk on fire" } }
        actor Heard { var events: [(String, String?)] = []; func add(_ r: String, _ e: String?) { events.append((r, e)) } }
        struct Hooks: ControllerHooks {
            let heard: Heard
            func cacheHealthChanged(resource: String, error: String?) async { await heard.add(resource, error) }
        }
        let heard = Heard()
        await ControllerLoop.runCache("pods", hooks: Hooks(heard: heard)) { throw Broken() }
        let events = await heard.events
        #expect(events.count == 1)
        #expect(events.first?.0 == "pods")
        #expect(events.first?.1 == "cache stopped: disk on fire")
    }
}
