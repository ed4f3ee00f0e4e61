/// `autoscaling/v2` HorizontalPodAutoscaler.
public struct HorizontalPodAutoscaler: Sendable, Hashable, Codable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: HorizontalPodAutoscalerSpec
    public var status: HorizontalPodAutoscalerStatus?

    public init(metadata: ObjectMeta, spec: HorizontalPodAutoscalerSpec, status: HorizontalPodAutoscalerStatus? = nil) {
        apiVersion = "autoscaling/v2"
        kind = "HorizontalPodAutoscaler"
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `spec` of an HPA: the target, the replica bounds, the metrics and the scaling behavior.
public struct HorizontalPodAutoscalerSpec: Sendable, Hashable, Codable {
    public var scaleTargetRef: CrossVersionObjectReference
    public var minReplicas: Int32?
    public var maxReplicas: Int32
    public var metrics: [MetricSpec]?
    public var behavior: HorizontalPodAutoscalerBehavior?
    /// Per-HPA resync interval (in the controller suite's upstream commit); nil = the sync period.
    public var syncPeriodSeconds: Int32?

    public init(scaleTargetRef: CrossVersionObjectReference, minReplicas: Int32? = nil, maxReplicas: Int32,
                metrics: [MetricSpec]? = nil, behavior: HorizontalPodAutoscalerBehavior? = nil,
                syncPeriodSeconds: Int32? = nil) {
        self.scaleTargetRef = scaleTargetRef
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.metrics = metrics
        self.behavior = behavior
        self.syncPeriodSeconds = syncPeriodSeconds
    }
}

/// A reference to an object by `apiVersion`, `kind` and `name` (`scaleTargetRef`, `describedObject`).
public struct CrossVersionObjectReference: Sendable, Hashable, Codable {
    public var apiVersion: String?
    public var kind: String
    public var name: String

    public init(apiVersion: String? = nil, kind: String, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
    }
}

/// The five `MetricSpec.type` values.
public enum MetricSourceType: String, Sendable, Hashable, Codable, CaseIterable {
    case object = "Object", pods = "Pods", resource = "Resource"
    case containerResource = "ContainerResource", external = "External"
}

/// One entry of `spec.metrics`: `type` plus the member of that type. The type is kept as a
/// string so that an unknown type decodes and is reported by the controller, as upstream does.
public struct MetricSpec: Sendable, Hashable, Codable {
    public var type: String
    public var object: ObjectMetricSource?
    public var pods: PodsMetricSource?
    public var resource: ResourceMetricSource?
    public var containerResource: ContainerResourceMetricSource?
    public var external: ExternalMetricSource?

    public init(type: String, object: ObjectMetricSource? = nil, pods: PodsMetricSource? = nil,
                resource: ResourceMetricSource? = nil, containerResource: ContainerResourceMetricSource? = nil,
                external: ExternalMetricSource? = nil) {
        self.type = type
        self.object = object
        self.pods = pods
        self.resource = resource
        self.containerResource = containerResource
        self.external = external
    }

    /// The known type, or nil when `type` is not one of the five sources.
    public var sourceType: MetricSourceType? { MetricSourceType(rawValue: type) }

    /// A `Resource` metric entry.
    public static func resource(_ name: String, _ target: MetricTarget) -> MetricSpec {
        MetricSpec(type: "Resource", resource: ResourceMetricSource(name: name, target: target))
    }
}

/// A per-pod resource metric (`cpu`, `memory`) summed over the pods' containers.
public struct ResourceMetricSource: Sendable, Hashable, Codable {
    public var name: String
    public var target: MetricTarget
    public init(name: String, target: MetricTarget) { self.name = name; self.target = target }
    enum CodingKeys: String, CodingKey { case name, target }
    /// A missing `target` decodes as Go's zero value (an empty target, `type: ""`): upstream's
    /// tests build such HPAs, and the controller must report them rather than fail to decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        target = try container.decodeIfPresent(MetricTarget.self, forKey: .target) ?? MetricTarget(type: "")
    }
}

/// A per-pod resource metric of one named container.
public struct ContainerResourceMetricSource: Sendable, Hashable, Codable {
    public var name: String
    public var container: String
    public var target: MetricTarget
    public init(name: String, container: String, target: MetricTarget) {
        self.name = name
        self.container = container
        self.target = target
    }
    enum CodingKeys: String, CodingKey { case name, container, target }
    /// A missing `target` decodes as an empty target (see `ResourceMetricSource`).
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        name = try values.decode(String.self, forKey: .name)
        container = try values.decodeIfPresent(String.self, forKey: .container) ?? ""
        target = try values.decodeIfPresent(MetricTarget.self, forKey: .target) ?? MetricTarget(type: "")
    }
}

/// A custom metric averaged over the target's pods (custom.metrics.k8s.io).
public struct PodsMetricSource: Sendable, Hashable, Codable {
    public var metric: MetricIdentifier
    public var target: MetricTarget
    public init(metric: MetricIdentifier, target: MetricTarget) { self.metric = metric; self.target = target }
}

