#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Upstream's replica calculator (hpa-behavior.md §5): one proposal per metric source, computed
/// from already-fetched values. Every entry point takes the raw fetch result and applies the
/// metrics-client step itself, so error texts match upstream's exactly.
///
/// `pods` are the pods matching the scale's selector (any phase).
public struct ReplicaCalculator: Sendable {
    public var tolerances: Tolerances
    public var cpuInitializationPeriodSeconds: Double
    public var initialReadinessDelaySeconds: Double
    public var podLevelResources: Bool
    public var now: Date

    public init(
        tolerances: Tolerances, cpuInitializationPeriodSeconds: Double, initialReadinessDelaySeconds: Double,
        podLevelResources: Bool, now: Date
    ) {
        self.tolerances = tolerances
        self.cpuInitializationPeriodSeconds = cpuInitializationPeriodSeconds
        self.initialReadinessDelaySeconds = initialReadinessDelaySeconds
        self.podLevelResources = podLevelResources
        self.now = now
    }

    public init(settings: ControllerSettings, tolerances: Tolerances, now: Date) {
        self.init(
            tolerances: tolerances, cpuInitializationPeriodSeconds: settings.cpuInitializationPeriodSeconds,
            initialReadinessDelaySeconds: settings.initialReadinessDelaySeconds,
            podLevelResources: settings.featureGates.podLevelResources, now: now)
    }

    /// Result of the utilization entry point.
    public struct UtilizationProposal: Sendable, Equatable {
        public var replicas: Int32
        /// First-pass utilization in percent of request (ready pods only).
        public var utilization: Int32
        /// First-pass average usage per counted pod, milli-units.
        public var rawAverageMilli: Int64
        public var timestamp: Date
    }

    /// Result of the value entry points: `usage` is the reported value (average per pod, total,
    /// or per-pod value rounded up, depending on the source).
    public struct UsageProposal: Sendable, Equatable {
        public var replicas: Int32
        public var usageMilli: Int64
        public var timestamp: Date
    }

    // MARK: Resource / ContainerResource utilization (§5.4)

    public func resourceUtilizationReplicas(
        currentReplicas: Int32, targetUtilization: Int32, resource: String, container: String?,
        pods: [ScalingPod], fetched: MetricFetchResult
    ) throws(ScalingError) -> UtilizationProposal {
        let (metrics, timestamp) = try resourceMetrics(fetched, resource: resource, container: container)
        var (groups, usable) = try groupedMetrics(pods: pods, metrics: metrics, resource: resource)
        let requests = try PodRequests.calculate(
            pods: pods, container: container, resource: resource, podLevelResources: podLevelResources)

        let first = try UsageRatios.utilization(metrics: usable, requests: requests, targetUtilization: targetUtilization)
        let proposal = { (replicas: Int32) in
            UtilizationProposal(replicas: replicas, utilization: first.utilization, rawAverageMilli: first.rawAverage, timestamp: timestamp)
        }
        let scaleUpWithUnready = !groups.unready.isEmpty && first.ratio > 1.0
        if !scaleUpWithUnready && groups.missing.isEmpty {
            if tolerances.isWithin(first.ratio) { return proposal(currentReplicas) }
            return proposal(Saturating.ceilToInt32(first.ratio * Double(groups.readyPodCount), nanFallback: currentReplicas))
        }
        if !groups.missing.isEmpty {
            if first.ratio < 1.0 {
                let fallbackPercent = Int64(max(100, targetUtilization))
                for name in groups.missing {
                    let request = requests[name] ?? 0
                    usable[name] = PodMetricSample(valueMilli: Saturating.multiply(request, fallbackPercent) / 100)
                }
            } else if first.ratio > 1.0 {
                for name in groups.missing { usable[name] = PodMetricSample(valueMilli: 0) }
            }
        }
        if scaleUpWithUnready {
            for name in groups.unready { usable[name] = PodMetricSample(valueMilli: 0) }
        }
        let second = try UsageRatios.utilization(metrics: usable, requests: requests, targetUtilization: targetUtilization)
        return proposal(rebalanced(currentReplicas: currentReplicas, firstRatio: first.ratio, newRatio: second.ratio, entries: usable.count))
    }

