import Testing
import KubeAPI
@testable import OfflineSimulator
import Simulation

@Suite("Scenario parser")
struct ScenarioParserTests {
    func scenario(_ body: String) throws(ScenarioError) -> Scenario {
        try ScenarioParser.parse(body, file: "s.yaml")
    }

    func failure(_ body: String) -> ScenarioError? {
        do {
            _ = try ScenarioParser.parse(body, file: "s.yaml")
            return nil
        } catch {
            return error
        }
    }

    let base = """
    name: test
    duration: 10m
    hpa:
    \(inlineHPA())
    load:
      unit: users
      type: constant
      value: 5000
    """

    @Test func minimalScenarioWithDefaults() throws {
        let s = try scenario(base)
        #expect(s.name == "test")
        #expect(s.duration == 600)
        #expect(s.variants.count == 1)
        #expect(s.variants[0].name == "login-service-hpa")
        #expect(s.variants[0].hpa.spec.maxReplicas == 15)
        #expect(s.initialReplicas == 3)
        #expect(s.settings.syncPeriod == 15)
        #expect(s.workload == .loginService)
        #expect(s.load.unit == "users")
        #expect(s.load.demand(at: 0) == 5000)
    }

    @Test func everySectionIsRead() throws {
        let s = try scenario("""
        duration: 1h30m
        initialReplicas: 4
        hpa:
        \(inlineHPA())
        controller:
          syncPeriod: 30s
          tolerance: 0.05
          downscaleStabilization: 2m
          cpuInitializationPeriod: 1m
          initialReadinessDelay: 10s
          featureGates: {HPAScaleToZero: true}
        workload:
          startupDelay: 5s
          readinessDelay: 2s
          cpuBurst: {factor: 3, duration: 10s}
          requests: {cpu: "1", memory: 1Gi}
          cpuIdle: 10m
          cpuPerUnit: 50m/1000
          capacityPerPod: 6600
        load:
          type: ramp
          from: 1k
          to: 10k
          start: 5m
          duration: 10m
        metrics:
          queue: {type: constant, value: 7}
        """)
        #expect(s.duration == 5400)
        #expect(s.initialReplicas == 4)
        #expect(s.settings.syncPeriod == 30)
        #expect(s.settings.tolerance == 0.05)
        #expect(s.settings.downscaleStabilization == 120)
        #expect(s.settings.featureGates["HPAScaleToZero"] == true)
        #expect(s.workload.startupDelay == 5)
        #expect(s.workload.cpuBurstFactor == 3)
        #expect(s.workload.cpuRequestMilli == 1000)
        #expect(s.workload.memoryRequestBytes == 1_073_741_824)
        #expect(s.workload.cpuIdleMilli == 10)
        #expect(abs(s.workload.cpuMilliPerUnit - 0.05) < 1e-12)
        #expect(s.capacityPerPod == 6600)
        #expect(s.load.demand(at: 600) == 5500)
        #expect(s.load.value(ofMetric: "queue", at: 0) == 7)
    }

    @Test func examplesParse() throws {
        for name in ["login-service-daily", "queue-worker-external", "spike-test", "behavior-comparison", "login-service-csv"] {
            let s = try ScenarioParser.load(path: "\(repositoryRoot)/examples/\(name).yaml")
            #expect(!s.variants.isEmpty, "\(name)")
        }
        let daily = try ScenarioParser.load(path: "\(repositoryRoot)/examples/login-service-daily.yaml")
        #expect(daily.duration == 86_400)
        #expect(daily.clockAxis)
        let comparison = try ScenarioParser.load(path: "\(repositoryRoot)/examples/behavior-comparison.yaml")
        #expect(comparison.variants.map(\.name) == ["upstream defaults", "cautious (2 pods/min up, 10 min window)"])
        #expect(comparison.variants[1].hpa.spec.behavior?.scaleUp?.policies?.first?.value == 2)
    }

