#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI
import Testing

@Suite struct WorkedExampleTests {
    /// hpa-behavior.md §16.4 example 1.
    @Test func resourceUtilizationScalesToSix() {
        let hpa = Build.hpa(metrics: [.resource("cpu", .utilization(70))])
        let decision = HPADecider.decide(
            Build.input(hpa, replicas: 3, pods: Build.pods(3, requestMilli: 500), metrics: [0: Build.cpuUsage([600, 700, 800])]),
            settings: ControllerSettings())
        #expect(decision.desiredReplicas == 6)
        #expect(decision.rescale)
        #expect(decision.rescaleReason == "cpu resource utilization (percentage of request) above target")
        let current = decision.status.currentMetrics?.first?.resource?.current
        #expect(current?.averageUtilization == 140)
        #expect(current?.averageValue?.description == "700m")
        #expect(decision.events.contains(HPAEvent(
            type: .normal, reason: "SuccessfulRescale", message: "New size: 6; reason: cpu resource utilization (percentage of request) above target")))
        #expect(decision.reconciliationLabels == OutcomeLabels(action: .scaleUp, error: .none))
        #expect(decision.proposals.first?.proposedReplicas == 6)
    }

    /// §16.4 example 2: a missing pod filled with its request; within tolerance, then a direction flip.
    @Test(arguments: [(Int32(50), Int32(3)), (Int32(30), Int32(3))])
    func missingPodKeepsCount(target: Int32, expected: Int32) throws {
        let calculator = ReplicaCalculator(settings: ControllerSettings(), tolerances: Tolerances(both: 0.1), now: Build.now)
        let result = try calculator.resourceUtilizationReplicas(
            currentReplicas: 3, targetUtilization: target, resource: "cpu", container: nil, pods: Build.pods(3),
            fetched: Build.cpuUsage([200, 200]))
        #expect(result.replicas == expected)
        #expect(result.utilization == 20)
    }

    /// §16.4 example 3: a Pending pod counts as 0 on scale-up.
    @Test func pendingPodCountsAsZero() throws {
        var pods = Build.pods(3, requestMilli: 100)
        pods[2].phase = .pending
        let calculator = ReplicaCalculator(settings: ControllerSettings(), tolerances: Tolerances(both: 0.1), now: Build.now)
        let result = try calculator.resourceUtilizationReplicas(
            currentReplicas: 3, targetUtilization: 100, resource: "cpu", container: nil, pods: pods, fetched: Build.cpuUsage([200, 200]))
        #expect(result.replicas == 4)
        #expect(result.utilization == 200)
    }

    /// §16.4 example 4: default behavior policies over three passes.
    @Test func defaultBehaviorRateLimit() {
        let hpa = Build.hpa(max: 50, metrics: [.resource("cpu", .utilization(50))], behavior: HorizontalPodAutoscalerBehavior(), current: 10)
        let settings = ControllerSettings()
        let first = HPADecider.decide(
            Build.input(hpa, replicas: 10, pods: Build.pods(10), metrics: [0: Build.cpuUsage(Array(repeating: 1500, count: 10))]),
            settings: settings)
        #expect(first.desiredReplicas == 20)
        #expect(first.limitedBy == "ScaleUpLimit")
        #expect(Build.conditionSummary(first).contains("ScalingLimited=True/ScaleUpLimit"))
        #expect(first.memory.scaleUpEvents.map(\.replicaChange) == [10])

        let pods20 = Build.pods(20)
        let usage20 = Build.cpuUsage(Array(repeating: 750, count: 20))
        let second = HPADecider.decide(
            Build.input(hpa, replicas: 20, pods: pods20, metrics: [0: usage20], memory: first.memory, now: Build.now.addingTimeInterval(10)),
            settings: settings)
        #expect(second.desiredReplicas == 20)
        #expect(second.rescale == false)
        #expect(second.limitedBy == "ScaleUpLimit")

        let third = HPADecider.decide(
            Build.input(hpa, replicas: 20, pods: pods20, metrics: [0: usage20], memory: second.memory, now: Build.now.addingTimeInterval(15)),
            settings: settings)
        #expect(third.desiredReplicas == 30)
        #expect(third.limitedBy == "DesiredWithinRange")
    }

    /// §16.4 example 5: legacy limit max(2 × 3, 4) = 6 with the production factor.
    @Test func legacyScaleUpLimit() {
        let result = Normalization.clampLegacy(
            currentReplicas: 3, desired: 20, minReplicas: 1, maxReplicas: 10, scaleUpLimitFactor: 2, scaleUpLimitMinimum: 4)
        #expect(result.replicas == 6)
        #expect(result.reason == .scaleUpLimit)
    }

    /// §7.4 floating-point vectors.
    @Test func policyVectors() {
        let up = ResolvedScalingRules(stabilizationWindowSeconds: 0, selectPolicy: .max, policies: [.init(kind: .percent, value: 10, periodSeconds: 60)])
        #expect(Normalization.scaleUpLimit(currentReplicas: 100, scaleUpEvents: [], scaleDownEvents: [], rules: up, now: Build.now) == 111)
        let down = ResolvedScalingRules(stabilizationWindowSeconds: 0, selectPolicy: .max, policies: [.init(kind: .percent, value: 90, periodSeconds: 60)])
        #expect(Normalization.scaleDownLimit(currentReplicas: 10, scaleUpEvents: [], scaleDownEvents: [], rules: down, now: Build.now) == 0)
    }
}

