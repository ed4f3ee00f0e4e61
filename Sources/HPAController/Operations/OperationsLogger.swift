#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeAPI
import Synchronization

/// `--log-format`: human-readable lines or one JSON object per line.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// Severity of a log line. `info` lines appear at verbosity 0; `debug(n)` lines only with `-v` n or more.
public enum LogLevel: Sendable, Hashable {
    case error
    case warning
    case info
    /// Detail shown at verbosity `n` (`-v` gives 1, `-vv` 2, ...).
    case debug(Int)

    var label: String {
        switch self {
        case .error: "error"
        case .warning: "warning"
        case .info: "info"
        case .debug: "debug"
        }
    }
}

/// Where finished log lines go. `StandardErrorLogSink` writes to stderr; `CollectingLogSink` keeps
/// them for tests.
public protocol LogSink: Sendable {
    func write(line: String)
}

/// Writes each line to standard error with one `write(2)` call, so lines from concurrent tasks
/// never interleave.
public struct StandardErrorLogSink: LogSink {
    public init() {}
    public func write(line: String) {
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(2, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

/// Keeps every line in memory (tests).
public final class CollectingLogSink: LogSink {
    private let stored = Mutex<[String]>([])
    public init() {}
    public func write(line: String) { stored.withLock { $0.append(line) } }
    public var lines: [String] { stored.withLock { $0 } }
}

/// The operator's logger: one line per event that matters, `text` or `json`, filtered by
/// verbosity. Values of fields whose name suggests a credential (`token`, `password`, `secret`,
/// `authorization`) are replaced by `[redacted]`, so a careless call site cannot leak one.
public struct OperationsLogger: Sendable {
    public let format: LogFormat
    public let verbosity: Int
    private let sink: any LogSink
    private let context: [(String, String)]
    private let timestamp: @Sendable () -> Date

    /// - Parameters:
    ///   - format: text or json.
    ///   - verbosity: `-v` count; `debug(n)` lines print when `n <= verbosity`.
    ///   - sink: where lines go (stderr by default).
    ///   - timestamp: the time stamped on each line (the real wall clock by default).
    public init(format: LogFormat = .text, verbosity: Int = 0, sink: any LogSink = StandardErrorLogSink(),
                timestamp: @escaping @Sendable () -> Date = { Date() }) {
        self.format = format
        self.verbosity = verbosity
        self.sink = sink
        self.context = []
        self.timestamp = timestamp
    }

    private init(copying other: OperationsLogger, context: [(String, String)]) {
        format = other.format
        verbosity = other.verbosity
        sink = other.sink
        timestamp = other.timestamp
        self.context = context
    }

    /// A logger discarding everything.
    public static let disabled = OperationsLogger(sink: DiscardingLogSink())

    /// A logger that adds `fields` to every line (e.g. the component name).
    public func with(_ fields: [(String, String)]) -> OperationsLogger {
        OperationsLogger(copying: self, context: context + fields)
    }

    /// Whether a line at `level` would be written.
    public func enabled(_ level: LogLevel) -> Bool {
        if case .debug(let needed) = level { return needed <= verbosity }
        return true
    }

    public func error(_ message: String, _ fields: [(String, String)] = []) { log(.error, message, fields) }
    public func warning(_ message: String, _ fields: [(String, String)] = []) { log(.warning, message, fields) }
    public func info(_ message: String, _ fields: [(String, String)] = []) { log(.info, message, fields) }
    public func debug(_ level: Int, _ message: String, _ fields: [(String, String)] = []) { log(.debug(level), message, fields) }

    public func log(_ level: LogLevel, _ message: String, _ fields: [(String, String)]) {
        guard enabled(level) else { return }
        let all = (context + fields).map { ($0.0, Self.isSecret($0.0) ? "[redacted]" : $0.1) }
        let time = LogTime.format(timestamp())
        switch format {
        case .text:
            var line = time + " " + level.label.uppercased() + " " + message
            for (key, value) in all { line += " " + key + "=" + Self.quoteIfNeeded(value) }
            sink.write(line: line)
        case .json:
            var line = "{\"ts\":" + JSONText.quote(time) + ",\"level\":" + JSONText.quote(level.label)
            if case .debug(let v) = level { line += ",\"v\":\(v)" }
            line += ",\"msg\":" + JSONText.quote(message)
            for (key, value) in all { line += "," + JSONText.quote(key) + ":" + JSONText.quote(value) }
            sink.write(line: line + "}")
        }
    }

    static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["token", "password", "secret", "authorization", "credential"].contains { lowered.contains($0) }
    }

    static func quoteIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        return needsQuotes ? JSONText.quote(value) : value
    }
}

struct DiscardingLogSink: LogSink {
    func write(line: String) {}
}

/// JSON string quoting (RFC 8259): quotes, backslashes and control characters escaped.
enum JSONText {
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// RFC 3339 UTC with milliseconds, without Calendar.
enum LogTime {
    static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, abs(interval) < 2.5e11 else { return "0000-00-00T00:00:00.000Z" }
        let millisTotal = Int((interval * 1000).rounded(.down))
        let whole = Int((Double(millisTotal) / 1000).rounded(.down))
        let millis = millisTotal - whole * 1000
        let days = Int((Double(whole) / 86_400).rounded(.down))
        let secondsOfDay = whole - days * 86_400
        let (year, month, day) = RFC3339.civilFromDays(days)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondsOfDay / 3600, 2) + ":"
            + pad(secondsOfDay / 60 % 60, 2) + ":" + pad(secondsOfDay % 60, 2) + "." + pad(millis, 3) + "Z"
    }
}