    @Test func jsonScenarioParses() throws {
        let json = """
        {"duration": "5m", "hpa": {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
          "metadata": {"name": "web"}, "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
          "maxReplicas": 5, "metrics": [{"type": "External", "external": {"metric": {"name": "q"},
          "target": {"type": "AverageValue", "averageValue": "30"}}}]}},
         "load": {"type": "sine", "base": 100, "amplitude": 50, "period": "10m"}}
        """
        let s = try ScenarioParser.parse(json, file: "s.json")
        #expect(s.variants[0].hpa.spec.metrics?.first?.external?.target.averageValue?.milliValue == 30_000)
        #expect(s.initialReplicas == 1)
    }

    @Test(arguments: [
        // (scenario text, line, field, message fragment)
        ("duration: 10m\nspeed: 3\n", 2, "speed", "unknown field"),
        ("duration: 10 minutes\n", 1, "duration", "cannot read \"10 minutes\" as a duration"),
        ("duration: 10m\ncontroller:\n  syncPeriod: fast\n", 3, "controller.syncPeriod", "as a duration"),
        ("duration: 10m\ncontroller:\n  tolerence: 0.1\n", 3, "controller.tolerence", "unknown field"),
        ("duration: 10m\nworkload:\n  cpuPerUnit: lots\n", 3, "workload.cpuPerUnit", "per load unit"),
    ] as [(String, Int, String, String)])
    func topLevelErrorsNameFieldAndLine(prefix: String, line: Int, field: String, fragment: String) throws {
        let body = prefix + "hpa:\n\(inlineHPA())\nload: {type: constant, value: 1}\n"
        let error = try #require(failure(body))
        #expect(error.file == "s.yaml")
        #expect(error.line == line)
        #expect(error.field == field)
        #expect(error.message.contains(fragment), "\(error)")
    }

