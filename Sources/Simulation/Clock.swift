// The simulation clock: virtual seconds since the scenario started, readable by whoever drives the
// simulation (the offline simulator steps it by hand; ClusterSim may run it faster than real time).
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Seconds since the scenario started. Every model in this module speaks in this unit.
public typealias SimSeconds = Double

/// A clock the simulation runs on. `now()` is virtual seconds since the scenario's start;
/// `date(at:)` maps such an offset to a wall-clock `Date` anchored at `epoch`, for the values
/// (pod start times, metric timestamps, the decision core's `now`) that need a `Date`.
public protocol SimulationClock: Sendable {
    /// Virtual seconds elapsed since the scenario started.
    func now() -> SimSeconds
    /// The wall-clock instant that virtual time 0 corresponds to.
    var epoch: Date { get }
}

extension SimulationClock {
    /// The `Date` of a virtual instant.
    public func date(at seconds: SimSeconds) -> Date { epoch.addingTimeInterval(seconds) }
    /// The `Date` of the current virtual instant.
    public func nowDate() -> Date { date(at: now()) }
}

/// A clock that only moves when told to: the offline simulator and tests step it explicitly.
/// Safe to share between tasks (a mutex guards the reading).
public final class ManualClock: SimulationClock {
    public let epoch: Date
    private let current: Mutex<SimSeconds>

    /// - Parameters:
    ///   - epoch: the `Date` of virtual time 0 (default: 2026-01-01T00:00:00Z, so a daily pattern
    ///     starts at midnight and runs are reproducible).
    ///   - start: the virtual time the clock shows initially.
    public init(epoch: Date = ManualClock.defaultEpoch, start: SimSeconds = 0) {
        self.epoch = epoch
        self.current = Mutex(start)
    }

    /// 2026-01-01T00:00:00Z.
    public static let defaultEpoch = Date(timeIntervalSince1970: 1_767_225_600)

    public func now() -> SimSeconds { current.withLock { $0 } }

    /// Moves the clock forward by `seconds` (negative or non-finite values are ignored) and
    /// returns the new time.
    @discardableResult
    public func advance(by seconds: SimSeconds) -> SimSeconds {
        current.withLock { value in
            if seconds.isFinite && seconds > 0 { value += seconds }
            return value
        }
    }

    /// Sets the clock to `seconds` if that is later than now (the clock never runs backwards);
    /// returns the new time.
    @discardableResult
    public func advance(to seconds: SimSeconds) -> SimSeconds {
        current.withLock { value in
            if seconds.isFinite && seconds > value { value = seconds }
            return value
        }
    }
}

/// A clock that follows real (monotonic) time multiplied by `speed`: with speed 20 a ten-minute
/// scenario passes in 30 real seconds. `speed` 1 is real time. Virtual time 0 is the moment the
/// clock was created (or `start`).
public final class AcceleratedClock: SimulationClock {
    public let epoch: Date
    /// Virtual seconds per real second (> 0).
    public let speed: Double
    private let origin: ContinuousClock.Instant
    private let start: SimSeconds

    /// - Parameters:
    ///   - speed: virtual seconds per real second; values that are not finite and positive become 1.
    ///   - epoch: the `Date` of virtual time 0 (default: the real time now).
    ///   - start: the virtual time at creation.
    public init(speed: Double, epoch: Date = Date(), start: SimSeconds = 0) {
        self.speed = (speed.isFinite && speed > 0) ? speed : 1
        self.epoch = epoch
        self.origin = ContinuousClock.now
        self.start = start
    }

    public func now() -> SimSeconds {
        let elapsed = ContinuousClock.now - origin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return start + seconds * speed
    }

    /// How long to sleep in real time until virtual time `target` (zero if already past).
    public func realDelay(until target: SimSeconds) -> Duration {
        let remaining = (target - now()) / speed
        guard remaining.isFinite, remaining > 0 else { return .zero }
        return .milliseconds(Int64((remaining * 1000).rounded(.up)))
    }
}
