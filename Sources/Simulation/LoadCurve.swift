// Load models: how much demand there is at a virtual instant. Pure values, no I/O.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One point of a piecewise curve: the value at `time` seconds (since scenario start, or since
/// midnight for a daily pattern).
public struct CurvePoint: Sendable, Hashable, Codable {
    public var time: SimSeconds
    public var value: Double
    public init(time: SimSeconds, value: Double) {
        self.time = time
        self.value = value
    }
}

/// How a series of samples is read between its points.
public enum Interpolation: String, Sendable, Hashable, Codable, CaseIterable {
    /// The value of the latest point at or before the instant (a staircase).
    case hold
    /// A straight line between neighbouring points.
    case linear
}

/// A demand curve in load units (users, requests/s, queue length, ...). Evaluate with `value(at:)`.
///
/// Before its first point a series curve shows its first value; after its last point, its last
/// value. All curves are total functions: they never trap and return finite values for finite
/// parameters.
public enum LoadCurve: Sendable, Hashable {
    /// The same value at every instant.
    case constant(Double)
    /// A staircase: `initial` until the first step, then each step's value from its time on.
    /// Steps must be in increasing time order (`LoadCurve.validated` checks).
    case steps(initial: Double, steps: [CurvePoint])
    /// `from` until `start`, then a straight line reaching `to` at `start + duration`, then `to`.
    case ramp(from: Double, to: Double, start: SimSeconds, duration: SimSeconds)
    /// `base + amplitude × sin(2π (t − phase) / period)`, never below zero.
    case sine(base: Double, amplitude: Double, period: SimSeconds, phase: SimSeconds)
    /// `base`, except around `at`: rises linearly to `peak` over `rise` seconds, stays there for
    /// `hold` seconds, falls back to `base` over `fall` seconds.
    case spike(base: Double, peak: Double, at: SimSeconds, rise: SimSeconds, hold: SimSeconds, fall: SimSeconds)
    /// A pattern that repeats every 24 h: points at seconds since midnight (0 ..< 86 400), joined
    /// by straight lines, wrapping from the last point of the day to the first of the next.
    case daily(points: [CurvePoint])
    /// A recorded series (CSV trace or replayed dry-run records), read with `interpolation`.
    case series(points: [CurvePoint], interpolation: Interpolation)

    /// Seconds in a day.
    public static let day: SimSeconds = 86_400

    /// The demand at virtual time `t`.
    public func value(at t: SimSeconds) -> Double {
        switch self {
        case .constant(let v):
            return v
        case .steps(let initial, let steps):
            var current = initial
            for step in steps {
                if step.time <= t { current = step.value } else { break }
            }
            return current
        case .ramp(let from, let to, let start, let duration):
            if t <= start { return from }
            if duration <= 0 || t >= start + duration { return to }
            return from + (to - from) * (t - start) / duration
        case .sine(let base, let amplitude, let period, let phase):
            guard period > 0 else { return max(0, base) }
            return max(0, base + amplitude * sin(2 * Double.pi * (t - phase) / period))
        case .spike(let base, let peak, let at, let rise, let hold, let fall):
            if t < at { return base }
            var offset = t - at
            if offset < rise { return base + (peak - base) * offset / rise }
            offset -= rise
            if offset <= hold { return peak }
            offset -= hold
            if offset < fall { return peak - (peak - base) * offset / fall }
            return base
        case .daily(let points):
            return Self.daily(points, at: t)
        case .series(let points, let interpolation):
            return Self.series(points, interpolation, at: t)
        }
    }

    /// Problems with the curve's parameters (unordered or duplicate points, negative durations,
    /// non-finite numbers), each as a field path relative to the curve and a message. Empty when
    /// the curve is usable.
    public func problems() -> [(field: String, message: String)] {
        var found: [(String, String)] = []
        func finite(_ value: Double, _ field: String) {
            if !value.isFinite { found.append((field, "must be a finite number")) }
        }
        func nonNegative(_ value: Double, _ field: String) {
            finite(value, field)
            if value < 0 { found.append((field, "must not be negative")) }
        }
        func ordered(_ points: [CurvePoint], _ field: String, strictly: Bool) {
            for (index, point) in points.enumerated() {
                finite(point.time, "\(field)[\(index)].time")
                finite(point.value, "\(field)[\(index)].value")
                if index > 0 {
                    let previous = points[index - 1].time
                    if point.time < previous || (strictly && point.time == previous) {
                        found.append(("\(field)[\(index)].time",
                                      "must be later than the previous point (\(previous) s); points must be in time order"))
                    }
                }
            }
        }
        switch self {
        case .constant(let v):
            finite(v, "value")
        case .steps(let initial, let steps):
            finite(initial, "initial")
            ordered(steps, "steps", strictly: true)
        case .ramp(let from, let to, let start, let duration):
            finite(from, "from"); finite(to, "to"); finite(start, "start"); nonNegative(duration, "duration")
        case .sine(let base, let amplitude, let period, let phase):
            finite(base, "base"); finite(amplitude, "amplitude"); finite(phase, "phase")
            finite(period, "period")
            if !(period > 0) { found.append(("period", "must be greater than zero")) }
        case .spike(let base, let peak, let at, let rise, let hold, let fall):
            finite(base, "base"); finite(peak, "peak"); finite(at, "at")
            nonNegative(rise, "rise"); nonNegative(hold, "hold"); nonNegative(fall, "fall")
        case .daily(let points):
            if points.isEmpty { found.append(("points", "must hold at least one point")) }
            ordered(points, "points", strictly: true)
            for (index, point) in points.enumerated() where point.time < 0 || point.time >= Self.day {
                found.append(("points[\(index)].time", "must be a time of day between 00:00 and 23:59:59"))
            }
        case .series(let points, _):
            if points.isEmpty { found.append(("points", "must hold at least one point")) }
            ordered(points, "points", strictly: false)
        }
        return found
    }

    // MARK: - helpers

    private static func daily(_ points: [CurvePoint], at t: SimSeconds) -> Double {
        guard let first = points.first, let last = points.last else { return 0 }
        if points.count == 1 { return first.value }
        var timeOfDay = t.truncatingRemainder(dividingBy: day)
        if timeOfDay < 0 { timeOfDay += day }
        if timeOfDay < first.time || timeOfDay >= last.time {
            // Wrap: from the last point of the day to the first point of the next day.
            let span = first.time + day - last.time
            let offset = timeOfDay >= last.time ? timeOfDay - last.time : timeOfDay + day - last.time
            return span > 0 ? last.value + (first.value - last.value) * offset / span : first.value
        }
        return series(points, .linear, at: timeOfDay)
    }

    private static func series(_ points: [CurvePoint], _ interpolation: Interpolation, at t: SimSeconds) -> Double {
        guard let first = points.first, let last = points.last else { return 0 }
        if t <= first.time { return first.value }
        if t >= last.time { return last.value }
        // Binary search for the last point at or before t.
        var low = 0
        var high = points.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if points[mid].time <= t { low = mid } else { high = mid - 1 }
        }
        let before = points[low]
        guard interpolation == .linear, low + 1 < points.count else { return before.value }
        let after = points[low + 1]
        let span = after.time - before.time
        guard span > 0 else { return after.value }
        return before.value + (after.value - before.value) * (t - before.time) / span
    }
}
