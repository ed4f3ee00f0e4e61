// CSV load traces: `time,value` or `time,<metric>,<metric>...`. Parsing is pure (text in, curves
// out); `TraceLoader` reads the file.

/// A parsed CSV trace: one series per value column.
public struct CSVTrace: Sendable, Hashable {
    /// Column name → points in time order. The demand column is named `value` (or `demand`, or
    /// the only column of a header-less file).
    public var columns: [String: [CurvePoint]]
    /// Column names in file order (without `time`).
    public var columnOrder: [String]

    /// The names that mean "the workload's demand" rather than a metric.
    public static let demandColumnNames: Set<String> = ["value", "demand", "load"]

    /// Parses CSV text. Format:
    /// - optional header `time,<name>[,<name>...]`; without a header every row is `time,value`;
    /// - `time` in seconds since the start (`90`, `90.5`), a duration (`1m30s`) or a clock time
    ///   (`13:05`, `13:05:30`, seconds since midnight);
    /// - values are numbers or Kubernetes quantities (`500m`, `2k`); an empty cell means "no sample";
    /// - blank lines and lines starting with `#` are skipped; rows must be in strictly increasing time.
    /// Errors name `file`, the 1-based line and the column.
    public static func parse(_ text: String, file: String) throws(InputFileError) -> CSVTrace {
        var header: [String]?
        var columns: [String: [CurvePoint]] = [:]
        var previousTime: Double?
        var lineNumber = 0
        var sawRow = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let cells = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
            if header == nil && !sawRow {
                if let first = cells.first, first.lowercased() == "time" || first.lowercased() == "timestamp" {
                    let names = Array(cells.dropFirst())
                    if names.isEmpty {
                        throw InputFileError(file: file, line: lineNumber, message: "header names no value column; expected time,value or time,<metric>,...")
                    }
                    var seen: Set<String> = []
                    for (index, name) in names.enumerated() {
                        if name.isEmpty {
                            throw InputFileError(file: file, line: lineNumber, field: "column \(index + 2)", message: "empty column name")
                        }
                        if !seen.insert(name).inserted {
                            throw InputFileError(file: file, line: lineNumber, field: name, message: "column appears twice")
                        }
                    }
                    header = names
                    sawRow = true
                    continue
                }
                header = ["value"]
            }
            sawRow = true
            let names = header ?? ["value"]
            guard cells.count == names.count + 1 else {
                throw InputFileError(file: file, line: lineNumber,
                                 message: "expected \(names.count + 1) cells (time,\(names.joined(separator: ","))), found \(cells.count)")
            }
            guard let time = parseTime(cells[0]) else {
                throw InputFileError(file: file, line: lineNumber, field: "time",
                                 message: "cannot read \"\(cells[0])\" as a time (seconds, a duration like 1m30s, or HH:MM[:SS])")
            }
            if let previousTime, time <= previousTime {
                throw InputFileError(file: file, line: lineNumber, field: "time",
                                 message: "\(cells[0]) is not later than the previous row (\(formatDuration(previousTime))); rows must be in increasing time order")
            }
            previousTime = time
            for (index, name) in names.enumerated() {
                let cell = cells[index + 1]
                if cell.isEmpty { continue }
                guard let value = parseQuantityValue(cell) else {
                    throw InputFileError(file: file, line: lineNumber, field: name, message: "cannot read \"\(cell)\" as a number")
                }
                columns[name, default: []].append(CurvePoint(time: time, value: value))
            }
        }
        let order = header ?? ["value"]
        if columns.isEmpty {
            throw InputFileError(file: file, message: "the trace holds no samples")
        }
        for name in order where columns[name] == nil {
            throw InputFileError(file: file, field: name, message: "the column holds no samples")
        }
        return CSVTrace(columns: columns, columnOrder: order)
    }

    /// Time cell: seconds, a duration, or a clock time.
    static func parseTime(_ cell: String) -> SimSeconds? {
        if cell.contains(":") { return parseClock(cell) }
        return parseDuration(cell)
    }

    /// The trace as a load profile: the demand column (`value`, `demand` or `load`; when there is
    /// none, the first column) drives the demand; every other column drives the metric of its name.
    public func profile(interpolation: Interpolation = .hold, unit: String = "") -> LoadProfile {
        let demandName = columnOrder.first { Self.demandColumnNames.contains($0.lowercased()) } ?? columnOrder.first ?? "value"
        var metrics: [String: LoadCurve] = [:]
        for name in columnOrder where !Self.demandColumnNames.contains(name.lowercased()) {
            metrics[name] = .series(points: columns[name] ?? [], interpolation: interpolation)
        }
        return LoadProfile(demand: .series(points: columns[demandName] ?? [], interpolation: interpolation),
                           metrics: metrics, unit: unit)
    }
}
