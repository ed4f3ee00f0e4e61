import HPACore
import KubeAPI
import Testing

@Suite struct SettingsTests {
    @Test func upstreamDefaults() {
        let settings = ControllerSettings()
        #expect(settings.syncPeriodSeconds == 15)
        #expect(settings.tolerance == 0.1)
        #expect(settings.downscaleStabilizationWindowSeconds == 300)
        #expect(settings.cpuInitializationPeriodSeconds == 300)
        #expect(settings.initialReadinessDelaySeconds == 30)
        #expect(settings.concurrentSyncs == 5)
        #expect(settings.scaleUpLimitFactor == 2)
        #expect(settings.scaleUpLimitMinimum == 4)
        #expect(settings.featureGates.hpaScaleToZero == false)
        #expect(settings.featureGates.hpaConfigurableTolerance == true)
        #expect(settings.validationErrors().isEmpty)
    }

    @Test func badSettingsAreNamed() {
        var settings = ControllerSettings()
        settings.concurrentSyncs = 0
        #expect(settings.validationErrors() == ["concurrent-horizontal-pod-autoscaler-syncs must be greater than 0, but got 0"])
        var gates = FeatureGates()
        let known = gates.set("HPAScaleToZero", true)
        let unknown = gates.set("NoSuchGate", true)
        #expect(known)
        #expect(gates.hpaScaleToZero)
        #expect(unknown == false)
    }

    @Test(arguments: [(Double.nan, Int32(7)), (Double.infinity, Int32.max), (-Double.infinity, Int32.min), (2.000001, Int32(3))])
    func ceilToInt32Saturates(value: Double, expected: Int32) {
        #expect(Saturating.ceilToInt32(value, nanFallback: 7) == expected)
    }
}

@Suite struct ValidationTests {
    @Test func rejectedSpecsNameTheField() {
        var hpa = Build.hpa(min: 5, max: 3, metrics: [MetricSpec(type: "CheddarCheese"), MetricSpec(type: "Resource", resource: ResourceMetricSource(name: "cpu", target: MetricTarget(type: "")))])
        hpa.spec.behavior = HorizontalPodAutoscalerBehavior(
            scaleUp: HPAScalingRules(stabilizationWindowSeconds: 4000, selectPolicy: "Max", policies: [HPAScalingPolicy(type: "Pods", value: 0, periodSeconds: 15)]))
        let fields = HPAValidation.validate(hpa).map(\.field)
        #expect(fields.contains("spec.maxReplicas"))
        #expect(fields.contains("spec.metrics[0].type"))
        #expect(fields.contains("spec.metrics[1].resource.target"))
        #expect(fields.contains("spec.behavior.scaleUp.stabilizationWindowSeconds"))
        #expect(fields.contains("spec.behavior.scaleUp.policies[0].value"))
        let maxError = HPAValidation.validate(hpa).first { $0.field == "spec.maxReplicas" }
        #expect(maxError?.description == "spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`")
    }

    /// Specs upstream validation rejects still decide without trapping, with upstream's outcome.
    @Test func rejectedSpecsDecideLikeUpstream() {
        let hpa = Build.hpa(metrics: [MetricSpec(type: "CheddarCheese")])
        let decision = HPADecider.decide(Build.input(hpa, replicas: 3, pods: Build.pods(3), metrics: [:]), settings: ControllerSettings())
        #expect(Build.conditionSummary(decision).contains("ScalingActive=False/InvalidMetricSourceType"))
        #expect(decision.events.first == HPAEvent(type: .warning, reason: "InvalidMetricSourceType", message: "unknown metric source type \"CheddarCheese\""))
        #expect(decision.proposals.first?.labels == OutcomeLabels(action: .none, error: .spec))
        #expect(decision.reconciliationLabels.error == .internal)
        #expect(!decision.specProblems.isEmpty)

        let inverted = Build.hpa(min: 5, max: 3, current: 4)
        let clamped = HPADecider.decide(Build.input(inverted, replicas: 4, pods: Build.pods(4), metrics: [:]), settings: ControllerSettings())
        #expect(clamped.desiredReplicas == 3)
        #expect(clamped.specProblems.map(\.field) == ["spec.maxReplicas"])
    }
}

@Suite struct ToleranceTests {
    /// §5.2: both bounds are inclusive, for ratios computed the way the calculator computes them.
    @Test(arguments: [90.0 / 100, 110.0 / 100, 63.0 / 70, 77.0 / 70])
    func boundsAreInclusive(ratio: Double) {
        #expect(Tolerances(both: 0.1).isWithin(ratio))
    }

    @Test func outsideTheBand() {
        #expect(!Tolerances(both: 0.1).isWithin(0.89))
        #expect(!Tolerances(scaleDown: 2, scaleUp: 0.08).isWithin(1.09))
        #expect(Tolerances(scaleDown: 2, scaleUp: 0.08).isWithin(0.01))
    }
}
