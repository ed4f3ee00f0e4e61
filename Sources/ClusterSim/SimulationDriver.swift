#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI
import Simulation
import Synchronization

/// One scalable object the simulation drives: its `Workload` model, its load and the pods it
/// has published to the store.
struct SimulatedWorkload: Sendable {
    var resource: ResourceType
    var namespace: String
    var name: String
    var workload: Workload
    var profile: LoadProfile
    var podLabels: [String: String]
    var containerName: String
    var cpuRequest: String
    var memoryRequest: String
    /// Pod name → (phase, ready) as last written to the store.
    var published: [String: PodState] = [:]
    var uid: String = ""

    struct PodState: Sendable, Hashable {
        var running: Bool
        var ready: Bool
    }
}

/// An object or external metric fed from a curve.
struct MetricSeries: Sendable {
    var namespace: String?
    var name: String
    var labels: [String: String]
    var curve: LoadCurve
}

/// Keeps the store's workloads, pods and their status in step with the `Simulation` models and
/// answers the metrics APIs from them.
final class SimulationDriver: Sendable {
    struct State {
        var workloads: [String: SimulatedWorkload] = [:]
        /// namespace/pod → workload key.
        var podOwners: [String: String] = [:]
        /// Models and loads registered before their object exists, by workload key.
        var pendingModels: [String: (WorkloadModel, LoadProfile)] = [:]
        var objectMetrics: [String: MetricSeries] = [:]
        var externalMetrics: [MetricSeries] = []
    }

    let clock: any SimulationClock
    let store: ObjectStore
    let registry: ResourceRegistry
    let defaultModel: WorkloadModel
    let state = Mutex(State())

    init(clock: any SimulationClock, store: ObjectStore, registry: ResourceRegistry, defaultModel: WorkloadModel, maxPodsPerWorkload: Int = 5_000) {
        self.maxPodsPerWorkload = max(0, maxPodsPerWorkload)
        self.clock = clock
        self.store = store
        self.registry = registry
        self.defaultModel = defaultModel
    }

    /// Pods simulated per workload at most.
    let maxPodsPerWorkload: Int

    static func key(_ resource: ResourceType, _ namespace: String, _ name: String) -> String {
        "\(resource.id)/\(namespace)/\(name)"
    }

    /// Called after every API write: a scalable object that changed gets its pods reconciled.
    func didWrite(_ resource: ResourceType, namespace: String, name: String) {
        guard resource.scale != nil else { return }
        state.withLock { state in reconcile(Self.key(resource, namespace, name), resource, namespace, name, in: &state) }
    }

    /// Registers the model and load of a workload (before or after its object exists).
    func configure(_ resource: ResourceType, namespace: String, name: String, model: WorkloadModel?, profile: LoadProfile?) {
        state.withLock { state in
            let key = Self.key(resource, namespace, name)
            if var existing = state.workloads[key] {
                if let model { existing.workload.model = model }
                if let profile { existing.profile = profile }
                state.workloads[key] = existing
            } else {
                let pending = state.pendingModels[key]
                state.pendingModels[key] = (model ?? pending?.0 ?? defaultModel, profile ?? pending?.1 ?? LoadProfile(demand: .constant(0)))
            }
            reconcile(key, resource, namespace, name, in: &state)
        }
    }

    func setObjectMetric(namespace: String, resource: String, name: String, metric: String, curve: LoadCurve) {
        state.withLock { $0.objectMetrics["\(namespace)/\(resource)/\(name)/\(metric)"] = MetricSeries(namespace: namespace, name: metric, labels: [:], curve: curve) }
    }

    func setExternalMetric(namespace: String?, name: String, labels: [String: String], curve: LoadCurve) {
        state.withLock { state in
            state.externalMetrics.removeAll { $0.namespace == namespace && $0.name == name && $0.labels == labels }
            state.externalMetrics.append(MetricSeries(namespace: namespace, name: name, labels: labels, curve: curve))
        }
    }

    /// Steps every workload to the clock's current time (pods becoming Running/Ready, status).
    func reconcileAll() {
        state.withLock { state in
            var keys = Set(state.workloads.keys)
            // Scalable objects created directly in the store (not through the API) join too.
            for resource in registry.all where resource.scale != nil {
                if let page = try? store.list(resource, namespace: nil, limit: nil, continueToken: nil, filter: { _ in true }) {
                    for object in page.items { keys.insert(Self.key(resource, object.namespace, object.name)) }
                }
            }
            for key in keys.sorted() {
                let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 4, let resource = registry.all.first(where: { $0.id == "\(parts[0])/\(parts[1])" }) else { continue }
                reconcile(key, resource, parts[2], parts[3], in: &state)
            }
        }
    }

