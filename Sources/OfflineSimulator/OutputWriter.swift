// The step table and summary as text, JSON or CSV.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Simulation

/// The output formats of `simulate --output`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, csv
}

public enum OutputWriter {
    /// Renders `result`. With `changesOnly`, the table and CSV keep only the steps where something
    /// changed: the controller rescaled, or its desired count, limiting reason or error differ from
    /// the step before (the first and last steps always stay).
    public static func render(_ result: SimulationResult, format: OutputFormat, changesOnly: Bool = false) -> String {
        switch format {
        case .table: return table(result, changesOnly: changesOnly)
        case .csv: return csv(result, changesOnly: changesOnly)
        case .json: return json(result)
        }
    }

    static func keep(_ rows: [StepRow], changesOnly: Bool) -> [StepRow] {
        guard changesOnly else { return rows }
        return rows.enumerated().filter { index, row in
            guard index > 0, index < rows.count - 1 else { return true }
            let previous = rows[index - 1]
            return row.rescaled || row.desiredReplicas != previous.desiredReplicas || row.limitedBy != previous.limitedBy
                || row.error != previous.error
        }.map(\.element)
    }

    static func table(_ result: SimulationResult, changesOnly: Bool) -> String {
        let clock = result.scenario.clockAxis
        let unit = result.scenario.load.unit
        var text = ""
        for run in result.runs {
            text += "== \(run.name) ==\n"
            let replayed = run.rows.contains { $0.recordedDesiredReplicas != nil }
            let rows = keep(run.rows, changesOnly: changesOnly).map { row -> [String] in
                var cells = [Format.time(row.time, clock: clock), Format.short(row.load),
                             row.metrics.isEmpty ? "-" : row.metrics.map(Format.reading).joined(separator: ", "),
                             String(row.desiredReplicas)]
                if replayed { cells.append(row.recordedDesiredReplicas.map(String.init) ?? "-") }
                cells += [String(row.replicas), String(row.readyReplicas), row.error.map { "\(row.limitedBy): \($0)" } ?? row.limitedBy]
                return cells
            }
            var header = ["TIME", unit.isEmpty ? "LOAD" : "LOAD (\(unit))", "METRIC (CURRENT/TARGET)", "DESIRED"]
            if replayed { header.append("RECORDED") }
            header += ["REPLICAS", "READY", "LIMITED BY"]
            text += Format.table(header, rows)
            if replayed {
                let compared = run.rows.filter { $0.recordedDesiredReplicas != nil }
                let agreeing = compared.filter { $0.recordedDesiredReplicas == $0.desiredReplicas }.count
                text += "replay: \(agreeing) of \(compared.count) decisions match the recorded desiredReplicas\n"
            }
            text += "\n"
        }
        text += summaryTable(result)
        return text
    }

    /// The per-variant summary as a table (also printed under the chart's file name).
    public static func summaryTable(_ result: SimulationResult) -> String {
        let rows = result.runs.map { run -> [String] in
            let s = run.summary
            return [run.name,
                    s.underProvisionedPodSeconds.map { Format.number($0, decimals: 0) } ?? "n/a",
                    s.overProvisionedPodSeconds.map { Format.number($0, decimals: 0) } ?? "n/a",
                    "\(s.scaleEvents) (\(s.scaleUpEvents) up, \(s.scaleDownEvents) down)",
                    String(s.peakReplicas), Format.number(s.meanReplicas, decimals: 2),
                    s.timesToCapacity.isEmpty ? "-" : "max \(formatDuration(s.maxTimeToCapacity ?? 0)), mean \(formatDuration(s.meanTimeToCapacity ?? 0)) over \(s.timesToCapacity.count)"
                        + (s.openShortfalls > 0 ? " (+1 open)" : "")]
        }
        return "SUMMARY\n" + Format.table(["VARIANT", "UNDER (POD·S)", "OVER (POD·S)", "SCALE EVENTS", "PEAK", "MEAN", "TIME TO CAPACITY"], rows)
    }

    static func csv(_ result: SimulationResult, changesOnly: Bool) -> String {
        var lines = ["variant,time_seconds,load,metric,current,target,unit,desired_replicas,replicas,ready_replicas,limited_by,rescaled,error,recorded_desired_replicas,all_metrics"]
        for run in result.runs {
            for row in keep(run.rows, changesOnly: changesOnly) {
                let metric = row.metrics.first
                let cells = [run.name, Format.number(row.time, decimals: 3), Format.number(row.load, decimals: 3),
                             metric?.name ?? "", metric?.current.map { Format.number($0, decimals: 3) } ?? "",
                             metric.map { Format.number($0.target, decimals: 3) } ?? "", metric?.unit ?? "",
                             String(row.desiredReplicas), String(row.replicas), String(row.readyReplicas), row.limitedBy,
                             row.rescaled ? "true" : "false", row.error ?? "", row.recordedDesiredReplicas.map(String.init) ?? "",
                             row.metrics.map(Format.reading).joined(separator: "; ")]
                lines.append(cells.map(Format.csv).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct JSONStep: Encodable {
        var time: Double
        var load: Double
        var metrics: [MetricReading]
        var desiredReplicas: Int
        var replicas: Int
        var readyReplicas: Int
        var limitedBy: String
        var rescaled: Bool
        var error: String?
        var recordedDesiredReplicas: Int?
    }
    struct JSONVariant: Encodable {
        var name: String
        var steps: [JSONStep]
        var summary: VariantSummary
    }
    struct JSONDocument: Encodable {
        var scenario: String
        var syncPeriodSeconds: Double
        var durationSeconds: Double
        var loadUnit: String
        var variants: [JSONVariant]
    }

    static func json(_ result: SimulationResult) -> String {
        let document = JSONDocument(
            scenario: result.scenario.name, syncPeriodSeconds: result.scenario.settings.syncPeriod,
            durationSeconds: result.scenario.duration, loadUnit: result.scenario.load.unit,
            variants: result.runs.map { run in
                JSONVariant(name: run.name, steps: run.rows.map {
                    JSONStep(time: $0.time, load: $0.load, metrics: $0.metrics, desiredReplicas: $0.desiredReplicas,
                             replicas: $0.replicas, readyReplicas: $0.readyReplicas, limitedBy: $0.limitedBy,
                             rescaled: $0.rescaled, error: $0.error, recordedDesiredReplicas: $0.recordedDesiredReplicas)
                }, summary: run.summary)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(document), let text = String(data: data, encoding: .utf8) else {
            return "{\"error\":\"the result could not be encoded as JSON\"}\n"
        }
        return text + "\n"
    }
}
