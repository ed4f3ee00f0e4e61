import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `hpa-controller run --dry-run --once` against `hpa-controller sim-cluster`: the real binary,
/// kubeconfig resolution, JSON Lines and table output, exit codes, and no write to the cluster.
@Suite(.serialized) struct RunDryRunCLITests {
    /// Starts sim-cluster, runs `body` with its kubeconfig, stops it.
    private func withSimCluster(_ body: (_ kubeconfig: String) throws -> Void) throws {
        let process = Process()
        process.executableURL = try BuiltProgram.hpaController()
        process.arguments = ["sim-cluster"]
        let standardOutput = Pipe()
        process.standardOutput = standardOutput
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        var seen = Data()
        let reader = standardOutput.fileHandleForReading
        while !String(decoding: seen, as: UTF8.self).contains("scenario:") {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        let lines = String(decoding: seen, as: UTF8.self).split(separator: "\n").map(String.init)
        let kubeconfig = lines.first { $0.hasPrefix("kubeconfig: ") }.map { String($0.dropFirst("kubeconfig: ".count)) } ?? ""
        try body(kubeconfig)
    }

    @Test func dryRunOnceReportsEachHPAAndWritesNothing() throws {
        try withSimCluster { kubeconfig in
            let binary = try BuiltProgram.hpaController()
            let json = try BuiltProgram.run(binary, ["run", "--dry-run", "--once", "--kubeconfig", kubeconfig, "-o", "json"])
            #expect(json.status == 0, "\(json.standardError)")
            let lines = json.standardOutput.split(separator: "\n")
            #expect(lines.count == 1)
            let record = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any]
            #expect(record?["namespace"] as? String == "login")
            #expect(record?["name"] as? String == "login-service-hpa")
            #expect(record?["decided"] as? Bool == true)
            #expect(record?["wrote"] as? Bool == false)
            #expect((record?["metrics"] as? [[String: Any]])?.first?["name"] as? String == "cpu")
            #expect(record?["observations"] is [String: Any])

            let table = try BuiltProgram.run(binary, ["run", "--dry-run", "--once", "--kubeconfig", kubeconfig])
            #expect(table.status == 0)
            #expect(table.standardOutput.hasPrefix("NAMESPACE   NAME"))
            #expect(table.standardOutput.contains("login-service-hpa"))

            if let kubectl = BuiltProgram.onPath("kubectl") {
                // Nothing was written: the HPA still has no status and no event exists.
                let hpa = try BuiltProgram.run(kubectl, ["--kubeconfig", kubeconfig, "get", "--raw",
                                                         "/apis/autoscaling/v2/namespaces/login/horizontalpodautoscalers/login-service-hpa"])
                #expect(hpa.status == 0)
                #expect(!hpa.standardOutput.contains("\"status\":{\"conditions\""))
                let events = try BuiltProgram.run(kubectl, ["--kubeconfig", kubeconfig, "get", "--raw", "/api/v1/namespaces/login/events"])
                #expect(!events.standardOutput.contains("horizontal-pod-autoscaler"))
            }
        }
    }

    @Test func onceExitsOneWhenAnHPACannotBeDecided() throws {
        guard let kubectl = BuiltProgram.onPath("kubectl") else { return }
        try withSimCluster { kubeconfig in
            let manifest = FileManager.default.temporaryDirectory.appendingPathComponent("broken-hpa-\(getpid()).json")
            try #"""
            {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"broken","namespace":"login"},
             "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"missing"},"maxReplicas":3}}
            """#.write(to: manifest, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: manifest) }
            let created = try BuiltProgram.run(kubectl, ["--kubeconfig", kubeconfig, "create", "-f", manifest.path])
            #expect(created.status == 0, "\(created.standardError)")
            let run = try BuiltProgram.run(try BuiltProgram.hpaController(), ["run", "--dry-run", "--once", "--kubeconfig", kubeconfig])
            #expect(run.status == 1)
            #expect(run.standardOutput.contains("FailedGetScale"))
        }
    }

    @Test func badFlagsAreRejected() throws {
        let binary = try BuiltProgram.hpaController()
        let output = try BuiltProgram.run(binary, ["run", "--output", "yaml"])
        #expect(output.status != 0)
        #expect(output.standardError.contains("--output must be table or json"))
        let gates = try BuiltProgram.run(binary, ["run", "--feature-gates", "NoSuchGate=true"])
        #expect(gates.status != 0)
        #expect(gates.standardError.contains("unrecognized feature gate: NoSuchGate"))
        let syncs = try BuiltProgram.run(binary, ["run", "--concurrent-horizontal-pod-autoscaler-syncs", "0"])
        #expect(syncs.status != 0)
        #expect(syncs.standardError.contains("concurrent-horizontal-pod-autoscaler-syncs must be greater than 0, but got 0"))
    }
}
