import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation
import OfflineSimulator

/// `hpa-controller simulate SCENARIO`: the what-if tool. Flags only; the work is in OfflineSimulator.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay a load against one or more HPA manifests offline, with the real decision core.",
        discussion: """
        SCENARIO is a YAML or JSON file naming the HPA manifest(s), the workload, the load and the \
        controller settings (see docs/simulate.md). Prints the step table (time, load, metric vs \
        target, desired, replicas, ready, limiting reason) and a summary per variant.
        """
    )

    @Argument(help: "The scenario file (YAML or JSON).")
    var scenario: String

    @Option(name: .shortAndLong, help: "Output format: table, json or csv.")
    var output: String = "table"

    @Option(help: ArgumentHelp("Also write an SVG chart of load and replicas to this file.", valueName: "FILE"))
    var chart: String?

    @Flag(help: "Only print steps where something changed (rescale, desired count, reason, error), plus first and last.")
    var changesOnly = false

    @Option(help: ArgumentHelp("Override the scenario's controller.syncPeriod (e.g. 15s).", valueName: "DURATION"))
    var syncPeriod: String?

    @Option(help: "Override the scenario's controller.tolerance (e.g. 0.1).")
    var tolerance: Double?

    @Option(help: ArgumentHelp("Override controller.downscaleStabilization (e.g. 5m).", valueName: "DURATION"))
    var downscaleStabilization: String?

    @Option(help: ArgumentHelp("Override controller.cpuInitializationPeriod (e.g. 5m).", valueName: "DURATION"))
    var cpuInitializationPeriod: String?

    @Option(help: ArgumentHelp("Override controller.initialReadinessDelay (e.g. 30s).", valueName: "DURATION"))
    var initialReadinessDelay: String?

    @Option(help: ArgumentHelp("Override the scenario's duration (e.g. 2h).", valueName: "DURATION"))
    var duration: String?

    func validate() throws {
        if OutputFormat(rawValue: output) == nil {
            throw ValidationError("--output must be table, json or csv (got \(output))")
        }
    }

    func run() throws {
        guard let format = OutputFormat(rawValue: output) else {
            throw ValidationError("--output must be table, json or csv (got \(output))")
        }
        var job = SimulationJob(scenarioPath: scenario)
        job.format = format
        job.chartPath = chart
        job.changesOnly = changesOnly
        job.overrides.syncPeriod = syncPeriod
        job.overrides.tolerance = tolerance
        job.overrides.downscaleStabilization = downscaleStabilization
        job.overrides.cpuInitializationPeriod = cpuInitializationPeriod
        job.overrides.initialReadinessDelay = initialReadinessDelay
        job.overrides.duration = duration
        do {
            print(try job.execute(), terminator: "")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
