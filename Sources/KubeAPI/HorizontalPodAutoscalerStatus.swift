public struct HorizontalPodAutoscalerStatus: Sendable, Hashable, Codable {
    public var observedGeneration: Int64?
    public var lastScaleTime: KubeTime?
    public var currentReplicas: Int32?
    public var desiredReplicas: Int32
    public var currentMetrics: [MetricStatus]?
    public var conditions: [HorizontalPodAutoscalerCondition]?

    public init(observedGeneration: Int64? = nil, lastScaleTime: KubeTime? = nil, currentReplicas: Int32? = nil,
                desiredReplicas: Int32, currentMetrics: [MetricStatus]? = nil,
                conditions: [HorizontalPodAutoscalerCondition]? = nil) {
        self.observedGeneration = observedGeneration
        self.lastScaleTime = lastScaleTime
        self.currentReplicas = currentReplicas
        self.desiredReplicas = desiredReplicas
        self.currentMetrics = currentMetrics
        self.conditions = conditions
    }

    enum CodingKeys: String, CodingKey {
        case observedGeneration, lastScaleTime, currentReplicas, desiredReplicas, currentMetrics, conditions
    }

    /// The controller owns the whole status: fields it clears are written as explicit `null`
    /// (and `currentMetrics` as a list) so that a ``Preserved`` write removes stale values.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let observedGeneration { try container.encode(observedGeneration, forKey: .observedGeneration) }
        else { try container.encodeNil(forKey: .observedGeneration) }
        try container.encodeIfPresent(lastScaleTime, forKey: .lastScaleTime)
        try container.encodeIfPresent(currentReplicas, forKey: .currentReplicas)
        try container.encode(desiredReplicas, forKey: .desiredReplicas)
        if let currentMetrics, !currentMetrics.isEmpty { try container.encode(currentMetrics, forKey: .currentMetrics) }
        else { try container.encodeNil(forKey: .currentMetrics) }
        try container.encodeIfPresent(conditions, forKey: .conditions)
    }
}

public enum ConditionStatus: String, Sendable, Hashable, Codable {
    case `true` = "True", `false` = "False", unknown = "Unknown"
}

public struct HorizontalPodAutoscalerCondition: Sendable, Hashable, Codable {
    public var type: String
    public var status: ConditionStatus
    public var lastTransitionTime: KubeTime?
    public var reason: String?
    public var message: String?

    public init(type: String, status: ConditionStatus, lastTransitionTime: KubeTime? = nil,
                reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

public struct MetricStatus: Sendable, Hashable, Codable {
    public var type: String
    public var object: ObjectMetricStatus?
    public var pods: PodsMetricStatus?
    public var resource: ResourceMetricStatus?
    public var containerResource: ContainerResourceMetricStatus?
    public var external: ExternalMetricStatus?

    public init(type: String, object: ObjectMetricStatus? = nil, pods: PodsMetricStatus? = nil,
                resource: ResourceMetricStatus? = nil, containerResource: ContainerResourceMetricStatus? = nil,
                external: ExternalMetricStatus? = nil) {
        self.type = type
        self.object = object
        self.pods = pods
        self.resource = resource
        self.containerResource = containerResource
        self.external = external
    }
}

public struct MetricValueStatus: Sendable, Hashable, Codable {
    public var value: Quantity?
    public var averageValue: Quantity?
    public var averageUtilization: Int32?

    public init(value: Quantity? = nil, averageValue: Quantity? = nil, averageUtilization: Int32? = nil) {
        self.value = value
        self.averageValue = averageValue
        self.averageUtilization = averageUtilization
    }
}

public struct ResourceMetricStatus: Sendable, Hashable, Codable {
    public var name: String
    public var current: MetricValueStatus
    public init(name: String, current: MetricValueStatus) { self.name = name; self.current = current }
}

public struct ContainerResourceMetricStatus: Sendable, Hashable, Codable {
    public var name: String
    public var container: String
    public var current: MetricValueStatus
    public init(name: String, container: String, current: MetricValueStatus) {
        self.name = name
        self.container = container
        self.current = current
    }
}

public struct PodsMetricStatus: Sendable, Hashable, Codable {
    public var metric: MetricIdentifier
    public var current: MetricValueStatus
    public init(metric: MetricIdentifier, current: MetricValueStatus) { self.metric = metric; self.current = current }
}

public struct ObjectMetricStatus: Sendable, Hashable, Codable {
    public var metric: MetricIdentifier
    public var current: MetricValueStatus
    public var describedObject: CrossVersionObjectReference
    public init(metric: MetricIdentifier, current: MetricValueStatus, describedObject: CrossVersionObjectReference) {
        self.metric = metric
        self.current = current
        self.describedObject = describedObject
    }
}

public struct ExternalMetricStatus: Sendable, Hashable, Codable {
    public var metric: MetricIdentifier
    public var current: MetricValueStatus
    public init(metric: MetricIdentifier, current: MetricValueStatus) { self.metric = metric; self.current = current }
}
