#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// `--output`: `table` (aligned columns like kubectl) or `json` (JSON Lines, one record per line).
public enum DecisionOutputFormat: String, Sendable, CaseIterable {
    case table, json
}

/// Renders decision records.
public enum DecisionOutput {
    public static let headers = ["NAMESPACE", "NAME", "REFERENCE", "TARGETS", "CURRENT", "DESIRED", "CLUSTER", "AGREE", "LIMITED-BY", "ERROR"]

    /// One JSON line (no trailing newline).
    public static func jsonLine(_ record: DecisionRecord) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(record), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }

    /// The cells of one table row.
    public static func cells(_ record: DecisionRecord) -> [String] {
        let targets = record.metrics.isEmpty ? "<none>" : record.metrics.map(metricText).joined(separator: ", ")
        return [
            record.namespace, record.name, "\(record.scaleTargetRef.kind)/\(record.scaleTargetRef.name)", targets,
            record.currentReplicas.map(String.init) ?? "<unknown>", record.decided ? String(record.desiredReplicas) : "<unknown>",
            record.clusterDesiredReplicas.map(String.init) ?? "<none>", record.agree.map { $0 ? "yes" : "no" } ?? "-", record.limitedBy,
            record.error.map { $0.count > 60 ? String($0.prefix(57)) + "..." : $0 } ?? "",
        ]
    }

    /// `cpu: 74%/50%`, `http_requests: 1500m/1k`, `<unknown>/50%` on failure.
    static func metricText(_ metric: DecisionRecord.Metric) -> String {
        let target: String
        if let utilization = metric.target?.averageUtilization { target = "\(utilization)%" }
        else if let value = metric.target?.averageValue ?? metric.target?.value { target = value.description }
        else { target = "?" }
        let current: String
        if let utilization = metric.current?.averageUtilization, metric.target?.averageUtilization != nil { current = "\(utilization)%" }
        else if let value = metric.current?.averageValue ?? metric.current?.value { current = value.description }
        else { current = "<unknown>" }
        let proposed = metric.proposedReplicas.map { " (\($0))" } ?? ""
        return "\(metric.name): \(current)/\(target)\(proposed)"
    }

    /// Rows aligned in columns separated by three spaces, as kubectl prints them.
    public static func table(_ records: [DecisionRecord], header: Bool = true) -> String {
        var rows = records.map(cells)
        if header { rows.insert(headers, at: 0) }
        return align(rows)
    }

    static func align(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 3)
            }.joined().trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