@Suite struct DecisionOutcomeTests {
    @Test func rescaleFailureKeepsPreviousDesired() {
        let hpa = Build.hpa(metrics: [.resource("cpu", .utilization(70))])
        let decision = HPADecider.decide(
            Build.input(hpa, replicas: 3, pods: Build.pods(3, requestMilli: 500), metrics: [0: Build.cpuUsage([600, 700, 800])]),
            settings: ControllerSettings())
        let failed = decision.rescaleFailed("conflict")
        #expect(failed.status.desiredReplicas == 3)
        #expect(Build.conditionSummary(failed).first == "AbleToScale=False/FailedUpdateScale")
        #expect(failed.events.last == HPAEvent(
            type: .warning, reason: "FailedRescale",
            message: "New size: 6; reason: cpu resource utilization (percentage of request) above target; error: conflict"))
        #expect(failed.reconciliationLabels == OutcomeLabels(action: .none, error: .internal))
        #expect(failed.error?.message == "failed to rescale Deployment/default/web: conflict")
        #expect(failed.status.lastScaleTime == nil)
    }

    @Test func statusWriteFailure() {
        let hpa = Build.hpa()
        let decision = HPADecider.decide(
            Build.input(hpa, replicas: 3, pods: Build.pods(3), metrics: [0: Build.cpuUsage([500, 500, 500])]), settings: ControllerSettings())
        let failed = decision.statusWriteFailed("timeout", hpaName: "web")
        #expect(failed.events.last?.reason == "FailedUpdateStatus")
        #expect(failed.reconciliationLabels.error == .internal)
    }

    @Test func badAPIVersionIsASpecError() {
        let hpa = Build.hpa(apiVersion: "a/b/c")
        let decision = HPADecider.decide(
            Build.input(hpa, replicas: 3, pods: Build.pods(3), metrics: [:]), settings: ControllerSettings())
        #expect(decision.reconciliationLabels == OutcomeLabels(action: .none, error: .spec))
        #expect(decision.events.first?.reason == "FailedGetScale")
        #expect(Build.conditionSummary(decision) == ["AbleToScale=False/FailedGetScale"])
        #expect(decision.limitedBy == "FailedGetScale")
    }

    @Test func scaleGetFailure() {
        let hpa = Build.hpa()
        let input = ReconcileInput(
            hpa: hpa, scale: .failure(ScaleReadFailureError(.get("not found"))), pods: [], metrics: [:], now: Build.now)
        let decision = HPADecider.decide(input, settings: ControllerSettings())
        #expect(decision.error?.message == "failed to query scale subresource for Deployment/default/web: not found")
        #expect(decision.status.conditions?.first?.message == "the HPA controller was unable to get the target's current scale: not found")
        #expect(decision.memory.recommendations == nil)
    }

    @Test func ambiguousSelector() {
        let hpa = Build.hpa()
        let decision = HPADecider.decide(
            Build.input(hpa, replicas: 3, pods: Build.pods(3), metrics: [0: Build.cpuUsage([500, 500, 500])],
                        registry: SelectorRegistryView(others: ["default/other": "app=web", "default/new": nil])),
            settings: ControllerSettings())
        #expect(Build.conditionSummary(decision).contains("ScalingActive=False/AmbiguousSelector"))
        #expect(decision.events.map(\.reason) == ["AmbiguousSelector", "FailedComputeMetricsReplicas"])
        #expect(decision.events.first?.message == "pods by selector app=web are controlled by multiple HPAs: [default/web default/other]")
        #expect(decision.status.currentMetrics == nil)
    }

    @Test func requeueIntervalPrefersTheHPA() {
        let settings = ControllerSettings()
        #expect(HPADecider.requeueInterval(hpa: Build.hpa(), settings: settings) == 15)
        #expect(HPADecider.requeueInterval(hpa: Build.hpa(syncPeriodSeconds: 42), settings: settings) == 42)
    }

    @Test func scaleToZeroWithExternalMetric() {
        let external = MetricSpec(
            type: "External", external: ExternalMetricSource(metric: MetricIdentifier(name: "queue"), target: .value(Quantity(10))))
        let hpa = Build.hpa(min: 0, metrics: [external], current: 2)
        var settings = ControllerSettings()
        settings.featureGates.hpaScaleToZero = true
        let decision = HPADecider.decide(
            Build.input(hpa, replicas: 2, pods: Build.pods(2), metrics: [0: .external([MetricSample(valueMilli: 0)])]), settings: settings)
        #expect(decision.desiredReplicas == 0)
        #expect(Build.conditionSummary(decision).last == "ScaledToZero=True/ScaledToZero")
        #expect(HPADecider.fetchPlan(hpa: hpa, scale: TargetScale(specReplicas: 0, statusReplicas: 0, selector: "app=web"), settings: settings).isEmpty)
    }

    @Test func neverScalesDownOnPartialData() {
        let pods = MetricSpec(type: "Pods", pods: PodsMetricSource(metric: MetricIdentifier(name: "qps"), target: .averageValue(Quantity(10))))
        let hpa = Build.hpa(metrics: [.resource("cpu", .utilization(50)), pods], current: 5)
        let decision = HPADecider.decide(
            Build.input(hpa, replicas: 5, pods: Build.pods(5), metrics: [0: Build.cpuUsage([100, 100, 100, 100, 100]), 1: .failed("down")]),
            settings: ControllerSettings())
        #expect(decision.rescale == false)
        #expect(decision.status.desiredReplicas == 5)
        #expect(decision.limitedBy == "FailedGetPodsMetric")
        #expect(decision.proposals.map(\.labels.action) == [.scaleDown, .none])
    }
}

