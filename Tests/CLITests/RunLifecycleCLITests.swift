import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A child process whose standard output and error are collected as they arrive.
/// (`Process` is not Sendable; this object only reads it after `run()`, and the output lives in mutexes.)
final class ChildProcess: @unchecked Sendable {
    let process: Process
    private let output = Mutex<String>("")
    private let errors = Mutex<String>("")

    init(_ executable: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        process.standardInput = FileHandle.nullDevice
        self.process = process
        standardOutput.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        standardError.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.errors.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    var standardOutput: String { output.withLock { $0 } }
    var standardError: String { errors.withLock { $0 } }

    /// Waits (real time, up to `seconds`) until `condition` holds on this process's output.
    @discardableResult
    func waitFor(_ seconds: Double = 30, _ condition: (ChildProcess) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(self) { return true }
            if !process.isRunning { return condition(self) }
            usleep(20_000)
        }
        return condition(self)
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for exit (up to `seconds`, then SIGKILL) and returns the status.
    func waitForExit(_ seconds: Double = 30) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        usleep(50_000)  // let the readability handlers drain
        return process.terminationStatus
    }
}

/// `hpa-controller run` as a process against `hpa-controller sim-cluster`: leader election,
/// probes, metrics, and SIGTERM (exit 0, lease released).
@Suite(.serialized) struct RunLifecycleCLITests {
    static func get(_ url: String) async -> (Int, String)? {
        guard let address = URL(string: url), let (data, response) = try? await URLSession.shared.data(from: address),
              let http = response as? HTTPURLResponse else { return nil }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }

    @Test func sigtermDrainsReleasesTheLeaseAndExitsZero() async throws {
        let binary = try BuiltProgram.hpaController()
        let cluster = try ChildProcess(binary, ["sim-cluster", "--speed", "5"])
        defer { cluster.signal(SIGTERM); _ = cluster.waitForExit(10) }
        #expect(cluster.waitFor { $0.standardOutput.contains("scenario:") }, "sim-cluster: \(cluster.standardError)")
        let kubeconfig = try #require(cluster.standardOutput.split(separator: "\n")
            .first { $0.hasPrefix("kubeconfig: ") }.map { String($0.dropFirst("kubeconfig: ".count)) })

        let controller = try ChildProcess(binary, [
            "run", "--kubeconfig", kubeconfig, "--leader-elect-namespace", "default", "--leader-elect-name", "hpa-controller-test",
            "--metrics-bind-address", "127.0.0.1:0", "--log-format", "json", "-v",
        ])
        #expect(controller.waitFor { $0.standardError.contains("\"msg\":\"became leader\"") }, "run: \(controller.standardError)")
        // The endpoint's address (port 0 = a free port) is in the start-up log.
        let serving = controller.standardError.split(separator: "\n").first { $0.contains("serving /healthz") }
        let address = try #require(serving.flatMap { line in
            line.components(separatedBy: "\"address\":\"").dropFirst().first?.split(separator: "\"").first.map(String.init)
        })
        var ready: (Int, String)?
        for _ in 0..<300 {
            ready = await Self.get("http://\(address)/readyz")
            if ready?.0 == 200 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(ready?.0 == 200)
        #expect(await Self.get("http://\(address)/healthz")?.1 == "ok")
        var metrics = ""
        for _ in 0..<300 {
            metrics = await Self.get("http://\(address)/metrics")?.1 ?? ""
            if metrics.contains("horizontal_pod_autoscaler_controller_reconciliations_total{") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(metrics.contains("leader_election_master_status{name=\"hpa-controller-test\"} 1"))
        #expect(metrics.contains("horizontal_pod_autoscaler_controller_desired_replicas{namespace=\"login\",hpa_name=\"login-service-hpa\"}"))

        controller.signal(SIGTERM)
        let status = controller.waitForExit()
        #expect(status == 0, "run: \(controller.standardError)")
        let log = controller.standardError
        #expect(log.contains("\"msg\":\"received signal\",\"signal\":\"SIGTERM\""))
        #expect(log.contains("\"msg\":\"released lease\""))
        #expect(!log.contains(kubeconfigToken(kubeconfig) ?? "no-token-in-kubeconfig"), "a credential leaked into the log")
        // The Lease on the cluster is free for a standby.
        if let kubectl = BuiltProgram.onPath("kubectl") {
            let holder = try BuiltProgram.run(kubectl, ["--kubeconfig", kubeconfig, "get", "lease", "-n", "default", "hpa-controller-test",
                                                       "-o", "jsonpath={.spec.holderIdentity}|{.spec.leaseDurationSeconds}"])
            #expect(holder.status == 0, "kubectl: \(holder.standardError)")
            #expect(holder.standardOutput == "|1")
        }
    }

    @Test func dryRunNeverElectsAndStopsGracefullyOnSIGTERM() async throws {
        let binary = try BuiltProgram.hpaController()
        let cluster = try ChildProcess(binary, ["sim-cluster", "--speed", "5"])
        defer { cluster.signal(SIGTERM); _ = cluster.waitForExit(10) }
        #expect(cluster.waitFor { $0.standardOutput.contains("scenario:") }, "sim-cluster: \(cluster.standardError)")
        let kubeconfig = try #require(cluster.standardOutput.split(separator: "\n")
            .first { $0.hasPrefix("kubeconfig: ") }.map { String($0.dropFirst("kubeconfig: ".count)) })
        let controller = try ChildProcess(binary, ["run", "--dry-run", "--kubeconfig", kubeconfig, "--output", "json"])
        #expect(controller.waitFor { $0.standardOutput.contains("\"name\":\"login-service-hpa\"") }, "run: \(controller.standardError)")
        controller.signal(SIGTERM)
        #expect(controller.waitForExit() == 0, "run: \(controller.standardError)")
        #expect(controller.standardError.contains("leaderElection=off"))
        #expect(controller.standardError.contains("endpoints=off"))
        if let kubectl = BuiltProgram.onPath("kubectl") {
            let leases = try BuiltProgram.run(kubectl, ["--kubeconfig", kubeconfig, "get", "leases", "-A", "-o", "name"])
            #expect(leases.status == 0, "kubectl: \(leases.standardError)")
            #expect(leases.standardOutput.isEmpty)
        }
    }

    @Test func sigtermBeforeTheCachesSyncStillExitsZero() throws {
        let binary = try BuiltProgram.hpaController()
        let kubeconfig = FileManager.default.temporaryDirectory.appendingPathComponent("dead-kubeconfig-\(UUID().uuidString)")
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: dead, cluster: {server: "http://127.0.0.1:1"}}]
        users: [{name: u, user: {token: do-not-log-this-token}}]
        contexts: [{name: c, context: {cluster: dead, user: u}}]
        current-context: c
        """.write(to: kubeconfig, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: kubeconfig) }
        let controller = try ChildProcess(binary, ["run", "--kubeconfig", kubeconfig.path, "--metrics-bind-address", "127.0.0.1:0", "-v"])
        #expect(controller.waitFor { $0.standardError.contains("lease read failed") }, "run: \(controller.standardError)")
        controller.signal(SIGTERM)
        #expect(controller.waitForExit() == 0, "run: \(controller.standardError)")
        #expect(controller.process.terminationReason == .exit)
        #expect(!controller.standardError.contains("caches synced"))
        #expect(!controller.standardError.contains("do-not-log-this-token"))
    }

    /// The bearer token written in the sim-cluster's kubeconfig, if any.
    func kubeconfigToken(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.contains("token:") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces)
    }
}
