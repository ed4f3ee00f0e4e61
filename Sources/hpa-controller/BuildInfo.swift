/// What `hpa-controller --version` prints.
///
/// `gitRevision` is not in this file: GitRevisionPlugin generates it before every build (see
/// Plugins/GitRevisionPlugin), from git when building in a checkout, else from the environment
/// variable `HPA_CONTROLLER_GIT_REVISION` (the Dockerfile's `GIT_REVISION` build argument).
enum BuildInfo {
    /// The product version; bumped together with CHANGELOG.md.
    static let version = "0.1.0"

    /// The `--version` line, e.g. `0.1.0 (git abc1234)`.
    static var versionLine: String { "\(version) (git \(gitRevision))" }
}
