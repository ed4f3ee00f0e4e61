// Reading one load curve of a scenario: `type` plus that type's fields.
import Simulation

struct CurveReader {
    let context: ScenarioParser.Context

    struct Result {
        var curve: LoadCurve
        /// Per-metric curves a CSV trace or a dry-run replay brought along.
        var metrics: [String: LoadCurve] = [:]
        /// A duration the curve implies (a day for daily patterns, the last sample of a trace).
        var impliedDuration: SimSeconds?
        var isDaily = false
        var exactReplay: DryRunReplay?
    }

    static let fieldsByType: [String: [String]] = [
        "constant": ["value"],
        "step": ["initial", "steps"],
        "ramp": ["from", "to", "start", "duration"],
        "sine": ["base", "amplitude", "period", "phase"],
        "spike": ["base", "peak", "at", "rise", "hold", "fall"],
        "daily": ["points"],
        "csv": ["file", "interpolation"],
        "replay": ["file", "hpa", "exact"],
    ]
    static let allFields = ["type"] + Array(Set(fieldsByType.values.flatMap { $0 })).sorted()

    func read(_ value: YAMLValue, extraFields: [String]) throws(ScenarioError) -> Result {
        let loose = try value.object(allowed: extraFields + Self.allFields)
        let typeValue = try loose.required("type")
        let type = try typeValue.string()
        guard let fields = Self.fieldsByType[type] else {
            throw typeValue.error("unknown load type \"\(type)\"; known: \(Self.fieldsByType.keys.sorted().joined(separator: ", "))")
        }
        let object = try value.object(allowed: extraFields + ["type"] + fields)
        func number(_ key: String, default fallback: Double? = nil) throws(ScenarioError) -> Double {
            if let v = object[key] { return try v.number() }
            if let fallback { return fallback }
            return try object.required(key).number()
        }
        func duration(_ key: String, default fallback: Double? = nil) throws(ScenarioError) -> Double {
            if let v = object[key] { return try v.duration() }
            if let fallback { return fallback }
            return try object.required(key).duration()
        }
        var result: Result
        switch type {
        case "constant":
            result = Result(curve: .constant(try number("value")))
        case "step":
            var steps: [CurvePoint] = []
            for item in try object.required("steps").list() {
                let step = try item.object(allowed: ["at", "value"])
                let at = try step.required("at")
                let time = try at.duration()
                if let last = steps.last, time <= last.time {
                    throw at.error("\(formatDuration(time)) is not later than the previous step (\(formatDuration(last.time))); steps must be in time order")
                }
                steps.append(CurvePoint(time: time, value: try step.required("value").number()))
            }
            result = Result(curve: .steps(initial: try number("initial"), steps: steps))
        case "ramp":
            result = Result(curve: .ramp(from: try number("from"), to: try number("to"), start: try duration("start", default: 0),
                                         duration: try duration("duration")))
        case "sine":
            result = Result(curve: .sine(base: try number("base"), amplitude: try number("amplitude"),
                                         period: try duration("period"), phase: try duration("phase", default: 0)))
            if let period = object["period"], case .sine(_, _, let p, _) = result.curve, p <= 0 { throw period.error("must be longer than zero") }
        case "spike":
            result = Result(curve: .spike(base: try number("base"), peak: try number("peak"), at: try duration("at"),
                                          rise: try duration("rise", default: 60), hold: try duration("hold", default: 300),
                                          fall: try duration("fall", default: 60)))
        case "daily":
            var points: [CurvePoint] = []
            for item in try object.required("points").list() {
                let point = try item.object(allowed: ["at", "value"])
                let at = try point.required("at")
                let time = try at.timeOfDay()
                if time >= LoadCurve.day { throw at.error("must be a time of day before 24:00") }
                if let last = points.last, time <= last.time {
                    throw at.error("\(formatClock(time)) is not later than the previous point (\(formatClock(last.time))); points must be in time order")
                }
                points.append(CurvePoint(time: time, value: try point.required("value").number()))
            }
            if points.isEmpty { throw object.value.error("needs at least one point", field: "\(object.value.path).points") }
            result = Result(curve: .daily(points: points), impliedDuration: LoadCurve.day, isDaily: true)
        case "csv":
            let file = try object.required("file")
            let interpolation = try self.interpolation(object["interpolation"])
            let trace: CSVTrace
            let path = context.resolve(try file.string())
            trace = try TraceLoader.csv(path)
            let profile = trace.profile(interpolation: interpolation)
            let last = trace.columns.values.compactMap { $0.last?.time }.max()
            result = Result(curve: profile.demand, metrics: profile.metrics, impliedDuration: last)
        default: // "replay"
            let file = try object.required("file")
            let replay: DryRunReplay
            let path = context.resolve(try file.string())
            let hpa = try object["hpa"]?.string()
            replay = try TraceLoader.dryRun(path, hpa: hpa)
            let profile = replay.profile()
            result = Result(curve: profile.demand, metrics: profile.metrics, impliedDuration: replay.records.last.map { $0.time + 1 })
            if let exact = object["exact"], try exact.bool() {
                if let index = replay.records.firstIndex(where: { $0.observations == nil }) {
                    throw exact.error("record \(index + 1) of \(path) has no `observations` to replay exactly")
                }
                result.exactReplay = replay
            }
        }
        if let problem = result.curve.problems().first {
            throw value.error(problem.message, field: "\(value.path).\(problem.field)")
        }
        return result
    }

    private func interpolation(_ value: YAMLValue?) throws(ScenarioError) -> Interpolation {
        guard let value else { return .hold }
        let text = try value.string()
        guard let mode = Interpolation(rawValue: text) else { throw value.error("must be hold or linear") }
        return mode
    }
}
