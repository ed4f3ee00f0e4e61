#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI
import Synchronization

/// The three metrics APIs, one call per HPA metric. Answers are the raw API items; turning
/// them into replica counts is the decision core's job.
public protocol MetricsClient: Sendable {
    /// `metrics.k8s.io` PodMetrics of the pods `selector` (the scale's selector string) selects.
    func podResourceMetrics(namespace: String, selector: String) async throws -> [PodMetrics]
    /// `custom.metrics.k8s.io` values of `metricName` for every pod `podSelector` selects.
    /// Selectors are in string form (`app=web,tier in (a,b)`); nil or empty = none.
    func podCustomMetrics(namespace: String, metricName: String, podSelector: String,
                          metricSelector: String?) async throws -> [MetricValue]
    /// `custom.metrics.k8s.io` value of `metricName` for one described object (exactly one item).
    func objectMetric(namespace: String, object: CrossVersionObjectReference, metricName: String,
                      metricSelector: String?) async throws -> [MetricValue]
    /// `external.metrics.k8s.io` values of `metricName` selected by `selector`.
    func externalMetric(namespace: String, metricName: String, selector: String?) async throws -> [ExternalMetricValue]
}

/// A metrics call that failed before or after the request; the text is upstream's.
public struct MetricsClientError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The live metrics client: each request carries `timeout` as its deadline.
public struct APIMetricsClient: MetricsClient {
    public let requester: any KubeRequester
    public let discovery: ResourceDiscovery
    public let timeout: Duration

    public init(requester: any KubeRequester, discovery: ResourceDiscovery, timeout: Duration = .seconds(10)) {
        self.requester = requester
        self.discovery = discovery
        self.timeout = timeout
    }

    private func selectorText(_ selector: String?) -> String { selector ?? "" }

    private func ns(_ namespace: String) -> String { URLEncoding.pathSegment(namespace) }

    public func podResourceMetrics(namespace: String, selector: String) async throws -> [PodMetrics] {
        let request = APIRequest(path: "/apis/metrics.k8s.io/v1beta1/namespaces/\(ns(namespace))/pods",
                                 query: ["labelSelector": selector], timeout: timeout)
        return try await requester.get(PodMetricsList.self, request).items
    }

    /// The custom metrics API version the server prefers among the ones this client speaks.
    private func customMetricsBase() async throws -> String {
        let known = ["v1beta2", "v1beta1"]
        let offered = try await discovery.versions(of: "custom.metrics.k8s.io")
        guard let version = offered.first(where: known.contains) else {
            throw MetricsClientError("no custom metrics API (custom.metrics.k8s.io) registered")
        }
        return "/apis/custom.metrics.k8s.io/\(version)"
    }

    /// Runs a custom metrics call; when the server answers 404 or 503 (the adapter was replaced or
    /// went away, possibly with another version) discovery is refreshed and the call made once more,
    /// as upstream's client re-discovers the custom metrics API version.
    private func withRediscovery<T>(_ call: (_ base: String) async throws -> T) async throws -> T {
        do {
            return try await call(try await customMetricsBase())
        } catch let error as APIError where error.code == 404 || error.code == 503 {
            await discovery.invalidate()
            return try await call(try await customMetricsBase())
        }
    }

    public func podCustomMetrics(namespace: String, metricName: String, podSelector: String,
                                 metricSelector: String?) async throws -> [MetricValue] {
        try await withRediscovery { base in try await podCustomMetrics(base: base, namespace: namespace, metricName: metricName,
                                                                          podSelector: podSelector, metricSelector: metricSelector) }
    }

    private func podCustomMetrics(base: String, namespace: String, metricName: String, podSelector: String,
                                  metricSelector: String?) async throws -> [MetricValue] {
        var query = ["labelSelector": podSelector]
        let metricLabels = selectorText(metricSelector)
        if !metricLabels.isEmpty { query["metricLabelSelector"] = metricLabels }
        let request = APIRequest(path: "\(base)/namespaces/\(ns(namespace))/pods/\(URLEncoding.pathSegment("*"))/\(URLEncoding.pathSegment(metricName))",
                                 query: query, timeout: timeout)
        return try await requester.get(MetricValueList.self, request).items
    }

    public func objectMetric(namespace: String, object: CrossVersionObjectReference, metricName: String,
                             metricSelector: String?) async throws -> [MetricValue] {
        try await withRediscovery { base in try await objectMetric(base: base, namespace: namespace, object: object,
                                                                      metricName: metricName, metricSelector: metricSelector) }
    }

