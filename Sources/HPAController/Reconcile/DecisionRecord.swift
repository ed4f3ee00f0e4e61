#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// One HPA's decision in one pass: the line `--output json` prints (JSON Lines) and the row of
/// `--output table`. `observations` holds every input of the decision, so the simulator (or a
/// test) can rebuild the `ReconcileInput` and replay it exactly. See docs/dry-run.md.
public struct DecisionRecord: Sendable, Codable, Equatable {
    public struct Metric: Sendable, Codable, Equatable {
        public var type: String
        public var name: String
        /// Current value as status reports it (`averageUtilization`, `averageValue` or `value`).
        public var current: MetricValueStatus?
        public var target: MetricTarget?
        public var proposedReplicas: Int32?
        public var error: String?
    }

    public var time: KubeTime
    public var namespace: String
    public var name: String
    public var scaleTargetRef: CrossVersionObjectReference
    public var currentReplicas: Int32?
    /// Our decision: the replica count we would scale to (equal to current when not rescaling).
    public var desiredReplicas: Int32
    /// `status.desiredReplicas` of the HPA as read: what the controller running in the cluster decided.
    public var clusterDesiredReplicas: Int32?
    /// `desiredReplicas == clusterDesiredReplicas`; nil when the HPA has no status yet.
    public var agree: Bool?
    public var rescale: Bool
    /// `SuccessfulRescale`'s reason text when rescaling.
    public var reason: String?
    public var metrics: [Metric]
    /// Upstream's reason string of what bounded the result (`ScaleUpLimit`, `DesiredWithinRange`, …).
    public var limitedBy: String
    public var conditions: [HorizontalPodAutoscalerCondition]
    /// Events the pass emitted (or would have emitted in dry-run).
    public var events: [RecordedEvent]
    /// The pass's error (nil on success).
    public var error: String?
    /// Whether the core reached a replica count (false: scale unreadable or metrics fatally failed).
    public var decided: Bool
    /// Whether the pass's writes were carried out (false in dry-run).
    public var wrote: Bool
    public var observations: Observations

    public struct RecordedEvent: Sendable, Codable, Equatable {
        public var type: String
        public var reason: String
        public var message: String
    }

    /// The raw inputs of the decision.
    public struct Observations: Sendable, Codable, Equatable {
        /// The decision's `now` (microsecond precision).
        public var now: MicroTime
        public var hpa: HorizontalPodAutoscaler
        public var scale: ScaleObservation
        public var pods: [PodObservation]
        public var metrics: [MetricObservation]
        public var memory: MemoryObservation
        public var selectorRegistry: RegistryObservation
    }

    public struct ScaleObservation: Sendable, Codable, Equatable {
        public var specReplicas: Int32?
        public var statusReplicas: Int32?
        public var selector: String?
        /// `restMapping` or `get` when the scale could not be read.
        public var errorKind: String?
        public var error: String?
    }

    public struct PodObservation: Sendable, Codable, Equatable {
        public struct Container: Sendable, Codable, Equatable {
            public var name: String
            public var requestsMilli: [String: Int64]
            public var restartableInit: Bool?
        }
        public var name: String
        public var labels: [String: String]
        public var phase: String?
        public var ready: String?
        public var readyTransition: KubeTime?
        public var startTime: KubeTime?
        public var deleting: Bool?
        public var containers: [Container]
        public var initContainers: [Container]?
        public var podLevelRequestsMilli: [String: Int64]?
    }

    public struct MetricObservation: Sendable, Codable, Equatable {
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

    public struct MemoryObservation: Sendable, Codable, Equatable {
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

