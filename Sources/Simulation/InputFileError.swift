// The one error type of the simulation's input files: it names the file, the line and what was wrong.

/// A scenario, manifest, trace (CSV or JSON Lines) or output file was wrong, or could not be read
/// or written. The offline simulator calls it `ScenarioError`.
public struct InputFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it (empty when the problem is not in a file, e.g. a flag).
    public var file: String
    /// 1-based line number, when the problem is on one line.
    public var line: Int?
    /// The column or field path that was wrong, when known (e.g. `time`, `load.steps[2].at`).
    public var field: String?
    public var message: String

    public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `file:line: field: message`, the shape compilers use, so editors can jump to it.
    public var description: String {
        var text = file
        if let line { text += text.isEmpty ? "line \(line)" : ":\(line)" }
        if !text.isEmpty { text += ": " }
        if let field, !field.isEmpty { text += "\(field): " }
        return text + message
    }
}
