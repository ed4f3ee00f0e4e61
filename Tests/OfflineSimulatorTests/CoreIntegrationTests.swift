import Foundation
import Testing
import HPACore
import KubeAPI
@testable import OfflineSimulator
import Simulation

/// The simulator running the real decision core on the shipped examples.
@Suite("Simulator with the real core")
struct CoreIntegrationTests {
    func run(_ example: String, duration: SimSeconds? = nil) throws -> SimulationResult {
        var scenario = try ScenarioParser.load(path: "\(repositoryRoot)/examples/\(example).yaml")
        if let duration { scenario.duration = duration }
        return try Simulator(scenario: scenario).run()
    }

    @Test func loginServiceDayShowsPolicyLimitWindowAndBound() throws {
        let result = try run("login-service-daily", duration: 15 * 3600)
        let rows = try #require(result.runs.first).rows
        let reasons = Set(rows.map(\.limitedBy))
        #expect(reasons.contains("ScaleUpLimit"))
        #expect(reasons.contains("ScaleDownStabilized"))
        #expect(reasons.contains("TooManyReplicas"))
        // The morning rush at 08:00: 3 pods may at most double per sync (legacy limit max(2×3, 4)).
        let rush = try #require(rows.first { $0.time == 8 * 3600 })
        #expect(rush.limitedBy == "ScaleUpLimit")
        #expect(rush.replicas == 6)
        // The campaign wants 23 pods and is held at maxReplicas.
        #expect(rows.map(\.replicas).max() == 15)
        // Every row carries the cpu reading against the 70 % target.
        #expect(rows.allSatisfy { $0.metrics.first?.name == "cpu" && $0.metrics.first?.target == 70 && $0.metrics.first?.unit == "%" })
    }

    @Test func scaleDownWaitsForTheStabilizationWindow() throws {
        let result = try run("behavior-comparison")
        let defaults = result.runs[0].rows
        // The load drops at 40 m; the default 5-minute window holds the replicas until 45 m.
        let held = defaults.filter { $0.time >= 2400 && $0.time < 2700 }
        #expect(held.allSatisfy { $0.replicas == defaults.first { $0.time == 2400 }?.replicas })
        #expect(held.contains { $0.limitedBy == "ScaleDownStabilized" })
        #expect(defaults.first { $0.time == 2700 }.map { $0.replicas < held[0].replicas } == true)
        // The cautious variant's scale-up policy allows 2 pods per minute.
        let cautious = result.runs[1].rows
        #expect(cautious.contains { $0.limitedBy == "ScaleUpLimit" })
        let upSteps = zip(cautious, cautious.dropFirst()).map { $1.replicas - $0.replicas }
        #expect(upSteps.max() == 2)
        // Slower up and slower down: short of capacity longer, and paying for idle pods longer.
        let defaultsSummary = result.runs[0].summary, cautiousSummary = result.runs[1].summary
        #expect((cautiousSummary.underProvisionedPodSeconds ?? 0) > (defaultsSummary.underProvisionedPodSeconds ?? 0))
        #expect((cautiousSummary.overProvisionedPodSeconds ?? 0) > (defaultsSummary.overProvisionedPodSeconds ?? 0))
        #expect((cautiousSummary.maxTimeToCapacity ?? 0) > (defaultsSummary.maxTimeToCapacity ?? 0))
    }

    @Test func externalQueueWorkerScalesOnTheQueue() throws {
        let result = try run("queue-worker-external")
        let rows = try #require(result.runs.first).rows
        #expect(rows.first?.metrics.first?.name == "queue_messages_ready")
        #expect(rows.first?.metrics.first?.target == 30)
        // 400 messages at 30 per pod → 14 pods once the rate limit lets it.
        #expect(rows.map(\.replicas).max() == 14)
        #expect(rows.last?.replicas == 1)
    }

    @Test func settingsReachTheCore() throws {
        var settings = SimulationSettings()
        settings.syncPeriod = 30
        settings.tolerance = 0.2
        settings.featureGates["HPAScaleToZero"] = true
        let core = settings.controllerSettings
        #expect(core.syncPeriodSeconds == 30)
        #expect(core.tolerance == 0.2)
        #expect(core.featureGates.hpaScaleToZero)
        #expect(core.downscaleStabilizationWindowSeconds == 300)
    }
}

