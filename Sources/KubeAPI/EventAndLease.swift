/// core/v1 Event, as the HPA controller's recorder writes it.
public struct Event: Sendable, Hashable, Codable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var involvedObject: ObjectReference
    public var reason: String?
    public var message: String?
    public var source: EventSource?
    public var firstTimestamp: KubeTime?
    public var lastTimestamp: KubeTime?
    public var count: Int32?
    /// `Normal` or `Warning`.
    public var type: String?
    public var eventTime: MicroTime?
    public var reportingComponent: String?
    public var reportingInstance: String?

    public init(metadata: ObjectMeta, involvedObject: ObjectReference, reason: String, message: String,
                type: String, source: EventSource, firstTimestamp: KubeTime, lastTimestamp: KubeTime, count: Int32) {
        apiVersion = "v1"
        kind = "Event"
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.type = type
        self.source = source
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.count = count
        reportingComponent = source.component
        reportingInstance = source.host ?? ""
    }
}

/// `source` of a core/v1 Event: the reporting component and host.
public struct EventSource: Sendable, Hashable, Codable {
    public var component: String?
    public var host: String?
    public init(component: String? = nil, host: String? = nil) { self.component = component; self.host = host }
}

/// coordination.k8s.io/v1 Lease, the lock of leader election.
public struct Lease: Sendable, Hashable, Codable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: Spec

    /// The lock record: holder, lease duration, acquire/renew times (MicroTime), transitions.
    public struct Spec: Sendable, Hashable, Codable {
        public var holderIdentity: String?
        public var leaseDurationSeconds: Int32?
        public var acquireTime: MicroTime?
        public var renewTime: MicroTime?
        public var leaseTransitions: Int32?

        public init(holderIdentity: String? = nil, leaseDurationSeconds: Int32? = nil, acquireTime: MicroTime? = nil,
                    renewTime: MicroTime? = nil, leaseTransitions: Int32? = nil) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
        }
    }

    public init(metadata: ObjectMeta, spec: Spec) {
        apiVersion = "coordination.k8s.io/v1"
        kind = "Lease"
        self.metadata = metadata
        self.spec = spec
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decode(ObjectMeta.self, forKey: .metadata)
        spec = try container.decodeIfPresent(Spec.self, forKey: .spec) ?? Spec()
    }
}
