import HTTPServer
import KubeAPI
import Simulation

/// The three metrics APIs, answered from the simulation (B4–B6 of the wire spec).
extension APIServer {
    func metrics(group: String, version: String, rest: [String], request: HTTPRequest) throws(APIError) -> HTTPResponse {
        switch availability(of: group) {
        case .absent: throw APIError.pathNotFound(request.path)
        case .failing: throw Self.statusFault(503)
        case .available: break
        }
        let filter = try ObjectFilter(query: ["labelSelector": request.query["labelSelector"] ?? ""])
        switch group {
        case "metrics.k8s.io": return try resourceMetrics(rest, filter: filter, request: request)
        case "custom.metrics.k8s.io": return try customMetrics(rest, version: version, filter: filter, request: request)
        default: return try externalMetrics(rest, request: request)
        }
    }

    private func listDocument(kind: String, apiVersion: String, items: [JSON]) -> HTTPResponse {
        .json(200, JSONCodec.serialize(.object(["kind": .string(kind), "apiVersion": .string(apiVersion),
                                                "metadata": .object([:]), "items": .array(items)])))
    }

    private func pods(namespace: String?, filter: ObjectFilter) -> [StoredObject] {
        (try? store.list(SimulationDriver.podResource, namespace: namespace, limit: nil, continueToken: nil, filter: filter.matches).items) ?? []
    }

    // MARK: metrics.k8s.io

    private func resourceMetrics(_ rest: [String], filter: ObjectFilter, request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let apiVersion = "metrics.k8s.io/v1beta1"
        switch rest.count {
        case 1 where rest[0] == "pods":
            return listDocument(kind: "PodMetricsList", apiVersion: apiVersion, items: simulation.podMetrics(pods(namespace: nil, filter: filter)))
        case 1 where rest[0] == "nodes":
            return listDocument(kind: "NodeMetricsList", apiVersion: apiVersion, items: [simulation.nodeMetrics()])
        case 2 where rest[0] == "nodes":
            guard rest[1] == "sim-node-1" else { throw metricsNotFound("nodes", rest[1]) }
            return .json(200, JSONCodec.serialize(simulation.nodeMetrics()))
        case 3 where rest[0] == "namespaces" && rest[2] == "pods":
            return listDocument(kind: "PodMetricsList", apiVersion: apiVersion, items: simulation.podMetrics(pods(namespace: rest[1], filter: filter)))
        case 4 where rest[0] == "namespaces" && rest[2] == "pods":
            guard let pod = store.get(SimulationDriver.podResource, namespace: rest[1], name: rest[3]),
                  let metrics = simulation.podMetrics([pod]).first else { throw metricsNotFound("pods", rest[3]) }
            return .json(200, JSONCodec.serialize(metrics))
        default:
            throw APIError.pathNotFound(request.path)
        }
    }

    private func metricsNotFound(_ resource: String, _ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(resource).metrics.k8s.io \"\(name)\" not found",
                 details: .object(["name": .string(name), "group": .string("metrics.k8s.io"), "kind": .string(resource)]))
    }

    // MARK: custom.metrics.k8s.io

    private func customMetrics(_ rest: [String], version: String, filter: ObjectFilter, request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let apiVersion = "custom.metrics.k8s.io/\(version)"
        var namespace: String?
        var tail = rest[...]
        if tail.first == "namespaces", tail.count >= 2 {
            namespace = tail[tail.startIndex + 1]
            tail = tail.dropFirst(2)
        }
        let parts = Array(tail)
        var values: [CustomMetricValue] = []
        if let namespace, parts.count == 2, parts[0] == "metrics" {
            // The namespace object itself.
            guard let value = simulation.objectMetric(namespace: namespace, resource: "namespaces", name: namespace, metric: parts[1]) else {
                throw customNotFound(parts[1], "namespaces", namespace)
            }
            values = [CustomMetricValue(kind: "Namespace", apiVersion: "/v1", namespace: nil, name: namespace, metric: parts[1], milli: value.milli, at: value.at)]
        } else if parts.count == 3 {
            let (resource, name, metric) = (parts[0], parts[1], parts[2])
            if name == "*" {
                guard resource == "pods", let namespace else { throw customNotFound(metric, resource, name) }
                values = simulation.podCustomMetric(metric, pods: pods(namespace: namespace, filter: filter))
            } else if resource == "pods", let namespace {
                guard let pod = store.get(SimulationDriver.podResource, namespace: namespace, name: name),
                      let value = simulation.podCustomMetric(metric, pods: [pod]).first else { throw customNotFound(metric, resource, name) }
                values = [value]
            } else {
                guard let value = simulation.objectMetric(namespace: namespace ?? "", resource: resource, name: name, metric: metric) else {
                    throw customNotFound(metric, resource, name)
                }
                values = [CustomMetricValue(kind: value.kind, apiVersion: value.apiVersion, namespace: namespace, name: name,
                                            metric: metric, milli: value.milli, at: value.at)]
            }
        } else {
            throw APIError.pathNotFound(request.path)
        }
        let items = values.map { $0.json(version: version, window: simulation.metricsWindowSeconds, clock: simulation.clock) }
        return listDocument(kind: "MetricValueList", apiVersion: apiVersion, items: items)
    }

    private func customNotFound(_ metric: String, _ resource: String, _ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "the server could not find the metric \(metric) for \(resource) \(name)",
                 details: .object(["name": .string(name), "group": .string("custom.metrics.k8s.io"), "kind": .string(resource)]))
    }

    // MARK: external.metrics.k8s.io

    private func externalMetrics(_ rest: [String], request: HTTPRequest) throws(APIError) -> HTTPResponse {
        guard rest.count == 3, rest[0] == "namespaces" else { throw APIError.pathNotFound(request.path) }
        let selectorText = request.query["labelSelector"] ?? ""
        let selector: Selector
        do { selector = selectorText.isEmpty ? .everything : try Selector(parsing: selectorText) } catch {
            throw APIError.badRequest("unable to parse labelSelector: \(error)")
        }
        let items = simulation.externalMetric(namespace: rest[1], name: rest[2], selector: selector)
        return listDocument(kind: "ExternalMetricValueList", apiVersion: "external.metrics.k8s.io/v1beta1", items: items)
    }
}

