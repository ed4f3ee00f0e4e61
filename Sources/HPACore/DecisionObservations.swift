// The `observations` of a dry-run record (docs/dry-run.md): every input of one decision, in the
// JSON form `run --dry-run --output json` writes and the offline simulator's exact replay reads.
// One schema for both sides; pure data, no I/O.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// The raw inputs of one decision: `ReconcileInput` in a stable JSON form (milli-units,
/// microsecond timestamps). `init(input:)` records an input; `reconcileInput(...)` rebuilds it.
///
/// Decoding is tolerant of records that lack some inputs: a missing `hpa` decodes to an empty HPA
/// (replay those with `reconcileInput(hpa:memory:selectorRegistry:)` and the HPA to decide for),
/// missing `memory` to a fresh `ControllerMemory()`, missing `selectorRegistry` to a registered
/// HPA with no others, missing pod `labels` to none. Encoding always writes every input.
public struct DecisionObservations: Sendable, Codable, Equatable {
    /// The decision's `now` (microsecond precision).
    public var now: MicroTime
    public var hpa: HorizontalPodAutoscaler
    public var scale: Scale
    public var pods: [Pod]
    public var metrics: [Metric]
    public var memory: Memory
    public var selectorRegistry: SelectorRegistry

    public struct Scale: Sendable, Codable, Equatable {
        public var specReplicas: Int32?
        public var statusReplicas: Int32?
        public var selector: String?
        /// `restMapping` or `get` when the scale could not be read.
        public var errorKind: String?
        public var error: String?
    }

    public struct Pod: Sendable, Codable, Equatable {
        public struct Container: Sendable, Codable, Equatable {
            public var name: String
            public var requestsMilli: [String: Int64]
            public var restartableInit: Bool?
        }
        public var name: String
        public var labels: [String: String]
        public var phase: String?
        /// Status of the Ready condition (`True`, `False`, `Unknown`); nil when the pod has none.
        public var ready: String?
        public var readyTransition: KubeTime?
        public var startTime: KubeTime?
        public var deleting: Bool?
        public var containers: [Container]
        public var initContainers: [Container]?
        public var podLevelRequestsMilli: [String: Int64]?
    }

    public struct Metric: Sendable, Codable, Equatable {
        public struct Sample: Sendable, Codable, Equatable {
            public var object: String
            public var valueMilli: Int64
            public var timestamp: MicroTime
            public var windowSeconds: Double?
        }
        public struct PodUsage: Sendable, Codable, Equatable {
            public var pod: String
            public var timestamp: MicroTime
            public var windowSeconds: Double
            /// container → resource → milli-units
            public var containers: [String: [String: Int64]]
            public var containerOrder: [String]
        }
        /// Index into `spec.metrics`.
        public var index: Int
        /// `podResources`, `custom`, `external` or `failed`.
        public var kind: String
        public var podResources: [PodUsage]?
        public var samples: [Sample]?
        public var error: String?
    }

    public struct Memory: Sendable, Codable, Equatable {
        public struct Recommendation: Sendable, Codable, Equatable { public var replicas: Int32; public var timestamp: MicroTime }
        public struct Change: Sendable, Codable, Equatable {
            public var replicaChange: Int32
            public var timestamp: MicroTime
            public var outdated: Bool
        }
        public var recommendations: [Recommendation]?
        public var scaleUpEvents: [Change]
        public var scaleDownEvents: [Change]
    }

    public struct SelectorRegistry: Sendable, Codable, Equatable {
        public var registered: Bool
        /// Other HPAs of the namespace → selector (null = match-nothing).
        public var others: [String: String?]
    }

    private enum CodingKeys: String, CodingKey { case now, hpa, scale, pods, metrics, memory, selectorRegistry }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        now = try container.decode(MicroTime.self, forKey: .now)
        hpa = try container.decodeIfPresent(HorizontalPodAutoscaler.self, forKey: .hpa) ?? Self.emptyHPA
        scale = try container.decode(Scale.self, forKey: .scale)
        pods = try container.decode([Pod].self, forKey: .pods)
        metrics = try container.decode([Metric].self, forKey: .metrics)
        memory = try container.decodeIfPresent(Memory.self, forKey: .memory) ?? Memory(scaleUpEvents: [], scaleDownEvents: [])
        selectorRegistry = try container.decodeIfPresent(SelectorRegistry.self, forKey: .selectorRegistry)
            ?? SelectorRegistry(registered: true, others: [:])
    }

    /// What a record without `hpa` decodes to: no name, no target, `maxReplicas` 0.
    static let emptyHPA = HorizontalPodAutoscaler(
        metadata: ObjectMeta(), spec: HorizontalPodAutoscalerSpec(scaleTargetRef: CrossVersionObjectReference(kind: "", name: ""), maxReplicas: 0))
}

extension DecisionObservations.Pod {
    private enum CodingKeys: String, CodingKey {
        case name, labels, phase, ready, readyTransition, startTime, deleting, containers, initContainers, podLevelRequestsMilli
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        phase = try container.decodeIfPresent(String.self, forKey: .phase)
        ready = try container.decodeIfPresent(String.self, forKey: .ready)
        readyTransition = try container.decodeIfPresent(KubeTime.self, forKey: .readyTransition)
        startTime = try container.decodeIfPresent(KubeTime.self, forKey: .startTime)
        deleting = try container.decodeIfPresent(Bool.self, forKey: .deleting)
        containers = try container.decode([Container].self, forKey: .containers)
        initContainers = try container.decodeIfPresent([Container].self, forKey: .initContainers)
        podLevelRequestsMilli = try container.decodeIfPresent([String: Int64].self, forKey: .podLevelRequestsMilli)
    }
}

