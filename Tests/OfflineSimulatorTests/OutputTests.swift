import Foundation
import Testing
import KubeAPI
@testable import OfflineSimulator
import Simulation

@Suite("Outputs")
struct OutputTests {
    func result() throws -> SimulationResult {
        let scenario = try ScenarioParser.parse("""
        name: output test
        duration: 2m
        hpa:
        \(inlineHPA())
        load: {unit: users, type: step, initial: 5000, steps: [{at: 30s, value: 50000}]}
        """, file: "s.yaml")
        return try Simulator(scenario: scenario, makeDecider: scripted([30: (6, "ScaleUpLimit"), 60: (8, "DesiredWithinRange")])).run()
    }

    @Test func tableHasHeadersReasonsAndSummary() throws {
        let text = OutputWriter.render(try result(), format: .table)
        #expect(text.contains("TIME"))
        #expect(text.contains("LOAD (users)"))
        #expect(text.contains("LIMITED BY"))
        #expect(text.contains("ScaleUpLimit"))
        #expect(text.contains("cpu 50%/70%"))
        #expect(text.contains("SUMMARY"))
        #expect(text.contains("2 (2 up, 0 down)"))
    }

    @Test func changesOnlyKeepsFirstLastAndInterestingSteps() throws {
        let all = try result()
        let kept = OutputWriter.keep(all.runs[0].rows, changesOnly: true)
        #expect(kept.map(\.time) == [0, 30, 45, 60, 105])   // 45: the reason changes back
    }

    @Test func csvHasOneRowPerStep() throws {
        let text = OutputWriter.render(try result(), format: .csv)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1 + 8)
        #expect(lines[0].hasPrefix("variant,time_seconds,load,metric,current,target"))
        #expect(lines[3] == "login-service-hpa,30,50000,cpu,50,70,%,6,6,3,ScaleUpLimit,true,,,cpu 50%/70%")
    }

    @Test func jsonIsOneDocumentWithStepsAndSummary() throws {
        let text = OutputWriter.render(try result(), format: .json)
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value["scenario"] == .string("output test"))
        guard case .array(let variants)? = value["variants"], case .array(let steps)? = variants.first?["steps"] else {
            Issue.record("variants/steps missing")
            return
        }
        #expect(steps.count == 8)
        #expect(steps[2]["limitedBy"] == .string("ScaleUpLimit"))
        #expect(variants.first?["summary"]?["peakReplicas"] == .integer(8))
    }
}

@Suite("Chart")
struct ChartTests {
    func comparison() throws -> SimulationResult {
        var scenario = try ScenarioParser.load(path: "\(repositoryRoot)/examples/behavior-comparison.yaml")
        scenario.duration = 3600
        let script: [SimSeconds: (Int, String)] = [600: (6, "ScaleUpLimit"), 615: (12, "ScaleUpLimit"), 630: (15, "TooManyReplicas"),
                                                   2400: (15, "ScaleDownStabilized"), 2700: (8, "DesiredWithinRange")]
        return try Simulator(scenario: scenario, makeDecider: scripted(script)).run()
    }

    @Test func svgHasAxesLegendMarkersAndOneLinePerVariant() throws {
        let svg = SVGChart.render(try comparison())
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("replicas (pods)"))
        #expect(svg.contains("load (users)"))
        #expect(svg.contains("time since start"))
        #expect(svg.contains("replicas: upstream defaults"))
        #expect(svg.contains("replicas: cautious (2 pods/min up, 10 min window)"))
        #expect(svg.contains("limited by rate policy"))
        #expect(svg.contains("limited by stabilization window"))
        #expect(svg.contains("limited by min/max bound"))
        #expect(svg.contains("target 70%"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 >= 4)   // 2 replica lines, needed pods, metric lines
    }

    @Test func chartRendersToAWellFormedNonEmptyPNG() throws {
        let searchPath = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin").split(separator: ":")
        let rsvg = searchPath.map { "\($0)/rsvg-convert" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        let converter = try #require(rsvg, "rsvg-convert is needed (scripts/bootstrap installs librsvg2-bin)")
        let dir = try temporaryDirectory()
        try FileOutput.write(SVGChart.render(try comparison()), to: "\(dir)/chart.svg")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: converter)
        process.arguments = ["--format=png", "--output=\(dir)/chart.png", "\(dir)/chart.svg"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let png = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/chart.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        // IHDR: width and height big-endian at offsets 16 and 20.
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1000)
        #expect(height > 500)
        #expect(png.count > 20_000)   // a blank image of this size compresses to a few kB
        if let keep = ProcessInfo.processInfo.environment["SIMULATE_CHART_DIR"] {
            try? FileManager.default.copyItem(atPath: "\(dir)/chart.png", toPath: "\(keep)/comparison-test.png")
        }
    }

    @Test func noChartIsLeftBehindWhenTheRunFails() throws {
        let dir = try temporaryDirectory()
        var job = SimulationJob(scenarioPath: "\(repositoryRoot)/examples/behavior-comparison.yaml")
        job.chartPath = "\(dir)/chart.svg"
        job.makeDecider = { variant, _ throws(ScenarioError) in
            if variant.name.hasPrefix("cautious") { throw ScenarioError(file: variant.source, message: "boom") }
            return ScriptedDecider(script: [:])
        }
        #expect(throws: ScenarioError.self) { try job.execute() }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/chart.svg"))
        // A bad scenario: no chart either.
        job.scenarioPath = "\(dir)/missing.yaml"
        #expect(throws: ScenarioError.self) { try job.execute() }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/chart.svg"))
    }

    @Test func jobWritesTheChartAfterASuccessfulRun() throws {
        let dir = try temporaryDirectory()
        var job = SimulationJob(scenarioPath: "\(repositoryRoot)/examples/spike-test.yaml")
        job.chartPath = "\(dir)/chart.svg"
        job.makeDecider = scripted([:])
        job.overrides.duration = "5m"
        let output = try job.execute()
        #expect(output.contains("SUMMARY"))
        #expect(FileManager.default.fileExists(atPath: "\(dir)/chart.svg"))
    }
}
