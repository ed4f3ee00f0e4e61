// Exact replay: the raw inputs a dry-run record kept (`observations`), turned back into the decision
// core's input. The field names are those `run --dry-run --output json` writes (docs/dry-run.md).
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

struct RecordedObservations: Decodable {
    struct Scale: Decodable {
        var specReplicas: Int32?
        var statusReplicas: Int32?
        var selector: String?
        var errorKind: String?
        var error: String?
    }
    struct Container: Decodable {
        var name: String
        var requestsMilli: [String: Int64]
        var restartableInit: Bool?
    }
    struct Pod: Decodable {
        var name: String
        var labels: [String: String]?
        var phase: String?
        var ready: String?
        var readyTransition: KubeTime?
        var startTime: KubeTime?
        var deleting: Bool?
        var containers: [Container]
        var initContainers: [Container]?
        var podLevelRequestsMilli: [String: Int64]?
    }
    struct Sample: Decodable {
        var object: String
        var valueMilli: Int64
        var timestamp: MicroTime
        var windowSeconds: Double?
    }
    struct PodUsage: Decodable {
        var pod: String
        var timestamp: MicroTime
        var windowSeconds: Double
        var containers: [String: [String: Int64]]
        var containerOrder: [String]
    }
    struct Metric: Decodable {
        var index: Int
        var kind: String
        var podResources: [PodUsage]?
        var samples: [Sample]?
        var error: String?
    }
    struct Memory: Decodable {
        struct Recommendation: Decodable { var replicas: Int32; var timestamp: MicroTime }
        struct Change: Decodable { var replicaChange: Int32; var timestamp: MicroTime; var outdated: Bool }
        var recommendations: [Recommendation]?
        var scaleUpEvents: [Change]
        var scaleDownEvents: [Change]
    }

    var now: MicroTime
    var scale: Scale
    var pods: [Pod]
    var metrics: [Metric]
    var memory: Memory?

    init(_ value: JSONValue) throws(ScenarioError) {
        do {
            self = try value.decode(RecordedObservations.self)
        } catch {
            throw ScenarioError(file: "", field: "observations", message: "cannot read the record's observations: \(DecodingProblem(error))")
        }
    }

    /// Pods whose Ready condition is True.
    var readyCount: Int { pods.filter { $0.ready == "True" }.count }

    var controllerMemory: ControllerMemory? {
        memory.map { memory in
            ControllerMemory(
                recommendations: memory.recommendations?.map { TimestampedRecommendation(replicas: $0.replicas, timestamp: $0.timestamp.date) },
                scaleUpEvents: memory.scaleUpEvents.map { ScaleChangeEvent(replicaChange: $0.replicaChange, timestamp: $0.timestamp.date, outdated: $0.outdated) },
                scaleDownEvents: memory.scaleDownEvents.map { ScaleChangeEvent(replicaChange: $0.replicaChange, timestamp: $0.timestamp.date, outdated: $0.outdated) })
        }
    }

    /// The core's input for `hpa` (a scenario variant, so what-if replays use the variant's spec)
    /// with `memory` carried by the replaying decider.
    func input(hpa: HorizontalPodAutoscaler, memory: ControllerMemory) -> ReconcileInput {
        let scaleResult: Result<TargetScale, ScaleReadFailureError>
        if let spec = scale.specReplicas {
            scaleResult = .success(TargetScale(specReplicas: spec, statusReplicas: scale.statusReplicas ?? spec, selector: scale.selector ?? ""))
        } else if scale.errorKind == "restMapping" {
            scaleResult = .failure(ScaleReadFailureError(.restMapping(scale.error ?? "")))
        } else {
            scaleResult = .failure(ScaleReadFailureError(.get(scale.error ?? "")))
        }
        func container(_ item: Container) -> ScalingPod.Container {
            ScalingPod.Container(name: item.name, requestsMilli: item.requestsMilli, isRestartableInit: item.restartableInit ?? false)
        }
        let scalingPods = pods.map { pod in
            ScalingPod(name: pod.name, namespace: hpa.metadata.namespace ?? "", labels: pod.labels ?? [:],
                       phase: pod.phase.flatMap(ScalingPod.Phase.init(rawValue:)),
                       ready: pod.ready.map { ScalingPod.ReadyCondition(status: $0, lastTransitionTime: pod.readyTransition?.date ?? GoTime.zero) },
                       startTime: pod.startTime?.date, isBeingDeleted: pod.deleting ?? false, containers: pod.containers.map(container),
                       initContainers: (pod.initContainers ?? []).map(container), podLevelRequestsMilli: pod.podLevelRequestsMilli)
        }
        var results: [Int: MetricFetchResult] = [:]
        for metric in metrics {
            let samples = (metric.samples ?? []).map {
                MetricSample(objectName: $0.object, valueMilli: $0.valueMilli, timestamp: $0.timestamp.date, windowSeconds: $0.windowSeconds)
            }
            switch metric.kind {
            case "podResources":
                results[metric.index] = .podResources((metric.podResources ?? []).map { usage in
                    PodResourceUsage(podName: usage.pod, timestamp: usage.timestamp.date, windowSeconds: usage.windowSeconds,
                                     containers: usage.containerOrder.map { PodResourceUsage.Container(name: $0, usageMilli: usage.containers[$0] ?? [:]) })
                })
            case "custom": results[metric.index] = .custom(samples)
            case "external": results[metric.index] = .external(samples)
            default: results[metric.index] = .failed(metric.error ?? "")
            }
        }
        return ReconcileInput(hpa: hpa, scale: scaleResult, pods: scalingPods, metrics: results, memory: memory, now: now.date)
    }
}