extension DecisionObservations {
    /// Records `input` (timestamps rounded to microseconds, as the JSON keeps them).
    public init(input: ReconcileInput) {
        now = MicroTime(input.now)
        hpa = input.hpa
        switch input.scale {
        case .success(let scale):
            self.scale = Scale(specReplicas: scale.specReplicas, statusReplicas: scale.statusReplicas, selector: scale.selector)
        case .failure(let failure):
            switch failure.failure {
            case .restMapping(let text): self.scale = Scale(errorKind: "restMapping", error: text)
            case .get(let text): self.scale = Scale(errorKind: "get", error: text)
            }
        }
        func container(_ item: ScalingPod.Container) -> Pod.Container {
            Pod.Container(name: item.name, requestsMilli: item.requestsMilli, restartableInit: item.isRestartableInit ? true : nil)
        }
        pods = input.pods.map { pod in
            Pod(name: pod.name, labels: pod.labels, phase: pod.phase?.rawValue, ready: pod.ready?.status,
                readyTransition: pod.ready.map { KubeTime($0.lastTransitionTime) }, startTime: pod.startTime.map(KubeTime.init),
                deleting: pod.isBeingDeleted ? true : nil, containers: pod.containers.map(container),
                initContainers: pod.initContainers.isEmpty ? nil : pod.initContainers.map(container),
                podLevelRequestsMilli: pod.podLevelRequestsMilli)
        }
        func samples(_ list: [MetricSample]) -> [Metric.Sample] {
            list.map { Metric.Sample(object: $0.objectName, valueMilli: $0.valueMilli, timestamp: MicroTime($0.timestamp), windowSeconds: $0.windowSeconds) }
        }
        metrics = input.metrics.keys.sorted().compactMap { index in
            guard let result = input.metrics[index] else { return nil }
            switch result {
            case .podResources(let usages):
                return Metric(index: index, kind: "podResources", podResources: usages.map { usage in
                    Metric.PodUsage(pod: usage.podName, timestamp: MicroTime(usage.timestamp), windowSeconds: usage.windowSeconds,
                                    containers: Dictionary(usage.containers.map { ($0.name, $0.usageMilli) }, uniquingKeysWith: { first, _ in first }),
                                    containerOrder: usage.containers.map(\.name))
                })
            case .custom(let list): return Metric(index: index, kind: "custom", samples: samples(list))
            case .external(let list): return Metric(index: index, kind: "external", samples: samples(list))
            case .failed(let text): return Metric(index: index, kind: "failed", error: text)
            }
        }
        func change(_ event: ScaleChangeEvent) -> Memory.Change {
            Memory.Change(replicaChange: event.replicaChange, timestamp: MicroTime(event.timestamp), outdated: event.outdated)
        }
        memory = Memory(
            recommendations: input.memory.recommendations?.map { Memory.Recommendation(replicas: $0.replicas, timestamp: MicroTime($0.timestamp)) },
            scaleUpEvents: input.memory.scaleUpEvents.map(change), scaleDownEvents: input.memory.scaleDownEvents.map(change))
        selectorRegistry = SelectorRegistry(registered: input.selectorRegistry.isRegistered, others: input.selectorRegistry.others)
    }

    /// The recorded memory as the core keeps it.
    public var controllerMemory: ControllerMemory {
        func change(_ event: Memory.Change) -> ScaleChangeEvent {
            ScaleChangeEvent(replicaChange: event.replicaChange, timestamp: event.timestamp.date, outdated: event.outdated)
        }
        return ControllerMemory(
            recommendations: memory.recommendations?.map { TimestampedRecommendation(replicas: $0.replicas, timestamp: $0.timestamp.date) },
            scaleUpEvents: memory.scaleUpEvents.map(change), scaleDownEvents: memory.scaleDownEvents.map(change))
    }

    /// The recorded selector registry as the core reads it.
    public var selectorRegistryView: SelectorRegistryView {
        SelectorRegistryView(isRegistered: selectorRegistry.registered, others: selectorRegistry.others)
    }

    /// Rebuilds the decision's input exactly as recorded (for replay): `HPADecider.decide` on it
    /// gives the recorded decision.
    public func reconcileInput() -> ReconcileInput {
        reconcileInput(hpa: hpa, memory: controllerMemory, selectorRegistry: selectorRegistryView)
    }

    /// The recorded scale, pods, metric answers and `now`, decided for `hpa` (whose namespace the
    /// pods get) with `memory` and `selectorRegistry` — what-if replays supply their own.
    public func reconcileInput(hpa: HorizontalPodAutoscaler, memory: ControllerMemory, selectorRegistry: SelectorRegistryView) -> ReconcileInput {
        let scaleResult: Result<TargetScale, ScaleReadFailureError>
        if let spec = scale.specReplicas {
            scaleResult = .success(TargetScale(specReplicas: spec, statusReplicas: scale.statusReplicas ?? spec, selector: scale.selector ?? ""))
        } else if scale.errorKind == "restMapping" {
            scaleResult = .failure(ScaleReadFailureError(.restMapping(scale.error ?? "")))
        } else {
            scaleResult = .failure(ScaleReadFailureError(.get(scale.error ?? "")))
        }
        func container(_ item: Pod.Container) -> ScalingPod.Container {
            ScalingPod.Container(name: item.name, requestsMilli: item.requestsMilli, isRestartableInit: item.restartableInit ?? false)
        }
        let scalingPods = pods.map { pod in
            ScalingPod(name: pod.name, namespace: hpa.metadata.namespace ?? "", labels: pod.labels,
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
        return ReconcileInput(hpa: hpa, scale: scaleResult, pods: scalingPods, metrics: results,
                              selectorRegistry: selectorRegistry, memory: memory, now: now.date)
    }
}
