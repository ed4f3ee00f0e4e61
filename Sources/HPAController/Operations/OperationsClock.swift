#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// The clock the operational parts (leader election, lifecycle) read and sleep on. Injected, so
/// tests run on a `ManualOperationsClock` and no logic calls `Date()` itself.
///
/// Two readings on purpose: `wallNow()` goes into API objects (a Lease's `renewTime`), while
/// `monotonicNow()` judges durations (lease expiry, renew deadlines) and never jumps when the
/// wall clock is set.
public protocol OperationsClock: Sendable {
    /// Wall-clock time, for timestamps written to the API.
    func wallNow() -> Date
    /// Seconds on a monotonic scale with an arbitrary origin, for measuring durations.
    func monotonicNow() -> Double
    /// Suspends for `seconds` of this clock's time. Throws `CancellationError` when the task is cancelled.
    func sleep(seconds: Double) async throws
}

/// Real time: `Date()` for the wall reading, `ContinuousClock` for durations and sleeping.
public struct SystemOperationsClock: OperationsClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func wallNow() -> Date { Date() }

    public func monotonicNow() -> Double {
        let elapsed = ContinuousClock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public func sleep(seconds: Double) async throws {
        guard seconds.isFinite, seconds > 0 else { try Task.checkCancellation(); return }
        try await Task.sleep(for: .milliseconds(Int64((min(seconds, 1e9) * 1000).rounded(.up))))
    }
}

/// Real time multiplied by `speed` (the demo's fast clock): sleeping `seconds` takes
/// `seconds / speed` real seconds, and both readings advance `speed` times faster than real time.
public struct ScaledOperationsClock: OperationsClock {
    public let speed: Double
    private let wallOrigin: Date
    private let origin = ContinuousClock.now

    /// - Parameters:
    ///   - speed: clock seconds per real second; non-finite or non-positive values become 1.
    ///   - wallOrigin: the wall time the clock shows at creation.
    public init(speed: Double, wallOrigin: Date) {
        self.speed = (speed.isFinite && speed > 0) ? speed : 1
        self.wallOrigin = wallOrigin
    }

    public func wallNow() -> Date { wallOrigin.addingTimeInterval(monotonicNow()) }

    public func monotonicNow() -> Double {
        let elapsed = ContinuousClock.now - origin
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * speed
    }

    public func sleep(seconds: Double) async throws {
        guard seconds.isFinite, seconds > 0 else { try Task.checkCancellation(); return }
        try await Task.sleep(for: .microseconds(Int64((min(seconds / speed, 1e9) * 1_000_000).rounded(.up))))
    }
}

/// A clock that moves only when `advance(by:)` is called. Sleepers wake when the clock passes
/// their deadline (or when their task is cancelled). For deterministic tests.
public final class ManualOperationsClock: OperationsClock {
    private struct Sleeper {
        var id: UInt64
        var deadline: Double
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Double = 0
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
    }

    private let wallOrigin: Date
    private let state = Mutex(State())

    /// - Parameter wallOrigin: the wall time at monotonic 0 (default 2026-01-01T00:00:00Z).
    public init(wallOrigin: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        self.wallOrigin = wallOrigin
    }

    public func wallNow() -> Date { wallOrigin.addingTimeInterval(monotonicNow()) }

    public func monotonicNow() -> Double { state.withLock { $0.now } }

    /// How many tasks are sleeping on this clock right now (tests wait for loops to park).
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Moves time forward and wakes every sleeper whose deadline has passed.
    public func advance(by seconds: Double) {
        let woken: [Sleeper] = state.withLock { state in
            if seconds.isFinite, seconds > 0 { state.now += seconds }
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    public func sleep(seconds: Double) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state -> UInt64 in
            state.nextID &+= 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { state in
                    let deadline = state.now + max(0, seconds.isFinite ? seconds : 0)
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }
}
