/// `autoscaling/v1` Scale, the subresource every scalable kind serves.
public struct Scale: Sendable, Hashable, Codable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: Spec
    public var status: Status?

    /// The desired replica count.
    public struct Spec: Sendable, Hashable, Codable {
        public var replicas: Int32?
        public init(replicas: Int32? = nil) { self.replicas = replicas }
    }

    /// The observed replica count and the pod selector in string form.
    public struct Status: Sendable, Hashable, Codable {
        public var replicas: Int32
        /// The label selector in string form; empty when the target does not report one.
        public var selector: String?

        public init(replicas: Int32, selector: String? = nil) {
            self.replicas = replicas
            self.selector = selector
        }
    }

    public init(metadata: ObjectMeta, spec: Spec, status: Status? = nil) {
        apiVersion = "autoscaling/v1"
        kind = "Scale"
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}
