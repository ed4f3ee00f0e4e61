#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// `hpa-benchmarks core [pods] [iterations]`: time `HPADecider.decide` for one HPA with a cpu
/// utilization metric and a Pods metric over `pods` pods (default 500), `iterations` times.
func runCoreBenchmark(arguments: [String]) {
    let podCount = arguments.first.flatMap(Int.init) ?? 500
    let iterations = arguments.dropFirst().first.flatMap(Int.init) ?? 2000
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    var spec = HorizontalPodAutoscalerSpec(
        scaleTargetRef: CrossVersionObjectReference(apiVersion: "apps/v1", kind: "Deployment", name: "web"),
        minReplicas: 1, maxReplicas: Int32(podCount * 4))
    spec.metrics = [
        .resource("cpu", .utilization(60)),
        MetricSpec(type: "Pods", pods: PodsMetricSource(metric: MetricIdentifier(name: "qps"), target: .averageValue(Quantity(100)))),
    ]
    spec.behavior = HorizontalPodAutoscalerBehavior()
    let hpa = HorizontalPodAutoscaler(metadata: ObjectMeta(name: "web", namespace: "default"), spec: spec)
    let pods = (0..<podCount).map { index in
        ScalingPod(name: "web-\(index)", namespace: "default", labels: ["app": "web"],
                   containers: [ScalingPod.Container(name: "app", requestsMilli: ["cpu": 500])])
    }
    let usage = MetricFetchResult.podResources((0..<podCount).map { index in
        PodResourceUsage(podName: "web-\(index)", timestamp: now, windowSeconds: 30,
                         containers: [.init(name: "app", usageMilli: ["cpu": Int64(300 + index % 200)])])
    })
    let qps = MetricFetchResult.custom((0..<podCount).map { MetricSample(objectName: "web-\($0)", valueMilli: Int64(90_000 + $0 % 30_000)) })
    var memory = ControllerMemory()
    let settings = ControllerSettings()
    let clock = ContinuousClock()
    var desired: Int32 = 0
    let elapsed = clock.measure {
        for step in 0..<iterations {
            let input = ReconcileInput(
                hpa: hpa, scale: .success(TargetScale(specReplicas: Int32(podCount), statusReplicas: Int32(podCount), selector: "app=web")),
                pods: pods, metrics: [0: usage, 1: qps], memory: memory, now: now.addingTimeInterval(Double(step) * 15))
            let decision = HPADecider.decide(input, settings: settings)
            memory = decision.memory
            desired = decision.desiredReplicas
        }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let perDecision = seconds / Double(max(1, iterations)) * 1e6
    print("core: \(iterations) decisions over \(podCount) pods, 2 metrics: \(String(format: "%.1f", perDecision)) µs per decision (last desired \(desired))")
}
