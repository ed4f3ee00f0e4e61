#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// Behavior-suite `integration` cases: builds the upstream controller-test fixture from the
/// compact fields (see behavior-notes.md "Harness details") and runs `HPADecider.decide`.
struct IntegrationConformance {
    let fixtures = CaseFixtures()

    func run(_ json: CaseJSON) throws {
        var config = json["controllerConfig"]
        if case .object(var fields) = config, let gates = json["featureGates"].object {
            fields["featureGates"] = .object(gates)
            config = .object(fields)
        }
        let controller = ControllerConformance()
        let settings = try controller.settings(config)
        let current = try int32(json["currentReplicas"], "currentReplicas")
        let statusReplicas = json["statusReplicas"].int32 ?? current

        var spec = HorizontalPodAutoscalerSpec(
            scaleTargetRef: CrossVersionObjectReference(apiVersion: "v1", kind: "ReplicationController", name: "test-rc"),
            minReplicas: json["minReplicas"].int32, maxReplicas: try int32(json["maxReplicas"], "maxReplicas"))
        spec.metrics = try json["metrics"].decode([MetricSpec]?.self, field: "metrics")
        spec.behavior = try json["behavior"].decode(HorizontalPodAutoscalerBehavior?.self, field: "behavior")
        var status = HorizontalPodAutoscalerStatus(currentReplicas: current, desiredReplicas: current)
        if let lastScale = try fixtures.time(json["lastScaleTimeSeconds"]) { status.lastScaleTime = KubeTime(lastScale) }
        let hpa = HorizontalPodAutoscaler(
            metadata: ObjectMeta(name: "test-hpa", namespace: "test-namespace"), spec: spec, status: status)

        // Pods: one per reportedCPURequests entry (else statusReplicas), two containers with half the request each.
        let requests = try json["reportedCPURequests"].array.map { list in
            try list.map { try fixtures.quantity($0, field: "reportedCPURequests[]").milliValue }
        } ?? Array(repeating: 1000, count: Int(statusReplicas))
        let pods = requests.enumerated().map { index, request in
            let half = Quantity.milli(request / 2)
            let containers = ["container1", "container2"].map {
                Container(name: $0, resources: ResourceRequirements(requests: ["cpu": half]))
            }
            return Pod(
                metadata: ObjectMeta(name: "test-pod-\(index)", namespace: "test-namespace", labels: ["name": "test-pod"]),
                spec: PodSpec(containers: containers),
                status: PodStatus(
                    phase: .running,
                    conditions: [PodCondition(type: "Ready", status: .true, lastTransitionTime: KubeTime(GoTime.zero))],
                    startTime: KubeTime(GoTime.zero)))
        }
        let levels = try (json["reportedLevelsMilli"].array ?? []).map { try int64($0, "reportedLevelsMilli[]") }

        var scenario = ReconcileScenario(
            settings: settings, hpa: hpa,
            scale: .success(TargetScale(specReplicas: current, statusReplicas: statusReplicas, selector: "name=test-pod")),
            pods: pods, podMetrics: nil, memory: try controller.memory(.object(["recommendations": json["recommendations"]])),
            registry: SelectorRegistryView(), scaleUpdateError: nil, now: fixtures.now)
        scenario.podMetrics = .success(levels.enumerated().map { index, level in
            let usage = ["cpu": Quantity.milli(level / 2), "memory": Quantity(512 * 1024, format: .binarySI)]
            return PodMetrics(
                metadata: ObjectMeta(name: "test-pod-\(index)", namespace: "test-namespace", labels: ["name": "test-pod"]),
                timestamp: KubeTime(fixtures.now), window: GoDuration(seconds: 60),
                containers: [ContainerMetrics(name: "container1", usage: usage), ContainerMetrics(name: "container2", usage: usage)])
        })
        for metric in spec.metrics ?? [] {
            switch metric.type {
            case "Pods":
                guard let name = metric.pods?.metric.name else { continue }
                scenario.podsCustomMetrics[name] = levels.enumerated().map { index, level in
                    MetricValue(
                        describedObject: ObjectReference(kind: "Pod", namespace: "test-namespace", name: "test-pod-\(index)"),
                        metric: MetricIdentifier(name: name), timestamp: KubeTime(fixtures.now), value: Quantity.milli(level))
                }
            case "Object":
                guard let source = metric.object, let first = levels.first else { continue }
                scenario.objectCustomMetrics[source.metric.name] = [MetricValue(
                    describedObject: ObjectReference(
                        kind: source.describedObject.kind, name: source.describedObject.name, apiVersion: source.describedObject.apiVersion),
                    metric: MetricIdentifier(name: source.metric.name), timestamp: KubeTime(fixtures.now), value: Quantity.milli(first))]
            case "External":
                guard let name = metric.external?.metric.name else { continue }
                scenario.externalMetrics[name] = levels.map {
                    ExternalMetricValue(metricName: name, timestamp: KubeTime(fixtures.now), value: Quantity.milli($0))
                }
            default: continue
            }
        }
        for failure in json["metricFetchFailures"].array ?? [] {
            let text = failure.string ?? ""
            let api = text.split(separator: ":").first.map(String.init) ?? ""
            switch api {
            case "Resource", "ContainerResource": scenario.podMetrics = .failure(CaseError("something went wrong"))
            case "Pods", "Object": scenario.customMetricsError = "something went wrong"
            case "External": scenario.externalMetricsError = "something went wrong"
            default: throw CaseError("metricFetchFailures entry \(text): unknown metrics API")
            }
        }

        let decision = scenario.pass(memory: scenario.memory, now: fixtures.now)
        let expect = json["expect"]
        try expectEqual("expect.replicas", try int32(expect["replicas"], "expect.replicas"), decision.status.desiredReplicas)
        if expect["conditions"].exists { try DecisionChecks.conditions(expect["conditions"], decision, field: "expect.conditions") }
        try DecisionChecks.labels(expect["monitor"]["reconciliation"], decision.reconciliationLabels, field: "expect.monitor.reconciliation")
    }
}
