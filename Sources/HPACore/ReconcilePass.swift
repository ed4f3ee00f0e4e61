#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// The mutable state of one `decide` call (§4.2).
struct ReconcilePass {
    let input: ReconcileInput
    let settings: ControllerSettings
    let now: Date
    let hpa: HorizontalPodAutoscaler
    let originalStatus: HorizontalPodAutoscalerStatus
    var conditions: ConditionList
    var events: [HPAEvent] = []
    var memory: ControllerMemory
    var proposals: [MetricProposal] = []
    var registrySelector: String?

    init(input: ReconcileInput, settings: ControllerSettings) {
        self.input = input
        self.settings = settings
        self.now = input.now
        self.hpa = input.hpa
        self.originalStatus = input.hpa.status ?? HorizontalPodAutoscalerStatus(desiredReplicas: 0)
        self.conditions = ConditionList(items: originalStatus.conditions ?? [], now: input.now)
        self.memory = input.memory
    }

    var reference: String {
        "\(hpa.spec.scaleTargetRef.kind)/\(hpa.metadata.namespace ?? "")/\(hpa.spec.scaleTargetRef.name)"
    }

    mutating func warn(_ reason: String, _ message: String) {
        events.append(HPAEvent(type: .warning, reason: reason, message: message))
    }

    mutating func run() -> Decision {
        // Step 1: the scale.
        let scale: TargetScale
        switch (HPADecider.scaleTargetGroupVersion(hpa), input.scale) {
        case (.failure(let error), _):
            return failedGetScale(eventText: error.message, error: ScalingError(
                "invalid API version in scale target reference: \(error.message)", isSpecError: true))
        case (.success, .failure(let failure)):
            switch failure.failure {
            case .restMapping(let text):
                return failedGetScale(eventText: text, error: ScalingError("unable to determine resource for scale target reference: \(text)"))
            case .get(let text):
                return failedGetScale(eventText: text, error: ScalingError("failed to query scale subresource for \(reference): \(text)"))
            }
        case (.success, .success(let read)):
            scale = read
        }
        conditions.set(.ableToScale, .true, "SucceededGetScale", Messages.succeededGetScale)
        let current = scale.specReplicas
        if memory.recommendations == nil { memory.recommendations = [TimestampedRecommendation(replicas: current, timestamp: now)] }
        let minReplicas = hpa.spec.minReplicas ?? 1
        let maxReplicas = hpa.spec.maxReplicas
        let gateScaleToZero = settings.featureGates.hpaScaleToZero

        // Step 2: the branch.
        var desired: Int32 = 0
        var rescaleReason = ""
        var rescale = true
        var metricStatuses: [MetricStatus]?
        var passError: ScalingError?
        var prenormalized: Int32?
        let limitedBy: String
        let fromZero = current == 0 && HPADecider.scalesFromZero(hpa: hpa, settings: settings)
        if current == 0 && !fromZero {
            rescale = false
            conditions.set(.scalingActive, .false, "ScalingDisabled", Messages.scalingDisabled)
            if !gateScaleToZero { conditions.remove(.scaledToZero) }
            limitedBy = "ScalingDisabled"
        } else if current > maxReplicas && !fromZero {
            desired = maxReplicas
            rescaleReason = Messages.aboveMaxReason
            limitedBy = ScalingLimitReason.tooManyReplicas.rawValue
        } else if current < minReplicas && !fromZero {
            desired = minReplicas
            rescaleReason = Messages.belowMinReason
            limitedBy = ScalingLimitReason.tooFewReplicas.rawValue
        } else {
            // Step 3: metrics.
            let computed = computeReplicasForMetrics(scale: scale)
            metricStatuses = computed.statuses
            if computed.fatal {
                let aggregate = computed.error ?? ScalingError("")
                warn("FailedComputeMetricsReplicas", aggregate.message)
                let error = aggregate.wrapped("failed to compute desired number of replicas based on listed metrics for \(reference): ")
                return finish(
                    current: current, desired: originalStatus.desiredReplicas, metricStatuses: metricStatuses,
                    lastScaleTime: originalStatus.lastScaleTime, rescale: false, error: error, limitedBy: computed.limitedBy,
                    prenormalized: nil, rescaleReason: "", basis: nil)
            }
            passError = computed.error
            var rescaleMetric = ""
            if computed.replicas > desired {
                desired = computed.replicas
                rescaleMetric = computed.description
            }
            prenormalized = desired
            if desired > current { rescaleReason = "\(rescaleMetric) above target" }
            if desired < current { rescaleReason = Messages.allBelowTargetReason }
            let normalized = normalize(current: current, prenormalized: desired, minReplicas: minReplicas, maxReplicas: maxReplicas)
            desired = normalized.replicas
            var reason = normalized.limitedBy
            if current == 0 && minReplicas != 0 && fromZero && desired < minReplicas {
                desired = minReplicas
                reason = ScalingLimitReason.tooFewReplicas.rawValue
                if rescaleReason.isEmpty { rescaleReason = Messages.belowMinReason }
            }
            limitedBy = reason
            rescale = desired != current
        }

        // Step 4: rescale (assumed to succeed; see Decision.rescaleFailed).
        var lastScaleTime = originalStatus.lastScaleTime
        var basis: RescaleFailureBasis?
        if rescale {
            basis = RescaleFailureBasis(
                conditionsBeforeRescale: conditions.items, statusDesiredBefore: originalStatus.desiredReplicas,
                lastScaleTimeBefore: originalStatus.lastScaleTime, memoryBeforeScaleEvent: memory, eventsBeforeRescale: events, reference: reference)
            conditions.set(.ableToScale, .true, "SucceededRescale", Messages.succeededRescale(desired))
            events.append(HPAEvent(type: .normal, reason: "SuccessfulRescale", message: "New size: \(desired); reason: \(rescaleReason)"))
            Normalization.recordRescale(
                memory: &memory, behavior: HPADecider.resolvedBehavior(hpa, settings: settings), previousReplicas: current,
                newReplicas: desired, now: now)
            if gateScaleToZero {
                if current > 0 && desired == 0 && minReplicas == 0 && HPADecider.hasObjectOrExternalMetric(hpa) {
                    conditions.set(.scaledToZero, .true, "ScaledToZero", Messages.scaledToZero)
                } else {
                    conditions.set(.scaledToZero, .false, "NotScaledToZero", Messages.notScaledToZero)
                }
            } else {
                conditions.remove(.scaledToZero)
            }
            lastScaleTime = KubeTime(now)
        } else {
            desired = current
        }
        return finish(
            current: current, desired: desired, metricStatuses: metricStatuses, lastScaleTime: lastScaleTime, rescale: rescale,
            error: passError, limitedBy: limitedBy, prenormalized: prenormalized, rescaleReason: rescaleReason, basis: basis)
    }

