#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why the clamp step ended where it did (the `ScalingLimited` condition's reason) — also the
/// "limitedBy" explanation the dry-run report and simulator print. Raw values are upstream's.
public enum ScalingLimitReason: String, Sendable, Equatable, Hashable {
    case scaleUpLimit = "ScaleUpLimit"
    case scaleDownLimit = "ScaleDownLimit"
    case tooManyReplicas = "TooManyReplicas"
    case tooFewReplicas = "TooFewReplicas"
    case desiredWithinRange = "DesiredWithinRange"

    /// Upstream's message for the reason.
    public var message: String {
        switch self {
        case .scaleUpLimit: "the desired replica count is increasing faster than the maximum scale rate"
        case .scaleDownLimit: "the desired replica count is decreasing faster than the maximum scale rate"
        case .tooManyReplicas: "the desired replica count is more than the maximum replica count"
        case .tooFewReplicas: "the desired replica count is less than the minimum replica count"
        case .desiredWithinRange: "the desired count is within the acceptable range"
        }
    }
}

/// The `AbleToScale` reason set by the stabilization step.
public enum StabilizationReason: String, Sendable, Equatable, Hashable {
    case scaleUpStabilized = "ScaleUpStabilized"
    case scaleDownStabilized = "ScaleDownStabilized"
    case readyForNewScale = "ReadyForNewScale"

    public var message: String {
        switch self {
        case .scaleUpStabilized: "recent recommendations were lower than current one, applying the lowest recent recommendation"
        case .scaleDownStabilized: "recent recommendations were higher than current one, applying the highest recent recommendation"
        case .readyForNewScale: "recommended size matches current size"
        }
    }
}

/// Stabilization, rate limits and min/max clamping (hpa-behavior.md §7), over plain values.
public enum Normalization {
    // MARK: stabilization

    /// Legacy stabilization: the maximum of `prenormalized` and every recommendation not older than
    /// the window; records `prenormalized` (reusing the last old slot).
    public static func stabilizeLegacy(
        recommendations: inout [TimestampedRecommendation], prenormalized: Int32, windowSeconds: Double, now: Date
    ) -> Int32 {
        let cutoff = now.addingTimeInterval(-windowSeconds)
        var result = prenormalized
        var lastOld: Int?
        for (index, recommendation) in recommendations.enumerated() {
            if recommendation.timestamp < cutoff {
                lastOld = index
            } else if recommendation.replicas > result {
                result = recommendation.replicas
            }
        }
        record(&recommendations, TimestampedRecommendation(replicas: prenormalized, timestamp: now), replacing: lastOld)
        return result
    }

    /// Behavior stabilization: clamp `currentReplicas` into [min of recent (up window), max of
    /// recent (down window)] including `prenormalized`; records `prenormalized`. The reason is
    /// `ScaleUpStabilized` when `prenormalized ≥ current`, else `ScaleDownStabilized` (callers use
    /// it only when the result differs from `prenormalized`).
    public static func stabilizeWithBehavior(
        recommendations: inout [TimestampedRecommendation], currentReplicas: Int32, prenormalized: Int32,
        scaleUpWindowSeconds: Int32, scaleDownWindowSeconds: Int32, now: Date
    ) -> (replicas: Int32, reason: StabilizationReason) {
        let upCutoff = now.addingTimeInterval(-Double(scaleUpWindowSeconds))
        let downCutoff = now.addingTimeInterval(-Double(scaleDownWindowSeconds))
        var upRecommendation = prenormalized
        var downRecommendation = prenormalized
        var lastOld: Int?
        for (index, recommendation) in recommendations.enumerated() {
            if recommendation.timestamp > upCutoff { upRecommendation = min(upRecommendation, recommendation.replicas) }
            if recommendation.timestamp > downCutoff { downRecommendation = max(downRecommendation, recommendation.replicas) }
            if recommendation.timestamp < upCutoff && recommendation.timestamp < downCutoff { lastOld = index }
        }
        var result = currentReplicas
        if result < upRecommendation { result = upRecommendation }
        if result > downRecommendation { result = downRecommendation }
        record(&recommendations, TimestampedRecommendation(replicas: prenormalized, timestamp: now), replacing: lastOld)
        return (result, prenormalized >= currentReplicas ? .scaleUpStabilized : .scaleDownStabilized)
    }

