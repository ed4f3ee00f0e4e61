/// `status` of an HPA, written only by the controller.
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

    /// The controller owns the whole status. Plain encoding omits unset fields and an empty
    /// `currentMetrics`/`conditions` (Go's `omitempty`). In a ``Preserved`` write every unset
    /// field is an explicit `null`, so a status update clears what the controller cleared
    /// (`observedGeneration`, `currentMetrics`, …) while unknown status fields survive.
    public func encode(to encoder: any Encoder) throws {
        let overlay = encoder.isMergeOverlay
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeOwned(observedGeneration, forKey: .observedGeneration, overlay: overlay)
        try container.encodeOwned(lastScaleTime, forKey: .lastScaleTime, overlay: overlay)
        try container.encodeOwned(currentReplicas, forKey: .currentReplicas, overlay: overlay)
        try container.encode(desiredReplicas, forKey: .desiredReplicas)
        try container.encodeOwned(currentMetrics?.isEmpty == false ? currentMetrics : nil, forKey: .currentMetrics, overlay: overlay)
        try container.encodeOwned(conditions?.isEmpty == false ? conditions : nil, forKey: .conditions, overlay: overlay)
    }
}

/// `True`, `False` or `Unknown`.
public enum ConditionStatus: String, Sendable, Hashable, Codable {
    case `true` = "True", `false` = "False", unknown = "Unknown"
}

/// One of `AbleToScale`, `ScalingActive`, `ScalingLimited`.
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

    enum CodingKeys: String, CodingKey { case type, status, lastTransitionTime, reason, message }

    /// Unset fields are explicit `null`s in a ``Preserved`` write (see the status encoder).
    public func encode(to encoder: any Encoder) throws {
        let overlay = encoder.isMergeOverlay
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(status, forKey: .status)
        try container.encodeOwned(lastTransitionTime, forKey: .lastTransitionTime, overlay: overlay)
        try container.encodeOwned(reason, forKey: .reason, overlay: overlay)
        try container.encodeOwned(message, forKey: .message, overlay: overlay)
    }
}

/// One entry of `status.currentMetrics`: `type` plus the member of that type.
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

    enum CodingKeys: String, CodingKey { case type, object, pods, resource, containerResource, external }

    /// The members of other types are explicit `null`s in a ``Preserved`` write, so an entry that
    /// changed type does not keep the old member.
    public func encode(to encoder: any Encoder) throws {
        let overlay = encoder.isMergeOverlay
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encodeOwned(object, forKey: .object, overlay: overlay)
        try container.encodeOwned(pods, forKey: .pods, overlay: overlay)
        try container.encodeOwned(resource, forKey: .resource, overlay: overlay)
        try container.encodeOwned(containerResource, forKey: .containerResource, overlay: overlay)
        try container.encodeOwned(external, forKey: .external, overlay: overlay)
    }
}

/// The current value of a metric: whichever of the three fields the target type uses.
public struct MetricValueStatus: Sendable, Hashable, Codable {
    public var value: Quantity?
    public var averageValue: Quantity?
    public var averageUtilization: Int32?

    public init(value: Quantity? = nil, averageValue: Quantity? = nil, averageUtilization: Int32? = nil) {
        self.value = value
        self.averageValue = averageValue
        self.averageUtilization = averageUtilization
    }

    enum CodingKeys: String, CodingKey { case value, averageValue, averageUtilization }

    /// Unset values are explicit `null`s in a ``Preserved`` write.
    public func encode(to encoder: any Encoder) throws {
        let overlay = encoder.isMergeOverlay
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeOwned(value, forKey: .value, overlay: overlay)
        try container.encodeOwned(averageValue, forKey: .averageValue, overlay: overlay)
        try container.encodeOwned(averageUtilization, forKey: .averageUtilization, overlay: overlay)
    }
}

/// Current value of a `Resource` metric.
public struct ResourceMetricStatus: Sendable, Hashable, Codable {
    public var name: String
    public var current: MetricValueStatus
    public init(name: String, current: MetricValueStatus) { self.name = name; self.current = current }
}

/// Current value of a `ContainerResource` metric.
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

/// Current value of a `Pods` metric.
public struct PodsMetricStatus: Sendable, Hashable, Codable {
    public var metric: MetricIdentifier
    public var current: MetricValueStatus
    public init(metric: MetricIdentifier, current: MetricValueStatus) { self.metric = metric; self.current = current }
}

/// Current value of an `Object` metric.
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

/// Current value of an `External` metric.
public struct ExternalMetricStatus: Sendable, Hashable, Codable {
    public var metric: MetricIdentifier
    public var current: MetricValueStatus
    public init(metric: MetricIdentifier, current: MetricValueStatus) { self.metric = metric; self.current = current }
}