    // MARK: plain per-pod usage (§5.5)

    /// Resource/ContainerResource with an `averageValue` target.
    public func resourceAverageValueReplicas(
        currentReplicas: Int32, targetUsageMilli: Int64, resource: String, container: String?,
        pods: [ScalingPod], fetched: MetricFetchResult
    ) throws(ScalingError) -> UsageProposal {
        let (metrics, timestamp) = try resourceMetrics(fetched, resource: resource, container: container)
        return try plainReplicas(
            currentReplicas: currentReplicas, targetUsageMilli: targetUsageMilli, resource: resource, pods: pods,
            metrics: metrics, timestamp: timestamp)
    }

    /// Pods metrics (`averageValue` per pod). Pods are grouped with an empty resource name, so the
    /// CPU readiness rules do not apply.
    public func podsMetricReplicas(
        currentReplicas: Int32, targetUsageMilli: Int64, metricName: String, pods: [ScalingPod], fetched: MetricFetchResult
    ) throws(ScalingError) -> UsageProposal {
        let metrics: PodMetricsByName
        let timestamp: Date
        do {
            (metrics, timestamp) = try MetricsClientLogic.podCustomMetrics(fetched)
        } catch {
            throw error.wrapped("unable to get metric \(metricName): ")
        }
        return try plainReplicas(
            currentReplicas: currentReplicas, targetUsageMilli: targetUsageMilli, resource: "", pods: pods,
            metrics: metrics, timestamp: timestamp)
    }

    func plainReplicas(
        currentReplicas: Int32, targetUsageMilli: Int64, resource: String, pods: [ScalingPod],
        metrics: PodMetricsByName, timestamp: Date
    ) throws(ScalingError) -> UsageProposal {
        var (groups, usable) = try groupedMetrics(pods: pods, metrics: metrics, resource: resource)

        let first = UsageRatios.averageUsage(metrics: usable, targetUsage: targetUsageMilli)
        let proposal = { (replicas: Int32) in UsageProposal(replicas: replicas, usageMilli: first.usage, timestamp: timestamp) }
        let scaleUpWithUnready = !groups.unready.isEmpty && first.ratio > 1.0
        if !scaleUpWithUnready && groups.missing.isEmpty {
            if tolerances.isWithin(first.ratio) { return proposal(currentReplicas) }
            return proposal(Saturating.ceilToInt32(first.ratio * Double(groups.readyPodCount), nanFallback: currentReplicas))
        }
        if !groups.missing.isEmpty {
            let assumed: Int64 = first.ratio < 1.0 ? targetUsageMilli : 0
            for name in groups.missing { usable[name] = PodMetricSample(valueMilli: assumed) }
        }
        if scaleUpWithUnready {
            for name in groups.unready { usable[name] = PodMetricSample(valueMilli: 0) }
        }
        let second = UsageRatios.averageUsage(metrics: usable, targetUsage: targetUsageMilli)
        return proposal(rebalanced(currentReplicas: currentReplicas, firstRatio: first.ratio, newRatio: second.ratio, entries: usable.count))
    }

    /// The metrics-client step for a resource metric, with upstream's error prefix.
    func resourceMetrics(
        _ fetched: MetricFetchResult, resource: String, container: String?
    ) throws(ScalingError) -> (metrics: PodMetricsByName, timestamp: Date) {
        do {
            return try MetricsClientLogic.podResourceMetrics(fetched, resource: resource, container: container)
        } catch {
            throw error.wrapped("unable to get metrics for resource \(resource): ")
        }
    }

    /// The per-pod paths' first steps: refuse an empty selection, group the pods (§5.3) and keep
    /// the metrics of the pods that are neither ignored nor unready (refusing when none are left).
    func groupedMetrics(
        pods: [ScalingPod], metrics: PodMetricsByName, resource: String
    ) throws(ScalingError) -> (groups: PodGroups, usable: PodMetricsByName) {
        if pods.isEmpty { throw ScalingError("no pods returned by selector while calculating replica count") }
        let groups = PodGrouping.group(
            pods: pods, metrics: metrics, resource: resource, cpuInitializationPeriodSeconds: cpuInitializationPeriodSeconds,
            initialReadinessDelaySeconds: initialReadinessDelaySeconds, now: now)
        let usable = PodGrouping.removing(groups.ignored.union(groups.unready), from: metrics)
        if usable.isEmpty { throw ScalingError("did not receive metrics for targeted pods (pods might be unready)") }
        return (groups, usable)
    }

