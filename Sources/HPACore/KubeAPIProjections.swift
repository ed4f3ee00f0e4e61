#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

extension ScalingPod {
    /// Projects a core/v1 Pod: requests become milli-units (`Quantity.milliValue`), unset times
    /// become nil (start time) or Go's zero time (Ready transition).
    public init(pod: Pod) {
        func project(_ container: KubeAPI.Container, initContainer: Bool) -> Container {
            Container(
                name: container.name,
                requestsMilli: (container.resources?.requests ?? [:]).mapValues(\.milliValue),
                isRestartableInit: initContainer && container.restartPolicy == "Always")
        }
        let ready = pod.status?.readyCondition.map {
            ReadyCondition(status: $0.status.rawValue, lastTransitionTime: $0.lastTransitionTime?.date ?? GoTime.zero)
        }
        self.init(
            name: pod.metadata.name ?? "",
            namespace: pod.metadata.namespace ?? "",
            labels: pod.metadata.labels ?? [:],
            phase: pod.status?.phase.flatMap { Phase(rawValue: $0.rawValue) },
            ready: ready,
            startTime: pod.status?.startTime?.date,
            isBeingDeleted: pod.metadata.deletionTimestamp != nil,
            containers: (pod.spec?.containers ?? []).map { project($0, initContainer: false) },
            initContainers: (pod.spec?.initContainers ?? []).map { project($0, initContainer: true) },
            podLevelRequestsMilli: pod.spec?.resources?.requests.map { $0.mapValues(\.milliValue) })
    }
}

extension PodResourceUsage {
    /// Projects one `metrics.k8s.io` PodMetrics item.
    public init(podMetrics: PodMetrics) {
        self.init(
            podName: podMetrics.metadata.name ?? "",
            timestamp: podMetrics.timestamp.date,
            windowSeconds: podMetrics.window.seconds,
            containers: podMetrics.containers.map { Container(name: $0.name, usageMilli: $0.usage.mapValues(\.milliValue)) })
    }
}

extension MetricSample {
    /// Projects one `custom.metrics.k8s.io` MetricValue (keyed by the described object's name).
    public init(metricValue: MetricValue) {
        self.init(
            objectName: metricValue.describedObject.name ?? "",
            valueMilli: metricValue.value.milliValue,
            timestamp: metricValue.timestamp.date,
            windowSeconds: metricValue.windowSeconds.map(Double.init))
    }

    /// Projects one `external.metrics.k8s.io` ExternalMetricValue.
    public init(externalMetricValue: ExternalMetricValue) {
        self.init(
            objectName: externalMetricValue.metricName,
            valueMilli: externalMetricValue.value.milliValue,
            timestamp: externalMetricValue.timestamp.date,
            windowSeconds: externalMetricValue.window.map(Double.init))
    }
}
