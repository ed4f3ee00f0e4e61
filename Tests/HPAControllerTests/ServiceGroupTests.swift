@testable import HPAController
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing

final class EventLog: Sendable {
    private let stored = Mutex<[String]>([])
    func append(_ value: String) { stored.withLock { $0.append(value) } }
    var values: [String] { stored.withLock { $0 } }
}

@Suite struct ServiceGroupTests {
    @Test func stopsServicesInOrderEachAfterThePreviousFinished() async {
        let log = EventLog()
        let services: [any OperatorService] = ["workers", "elector", "endpoints"].map { name in
            ClosureService(name: name) { shutdown in
                log.append("start " + name)
                await shutdown.wait()
                try? await Task.sleep(for: .milliseconds(name == "workers" ? 20 : 1))  // in-flight work
                log.append("stop " + name)
            }
        }
        let shutdown = ShutdownSignal()
        let group = ServiceGroup(services: services)
        let outcome = Task { await group.run(shutdown: shutdown) }
        try? await Task.sleep(for: .milliseconds(10))
        shutdown.fire(reason: "SIGTERM")
        #expect(await outcome.value == .stopped(reason: "SIGTERM"))
        #expect(await outcome.value.exitCode == 0)
        #expect(log.values.suffix(3) == ["stop workers", "stop elector", "stop endpoints"])
    }

    @Test func aFailingServiceStopsTheOthersWithExitStatus1() async {
        struct Boom: Error {}
        let log = EventLog()
        let services: [any OperatorService] = [
            ClosureService(name: "endpoints") { _ in throw Boom() },
            ClosureService(name: "workers") { shutdown in await shutdown.wait(); log.append("workers stopped") },
        ]
        let outcome = await ServiceGroup(services: services).run(shutdown: ShutdownSignal())
        #expect(outcome.exitCode == 1)
        if case .failed(let service, _) = outcome { #expect(service == "endpoints") } else { Issue.record("expected failure") }
        #expect(log.values == ["workers stopped"])
    }

    @Test func leaderElectorAsAServiceReleasesOnShutdown() async throws {
        let store = InMemoryLeaseStore()
        let elector = LeaderElector(
            config: LeaderElectionConfig(namespace: "ns", name: "lock", identity: "me"),
            client: store, clock: SystemOperationsClock(), jitter: { 0 })
        let shutdown = ShutdownSignal()
        let group = ServiceGroup(services: [LeaderElectionService(elector: elector)])
        let outcome = Task { await group.run(shutdown: shutdown) }
        await elector.leadership.waitUntilLeader()
        shutdown.fire(reason: "SIGTERM")
        #expect(await outcome.value.exitCode == 0)
        #expect(store.stored(namespace: "ns", name: "lock")?.spec.holderIdentity == "")
        #expect(!elector.leadership.isLeader)
    }

    @Test func loggerWritesTextAndJSONAndRedactsSecrets() {
        let sink = CollectingLogSink()
        let time = Date(timeIntervalSince1970: 1_767_225_600.25)
        let text = OperationsLogger(format: .text, verbosity: 0, sink: sink, timestamp: { time })
        text.info("acquired lease", [("lease", "kube-system/hpa-controller"), ("token", "abc")])
        text.debug(1, "hidden at -v 0")
        let json = OperationsLogger(format: .json, verbosity: 2, sink: sink, timestamp: { time })
        json.debug(2, "renewed \"lease\"", [("Authorization", "Bearer x")])
        #expect(sink.lines == [
            "2026-01-01T00:00:00.250Z INFO acquired lease lease=kube-system/hpa-controller token=[redacted]",
            #"{"ts":"2026-01-01T00:00:00.250Z","level":"debug","v":2,"msg":"renewed \"lease\"","Authorization":"[redacted]"}"#,
        ])
    }
}
