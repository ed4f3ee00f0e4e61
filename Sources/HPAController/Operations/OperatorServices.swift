import HTTPServer

/// The leader elector as a service: campaigns and renews until shutdown, then releases the lease.
/// List it after the reconcile workers in the `ServiceGroup`, so the lease is released only
/// once nothing writes any more.
public struct LeaderElectionService: OperatorService {
    public let name = "leader-election"
    public let elector: LeaderElector

    public init(elector: LeaderElector) {
        self.elector = elector
    }

    public func run(shutdown: ShutdownSignal) async throws {
        let elector = self.elector
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await elector.run() }
            await shutdown.wait()
            group.cancelAll()
            await group.waitForAll()
        }
        // Released from this (not cancelled) task so the request is actually sent.
        if elector.config.releaseOnCancel { await elector.release() }
        // Wake anyone parked in `waitUntilLeader` so they can see the shutdown.
        elector.leadership.wakeAll()
    }
}

/// The probe and metrics server as a service: listens until shutdown (listed last in the group,
/// so `/healthz` answers while the others drain).
public struct ProbeServerService: OperatorService {
    public let name = "probe-server"
    public let server: HTTPServer
    public let port: UInt16
    private let logger: OperationsLogger

    /// Binds `host:port` at once (so a port in use fails before anything else starts).
    public init(endpoints: ProbeEndpoints, host: String, port: UInt16, logger: OperationsLogger = .disabled) throws(HTTPServerError) {
        server = HTTPServer(host: host, handler: endpoints.handler)
        self.port = try server.start(port: port)
        self.logger = logger
        logger.info("serving /healthz, /readyz and /metrics", [("address", host + ":" + String(self.port))])
    }

    public func run(shutdown: ShutdownSignal) async throws {
        await shutdown.wait()
        server.stop(timeoutSeconds: 2)
    }
}

/// `--metrics-bind-address`: `:8080`, `0.0.0.0:8080` or `127.0.0.1:9090` → host and port.
/// `0` as the port disables the server.
public struct BindAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        let host = String(text[..<colon])
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }

    public var description: String { host + ":" + String(port) }
}
