/// A configuration problem: which file or source, which field, and what is wrong. Never carries
/// secret values (tokens, key data, plugin output).
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case fileNotFound, unreadableFile, malformed, noContext, unknownContext, unknownCluster,
             missingServer, badBase64, conflictingOptions, notInCluster, execFailed, execOutputInvalid, unsupported
    }
    public var code: Code
    /// The file (or `"in-cluster"`, `"exec plugin <command>"`) the problem is in.
    public var source: String
    /// The field, as a path into the source (`clusters[dev].cluster.certificate-authority`).
    public var field: String?
    public var message: String

    public init(_ code: Code, source: String, field: String? = nil, _ message: String) {
        self.code = code
        self.source = source
        self.field = field
        self.message = message
    }

    public var description: String {
        if let field { return "\(source): \(field): \(message)" }
        return "\(source): \(message)"
    }
}
