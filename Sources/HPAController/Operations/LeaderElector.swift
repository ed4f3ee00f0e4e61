#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// Leader election on a coordination.k8s.io/v1 Lease, following client-go's algorithm (wire spec B9):
///
/// - Acquire: every `retryPeriod` (jittered to up to 2.2×), read the lease; create it on 404; if another
///   holder's record has not changed for `leaseDuration` *as measured on our own monotonic clock*
///   (never by comparing the lease's `renewTime` with our wall clock), or the holder is empty, take it
///   over with `acquireTime = renewTime = now` and `leaseTransitions + 1`. A 409 means someone else
///   won the race: try again next period.
/// - Renew: every `retryPeriod`, write a new `renewTime`. A renewal that keeps failing for
///   `renewDeadline` loses leadership: `leadership.isLeader` turns false at once (writers stop) and
///   the elector goes back to being a candidate.
/// - Release: `release()` writes `holderIdentity: ""`, `leaseDurationSeconds: 1` so a standby takes
///   over on its next attempt. Call it after cancelling `run()` from a task that is *not* cancelled
///   (a cancelled task's HTTP requests are cancelled too); `LeaderElectionService` does this.
public actor LeaderElector {
    public let config: LeaderElectionConfig
    /// Read by writers before writing and by `/metrics`.
    public nonisolated let leadership: LeadershipState

    private let client: any LeaseClient
    private let clock: any OperationsClock
    private let logger: OperationsLogger
    private let jitter: @Sendable () -> Double
    private let apiResult: @Sendable (String?) -> Void

    /// The last lease record read or written, and when (monotonic) its spec last changed.
    private var observed: Lease?
    private var observedAt: Double = 0

    /// - Parameters:
    ///   - jitter: returns a number in [0, 1) scaling the acquisition jitter (random by default;
    ///     tests pass a constant).
    ///   - apiResult: told after every Lease request whether the API server answered (`nil`) or
    ///     could not be reached (the reason) — `/readyz`'s `api-server` check.
    public init(config: LeaderElectionConfig, client: any LeaseClient, clock: any OperationsClock,
                leadership: LeadershipState = LeadershipState(), logger: OperationsLogger = .disabled,
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                apiResult: @escaping @Sendable (String?) -> Void = { _ in }) {
        self.config = config
        self.client = client
        self.clock = clock
        self.leadership = leadership
        self.logger = logger.with([("lease", config.namespace + "/" + config.name), ("identity", config.identity)])
        self.jitter = jitter
        self.apiResult = apiResult
    }

    /// Reports reachability: any HTTP answer (even 404 or 409) means the API server is there.
    private func report(_ error: LeaseClientError?) {
        if case .transport(let message) = error {
            if message.contains("cancelled") { return }  // our own shutdown, not the server's fault
            apiResult(message)
        } else {
            apiResult(nil)
        }
    }

    /// The lease record as last seen (tests and diagnostics).
    public var observedLease: Lease? { observed }

    // MARK: - One attempt

    /// One attempt to acquire or renew the lease. Returns true when we hold it afterwards.
    /// Never throws: failures are logged and reported as false.
    @discardableResult
    public func tryAcquireOrRenew() async -> Bool {
        let now = clock.wallNow()
        let current: Lease
        do {
            current = try await client.get(namespace: config.namespace, name: config.name)
            report(nil)
        } catch .notFound {
            report(nil)
            return await create(now: now)
        } catch {
            report(error)
            logger.debug(1, "lease read failed", [("error", error.description)])
            return false
        }

        if current.spec != observed?.spec || observed == nil {
            observed = current
            observedAt = clock.monotonicNow()
        } else {
            observed = current  // keep the newest resourceVersion
        }
        let holder = current.spec.holderIdentity ?? ""
        let heldByUs = holder == config.identity
        if !holder.isEmpty && !heldByUs {
            let duration = Double(current.spec.leaseDurationSeconds ?? 0)
            if observedAt + duration > clock.monotonicNow() {
                return false  // held by another and not expired on our clock
            }
        }

        var updated = current
        updated.spec.holderIdentity = config.identity
        updated.spec.leaseDurationSeconds = config.leaseDurationSeconds
        updated.spec.renewTime = MicroTime(now)
        if !heldByUs {
            updated.spec.acquireTime = MicroTime(now)
            let transitions = current.spec.leaseTransitions ?? 0
            updated.spec.leaseTransitions = transitions < Int32.max ? transitions + 1 : transitions
        }
        do {
            let stored = try await client.update(updated)
            report(nil)
            observed = stored
            observedAt = clock.monotonicNow()
            if !heldByUs { logger.info("acquired lease", [("transitions", String(stored.spec.leaseTransitions ?? 0))]) }
            return true
        } catch .conflict {
            report(nil)
            logger.debug(1, "lease update lost a race (409); retrying later")
            return false
        } catch {
            report(error)
            logger.debug(1, "lease update failed", [("error", error.description)])
            return false
        }
    }

    private func create(now: Date) async -> Bool {
        let lease = Lease(
            metadata: ObjectMeta(name: config.name, namespace: config.namespace),
            spec: Lease.Spec(holderIdentity: config.identity, leaseDurationSeconds: config.leaseDurationSeconds,
                             acquireTime: MicroTime(now), renewTime: MicroTime(now), leaseTransitions: 0))
        do {
            let stored = try await client.create(lease)
            observed = stored
            observedAt = clock.monotonicNow()
            logger.info("created and acquired lease")
            return true
        } catch {
            logger.debug(1, "lease create failed", [("error", error.description)])
            return false
        }
    }

    /// Gives the lease up if we hold it: `holderIdentity ""`, `leaseDurationSeconds 1`,
    /// `acquireTime = renewTime = now`, transitions unchanged. Returns true when a release was written.
    @discardableResult
    public func release() async -> Bool {
        leadership.set(leading: false)
        guard var lease = observed, lease.spec.holderIdentity == config.identity else { return false }
        // Two tries: a renewal cancelled in flight may have been applied, leaving us a stale
        // resourceVersion; on 409 re-read and release again if the lease is still ours.
        for attempt in 1...2 {
            let now = clock.wallNow()
            var released = lease
            released.spec.holderIdentity = ""
            released.spec.leaseDurationSeconds = 1
            released.spec.acquireTime = MicroTime(now)
            released.spec.renewTime = MicroTime(now)
            do {
                let stored = try await client.update(released)
                observed = stored
                observedAt = clock.monotonicNow()
                logger.info("released lease")
                return true
            } catch .conflict where attempt == 1 {
                guard let current = try? await client.get(namespace: config.namespace, name: config.name),
                      current.spec.holderIdentity == config.identity else { return false }
                lease = current
            } catch {
                logger.warning("lease release failed; a standby takes over when the lease expires", [("error", error.description)])
                return false
            }
        }
        return false
    }

    // MARK: - Loops

    /// Campaigns, leads and renews until the calling task is cancelled, then returns with
    /// `leadership.isLeader` false. Does not release the lease: see `release()`.
    /// `onChange` is told every leadership change.
    public func run(onChange: @escaping @Sendable (Bool) -> Void = { _ in }) async {
        while !Task.isCancelled {
            guard await acquire() else { break }
            leadership.set(leading: true)
            logger.info("became leader")
            onChange(true)
            let kept = await renewUntilLost()
            leadership.set(leading: false)
            onChange(false)
            if !kept {
                logger.error("lost leadership: lease not renewed within the renew deadline; writes stopped",
                             [("renewDeadline", String(config.renewDeadline))])
            }
        }
        if leadership.isLeader {
            leadership.set(leading: false)
            onChange(false)
        }
    }

    /// Tries until acquired (true) or cancelled (false).
    private func acquire() async -> Bool {
        logger.info("waiting to acquire lease")
        while !Task.isCancelled {
            if await tryAcquireOrRenew() { return true }
            let pause = config.retryPeriod * (1 + config.jitterFactor * min(max(jitter(), 0), 1))
            do { try await clock.sleep(seconds: pause) } catch { return false }
        }
        return false
    }

    /// Renews every retry period while leading. Returns false when a renewal failed for longer
    /// than the renew deadline, true when cancelled while still leading.
    private func renewUntilLost() async -> Bool {
        while true {
            do { try await clock.sleep(seconds: config.retryPeriod) } catch { return true }
            let started = clock.monotonicNow()
            var renewed = false
            while !renewed {
                if Task.isCancelled { return true }
                let remaining = config.renewDeadline - (clock.monotonicNow() - started)
                if remaining <= 0 { return false }
                renewed = await renewWithin(seconds: remaining)
                if renewed { break }
                if Task.isCancelled { return true }
                if clock.monotonicNow() - started + config.retryPeriod > config.renewDeadline { return false }
                do { try await clock.sleep(seconds: config.retryPeriod) } catch { return true }
            }
        }
    }

    /// One renewal attempt that gives up when `seconds` pass (a hanging API server must not keep
    /// us leading past the deadline).
    private func renewWithin(seconds: Double) async -> Bool {
        let clock = self.clock
        return await withTaskGroup(of: Bool?.self) { group in
            group.addTask { await self.tryAcquireOrRenew() }
            group.addTask {
                do { try await clock.sleep(seconds: seconds) } catch {}
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? false
        }
    }
}
