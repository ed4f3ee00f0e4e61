import Testing
@testable import Simulation

@Suite("CSV traces")
struct CSVTraceTests {
    @Test func timeValueWithoutHeader() throws {
        let trace = try CSVTrace.parse("0,100\n60,200\n\n# comment\n120,50\n", file: "t.csv")
        #expect(trace.columnOrder == ["value"])
        let profile = trace.profile()
        #expect(profile.demand(at: 90) == 200)
        #expect(profile.demand(at: 500) == 50)
    }

    @Test func perMetricColumnsWithDurationsAndClockTimes() throws {
        let text = "time,value,queue_messages\n00:00,10,5\n1m,20,\n00:02:00,30,7\n"
        let trace = try CSVTrace.parse(text, file: "t.csv")
        #expect(trace.columnOrder == ["value", "queue_messages"])
        let profile = trace.profile(interpolation: .linear)
        #expect(profile.demand(at: 90) == 25)
        #expect(profile.value(ofMetric: "queue_messages", at: 60) == 6)
        #expect(profile.hasCurve(forMetric: "queue_messages"))
    }

    @Test func columnsWithoutDemandColumnAreAllMetrics() throws {
        let trace = try CSVTrace.parse("time,rps,queue\n0,1,2\n", file: "t.csv")
        let profile = trace.profile()
        #expect(profile.hasCurve(forMetric: "rps"))
        #expect(profile.hasCurve(forMetric: "queue"))
        #expect(profile.demand(at: 0) == 1)
    }

    @Test(arguments: [
        ("time,value\n0,1\n60,2\n30,3\n", 4, "time"),
        ("time,value\n0,1\nsoon,2\n", 3, "time"),
        ("time,value\n0,1\n10,many\n", 3, "value"),
        ("time,value\n0,1\n10,2,3\n", 3, nil),
        ("time,value\n0,1\n0,2\n", 3, "time"),
    ] as [(String, Int, String?)])
    func errorsNameFileLineAndColumn(text: String, line: Int, field: String?) {
        do {
            _ = try CSVTrace.parse(text, file: "load.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "load.csv")
            #expect(error.line == line)
            #expect(error.field == field)
            #expect(error.description.hasPrefix("load.csv:\(line): "))
        }
    }

    @Test func emptyTraceIsAnError() {
        #expect(throws: InputFileError.self) { try CSVTrace.parse("# nothing\n", file: "e.csv") }
        #expect(throws: InputFileError.self) { try CSVTrace.parse("time,value\n", file: "e.csv") }
    }

    @Test func missingFileNamesTheFile() {
        do {
            _ = try TraceLoader.csv("/nonexistent/trace.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "/nonexistent/trace.csv")
        }
    }
}

@Suite("Dry-run replay")
struct DryRunReplayTests {
    static let records = """
    {"time":"2026-01-01T10:00:00Z","namespace":"login","name":"login-service-hpa","currentReplicas":3,"desiredReplicas":5,"limitedBy":"DesiredWithinRange","metrics":[{"type":"Resource","name":"cpu","current":{"averageUtilization":110}}]}
    {"time":"2026-01-01T10:00:15Z","namespace":"other","name":"x","metrics":[]}
    {"time":"2026-01-01T10:00:15Z","namespace":"login","name":"login-service-hpa","currentReplicas":5,"metrics":[{"type":"External","metric":{"name":"queue"},"current":"2k"},{"resource":{"name":"cpu"},"current":80}]}
    """

    @Test func replaysOneHPAsObservations() throws {
        let replay = try DryRunReplay.parse(Self.records, file: "r.jsonl", hpa: "login/login-service-hpa")
        #expect(replay.records.count == 2)
        #expect(replay.records[1].time == 15)
        #expect(replay.records[0].limitedBy == "DesiredWithinRange")
        let profile = replay.profile()
        #expect(profile.value(ofMetric: "cpu", at: 0) == 110)
        #expect(profile.value(ofMetric: "cpu", at: 14) == 110)
        #expect(profile.value(ofMetric: "cpu", at: 15) == 80)
        #expect(profile.value(ofMetric: "queue", at: 20) == 2000)
        #expect(replay.replicaSeries.map(\.value) == [3, 5])
    }

    @Test func mixedHPAsWithoutSelectionIsAnError() {
        do {
            _ = try DryRunReplay.parse(Self.records, file: "r.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
        }
    }

    @Test func badLinesNameTheLine() {
        let text = "{\"time\":\"2026-01-01T10:00:00Z\",\"name\":\"a\",\"metrics\":[]}\n{not json\n"
        do {
            _ = try DryRunReplay.parse(text, file: "r.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
        }
        let unordered = "{\"time\":\"2026-01-01T10:00:10Z\",\"name\":\"a\"}\n{\"time\":\"2026-01-01T10:00:00Z\",\"name\":\"a\"}\n"
        #expect(throws: InputFileError.self) { try DryRunReplay.parse(unordered, file: "r.jsonl") }
    }
}