/// A custom metric of one object in the namespace (custom.metrics.k8s.io).
public struct ObjectMetricSource: Sendable, Hashable, Codable {
    public var describedObject: CrossVersionObjectReference
    public var metric: MetricIdentifier
    public var target: MetricTarget
    public init(describedObject: CrossVersionObjectReference, metric: MetricIdentifier, target: MetricTarget) {
        self.describedObject = describedObject
        self.metric = metric
        self.target = target
    }
}

/// A metric from outside the cluster (external.metrics.k8s.io).
public struct ExternalMetricSource: Sendable, Hashable, Codable {
    public var metric: MetricIdentifier
    public var target: MetricTarget
    public init(metric: MetricIdentifier, target: MetricTarget) { self.metric = metric; self.target = target }
}

/// A metric name and an optional label selector on the metric.
public struct MetricIdentifier: Sendable, Hashable, Codable {
    public var name: String
    public var selector: LabelSelector?
    public init(name: String, selector: LabelSelector? = nil) { self.name = name; self.selector = selector }

    enum CodingKeys: String, CodingKey { case name, selector }

    /// An unset selector is an explicit `null` in a ``Preserved`` write (status entries copy it).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeOwned(selector, forKey: .selector, overlay: encoder.isMergeOverlay)
    }
}

/// The three `MetricTarget.type` values.
public enum MetricTargetType: String, Sendable, Hashable, Codable {
    case utilization = "Utilization", value = "Value", averageValue = "AverageValue"
}

/// `type` is kept as a string: the controller mostly looks at which value field is set.
public struct MetricTarget: Sendable, Hashable, Codable {
    public var type: String
    public var value: Quantity?
    public var averageValue: Quantity?
    public var averageUtilization: Int32?

    public init(type: String, value: Quantity? = nil, averageValue: Quantity? = nil, averageUtilization: Int32? = nil) {
        self.type = type
        self.value = value
        self.averageValue = averageValue
        self.averageUtilization = averageUtilization
    }

    enum CodingKeys: String, CodingKey { case type, value, averageValue, averageUtilization }
    /// A missing `type` decodes as `""` (Go's zero value); validation reports it, decoding must not fail.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        value = try container.decodeIfPresent(Quantity.self, forKey: .value)
        averageValue = try container.decodeIfPresent(Quantity.self, forKey: .averageValue)
        averageUtilization = try container.decodeIfPresent(Int32.self, forKey: .averageUtilization)
    }

    /// A `Utilization` target in percent of the request.
    public static func utilization(_ percent: Int32) -> MetricTarget {
        MetricTarget(type: "Utilization", averageUtilization: percent)
    }
    /// An `AverageValue` target (per pod).
    public static func averageValue(_ quantity: Quantity) -> MetricTarget {
        MetricTarget(type: "AverageValue", averageValue: quantity)
    }
    /// A `Value` target (the whole metric).
    public static func value(_ quantity: Quantity) -> MetricTarget {
        MetricTarget(type: "Value", value: quantity)
    }
}

/// `spec.behavior`: scaling rules per direction; a missing direction uses the defaults.
public struct HorizontalPodAutoscalerBehavior: Sendable, Hashable, Codable {
    public var scaleUp: HPAScalingRules?
    public var scaleDown: HPAScalingRules?
    public init(scaleUp: HPAScalingRules? = nil, scaleDown: HPAScalingRules? = nil) {
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
    }
}

/// `selectPolicy`: which policy limit wins, or scaling in that direction is disabled.
public enum ScalingPolicySelect: String, Sendable, Hashable, Codable {
    case max = "Max", min = "Min", disabled = "Disabled"
}

/// The rules for one scaling direction.
public struct HPAScalingRules: Sendable, Hashable, Codable {
    public var stabilizationWindowSeconds: Int32?
    /// Kept as a string so an unknown value can be reported rather than failing the decode.
    public var selectPolicy: String?
    public var policies: [HPAScalingPolicy]?
    /// Per-direction tolerance (feature `HPAConfigurableTolerance`).
    public var tolerance: Quantity?

    public init(stabilizationWindowSeconds: Int32? = nil, selectPolicy: String? = nil,
                policies: [HPAScalingPolicy]? = nil, tolerance: Quantity? = nil) {
        self.stabilizationWindowSeconds = stabilizationWindowSeconds
        self.selectPolicy = selectPolicy
        self.policies = policies
        self.tolerance = tolerance
    }

    /// `selectPolicy` as a known value, or nil when absent or unknown.
    public var select: ScalingPolicySelect? { selectPolicy.flatMap(ScalingPolicySelect.init(rawValue:)) }
}

/// `Pods` (absolute) or `Percent` (relative) policies.
public enum HPAScalingPolicyType: String, Sendable, Hashable, Codable {
    case pods = "Pods", percent = "Percent"
}

/// At most `value` pods or percent of change within `periodSeconds`.
public struct HPAScalingPolicy: Sendable, Hashable, Codable {
    public var type: String
    public var value: Int32
    public var periodSeconds: Int32

    public init(type: String, value: Int32, periodSeconds: Int32) {
        self.type = type
        self.value = value
        self.periodSeconds = periodSeconds
    }

    /// `type` as a known value, or nil when unknown.
    public var policyType: HPAScalingPolicyType? { HPAScalingPolicyType(rawValue: type) }
}
