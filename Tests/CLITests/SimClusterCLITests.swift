import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `hpa-controller sim-cluster`: prints `server:` and `kubeconfig:` lines, serves kubectl, stops
/// on SIGINT/SIGTERM with status 0.
@Suite(.serialized) struct SimClusterCLITests {
    /// Starts sim-cluster with `arguments`, waits for the two lines, runs `body`, sends `signal`.
    private func withSimCluster(_ arguments: [String], signal: Int32 = SIGTERM,
                                _ body: (_ server: String, _ kubeconfig: String) throws -> Void) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try BuiltProgram.hpaController()
        process.arguments = ["sim-cluster"] + arguments
        let standardOutput = Pipe()
        process.standardOutput = standardOutput
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var seen = Data()
        let reader = standardOutput.fileHandleForReading
        while !String(decoding: seen, as: UTF8.self).contains("scenario:") {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        let lines = String(decoding: seen, as: UTF8.self).split(separator: "\n").map(String.init)
        let server = lines.first { $0.hasPrefix("server: ") }.map { String($0.dropFirst("server: ".count)) } ?? ""
        let kubeconfig = lines.first { $0.hasPrefix("kubeconfig: ") }.map { String($0.dropFirst("kubeconfig: ".count)) } ?? ""
        do {
            try body(server, kubeconfig)
        } catch {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw error
        }
        kill(process.processIdentifier, signal)
        seen.append(reader.readDataToEndOfFile())
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: seen, as: UTF8.self))
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func servesTheLoginServiceUntilSignalled(signal: Int32) throws {
        let result = try withSimCluster([], signal: signal) { server, kubeconfig in
            #expect(server.hasPrefix("http://127.0.0.1:"))
            #expect(kubeconfig.hasPrefix("/"))
            #expect(FileManager.default.fileExists(atPath: kubeconfig))
            if let kubectl = BuiltProgram.onPath("kubectl") {
                let hpas = try BuiltProgram.run(kubectl, ["--kubeconfig", kubeconfig, "get", "hpa", "-A"])
                #expect(hpas.status == 0, "\(hpas.standardError)")
                #expect(hpas.standardOutput.contains("login-service-hpa"))
                #expect(hpas.standardOutput.contains("Deployment/webflux-login"))
                let pods = try BuiltProgram.run(kubectl, ["--kubeconfig", kubeconfig, "-n", "login", "get", "pods"])
                #expect(pods.standardOutput.split(separator: "\n").filter { $0.contains("webflux-login-") }.count == 3)
            }
        }
        #expect(result.status == 0)
        #expect(result.output.contains("sim-cluster: stopped"))
    }

    @Test func servesAScenarioFile() throws {
        let scenario = BuiltProgram.packageRoot.appendingPathComponent("examples/queue-worker-external.yaml").path
        try #require(FileManager.default.fileExists(atPath: scenario))
        let result = try withSimCluster(["--scenario", scenario, "--port", "0"]) { _, kubeconfig in
            if let kubectl = BuiltProgram.onPath("kubectl") {
                let raw = try BuiltProgram.run(kubectl, ["--kubeconfig", kubeconfig, "get", "--raw",
                                                         "/apis/external.metrics.k8s.io/v1beta1/namespaces/billing/queue_messages_ready?labelSelector=queue%3Dinvoices"])
                #expect(raw.status == 0, "\(raw.standardError)")
                #expect(raw.standardOutput.contains("\"metricName\":\"queue_messages_ready\""))
            }
        }
        #expect(result.status == 0)
        #expect(result.output.contains("scenario: queue worker on an external metric"))
    }

    @Test func aMissingScenarioFails() throws {
        let output = try BuiltProgram.run(try BuiltProgram.hpaController(), ["sim-cluster", "--scenario", "/nonexistent/scenario.yaml"])
        #expect(output.status == 1)
        #expect(output.standardError.contains("/nonexistent/scenario.yaml"))
    }
}