    public struct RegistryObservation: Sendable, Codable, Equatable {
        public var registered: Bool
        /// Other HPAs of the namespace → selector (null = match-nothing).
        public var others: [String: String?]
    }
}

extension DecisionRecord {
    init(key: HPAKey, hpa: HorizontalPodAutoscaler, decision: Decision, input: ReconcileInput, plan: [PlannedMetricFetch],
         time: Date, wrote: Bool) {
        let cluster = hpa.status?.desiredReplicas
        self.time = KubeTime(time)
        namespace = key.namespace
        name = key.name
        scaleTargetRef = hpa.spec.scaleTargetRef
        currentReplicas = decision.currentReplicas
        desiredReplicas = decision.desiredReplicas
        clusterDesiredReplicas = cluster
        agree = cluster.map { $0 == decision.desiredReplicas }
        rescale = decision.rescale
        reason = decision.rescale ? decision.rescaleReason : nil
        metrics = decision.proposals.map {
            Metric(type: $0.metricType, name: $0.name, current: $0.current, target: $0.target,
                   proposedReplicas: $0.proposedReplicas, error: $0.error)
        }
        limitedBy = decision.limitedBy
        conditions = decision.status.conditions ?? []
        events = decision.events.map { RecordedEvent(type: $0.type.rawValue, reason: $0.reason, message: $0.message) }
        error = decision.error?.message
        decided = decision.currentReplicas != nil
            && (decision.error == nil || decision.proposals.contains { $0.proposedReplicas != nil })
        self.wrote = wrote
        observations = Observations(input: input)
    }
}

extension DecisionRecord.Observations {
    init(input: ReconcileInput) {
        now = MicroTime(input.now)
        hpa = input.hpa
        switch input.scale {
        case .success(let scale):
            self.scale = .init(specReplicas: scale.specReplicas, statusReplicas: scale.statusReplicas, selector: scale.selector)
        case .failure(let failure):
            switch failure.failure {
            case .restMapping(let text): self.scale = .init(errorKind: "restMapping", error: text)
            case .get(let text): self.scale = .init(errorKind: "get", error: text)
            }
        }
        pods = input.pods.map { pod in
            func container(_ item: ScalingPod.Container) -> DecisionRecord.PodObservation.Container {
                .init(name: item.name, requestsMilli: item.requestsMilli, restartableInit: item.isRestartableInit ? true : nil)
            }
            return .init(name: pod.name, labels: pod.labels, phase: pod.phase?.rawValue, ready: pod.ready?.status,
                         readyTransition: pod.ready.map { KubeTime($0.lastTransitionTime) }, startTime: pod.startTime.map(KubeTime.init),
                         deleting: pod.isBeingDeleted ? true : nil, containers: pod.containers.map(container),
                         initContainers: pod.initContainers.isEmpty ? nil : pod.initContainers.map(container),
                         podLevelRequestsMilli: pod.podLevelRequestsMilli)
        }
        metrics = input.metrics.keys.sorted().compactMap { index in
            guard let result = input.metrics[index] else { return nil }
            func samples(_ list: [MetricSample]) -> [DecisionRecord.MetricObservation.Sample] {
                list.map { .init(object: $0.objectName, valueMilli: $0.valueMilli, timestamp: MicroTime($0.timestamp), windowSeconds: $0.windowSeconds) }
            }
            switch result {
            case .podResources(let usages):
                return .init(index: index, kind: "podResources", podResources: usages.map { usage in
                    .init(pod: usage.podName, timestamp: MicroTime(usage.timestamp), windowSeconds: usage.windowSeconds,
                          containers: Dictionary(usage.containers.map { ($0.name, $0.usageMilli) }, uniquingKeysWith: { first, _ in first }),
                          containerOrder: usage.containers.map(\.name))
                })
            case .custom(let list): return .init(index: index, kind: "custom", samples: samples(list))
            case .external(let list): return .init(index: index, kind: "external", samples: samples(list))
            case .failed(let text): return .init(index: index, kind: "failed", error: text)
            }
        }
        memory = .init(
            recommendations: input.memory.recommendations?.map { .init(replicas: $0.replicas, timestamp: MicroTime($0.timestamp)) },
            scaleUpEvents: input.memory.scaleUpEvents.map { .init(replicaChange: $0.replicaChange, timestamp: MicroTime($0.timestamp), outdated: $0.outdated) },
            scaleDownEvents: input.memory.scaleDownEvents.map { .init(replicaChange: $0.replicaChange, timestamp: MicroTime($0.timestamp), outdated: $0.outdated) })
        selectorRegistry = .init(registered: input.selectorRegistry.isRegistered, others: input.selectorRegistry.others)
    }

    /// Rebuilds the decision's input (for replay).
    public func reconcileInput() -> ReconcileInput {
        let scaleResult: Result<TargetScale, ScaleReadFailureError>
        if let spec = scale.specReplicas {
            scaleResult = .success(TargetScale(specReplicas: spec, statusReplicas: scale.statusReplicas ?? spec, selector: scale.selector ?? ""))
        } else if scale.errorKind == "restMapping" {
            scaleResult = .failure(ScaleReadFailureError(.restMapping(scale.error ?? "")))
        } else {
            scaleResult = .failure(ScaleReadFailureError(.get(scale.error ?? "")))
        }
        let scalingPods = pods.map { pod in
            func container(_ item: DecisionRecord.PodObservation.Container) -> ScalingPod.Container {
                ScalingPod.Container(name: item.name, requestsMilli: item.requestsMilli, isRestartableInit: item.restartableInit ?? false)
            }
            return ScalingPod(
                name: pod.name, namespace: hpa.metadata.namespace ?? "", labels: pod.labels,
                phase: pod.phase.flatMap(ScalingPod.Phase.init(rawValue:)),
                ready: pod.ready.map { ScalingPod.ReadyCondition(status: $0, lastTransitionTime: pod.readyTransition?.date ?? GoTime.zero) },
                startTime: pod.startTime?.date, isBeingDeleted: pod.deleting ?? false, containers: pod.containers.map(container),
                initContainers: (pod.initContainers ?? []).map(container), podLevelRequestsMilli: pod.podLevelRequestsMilli)
        }
        var results: [Int: MetricFetchResult] = [:]
        for metric in metrics {
            func samples() -> [MetricSample] {
                (metric.samples ?? []).map { MetricSample(objectName: $0.object, valueMilli: $0.valueMilli, timestamp: $0.timestamp.date, windowSeconds: $0.windowSeconds) }
            }
            switch metric.kind {
            case "podResources":
                results[metric.index] = .podResources((metric.podResources ?? []).map { usage in
                    PodResourceUsage(podName: usage.pod, timestamp: usage.timestamp.date, windowSeconds: usage.windowSeconds,
                                     containers: usage.containerOrder.map { .init(name: $0, usageMilli: usage.containers[$0] ?? [:]) })
                })
            case "custom": results[metric.index] = .custom(samples())
            case "external": results[metric.index] = .external(samples())
            default: results[metric.index] = .failed(metric.error ?? "")
            }
        }
        let restored = ControllerMemory(
            recommendations: memory.recommendations?.map { TimestampedRecommendation(replicas: $0.replicas, timestamp: $0.timestamp.date) },
            scaleUpEvents: memory.scaleUpEvents.map { ScaleChangeEvent(replicaChange: $0.replicaChange, timestamp: $0.timestamp.date, outdated: $0.outdated) },
            scaleDownEvents: memory.scaleDownEvents.map { ScaleChangeEvent(replicaChange: $0.replicaChange, timestamp: $0.timestamp.date, outdated: $0.outdated) })
        return ReconcileInput(hpa: hpa, scale: scaleResult, pods: scalingPods, metrics: results,
                              selectorRegistry: SelectorRegistryView(isRegistered: selectorRegistry.registered, others: selectorRegistry.others),
                              memory: restored, now: now.date)
    }
}