    /// The scale could not be read: only `AbleToScale` changes; nothing else is rebuilt.
    mutating func failedGetScale(eventText: String, error: ScalingError) -> Decision {
        warn("FailedGetScale", eventText)
        conditions.set(.ableToScale, .false, "FailedGetScale", Messages.failedGetScale(eventText))
        var status = originalStatus
        status.conditions = conditions.items
        return Decision(
            desiredReplicas: originalStatus.desiredReplicas, rescale: false, currentReplicas: nil, prenormalizedReplicas: nil,
            rescaleReason: "", status: status, statusChanged: !semanticallyEqual(status, originalStatus), events: events,
            reconciliationLabels: OutcomeLabels(action: .none, error: error.isSpecError ? .spec : .internal), proposals: [],
            limitedBy: "FailedGetScale", error: error, requeueAfterSeconds: HPADecider.requeueInterval(hpa: hpa, settings: settings),
            memory: memory, registrySelector: nil, rescaleFailureBasis: nil, originalStatus: originalStatus, now: now)
    }

    func finish(
        current: Int32, desired: Int32, metricStatuses: [MetricStatus]?, lastScaleTime: KubeTime?, rescale: Bool,
        error: ScalingError?, limitedBy: String, prenormalized: Int32?, rescaleReason: String, basis: RescaleFailureBasis?
    ) -> Decision {
        let status = HorizontalPodAutoscalerStatus(
            observedGeneration: settings.featureGates.hpaGeneration ? (hpa.metadata.generation ?? 0) : nil,
            lastScaleTime: lastScaleTime, currentReplicas: current, desiredReplicas: desired, currentMetrics: metricStatuses,
            conditions: conditions.items)
        let action: OutcomeLabels.Action = !rescale ? .none : (desired > current ? .scaleUp : .scaleDown)
        let errorLabel: OutcomeLabels.ErrorLabel = error == nil ? .none : ((error?.isSpecError ?? false) ? .spec : .internal)
        return Decision(
            desiredReplicas: desired, rescale: rescale, currentReplicas: current, prenormalizedReplicas: prenormalized,
            rescaleReason: rescaleReason, status: status, statusChanged: !semanticallyEqual(status, originalStatus), events: events,
            reconciliationLabels: OutcomeLabels(action: action, error: errorLabel), proposals: proposals, limitedBy: limitedBy,
            error: error, requeueAfterSeconds: HPADecider.requeueInterval(hpa: hpa, settings: settings), memory: memory,
            registrySelector: registrySelector, rescaleFailureBasis: basis, originalStatus: originalStatus, now: now)
    }

