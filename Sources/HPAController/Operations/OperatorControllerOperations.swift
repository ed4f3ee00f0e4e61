/// `hpa-controller run`'s operations: the reconcile loop wrapped in `OperatorRuntime` (leader
/// election, `/healthz` `/readyz` `/metrics`, SIGTERM/SIGINT, ordered graceful shutdown), and the
/// loop's hooks (`OperationsHooks`: write gating by leadership, readiness, Prometheus, logs).
///
/// `run(loop:)` returns normally after a requested shutdown (exit 0) and throws
/// `OperatorExit` when a service failed, so the command exits non-zero.
public struct OperatorControllerOperations: ControllerOperations {
    public let runtime: OperatorRuntime
    public let hooks: OperationsHooks
    public let leaseClient: (any LeaseClient)?
    /// Install SIGTERM/SIGINT handlers (tests fire `runtime.shutdown` themselves).
    public let handleSignals: Bool

    public init(runtime: OperatorRuntime, leaseClient: (any LeaseClient)?, handleSignals: Bool = true) {
        self.runtime = runtime
        self.hooks = OperationsHooks(runtime: runtime)
        self.leaseClient = leaseClient
        self.handleSignals = handleSignals
    }

    public func mayWrite() async -> Bool { await hooks.mayWrite() }
    public func cachesSynced() async { await hooks.cachesSynced() }
    public func cacheHealthChanged(resource: String, error: String?) async {
        await hooks.cacheHealthChanged(resource: resource, error: error)
    }
    public func reconciled(_ report: ReconcileReport) async { await hooks.reconciled(report) }
    public func hpaDeleted(_ key: HPAKey) async { await hooks.hpaDeleted(key) }

    public func run(loop: ControllerLoop) async throws {
        let status = await runtime.run(workers: ControllerLoopService(loop: loop), leaseClient: leaseClient,
                                       handleSignals: handleSignals)
        if status != 0 { throw OperatorExit(status: status) }
    }
}

/// The reconcile loop as a service: runs `loop.run()`; on shutdown stops handing out work and
/// returns once in-flight reconciles have finished.
public struct ControllerLoopService: OperatorService {
    public let name = "reconcile-workers"
    public let loop: ControllerLoop

    public init(loop: ControllerLoop) {
        self.loop = loop
    }

    public func run(shutdown: ShutdownSignal) async throws {
        let loop = self.loop
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await loop.run() }
            group.addTask {
                await shutdown.wait()
                await loop.stop()
            }
            // Whichever ends first: a loop failure ends the group (the stopper is cancelled and
            // its wait returns); a shutdown makes the loop return after its in-flight work.
            try await group.next()
            group.cancelAll()
            try await group.waitForAll()
        }
    }
}

/// The daemon stopped because a service failed; `status` is the exit status to use.
public struct OperatorExit: Error, Sendable, CustomStringConvertible {
    public var status: Int32
    public var description: String { "the controller stopped after a failure (exit status \(status))" }
}
