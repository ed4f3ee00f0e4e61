// One `simulate` invocation: load, override, run, write the chart, render the output. The command
// maps flags onto this; tests drive it directly.
import Simulation

public struct SimulationJob: Sendable {
    /// Settings given on the command line; nil = keep the scenario's.
    public struct Overrides: Sendable {
        public var syncPeriod: String?
        public var tolerance: Double?
        public var downscaleStabilization: String?
        public var cpuInitializationPeriod: String?
        public var initialReadinessDelay: String?
        public var duration: String?
        public init() {}
    }

    public var scenarioPath: String
    public var format: OutputFormat = .table
    public var chartPath: String?
    public var changesOnly = false
    public var overrides = Overrides()
    public var makeDecider: DeciderFactory = CoreDecider.make

    public init(scenarioPath: String) { self.scenarioPath = scenarioPath }

    /// Runs the job and returns what to print. The chart is written only after every variant ran,
    /// atomically, so an error never leaves a partial (or any new) chart behind.
    public func execute() throws(ScenarioError) -> String {
        var scenario = try ScenarioParser.load(path: scenarioPath)
        try apply(overrides, to: &scenario)
        let result = try Simulator(scenario: scenario, makeDecider: makeDecider).run()
        if let chartPath {
            try FileOutput.write(SVGChart.render(result), to: chartPath)
        }
        return OutputWriter.render(result, format: format, changesOnly: changesOnly)
    }

    func apply(_ overrides: Overrides, to scenario: inout Scenario) throws(ScenarioError) {
        func seconds(_ text: String?, _ flag: String) throws(ScenarioError) -> Double? {
            guard let text else { return nil }
            guard let value = parseDuration(text) else {
                throw ScenarioError(file: "", field: flag, message: "cannot read \"\(text)\" as a duration (use e.g. 15s, 5m)")
            }
            return value
        }
        if let value = try seconds(overrides.syncPeriod, "--sync-period") {
            guard value > 0, value <= 86_400 else { throw ScenarioError(file: "", field: "--sync-period", message: "must be longer than zero and at most a day") }
            scenario.settings.syncPeriod = value
        }
        if let tolerance = overrides.tolerance {
            guard tolerance >= 0, tolerance.isFinite else { throw ScenarioError(file: "", field: "--tolerance", message: "must not be negative") }
            scenario.settings.tolerance = tolerance
        }
        if let value = try seconds(overrides.downscaleStabilization, "--downscale-stabilization") { scenario.settings.downscaleStabilization = value }
        if let value = try seconds(overrides.cpuInitializationPeriod, "--cpu-initialization-period") { scenario.settings.cpuInitializationPeriod = value }
        if let value = try seconds(overrides.initialReadinessDelay, "--initial-readiness-delay") { scenario.settings.initialReadinessDelay = value }
        if let value = try seconds(overrides.duration, "--duration") {
            guard value > 0, value <= ScenarioParser.maxDuration else {
                throw ScenarioError(file: "", field: "--duration", message: "must be longer than zero and at most 366 days")
            }
            scenario.duration = value
        }
        if scenario.duration / scenario.settings.syncPeriod > 10_000_000 {
            throw ScenarioError(file: "", field: "--duration", message: "more than 10 million sync periods; shorten the duration or raise the sync period")
        }
    }
}
