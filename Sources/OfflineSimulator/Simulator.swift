// The step loop: for each variant, observe the simulated workload, ask the decision core, apply its
// decision, advance one sync period; collect the step table and the summary figures.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI
import Simulation

/// One sync of one variant.
public struct StepRow: Sendable, Hashable {
    /// Seconds since the start.
    public var time: SimSeconds
    /// The demand at `time`, in the load's unit.
    public var load: Double
    public var metrics: [MetricReading]
    /// What the controller wanted after stabilization, policies and bounds.
    public var desiredReplicas: Int
    /// The scale's replicas after this step (changed only when the controller rescaled).
    public var replicas: Int
    /// Pods ready at `time` (the capacity serving the demand).
    public var readyReplicas: Int
    /// Upstream's reason string for what limited the step (see `StepDecision.limitedBy`).
    public var limitedBy: String
    public var rescaled: Bool
    public var error: String?
    /// Exact replay: the desired count the recorded controller decided at this step.
    public var recordedDesiredReplicas: Int? = nil
}

/// The run of one variant.
public struct VariantRun: Sendable {
    public var name: String
    public var hpa: HorizontalPodAutoscaler
    public var rows: [StepRow]
    public var summary: VariantSummary
}

/// The run of a whole scenario.
public struct SimulationResult: Sendable {
    public var scenario: Scenario
    public var runs: [VariantRun]
}

/// Runs scenarios. `makeDecider` defaults to the real decision core (`CoreDecider`); tests may
/// pass a scripted decider to check the loop itself.
public struct Simulator: Sendable {
    public var scenario: Scenario
    public var makeDecider: DeciderFactory
    /// Resolution of the summary's integrals, seconds (capped at the sync period).
    public var integrationStep: SimSeconds = 1

    public init(scenario: Scenario, makeDecider: @escaping DeciderFactory = CoreDecider.make) {
        self.scenario = scenario
        self.makeDecider = makeDecider
    }

    public func run() throws(ScenarioError) -> SimulationResult {
        var runs: [VariantRun] = []
        for variant in scenario.variants {
            runs.append(try run(variant))
        }
        return SimulationResult(scenario: scenario, runs: runs)
    }

    /// Runs one variant from the scenario's start to its end.
    public func run(_ variant: ScenarioVariant) throws(ScenarioError) -> VariantRun {
        if let replay = scenario.exactReplay { return try replayExactly(variant, replay) }
        var decider = try makeDecider(variant, scenario.settings)
        let hpa = variant.hpa
        let period = hpa.spec.syncPeriodSeconds.map { SimSeconds(max(1, $0)) } ?? scenario.settings.syncPeriod
        let prefix = hpa.spec.scaleTargetRef.name.isEmpty ? "pod" : hpa.spec.scaleTargetRef.name
        var workload = Workload(model: scenario.workload, podNamePrefix: prefix, replicas: scenario.initialReplicas)
        let pipeline = MetricsPipeline(load: scenario.load, epoch: ManualClock.defaultEpoch,
                                       selector: ["app": hpa.spec.scaleTargetRef.name])
        let yardstick = DemandYardstick(scenario: scenario, hpa: hpa)
        var accumulator = SummaryAccumulator(maxReplicas: Int(hpa.spec.maxReplicas), tolerance: scenario.settings.tolerance,
                                             measurable: yardstick.isMeasurable)
        let steps = scenario.duration / period
        guard period.isFinite, period > 0, steps.isFinite, steps <= 10_000_000 else {
            throw ScenarioError(file: scenario.file, field: "controller.syncPeriod",
                                message: "a sync period of \(period) s over \(scenario.duration) s is not a usable step (at most 10 million steps)")
        }
        var rows: [StepRow] = []
        rows.reserveCapacity(Int(steps) + 1)
        let dt = min(integrationStep, period)
        var t: SimSeconds = 0
        var stepIndex = 0
        while t < scenario.duration {
            let observation = pipeline.observe(hpa: hpa, workload: workload, at: t)
            let decision = decider.decide(observation)
            let before = workload.specReplicas
            if decision.rescale && decision.desiredReplicas != before {
                workload.scale(to: decision.desiredReplicas, at: t)
                accumulator.recordScale(from: before, to: workload.specReplicas)
            }
            rows.append(StepRow(time: t, load: scenario.load.demand(at: t), metrics: decision.metrics,
                                desiredReplicas: decision.desiredReplicas, replicas: workload.specReplicas,
                                readyReplicas: workload.readyCount(at: t), limitedBy: decision.limitedBy,
                                rescaled: decision.rescale && workload.specReplicas != before, error: decision.error))
            // Integrate the figures over this sync period, pods fixed until the next decision.
            stepIndex += 1
            let next = min(scenario.duration, Double(stepIndex) * period)
            var s = t
            while s < next {
                let width = min(dt, next - s)
                let ready = workload.readyCount(at: s)
                accumulator.add(time: s, width: width, ready: ready, existing: workload.statusReplicas,
                                specReplicas: workload.specReplicas, demandPods: yardstick.demandPods(at: s, ready: ready))
                s += width
            }
            t = next
        }
        return VariantRun(name: variant.name, hpa: hpa, rows: rows, summary: accumulator.finish(at: scenario.duration))
    }
}
