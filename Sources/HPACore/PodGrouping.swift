#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How the pods behind a metric were classified (hpa-behavior.md §5.3).
public struct PodGroups: Sendable, Equatable {
    public var readyPodCount: Int
    public var unready: Set<String>
    public var missing: Set<String>
    public var ignored: Set<String>
    public init(readyPodCount: Int = 0, unready: Set<String> = [], missing: Set<String> = [], ignored: Set<String> = []) {
        self.readyPodCount = readyPodCount
        self.unready = unready
        self.missing = missing
        self.ignored = ignored
    }
}

public enum PodGrouping {
    /// Sorts pods into ready, unready, missing (no metric) and ignored (deleted or terminal).
    /// `resource` is the resource name (`cpu` turns on the CPU readiness rules) or `""` for
    /// Pods metrics. Comparisons are strict, as upstream's `Before`/`After`.
    public static func group(
        pods: [ScalingPod], metrics: PodMetricsByName, resource: String,
        cpuInitializationPeriodSeconds: Double, initialReadinessDelaySeconds: Double, now: Date
    ) -> PodGroups {
        var groups = PodGroups()
        for pod in pods {
            if pod.isBeingDeleted || pod.phase == .failed || pod.phase == .succeeded {
                groups.ignored.insert(pod.name)
                continue
            }
            if pod.phase == .pending {
                groups.unready.insert(pod.name)
                continue
            }
            guard let metric = metrics[pod.name] else {
                groups.missing.insert(pod.name)
                continue
            }
            if resource == "cpu" && isUnreadyForCPU(
                pod: pod, metric: metric, cpuInitializationPeriodSeconds: cpuInitializationPeriodSeconds,
                initialReadinessDelaySeconds: initialReadinessDelaySeconds, now: now)
            {
                groups.unready.insert(pod.name)
                continue
            }
            groups.readyPodCount += 1
        }
        return groups
    }

    static func isUnreadyForCPU(
        pod: ScalingPod, metric: PodMetricSample, cpuInitializationPeriodSeconds: Double,
        initialReadinessDelaySeconds: Double, now: Date
    ) -> Bool {
        guard let ready = pod.ready, let start = pod.startTime else { return true }
        let readyFalse = ready.status == "False"
        if start.addingTimeInterval(cpuInitializationPeriodSeconds) > now {
            // Still initializing: unready unless the sample window lies entirely after the last
            // readiness transition.
            return readyFalse || metric.timestamp < ready.lastTransitionTime.addingTimeInterval(metric.windowSeconds)
        }
        // Never became ready since its initial readiness delay.
        return readyFalse && start.addingTimeInterval(initialReadinessDelaySeconds) > ready.lastTransitionTime
    }

    /// Removes the metrics of the given pods (unready and ignored ones).
    public static func removing(_ names: Set<String>, from metrics: PodMetricsByName) -> PodMetricsByName {
        metrics.filter { !names.contains($0.key) }
    }
}
