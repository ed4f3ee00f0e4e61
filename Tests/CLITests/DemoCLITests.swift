import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `hpa-controller demo`: the README's first command. Runs the built binary (simulated cluster +
/// real controller over loopback) and checks the story its summary tells.
@Suite(.serialized) struct DemoCLITests {
    @Test func quickDemoTellsTheLoginServiceStoryAndExitsZero() throws {
        let binary = try BuiltProgram.hpaController()
        let output = try BuiltProgram.run(binary, ["demo", "--quick"])
        #expect(output.status == 0, "stderr: \(output.standardError)")
        let text = output.standardOutput
        #expect(text.contains("TIME       USERS  CPU/TARGET  REPLICAS   REASON"))
        #expect(text.contains("SuccessfulRescale"))
        #expect(text.contains("peak replicas:        15 (maxReplicas 15)"))
        #expect(text.contains("TooManyReplicas:      hit at 15 replicas"))
        #expect(text.contains("by the downscale stabilization window"))
        #expect(text.contains("Lease login/hpa-controller-demo released on shutdown"))
        let events = text.split(separator: "\n").first { $0.contains("scale events:") }
        let count = events.flatMap { line in line.split(separator: ":").last?.split(separator: " ").first.flatMap { Int($0) } }
        #expect((count ?? 0) >= 4, "scale events line: \(events ?? "missing")")
        #expect(text.contains("final replicas 4"))
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func signalStopsTheDemoGracefullyReleasesTheLeaseAndExitsZero(signal: Int32) throws {
        let binary = try BuiltProgram.hpaController()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["demo", "--speed", "20", "-v"]
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Wait until the controller has made its first decision (the first table row).
        var seen = Data()
        let reader = standardOutput.fileHandleForReading
        while !String(decoding: seen, as: UTF8.self).contains("\n00:") {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        kill(process.processIdentifier, signal)
        seen.append(reader.readDataToEndOfFile())
        let errors = String(decoding: standardError.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let text = String(decoding: seen, as: UTF8.self)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0, "stderr: \(errors)")
        #expect(text.contains("Summary:"))
        #expect(text.contains("Lease login/hpa-controller-demo released on shutdown"))
        let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
        #expect(errors.contains("received signal signal=\(name)"))
        #expect(errors.contains("released lease"))
    }
}
