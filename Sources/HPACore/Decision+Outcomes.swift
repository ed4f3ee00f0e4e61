#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

extension Decision {
    /// The outcome when the scale update (PUT `/scale`, retried on conflict) finally failed with
    /// `errorText`: `AbleToScale`=False `FailedUpdateScale`, Warning `FailedRescale`, status
    /// `desiredReplicas` and `lastScaleTime` kept, no scale event recorded, labels `none`/`internal`.
    /// Returns `self` unchanged when this decision did not rescale.
    public func rescaleFailed(_ errorText: String) -> Decision {
        guard rescale, let basis = rescaleFailureBasis, let original = originalStatus else { return self }
        var conditions = ConditionList(items: basis.conditionsBeforeRescale, now: now)
        conditions.set(.ableToScale, .false, "FailedUpdateScale", Messages.failedUpdateScale(errorText))
        var result = self
        result.events = basis.eventsBeforeRescale + [HPAEvent(
            type: .warning, reason: "FailedRescale", message: "New size: \(desiredReplicas); reason: \(rescaleReason); error: \(errorText)")]
        result.memory = basis.memoryBeforeScaleEvent
        result.status.conditions = conditions.items
        result.status.desiredReplicas = basis.statusDesiredBefore
        result.status.lastScaleTime = basis.lastScaleTimeBefore
        result.statusChanged = !semanticallyEqual(result.status, original)
        result.reconciliationLabels = OutcomeLabels(action: .none, error: .internal)
        result.error = ScalingError("failed to rescale \(basis.reference): \(errorText)")
        result.rescaleFailureBasis = nil
        return result
    }

    /// The outcome when writing `status` failed with `errorText`: Warning `FailedUpdateStatus`,
    /// error label `internal` (the status error replaces the pass result).
    public func statusWriteFailed(_ errorText: String, hpaName: String) -> Decision {
        var result = self
        result.events.append(HPAEvent(type: .warning, reason: "FailedUpdateStatus", message: errorText))
        result.reconciliationLabels.error = .internal
        result.error = ScalingError("failed to update status for \(hpaName): \(errorText)")
        return result
    }

    /// What `desiredReplicas` will the status report (the previous value on error paths).
    public var statusDesiredReplicas: Int32 { status.desiredReplicas }
}
