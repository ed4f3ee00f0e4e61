#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// Small builders for the hand-written decision tests.
enum Build {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func hpa(
        min: Int32? = 1, max: Int32 = 10, metrics: [MetricSpec] = [.resource("cpu", .utilization(50))],
        behavior: HorizontalPodAutoscalerBehavior? = nil, current: Int32 = 3, syncPeriodSeconds: Int32? = nil,
        conditions: [HorizontalPodAutoscalerCondition]? = nil, apiVersion: String = "apps/v1"
    ) -> HorizontalPodAutoscaler {
        var spec = HorizontalPodAutoscalerSpec(
            scaleTargetRef: CrossVersionObjectReference(apiVersion: apiVersion, kind: "Deployment", name: "web"),
            minReplicas: min, maxReplicas: max)
        spec.metrics = metrics
        spec.behavior = behavior
        spec.syncPeriodSeconds = syncPeriodSeconds
        return HorizontalPodAutoscaler(
            metadata: ObjectMeta(name: "web", namespace: "default"), spec: spec,
            status: HorizontalPodAutoscalerStatus(currentReplicas: current, desiredReplicas: current, conditions: conditions))
    }

    /// Ready, long-running pods `web-<i>` labelled `app=web`, each requesting `requestMilli` cpu.
    static func pods(_ count: Int, requestMilli: Int64 = 1000, phase: ScalingPod.Phase = .running) -> [ScalingPod] {
        (0..<count).map { index in
            ScalingPod(
                name: "web-\(index)", namespace: "default", labels: ["app": "web"], phase: phase,
                containers: [ScalingPod.Container(name: "app", requestsMilli: ["cpu": requestMilli])])
        }
    }

    static func cpuUsage(_ usages: [Int64]) -> MetricFetchResult {
        .podResources(usages.enumerated().map { index, usage in
            PodResourceUsage(
                podName: "web-\(index)", timestamp: now.addingTimeInterval(-10), windowSeconds: 30,
                containers: [.init(name: "app", usageMilli: ["cpu": usage])])
        })
    }

    static func input(
        _ hpa: HorizontalPodAutoscaler, replicas: Int32, pods: [ScalingPod], metrics: [Int: MetricFetchResult],
        memory: ControllerMemory = ControllerMemory(recommendations: []), registry: SelectorRegistryView = SelectorRegistryView(),
        now: Date = Build.now
    ) -> ReconcileInput {
        ReconcileInput(
            hpa: hpa, scale: .success(TargetScale(specReplicas: replicas, statusReplicas: replicas, selector: "app=web")),
            pods: pods, metrics: metrics, selectorRegistry: registry, memory: memory, now: now)
    }

    static func conditionSummary(_ decision: Decision) -> [String] {
        (decision.status.conditions ?? []).map { "\($0.type)=\($0.status.rawValue)/\($0.reason ?? "")" }
    }
}
