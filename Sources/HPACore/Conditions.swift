#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// HPA condition types (raw values are upstream's).
public enum HPAConditionType: String, Sendable, Equatable, Hashable {
    case ableToScale = "AbleToScale"
    case scalingActive = "ScalingActive"
    case scalingLimited = "ScalingLimited"
    case scaledToZero = "ScaledToZero"
}

/// Upstream's condition-list semantics (§8.2): list-map keyed by type, first-insertion order,
/// `lastTransitionTime` moves only when the status changes, reason and message always overwritten.
struct ConditionList {
    var items: [HorizontalPodAutoscalerCondition]
    let now: Date

    mutating func set(_ type: HPAConditionType, _ status: ConditionStatus, _ reason: String, _ message: String) {
        if let index = items.firstIndex(where: { $0.type == type.rawValue }) {
            if items[index].status != status {
                items[index].status = status
                items[index].lastTransitionTime = KubeTime(now)
            }
            items[index].reason = reason
            items[index].message = message
        } else {
            items.append(HorizontalPodAutoscalerCondition(
                type: type.rawValue, status: status, lastTransitionTime: KubeTime(now), reason: reason, message: message))
        }
    }

    mutating func remove(_ type: HPAConditionType) {
        items.removeAll { $0.type == type.rawValue }
    }

    func isTrue(_ type: HPAConditionType) -> Bool {
        items.contains { $0.type == type.rawValue && $0.status == .true }
    }
}

/// Upstream's message texts.
enum Messages {
    static let succeededGetScale = "the HPA controller was able to get the target's current scale"
    static func failedGetScale(_ error: String) -> String { "the HPA controller was unable to get the target's current scale: \(error)" }
    static let scalingDisabled = "scaling is disabled since the replica count of the target is zero"
    static func succeededRescale(_ replicas: Int32) -> String { "the HPA controller was able to update the target scale to \(replicas)" }
    static func failedUpdateScale(_ error: String) -> String { "the HPA controller was unable to update the target scale: \(error)" }
    static func validMetricFound(_ description: String) -> String {
        "the HPA was able to successfully calculate a replica count from \(description)"
    }
    static func unableToCompute(_ error: String) -> String { "the HPA was unable to compute the replica count: \(error)" }
    static let missingSelector = "the HPA target's scale is missing a selector"
    static func invalidSelector(_ error: String) -> String {
        "couldn't convert selector into a corresponding internal selector object: \(error)"
    }
    static func ambiguousSelector(_ selector: String, _ keys: [String]) -> String {
        "pods by selector \(selector) are controlled by multiple HPAs: [\(keys.joined(separator: " "))]"
    }
    static let scaledToZero = "the HPA controller scaled the workload to zero"
    static let notScaledToZero = "the HPA controller did not scale the workload to zero"
    static let aboveMaxReason = "Current number of replicas above Spec.MaxReplicas"
    static let belowMinReason = "Current number of replicas below Spec.MinReplicas"
    static let allBelowTargetReason = "All metrics below target"
}
