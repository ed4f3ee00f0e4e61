import Testing
@testable import Simulation

@Suite("Load curves")
struct LoadCurveTests {
    @Test func constant() {
        #expect(LoadCurve.constant(42).value(at: 0) == 42)
        #expect(LoadCurve.constant(42).value(at: 1e6) == 42)
    }

    @Test(arguments: [(-5.0, 10.0), (0, 10), (59.9, 10), (60, 20), (119, 20), (120, 5), (1e9, 5)])
    func steps(time: Double, expected: Double) {
        let curve = LoadCurve.steps(initial: 10, steps: [CurvePoint(time: 60, value: 20), CurvePoint(time: 120, value: 5)])
        #expect(curve.value(at: time) == expected)
    }

    @Test(arguments: [(0.0, 100.0), (10, 100), (15, 150), (20, 200), (100, 200)])
    func ramp(time: Double, expected: Double) {
        #expect(LoadCurve.ramp(from: 100, to: 200, start: 10, duration: 10).value(at: time) == expected)
    }

    @Test func sine() {
        let curve = LoadCurve.sine(base: 100, amplitude: 50, period: 400, phase: 0)
        #expect(abs(curve.value(at: 0) - 100) < 1e-9)
        #expect(abs(curve.value(at: 100) - 150) < 1e-9)
        #expect(abs(curve.value(at: 300) - 50) < 1e-9)
        // Never negative.
        #expect(LoadCurve.sine(base: 10, amplitude: 50, period: 400, phase: 0).value(at: 300) == 0)
    }

    @Test(arguments: [(0.0, 10.0), (100, 10), (110, 55), (120, 100), (150, 100), (160, 55), (170, 10), (500, 10)])
    func spike(time: Double, expected: Double) {
        let curve = LoadCurve.spike(base: 10, peak: 100, at: 100, rise: 20, hold: 30, fall: 20)
        #expect(abs(curve.value(at: time) - expected) < 1e-9)
    }

    @Test func dailyPatternInterpolatesAndWraps() {
        let curve = LoadCurve.daily(points: [CurvePoint(time: 6 * 3600, value: 1000), CurvePoint(time: 12 * 3600, value: 7000),
                                             CurvePoint(time: 18 * 3600, value: 1000)])
        #expect(curve.value(at: 9 * 3600) == 4000)
        #expect(curve.value(at: 12 * 3600) == 7000)
        // 18:00 → 06:00 next day holds 1000 (both ends equal), and the next day repeats.
        #expect(curve.value(at: 0) == 1000)
        #expect(curve.value(at: LoadCurve.day + 9 * 3600) == 4000)
        let wrapping = LoadCurve.daily(points: [CurvePoint(time: 0, value: 0), CurvePoint(time: 12 * 3600, value: 1200)])
        // From 12:00 (1200) to the next midnight (0): halfway at 18:00.
        #expect(wrapping.value(at: 18 * 3600) == 600)
    }

    @Test func seriesHoldAndLinear() {
        let points = [CurvePoint(time: 0, value: 0), CurvePoint(time: 10, value: 100)]
        #expect(LoadCurve.series(points: points, interpolation: .hold).value(at: 5) == 0)
        #expect(LoadCurve.series(points: points, interpolation: .linear).value(at: 5) == 50)
        #expect(LoadCurve.series(points: points, interpolation: .linear).value(at: 50) == 100)
    }

    @Test func problemsNameTheField() {
        let unordered = LoadCurve.steps(initial: 0, steps: [CurvePoint(time: 60, value: 1), CurvePoint(time: 30, value: 2)])
        #expect(unordered.problems().map(\.field) == ["steps[1].time"])
        #expect(LoadCurve.sine(base: 1, amplitude: 1, period: 0, phase: 0).problems().map(\.field) == ["period"])
        #expect(LoadCurve.ramp(from: 0, to: 1, start: 0, duration: -1).problems().map(\.field) == ["duration"])
        #expect(LoadCurve.daily(points: [CurvePoint(time: 90_000, value: 1)]).problems().map(\.field) == ["points[0].time"])
        #expect(LoadCurve.constant(.nan).problems().count == 1)
        #expect(LoadCurve.constant(5).problems().isEmpty)
    }

    @Test func profileUsesMetricCurveOrDemand() {
        let profile = LoadProfile(demand: .constant(5), metrics: ["queue": .constant(9)])
        #expect(profile.value(ofMetric: "queue", at: 0) == 9)
        #expect(profile.value(ofMetric: "cpu", at: 0) == 5)
    }
}

@Suite("Durations and quantities")
struct DurationTests {
    @Test(arguments: [("15s", 15.0), ("5m", 300), ("1h30m", 5400), ("250ms", 0.25), ("90", 90), ("2.5s", 2.5), ("0", 0)])
    func parses(text: String, seconds: Double) {
        #expect(parseDuration(text) == seconds)
    }

    @Test(arguments: ["", "5x", "-3s", "m", "1.2.3s", "abc", "5 m"])
    func rejects(text: String) {
        #expect(parseDuration(text) == nil)
    }

    @Test func formats() {
        #expect(formatDuration(0) == "0s")
        #expect(formatDuration(150) == "2m30s")
        #expect(formatDuration(3900) == "1h05m")
        #expect(formatDuration(7200) == "2h")
        #expect(formatClock(13 * 3600 + 5 * 60) == "13:05")
        #expect(parseClock("13:05:30") == 47130)
        #expect(parseClock("25:00") == nil)
    }

    @Test(arguments: [("500m", 0.5), ("2k", 2000), ("512Mi", 536_870_912), ("1.5", 1.5), ("1e3", 1000)])
    func quantities(text: String, value: Double) {
        #expect(parseQuantityValue(text) == value)
    }
}
