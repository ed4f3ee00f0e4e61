/// metrics.k8s.io/v1beta1 PodMetrics.
public struct PodMetrics: Sendable, Hashable, Codable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var timestamp: KubeTime
    /// A Go duration string on the wire (`"15.012s"`).
    public var window: GoDuration
    public var containers: [ContainerMetrics]

    public init(metadata: ObjectMeta, timestamp: KubeTime, window: GoDuration, containers: [ContainerMetrics]) {
        apiVersion = "metrics.k8s.io/v1beta1"
        kind = "PodMetrics"
        self.metadata = metadata
        self.timestamp = timestamp
        self.window = window
        self.containers = containers
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decode(ObjectMeta.self, forKey: .metadata)
        timestamp = try container.decode(KubeTime.self, forKey: .timestamp)
        window = try container.decode(GoDuration.self, forKey: .window)
        containers = try container.decodeIfPresent([ContainerMetrics].self, forKey: .containers) ?? []
    }
}

/// One container's usage in a PodMetrics (`cpu`, `memory`, …).
public struct ContainerMetrics: Sendable, Hashable, Codable {
    public var name: String
    public var usage: [String: Quantity]

    public init(name: String, usage: [String: Quantity]) {
        self.name = name
        self.usage = usage
    }
}

/// An object reference as custom metrics adapters write it (`describedObject`).
public struct ObjectReference: Sendable, Hashable, Codable {
    public var kind: String?
    public var namespace: String?
    public var name: String?
    public var uid: String?
    public var apiVersion: String?
    public var resourceVersion: String?
    public var fieldPath: String?

    public init(kind: String? = nil, namespace: String? = nil, name: String? = nil, uid: String? = nil,
                apiVersion: String? = nil, resourceVersion: String? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.apiVersion = apiVersion
        self.resourceVersion = resourceVersion
    }
}

/// custom.metrics.k8s.io MetricValue. Decodes both v1beta2 (`metric{name, selector}`) and
/// v1beta1 (top-level `metricName`, `selector`); encodes v1beta2.
public struct MetricValue: Sendable, Hashable, Codable {
    public var describedObject: ObjectReference
    public var metric: MetricIdentifier
    public var timestamp: KubeTime
    /// Missing means 60 s to the HPA.
    public var windowSeconds: Int64?
    public var value: Quantity

    public init(describedObject: ObjectReference, metric: MetricIdentifier, timestamp: KubeTime,
                windowSeconds: Int64? = nil, value: Quantity) {
        self.describedObject = describedObject
        self.metric = metric
        self.timestamp = timestamp
        self.windowSeconds = windowSeconds
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case describedObject, metric, timestamp, windowSeconds, value, metricName, selector
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        describedObject = try container.decode(ObjectReference.self, forKey: .describedObject)
        if let metric = try container.decodeIfPresent(MetricIdentifier.self, forKey: .metric) {
            self.metric = metric
        } else {
            metric = MetricIdentifier(
                name: try container.decode(String.self, forKey: .metricName),
                selector: try container.decodeIfPresent(LabelSelector.self, forKey: .selector))
        }
        timestamp = try container.decode(KubeTime.self, forKey: .timestamp)
        windowSeconds = try container.decodeIfPresent(Int64.self, forKey: .windowSeconds)
        value = try container.decode(Quantity.self, forKey: .value)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(describedObject, forKey: .describedObject)
        try container.encode(metric, forKey: .metric)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encodeIfPresent(windowSeconds, forKey: .windowSeconds)
        try container.encode(value, forKey: .value)
    }
}

/// external.metrics.k8s.io/v1beta1 ExternalMetricValue. Note `window` is integer seconds here.
public struct ExternalMetricValue: Sendable, Hashable, Codable {
    public var metricName: String
    public var metricLabels: [String: String]?
    public var timestamp: KubeTime
    public var window: Int64?
    public var value: Quantity

    public init(metricName: String, metricLabels: [String: String]? = nil, timestamp: KubeTime, window: Int64? = nil,
                value: Quantity) {
        self.metricName = metricName
        self.metricLabels = metricLabels
        self.timestamp = timestamp
        self.window = window
        self.value = value
    }
}

/// metrics.k8s.io `PodMetricsList`.
public typealias PodMetricsList = ObjectList<PodMetrics>
/// custom.metrics.k8s.io `MetricValueList` (v1beta2 or v1beta1).
public typealias MetricValueList = ObjectList<MetricValue>
/// external.metrics.k8s.io `ExternalMetricValueList`.
public typealias ExternalMetricValueList = ObjectList<ExternalMetricValue>
