import Foundation
import Testing
import KubeAPI
@testable import OfflineSimulator
import Simulation

@Suite("Step loop and summary")
struct SimulatorTests {
    /// 2 → 5 pods at 60 s (ready at 90 s), demand 2000 → 5000 at 60 s → 1000 at 180 s, back to 1 pod at 300 s.
    func handCheckedScenario() throws -> Scenario {
        var s = try ScenarioParser.parse("""
        duration: 6m
        initialReplicas: 2
        hpa:
        \(inlineHPA())
        workload:
          capacityPerPod: 1000
        load:
          type: step
          initial: 2000
          steps:
          - {at: 1m, value: 5000}
          - {at: 3m, value: 1000}
        """, file: "s.yaml")
        s.variants[0].hpa.spec.minReplicas = 1
        return s
    }

    @Test func loopAppliesDecisionsAndRecordsRows() throws {
        let scenario = try handCheckedScenario()
        let result = try Simulator(scenario: scenario, makeDecider: scripted([60: (5, "DesiredWithinRange"), 300: (1, "DesiredWithinRange")])).run()
        let rows = try #require(result.runs.first).rows
        #expect(rows.count == 24)                       // 6 min at 15 s
        #expect(rows.map(\.time).prefix(3) == [0, 15, 30])
        #expect(rows[4].time == 60)
        #expect(rows[4].rescaled)
        #expect(rows[4].replicas == 5)
        #expect(rows[4].readyReplicas == 2)
        #expect(rows[6].readyReplicas == 5)             // 90 s: 20 s start-up + 10 s readiness
        #expect(rows[4].load == 5000)
        #expect(rows[20].replicas == 1)
        #expect(rows.filter(\.rescaled).count == 2)
    }

    @Test func summaryFiguresMatchTheHandCheckedCase() throws {
        let scenario = try handCheckedScenario()
        let result = try Simulator(scenario: scenario, makeDecider: scripted([60: (5, "DesiredWithinRange"), 300: (1, "DesiredWithinRange")])).run()
        let summary = try #require(result.runs.first).summary
        // Short by 3 pods from 60 s until the new pods are ready at 90 s: 3 × 30.
        #expect(summary.underProvisionedPodSeconds == 90)
        // 5 pods for a demand of 1 from 180 s to 300 s: 4 × 120.
        #expect(summary.overProvisionedPodSeconds == 480)
        #expect(summary.scaleUpEvents == 1)
        #expect(summary.scaleDownEvents == 1)
        #expect(summary.scaleEvents == 2)
        #expect(summary.peakReplicas == 5)
        // 2 pods × 60 s + 5 × 240 s + 1 × 60 s over 360 s.
        #expect(abs(summary.meanReplicas - 1380.0 / 360.0) < 1e-9)
        #expect(summary.timesToCapacity == [30])
        #expect(summary.openShortfalls == 0)
    }

    @Test func demandFromTheCPUModelWithoutAnExplicitCapacity() throws {
        var scenario = try handCheckedScenario()
        scenario.capacityPerPod = nil
        // 70 % of 500m = 350m per pod; 20m idle; 0.05m per user → 6,600 users per pod.
        let yardstick = DemandYardstick(scenario: scenario, hpa: scenario.variants[0].hpa)
        #expect(abs((yardstick.demandPods(at: 0, ready: 2) ?? 0) - 2000.0 / 6600.0) < 1e-9)
    }

    @Test func shortfallStillOpenAtTheEndIsCounted() throws {
        let scenario = try handCheckedScenario()
        let result = try Simulator(scenario: scenario, makeDecider: scripted([:])).run()
        let summary = try #require(result.runs.first).summary
        // Short from 60 s until the demand drops back to 1000 users at 180 s.
        #expect(summary.timesToCapacity == [120])
        #expect(summary.scaleEvents == 0)
        #expect(summary.meanReplicas == 2)
    }

    @Test func deciderErrorsStopTheRun() throws {
        let scenario = try handCheckedScenario()
        let failing: DeciderFactory = { variant, _ throws(ScenarioError) in
            throw ScenarioError(file: variant.source, message: "no core")
        }
        #expect(throws: ScenarioError.self) { try Simulator(scenario: scenario, makeDecider: failing).run() }
    }
}

@Suite("Metrics pipeline")
struct MetricsPipelineTests {
    @Test func cpuComesFromTheWorkloadModelAndExternalFromItsCurve() throws {
        let hpa = HorizontalPodAutoscaler(
            metadata: ObjectMeta(name: "w"),
            spec: HorizontalPodAutoscalerSpec(
                scaleTargetRef: CrossVersionObjectReference(apiVersion: "apps/v1", kind: "Deployment", name: "w"), maxReplicas: 10,
                metrics: [.resource("cpu", .utilization(70)),
                          MetricSpec(type: "External", external: ExternalMetricSource(metric: MetricIdentifier(name: "queue"),
                                                                                     target: .averageValue(Quantity(30))))]))
        let load = LoadProfile(demand: .constant(6000), metrics: ["queue": .constant(120)])
        let pipeline = MetricsPipeline(load: load, epoch: ManualClock.defaultEpoch)
        var workload = Workload(model: .loginService, podNamePrefix: "w", replicas: 2)
        workload.scale(to: 3, at: 0)
        let observation = pipeline.observe(hpa: hpa, workload: workload, at: 25)
        #expect(observation.specReplicas == 3)
        #expect(observation.pods.count == 3)
        #expect(observation.pods[2].phase == .running)
        #expect(observation.pods[2].ready == false)
        #expect(observation.pods[2].startTime == ManualClock.defaultEpoch.addingTimeInterval(20))
        guard case .podResources(let resource, _, let samples) = observation.metrics[0] else {
            Issue.record("expected pod resource metrics")
            return
        }
        #expect(resource == "cpu")
        // Ready pods: 20 + 0.05 × 3000 = 170m; the new pod: idle 20m, doubled while warming up.
        #expect(samples.map(\.milliValue) == [170, 170, 40])
        #expect(observation.metrics[1] == .external([120_000], timestamp: ManualClock.defaultEpoch.addingTimeInterval(25)))
    }

    @Test func observedUtilizationCurveSetsEveryRunningPod() throws {
        let hpa = HorizontalPodAutoscaler(
            metadata: ObjectMeta(name: "w"),
            spec: HorizontalPodAutoscalerSpec(
                scaleTargetRef: CrossVersionObjectReference(apiVersion: "apps/v1", kind: "Deployment", name: "w"), maxReplicas: 10,
                metrics: [.resource("cpu", .utilization(70))]))
        let pipeline = MetricsPipeline(load: LoadProfile(demand: .constant(0), metrics: ["cpu": .constant(90)]), epoch: ManualClock.defaultEpoch)
        let observation = pipeline.observe(hpa: hpa, workload: Workload(model: .loginService, replicas: 2), at: 0)
        guard case .podResources(_, _, let samples) = observation.metrics[0] else {
            Issue.record("expected pod resource metrics")
            return
        }
        #expect(samples.map(\.milliValue) == [450, 450])
    }
}