    static func record(_ list: inout [TimestampedRecommendation], _ entry: TimestampedRecommendation, replacing index: Int?) {
        if let index { list[index] = entry } else { list.append(entry) }
    }

    // MARK: clamping

    /// Legacy clamp: min first, then the scale-up limit `max(factor × current, minimum)` or max.
    public static func clampLegacy(
        currentReplicas: Int32, desired: Int32, minReplicas: Int32, maxReplicas: Int32,
        scaleUpLimitFactor: Double, scaleUpLimitMinimum: Double
    ) -> (replicas: Int32, reason: ScalingLimitReason) {
        let scaleUpLimit = Saturating.int32(max(scaleUpLimitFactor * Double(currentReplicas), scaleUpLimitMinimum))
        let maximumAllowed: Int32
        let upperReason: ScalingLimitReason
        if maxReplicas > scaleUpLimit {
            maximumAllowed = scaleUpLimit
            upperReason = .scaleUpLimit
        } else {
            maximumAllowed = maxReplicas
            upperReason = .tooManyReplicas
        }
        if desired < minReplicas { return (minReplicas, .tooFewReplicas) }
        if desired > maximumAllowed { return (maximumAllowed, upperReason) }
        return (desired, .desiredWithinRange)
    }

    /// Behavior clamp: rate policies and min/max, each only in the direction of the change.
    public static func clampWithBehavior(
        currentReplicas: Int32, desired: Int32, minReplicas: Int32, maxReplicas: Int32, behavior: ResolvedBehavior,
        scaleUpEvents: [ScaleChangeEvent], scaleDownEvents: [ScaleChangeEvent], now: Date
    ) -> (replicas: Int32, reason: ScalingLimitReason) {
        if desired > currentReplicas {
            var limit = scaleUpLimit(
                currentReplicas: currentReplicas, scaleUpEvents: scaleUpEvents, scaleDownEvents: scaleDownEvents,
                rules: behavior.scaleUp, now: now)
            if limit < currentReplicas { limit = currentReplicas }
            let (allowed, reason): (Int32, ScalingLimitReason) = maxReplicas > limit ? (limit, .scaleUpLimit) : (maxReplicas, .tooManyReplicas)
            if desired > allowed { return (allowed, reason) }
        } else if desired < currentReplicas {
            var limit = scaleDownLimit(
                currentReplicas: currentReplicas, scaleUpEvents: scaleUpEvents, scaleDownEvents: scaleDownEvents,
                rules: behavior.scaleDown, now: now)
            if limit > currentReplicas { limit = currentReplicas }
            let (allowed, reason): (Int32, ScalingLimitReason) = minReplicas < limit ? (limit, .scaleDownLimit) : (minReplicas, .tooFewReplicas)
            if desired < allowed { return (allowed, reason) }
        }
        return (desired, .desiredWithinRange)
    }

    // MARK: policy limits (§7.4)

    /// Σ replicaChange of events strictly inside the last `periodSeconds` (outdated flag ignored).
    public static func replicasChangePerPeriod(periodSeconds: Int32, events: [ScaleChangeEvent], now: Date) -> Int32 {
        let cutoff = now.addingTimeInterval(-Double(periodSeconds))
        var total: Int32 = 0
        for event in events where event.timestamp > cutoff { total = Saturating.add(total, event.replicaChange) }
        return total
    }

    static func periodStart(
        currentReplicas: Int32, policy: ScalingPolicyRule, scaleUpEvents: [ScaleChangeEvent], scaleDownEvents: [ScaleChangeEvent], now: Date
    ) -> Int32 {
        let added = replicasChangePerPeriod(periodSeconds: policy.periodSeconds, events: scaleUpEvents, now: now)
        let removed = replicasChangePerPeriod(periodSeconds: policy.periodSeconds, events: scaleDownEvents, now: now)
        return Saturating.add(Saturating.subtract(currentReplicas, added), removed)
    }