    // MARK: normalization (§7)

    mutating func normalize(current: Int32, prenormalized: Int32, minReplicas: Int32, maxReplicas: Int32) -> (replicas: Int32, limitedBy: String) {
        var recommendations = memory.recommendations ?? []
        defer { memory.recommendations = recommendations }
        let stabilized: Int32
        let stabilization: StabilizationReason
        let clamped: (replicas: Int32, reason: ScalingLimitReason)
        if let behavior = HPADecider.resolvedBehavior(hpa, settings: settings) {
            let result = Normalization.stabilizeWithBehavior(
                recommendations: &recommendations, currentReplicas: current, prenormalized: prenormalized,
                scaleUpWindowSeconds: behavior.scaleUp.stabilizationWindowSeconds,
                scaleDownWindowSeconds: behavior.scaleDown.stabilizationWindowSeconds, now: now)
            stabilized = result.replicas
            stabilization = stabilized != prenormalized ? result.reason : .readyForNewScale
            clamped = Normalization.clampWithBehavior(
                currentReplicas: current, desired: stabilized, minReplicas: minReplicas, maxReplicas: maxReplicas, behavior: behavior,
                scaleUpEvents: memory.scaleUpEvents, scaleDownEvents: memory.scaleDownEvents, now: now)
        } else {
            stabilized = Normalization.stabilizeLegacy(
                recommendations: &recommendations, prenormalized: prenormalized,
                windowSeconds: settings.downscaleStabilizationWindowSeconds, now: now)
            stabilization = stabilized != prenormalized ? .scaleDownStabilized : .readyForNewScale
            clamped = Normalization.clampLegacy(
                currentReplicas: current, desired: stabilized, minReplicas: minReplicas, maxReplicas: maxReplicas,
                scaleUpLimitFactor: settings.scaleUpLimitFactor, scaleUpLimitMinimum: settings.scaleUpLimitMinimum)
        }
        conditions.set(.ableToScale, .true, stabilization.rawValue, stabilization.message)
        conditions.set(.scalingLimited, clamped.replicas == stabilized ? .false : .true, clamped.reason.rawValue, clamped.reason.message)
        if clamped.reason != .desiredWithinRange { return (clamped.replicas, clamped.reason.rawValue) }
        if stabilization != .readyForNewScale { return (clamped.replicas, stabilization.rawValue) }
        return (clamped.replicas, ScalingLimitReason.desiredWithinRange.rawValue)
    }
}

/// Kubernetes semantic equality of two statuses: quantities by value, times by instant, and a nil
/// list equal to an empty one.
func semanticallyEqual(_ lhs: HorizontalPodAutoscalerStatus, _ rhs: HorizontalPodAutoscalerStatus) -> Bool {
    func normalized(_ status: HorizontalPodAutoscalerStatus) -> HorizontalPodAutoscalerStatus {
        var copy = status
        if copy.currentMetrics?.isEmpty ?? false { copy.currentMetrics = nil }
        if copy.conditions?.isEmpty ?? false { copy.conditions = nil }
        return copy
    }
    return normalized(lhs) == normalized(rhs)
}
