import Foundation
import HTTPServer
import KubeAPI
import Simulation
import Synchronization

/// Something the simulated cluster's Swift API could not do, with the object and reason.
public struct ClusterSimError: Error, CustomStringConvertible, Sendable {
    /// The HTTP status the same request would get over the wire (404, 409, 422, ...), or 0.
    public var code: Int
    public var message: String
    public var description: String { code == 0 ? message : "\(message) (HTTP \(code))" }

    public init(code: Int = 0, _ message: String) {
        self.code = code
        self.message = message
    }

    init(_ error: APIError) {
        self.init(code: error.code, error.message)
    }
}

/// A Kubernetes API server stand-in on loopback, driven by the `Simulation` models.
///
/// ```swift
/// let cluster = try SimulatedCluster.start()
/// defer { cluster.stop() }
/// try cluster.addWorkload(WorkloadSpec(namespace: "login", name: "webflux-login", replicas: 3))
/// cluster.setLoad(namespace: "login", name: "webflux-login", profile: LoadProfile(demand: .constant(50_000)))
/// cluster.advance(by: 30)
/// // point a client at cluster.url with cluster.token, or kubectl at cluster.kubeconfigPath
/// ```
public final class SimulatedCluster: Sendable {
    /// How to start the cluster.
    public struct Configuration: Sendable {
        /// The bearer token clients must send.
        public var token: String = "sim-" + RandomText.suffix(16)
        /// Let requests without any Authorization header through (a wrong token still gets 401).
        /// kubectl needs this: client-go sends credentials only over TLS, and this server speaks
        /// plain HTTP on loopback.
        public var allowAnonymous = false
        /// The port to listen on (127.0.0.1); 0 picks a free one.
        public var port: UInt16 = 0
        /// The simulation clock. nil: a `ManualClock` that moves only with `advance(by:)`.
        public var clock: (any SimulationClock)?
        /// The model of workloads created without one (pods, delays, CPU per unit of load).
        public var defaultWorkloadModel: WorkloadModel = .loginService
        /// Pods simulated per workload at most (a scale to millions must not exhaust memory); the
        /// object keeps the replicas it was given.
        public var maxPodsPerWorkload: Int = 5_000
        /// Seconds between BOOKMARK events on watches that allow them.
        public var bookmarkIntervalSeconds: Double = 10
        /// Changes kept for watch resumption; older resourceVersions get 410 Gone.
        public var eventLogCapacity: Int = 10_000
        /// Real seconds between simulation steps when the clock runs by itself (not a
        /// `ManualClock`); nil steps only on `advance(by:)`, `reconcile()` and writes.
        public var stepIntervalSeconds: Double? = 0.2
        /// Where to write the kubeconfig; nil: a new folder under the system temp directory.
        public var kubeconfigDirectory: String?
        /// The namespace of the kubeconfig's context.
        public var kubeconfigNamespace: String = "default"
        public var limits = HTTPServerLimits()

        public init() {}
    }

    /// `http://127.0.0.1:PORT`.
    public let url: String
    public let port: UInt16
    public let token: String
    /// Absolute path of a kubeconfig (server, token, context) for kubectl and clients.
    public let kubeconfigPath: String
    public let clock: any SimulationClock

    let api: APIServer
    let server: HTTPServer
    private let stepping = Atomic<Bool>(false)

    /// Starts the server on 127.0.0.1 and writes the kubeconfig.
    public static func start(_ configuration: Configuration = Configuration()) throws(ClusterSimError) -> SimulatedCluster {
        try SimulatedCluster(configuration)
    }

