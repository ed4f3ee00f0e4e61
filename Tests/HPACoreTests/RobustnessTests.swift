#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI
import Testing

/// Hostile inputs (extreme and invalid values everywhere) must decide without trapping.
@Suite struct RobustnessTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 17
        }
        mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }
    }

    static let int32s: [Int32] = [.min, -5, -1, 0, 1, 2, 3, 7, 100, 3600, 4000, .max]
    static let int64s: [Int64] = [.min, -1_000, -1, 0, 1, 500, 1_000_000, 4_611_686_018_427_387_904, .max]

    func quantity(_ generator: inout Generator) -> Quantity { Quantity.milli(generator.pick(Self.int64s)) }

    func target(_ generator: inout Generator) -> MetricTarget {
        MetricTarget(
            type: generator.pick(["Utilization", "Value", "AverageValue", "", "Bogus"]),
            value: generator.pick([nil, quantity(&generator)]), averageValue: generator.pick([nil, quantity(&generator)]),
            averageUtilization: generator.pick([nil, generator.pick(Self.int32s)]))
    }

    func rules(_ generator: inout Generator) -> HPAScalingRules? {
        guard generator.next() % 3 != 0 else { return nil }
        let policies = (0..<Int(generator.next() % 3)).map { _ in
            HPAScalingPolicy(type: generator.pick(["Pods", "Percent", "Nope"]), value: generator.pick(Self.int32s),
                             periodSeconds: generator.pick(Self.int32s))
        }
        return HPAScalingRules(
            stabilizationWindowSeconds: generator.pick([nil, generator.pick(Self.int32s)]),
            selectPolicy: generator.pick([nil, "Max", "Min", "Disabled", "Other"]), policies: generator.pick([nil, policies]),
            tolerance: generator.pick([nil, quantity(&generator)]))
    }

    @Test func hostileInputsNeverTrap() {
        var generator = Generator(state: 42)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var settings = ControllerSettings()
        for round in 0..<3000 {
            settings.featureGates.hpaScaleToZero = round % 2 == 0
            settings.scaleUpLimitFactor = generator.pick([2, 8, 1e300, -1])
            let metrics: [MetricSpec] = (0..<Int(generator.next() % 4)).map { _ in
                switch generator.next() % 6 {
                case 0: return .resource(generator.pick(["cpu", "memory"]), target(&generator))
                case 1: return MetricSpec(type: "ContainerResource", containerResource: ContainerResourceMetricSource(
                    name: "cpu", container: "app", target: target(&generator)))
                case 2: return MetricSpec(type: "Pods", pods: PodsMetricSource(metric: MetricIdentifier(name: "qps"), target: target(&generator)))
                case 3: return MetricSpec(type: "Object", object: ObjectMetricSource(
                    describedObject: CrossVersionObjectReference(apiVersion: "v1", kind: "Service", name: "s"),
                    metric: MetricIdentifier(name: "rps"), target: target(&generator)))
                case 4: return MetricSpec(type: "External", external: ExternalMetricSource(
                    metric: MetricIdentifier(name: "queue", selector: LabelSelector(matchLabels: ["a": "b"])), target: target(&generator)))
                default: return MetricSpec(type: "Resource")
                }
            }
            let behavior = generator.next() % 2 == 0 ? nil : HorizontalPodAutoscalerBehavior(scaleUp: rules(&generator), scaleDown: rules(&generator))
            let current = generator.pick(Self.int32s)
            let hpa = Build.hpa(
                min: generator.pick([nil, generator.pick(Self.int32s)]), max: generator.pick(Self.int32s), metrics: metrics,
                behavior: behavior, current: current)
            let podCount = Int(generator.next() % 4)
            var pods = Build.pods(podCount, requestMilli: generator.pick(Self.int64s))
            for index in pods.indices {
                pods[index].phase = generator.pick([.running, .pending, .failed, .succeeded, .unknown, nil])
                pods[index].startTime = generator.pick([nil, now, GoTime.zero, now.addingTimeInterval(1e12)])
            }
            let usage = MetricFetchResult.podResources((0..<podCount).map { index in
                PodResourceUsage(podName: "web-\(index)", timestamp: now, windowSeconds: generator.pick([0, 60, -1e300]),
                                 containers: [.init(name: "app", usageMilli: ["cpu": generator.pick(Self.int64s), "memory": 1])])
            })
            let samples = (0..<podCount).map { MetricSample(objectName: "web-\($0)", valueMilli: generator.pick(Self.int64s)) }
            var fetched: [Int: MetricFetchResult] = [:]
            for index in metrics.indices {
                fetched[index] = generator.pick([usage, .custom(samples), .external(samples), .failed("boom"), .custom([])])
            }
            let memory = ControllerMemory(
                recommendations: generator.pick([nil, [], [TimestampedRecommendation(replicas: .max, timestamp: now)]]),
                scaleUpEvents: [ScaleChangeEvent(replicaChange: generator.pick(Self.int32s), timestamp: now)],
                scaleDownEvents: [ScaleChangeEvent(replicaChange: generator.pick(Self.int32s), timestamp: now.addingTimeInterval(-10))])
            let input = ReconcileInput(
                hpa: hpa, scale: .success(TargetScale(specReplicas: current, statusReplicas: generator.pick(Self.int32s), selector: "app=web")),
                pods: pods, metrics: fetched, memory: memory, now: now)
            let decision = HPADecider.decide(input, settings: settings)
            _ = decision.rescaleFailed("x").statusWriteFailed("y", hpaName: "web")
            _ = HPADecider.fetchPlan(hpa: hpa, scale: TargetScale(specReplicas: current, statusReplicas: 0, selector: "app=web"), settings: settings)
        }
    }
}
