import Testing
@testable import Simulation

@Suite("Workload model")
struct WorkloadTests {
    let model = WorkloadModel.loginService

    @Test func initialPodsAreReadyAtStart() {
        let workload = Workload(model: model, podNamePrefix: "webflux-login", replicas: 3)
        #expect(workload.readyCount(at: 0) == 3)
        #expect(workload.pods.map(\.name) == ["webflux-login-00000", "webflux-login-00001", "webflux-login-00002"])
        // 5,000 users over 3 pods: 20m + 0.05 × 1666.67 = 103.3m each, no burst.
        let samples = workload.cpuSamples(demand: 5000, at: 0)
        #expect(samples.map(\.milliValue) == [103, 103, 103])
        #expect(samples.allSatisfy { $0.window == 15 })
    }

    @Test func newPodsStartRunAndBecomeReadyAfterTheirDelays() {
        var workload = Workload(model: model, replicas: 3)
        workload.scale(to: 5, at: 100)
        #expect(workload.specReplicas == 5)
        #expect(workload.statusReplicas == 5)
        let fresh = workload.pods[4]
        #expect(fresh.phase(at: 119) == .pending)
        #expect(fresh.startTime(at: 119) == nil)
        #expect(fresh.readyCondition(at: 119) == nil)
        #expect(fresh.phase(at: 120) == .running)
        #expect(fresh.readyCondition(at: 125)?.ready == false)
        #expect(fresh.readyCondition(at: 125)?.lastTransition == 120)
        #expect(fresh.readyCondition(at: 130)?.ready == true)
        #expect(fresh.readyCondition(at: 130)?.lastTransition == 130)
        #expect(workload.readyCount(at: 129) == 3)
        #expect(workload.readyCount(at: 130) == 5)
        #expect(workload.runningCount(at: 110) == 3)
        #expect(workload.cpuSamples(demand: 0, at: 110).count == 3)
    }

    @Test func startUpBurstDoublesCPUForThirtySecondsAndUnreadyPodsServeNothing() {
        var workload = Workload(model: model, replicas: 1)
        workload.scale(to: 2, at: 0)
        let fresh = workload.pods[1]
        // Running at 20 s, not ready: idle 20m doubled.
        #expect(workload.cpuMilli(of: fresh, share: 1000, at: 25) == 40)
        // Still warming just before it turns Ready: idle doubled.
        #expect(workload.cpuMilli(of: fresh, share: 1000, at: 29.9) == 40)
        // The burst lasts 30 s from creation, so it is over when the pod turns Ready at 30 s.
        #expect(workload.cpuMilli(of: fresh, share: 1000, at: 30) == 70)
        #expect(workload.cpuMilli(of: fresh, share: 1000, at: 50) == 70)
        #expect(workload.cpuMilli(of: fresh, share: 1000, at: 10) == 0)
    }

    @Test func demandIsSharedOverReadyPodsOnly() {
        var workload = Workload(model: model, replicas: 2)
        workload.scale(to: 4, at: 0)
        #expect(workload.sharePerReadyPod(demand: 10_000, at: 10) == 5000)
        #expect(workload.sharePerReadyPod(demand: 10_000, at: 30) == 2500)
        let perPod = workload.perPodSamples(total: 100, at: 25)
        #expect(perPod.map(\.milliValue) == [50_000, 50_000, 0, 0])
    }

    @Test func scaleDownRemovesUnreadyThenNewestPods() {
        var workload = Workload(model: model, replicas: 2)
        workload.scale(to: 4, at: 0)
        workload.scale(to: 5, at: 100)   // pod 4 created at 100, not ready until 130
        workload.scale(to: 3, at: 110)   // removes pod 4 (unready), then pod 3 (newest ready)
        #expect(workload.pods.map(\.name) == ["pod-00000", "pod-00001", "pod-00002"])
        workload.scale(to: 0, at: 200)
        #expect(workload.pods.isEmpty)
        workload.scale(to: 1, at: 300)
        #expect(workload.pods.map(\.name) == ["pod-00005"])
    }

    @Test func memoryAndProblems() {
        let workload = Workload(model: model, replicas: 1)
        #expect(workload.memorySamples(demand: 0, at: 0).first?.milliValue == 268_435_456_000)
        var bad = model
        bad.startupDelay = -1
        bad.cpuRequestMilli = 0
        #expect(Set(bad.problems().map(\.field)) == ["startupDelay", "requests.cpu"])
        #expect(model.problems().isEmpty)
    }

    @Test func milliClamps() {
        #expect(Workload.milli(.nan) == 0)
        #expect(Workload.milli(.infinity) == .max)
        #expect(Workload.milli(1e30) == .max)
        #expect(Workload.milli(2.5) == 3)
    }
}

@Suite("Clocks")
struct ClockTests {
    @Test func manualClockOnlyMovesForward() {
        let clock = ManualClock()
        #expect(clock.now() == 0)
        #expect(clock.advance(by: 15) == 15)
        #expect(clock.advance(by: -5) == 15)
        #expect(clock.advance(to: 10) == 15)
        #expect(clock.advance(to: 60) == 60)
        #expect(clock.date(at: 60).timeIntervalSince(clock.epoch) == 60)
    }

    @Test func acceleratedClockRunsFaster() {
        let clock = AcceleratedClock(speed: 1000)
        #expect(clock.now() >= 0)
        #expect(clock.realDelay(until: 1000) <= .seconds(1))
        #expect(AcceleratedClock(speed: -3).speed == 1)
    }
}