@Suite struct FetchPlanTests {
    @Test func oneRequestPerFetchableMetric() {
        let metrics: [MetricSpec] = [
            .resource("cpu", .utilization(50)),
            .resource("memory", .averageValue(Quantity(100))),
            MetricSpec(type: "Pods", pods: PodsMetricSource(metric: MetricIdentifier(name: "qps"), target: .averageValue(Quantity(10)))),
            MetricSpec(type: "Object", object: ObjectMetricSource(
                describedObject: CrossVersionObjectReference(apiVersion: "v1", kind: "Namespace", name: "x"),
                metric: MetricIdentifier(name: "load"), target: .value(Quantity(3)))),
            MetricSpec(type: "External", external: ExternalMetricSource(
                metric: MetricIdentifier(name: "queue", selector: LabelSelector(matchLabels: ["q": "a"])), target: .averageValue(Quantity(3)))),
            MetricSpec(type: "CheddarCheese"),
        ]
        let hpa = Build.hpa(metrics: metrics)
        let scale = TargetScale(specReplicas: 3, statusReplicas: 3, selector: "app=web")
        let plan = HPADecider.fetchPlan(hpa: hpa, scale: scale, settings: ControllerSettings())
        #expect(plan.map(\.index) == [0, 1, 2, 3, 4])
        #expect(plan[3].request == .objectCustomMetric(
            namespace: "default", describedObject: CrossVersionObjectReference(apiVersion: "v1", kind: "Namespace", name: "x"),
            metricName: "load", metricSelector: nil, rootScopedNamespace: true))
        #expect(plan[4].request == .externalMetric(namespace: "default", metricName: "queue", metricSelector: "q=a"))
        let clamped = TargetScale(specReplicas: 11, statusReplicas: 11, selector: "app=web")
        #expect(HPADecider.fetchPlan(hpa: hpa, scale: clamped, settings: ControllerSettings()).isEmpty)
    }
}