    private func objectMetric(base: String, namespace: String, object: CrossVersionObjectReference, metricName: String,
                              metricSelector: String?) async throws -> [MetricValue] {
        let group = parseGroupVersion(object.apiVersion ?? "")?.group ?? ""
        let path: String
        if object.kind == "Namespace" && group.isEmpty {
            path = "\(base)/namespaces/\(ns(namespace))/metrics/\(URLEncoding.pathSegment(metricName))"
        } else {
            guard let mapping = try await discovery.mappings(group: group, kind: object.kind).first else {
                throw MetricsClientError("no matches for kind \"\(object.kind)\" in group \"\(group)\"")
            }
            let scope = mapping.namespaced ? "\(base)/namespaces/\(ns(namespace))" : base
            path = "\(scope)/\(URLEncoding.pathSegment(mapping.groupResource))/\(URLEncoding.pathSegment(object.name))/\(URLEncoding.pathSegment(metricName))"
        }
        var query: [String: String] = [:]
        let metricLabels = selectorText(metricSelector)
        if !metricLabels.isEmpty { query["metricLabelSelector"] = metricLabels }
        let items = try await requester.get(MetricValueList.self, APIRequest(path: path, query: query, timeout: timeout)).items
        guard items.count == 1 else {
            throw MetricsClientError("the custom metrics API server returned \(items.count) results when we asked for exactly one")
        }
        return items
    }

    public func externalMetric(namespace: String, metricName: String, selector: String?) async throws -> [ExternalMetricValue] {
        let labels = selectorText(selector)
        let request = APIRequest(path: "/apis/external.metrics.k8s.io/v1beta1/namespaces/\(ns(namespace))/\(URLEncoding.pathSegment(metricName))",
                                 query: labels.isEmpty ? [:] : ["labelSelector": labels], timeout: timeout)
        return try await requester.get(ExternalMetricValueList.self, request).items
    }
}

/// Metrics held in memory for tests: values keyed by what is asked, plus failures and delays.
public final class InMemoryMetricsClient: MetricsClient {
    private struct State {
        var podMetrics: [String: [PodMetrics]] = [:]
        var podCustom: [String: [MetricValue]] = [:]
        var objects: [String: [MetricValue]] = [:]
        var external: [String: [ExternalMetricValue]] = [:]
        var failures: [String: String] = [:]
        var delays: [String: Duration] = [:]
        var calls: [String] = []
    }
    private let state = Mutex(State())
    public init() {}

    /// Every call, as `kind:namespace/name`, oldest first.
    public var calls: [String] { state.withLock { $0.calls } }

    public func setPodMetrics(namespace: String, _ items: [PodMetrics]) { state.withLock { $0.podMetrics[namespace] = items } }
    public func setPodCustom(namespace: String, metric: String, _ items: [MetricValue]) {
        state.withLock { $0.podCustom["\(namespace)/\(metric)"] = items }
    }
    public func setObject(namespace: String, object: String, metric: String, _ items: [MetricValue]) {
        state.withLock { $0.objects["\(namespace)/\(object)/\(metric)"] = items }
    }
    public func setExternal(namespace: String, metric: String, _ items: [ExternalMetricValue]) {
        state.withLock { $0.external["\(namespace)/\(metric)"] = items }
    }
    /// Calls whose key (`resource:ns`, `pods:ns/metric`, `object:ns/name/metric`, `external:ns/metric`) fail.
    public func fail(_ key: String, message: String?) { state.withLock { $0.failures[key] = message } }
    /// Calls whose key answer only after `delay`.
    public func delay(_ key: String, by delay: Duration?) { state.withLock { $0.delays[key] = delay } }

    private func enter(_ key: String) async throws {
        let (failure, delay) = state.withLock { state in
            state.calls.append(key)
            return (state.failures[key], state.delays[key])
        }
        if let delay { try await Task.sleep(for: delay) }
        if let failure { throw MetricsClientError(failure) }
    }

    public func podResourceMetrics(namespace: String, selector: String) async throws -> [PodMetrics] {
        try await enter("resource:\(namespace)")
        let selected = try Selector(parsing: selector)
        return state.withLock { $0.podMetrics[namespace] ?? [] }.filter { selected.matches($0.metadata.labels ?? [:]) }
    }
    public func podCustomMetrics(namespace: String, metricName: String, podSelector: String,
                                 metricSelector: String?) async throws -> [MetricValue] {
        try await enter("pods:\(namespace)/\(metricName)")
        return state.withLock { $0.podCustom["\(namespace)/\(metricName)"] ?? [] }
    }
    public func objectMetric(namespace: String, object: CrossVersionObjectReference, metricName: String,
                             metricSelector: String?) async throws -> [MetricValue] {
        try await enter("object:\(namespace)/\(object.name)/\(metricName)")
        return state.withLock { $0.objects["\(namespace)/\(object.name)/\(metricName)"] ?? [] }
    }
    public func externalMetric(namespace: String, metricName: String, selector: String?) async throws -> [ExternalMetricValue] {
        try await enter("external:\(namespace)/\(metricName)")
        return state.withLock { $0.external["\(namespace)/\(metricName)"] ?? [] }
    }
}
