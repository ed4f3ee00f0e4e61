import HTTPServer

/// The daemon's operational shell around the reconcile loop: leader election, the probe and
/// metrics server, signal handling and ordered graceful shutdown.
///
/// ```swift
/// let runtime = OperatorRuntime(settings: settings, logger: logger)
/// // give runtime.leadership / runtime.readiness / runtime.metrics to the reconcile path
/// let status = await runtime.run(workers: workersService, leaseClient: KubeLeaseClient(client: client))
/// ```
/// Shutdown order on SIGTERM/SIGINT: reconcile workers (stop taking work, finish in-flight
/// reconciles) → leader elector (release the lease) → probe server. Exit status 0 after a
/// requested shutdown, 1 when a service failed.
public final class OperatorRuntime: Sendable {
    public struct Settings: Sendable {
        /// nil: no leader election (the process always leads) — `--no-leader-elect` or `--dry-run`.
        public var leaderElection: LeaderElectionConfig?
        /// nil: no probe/metrics server (`--metrics-bind-address=0`).
        public var probeAddress: BindAddress?

        public init(leaderElection: LeaderElectionConfig?, probeAddress: BindAddress?) {
            self.leaderElection = leaderElection
            self.probeAddress = probeAddress
        }
    }

    public let settings: Settings
    public let logger: OperationsLogger
    public let clock: any OperationsClock
    /// Whether this process may write. Always true without leader election.
    public let leadership: LeadershipState
    public let readiness: ReadinessState
    public let metrics: MetricsRegistry
    /// Fired by SIGTERM/SIGINT (once `installSignalHandlers` ran) or by `requestShutdown`.
    public let shutdown = ShutdownSignal()

    public init(settings: Settings, logger: OperationsLogger, clock: any OperationsClock = SystemOperationsClock()) {
        self.settings = settings
        self.logger = logger
        self.clock = clock
        leadership = LeadershipState(leading: settings.leaderElection == nil)
        readiness = ReadinessState()
        metrics = MetricsRegistry(leadership: settings.leaderElection == nil ? nil : leadership,
                                  leaseName: settings.leaderElection?.name ?? LeaderElectionConfig.defaultName)
    }

    /// Starts the services and returns the process exit status once they have all stopped.
    /// - Parameters:
    ///   - workers: the reconcile loop as a service; it must check `leadership` before writing.
    ///   - leaseClient: required when leader election is on.
    ///   - handleSignals: install SIGTERM/SIGINT handlers (off in tests that fire `shutdown` themselves).
    public func run(workers: any OperatorService, leaseClient: (any LeaseClient)?, handleSignals: Bool = true) async -> Int32 {
        var services: [any OperatorService] = [workers]
        if let config = settings.leaderElection {
            do { try config.validate() } catch {
                logger.error("invalid leader election settings", [("error", error.description)])
                return 2
            }
            guard let leaseClient else {
                logger.error("leader election needs a lease client")
                return 2
            }
            let readiness = self.readiness
            let elector = LeaderElector(config: config, client: leaseClient, clock: clock, leadership: leadership, logger: logger,
                                        apiResult: { readiness.recordAPIResult(error: $0) })
            services.append(LeaderElectionService(elector: elector))
        }
        if let address = settings.probeAddress {
            let endpoints = ProbeEndpoints(registry: metrics, readiness: readiness.checks)
            do {
                services.append(try ProbeServerService(endpoints: endpoints, host: address.host, port: address.port, logger: logger))
            } catch {
                logger.error("cannot serve probes and metrics", [("address", address.description), ("error", error.description)])
                return 1
            }
        }
        let signals = handleSignals ? SignalShutdownHandler(shutdown: shutdown, logger: logger) : nil
        let outcome = await ServiceGroup(services: services, logger: logger).run(shutdown: shutdown)
        signals?.cancel()
        switch outcome {
        case .stopped(let reason):
            logger.info("stopped", [("reason", reason)])
        case .failed(let service, let message):
            logger.error("stopped after a failure", [("service", service), ("error", message)])
        }
        return outcome.exitCode
    }

    /// Fires the shutdown signal as SIGTERM would.
    public func requestShutdown(reason: String) {
        shutdown.fire(reason: reason)
    }
}
