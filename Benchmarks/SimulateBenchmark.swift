// `hpa-benchmarks simulate`: one simulated day at a 15 s sync period (5,760 steps) with about 100
// pods, through the real decision core; reports steps per second. A second figure runs the same
// day with a decider that never rescales, to show the cost of the simulation machinery alone.
import Foundation
import KubeAPI
import OfflineSimulator
import Simulation

/// Never rescales: isolates the workload model, metrics pipeline and summary from the core.
private struct HoldDecider: ScalingDecider {
    mutating func decide(_ observation: Observation) -> StepDecision {
        StepDecision(desiredReplicas: observation.specReplicas, rescale: false, limitedBy: "DesiredWithinRange")
    }
}

func simulateBenchmark() {
    let hpa = HorizontalPodAutoscaler(
        metadata: ObjectMeta(name: "bench", namespace: "default"),
        spec: HorizontalPodAutoscalerSpec(
            scaleTargetRef: CrossVersionObjectReference(apiVersion: "apps/v1", kind: "Deployment", name: "bench"),
            minReplicas: 80, maxReplicas: 150, metrics: [.resource("cpu", .utilization(70))]))
    // About 100 pods at 70 %: 100 × (350m − 20m) ÷ 0.05m = 660,000 users, ±10 % over the day.
    let load = LoadProfile(demand: .sine(base: 660_000, amplitude: 66_000, period: 86_400, phase: 0), unit: "users")
    let scenario = Scenario(name: "benchmark", variants: [ScenarioVariant(name: "bench", hpa: hpa)], initialReplicas: 100,
                            duration: 86_400, load: load)
    let steps = Int(scenario.duration / scenario.settings.syncPeriod)

    func measure(_ label: String, _ factory: @escaping DeciderFactory) {
        var best = Double.infinity
        var peak = 0
        for _ in 0..<3 {
            let start = ContinuousClock.now
            do {
                let result = try Simulator(scenario: scenario, makeDecider: factory).run()
                peak = result.runs.first?.summary.peakReplicas ?? 0
            } catch {
                print("simulate \(label): cannot run: \(error)")
                return
            }
            let elapsed = ContinuousClock.now - start
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        let rate = Double(steps) / best
        print("simulate \(label): \(steps) steps (1 day at 15 s, peak \(peak) pods) in \(String(format: "%.3f", best)) s = \(String(format: "%.0f", rate)) steps/s (best of 3)")
    }
    measure("core", CoreDecider.make)
    measure("machinery only (no decisions)", { _, _ throws(ScenarioError) in HoldDecider() })
}
