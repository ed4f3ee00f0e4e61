import Synchronization

/// A one-shot signal: fired once, awaited by any number of tasks. Waiting returns at once when
/// it has already fired; a cancelled waiter returns too (and sees `isFired` unchanged).
public final class ShutdownSignal: Sendable {
    private struct State {
        var fired = false
        var reason = ""
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
    }
    private let state = Mutex(State())

    public init() {}

    public var isFired: Bool { state.withLock { $0.fired } }
    /// Why it fired (`SIGTERM`, `service reconcile-workers failed`, ...), empty before.
    public var reason: String { state.withLock { $0.reason } }

    /// Fires the signal (later calls do nothing) and wakes every waiter.
    public func fire(reason: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.fired else { return [] }
            state.fired = true
            state.reason = reason
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when the signal fires or the calling task is cancelled.
    public func wait() async {
        let id = state.withLock { state -> UInt64 in
            state.nextID &+= 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.fired || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}

/// A long-running part of the daemon: reconcile workers, the leader elector, the probe server.
public protocol OperatorService: Sendable {
    /// Shown in logs.
    var name: String { get }
    /// Runs until `shutdown` fires, then finishes its work gracefully and returns. Throwing
    /// (before shutdown) stops the whole group with exit status 1.
    func run(shutdown: ShutdownSignal) async throws
}

/// A service made from a closure.
public struct ClosureService: OperatorService {
    public let name: String
    private let body: @Sendable (ShutdownSignal) async throws -> Void
    public init(name: String, _ body: @escaping @Sendable (ShutdownSignal) async throws -> Void) {
        self.name = name
        self.body = body
    }
    public func run(shutdown: ShutdownSignal) async throws { try await body(shutdown) }
}

/// Runs services side by side and shuts them down **in the order given**, each after the one
/// before has returned: list the reconcile workers first (stop taking work, finish in-flight
/// reconciles), then the leader elector (release the lease only when nothing writes any more),
/// then the probe server (probes answer until the end).
public struct ServiceGroup: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Shut down on request (a signal); exit 0.
        case stopped(reason: String)
        /// A service failed or returned early; exit 1.
        case failed(service: String, message: String)

        public var exitCode: Int32 {
            if case .stopped = self { return 0 }
            return 1
        }
    }

    public let services: [any OperatorService]
    public let logger: OperationsLogger

    public init(services: [any OperatorService], logger: OperationsLogger = .disabled) {
        self.services = services
        self.logger = logger
    }

    /// Runs every service until `shutdown` fires (or one service fails), then stops them in order.
    public func run(shutdown: ShutdownSignal) async -> Outcome {
        let signals = services.map { _ in ShutdownSignal() }
        let failure = FirstFailure()
        let finished = services.map { _ in ShutdownSignal() }
        await withTaskGroup(of: Void.self) { group in
            for (index, service) in services.enumerated() {
                let own = signals[index]
                let done = finished[index]
                let logger = logger
                group.addTask {
                    do {
                        try await service.run(shutdown: own)
                        if !own.isFired {
                            failure.record(service.name, "returned before shutdown")
                            logger.error("service stopped unexpectedly", [("service", service.name)])
                            shutdown.fire(reason: "service \(service.name) stopped")
                        }
                    } catch {
                        failure.record(service.name, String(describing: error))
                        logger.error("service failed", [("service", service.name), ("error", String(describing: error))])
                        shutdown.fire(reason: "service \(service.name) failed")
                    }
                    done.fire(reason: "finished")
                }
            }
            group.addTask {
                await shutdown.wait()
                logger.info("shutting down", [("reason", shutdown.reason)])
                for (index, service) in services.enumerated() {
                    signals[index].fire(reason: shutdown.reason)
                    await finished[index].wait()
                    logger.debug(1, "service stopped", [("service", service.name)])
                }
            }
            await group.waitForAll()
        }
        if let (service, message) = failure.value {
            return .failed(service: service, message: message)
        }
        return .stopped(reason: shutdown.reason)
    }
}

/// The first service failure of a group run.
private final class FirstFailure: Sendable {
    private let stored = Mutex<(String, String)?>(nil)
    func record(_ service: String, _ message: String) {
        stored.withLock { if $0 == nil { $0 = (service, message) } }
    }
    var value: (String, String)? { stored.withLock { $0 } }
}

/// Several services run as one (they all get the same shutdown signal at once and the group
/// returns when all have returned) — e.g. the reconcile workers and a timer that ends a demo.
public struct GroupedServices: OperatorService {
    public let name: String
    public let services: [any OperatorService]

    public init(name: String, services: [any OperatorService]) {
        self.name = name
        self.services = services
    }

    public func run(shutdown: ShutdownSignal) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services {
                group.addTask { try await service.run(shutdown: shutdown) }
            }
            try await group.waitForAll()
        }
    }
}
