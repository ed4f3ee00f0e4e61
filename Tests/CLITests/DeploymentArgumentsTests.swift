import Foundation
import Testing

/// The Deployment's exact `args`, run against a simulated API server on loopback: the controller
/// starts, takes the Lease, and on SIGTERM releases it and exits 0 — what a rollout relies on.
@Suite("manifests/ Deployment arguments", .enabled(if: BuiltProgram.onPath("kubectl") != nil, "kubectl is not on PATH"))
struct DeploymentArgumentsTests {
    /// A process whose standard output and error go to one temporary file we can poll.
    final class Started {
        let process = Process()
        let log: URL

        init(_ executable: URL, _ arguments: [String]) throws {
            log = FileManager.default.temporaryDirectory.appendingPathComponent("cli-test-\(UUID().uuidString).log")
            guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
                throw BuiltProgram.ProgramError(description: "cannot create \(log.path)")
            }
            let handle = try FileHandle(forWritingTo: log)
            process.executableURL = executable
            process.arguments = arguments
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            try handle.close()
        }

        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        /// Polls the output until `predicate` holds, the process exits, or a generous safety deadline
        /// passes (a hang guard, not a speed assertion). Returns the output.
        func waitFor(_ predicate: (String) -> Bool) -> String {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let text = output
                if predicate(text) || !process.isRunning { return text }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return output
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: log)
        }
    }

    @Test("start, become leader, release the Lease and exit 0 on SIGTERM")
    func deploymentArgumentsRun() throws {
        let binary = try BuiltProgram.hpaController()
        let deployment = try ManifestTests.only("Deployment", in: ManifestTests.rendered())
        var arguments = ManifestTests.strings(try ManifestTests.container(of: deployment)["args"])
        // Loopback only, on a free port, instead of the pod's :8080.
        arguments = arguments.map { $0.hasPrefix("--metrics-bind-address") ? "--metrics-bind-address=127.0.0.1:0" : $0 }
        #expect(arguments.contains("--metrics-bind-address=127.0.0.1:0"))

        let cluster = try Started(binary, ["sim-cluster", "--port", "0"])
        defer { cluster.stop() }
        let clusterOutput = cluster.waitFor { $0.contains("kubeconfig: ") && $0.contains("\n", after: "kubeconfig: ") }
        let kubeconfig = try #require(
            clusterOutput.split(separator: "\n").first { $0.hasPrefix("kubeconfig: ") }?.dropFirst("kubeconfig: ".count),
            "sim-cluster did not print its kubeconfig: \(clusterOutput)")

        let controller = try Started(binary, arguments + ["--kubeconfig", String(kubeconfig)])
        defer { controller.stop() }
        let started = controller.waitFor { $0.contains("became leader") }
        try #require(controller.process.isRunning, "`hpa-controller \(arguments.joined(separator: " "))` exited: \(started)")
        #expect(started.contains("became leader"), "\(started)")

        controller.process.terminate()
        controller.process.waitUntilExit()
        #expect(controller.process.terminationReason == .exit)
        #expect(controller.process.terminationStatus == 0, "\(controller.output)")
        #expect(controller.output.contains("released lease"), "\(controller.output)")
    }
}

private extension String {
    /// Whether `needle` occurs somewhere after the first occurrence of `marker`.
    func contains(_ needle: String, after marker: String) -> Bool {
        guard let start = range(of: marker) else { return false }
        return self[start.upperBound...].contains(needle)
    }
}
