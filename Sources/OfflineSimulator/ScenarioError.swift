// The simulator's one error type: what was wrong, and where (file, field, line).
import Simulation

/// A scenario, manifest, trace or output file was wrong, or could not be read or written.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it (empty when the problem is not in a file, e.g. a flag).
    public var file: String
    /// 1-based line, where the parser knows it.
    public var line: Int?
    /// The field path (`load.steps[2].at`, `spec.behavior.scaleUp.policies[0].value`), when known.
    public var field: String?
    public var message: String

    public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    init(_ trace: TraceError) {
        self.init(file: trace.file, line: trace.line, field: trace.field, message: trace.message)
    }

    /// `file:line: field: message`.
    public var description: String {
        var text = file
        if let line { text += text.isEmpty ? "line \(line)" : ":\(line)" }
        if !text.isEmpty { text += ": " }
        if let field, !field.isEmpty { text += "\(field): " }
        return text + message
    }
}
