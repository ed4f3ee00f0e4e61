import Foundation
import Testing

/// Runs programs for the CLI tests: the `hpa-controller` binary this `swift test` built, and tools
/// such as kubectl.
enum BuiltProgram {
    /// The repository root (this file is Tests/CLITests/BuiltProgram.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `hpa-controller` executable next to the test bundle.
    ///
    /// SwiftPM puts executables and the test bundle in one build directory (`.build/debug`, or
    /// whatever `--scratch-path` says), so we look beside the running test executable and a few
    /// directories up (macOS nests it in `….xctest/Contents/MacOS`). `HPA_CONTROLLER_BINARY`
    /// overrides the search.
    static func hpaController() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["HPA_CONTROLLER_BINARY"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        var starts: [URL] = [URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()]
        if let first = CommandLine.arguments.first {
            starts.append(URL(fileURLWithPath: first).resolvingSymlinksInPath())
        }
        starts.append(Bundle.main.bundleURL)
        for start in starts {
            var directory = start.deletingLastPathComponent()
            for _ in 0..<5 {
                let candidate = directory.appendingPathComponent("hpa-controller")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
                   !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        throw ProgramError(description: "no hpa-controller executable beside the test bundle (looked up from \(starts.map(\.path))); set HPA_CONTROLLER_BINARY")
    }

    /// The first executable called `name` on PATH, if any.
    static func onPath(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// The subcommand names `binary --help` lists under `SUBCOMMANDS:`.
    static func subcommands(of binary: URL) throws -> Set<String> {
        let help = try run(binary, ["--help"])
        guard let heading = help.standardOutput.range(of: "SUBCOMMANDS:\n") else { return [] }
        var names: Set<String> = []
        // `  name (default)   Abstract`, continuation lines indented deeper, then a blank line.
        for line in help.standardOutput[heading.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            if let name = line.split(separator: " ").first { names.insert(String(name)) }
        }
        return names
    }

    struct Output: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    struct ProgramError: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `executable` with `arguments` to completion. Standard error goes to a file, so a chatty
    /// program cannot block on a full pipe while we read its standard output.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let standardOutput = Pipe()
        let errorFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("cli-test-stderr-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
            throw ProgramError(description: "cannot create \(errorFile.path)")
        }
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardOutput = standardOutput
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = standardOutput.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errorHandle.close()
        let errorData = (try? Data(contentsOf: errorFile)) ?? Data()
        return Output(
            status: process.terminationStatus,
            standardOutput: String(decoding: data, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self)
        )
    }
}
