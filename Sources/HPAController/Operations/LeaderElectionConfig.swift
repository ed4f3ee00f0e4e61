#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings of leader election, with component-base's recommended defaults
/// (lease 15 s, renew deadline 10 s, retry 2 s; wire spec B9).
public struct LeaderElectionConfig: Sendable, Hashable {
    /// Namespace of the Lease (`--leader-elect-namespace`).
    public var namespace: String
    /// Name of the Lease (`--leader-elect-name`).
    public var name: String
    /// This candidate's identity, written into `spec.holderIdentity`: `<hostname>_<uuid>` by convention.
    public var identity: String
    /// How long a standby waits, after it last saw the lease change, before taking it over.
    public var leaseDuration: Double = 15
    /// How long the leader keeps retrying a failed renewal before it gives up leadership.
    public var renewDeadline: Double = 10
    /// The pause between attempts; acquisition attempts are jittered up to `jitterFactor` × more.
    public var retryPeriod: Double = 2
    /// client-go's `JitterFactor`.
    public var jitterFactor: Double = 1.2
    /// Release the lease when the elector is cancelled, so a standby takes over at once.
    public var releaseOnCancel: Bool = true

    public init(namespace: String, name: String, identity: String) {
        self.namespace = namespace
        self.name = name
        self.identity = identity
    }

    /// `leaseDuration` as the Lease's `spec.leaseDurationSeconds` (whole seconds, rounded up;
    /// 15 when the setting is not a usable number — `validate()` rejects those).
    public var leaseDurationSeconds: Int32 {
        guard leaseDuration.isFinite, leaseDuration > 0, leaseDuration < Double(Int32.max) else { return 15 }
        return Int32(leaseDuration.rounded(.up))
    }

    /// Defaults used by `hpa-controller run`.
    public static let defaultNamespace = "kube-system"
    public static let defaultName = "hpa-controller"

    /// client-go's validation: `leaseDuration > renewDeadline > jitterFactor × retryPeriod > 0`,
    /// and a non-empty identity, namespace and name.
    public func validate() throws(LeaderElectionConfigError) {
        func fail(_ field: String, _ reason: String) -> LeaderElectionConfigError {
            LeaderElectionConfigError(field: field, reason: reason)
        }
        guard !identity.isEmpty else { throw fail("identity", "must not be empty") }
        guard !namespace.isEmpty else { throw fail("--leader-elect-namespace", "must not be empty") }
        guard !name.isEmpty else { throw fail("--leader-elect-name", "must not be empty") }
        guard retryPeriod.isFinite, retryPeriod > 0 else { throw fail("retryPeriod", "must be positive, got \(retryPeriod)") }
        guard renewDeadline.isFinite, renewDeadline > jitterFactor * retryPeriod else {
            throw fail("renewDeadline", "must be greater than \(jitterFactor) × retryPeriod (\(jitterFactor * retryPeriod) s), got \(renewDeadline) s")
        }
        guard leaseDuration.isFinite, leaseDuration > renewDeadline else {
            throw fail("leaseDuration", "must be greater than renewDeadline (\(renewDeadline) s), got \(leaseDuration) s")
        }
        guard leaseDuration < Double(Int32.max) else { throw fail("leaseDuration", "too large: \(leaseDuration) s") }
    }

    /// `<hostname>_<uuid>`, client-go's identity convention.
    public static func defaultIdentity(hostname: String = LeaderElectionConfig.hostname()) -> String {
        hostname + "_" + UUID().uuidString.lowercased()
    }

    /// The host name from `gethostname(2)`, or `unknown-host`.
    public static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "unknown-host" : name
    }
}

/// A leader-election setting that cannot work, naming the field and why.
public struct LeaderElectionConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var reason: String
    public var description: String { "leader election: \(field) \(reason)" }
}

/// Whether this process leads right now: the one bit every writer checks before writing, and
/// what `/metrics` reports as `leader_election_master_status`. Readable from any thread.
public final class LeadershipState: Sendable {
    private let leading = Atomic<Bool>(false)
    private let waiters = Mutex<[CheckedContinuation<Void, Never>]>([])

    /// - Parameter leading: start as leader (true when leader election is off: the only instance leads).
    public init(leading: Bool = false) {
        self.leading.store(leading, ordering: .sequentiallyConsistent)
    }

    /// True while this process holds the lease (or leader election is disabled).
    public var isLeader: Bool { leading.load(ordering: .sequentiallyConsistent) }

    /// Set by the elector.
    public func set(leading value: Bool) {
        leading.store(value, ordering: .sequentiallyConsistent)
        guard value else { return }
        let resumed = waiters.withLock { list -> [CheckedContinuation<Void, Never>] in
            defer { list.removeAll() }
            return list
        }
        for continuation in resumed { continuation.resume() }
    }

    /// Returns once this process leads (at once if it already does). Not cancellable by itself:
    /// callers racing shutdown should also watch their shutdown signal, or call `wakeAll()`.
    public func waitUntilLeader() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = waiters.withLock { list -> Bool in
                if isLeader { return true }
                list.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Wakes every `waitUntilLeader` caller without granting leadership (used on shutdown);
    /// callers re-check `isLeader`.
    public func wakeAll() {
        let resumed = waiters.withLock { list -> [CheckedContinuation<Void, Never>] in
            defer { list.removeAll() }
            return list
        }
        for continuation in resumed { continuation.resume() }
    }
}