    private init(_ configuration: Configuration) throws(ClusterSimError) {
        let clock = configuration.clock ?? ManualClock()
        let registry = ResourceRegistry.standard
        let store = ObjectStore(logCapacity: configuration.eventLogCapacity, now: { clock.nowDate() })
        let driver = SimulationDriver(clock: clock, store: store, registry: registry, defaultModel: configuration.defaultWorkloadModel,
                                      maxPodsPerWorkload: configuration.maxPodsPerWorkload)
        let api = APIServer(registry: registry, store: store, token: configuration.token, simulation: driver,
                            bookmarkInterval: max(0.05, configuration.bookmarkIntervalSeconds),
                            allowAnonymous: configuration.allowAnonymous)
        let server = HTTPServer(limits: configuration.limits, rejection: { rejection in
            let reason: String
            switch rejection.status {
            case 413: reason = "RequestEntityTooLarge"
            case 503: reason = "ServiceUnavailable"
            case 431: reason = "RequestHeaderFieldsTooLarge"
            default: reason = "BadRequest"
            }
            var response = APIError(code: rejection.status, reason: reason, message: rejection.message).response
            response.headers.set("Connection", "close")
            return response
        }, handler: { request in api.handle(request) })
        let port: UInt16
        do {
            port = try server.start(port: configuration.port)
        } catch {
            throw ClusterSimError(error.description)
        }
        self.api = api
        self.server = server
        self.clock = clock
        self.port = port
        self.token = configuration.token
        self.url = "http://127.0.0.1:\(port)"
        do {
            self.kubeconfigPath = try Kubeconfig.write(server: "http://127.0.0.1:\(port)", token: configuration.token,
                                                       namespace: configuration.kubeconfigNamespace, directory: configuration.kubeconfigDirectory)
        } catch {
            server.stop()
            throw error
        }
        for namespace in ["default", "kube-system"] {
            _ = try? store.create(registry.resource(kind: "Namespace") ?? ResourceRegistry.workerPool, namespace: "",
                                  object: .object(["metadata": .object(["name": .string(namespace)]), "status": .object(["phase": .string("Active")])]))
        }
        if !(clock is ManualClock), let interval = configuration.stepIntervalSeconds, interval > 0 {
            stepping.store(true, ordering: .sequentiallyConsistent)
            Thread.detachNewThread { [self] in
                while stepping.load(ordering: .sequentiallyConsistent) {
                    usleep(UInt32(min(interval, 60) * 1_000_000))
                    if stepping.load(ordering: .sequentiallyConsistent) { driver.reconcileAll() }
                }
            }
        }
    }

    /// Stops serving: open watches end, the port is released. The kubeconfig file stays.
    public func stop() {
        stepping.store(false, ordering: .sequentiallyConsistent)
        server.stop()
    }

    // MARK: - Time

    /// The simulation's current time (seconds since the scenario started).
    public var now: SimSeconds { clock.now() }

    /// Moves a `ManualClock` forward and steps the simulation (pods start, become ready, status
    /// follows). With a clock that runs by itself, only steps the simulation.
    @discardableResult
    public func advance(by seconds: SimSeconds) -> SimSeconds {
        if let manual = clock as? ManualClock { manual.advance(by: seconds) }
        api.simulation.reconcileAll()
        return clock.now()
    }

    /// Steps the simulation to the clock's current time.
    public func reconcile() {
        api.simulation.reconcileAll()
    }
}

/// Writes a kubeconfig for the simulated cluster.
enum Kubeconfig {
    static func write(server: String, token: String, namespace: String, directory: String?) throws(ClusterSimError) -> String {
        let folder: URL
        if let directory {
            folder = URL(fileURLWithPath: directory, isDirectory: true)
        } else {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("hpa-clustersim-\(RandomText.suffix(10))", isDirectory: true)
        }
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: simulated
              cluster:
                server: \(server)
            users:
            - name: simulated
              user:
                token: \(token)
            contexts:
            - name: simulated
              context:
                cluster: simulated
                user: simulated
                namespace: \(namespace)
            current-context: simulated
            preferences: {}

            """
        let file = folder.appendingPathComponent("kubeconfig")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        } catch {
            throw ClusterSimError("cannot write the kubeconfig \(file.path): \(error)")
        }
        return file.standardizedFileURL.path
    }
}
