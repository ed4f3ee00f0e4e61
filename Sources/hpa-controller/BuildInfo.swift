/// What `hpa-controller --version` prints.
enum BuildInfo {
    /// The product version; bumped together with CHANGELOG.md.
    static let version = "0.1.0"
}
