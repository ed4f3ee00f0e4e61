// The per-variant figures: provisioning against demand, scale events, replicas, time to capacity.
import KubeAPI
import Simulation

/// The figures of one variant's run.
public struct VariantSummary: Sendable, Hashable, Codable {
    /// ∫ max(0, demand in pods − ready pods) dt: pod-seconds of demand without a ready pod to serve
    /// it at the target. nil when the demand cannot be expressed in pods (see `DemandYardstick`).
    public var underProvisionedPodSeconds: Double?
    /// ∫ max(0, existing pods − demand in pods) dt: pod-seconds paid for beyond the demand.
    public var overProvisionedPodSeconds: Double?
    public var scaleUpEvents: Int
    public var scaleDownEvents: Int
    /// Highest `spec.replicas` during the run.
    public var peakReplicas: Int
    /// Time-weighted mean of `spec.replicas`.
    public var meanReplicas: Double
    /// For each time the ready pods fell short of what the demand needs (see
    /// `SummaryAccumulator`), seconds until they caught up, in order.
    public var timesToCapacity: [Double]
    /// Shortfalls still open when the run ended (e.g. demand above maxReplicas).
    public var openShortfalls: Int

    public var scaleEvents: Int { scaleUpEvents + scaleDownEvents }
    public var maxTimeToCapacity: Double? { timesToCapacity.max() }
    public var meanTimeToCapacity: Double? {
        timesToCapacity.isEmpty ? nil : timesToCapacity.reduce(0, +) / Double(timesToCapacity.count)
    }
}

/// Turns the demand into "pods needed at the HPA's target", from the HPA's first metric.
///
/// - With `workload.capacityPerPod` set: demand ÷ capacity.
/// - Resource cpu/memory following the demand: the pods whose steady usage (idle plus share) sits
///   exactly at the target: demand × perUnit ÷ (target per pod − idle).
/// - Pods metrics following the demand, External/Object `AverageValue`: value ÷ target.
/// - Metrics with an observed curve of their own (Resource, Pods): observed ÷ target × ready pods.
/// - Object/External `Value` targets: not expressible; the provisioning figures are nil.
struct DemandYardstick {
    private enum Rule {
        case perPod(Double)                       // demand ÷ capacity
        case usage(perUnit: Double, headroom: Double) // demand × perUnit ÷ headroom
        case metricAverage(name: String, target: Double)   // metric value ÷ target
        case observedRatio(name: String, target: Double)   // metric value ÷ target × ready
        case none
    }
    private let rule: Rule
    private let load: LoadProfile

    init(scenario: Scenario, hpa: HorizontalPodAutoscaler) {
        load = scenario.load
        if let capacity = scenario.capacityPerPod {
            rule = .perPod(capacity)
            return
        }
        guard let metric = hpa.spec.metrics?.first else { rule = .none; return }
        let model = scenario.workload
        switch metric.sourceType {
        case .resource?, .containerResource?:
            let name = metric.resource?.name ?? metric.containerResource?.name ?? ""
            guard let target = metric.resource?.target ?? metric.containerResource?.target else { rule = .none; return }
            let request = name == "cpu" ? Double(model.cpuRequestMilli) : Double(model.memoryRequestBytes)
            if load.hasCurve(forMetric: name) {
                let goal = target.averageValue.map { $0.approximateDouble } ?? Double(target.averageUtilization ?? 0)
                rule = goal > 0 ? .observedRatio(name: name, target: goal) : .none
                return
            }
            let perPod: Double
            if let value = target.averageValue {
                perPod = name == "cpu" ? Double(value.milliValue) : value.approximateDouble
            } else {
                perPod = request * Double(target.averageUtilization ?? 0) / 100
            }
            let (idle, perUnit) = name == "cpu" ? (model.cpuIdleMilli, model.cpuMilliPerUnit)
                : name == "memory" ? (model.memoryIdleBytes, model.memoryBytesPerUnit) : (0, 0)
            rule = perUnit > 0 && perPod > idle ? .usage(perUnit: perUnit, headroom: perPod - idle) : .none
        case .pods?:
            guard let pods = metric.pods, let target = pods.target.averageValue?.approximateDouble, target > 0 else { rule = .none; return }
            rule = load.hasCurve(forMetric: pods.metric.name) ? .observedRatio(name: pods.metric.name, target: target)
                : .perPod(target)
        case .external?:
            guard let source = metric.external, let target = source.target.averageValue?.approximateDouble, target > 0 else { rule = .none; return }
            rule = .metricAverage(name: source.metric.name, target: target)
        case .object?:
            guard let source = metric.object, source.target.type == "AverageValue",
                  let target = source.target.averageValue?.approximateDouble, target > 0 else { rule = .none; return }
            rule = .metricAverage(name: source.metric.name, target: target)
        case nil:
            rule = .none
        }
    }