/// One custom metric value before it is written in the v1beta1 or v1beta2 shape.
struct CustomMetricValue {
    var kind: String
    var apiVersion: String
    var namespace: String?
    var name: String
    var metric: String
    var milli: Int64
    var at: SimSeconds

    func json(version: String, window: SimSeconds, clock: any SimulationClock) -> JSON {
        var described: [String: JSON] = ["kind": .string(kind), "name": .string(name), "apiVersion": .string(apiVersion)]
        if let namespace { described["namespace"] = .string(namespace) }
        var item: [String: JSON] = [
            "describedObject": .object(described),
            "timestamp": .string(KubeTime(clock.date(at: at)).description),
            "windowSeconds": .integer(Int64(window.rounded())),
            "value": .string(Quantity.milli(milli).description),
        ]
        if version == "v1beta1" {
            item["metricName"] = .string(metric)
            item["selector"] = .null
        } else {
            item["metric"] = .object(["name": .string(metric), "selector": .null])
        }
        return .object(item)
    }
}

extension SimulationDriver {
    var metricsWindowSeconds: SimSeconds { defaultModel.metricsWindow }

    /// PodMetrics for the given pods that belong to simulated workloads and are running.
    func podMetrics(_ pods: [StoredObject]) -> [JSON] {
        let now = clock.now()
        let stamp: JSON = .string(KubeTime(clock.date(at: now)).description)
        return state.withLock { state in
            var items: [JSON] = []
            // Per owner, once: its pods by name and the demand share of one ready pod.
            var owners: [String: (pods: [String: SimPod], share: Double, window: JSON)] = [:]
            for pod in pods {
                guard let ownerKey = state.podOwners["\(pod.namespace)/\(pod.name)"], let owner = state.workloads[ownerKey] else { continue }
                if owners[ownerKey] == nil {
                    let byName = Dictionary(owner.workload.pods.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
                    owners[ownerKey] = (byName, owner.workload.sharePerReadyPod(demand: owner.profile.demand(at: now), at: now),
                                        .string(GoDuration(seconds: owner.workload.model.metricsWindow).description))
                }
                guard let cached = owners[ownerKey], let simPod = cached.pods[pod.name], simPod.phase(at: now) == .running else { continue }
                let cpu = owner.workload.cpuMilli(of: simPod, share: cached.share, at: now)
                let memory = owner.workload.memoryBytes(of: simPod, share: cached.share, at: now)
                let nanocores = Workload.milli(cpu * 1_000_000)
                let kibibytes = Workload.milli(memory / 1024)
                items.append(.object([
                    "metadata": .object(["name": .string(pod.name), "namespace": .string(pod.namespace),
                                         "creationTimestamp": stamp, "labels": .stringMap(pod.labels)]),
                    "timestamp": stamp, "window": cached.window,
                    "containers": .array([.object(["name": .string(owner.containerName),
                                                   "usage": .object(["cpu": .string("\(nanocores)n"), "memory": .string("\(kibibytes)Ki")])])]),
                ]))
            }
            return items
        }
    }

    func nodeMetrics() -> JSON {
        let now = clock.now()
        let (cpu, memory) = state.withLock { state -> (Double, Double) in
            var cpu = 0.0, memory = 0.0
            for owner in state.workloads.values {
                let share = owner.workload.sharePerReadyPod(demand: owner.profile.demand(at: now), at: now)
                for pod in owner.workload.pods {
                    cpu += owner.workload.cpuMilli(of: pod, share: share, at: now)
                    memory += owner.workload.memoryBytes(of: pod, share: share, at: now)
                }
            }
            return (cpu, memory)
        }
        return .object([
            "kind": .string("NodeMetrics"), "apiVersion": .string("metrics.k8s.io/v1beta1"),
            "metadata": .object(["name": .string("sim-node-1")]),
            "timestamp": .string(KubeTime(clock.date(at: now)).description), "window": .string("20s"),
            "usage": .object(["cpu": .string("\(Workload.milli(cpu * 1_000_000))n"), "memory": .string("\(Workload.milli(memory / 1024))Ki")]),
        ])
    }

    /// Per-pod values of custom metric `metric`: each workload's curve for it, spread over its ready pods.
    func podCustomMetric(_ metric: String, pods: [StoredObject]) -> [CustomMetricValue] {
        let now = clock.now()
        return state.withLock { state in
            var values: [CustomMetricValue] = []
            var samplesByOwner: [String: [String: Int64]] = [:]
            for pod in pods {
                guard let ownerKey = state.podOwners["\(pod.namespace)/\(pod.name)"], let owner = state.workloads[ownerKey],
                      owner.profile.hasCurve(forMetric: metric) else { continue }
                if samplesByOwner[ownerKey] == nil {
                    let samples = owner.workload.perPodSamples(total: owner.profile.value(ofMetric: metric, at: now), at: now)
                    samplesByOwner[ownerKey] = Dictionary(samples.map { ($0.podName, $0.milliValue) }, uniquingKeysWith: { first, _ in first })
                }
                guard let milli = samplesByOwner[ownerKey]?[pod.name] else { continue }
                values.append(CustomMetricValue(kind: "Pod", apiVersion: "/v1", namespace: pod.namespace, name: pod.name,
                                                metric: metric, milli: milli, at: now))
            }
            return values
        }
    }

    /// An object metric: a registered series, or a simulated workload's own curve for `metric`.
    func objectMetric(namespace: String, resource: String, name: String, metric: String) -> (milli: Int64, at: SimSeconds, kind: String, apiVersion: String)? {
        let now = clock.now()
        return state.withLock { state in
            if let series = state.objectMetrics["\(namespace)/\(resource)/\(name)/\(metric)"] {
                let (kind, apiVersion) = Self.describedKind(resource, registry: registry)
                return (Workload.milli(series.curve.value(at: now) * 1000), now, kind, apiVersion)
            }
            for owner in state.workloads.values where owner.namespace == namespace && owner.name == name
                && (owner.resource.qualifiedName == resource || owner.resource.plural == resource) && owner.profile.hasCurve(forMetric: metric) {
                return (Workload.milli(owner.profile.value(ofMetric: metric, at: now) * 1000), now, owner.resource.kind, owner.resource.groupVersion)
            }
            return nil
        }
    }

    /// `kind` and `apiVersion` for a `GroupResource` string such as `ingresses.networking.k8s.io`.
    static func describedKind(_ resource: String, registry: ResourceRegistry) -> (String, String) {
        if let known = registry.all.first(where: { $0.qualifiedName == resource }) {
            return (known.kind, known.group.isEmpty ? "/v1" : known.groupVersion)
        }
        if resource == "namespaces" { return ("Namespace", "/v1") }
        let plural = resource.split(separator: ".").first.map(String.init) ?? resource
        let group = resource.split(separator: ".").dropFirst().joined(separator: ".")
        var kind = plural.hasSuffix("ses") ? String(plural.dropLast(2)) : (plural.hasSuffix("s") ? String(plural.dropLast()) : plural)
        kind = kind.prefix(1).uppercased() + kind.dropFirst()
        return (kind, group.isEmpty ? "/v1" : "\(group)/v1")
    }

    func externalMetric(namespace: String, name: String, selector: Selector) -> [JSON] {
        let now = clock.now()
        return state.withLock { state in
            state.externalMetrics.filter { ($0.namespace == nil || $0.namespace == namespace) && $0.name == name && selector.matches($0.labels) }
                .map { series in
                    .object([
                        "metricName": .string(name), "metricLabels": .stringMap(series.labels),
                        "timestamp": .string(KubeTime(clock.date(at: now)).description), "window": .integer(Int64(metricsWindowSeconds.rounded())),
                        "value": .string(Quantity.milli(Workload.milli(series.curve.value(at: now) * 1000)).description),
                    ])
                }
        }
    }

    func customMetricNames() -> [String] {
        state.withLock { state in
            var names = Set<String>()
            for owner in state.workloads.values {
                for metric in owner.profile.metrics.keys {
                    names.insert("pods/\(metric)")
                    names.insert("\(owner.resource.qualifiedName)/\(metric)")
                }
            }
            for key in state.objectMetrics.keys {
                let parts = key.split(separator: "/")
                if parts.count == 4 { names.insert("\(parts[1])/\(parts[3])") }
            }
            return names.sorted()
        }
    }

    func externalMetricNames() -> [String] {
        state.withLock { Set($0.externalMetrics.map(\.name)).sorted() }
    }
}
