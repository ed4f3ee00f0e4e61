/// core/v1 Pod: the fields the HPA algorithm uses (phase, conditions, start time, deletion,
/// container, restartable init container, overhead and pod-level requests).
public struct Pod: Sendable, Hashable, Codable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: PodSpec?
    public var status: PodStatus?

    public init(metadata: ObjectMeta, spec: PodSpec? = nil, status: PodStatus? = nil) {
        apiVersion = "v1"
        kind = "Pod"
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The parts of a pod spec the HPA reads; `containers` defaults to empty.
public struct PodSpec: Sendable, Hashable, Codable {
    public var containers: [Container]
    public var initContainers: [Container]?
    public var overhead: [String: Quantity]?
    /// Pod-level resources (feature `PodLevelResources`).
    public var resources: ResourceRequirements?

    public init(containers: [Container], initContainers: [Container]? = nil, overhead: [String: Quantity]? = nil,
                resources: ResourceRequirements? = nil) {
        self.containers = containers
        self.initContainers = initContainers
        self.overhead = overhead
        self.resources = resources
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        containers = try container.decodeIfPresent([Container].self, forKey: .containers) ?? []
        initContainers = try container.decodeIfPresent([Container].self, forKey: .initContainers)
        overhead = try container.decodeIfPresent([String: Quantity].self, forKey: .overhead)
        resources = try container.decodeIfPresent(ResourceRequirements.self, forKey: .resources)
    }
}

/// A container (or init container) with its resources.
public struct Container: Sendable, Hashable, Codable {
    public var name: String
    public var image: String?
    public var resources: ResourceRequirements?
    /// `Always` marks a restartable init container (a sidecar).
    public var restartPolicy: String?

    public init(name: String, image: String? = nil, resources: ResourceRequirements? = nil, restartPolicy: String? = nil) {
        self.name = name
        self.image = image
        self.resources = resources
        self.restartPolicy = restartPolicy
    }
}

/// `resources.requests` and `resources.limits`.
public struct ResourceRequirements: Sendable, Hashable, Codable {
    public var requests: [String: Quantity]?
    public var limits: [String: Quantity]?

    public init(requests: [String: Quantity]? = nil, limits: [String: Quantity]? = nil) {
        self.requests = requests
        self.limits = limits
    }
}

/// `status.phase`.
public enum PodPhase: String, Sendable, Hashable, Codable {
    case pending = "Pending", running = "Running", succeeded = "Succeeded", failed = "Failed", unknown = "Unknown"
}

/// The parts of a pod status the HPA reads.
public struct PodStatus: Sendable, Hashable, Codable {
    public var phase: PodPhase?
    public var conditions: [PodCondition]?
    public var startTime: KubeTime?

    public init(phase: PodPhase? = nil, conditions: [PodCondition]? = nil, startTime: KubeTime? = nil) {
        self.phase = phase
        self.conditions = conditions
        self.startTime = startTime
    }

    /// The `Ready` condition, if the pod has one.
    public var readyCondition: PodCondition? { conditions?.first { $0.type == "Ready" } }
}

/// A pod condition (`Ready`, `PodScheduled`, …).
public struct PodCondition: Sendable, Hashable, Codable {
    public var type: String
    public var status: ConditionStatus
    public var lastTransitionTime: KubeTime?

    public init(type: String, status: ConditionStatus, lastTransitionTime: KubeTime? = nil) {
        self.type = type
        self.status = status
        self.lastTransitionTime = lastTransitionTime
    }
}