    var isMeasurable: Bool { if case .none = rule { return false } else { return true } }

    /// Pods needed at `t` (fractional), or nil when not measurable.
    func demandPods(at t: SimSeconds, ready: Int) -> Double? {
        switch rule {
        case .perPod(let capacity): return max(0, load.demand(at: t)) / capacity
        case .usage(let perUnit, let headroom): return max(0, load.demand(at: t)) * perUnit / headroom
        case .metricAverage(let name, let target): return max(0, load.value(ofMetric: name, at: t)) / target
        case .observedRatio(let name, let target): return max(0, load.value(ofMetric: name, at: t)) / target * Double(ready)
        case .none: return nil
        }
    }
}

/// Accumulates the summary while the loop runs.
///
/// A shortfall starts when the ready pods drop below what the demand needs — the smallest count
/// the HPA would accept as within tolerance, `ceil(demandPods ÷ (1 + tolerance))`, capped at
/// `maxReplicas` — and ends when they reach it again; its length is one "time to capacity".
struct SummaryAccumulator {
    let maxReplicas: Int
    let tolerance: Double
    let measurable: Bool
    private var under: Double = 0
    private var over: Double = 0
    private var ups = 0
    private var downs = 0
    private var peak = 0
    private var replicaSeconds: Double = 0
    private var elapsed: Double = 0
    private var shortfallSince: SimSeconds?
    private var times: [Double] = []

    init(maxReplicas: Int, tolerance: Double, measurable: Bool) {
        self.maxReplicas = maxReplicas
        self.tolerance = tolerance
        self.measurable = measurable
    }

    mutating func recordScale(from old: Int, to new: Int) {
        if new > old { ups += 1 } else if new < old { downs += 1 }
    }

    mutating func add(time: SimSeconds, width: SimSeconds, ready: Int, existing: Int, specReplicas: Int, demandPods: Double?) {
        peak = max(peak, specReplicas)
        replicaSeconds += Double(specReplicas) * width
        elapsed += width
        guard let demand = demandPods else { return }
        under += max(0, demand - Double(ready)) * width
        over += max(0, Double(existing) - demand) * width
        let neededPods = min(Double(maxReplicas), max(0, (demand / (1 + tolerance) - 1e-9).rounded(.up)))
        let needed = neededPods.isFinite ? Int(neededPods) : maxReplicas
        if ready < needed {
            if shortfallSince == nil { shortfallSince = time }
        } else if let since = shortfallSince {
            times.append(time - since)
            shortfallSince = nil
        }
    }

    func finish(at end: SimSeconds) -> VariantSummary {
        VariantSummary(underProvisionedPodSeconds: measurable ? under : nil, overProvisionedPodSeconds: measurable ? over : nil,
                       scaleUpEvents: ups, scaleDownEvents: downs, peakReplicas: peak,
                       meanReplicas: elapsed > 0 ? replicaSeconds / elapsed : 0, timesToCapacity: times,
                       openShortfalls: shortfallSince == nil ? 0 : 1)
    }
}
