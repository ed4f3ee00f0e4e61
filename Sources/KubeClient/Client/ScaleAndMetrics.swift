import KubeAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension KubeClient {
    /// `GET …/<plural>/<name>/scale` for any resource with a scale subresource.
    public func getScale(_ target: ScaleTarget, namespace: String, name: String) async throws -> Scale {
        try await get(Scale.self, target.resource, namespace: namespace, name: name, subresource: "scale")
    }

    /// `PUT …/scale` with the whole Scale (its resourceVersion guards against lost updates).
    public func updateScale(_ target: ScaleTarget, namespace: String, scale: Scale) async throws -> Scale {
        try await update(scale, target.resource, namespace: namespace, name: scale.metadata.name ?? "", subresource: "scale")
    }

    /// Sets `spec.replicas` with a merge patch (no resourceVersion, no conflicts).
    public func patchScale(_ target: ScaleTarget, namespace: String, name: String, replicas: Int32) async throws -> Scale {
        struct Patch: Encodable { struct Spec: Encodable { var replicas: Int32 }; var spec: Spec }
        return try await mergePatch(Scale.self, target.resource, namespace: namespace, name: name,
                                    patch: Patch(spec: .init(replicas: replicas)), subresource: "scale")
    }

    // MARK: metrics.k8s.io

    /// `GET /apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods?labelSelector=…` (the scale's selector, verbatim).
    public func podMetrics(namespace: String, labelSelector: String) async throws -> PodMetricsList {
        try await list(PodMetrics.self, ResourceType(group: "metrics.k8s.io", version: "v1beta1", plural: "pods"),
                       namespace: namespace, options: ListOptions(labelSelector: labelSelector))
    }

    // MARK: custom.metrics.k8s.io

    /// The custom metrics version the server prefers among v1beta2 and v1beta1.
    public func customMetricsVersion() async throws -> String {
        guard let version = try await preferredVersion(group: "custom.metrics.k8s.io", known: ["v1beta2", "v1beta1"]) else {
            await discovery.invalidate()
            throw KubeClientError(code: .notFound, method: "GET", url: configuration.server + "/apis",
                                  message: "no custom metrics API (custom.metrics.k8s.io) registered")
        }
        return version
    }

    /// A metric of every pod matching `podSelector`:
    /// `GET /apis/custom.metrics.k8s.io/<v>/namespaces/{ns}/pods/%2A/{metric}?labelSelector=…[&metricLabelSelector=…]`.
    public func podsCustomMetric(namespace: String, metricName: String, podSelector: String,
                                 metricSelector: String? = nil) async throws -> MetricValueList {
        var query = [("labelSelector", podSelector)]
        if let metricSelector, !metricSelector.isEmpty { query.append(("metricLabelSelector", metricSelector)) }
        return try await customMetricsGet(query: query) { version in
            "/apis/custom.metrics.k8s.io/\(version)/namespaces/\(PathSegment.escape(namespace))/pods/%2A/\(PathSegment.escape(metricName))"
        }
    }

    /// A metric describing one object. `groupResource` is `plural` (core) or `plural.group`
    /// (`deployments.apps`); `namespaces` addresses the namespace itself; `namespace` nil means
    /// a cluster-scoped object.
    public func objectCustomMetric(namespace: String?, groupResource: String, name: String, metricName: String,
                                   metricSelector: String? = nil) async throws -> MetricValueList {
        let metric = PathSegment.escape(metricName)
        let query = metricSelector.flatMap { $0.isEmpty ? nil : [("metricLabelSelector", $0)] } ?? []
        return try await customMetricsGet(query: query) { version in
            let base = "/apis/custom.metrics.k8s.io/\(version)"
            if groupResource == "namespaces" {
                return "\(base)/namespaces/\(PathSegment.escape(name))/metrics/\(metric)"
            } else if let namespace {
                return "\(base)/namespaces/\(PathSegment.escape(namespace))/\(PathSegment.escape(groupResource))/\(PathSegment.escape(name))/\(metric)"
            }
            return "\(base)/\(PathSegment.escape(groupResource))/\(PathSegment.escape(name))/\(metric)"
        }
    }

    /// GETs a custom metric with the discovered version. On 404/503 it re-discovers: a group that
    /// went away gives "no custom metrics API registered", a changed version is tried once.
    private func customMetricsGet(query: [(String, String)], path makePath: (String) -> String) async throws -> MetricValueList {
        let version = try await customMetricsVersion()
        do {
            return try await customMetricsGet(path: makePath(version), query: query)
        } catch let error as KubeClientError where error.code == .notFound || error.code == .serviceUnavailable {
            await discovery.invalidate()
            let fresh = try await customMetricsVersion()
            if fresh == version { throw error }
            return try await customMetricsGet(path: makePath(fresh), query: query)
        }
    }

    private func customMetricsGet(path: String, query: [(String, String)]) async throws -> MetricValueList {
        let response = try await perform(method: "GET", path: path, query: query)
        return try decode(MetricValueList.self, from: response, method: "GET", path: path)
    }

    // MARK: external.metrics.k8s.io

    /// `GET /apis/external.metrics.k8s.io/v1beta1/namespaces/{ns}/{metric}?labelSelector=<metric selector>`.
    public func externalMetric(namespace: String, metricName: String, metricSelector: String?) async throws -> ExternalMetricValueList {
        let path = "/apis/external.metrics.k8s.io/v1beta1/namespaces/\(PathSegment.escape(namespace))/\(PathSegment.escape(metricName))"
        let query = metricSelector.flatMap { $0.isEmpty ? nil : [("labelSelector", $0)] } ?? []
        let response = try await perform(method: "GET", path: path, query: query)
        return try decode(ExternalMetricValueList.self, from: response, method: "GET", path: path)
    }
}