    // MARK: - Reconcile one workload

    private func reconcile(_ key: String, _ resource: ResourceType, _ namespace: String, _ name: String, in state: inout State) {
        guard let binding = resource.scale else { return }
        let now = clock.now()
        guard let object = store.get(resource, namespace: namespace, name: name) else {
            if let gone = state.workloads.removeValue(forKey: key) {
                for podName in gone.published.keys {
                    _ = try? store.delete(Self.podResource, namespace: namespace, name: podName)
                    state.podOwners["\(namespace)/\(podName)"] = nil
                }
            }
            return
        }
        // The simulation runs at most `maxPodsPerWorkload` pods per workload (a scale to 2 billion
        // must not exhaust memory); the object keeps the replicas it was given.
        let replicas = min(Int(clamping: object.json.value(at: binding.specReplicasPath)?.int64Value ?? 0), maxPodsPerWorkload)
        var simulated: SimulatedWorkload
        if let existing = state.workloads[key] {
            simulated = existing
        } else {
            let (model, profile) = state.pendingModels.removeValue(forKey: key) ?? (defaultModel, LoadProfile(demand: .constant(0)))
            simulated = makeWorkload(resource, object, model: model, profile: profile, replicas: replicas)
        }
        simulated.uid = object.json.value(at: ["metadata", "uid"])?.stringValue ?? ""
        if simulated.workload.specReplicas != replicas {
            simulated.workload.scale(to: replicas, at: now)
        }
        publishPods(&simulated, ownerKey: key, at: now, in: &state)
        state.workloads[key] = simulated
        publishStatus(simulated, resource, object, at: now)
    }

    static let podResource = ResourceRegistry.standard.all.first { $0.kind == "Pod" } ?? ResourceRegistry.workerPool

    private func makeWorkload(_ resource: ResourceType, _ object: StoredObject, model: WorkloadModel, profile: LoadProfile, replicas: Int) -> SimulatedWorkload {
        let json = object.json
        var labels = json.value(at: ["spec", "template", "metadata", "labels"])?.stringMap ?? [:]
        if labels.isEmpty { labels = json.value(at: ["spec", "selector", "matchLabels"])?.stringMap ?? [:] }
        if labels.isEmpty, resource.kind == "ReplicationController" { labels = json.value(at: ["spec", "selector"])?.stringMap ?? [:] }
        if labels.isEmpty { labels = ["app": object.name] }
        var container = "app"
        var cpu = Quantity.milli(model.cpuRequestMilli).description
        var memory = Quantity(model.memoryRequestBytes, format: .binarySI).description
        if case .array(let containers)? = json.value(at: ["spec", "template", "spec", "containers"]), let first = containers.first {
            container = first["name"]?.stringValue ?? container
            cpu = first.value(at: ["resources", "requests", "cpu"])?.stringValue ?? cpu
            memory = first.value(at: ["resources", "requests", "memory"])?.stringValue ?? memory
        }
        var model = model
        if let parsed = try? Quantity(parsing: cpu) { model.cpuRequestMilli = parsed.milliValue }
        let prefix = "\(object.name)-\(Self.shortHash(object.name))"
        return SimulatedWorkload(resource: resource, namespace: object.namespace, name: object.name,
                                 workload: Workload(model: model, podNamePrefix: prefix, replicas: replicas),
                                 profile: profile, podLabels: labels, containerName: container, cpuRequest: cpu, memoryRequest: memory)
    }

