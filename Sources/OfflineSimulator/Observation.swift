// What the simulated cluster shows the controller at one sync: the target's scale, its pods, and
// one metrics answer per entry of `spec.metrics`. Built from the Simulation models; handed to the
// decision core through `ScalingDecider`.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI
import Simulation

/// A pod as the controller's pod lister would show it.
public struct ObservedPod: Sendable, Hashable {
    public var name: String
    public var phase: SimPodPhase
    /// The `Ready` condition (nil while Pending): status and last transition.
    public var ready: Bool?
    public var readyTransition: Date?
    /// `status.startTime` (nil while Pending).
    public var startTime: Date?
    public var cpuRequestMilli: Int64
    public var memoryRequestMilli: Int64
}

/// One pod's metric sample, timestamped.
public struct ObservedSample: Sendable, Hashable {
    public var podName: String
    public var milliValue: Int64
    public var timestamp: Date
    public var windowSeconds: Double
}

/// The answer of the metrics API for one `spec.metrics` entry.
public enum ObservedMetric: Sendable, Hashable {
    /// metrics.k8s.io PodMetrics for a Resource or ContainerResource metric: one sample per running
    /// pod, for resource `resource` (the single container is named `container`).
    case podResources(resource: String, container: String, samples: [ObservedSample])
    /// custom.metrics.k8s.io values per pod (Pods metrics).
    case podCustom([ObservedSample])
    /// custom.metrics.k8s.io value of the described object (Object metrics), milli-units.
    case object(milliValue: Int64, timestamp: Date)
    /// external.metrics.k8s.io values, milli-units (the core sums them).
    case external([Int64], timestamp: Date)
    /// The metric cannot be simulated (e.g. an unknown type); the text says why.
    case unavailable(String)
}

/// Everything one decision sees.
public struct Observation: Sendable, Hashable {
    /// Seconds since the scenario started.
    public var time: SimSeconds
    public var now: Date
    /// The scale's `spec.replicas` (what the controller last asked for).
    public var specReplicas: Int
    /// The scale's `status.replicas` (pods that exist).
    public var statusReplicas: Int
    /// The scale's label selector.
    public var selector: [String: String]
    public var pods: [ObservedPod]
    /// One entry per `hpa.spec.metrics` entry, same order.
    public var metrics: [ObservedMetric]
    /// Exact replay: the raw `observations` of a dry-run record. When set, the decider uses them
    /// (pods, per-pod samples, scale, time) instead of `pods` and `metrics`.
    public var recorded: JSONValue? = nil
}

/// Builds observations from the workload and load models: the simulated metrics pipeline.
///
/// How each metric gets its value (see docs/simulate.md "Where metric values come from"):
/// - with a curve of its own (`metrics:` in the scenario, a CSV column named after it, a replayed
///   record) the curve is the value the metric reports — utilization percent or per-pod average for
///   Resource metrics, per-pod average for Pods metrics, the value for Object and External metrics;
/// - otherwise it follows the demand: Resource cpu/memory from the workload model, Pods metrics as
///   the demand spread over ready pods, Object and External metrics as the demand itself.
public struct MetricsPipeline: Sendable {
    public var load: LoadProfile
    public var epoch: Date
    public var selector: [String: String]

    public init(load: LoadProfile, epoch: Date, selector: [String: String] = ["app": "simulated"]) {
        self.load = load
        self.epoch = epoch
        self.selector = selector
    }

    /// The observation of `workload` for `hpa` at `t`.
    public func observe(hpa: HorizontalPodAutoscaler, workload: Workload, at t: SimSeconds) -> Observation {
        let now = epoch.addingTimeInterval(t)
        let model = workload.model
        let pods = workload.pods.map { pod in
            let condition = pod.readyCondition(at: t)
            return ObservedPod(name: pod.name, phase: pod.phase(at: t), ready: condition?.ready,
                               readyTransition: condition.map { epoch.addingTimeInterval($0.lastTransition) },
                               startTime: pod.startTime(at: t).map { epoch.addingTimeInterval($0) },
                               cpuRequestMilli: model.cpuRequestMilli, memoryRequestMilli: Workload.milli(Double(model.memoryRequestBytes) * 1000))
        }
        let metrics = (hpa.spec.metrics ?? []).map { metric(for: $0, workload: workload, at: t) }
        return Observation(time: t, now: now, specReplicas: workload.specReplicas, statusReplicas: workload.statusReplicas,
                           selector: selector, pods: pods, metrics: metrics)
    }

    func metric(for spec: MetricSpec, workload: Workload, at t: SimSeconds) -> ObservedMetric {
        let now = epoch.addingTimeInterval(t)
        let demand = load.demand(at: t)
        switch spec.sourceType {
        case .resource?, .containerResource?:
            let name = spec.resource?.name ?? spec.containerResource?.name ?? ""
            let container = spec.containerResource?.container ?? "app"
            let target = spec.resource?.target ?? spec.containerResource?.target
            let samples: [PodSample]
            if load.hasCurve(forMetric: name) {
                let observed = load.value(ofMetric: name, at: t)
                let request = name == "cpu" ? Double(workload.model.cpuRequestMilli) : Double(workload.model.memoryRequestBytes) * 1000
                let perPod = target?.averageValue == nil ? observed / 100 * request : observed * 1000
                samples = workload.pods.compactMap { pod in
                    pod.phase(at: t) == .running
                        ? PodSample(podName: pod.name, milliValue: Workload.milli(perPod), timestamp: t, window: workload.model.metricsWindow) : nil
                }
            } else if name == "memory" {
                samples = workload.memorySamples(demand: demand, at: t)
            } else if name == "cpu" {
                samples = workload.cpuSamples(demand: demand, at: t)
            } else {
                return .unavailable("the simulator models cpu and memory; give resource \(name) a curve under `metrics`")
            }
            return .podResources(resource: name, container: container, samples: samples.map { observed($0) })
        case .pods?:
            let name = spec.pods?.metric.name ?? ""
            let samples: [PodSample]
            if load.hasCurve(forMetric: name) {
                let perPod = load.value(ofMetric: name, at: t)
                samples = workload.pods.compactMap { pod in
                    pod.phase(at: t) == .running
                        ? PodSample(podName: pod.name, milliValue: Workload.milli(perPod * 1000), timestamp: t, window: 60) : nil
                }
            } else {
                samples = workload.perPodSamples(total: demand, at: t)
            }
            return .podCustom(samples.map { observed($0) })
        case .object?:
            return .object(milliValue: Workload.milli(load.value(ofMetric: spec.object?.metric.name ?? "", at: t) * 1000), timestamp: now)
        case .external?:
            return .external([Workload.milli(load.value(ofMetric: spec.external?.metric.name ?? "", at: t) * 1000)], timestamp: now)
        case nil:
            return .unavailable("unknown metric type \(spec.type)")
        }
    }

    private func observed(_ sample: PodSample) -> ObservedSample {
        ObservedSample(podName: sample.podName, milliValue: sample.milliValue,
                       timestamp: epoch.addingTimeInterval(sample.timestamp), windowSeconds: sample.window)
    }
}
