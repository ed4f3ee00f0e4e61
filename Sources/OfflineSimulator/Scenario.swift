// A what-if scenario: the HPA variants to compare, the workload, the load and the controller settings.
import KubeAPI
import Simulation

/// One HPA to simulate. Several variants of one scenario run on the same load, side by side.
public struct ScenarioVariant: Sendable, Hashable {
    /// The label in tables, charts and summaries (the `name` given in the scenario, else the
    /// manifest's `metadata.name`).
    public var name: String
    public var hpa: HorizontalPodAutoscaler
    /// Where the manifest came from (`file:line`), for messages.
    public var source: String

    public init(name: String, hpa: HorizontalPodAutoscaler, source: String = "") {
        self.name = name
        self.hpa = hpa
        self.source = source
    }
}

/// kube-controller-manager's HPA settings that matter to a simulation, with upstream's defaults.
/// Durations in seconds.
public struct SimulationSettings: Sendable, Hashable {
    /// `--horizontal-pod-autoscaler-sync-period`: one decision per HPA every this many seconds.
    public var syncPeriod: SimSeconds = 15
    /// `--horizontal-pod-autoscaler-tolerance`.
    public var tolerance: Double = 0.1
    /// `--horizontal-pod-autoscaler-downscale-stabilization`.
    public var downscaleStabilization: SimSeconds = 300
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`.
    public var cpuInitializationPeriod: SimSeconds = 300
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`.
    public var initialReadinessDelay: SimSeconds = 30
    /// Feature gates by upstream name (`HPAScaleToZero`, `HPAConfigurableTolerance`, ...); absent = default.
    public var featureGates: [String: Bool] = [:]

    public init() {}

    /// Problems with the values, as field (scenario spelling) and message.
    public func problems() -> [(field: String, message: String)] {
        var found: [(String, String)] = []
        if !(syncPeriod > 0 && syncPeriod.isFinite) { found.append(("controller.syncPeriod", "must be greater than zero")) }
        if !(tolerance >= 0 && tolerance.isFinite) { found.append(("controller.tolerance", "must not be negative")) }
        return found
    }
}

/// How the simulated time is split into decisions.
public struct Scenario: Sendable {
    /// A title for tables and charts.
    public var name: String
    /// The scenario file, for messages.
    public var file: String
    public var variants: [ScenarioVariant]
    /// Replicas of the target when the simulation starts (default: the first variant's minReplicas,
    /// else 1). All variants start with the same count.
    public var initialReplicas: Int
    /// How long to simulate.
    public var duration: SimSeconds
    public var settings: SimulationSettings
    public var workload: WorkloadModel
    public var load: LoadProfile
    /// Load units one ready pod serves at the HPA's target — the yardstick of the under- and
    /// over-provisioning figures. nil: derived from the first metric where possible.
    public var capacityPerPod: Double?
    /// Whether `t = 0` is midnight of a day (daily patterns): axes then show clock times.
    public var clockAxis: Bool
    /// Exact replay (`load: {type: replay, exact: true}`): every record's raw observations go to the
    /// core at the record's time instead of the workload model's.
    public var exactReplay: DryRunReplay? = nil

    public init(name: String, file: String = "", variants: [ScenarioVariant], initialReplicas: Int, duration: SimSeconds,
                settings: SimulationSettings = SimulationSettings(), workload: WorkloadModel = .loginService,
                load: LoadProfile, capacityPerPod: Double? = nil, clockAxis: Bool = false, exactReplay: DryRunReplay? = nil) {
        self.name = name
        self.file = file
        self.variants = variants
        self.initialReplicas = initialReplicas
        self.duration = duration
        self.settings = settings
        self.workload = workload
        self.load = load
        self.capacityPerPod = capacityPerPod
        self.clockAxis = clockAxis
        self.exactReplay = exactReplay
    }
}