    /// The highest count the scale-up policies allow now.
    public static func scaleUpLimit(
        currentReplicas: Int32, scaleUpEvents: [ScaleChangeEvent], scaleDownEvents: [ScaleChangeEvent],
        rules: ResolvedScalingRules, now: Date
    ) -> Int32 {
        if rules.selectPolicy == .disabled { return currentReplicas }
        var result: Int32 = rules.selectPolicy == .min ? .max : .min
        for policy in rules.policies {
            let start = periodStart(
                currentReplicas: currentReplicas, policy: policy, scaleUpEvents: scaleUpEvents, scaleDownEvents: scaleDownEvents, now: now)
            let proposed: Int32
            switch policy.kind {
            case .pods: proposed = Saturating.add(start, policy.value)
            case .percent: proposed = Saturating.ceilToInt32(Double(start) * (1 + Double(policy.value) / 100))
            }
            result = rules.selectPolicy == .min ? min(result, proposed) : max(result, proposed)
        }
        return result
    }

    /// The lowest count the scale-down policies allow now (Percent truncates toward zero and may
    /// go negative).
    public static func scaleDownLimit(
        currentReplicas: Int32, scaleUpEvents: [ScaleChangeEvent], scaleDownEvents: [ScaleChangeEvent],
        rules: ResolvedScalingRules, now: Date
    ) -> Int32 {
        if rules.selectPolicy == .disabled { return currentReplicas }
        var result: Int32 = rules.selectPolicy == .min ? .min : .max
        for policy in rules.policies {
            let start = periodStart(
                currentReplicas: currentReplicas, policy: policy, scaleUpEvents: scaleUpEvents, scaleDownEvents: scaleDownEvents, now: now)
            let proposed: Int32
            switch policy.kind {
            case .pods: proposed = Saturating.subtract(start, policy.value)
            case .percent: proposed = Saturating.int32(Double(start) * (1 - Double(policy.value) / 100))
            }
            result = rules.selectPolicy == .min ? max(result, proposed) : min(result, proposed)
        }
        return result
    }

    // MARK: scale events (§7.5)

    /// Records a completed rescale: marks events older than the direction's longest policy period
    /// as outdated and reuses the last outdated slot (else appends).
    public static func storeScaleEvent(
        events: inout [ScaleChangeEvent], policies: [ScalingPolicyRule], previousReplicas: Int32, newReplicas: Int32, now: Date
    ) {
        let longest = policies.map(\.periodSeconds).max() ?? 0
        let cutoff = now.addingTimeInterval(-Double(longest))
        var lastOutdated: Int?
        for index in events.indices where events[index].timestamp < cutoff {
            events[index].outdated = true
            lastOutdated = index
        }
        let change = Saturating.int32(abs(Int64(newReplicas) - Int64(previousReplicas)))
        let event = ScaleChangeEvent(replicaChange: change, timestamp: now, outdated: false)
        if let lastOutdated { events[lastOutdated] = event } else { events.append(event) }
    }
}

extension Normalization {
    /// After a successful rescale: records the change in the memory's event list for its direction
    /// (`new > previous` → up, else down). Without `behavior` nothing is recorded.
    public static func recordRescale(
        memory: inout ControllerMemory, behavior: ResolvedBehavior?, previousReplicas: Int32, newReplicas: Int32, now: Date
    ) {
        guard let behavior else { return }
        if newReplicas > previousReplicas {
            storeScaleEvent(
                events: &memory.scaleUpEvents, policies: behavior.scaleUp.policies, previousReplicas: previousReplicas,
                newReplicas: newReplicas, now: now)
        } else {
            storeScaleEvent(
                events: &memory.scaleDownEvents, policies: behavior.scaleDown.policies, previousReplicas: previousReplicas,
                newReplicas: newReplicas, now: now)
        }
    }
}