    /// §5.4 step 8: after filling in missing/unready pods, keep the current count when the new ratio
    /// is within tolerance, flips direction, or would move the count against the original direction.
    func rebalanced(currentReplicas: Int32, firstRatio: Double, newRatio: Double, entries: Int) -> Int32 {
        if tolerances.isWithin(newRatio) || (firstRatio < 1.0 && newRatio > 1.0) || (firstRatio > 1.0 && newRatio < 1.0) {
            return currentReplicas
        }
        let newReplicas = Saturating.ceilToInt32(newRatio * Double(entries), nanFallback: currentReplicas)
        if (newRatio < 1.0 && newReplicas > currentReplicas) || (newRatio > 1.0 && newReplicas < currentReplicas) {
            return currentReplicas
        }
        return newReplicas
    }

    // MARK: Object (§5.6)

    /// Object metric with a `Value` target; `currentReplicas` is the spec replica count.
    public func objectValueReplicas(
        currentReplicas: Int32, targetUsageMilli: Int64, metricName: String, describedKind: String,
        describedName: String, namespace: String, pods: [ScalingPod], fetched: MetricFetchResult
    ) throws(ScalingError) -> UsageProposal {
        let usage: Int64
        do {
            usage = try MetricsClientLogic.objectMetric(fetched).valueMilli
        } catch {
            throw ScalingError("unable to get metric \(metricName): \(describedKind) on \(namespace) \(describedName)/\(error.message)")
        }
        let ratio = Double(usage) / Double(targetUsageMilli)
        let replicas = try replicasFromRatio(currentReplicas: currentReplicas, ratio: ratio, pods: pods)
        return UsageProposal(replicas: replicas, usageMilli: usage, timestamp: GoTime.zero)
    }

    /// Object metric with an `AverageValue` target; `statusReplicas` is the scale's status count.
    public func objectAverageValueReplicas(
        statusReplicas: Int32, targetAverageMilli: Int64, metricName: String, describedKind: String,
        describedName: String, namespace: String, fetched: MetricFetchResult
    ) throws(ScalingError) -> UsageProposal {
        let usage: Int64
        let timestamp: Date
        do {
            (usage, timestamp) = try MetricsClientLogic.objectMetric(fetched)
        } catch {
            throw ScalingError("unable to get metric \(metricName): \(describedKind) on \(namespace) \(describedName)/\(error.message)")
        }
        let replicas = replicasFromAverage(statusReplicas: statusReplicas, usageMilli: usage, targetAverageMilli: targetAverageMilli)
        return UsageProposal(replicas: replicas, usageMilli: Saturating.perPodUsage(total: usage, replicas: statusReplicas), timestamp: timestamp)
    }

    // MARK: External (§5.7)

    /// External metric with a `Value` target (the values are summed, saturating at `Int64.max`).
    public func externalValueReplicas(
        currentReplicas: Int32, targetUsageMilli: Int64, metricName: String, namespace: String, selectorText: String,
        pods: [ScalingPod], fetched: MetricFetchResult
    ) throws(ScalingError) -> UsageProposal {
        let values: [Int64]
        do {
            values = try MetricsClientLogic.externalMetric(fetched).valuesMilli
        } catch {
            throw ScalingError("unable to get external metric \(namespace)/\(metricName)/\(selectorText): \(error.message)")
        }
        var usage: Int64 = 0
        for value in values {
            let (sum, overflow) = usage.addingReportingOverflow(value)
            if overflow && value > 0 {
                usage = .max
                break
            }
            usage = overflow ? .min : sum
        }
        let ratio = Double(usage) / Double(targetUsageMilli)
        let replicas = try replicasFromRatio(currentReplicas: currentReplicas, ratio: ratio, pods: pods)
        return UsageProposal(replicas: replicas, usageMilli: usage, timestamp: GoTime.zero)
    }

