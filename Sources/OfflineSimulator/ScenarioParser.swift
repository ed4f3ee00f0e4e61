// Reading scenario files (YAML or JSON): strict fields, durations, ordered steps, errors with
// file, field and line. The format is documented in docs/simulate.md.
import KubeAPI
import Simulation

public enum ScenarioParser {
    static let topLevelFields = ["name", "description", "duration", "initialReplicas", "hpa", "variants",
                                 "controller", "workload", "load", "metrics"]

    /// Reads and parses the scenario file at `path`. Relative file names inside it (HPA manifests,
    /// traces) are resolved against the scenario's folder.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        let text: String
        text = try TraceLoader.readText(path)
        return try parse(text, file: path, baseDirectory: directory(of: path))
    }

    /// Parses scenario text; `file` names it in errors.
    public static func parse(_ text: String, file: String, baseDirectory: String = ".") throws(ScenarioError) -> Scenario {
        let documents = try YAMLValue.documents(text, file: file)
        guard documents.count == 1, let root = documents.first else {
            throw ScenarioError(file: file, message: documents.isEmpty ? "the file is empty" : "expected one scenario document, found \(documents.count)")
        }
        let object = try root.object(allowed: topLevelFields)
        var settings = SimulationSettings()
        if let controller = object["controller"] { settings = try parseSettings(controller) }
        let context = Context(baseDirectory: baseDirectory, settings: settings)

        var variants: [ScenarioVariant] = []
        switch (object["hpa"], object["variants"]) {
        case (nil, nil):
            throw ScenarioError(file: file, line: root.line, field: "hpa", message: "required: an HPA manifest (a file name or inline), or `variants`")
        case (.some, .some):
            throw ScenarioError(file: file, line: object["variants"]?.line, field: "variants", message: "use either `hpa` or `variants`, not both")
        case (.some(let hpa), nil):
            variants = try context.manifests(hpa).map { ScenarioVariant(name: $0.hpa.metadata.name ?? "hpa", hpa: $0.hpa, source: $0.source) }
        case (nil, .some(let list)):
            for item in try list.list() {
                let entry = try item.object(allowed: ["name", "hpa"])
                let found = try context.manifests(try entry.required("hpa"))
                for (index, manifest) in found.enumerated() {
                    var name = try entry["name"]?.string() ?? manifest.hpa.metadata.name ?? "hpa"
                    if found.count > 1 { name += " #\(index + 1)" }
                    variants.append(ScenarioVariant(name: name, hpa: manifest.hpa, source: manifest.source))
                }
            }
        }
        if variants.isEmpty { throw ScenarioError(file: file, line: root.line, field: "hpa", message: "no HPA manifest found") }
        if let big = variants.first(where: { $0.hpa.spec.maxReplicas > Int32(maxPods) }) {
            throw ScenarioError(file: big.source, field: "spec.maxReplicas",
                                message: "\(big.hpa.spec.maxReplicas) pods is beyond what the simulator models (at most \(maxPods))")
        }
        variants = uniqueNames(variants)

        var workload = WorkloadModel.loginService
        var capacity: Double?
        if let value = object["workload"] { (workload, capacity) = try parseWorkload(value) }

        let loadValue = try object.required("load")
        let loadObject = try loadValue.object(allowed: ["unit"] + CurveReader.allFields)
        let unit = try loadObject["unit"]?.string() ?? ""
        let demand = try context.curve(loadValue, allowing: ["unit"])
        var profile = LoadProfile(demand: demand.curve, metrics: demand.metrics, unit: unit)
        var defaultDuration = demand.impliedDuration
        if let metrics = object["metrics"] {
            for (name, value) in try metrics.entries() {
                let curve = try context.curve(value, allowing: [])
                profile.metrics[name] = curve.curve
                if let implied = curve.impliedDuration { defaultDuration = max(defaultDuration ?? 0, implied) }
            }
        }

        let duration: SimSeconds
        if let value = object["duration"] {
            duration = try value.duration()
            if duration <= 0 { throw value.error("must be longer than zero") }
            if duration > maxDuration { throw value.error("must be at most a year (366 days)") }
        } else if let implied = defaultDuration {
            guard implied > 0, implied <= maxDuration else {
                throw ScenarioError(file: file, line: root.line, field: "duration", message: "the load implies \(formatDuration(implied)); set a duration between 1s and 366 days")
            }
            duration = implied
        } else {
            throw ScenarioError(file: file, line: root.line, field: "duration", message: "required for this load (e.g. 30m, 24h)")
        }
        if duration / settings.syncPeriod > 10_000_000 {
            throw ScenarioError(file: file, line: object["duration"]?.line, field: "duration", message: "more than 10 million sync periods; shorten it or raise controller.syncPeriod")
        }

        let initialReplicas: Int
        if let value = object["initialReplicas"] {
            initialReplicas = try value.integer()
            if initialReplicas < 0 || initialReplicas > Int(Int32.max) { throw value.error("must be between 0 and 2147483647") }
        } else {
            initialReplicas = Int(variants[0].hpa.spec.minReplicas ?? 1)
        }
        if initialReplicas > maxPods {
            throw ScenarioError(file: file, line: object["initialReplicas"]?.line, field: "initialReplicas", message: "more than 100,000 pods is beyond what the simulator models")
        }
        return Scenario(name: try object["name"]?.string() ?? variants[0].name, file: file, variants: variants,
                        initialReplicas: initialReplicas, duration: duration, settings: settings, workload: workload,
                        load: profile, capacityPerPod: capacity, clockAxis: demand.isDaily, exactReplay: demand.exactReplay)
    }

    /// The largest pod count the simulator models (per variant).
    static let maxPods = 100_000
    /// The longest scenario, and the longest single duration field.
    static let maxDuration: SimSeconds = 366 * 86_400

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[path.startIndex..<slash])
        return dir.isEmpty ? "/" : dir
    }

    private static func uniqueNames(_ variants: [ScenarioVariant]) -> [ScenarioVariant] {
        var seen: [String: Int] = [:]
        return variants.map { variant in
            var copy = variant
            let count = seen[variant.name, default: 0] + 1
            seen[variant.name] = count
            if count > 1 { copy.name += " (\(count))" }
            return copy
        }
    }

    static func parseSettings(_ value: YAMLValue) throws(ScenarioError) -> SimulationSettings {
        let object = try value.object(allowed: ["syncPeriod", "tolerance", "downscaleStabilization", "cpuInitializationPeriod",
                                                "initialReadinessDelay", "featureGates"])
        var settings = SimulationSettings()
        if let v = object["syncPeriod"] {
            settings.syncPeriod = try v.duration()
            if settings.syncPeriod <= 0 || settings.syncPeriod > 86_400 { throw v.error("must be longer than zero and at most a day") }
        }
        if let v = object["tolerance"] {
            settings.tolerance = try v.number()
            if settings.tolerance < 0 { throw v.error("must not be negative") }
        }
        if let v = object["downscaleStabilization"] { settings.downscaleStabilization = try v.duration() }
        if let v = object["cpuInitializationPeriod"] { settings.cpuInitializationPeriod = try v.duration() }
        if let v = object["initialReadinessDelay"] { settings.initialReadinessDelay = try v.duration() }
        if let gates = object["featureGates"] {
            for (name, flag) in try gates.entries() {
                guard knownFeatureGates.contains(name) else {
                    throw flag.error("unknown feature gate; known: \(knownFeatureGates.joined(separator: ", "))")
                }
                settings.featureGates[name] = try flag.bool()
            }
        }
        return settings
    }

    static let knownFeatureGates = ["HPAScaleToZero", "HPAConfigurableTolerance", "HPAGeneration", "PodLevelResources"]

    static func parseWorkload(_ value: YAMLValue) throws(ScenarioError) -> (WorkloadModel, Double?) {
        let object = try value.object(allowed: ["startupDelay", "readinessDelay", "cpuBurst", "requests", "cpuIdle", "cpuPerUnit",
                                                "memoryIdle", "memoryPerUnit", "metricsWindow", "capacityPerPod"])
        var model = WorkloadModel.loginService
        if let v = object["startupDelay"] { model.startupDelay = try v.duration() }
        if let v = object["readinessDelay"] { model.readinessDelay = try v.duration() }
        if let v = object["metricsWindow"] { model.metricsWindow = try v.duration() }
        if let v = object["cpuBurst"] {
            let burst = try v.object(allowed: ["factor", "duration"])
            if let f = burst["factor"] {
                model.cpuBurstFactor = try f.number()
                if model.cpuBurstFactor < 0 { throw f.error("must not be negative") }
            }
            if let d = burst["duration"] { model.cpuBurstDuration = try d.duration() }
        }
        if let v = object["requests"] {
            let requests = try v.object(allowed: ["cpu", "memory"])
            if let cpu = requests["cpu"] {
                let cores = try cpu.number()
                guard cores > 0 else { throw cpu.error("must be greater than zero") }
                model.cpuRequestMilli = Workload.milli(cores * 1000)
            }
            if let memory = requests["memory"] {
                let bytes = try memory.number()
                guard bytes >= 0 else { throw memory.error("must not be negative") }
                model.memoryRequestBytes = Workload.milli(bytes)
            }
        }
        if let v = object["cpuIdle"] { model.cpuIdleMilli = try nonNegative(v, scale: 1000) }
        if let v = object["cpuPerUnit"] { model.cpuMilliPerUnit = try perUnit(v) * 1000 }
        if let v = object["memoryIdle"] { model.memoryIdleBytes = try nonNegative(v, scale: 1) }
        if let v = object["memoryPerUnit"] { model.memoryBytesPerUnit = try perUnit(v) }
        var capacity: Double?
        if let v = object["capacityPerPod"] {
            capacity = try v.number()
            if !(capacity ?? 0 > 0) { throw v.error("must be greater than zero") }
        }
        if let problem = model.problems().first {
            throw ScenarioError(file: value.file, line: value.line, field: "workload.\(problem.field)", message: problem.message)
        }
        return (model, capacity)
    }

    private static func nonNegative(_ value: YAMLValue, scale: Double) throws(ScenarioError) -> Double {
        let number = try value.number()
        guard number >= 0 else { throw value.error("must not be negative") }
        return number * scale
    }

    /// `50m/1000` (50 millicores per 1,000 units) or a plain quantity per unit (`0.05m`).
    private static func perUnit(_ value: YAMLValue) throws(ScenarioError) -> Double {
        let text = try value.string()
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let amount = parseQuantityValue(String(parts[0])), amount >= 0 else {
            throw value.error("cannot read \"\(text)\" as an amount per load unit (e.g. 50m/1000 or 0.05m)")
        }
        if parts.count == 2 {
            guard let units = parseQuantityValue(String(parts[1])), units > 0 else {
                throw value.error("the divisor in \"\(text)\" must be a number greater than zero")
            }
            return amount / units
        }
        return amount
    }

    /// Resolves file names and reads the files a scenario refers to.
    struct Context {
        var baseDirectory: String
        var settings: SimulationSettings

        func resolve(_ path: String) -> String {
            path.hasPrefix("/") || baseDirectory == "." ? path : "\(baseDirectory)/\(path)"
        }

        /// `hpa:` is a file name (one or several manifests) or an inline manifest.
        func manifests(_ value: YAMLValue) throws(ScenarioError) -> [(hpa: HorizontalPodAutoscaler, source: String)] {
            if case .mapping = value.node {
                return [(try HPAManifest.read(value, settings: settings), "\(value.file):\(value.line ?? 0)")]
            }
            let path = resolve(try value.string())
            let text: String
            do { text = try TraceLoader.readText(path) } catch {
                throw ScenarioError(file: value.file, line: value.line, field: value.path, message: "cannot read the HPA manifest \(path)")
            }
            var result: [(HorizontalPodAutoscaler, String)] = []
            for document in try YAMLValue.documents(text, file: path) where !document.isNull {
                result.append((try HPAManifest.read(document, settings: settings), "\(path):\(document.line ?? 0)"))
            }
            if result.isEmpty { throw ScenarioError(file: path, message: "no HPA manifest in the file") }
            return result
        }

        func curve(_ value: YAMLValue, allowing extra: [String]) throws(ScenarioError) -> CurveReader.Result {
            try CurveReader(context: self).read(value, extraFields: extra)
        }
    }
}
