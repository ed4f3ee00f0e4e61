import Foundation
import Testing

/// The Dockerfile's promises, checked without a container engine (scripts/verify-image-rootfs
/// checks the resulting root filesystem itself).
@Suite("Dockerfile")
struct ImageTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOf: BuiltProgram.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// Instructions (keyword and rest), continuation lines joined, comments dropped.
    static func instructions(_ dockerfile: String) -> [(keyword: String, argument: String)] {
        var result: [(String, String)] = []
        var pending = ""
        for line in dockerfile.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") { continue }
            if trimmed.hasSuffix("\\") { pending += trimmed.dropLast() + " "; continue }
            let whole = (pending + trimmed).trimmingCharacters(in: .whitespaces)
            pending = ""
            guard !whole.isEmpty else { continue }
            let parts = whole.split(separator: " ", maxSplits: 1)
            result.append((parts[0].uppercased(), parts.count > 1 ? String(parts[1]) : ""))
        }
        return result
    }

    @Test("multi-stage: swift:6.3-bookworm builds a static binary, bookworm-slim runs it")
    func stages() throws {
        let steps = Self.instructions(try Self.text("Dockerfile"))
        let froms = steps.filter { $0.keyword == "FROM" }.map(\.argument)
        #expect(froms == ["swift:6.3-bookworm AS build", "debian:bookworm-slim"])
        #expect(steps.contains { $0.keyword == "RUN" && $0.argument.contains("swift build -c release --static-swift-stdlib") })
        #expect(steps.contains { $0.keyword == "ARG" && $0.argument.hasPrefix("GIT_REVISION") })
        #expect(steps.contains { $0.keyword == "RUN" && $0.argument.contains("HPA_CONTROLLER_GIT_REVISION=\"$GIT_REVISION\"") })
    }

    @Test("runtime: only libcurl4 and ca-certificates, numeric non-root user, exec-form entrypoint, `run`")
    func runtime() throws {
        let steps = Self.instructions(try Self.text("Dockerfile"))
        let runtimeStart = try #require(steps.lastIndex { $0.keyword == "FROM" })
        let runtime = steps[runtimeStart...]
        #expect(runtime.contains { $0.keyword == "ARG" && $0.argument == "RUNTIME_PACKAGES=\"libcurl4 ca-certificates\"" })
        let installs = runtime.filter { $0.keyword == "RUN" && $0.argument.contains("apt-get install") }
        #expect(installs.count == 1)
        #expect(installs.allSatisfy { $0.argument.contains("--no-install-recommends $RUNTIME_PACKAGES") })
        let user = try #require(runtime.last { $0.keyword == "USER" }?.argument)
        let ids = user.split(separator: ":").map { Int($0) }
        #expect(!ids.isEmpty && ids.allSatisfy { ($0 ?? 0) > 0 }, "USER \(user) must be numeric and not root")
        #expect(runtime.last { $0.keyword == "ENTRYPOINT" }?.argument == #"["/usr/local/bin/hpa-controller"]"#)
        #expect(runtime.last { $0.keyword == "CMD" }?.argument == #"["run"]"#)
    }

    @Test(".dockerignore keeps .git and build directories out of the context")
    func dockerignore() throws {
        let entries = Set(try Self.text(".dockerignore").split(separator: "\n").map(String.init))
        for required in [".git", ".build/", ".build-*/"] {
            #expect(entries.contains(required), "\(required)")
        }
    }
}
