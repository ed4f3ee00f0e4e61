import Foundation
import Testing

@Suite("hpa-controller --version")
struct VersionTests {
    /// `0.1.0 (git abc1234)`: a semantic version, then the git revision or `unknown`.
    static var versionLine: Regex<(Substring, version: Substring, revision: Substring)> { #/^(?<version>[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?) \(git (?<revision>[0-9A-Za-z._-]+)\)$/# }

    @Test("prints the version and the git revision it was built from")
    func printsVersionAndRevision() throws {
        let binary = try BuiltProgram.hpaController()
        let output = try BuiltProgram.run(binary, ["--version"])
        #expect(output.status == 0, "stderr: \(output.standardError)")
        let line = output.standardOutput.trimmingCharacters(in: .newlines)
        let match = try #require(line.wholeMatch(of: Self.versionLine), "unexpected --version output: \(line)")

        // In a git checkout the revision must be the checkout's HEAD (the plugin reran on this build).
        if let revision = Self.headRevision() {
            #expect(String(match.output.revision) == revision)
        }
        // The version is the one the manifests deploy (kustomization.yaml `newTag`).
        let kustomization = try String(
            contentsOf: BuiltProgram.packageRoot.appendingPathComponent("manifests/kustomization.yaml"),
            encoding: .utf8)
        #expect(kustomization.contains("newTag: \"\(match.output.version)\""),
                "manifests/kustomization.yaml should deploy version \(match.output.version)")
    }

    /// `git rev-parse --short HEAD` of the package root when it is the top of a git checkout.
    static func headRevision() -> String? {
        guard let git = BuiltProgram.onPath("git") else { return nil }
        let root = BuiltProgram.packageRoot
        guard let top = try? BuiltProgram.run(git, ["-C", root.path, "rev-parse", "--show-toplevel"]),
              top.status == 0,
              URL(fileURLWithPath: top.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
                .resolvingSymlinksInPath().path == root.resolvingSymlinksInPath().path,
              let head = try? BuiltProgram.run(git, ["-C", root.path, "rev-parse", "--short", "HEAD"]),
              head.status == 0
        else { return nil }
        return head.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
