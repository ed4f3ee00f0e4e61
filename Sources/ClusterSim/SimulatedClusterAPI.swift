import KubeAPI
import Simulation

/// A scalable workload to seed: the object (a Deployment by default) plus its simulation model.
public struct WorkloadSpec: Sendable {
    /// `Deployment`, `StatefulSet`, `ReplicaSet`, `ReplicationController` or `WorkerPool`.
    public var kind: String = "Deployment"
    public var namespace: String
    public var name: String
    public var replicas: Int
    /// Pod labels and selector; default `app=<name>`.
    public var labels: [String: String]
    public var containerName: String = "app"
    public var model: WorkloadModel
    public var load: LoadProfile

    public init(kind: String = "Deployment", namespace: String, name: String, replicas: Int, labels: [String: String]? = nil,
                containerName: String = "app", model: WorkloadModel = .loginService,
                load: LoadProfile = LoadProfile(demand: .constant(0))) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.replicas = replicas
        self.labels = labels ?? ["app": name]
        self.containerName = containerName
        self.model = model
        self.load = load
    }
}

extension SimulatedCluster {
    // MARK: - Objects

    private func resourceType(apiVersion: String?, kind: String) throws(ClusterSimError) -> ResourceType {
        let registry = api.registry
        let found = apiVersion.flatMap { registry.resource(apiVersion: $0, kind: kind) } ?? (apiVersion == nil ? registry.resource(kind: kind) : nil)
        guard let found else { throw ClusterSimError(code: 404, "the simulated cluster does not serve \(apiVersion ?? "?")/\(kind)") }
        return found
    }

    /// Creates an object from its JSON (apiVersion and kind pick the resource), with the same
    /// defaulting and validation as a POST. Returns the stored object.
    @discardableResult
    public func create(_ object: KubeAPI.JSONValue) throws(ClusterSimError) -> KubeAPI.JSONValue {
        guard let kind = object["kind"]?.stringValue else { throw ClusterSimError(code: 400, "the object has no kind") }
        let resource = try resourceType(apiVersion: object["apiVersion"]?.stringValue, kind: kind)
        let namespace = resource.namespaced ? (object.value(at: ["metadata", "namespace"])?.stringValue ?? "default") : ""
        var body = object
        Admission.applyDefaults(&body, for: resource)
        let problems = Admission.problems(body, for: resource)
        if !problems.isEmpty {
            throw ClusterSimError(APIError.invalid(resource, body.value(at: ["metadata", "name"])?.stringValue ?? "", causes: problems))
        }
        ensureNamespace(namespace)
        do {
            let stored = try api.store.create(resource, namespace: namespace, object: body)
            api.simulation.didWrite(resource, namespace: namespace, name: stored.name)
            return stored.json
        } catch {
            throw ClusterSimError(error)
        }
    }

    /// Creates an object from JSON text.
    @discardableResult
    public func create(json text: String) throws(ClusterSimError) -> KubeAPI.JSONValue {
        do {
            return try create(JSONCodec.parse(text))
        } catch let error as JSONSyntaxError {
            throw ClusterSimError(code: 400, error.description)
        } catch let error as ClusterSimError {
            throw error
        } catch {
            throw ClusterSimError("\(error)")
        }
    }

    private func ensureNamespace(_ namespace: String) {
        guard !namespace.isEmpty, let resource = api.registry.resource(kind: "Namespace"),
              api.store.get(resource, namespace: "", name: namespace) == nil else { return }
        _ = try? api.store.create(resource, namespace: "", object: .object([
            "metadata": .object(["name": .string(namespace)]), "status": .object(["phase": .string("Active")]),
        ]))
    }

    /// The stored object, or nil.
    public func object(apiVersion: String? = nil, kind: String, namespace: String = "default", name: String) -> KubeAPI.JSONValue? {
        guard let resource = try? resourceType(apiVersion: apiVersion, kind: kind) else { return nil }
        return api.store.get(resource, namespace: resource.namespaced ? namespace : "", name: name)?.json
    }

    /// All stored objects of a kind, in one namespace or (nil) all.
    public func objects(apiVersion: String? = nil, kind: String, namespace: String? = nil) -> [KubeAPI.JSONValue] {
        guard let resource = try? resourceType(apiVersion: apiVersion, kind: kind) else { return [] }
        let page = try? api.store.list(resource, namespace: namespace, limit: nil, continueToken: nil, filter: { _ in true })
        return page?.items.map(\.json) ?? []
    }

    /// Read-modify-write of a stored object (no resourceVersion check). Spec changes bump the
    /// generation; watchers see MODIFIED.
    @discardableResult
    public func update(apiVersion: String? = nil, kind: String, namespace: String = "default", name: String,
                       _ change: @Sendable (inout KubeAPI.JSONValue) -> Void) throws(ClusterSimError) -> KubeAPI.JSONValue {
        let resource = try resourceType(apiVersion: apiVersion, kind: kind)
        do {
            let stored = try api.store.update(resource, namespace: resource.namespaced ? namespace : "", name: name, expectedResourceVersion: nil) { current in
                var next = current
                change(&next)
                return next
            }
            api.simulation.didWrite(resource, namespace: namespace, name: name)
            return stored.json
        } catch {
            throw ClusterSimError(error)
        }
    }

