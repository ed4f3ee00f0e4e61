#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPAController
import HPACore
import KubeAPI
import Testing

// The controller suite of ../shared/conformance, run through the Reconciler (caches, scale
// client, concurrent metric fetches, writes) with in-memory clients built from each case. The case
// loading and checks are the core's own (Tests/HPACoreTests, compiled here through the symlinks in
// CoreHarness/): `ControllerConformance.scenario(_:)` builds the case, `check(...)` judges it.

/// A scale client answering with the case's scale (or its read error) and failing updates as the case says.
struct CaseScaleClient: ScaleClient {
    let scenario: ReconcileScenario
    func getScale(namespace: String, ref: CrossVersionObjectReference) async throws(ScaleReadError) -> ScaleRead {
        switch scenario.scale {
        case .success(let target):
            let scale = Scale(metadata: ObjectMeta(name: ref.name, namespace: namespace, resourceVersion: "1"),
                              spec: .init(replicas: target.specReplicas),
                              status: .init(replicas: target.statusReplicas, selector: target.selector))
            return ScaleRead(scale: Preserved(scale), mapping: ResourceMapping(group: "apps", version: "v1", resource: "deployments"))
        case .failure(let failure):
            switch failure.failure {
            case .restMapping(let text): throw .unmappable(text)
            case .get(let text): throw .getFailed(reference: ref.name, error: text)
            }
        }
    }
    func updateScale(_ read: ScaleRead, replicas: Int32) async throws -> Scale {
        if let error = scenario.scaleUpdateError { throw MetricsClientError(error) }
        var scale = read.scale.value
        scale.spec.replicas = replicas
        return scale
    }
}

/// The case's three metrics APIs; errors carry the case's exact text.
struct CaseMetricsClient: MetricsClient {
    let scenario: ReconcileScenario
    func podResourceMetrics(namespace: String, selector: String) async throws -> [PodMetrics] {
        switch scenario.podMetrics {
        case nil: throw MetricsClientError("no pod resource metrics specified in test client")
        case .failure(let error): throw MetricsClientError(error.description)
        case .success(let items): return items
        }
    }
    func podCustomMetrics(namespace: String, metricName: String, podSelector: String, metricSelector: String?) async throws -> [MetricValue] {
        if let error = scenario.customMetricsError { throw MetricsClientError(error) }
        guard let values = scenario.podsCustomMetrics[metricName] else { throw MetricsClientError("no custom metrics specified in test client") }
        return values
    }
    func objectMetric(namespace: String, object: CrossVersionObjectReference, metricName: String, metricSelector: String?) async throws -> [MetricValue] {
        if let error = scenario.customMetricsError { throw MetricsClientError(error) }
        guard let values = scenario.objectCustomMetrics[metricName] else { throw MetricsClientError("no custom metrics specified in test client") }
        return values
    }
    func externalMetric(namespace: String, metricName: String, selector: String?) async throws -> [ExternalMetricValue] {
        if let error = scenario.externalMetricsError { throw MetricsClientError(error) }
        guard let values = scenario.externalMetrics[metricName] else { throw MetricsClientError("no external metrics specified in test client") }
        return values
    }
}

enum ControllerCasesThroughReconciler {
    static func load() throws -> [CaseJSON] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("HPACoreTests/Conformance/controller.json")
        let data = try Data(contentsOf: file)
        guard case .array(let cases) = try JSONDecoder().decode(CaseJSON.self, from: data) else { throw CaseError("controller.json is not a list") }
        return cases
    }

    /// Runs one case; returns nil when it passes, else what differed.
    static func run(_ json: CaseJSON) async -> String? {
        do {
            let runner = ControllerConformance()
            let scenario = try runner.scenario(json)
            let clock = ManualControllerClock(start: scenario.now)
            let hpas = InMemoryHPASource()
            await hpas.put(scenario.hpa)
            let status = InMemoryHPAStatusClient()
            status.put(scenario.hpa)
            let pods = await InMemoryPodLister.holding(scenario.pods.map { ScalingPod(pod: $0) })
            let clients = ReconcilerClients(hpas: hpas, pods: pods, scales: CaseScaleClient(scenario: scenario),
                                            metrics: CaseMetricsClient(scenario: scenario), status: status, events: InMemoryEventClient())
            // The cases keep the HPA as given across passes (no informer update), so the
            // read-your-own-writes check, which would wait for one, is off here.
            var settings = scenario.settings
            settings.featureGates.staleControllerConsistencyHPA = false
            let reconciler = Reconciler(clients: clients, settings: settings, clock: clock)
            guard let key = HPAKey(scenario.hpa) else { return "the case's HPA has no name" }
            await reconciler.memory.set(key, scenario.memory)
            for (other, selector) in scenario.registry.others {
                let parts = other.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                let otherKey = HPAKey(namespace: parts[0], name: parts[1])
                await reconciler.registry.register(otherKey)
                if let selector { await reconciler.registry.update(otherKey, selector: selector) }
            }
            let passes = max(1, Int(json["expect"]["minReconciliations"].int64 ?? 1))
            var decisions: [Decision] = []
            for _ in 0..<passes {
                guard let decision = await reconciler.reconcile(key).decision else { return "the HPA was treated as deleted" }
                decisions.append(decision)
                clock.advance(by: decision.requeueAfterSeconds)
            }
            guard let first = decisions.first else { return "no pass ran" }
            try runner.check(json["expect"], first: first, all: decisions, settings: scenario.settings, hpa: scenario.hpa)
            return nil
        } catch {
            return "\(error)"
        }
    }
}

@Suite("Controller conformance cases through the Reconciler")
struct ControllerConformanceThroughReconcilerTests {
    @Test func everyControllerCasePassesThroughTheReconciler() async throws {
        let cases = try ControllerCasesThroughReconciler.load()
        var failures: [String] = []
        for json in cases {
            if let problem = await ControllerCasesThroughReconciler.run(json) {
                failures.append("\(json["id"].string ?? "?"): \(problem)")
            }
        }
        print("controller conformance through the Reconciler: \(cases.count - failures.count) of \(cases.count) cases pass")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
