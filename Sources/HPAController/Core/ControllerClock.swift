#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// The controller's only source of time. Logic asks the clock, never `Date()`, so tests and the
/// demo can run on a manual or accelerated clock.
public protocol ControllerClock: Sendable {
    /// The current instant.
    func now() -> Date
    /// Suspends until `deadline` (returns at once when it has passed). Throws `CancellationError`
    /// when the calling task is cancelled.
    func sleep(until deadline: Date) async throws
}

extension ControllerClock {
    /// Suspends for `seconds` of this clock's time.
    public func sleep(seconds: Double) async throws {
        try await sleep(until: now().addingTimeInterval(seconds))
    }
}

/// Wall-clock time.
public struct SystemControllerClock: ControllerClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSince(Date())
        if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) }
        try Task.checkCancellation()
    }
}

/// A clock that moves only when `advance(by:)` or `set(to:)` is called; sleepers whose deadline
/// has been reached are resumed then. For tests and for driving the controller from a simulation.
public final class ManualControllerClock: ControllerClock {
    private struct Sleeper {
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }
    private struct State {
        var now: Date
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
    }
    private let state: Mutex<State>

    /// - Parameter start: the initial instant (default 2026-01-01T00:00:00Z).
    public init(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        state = Mutex(State(now: start))
    }

    public func now() -> Date { state.withLock { $0.now } }

    /// Number of tasks currently sleeping on this clock (lets a test wait until workers are idle).
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(until deadline: Date) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { state in
                    if Task.isCancelled || deadline <= state.now { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if resumeNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward (negative values are ignored) and wakes due sleepers.
    public func advance(by seconds: Double) {
        guard seconds.isFinite, seconds > 0 else { return }
        let target = now().addingTimeInterval(seconds)
        set(to: target)
    }

    /// Sets the clock to `instant` if that is later than now, and wakes due sleepers.
    public func set(to instant: Date) {
        let due: [Sleeper] = state.withLock { state in
            if instant > state.now { state.now = instant }
            let ready = state.sleepers.filter { $0.value.deadline <= state.now }
            for key in ready.keys { state.sleepers.removeValue(forKey: key) }
            return ready.sorted { $0.value.deadline < $1.value.deadline }.map(\.value)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
