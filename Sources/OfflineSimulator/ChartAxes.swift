// Axis arithmetic for the chart: nice tick steps for values and for time.
import Simulation

enum ChartAxes {
    /// Ticks from 0 to at least `maximum` with a 1-2-5 step, about `count` of them.
    static func valueTicks(maximum: Double, count: Int = 5) -> [Double] {
        let top = maximum > 0 && maximum.isFinite ? maximum : 1
        let raw = top / Double(max(1, count))
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var ticks: [Double] = []
        var value = 0.0
        while value < top + step * 0.999 && ticks.count < 50 {
            ticks.append(value)
            value += step
        }
        return ticks
    }

    /// Integer ticks for replica counts (step at least 1).
    static func replicaTicks(maximum: Int) -> [Double] {
        let ticks = valueTicks(maximum: Double(max(1, maximum)), count: 5)
        let step = max(1, (ticks.count > 1 ? ticks[1] : 1).rounded(.up))
        var result: [Double] = []
        var value = 0.0
        while value < Double(max(1, maximum)) + step * 0.999 && result.count < 50 {
            result.append(value)
            value += step
        }
        return result
    }

    /// Time ticks over `duration` at a human step (15 s … 1 day), at most about 12.
    static func timeTicks(duration: SimSeconds) -> [SimSeconds] {
        let steps: [SimSeconds] = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172_800, 604_800]
        let step = steps.first { duration / $0 <= 12 } ?? (duration / 12).rounded(.up)
        var ticks: [SimSeconds] = []
        var t = 0.0
        while t <= duration + 1e-6 && ticks.count < 100 {
            ticks.append(t)
            t += step
        }
        return ticks
    }
}
