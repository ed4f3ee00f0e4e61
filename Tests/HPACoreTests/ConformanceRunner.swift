import Foundation
import Testing

/// One loaded case: its suite, id, source file and JSON.
struct LoadedCase {
    var suite: String
    var id: String
    var file: String
    var json: CaseJSON
}

/// The result of attempting one case.
struct CaseResult {
    var loaded: LoadedCase
    /// nil = passed; otherwise the first differing field or why the case could not run.
    var failure: String?
    var knownGapReason: String?
}

/// Implements ../shared/conformance/README.md "How the project runs these": loads the bundled
/// files plus every `*.json` in `HPA_CONFORMANCE_DIR`, dispatches each case by `suite`
/// (then `function`/`kind`), and judges only the fields upstream asserts.
enum ConformanceRunner {
    static let bundledFiles = ["calculator", "controller", "behavior"]

    /// Loads every case. A file that cannot be read or decoded yields a synthetic failing case.
    static func loadAll() -> (cases: [LoadedCase], loadFailures: [String]) {
        var cases: [LoadedCase] = []
        var failures: [String] = []
        var urls: [URL] = []
        for name in bundledFiles {
            if let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Conformance") {
                urls.append(url)
            } else {
                failures.append("bundled file Conformance/\(name).json is missing")
            }
        }
        if let directory = ProcessInfo.processInfo.environment["HPA_CONFORMANCE_DIR"], !directory.isEmpty {
            let base = URL(fileURLWithPath: directory, isDirectory: true)
            do {
                let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
                urls.append(contentsOf: names.map { base.appendingPathComponent($0) })
            } catch {
                failures.append("HPA_CONFORMANCE_DIR \(directory): cannot list directory: \(error)")
            }
        }
        for url in urls {
            do {
                let data = try Data(contentsOf: url)
                guard case .array(let items) = try JSONDecoder().decode(CaseJSON.self, from: data) else {
                    failures.append("\(url.path): not a JSON array of cases")
                    continue
                }
                for (index, item) in items.enumerated() {
                    cases.append(LoadedCase(
                        suite: item["suite"].string ?? "<missing suite>", id: item["id"].string ?? "<case \(index) without id>",
                        file: url.lastPathComponent, json: item))
                }
            } catch {
                failures.append("\(url.path): cannot read or decode: \(error)")
            }
        }
        return (cases, failures)
    }

    static func run(_ loaded: LoadedCase) -> String? {
        do {
            switch loaded.suite {
            case "calculator": try CalculatorConformance().run(loaded.json)
            case "behavior": try BehaviorConformance().run(loaded.json)
            case "controller": try ControllerConformance().run(loaded.json)
            default: throw CaseError("unknown suite \"\(loaded.suite)\"")
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func runAll() -> (results: [CaseResult], loadFailures: [String]) {
        let (cases, loadFailures) = loadAll()
        let gaps = Dictionary(KnownGaps.entries.map { ("\($0.suite)\u{0}\($0.id)", $0.reason) }, uniquingKeysWith: { first, _ in first })
        let results = cases.map { loaded in
            CaseResult(loaded: loaded, failure: run(loaded), knownGapReason: gaps["\(loaded.suite)\u{0}\(loaded.id)"])
        }
        return (results, loadFailures)
    }
}

@Suite struct ConformanceTests {
    @Test func upstreamConformanceCases() {
        let (results, loadFailures) = ConformanceRunner.runAll()
        let total = results.count + loadFailures.count
        let passed = results.filter { $0.failure == nil && $0.knownGapReason == nil }.count
        for result in results {
            guard let reason = result.knownGapReason else { continue }
            let attempt = result.failure == nil ? "passes now; remove it from KnownGaps" : "still fails: \(result.failure ?? "")"
            print("conformance known gap: \(result.loaded.suite) \(result.loaded.id): \(reason) (\(attempt))")
        }
        print("conformance: \(passed) of \(total) upstream cases pass")
        for failure in loadFailures {
            Issue.record("conformance: \(failure)")
        }
        for result in results where result.failure != nil && result.knownGapReason == nil {
            Issue.record("conformance \(result.loaded.suite) \(result.loaded.id) [\(result.loaded.file)]: \(result.failure ?? "")")
        }
    }
}
