// Replaying the JSON Lines of `hpa-controller run --dry-run --output json`: each record's observed
// metric values become a series, so the simulator sees what the controller saw.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// One dry-run record, reduced to what replay needs.
public struct DryRunRecord: Sendable, Hashable {
    /// Seconds since the first replayed record.
    public var time: SimSeconds
    public var namespace: String
    public var name: String
    public var currentReplicas: Int?
    public var desiredReplicas: Int?
    /// Metric name → observed value: utilization percent for Utilization targets, else the
    /// average value or value (in the metric's unit, not milli).
    public var metrics: [String: Double]
    /// The limiting reason the controller reported (`limitedBy`), when present.
    public var limitedBy: String?
    /// The raw inputs the decision used (`observations`: hpa, scale, pods, per-pod metric samples,
    /// memory, now), for exact replays through the decision core; nil when the record has none.
    public var observations: JSONValue?
}

/// The records of one HPA from a dry-run JSON Lines stream.
public struct DryRunReplay: Sendable, Hashable {
    public var records: [DryRunRecord]
    /// The wall-clock time of the first record.
    public var start: Date

    /// Parses JSON Lines. Each non-blank line is one JSON object with at least `time` (RFC 3339),
    /// `namespace`, `name` and `metrics` (a list of objects with a `name` — or a `resource.name` /
    /// `metric.name` — and a `current` value: a number, a quantity string, or an object holding
    /// `averageUtilization`, `averageValue` or `value`). Records of other HPAs are skipped when
    /// `hpa` (`namespace/name` or `name`) is given; without it the file must hold one HPA only.
    /// Records must be in time order. Errors name `file` and the line.
    public static func parse(_ text: String, file: String, hpa: String? = nil) throws(InputFileError) -> DryRunReplay {
        var records: [DryRunRecord] = []
        var start: Date?
        var previous: Date?
        var firstKey: String?
        var lineNumber = 0
        let decoder = JSONDecoder()
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = String(rawLine).trimmingWhitespace()
            if line.isEmpty { continue }
            let value: JSONValue
            do {
                value = try decoder.decode(JSONValue.self, from: Data(line.utf8))
            } catch {
                throw InputFileError(file: file, line: lineNumber, message: "not a JSON object: \(error)")
            }
            guard case .object = value else {
                throw InputFileError(file: file, line: lineNumber, message: "expected a JSON object per line")
            }
            let namespace = value["namespace"]?.stringValue ?? ""
            guard let name = value["name"]?.stringValue else {
                throw InputFileError(file: file, line: lineNumber, field: "name", message: "missing the HPA's name")
            }
            let key = namespace.isEmpty ? name : "\(namespace)/\(name)"
            if let hpa {
                if hpa != key && hpa != name { continue }
            } else if let firstKey, firstKey != key {
                throw InputFileError(file: file, line: lineNumber, field: "name",
                                 message: "records of \(firstKey) and \(key) are mixed; choose one with the replay's `hpa` field")
            }
            firstKey = firstKey ?? key
            guard let timeText = value["time"]?.stringValue else {
                throw InputFileError(file: file, line: lineNumber, field: "time", message: "missing (RFC 3339 timestamp expected)")
            }
            guard let date = try? Date(timeText, strategy: .iso8601) else {
                throw InputFileError(file: file, line: lineNumber, field: "time", message: "cannot read \"\(timeText)\" as an RFC 3339 timestamp")
            }
            if let previous, date < previous {
                throw InputFileError(file: file, line: lineNumber, field: "time", message: "\(timeText) is earlier than the previous record; records must be in time order")
            }
            previous = date
            let origin = start ?? date
            start = origin
            var metrics: [String: Double] = [:]
            for (index, metric) in (value["metrics"].flatMap(Self.list) ?? []).enumerated() {
                guard let metricName = metric["name"]?.stringValue ?? metric["resource"]?["name"]?.stringValue
                    ?? metric["metric"]?["name"]?.stringValue else {
                    throw InputFileError(file: file, line: lineNumber, field: "metrics[\(index)].name", message: "missing")
                }
                guard let current = metric["current"], let observed = Self.observedValue(current) else { continue }
                metrics[metricName] = observed
            }
            records.append(DryRunRecord(
                time: date.timeIntervalSince(origin), namespace: namespace, name: name,
                currentReplicas: value["currentReplicas"].flatMap(Self.number).flatMap { $0.isFinite ? Int(exactly: $0.rounded()) : nil },
                desiredReplicas: value["desiredReplicas"].flatMap(Self.number).flatMap { $0.isFinite ? Int(exactly: $0.rounded()) : nil },
                metrics: metrics, limitedBy: value["limitedBy"]?.stringValue, observations: value["observations"]))
        }
        guard let start, !records.isEmpty else {
            throw InputFileError(file: file, message: hpa.map { "no records for HPA \($0)" } ?? "the file holds no records")
        }
        return DryRunReplay(records: records, start: start)
    }

    private static func observedValue(_ current: JSONValue) -> Double? {
        if let n = number(current) { return n }
        for key in ["averageUtilization", "averageValue", "value"] {
            if let n = current[key].flatMap(number) { return n }
        }
        return nil
    }

    /// A number, or a string holding a number or a Kubernetes quantity.
    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let n): return Double(n)
        case .double(let n): return n
        case .string(let s): return parseQuantityValue(s)
        default: return nil
        }
    }

    private static func list(_ value: JSONValue) -> [JSONValue]? {
        if case .array(let items) = value { return items }
        return nil
    }

    /// Each metric's observed values as a held series (the value stays until the next record).
    public func profile(unit: String = "") -> LoadProfile {
        var metrics: [String: [CurvePoint]] = [:]
        for record in records {
            for (name, value) in record.metrics { metrics[name, default: []].append(CurvePoint(time: record.time, value: value)) }
        }
        let curves = metrics.mapValues { LoadCurve.series(points: $0, interpolation: .hold) }
        let first = metrics.keys.sorted().first.flatMap { curves[$0] } ?? .constant(0)
        return LoadProfile(demand: first, metrics: curves, unit: unit)
    }

    /// The replica counts the controller saw, as a held series (for comparing the replay).
    public var replicaSeries: [CurvePoint] {
        records.compactMap { record in record.currentReplicas.map { CurvePoint(time: record.time, value: Double($0)) } }
    }
}

/// Reads trace files from disk. The only I/O in this module.
public enum TraceLoader {
    /// Reads a whole text file; errors name the file.
    public static func readText(_ path: String) throws(InputFileError) -> String {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputFileError(file: path, message: "no such file")
        }
        if isDirectory { throw InputFileError(file: path, message: "is a folder, not a file") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputFileError(file: path, message: "cannot read the file (permission denied or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputFileError(file: path, message: "the file is not UTF-8 text")
        }
        return text
    }

    /// Loads a CSV trace (see `CSVTrace.parse`).
    public static func csv(_ path: String) throws(InputFileError) -> CSVTrace {
        try CSVTrace.parse(try readText(path), file: path)
    }

    /// Loads dry-run JSON Lines (see `DryRunReplay.parse`).
    public static func dryRun(_ path: String, hpa: String? = nil) throws(InputFileError) -> DryRunReplay {
        try DryRunReplay.parse(try readText(path), file: path, hpa: hpa)
    }
}
