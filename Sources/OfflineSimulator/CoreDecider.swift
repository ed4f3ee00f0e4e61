// The real decision core behind `ScalingDecider`. This is the only file that maps the simulator's
// observations onto HPACore's input and its decision back.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI
import Simulation

extension SimulationSettings {
    /// The core's settings: upstream defaults with this scenario's values.
    public var controllerSettings: ControllerSettings {
        var settings = ControllerSettings(syncPeriodSeconds: syncPeriod, tolerance: tolerance,
                                          downscaleStabilizationWindowSeconds: downscaleStabilization,
                                          cpuInitializationPeriodSeconds: cpuInitializationPeriod,
                                          initialReadinessDelaySeconds: initialReadinessDelay)
        for (name, enabled) in featureGates { settings.featureGates.set(name, enabled) }
        return settings
    }
}

/// Runs `HPADecider.decide` for one HPA, carrying the controller's memory and the HPA's status from
/// one sync to the next exactly as the controller does.
public struct CoreDecider: ScalingDecider {
    public private(set) var hpa: HorizontalPodAutoscaler
    public let settings: ControllerSettings
    public private(set) var memory = ControllerMemory()
    /// Pod projections of the previous sync, reused while a pod's state is unchanged (the
    /// projections' dictionaries dominate the cost of a step otherwise).
    private var podCache: [ScalingPod] = []
    private var sharedContainers: [ScalingPod.Container] = []
    private var replayStarted = false

    public init(hpa: HorizontalPodAutoscaler, settings: ControllerSettings) {
        self.hpa = hpa
        self.settings = settings
    }

    /// The factory the simulator uses by default.
    public static let make: DeciderFactory = { variant, settings throws(ScenarioError) in
        CoreDecider(hpa: variant.hpa, settings: settings.controllerSettings)
    }

    public mutating func decide(_ observation: Observation) -> StepDecision {
        if let recorded = observation.recorded { return decide(recorded: recorded, observation) }
        let namespace = hpa.metadata.namespace ?? ""
        let selector = observation.selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let scale = TargetScale(specReplicas: Self.int32(observation.specReplicas), statusReplicas: Self.int32(observation.statusReplicas),
                                selector: selector)
        var pods: [ScalingPod] = []
        pods.reserveCapacity(observation.pods.count)
        var cacheIndex = 0
        for pod in observation.pods {
            let phase: ScalingPod.Phase = pod.phase == .running ? .running : .pending
            let ready = pod.ready.map { ScalingPod.ReadyCondition(status: $0 ? "True" : "False", lastTransitionTime: pod.readyTransition ?? GoTime.zero) }
            // Pods only disappear or get appended, so the cache is walked in step.
            while cacheIndex < podCache.count && podCache[cacheIndex].name != pod.name && podCache[cacheIndex].name < pod.name { cacheIndex += 1 }
            if cacheIndex < podCache.count, podCache[cacheIndex].name == pod.name, podCache[cacheIndex].phase == phase,
               podCache[cacheIndex].ready == ready, podCache[cacheIndex].startTime == pod.startTime {
                pods.append(podCache[cacheIndex])
                continue
            }
            if sharedContainers.first?.requestsMilli["cpu"] != pod.cpuRequestMilli || sharedContainers.first?.requestsMilli["memory"] != pod.memoryRequestMilli {
                sharedContainers = [ScalingPod.Container(name: "app", requestsMilli: ["cpu": pod.cpuRequestMilli, "memory": pod.memoryRequestMilli])]
            }
            pods.append(ScalingPod(name: pod.name, namespace: namespace, labels: observation.selector, phase: phase, ready: ready,
                                   startTime: pod.startTime, containers: sharedContainers))
        }
        podCache = pods
        var metrics: [Int: MetricFetchResult] = [:]
        for (index, observed) in observation.metrics.enumerated() {
            metrics[index] = Self.fetchResult(observed, spec: hpa.spec.metrics?[index])
        }
        let input = ReconcileInput(hpa: hpa, scale: .success(scale), pods: pods, metrics: metrics, memory: memory, now: observation.now)
        let decision = HPADecider.decide(input, settings: settings)
        memory = decision.memory
        hpa.status = decision.status
        let readings = decision.proposals.map(Self.reading)
        return StepDecision(desiredReplicas: Int(decision.desiredReplicas), rescale: decision.rescale, limitedBy: decision.limitedBy,
                            metrics: readings, error: decision.error?.message)
    }