    /// External metric with an `AverageValue` target; `statusReplicas` is the scale's status count.
    public func externalAverageValueReplicas(
        statusReplicas: Int32, targetAverageMilli: Int64, metricName: String, namespace: String, selectorText: String,
        fetched: MetricFetchResult
    ) throws(ScalingError) -> UsageProposal {
        let values: [Int64]
        let timestamp: Date
        do {
            (values, timestamp) = try MetricsClientLogic.externalMetric(fetched)
        } catch {
            throw ScalingError("unable to get external metric \(namespace)/\(metricName)/\(selectorText): \(error.message)")
        }
        var usage: Int64 = 0
        for value in values {
            let (sum, overflow) = usage.addingReportingOverflow(value)
            if overflow || sum < 0 {
                usage = .max  // upstream treats a negative running sum as overflow
                break
            }
            usage = sum
        }
        let replicas = replicasFromAverage(statusReplicas: statusReplicas, usageMilli: usage, targetAverageMilli: targetAverageMilli)
        let perPod: Int64 = Double(usage) >= 9223372036854775807.0 ? .max : Saturating.perPodUsage(total: usage, replicas: statusReplicas)
        return UsageProposal(replicas: replicas, usageMilli: perPod, timestamp: timestamp)
    }

    /// Object/External `AverageValue` targets: the status count when `usage / (target × status)`
    /// is within tolerance, else `ceil(usage / target)`.
    func replicasFromAverage(statusReplicas: Int32, usageMilli: Int64, targetAverageMilli: Int64) -> Int32 {
        let ratio = Double(usageMilli) / (Double(targetAverageMilli) * Double(statusReplicas))
        if tolerances.isWithin(ratio) { return statusReplicas }
        return Saturating.ceilToInt32(Double(usageMilli) / Double(targetAverageMilli), nanFallback: statusReplicas)
    }

    /// Object/External `Value` targets: tolerance and ready-pod count when running; `ceil(ratio)`
    /// without tolerance when scaling from zero.
    func replicasFromRatio(currentReplicas: Int32, ratio: Double, pods: [ScalingPod]) throws(ScalingError) -> Int32 {
        if currentReplicas == 0 { return Saturating.ceilToInt32(ratio, nanFallback: currentReplicas) }
        if tolerances.isWithin(ratio) { return currentReplicas }
        if pods.isEmpty {
            throw ScalingError("unable to calculate ready pods: no pods returned by selector while calculating replica count")
        }
        let ready = pods.filter(\.isRunningAndReady).count
        return Saturating.ceilToInt32(ratio * Double(ready), nanFallback: currentReplicas)
    }
}

/// Usage ratios over per-pod metrics (upstream `metrics/utilization.go`).
public enum UsageRatios {
    /// Utilization of the pods that have a request: `Σ usage × 100 / Σ request`, truncated to an
    /// integer percent before dividing by the target.
    public static func utilization(
        metrics: PodMetricsByName, requests: [String: Int64], targetUtilization: Int32
    ) throws(ScalingError) -> (ratio: Double, utilization: Int32, rawAverage: Int64) {
        var metricsTotal: Int64 = 0
        var requestsTotal: Int64 = 0
        var counted: Int64 = 0
        for (name, sample) in metrics {
            guard let request = requests[name] else { continue }
            metricsTotal = Saturating.add(metricsTotal, sample.valueMilli)
            requestsTotal = Saturating.add(requestsTotal, request)
            counted += 1
        }
        if requestsTotal == 0 { throw ScalingError("no metrics returned matched known pods") }
        let utilization = Saturating.int32(Saturating.divide(Saturating.multiply(metricsTotal, 100), requestsTotal))
        return (Double(utilization) / Double(targetUtilization), utilization, Saturating.divide(metricsTotal, counted))
    }

    /// Average usage over all entries (int64 division) and its ratio to the target.
    public static func averageUsage(metrics: PodMetricsByName, targetUsage: Int64) -> (ratio: Double, usage: Int64) {
        var total: Int64 = 0
        for sample in metrics.values { total = Saturating.add(total, sample.valueMilli) }
        let usage = Saturating.divide(total, Int64(metrics.count))
        return (Double(usage) / Double(targetUsage), usage)
    }
}