@Suite struct SelectorAndGateTests {
    @Test func missingSelectorIsFatal() {
        let hpa = Build.hpa()
        let input = ReconcileInput(
            hpa: hpa, scale: .success(TargetScale(specReplicas: 3, statusReplicas: 3, selector: "")), pods: Build.pods(3),
            metrics: [:], now: Build.now)
        let decision = HPADecider.decide(input, settings: ControllerSettings())
        #expect(decision.events.map(\.reason) == ["SelectorRequired", "FailedComputeMetricsReplicas"])
        #expect(Build.conditionSummary(decision) == ["AbleToScale=True/SucceededGetScale", "ScalingActive=False/InvalidSelector"])
        #expect(decision.error?.message
            == "failed to compute desired number of replicas based on listed metrics for Deployment/default/web: selector is required")
        #expect(decision.status.desiredReplicas == 3)
    }

    @Test func unparsableSelectorIsFatal() {
        let hpa = Build.hpa()
        let input = ReconcileInput(
            hpa: hpa, scale: .success(TargetScale(specReplicas: 3, statusReplicas: 3, selector: "app in (")), pods: Build.pods(3),
            metrics: [:], now: Build.now)
        let decision = HPADecider.decide(input, settings: ControllerSettings())
        #expect(decision.events.first?.reason == "InvalidSelector")
        #expect(decision.events.first?.message.hasPrefix("couldn't convert selector into a corresponding internal selector object: ") == true)
        #expect(decision.limitedBy == "InvalidSelector")
    }

    @Test func unregisteredKeyFailsWithTheOptimizedStore() {
        let hpa = Build.hpa()
        let input = Build.input(
            hpa, replicas: 3, pods: Build.pods(3), metrics: [0: Build.cpuUsage([500, 500, 500])],
            registry: SelectorRegistryView(isRegistered: false))
        let decision = HPADecider.decide(input, settings: ControllerSettings())
        #expect(decision.events.map(\.reason) == ["FailedComputeMetricsReplicas"])
        #expect(decision.events.first?.message == "HPA default/web was deleted during reconciliation")
        var legacy = ControllerSettings()
        legacy.featureGates.hpaOptimizedSelectorStore = false
        let legacyDecision = HPADecider.decide(input, settings: legacy)
        #expect(legacyDecision.error == nil)
        #expect(legacyDecision.registrySelector == nil)
    }

    @Test func observedGenerationFollowsTheGate() {
        var hpa = Build.hpa()
        hpa.metadata.generation = 7
        let input = Build.input(hpa, replicas: 3, pods: Build.pods(3), metrics: [0: Build.cpuUsage([500, 500, 500])])
        #expect(HPADecider.decide(input, settings: ControllerSettings()).status.observedGeneration == nil)
        var settings = ControllerSettings()
        settings.featureGates.hpaGeneration = true
        #expect(HPADecider.decide(input, settings: settings).status.observedGeneration == 7)
    }

    @Test func zeroReplicasDisablesScaling() {
        let scaledToZero = HorizontalPodAutoscalerCondition(type: "ScaledToZero", status: .true, reason: "ScaledToZero")
        let hpa = Build.hpa(current: 0, conditions: [scaledToZero])
        let decision = HPADecider.decide(Build.input(hpa, replicas: 0, pods: [], metrics: [:]), settings: ControllerSettings())
        #expect(decision.rescale == false)
        #expect(decision.limitedBy == "ScalingDisabled")
        #expect(Build.conditionSummary(decision) == ["AbleToScale=True/SucceededGetScale", "ScalingActive=False/ScalingDisabled"])
    }

    @Test func perDirectionToleranceNeedsTheGate() {
        let behavior = HorizontalPodAutoscalerBehavior(scaleUp: HPAScalingRules(tolerance: Quantity.milli(500)))
        let hpa = Build.hpa(behavior: behavior)
        #expect(HPADecider.tolerances(hpa, settings: ControllerSettings()) == Tolerances(scaleDown: 0.1, scaleUp: 0.5))
        var settings = ControllerSettings()
        settings.featureGates.hpaConfigurableTolerance = false
        #expect(HPADecider.tolerances(hpa, settings: settings) == Tolerances(both: 0.1))
    }
}
