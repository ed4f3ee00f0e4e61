#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPAController
import Simulation

/// The demo's day of login traffic, compressed to 20 simulated minutes so the whole story fits
/// in under a minute of wall time (seed README: 5K at night → 50K by morning → a 150K campaign
/// spike → 20K in the evening). The HPA, pods and workload model are `ClusterScenario.loginService`'s.
enum DemoScenario {
    static let namespace = "login"
    static let deployment = "webflux-login"
    static let hpaName = "login-service-hpa"
    static let leaseName = "hpa-controller-demo"
    static let maxReplicas: Int32 = 15

    /// Users over simulated seconds.
    static let traffic = LoadCurve.series(points: [
        CurvePoint(time: 0, value: 5_000),
        CurvePoint(time: 60, value: 5_000),      // night
        CurvePoint(time: 210, value: 50_000),    // morning ramp
        CurvePoint(time: 390, value: 50_000),
        CurvePoint(time: 450, value: 150_000),   // campaign spike
        CurvePoint(time: 630, value: 150_000),
        CurvePoint(time: 660, value: 20_000),    // evening
        CurvePoint(time: 1_200, value: 20_000),
    ], interpolation: .linear)

    /// Simulated length of the demo.
    static let duration: SimSeconds = 1_200
}

/// The controller's clock on the simulation's (fast) clock: `now()` is the simulated instant and
/// sleeping for simulated seconds takes `1/speed` as long in real time.
struct SimulationControllerClock: ControllerClock {
    let clock: AcceleratedClock

    func now() -> Date { clock.nowDate() }

    func sleep(until deadline: Date) async throws {
        let target = deadline.timeIntervalSince(clock.epoch)
        let delay = clock.realDelay(until: target)
        if delay > .zero { try await Task.sleep(for: delay) }
        try Task.checkCancellation()
    }
}

/// The operational clock (leader election) on the simulation's fast clock.
struct SimulationOperationsClock: OperationsClock {
    let clock: AcceleratedClock

    func wallNow() -> Date { clock.nowDate() }
    func monotonicNow() -> Double { clock.now() }
    func sleep(seconds: Double) async throws {
        guard seconds.isFinite, seconds > 0 else { try Task.checkCancellation(); return }
        try await Task.sleep(for: .microseconds(Int64((seconds / clock.speed * 1_000_000).rounded(.up))))
    }
}