    static func shortHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var out = ""
        for _ in 0..<9 {
            out.append(alphabet[Int(hash % UInt64(alphabet.count))])
            hash /= UInt64(alphabet.count)
        }
        return out
    }

    private func publishPods(_ simulated: inout SimulatedWorkload, ownerKey: String, at now: SimSeconds, in state: inout State) {
        let namespace = simulated.namespace
        var wanted: Set<String> = []
        for pod in simulated.workload.pods {
            wanted.insert(pod.name)
            let podState = SimulatedWorkload.PodState(running: pod.phase(at: now) == .running, ready: pod.isReady(at: now))
            if let previous = simulated.published[pod.name], previous == podState { continue }
            let json = podJSON(simulated, pod, podState, at: now)
            if simulated.published[pod.name] == nil {
                _ = try? store.create(Self.podResource, namespace: namespace, object: json)
            } else {
                _ = try? store.update(Self.podResource, namespace: namespace, name: pod.name, expectedResourceVersion: nil) { current in
                    var next = current
                    next["status"] = json["status"]
                    return next
                }
            }
            simulated.published[pod.name] = podState
            state.podOwners["\(namespace)/\(pod.name)"] = ownerKey
        }
        for podName in simulated.published.keys where !wanted.contains(podName) {
            _ = try? store.delete(Self.podResource, namespace: namespace, name: podName)
            simulated.published[podName] = nil
            state.podOwners["\(namespace)/\(podName)"] = nil
        }
    }

    private func time(_ seconds: SimSeconds) -> JSON { .string(KubeTime(clock.date(at: seconds)).description) }

    private func podJSON(_ simulated: SimulatedWorkload, _ pod: SimPod, _ podState: SimulatedWorkload.PodState, at now: SimSeconds) -> JSON {
        var status: [String: JSON] = ["phase": .string(podState.running ? "Running" : "Pending"), "qosClass": .string("Burstable")]
        var conditions: [JSON] = [.object(["type": .string("PodScheduled"), "status": .string("True"), "lastTransitionTime": time(pod.createdAt)])]
        if podState.running {
            status["startTime"] = time(pod.runningAt)
            status["podIP"] = .string("10.0.\(abs(pod.name.hashValue) % 250).\(abs(pod.name.hashValue / 7) % 250 + 1)")
            let transition = podState.ready ? pod.readyAt : pod.runningAt
            for type in ["Initialized", "ContainersReady", "Ready"] {
                let isReady = type == "Initialized" ? true : podState.ready
                conditions.append(.object(["type": .string(type), "status": .string(isReady ? "True" : "False"),
                                           "lastTransitionTime": time(type == "Initialized" ? pod.runningAt : transition)]))
            }
            status["containerStatuses"] = .array([.object([
                "name": .string(simulated.containerName), "ready": .bool(podState.ready), "restartCount": .integer(0),
                "started": .bool(true), "image": .string("registry.example/\(simulated.name):sim"),
                "state": .object(["running": .object(["startedAt": time(pod.runningAt)])]),
            ])])
        }
        status["conditions"] = .array(conditions)
        let owner: JSON = .object(["apiVersion": .string(simulated.resource.groupVersion), "kind": .string(simulated.resource.kind),
                                   "name": .string(simulated.name), "uid": .string(simulated.uid), "controller": .bool(true)])
        return .object([
            "apiVersion": .string("v1"), "kind": .string("Pod"),
            "metadata": .object(["name": .string(pod.name), "namespace": .string(simulated.namespace),
                                 "labels": .stringMap(simulated.podLabels), "ownerReferences": .array([owner])]),
            "spec": .object(["nodeName": .string("sim-node-1"), "containers": .array([.object([
                "name": .string(simulated.containerName), "image": .string("registry.example/\(simulated.name):sim"),
                "resources": .object(["requests": .object(["cpu": .string(simulated.cpuRequest), "memory": .string(simulated.memoryRequest)])]),
            ])])]),
            "status": .object(status),
        ])
    }

    private func publishStatus(_ simulated: SimulatedWorkload, _ resource: ResourceType, _ object: StoredObject, at now: SimSeconds) {
        guard let binding = resource.scale else { return }
        let total = Int64(simulated.workload.statusReplicas)
        let ready = Int64(simulated.workload.readyCount(at: now))
        let generation = object.json.value(at: ["metadata", "generation"]) ?? .integer(1)
        _ = try? store.update(resource, namespace: object.namespace, name: object.name, expectedResourceVersion: nil) { current in
            var next = current
            next.setValue(.integer(total), at: binding.statusReplicasPath)
            next.setValue(.integer(ready), at: ["status", "readyReplicas"])
            next.setValue(.integer(ready), at: ["status", "availableReplicas"])
            if resource.group == "apps" { next.setValue(.integer(total), at: ["status", "updatedReplicas"]) }
            next.setValue(generation, at: ["status", "observedGeneration"])
            if case .string(let path) = binding.selector, object.json.value(at: path) == nil {
                next.setValue(.string(SelectorText.fromLabelMap(simulated.podLabels)), at: path)
            }
            return next
        }
    }
}