    @Test func unorderedStepsAreRejected() throws {
        let error = try #require(failure("""
        duration: 10m
        hpa:
        \(inlineHPA())
        load:
          type: step
          initial: 1
          steps:
          - {at: 5m, value: 2}
          - {at: 2m, value: 3}
        """))
        #expect(error.field == "load.steps[1].at")
        #expect(error.line == 27)
        #expect(error.message.contains("time order"))
    }

    @Test func unknownLoadTypeAndFieldsOfAnotherType() throws {
        let unknown = try #require(failure("duration: 1m\nhpa:\n\(inlineHPA())\nload: {type: sawtooth}\n"))
        #expect(unknown.field == "load.type")
        #expect(unknown.message.contains("unknown load type"))
        let mixed = try #require(failure("duration: 1m\nhpa:\n\(inlineHPA())\nload: {type: constant, value: 1, peak: 3}\n"))
        #expect(mixed.field == "load.peak")
        #expect(mixed.message.contains("unknown field"))
    }

    @Test func unknownFieldInTheHPAManifestIsNamedWithItsLine() throws {
        let body = base.replacingOccurrences(of: "averageUtilization: 70", with: "averageUtilisation: 70")
        let error = try #require(failure(body))
        #expect(error.field == "hpa.spec.metrics[0].resource.target.averageUtilisation")
        #expect(error.line == 22)
    }

    @Test(arguments: [
        ("maxReplicas: 15", "maxReplicas: 2", "spec.maxReplicas", "must be greater than or equal to `minReplicas`"),
        ("averageUtilization: 70", "averageUtilization: 0", "spec.metrics[0].resource.target.averageUtilization", "must be greater than 0"),
        ("type: Resource", "type: Custom", "spec.metrics[0].type", "Unsupported value"),
        ("apiVersion: apps/v1", "apiVersion: v1", "spec.scaleTargetRef.apiVersion", "must specify API group"),
    ])
    func manifestsTheAPIServerWouldRejectAreRejected(old: String, new: String, field: String, fragment: String) throws {
        let error = try #require(failure(base.replacingOccurrences(of: old, with: new)))
        #expect(error.field == field, "\(error)")
        #expect(error.message.contains(fragment), "\(error)")
        #expect(error.line != nil)
    }

    @Test func windowsOverAnHourAndBadPoliciesAreRejected() throws {
        let behavior = base.replacingOccurrences(of: "  maxReplicas: 15", with: """
          maxReplicas: 15
            behavior:
              scaleDown:
                stabilizationWindowSeconds: 7200
                policies: [{type: Pods, value: 1, periodSeconds: 60}]
        """)
        let error = try #require(failure(behavior))
        #expect(error.field == "spec.behavior.scaleDown.stabilizationWindowSeconds")
        #expect(error.message.contains("3600"))
    }

    @Test func wrongAPIVersionAndBadQuantity() throws {
        let v1 = try #require(failure(base.replacingOccurrences(of: "autoscaling/v2", with: "autoscaling/v1")))
        #expect(v1.field == "hpa.apiVersion")
        let quantity = base.replacingOccurrences(of: "type: Utilization", with: "type: AverageValue")
            .replacingOccurrences(of: "averageUtilization: 70", with: "averageValue: 12x")
        let bad = try #require(failure(quantity))
        #expect(bad.field?.hasPrefix("spec.metrics[0].resource.target.averageValue") == true, "\(bad)")
    }

    @Test func manifestFilesMayHoldSeveralVariants() throws {
        let dir = try temporaryDirectory()
        let second = loginHPAYAML.replacingOccurrences(of: "maxReplicas: 15", with: "maxReplicas: 10")
        try FileOutput.write(loginHPAYAML + "\n---\n" + second + "\n", to: "\(dir)/hpas.yaml")
        try FileOutput.write("duration: 1m\nhpa: hpas.yaml\nload: {type: constant, value: 1}\n", to: "\(dir)/s.yaml")
        let s = try ScenarioParser.load(path: "\(dir)/s.yaml")
        #expect(s.variants.map(\.name) == ["login-service-hpa", "login-service-hpa (2)"])
        #expect(s.variants.map(\.hpa.spec.maxReplicas) == [15, 10])
    }

    @Test func traceErrorsKeepTheTraceFileAndLine() throws {
        let dir = try temporaryDirectory()
        try FileOutput.write("time,value\n0,1\n60,2\n30,3\n", to: "\(dir)/t.csv")
        try FileOutput.write("hpa:\n\(inlineHPA())\nload: {type: csv, file: t.csv}\n", to: "\(dir)/s.yaml")
        do {
            _ = try ScenarioParser.load(path: "\(dir)/s.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "\(dir)/t.csv")
            #expect(error.line == 4)
            #expect(error.field == "time")
        }
        // A trace implies the duration: its last sample.
        try FileOutput.write("time,value\n0,1\n90,2\n", to: "\(dir)/ok.csv")
        try FileOutput.write("hpa:\n\(inlineHPA())\nload: {type: csv, file: ok.csv}\n", to: "\(dir)/ok.yaml")
        #expect(try ScenarioParser.load(path: "\(dir)/ok.yaml").duration == 90)
    }

    @Test func missingPiecesAreNamed() throws {
        #expect(try #require(failure("duration: 1m\nload: {type: constant, value: 1}\n")).field == "hpa")
        #expect(try #require(failure("duration: 1m\nhpa:\n\(inlineHPA())\n")).field == "load")
        #expect(try #require(failure("hpa:\n\(inlineHPA())\nload: {type: constant, value: 1}\n")).field == "duration")
        let broken = try #require(failure("duration: [1m\n"))
        #expect(broken.message.contains("not valid YAML"), "\(broken)")
    }
}

@Suite("Dry-run replay in scenarios")
struct ReplayScenarioTests {
    /// Two records in the shape `run --dry-run --output json` writes (docs/dry-run.md), trimmed.
    static let records = """
    {"currentReplicas":3,"desiredReplicas":6,"limitedBy":"ScaleUpLimit","metrics":[{"current":{"averageUtilization":150,"averageValue":"750m"},"name":"cpu","proposedReplicas":7,"target":{"averageUtilization":70,"type":"Utilization"},"type":"Resource"}],"name":"login-service-hpa","namespace":"login","time":"2026-01-01T08:00:00Z"}
    {"currentReplicas":6,"desiredReplicas":6,"limitedBy":"DesiredWithinRange","metrics":[{"current":{"averageUtilization":75,"averageValue":"375m"},"name":"cpu","proposedReplicas":6,"target":{"averageUtilization":70,"type":"Utilization"},"type":"Resource"}],"name":"login-service-hpa","namespace":"login","time":"2026-01-01T08:01:00Z"}
    """

    @Test func replayDrivesTheRecordedUtilizationIntoTheRealCore() throws {
        let dir = try temporaryDirectory()
        try FileOutput.write(Self.records + "\n", to: "\(dir)/decisions.jsonl")
        try FileOutput.write("duration: 2m\ninitialReplicas: 3\nhpa:\n\(inlineHPA())\nload: {type: replay, file: decisions.jsonl, hpa: login/login-service-hpa}\n",
                             to: "\(dir)/s.yaml")
        let scenario = try ScenarioParser.load(path: "\(dir)/s.yaml")
        #expect(scenario.load.value(ofMetric: "cpu", at: 30) == 150)
        #expect(scenario.load.value(ofMetric: "cpu", at: 60) == 75)
        let rows = try Simulator(scenario: scenario).run().runs[0].rows
        // 150 % observed on 3 pods: the core wants ceil(150/70 × 3) = 7, the legacy rate limit allows 6.
        #expect(rows[0].metrics.first?.current == 150)
        #expect(rows[0].limitedBy == "ScaleUpLimit")
        #expect(rows[0].replicas == 6)
    }
}

@Suite("Absurd input does not trap")
struct AbsurdInputTests {
    @Test func hugeValuesAreRejectedOrSurvived() throws {
        let big = loginHPAYAML.replacingOccurrences(of: "maxReplicas: 15", with: "maxReplicas: 2000000")
        let indented = big.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        #expect(throws: ScenarioError.self) { try ScenarioParser.parse("duration: 1m\nhpa:\n\(indented)\nload: {type: constant, value: 1}\n", file: "s.yaml") }
        #expect(throws: ScenarioError.self) {
            try ScenarioParser.parse("duration: 1m\nhpa:\n\(inlineHPA())\ncontroller: {syncPeriod: 1e20}\nload: {type: constant, value: 1}\n", file: "s.yaml")
        }
        #expect(throws: ScenarioError.self) { try ScenarioParser.parse("duration: 1e12\nhpa:\n\(inlineHPA())\nload: {type: constant, value: 1}\n", file: "s.yaml") }
        // An absurd demand runs through the core, the summary and the chart without trapping.
        let scenario = try ScenarioParser.parse("duration: 1m\nhpa:\n\(inlineHPA())\nload: {type: constant, value: 1e300}\n", file: "s.yaml")
        let result = try Simulator(scenario: scenario).run()
        #expect(result.runs[0].rows.last?.replicas == 15)
        #expect(SVGChart.render(result).hasSuffix("</svg>\n"))
        #expect(formatDuration(1e300) == "1e+300s")
    }

    @Test func unusableStepIsAnErrorNotAHang() throws {
        var scenario = try ScenarioParser.parse("duration: 1m\nhpa:\n\(inlineHPA())\nload: {type: constant, value: 1}\n", file: "s.yaml")
        scenario.settings.syncPeriod = 0
        #expect(throws: ScenarioError.self) { try Simulator(scenario: scenario).run() }
    }
}