@Suite("Every metric source through the real core")
struct MetricSourceTests {
    func run(metrics: String, load: String, extra: String = "") throws -> [StepRow] {
        let text = """
        duration: 3m
        initialReplicas: 2
        hpa:
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: {name: web, namespace: shop}
          spec:
            scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
            minReplicas: 1
            maxReplicas: 20
            metrics:
        \(metrics)
        workload: {startupDelay: 0s, readinessDelay: 0s, cpuBurst: {factor: 1, duration: 0s}}
        load: \(load)
        \(extra)
        """
        let scenario = try ScenarioParser.parse(text, file: "s.yaml")
        return try Simulator(scenario: scenario).run().runs[0].rows
    }

    @Test func podsMetricFollowsTheDemandSpreadOverReadyPods() throws {
        // 1,000 requests/s at 100 per pod → 10 pods; from 2 pods the legacy limit allows 4, then 8, then 10.
        let rows = try run(metrics: """
              - type: Pods
                pods: {metric: {name: http_requests}, target: {type: AverageValue, averageValue: "100"}}
        """, load: "{type: constant, value: 1000}")
        #expect(rows[0].metrics.first?.name == "http_requests")
        #expect(rows[0].metrics.first?.current == 500)
        #expect(rows[0].limitedBy == "ScaleUpLimit")
        #expect(rows.last?.replicas == 10)
    }

    @Test func objectMetricValueTarget() throws {
        // Latency 400 ms against a 200 ms Value target on 2 ready pods → ceil(2 × 2) = 4.
        let rows = try run(metrics: """
              - type: Object
                object:
                  describedObject: {apiVersion: v1, kind: Service, name: web}
                  metric: {name: latency_ms}
                  target: {type: Value, value: "200"}
        """, load: "{type: constant, value: 0}", extra: "metrics: {latency_ms: {type: constant, value: 400}}")
        #expect(rows[0].metrics.first?.current == 400)
        #expect(rows[0].desiredReplicas == 4)
    }

    @Test func memoryResourceAverageValue() throws {
        // 256Mi idle per pod against a 200Mi average target: ceil(2 × 1.28) = 3.
        let rows = try run(metrics: """
              - type: Resource
                resource: {name: memory, target: {type: AverageValue, averageValue: 200Mi}}
        """, load: "{type: constant, value: 0}")
        #expect(rows[0].metrics.first?.name == "memory")
        #expect(rows[0].desiredReplicas == 3)
    }
}

@Suite("Exact replay of a dry-run session")
struct ExactReplayTests {
    @Test func recordedDecisionsAreReproducedAndVariantsDiffer() throws {
        let scenario = try ScenarioParser.load(path: "\(repositoryRoot)/examples/replay-exact.yaml")
        let replay = try #require(scenario.exactReplay)
        #expect(replay.records.count == 20)
        let result = try Simulator(scenario: scenario).run()
        let recorded = result.runs[0].rows
        #expect(recorded.count == 20)
        #expect(recorded.allSatisfy { $0.recordedDesiredReplicas == $0.desiredReplicas })
        // The same observations against a 50 % target: ceil(70 / 50 × 3) = 5.
        let lower = result.runs[1].rows
        #expect(lower.allSatisfy { $0.desiredReplicas == 5 && $0.recordedDesiredReplicas == 3 })
        #expect(result.runs[1].summary.scaleUpEvents == 1)
        let table = OutputWriter.render(result, format: .table)
        #expect(table.contains("replay: 20 of 20 decisions match the recorded desiredReplicas"))
    }

    @Test func exactReplayNeedsObservations() throws {
        let dir = try temporaryDirectory()
        try FileOutput.write(ReplayScenarioTests.records + "\n", to: "\(dir)/decisions.jsonl")
        try FileOutput.write("hpa:\n\(inlineHPA())\nload: {type: replay, file: decisions.jsonl, exact: true}\n", to: "\(dir)/s.yaml")
        do {
            _ = try ScenarioParser.load(path: "\(dir)/s.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "load.exact")
            #expect(error.message.contains("no `observations`"))
        }
    }
}
