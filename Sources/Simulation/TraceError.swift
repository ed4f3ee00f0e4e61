// The one error type of trace loading: it names the file, the line and what was wrong.

/// A trace file (CSV or JSON Lines) could not be read or understood.
public struct TraceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// 1-based line number, when the problem is on one line.
    public var line: Int?
    /// The column or field that was wrong, when known (e.g. `time`, `metrics[0].current`).
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
        if let line { text += ":\(line)" }
        text += ": "
        if let field { text += "\(field): " }
        return text + message
    }
}