    /// Exact replay of one dry-run record: its pods and samples, this variant's HPA, the memory
    /// this decider carried (seeded from the first record's memory; a fresh one when it kept none).
    private mutating func decide(recorded: JSONValue, _ observation: Observation) -> StepDecision {
        let observations: DecisionObservations
        do { observations = try DecisionObservations(recorded: recorded) } catch {
            return StepDecision(desiredReplicas: observation.specReplicas, rescale: false, limitedBy: "ReplayFailed", error: error.message)
        }
        if !replayStarted {
            replayStarted = true
            memory = observations.controllerMemory
        }
        let decision = HPADecider.decide(
            observations.reconcileInput(hpa: hpa, memory: memory, selectorRegistry: SelectorRegistryView()), settings: settings)
        memory = decision.memory
        hpa.status = decision.status
        return StepDecision(desiredReplicas: Int(decision.desiredReplicas), rescale: decision.rescale, limitedBy: decision.limitedBy,
                            metrics: decision.proposals.map(Self.reading), error: decision.error?.message)
    }

    static func int32(_ value: Int) -> Int32 { Int32(clamping: value) }

    static func fetchResult(_ observed: ObservedMetric, spec: MetricSpec?) -> MetricFetchResult {
        switch observed {
        case .podResources(let resource, let container, let samples):
            return .podResources(samples.map {
                PodResourceUsage(podName: $0.podName, timestamp: $0.timestamp, windowSeconds: $0.windowSeconds,
                                 containers: [PodResourceUsage.Container(name: container == "app" ? "app" : container, usageMilli: [resource: $0.milliValue])])
            })
        case .podCustom(let samples):
            return .custom(samples.map { MetricSample(objectName: $0.podName, valueMilli: $0.milliValue, timestamp: $0.timestamp, windowSeconds: $0.windowSeconds) })
        case .object(let value, let timestamp):
            return .custom([MetricSample(objectName: spec?.object?.describedObject.name ?? "", valueMilli: value, timestamp: timestamp)])
        case .external(let values, let timestamp):
            return .external(values.map { MetricSample(valueMilli: $0, timestamp: timestamp) })
        case .unavailable(let why):
            return .failed(why)
        }
    }

    /// A proposal as the table shows it: utilization in %, other values in their unit.
    static func reading(_ proposal: MetricProposal) -> MetricReading {
        let target = proposal.target
        let isUtilization = target?.averageValue == nil && target?.averageUtilization != nil
            && (proposal.metricType == "Resource" || proposal.metricType == "ContainerResource")
        let targetValue: Double
        let current: Double?
        if isUtilization {
            targetValue = Double(target?.averageUtilization ?? 0)
            current = proposal.current?.averageUtilization.map(Double.init)
        } else {
            let targetQuantity = target?.averageValue ?? target?.value
            targetValue = targetQuantity.map { Self.display($0, resource: proposal.name, type: proposal.metricType) } ?? 0
            current = (proposal.current?.averageValue ?? proposal.current?.value).map { Self.display($0, resource: proposal.name, type: proposal.metricType) }
        }
        let unit = isUtilization ? "%" : ((proposal.metricType == "Resource" || proposal.metricType == "ContainerResource") && proposal.name == "cpu" ? "m" : "")
        var reading = MetricReading(name: proposal.name, type: proposal.metricType, current: current.flatMap { $0.isFinite ? $0 : nil },
                                    target: targetValue.isFinite ? targetValue : 0, unit: unit, proposedReplicas: proposal.proposedReplicas.map(Int.init))
        reading.targetType = isUtilization ? "Utilization" : (target?.averageValue != nil ? "AverageValue" : (target?.value != nil ? "Value" : ""))
        return reading
    }

    /// CPU in millicores; everything else in its plain unit.
    private static func display(_ quantity: Quantity, resource: String, type: String) -> Double {
        if resource == "cpu" && (type == "Resource" || type == "ContainerResource") { return Double(quantity.milliValue) }
        return quantity.approximateDouble
    }
}