    public func delete(apiVersion: String? = nil, kind: String, namespace: String = "default", name: String) throws(ClusterSimError) {
        let resource = try resourceType(apiVersion: apiVersion, kind: kind)
        do {
            _ = try api.store.delete(resource, namespace: resource.namespaced ? namespace : "", name: name)
            api.simulation.didWrite(resource, namespace: namespace, name: name)
        } catch {
            throw ClusterSimError(error)
        }
    }

    /// The current resourceVersion of the store.
    public var resourceVersion: String { String(api.store.currentResourceVersion) }

    // MARK: - Workloads and load

    /// Creates a scalable object with pods driven by `spec.model` and `spec.load`. Initial pods
    /// are already running and ready.
    @discardableResult
    public func addWorkload(_ spec: WorkloadSpec) throws(ClusterSimError) -> KubeAPI.JSONValue {
        let resource = try resourceType(apiVersion: nil, kind: spec.kind)
        guard resource.scale != nil else { throw ClusterSimError(code: 400, "\(spec.kind) is not scalable") }
        api.simulation.configure(resource, namespace: spec.namespace, name: spec.name, model: spec.model, profile: spec.load)
        let labels = KubeAPI.JSONValue.stringMap(spec.labels)
        let container: KubeAPI.JSONValue = .object([
            "name": .string(spec.containerName), "image": .string("registry.example/\(spec.name):sim"),
            "resources": .object(["requests": .object([
                "cpu": .string(Quantity.milli(spec.model.cpuRequestMilli).description),
                "memory": .string(Quantity(spec.model.memoryRequestBytes, format: .binarySI).description),
            ])]),
        ])
        var specJSON: [String: KubeAPI.JSONValue] = [
            "replicas": .integer(Int64(spec.replicas)),
            "template": .object(["metadata": .object(["labels": labels]), "spec": .object(["containers": .array([container])])]),
        ]
        switch resource.scale?.selector {
        case .labelMap?: specJSON["selector"] = labels
        case .string?: break
        default: specJSON["selector"] = .object(["matchLabels": labels])
        }
        return try create(.object([
            "apiVersion": .string(resource.groupVersion), "kind": .string(resource.kind),
            "metadata": .object(["name": .string(spec.name), "namespace": .string(spec.namespace), "labels": labels]),
            "spec": .object(specJSON),
        ]))
    }

    /// Sets the load of a workload: its demand (spread over ready pods for CPU) and any per-pod or
    /// object custom metric curves.
    public func setLoad(kind: String = "Deployment", namespace: String, name: String, profile: LoadProfile) {
        guard let resource = try? resourceType(apiVersion: nil, kind: kind) else { return }
        api.simulation.configure(resource, namespace: namespace, name: name, model: nil, profile: profile)
    }

    /// Changes the model (delays, CPU per unit) of a workload.
    public func setModel(kind: String = "Deployment", namespace: String, name: String, model: WorkloadModel) {
        guard let resource = try? resourceType(apiVersion: nil, kind: kind) else { return }
        api.simulation.configure(resource, namespace: namespace, name: name, model: model, profile: nil)
    }

    /// An object metric served by custom.metrics.k8s.io for `resource` (a GroupResource such as
    /// `ingresses.networking.k8s.io`, or `namespaces` for the namespace itself).
    public func setObjectMetric(namespace: String, resource: String, name: String, metric: String, curve: LoadCurve) {
        api.simulation.setObjectMetric(namespace: namespace, resource: resource, name: name, metric: metric, curve: curve)
    }

    /// An external metric (external.metrics.k8s.io); `namespace` nil serves it in every namespace.
    public func setExternalMetric(namespace: String? = nil, name: String, labels: [String: String] = [:], curve: LoadCurve) {
        api.simulation.setExternalMetric(namespace: namespace, name: name, labels: labels, curve: curve)
    }

    // MARK: - Faults

    /// Installs a fault rule; rules are tried in the order installed.
    @discardableResult
    public func inject(_ fault: Fault) -> FaultID { api.faults.add(fault) }
    public func removeFault(_ id: FaultID) { api.faults.remove(id) }
    public func removeAllFaults() { api.faults.removeAll() }
    /// How often the rule fired so far.
    public func faultCount(_ id: FaultID) -> Int { api.faults.count(id) }
    /// Faults injected so far, all rules together.
    public var injectedFaultCount: Int { api.faults.total }
    /// Seeds the generator behind probabilistic faults.
    public func seedFaults(_ seed: UInt64) { api.faults.seed(seed) }

    /// Makes a metrics API group (`metrics.k8s.io`, `custom.metrics.k8s.io`, `external.metrics.k8s.io`)
    /// available, absent from discovery, or failing with 503.
    public func setMetricsAPI(_ group: String, _ availability: MetricsAPIAvailability) {
        api.metricsAvailability.withLock { $0[group] = availability }
    }

    /// Forgets the watch history: resuming a watch (or a continue token) from any earlier
    /// resourceVersion gets 410 Gone.
    public func expireWatchHistory() { api.store.compact() }

    /// Watches open right now.
    public var openWatchCount: Int { api.store.watchCount }

    // MARK: - Request log

    /// Every request served so far (newest last, up to 100,000).
    public var requests: [RequestRecord] { api.requestLog.all }
    /// The requests that created, updated, patched or deleted something.
    public var writeRequests: [RequestRecord] { api.requestLog.all.filter(\.isWrite) }
    public func clearRequestLog() { api.requestLog.clear() }
}
