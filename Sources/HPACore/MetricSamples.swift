#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One item of a `metrics.k8s.io` PodMetrics list, projected to milli-units.
public struct PodResourceUsage: Sendable, Equatable {
    public struct Container: Sendable, Equatable {
        public var name: String
        /// Resource name → usage in milli-units (`cpu` millicores, `memory` milli-bytes).
        public var usageMilli: [String: Int64]
        public init(name: String, usageMilli: [String: Int64]) {
            self.name = name
            self.usageMilli = usageMilli
        }
    }
    public var podName: String
    public var timestamp: Date
    public var windowSeconds: Double
    public var containers: [Container]
    public init(podName: String, timestamp: Date, windowSeconds: Double, containers: [Container]) {
        self.podName = podName
        self.timestamp = timestamp
        self.windowSeconds = windowSeconds
        self.containers = containers
    }
}

/// One value of a custom or external metric, in milli-units. For Pods metrics `objectName` is the
/// pod's name; for Object metrics the described object's name; unused for external metrics.
public struct MetricSample: Sendable, Equatable {
    public var objectName: String
    public var valueMilli: Int64
    public var timestamp: Date
    /// `windowSeconds` reported by the custom metrics API; nil → 60 s.
    public var windowSeconds: Double?
    public init(objectName: String = "", valueMilli: Int64, timestamp: Date = GoTime.zero, windowSeconds: Double? = nil) {
        self.objectName = objectName
        self.valueMilli = valueMilli
        self.timestamp = timestamp
        self.windowSeconds = windowSeconds
    }
}

/// What a metrics fetch returned, handed back to the core for one `MetricFetchRequest`.
///
/// Pass raw API results: the core adds upstream's wrapping (`unable to fetch metrics from …
/// API: %v`) and turns empty lists into upstream's "no metrics returned" errors.
public enum MetricFetchResult: Sendable, Equatable {
    /// `metrics.k8s.io/v1beta1` PodMetrics items (Resource, ContainerResource).
    case podResources([PodResourceUsage])
    /// `custom.metrics.k8s.io` values: per pod (Pods metrics) or for the described object (Object).
    case custom([MetricSample])
    /// `external.metrics.k8s.io` values (summed by the core).
    case external([MetricSample])
    /// The API call failed; the text is the error as the client reports it.
    case failed(String)
}

/// Upstream's metrics-client step (§5.8): raw API answers → calculator inputs.
public enum MetricsClientLogic {
    /// PodMetrics items → per-pod value of `resource` (summed over containers, or the named
    /// container). Pods lacking the resource in any container (or lacking the named container)
    /// are omitted, so they become "missing".
    public static func podResourceMetrics(
        _ result: MetricFetchResult, resource: String, container: String?
    ) throws(ScalingError) -> (metrics: PodMetricsByName, timestamp: Date) {
        let items: [PodResourceUsage]
        switch result {
        case .podResources(let list): items = list
        case .failed(let text): throw ScalingError("unable to fetch metrics from resource metrics API: \(text)")
        case .custom, .external: throw ScalingError("unable to fetch metrics from resource metrics API: unexpected metrics kind")
        }
        guard let first = items.first else { throw ScalingError("no metrics returned from resource metrics API") }
        var metrics: PodMetricsByName = [:]
        metrics.reserveCapacity(items.count)
        for item in items {
            var value: Int64 = 0
            var complete = true
            if let container, !container.isEmpty {
                guard let found = item.containers.first(where: { $0.name == container }),
                    let usage = found.usageMilli[resource]
                else { continue }
                value = usage
            } else {
                if item.containers.isEmpty { continue }
                for entry in item.containers {
                    guard let usage = entry.usageMilli[resource] else {
                        complete = false
                        break
                    }
                    value = Saturating.add(value, usage)
                }
            }
            if complete {
                metrics[item.podName] = PodMetricSample(valueMilli: value, timestamp: item.timestamp, windowSeconds: item.windowSeconds)
            }
        }
        return (metrics, first.timestamp)
    }

    /// Custom metric values for pods → per-pod samples (window `windowSeconds` or 60 s).
    public static func podCustomMetrics(_ result: MetricFetchResult) throws(ScalingError) -> (metrics: PodMetricsByName, timestamp: Date) {
        let samples = try customSamples(result)
        var metrics: PodMetricsByName = [:]
        for sample in samples {
            metrics[sample.objectName] = PodMetricSample(
                valueMilli: sample.valueMilli, timestamp: sample.timestamp, windowSeconds: sample.windowSeconds ?? 60)
        }
        return (metrics, samples.first?.timestamp ?? GoTime.zero)
    }

    /// Custom metric value of one object (the first value returned).
    public static func objectMetric(_ result: MetricFetchResult) throws(ScalingError) -> (valueMilli: Int64, timestamp: Date) {
        let samples = try customSamples(result)
        guard let first = samples.first else { throw ScalingError("no metrics returned from custom metrics API") }
        return (first.valueMilli, first.timestamp)
    }

    /// External metric values (the calculator sums them).
    public static func externalMetric(_ result: MetricFetchResult) throws(ScalingError) -> (valuesMilli: [Int64], timestamp: Date) {
        switch result {
        case .external(let samples), .custom(let samples):
            guard let first = samples.first else { throw ScalingError("no metrics returned from external metrics API") }
            return (samples.map(\.valueMilli), first.timestamp)
        case .failed(let text): throw ScalingError("unable to fetch metrics from external metrics API: \(text)")
        case .podResources: throw ScalingError("unable to fetch metrics from external metrics API: unexpected metrics kind")
        }
    }

    static func customSamples(_ result: MetricFetchResult) throws(ScalingError) -> [MetricSample] {
        switch result {
        case .custom(let samples), .external(let samples):
            if samples.isEmpty { throw ScalingError("no metrics returned from custom metrics API") }
            return samples
        case .failed(let text): throw ScalingError("unable to fetch metrics from custom metrics API: \(text)")
        case .podResources: throw ScalingError("unable to fetch metrics from custom metrics API: unexpected metrics kind")
        }
    }
}
