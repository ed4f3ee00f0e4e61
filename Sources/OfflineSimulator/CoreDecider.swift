// The real decision core behind `ScalingDecider`. This is the only file that knows HPACore's API.
import HPACore
import KubeAPI
import Simulation

/// Runs `HPACore`'s decision for one HPA, keeping the controller memory between syncs.
public struct CoreDecider: ScalingDecider {
    public var hpa: HorizontalPodAutoscaler
    public var settings: SimulationSettings

    /// The factory the simulator uses by default.
    public static let make: DeciderFactory = { variant, settings throws(ScenarioError) in
        throw ScenarioError(file: variant.source, message: "the decision core (HPACore.decide) is not on main yet; the simulator cannot run without it")
    }

    public mutating func decide(_ observation: Observation) -> StepDecision {
        StepDecision(desiredReplicas: observation.specReplicas, rescale: false, limitedBy: "DesiredWithinRange",
                     error: "decision core not available")
    }
}
