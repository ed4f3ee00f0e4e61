import KubeAPI
import Synchronization

/// One row of the demo's live table: what the controller decided for the demo HPA at one pass.
public struct DemoSample: Sendable, Hashable {
    /// Simulated seconds since the scenario started.
    public var time: Double
    /// The load at that time (users).
    public var users: Double
    /// Average CPU utilization of the ready pods, percent of request (nil when not measured).
    public var cpuUtilization: Int32?
    /// The HPA's target utilization, percent.
    public var targetUtilization: Int32?
    public var currentReplicas: Int32
    public var desiredReplicas: Int32
    /// The largest replica count any metric proposed (before limits).
    public var proposedReplicas: Int32?
    /// Upstream's limiting reason (`TooManyReplicas`, `ScaleDownStabilized`, `DesiredWithinRange`, ...).
    public var limitedBy: String
    /// True when this pass changed the scale.
    public var rescaled: Bool
    /// `SuccessfulRescale`'s reason text when rescaled, or the pass's error.
    public var detail: String?
    /// A lower recommendation is being held by the downscale stabilization window (the
    /// `AbleToScale` condition's reason is `ScaleDownStabilized`).
    public var scaleDownHeld: Bool = false
    /// The HPA's `spec.minReplicas` (nil when unknown).
    public var minReplicas: Int32?

    public init(time: Double, users: Double, cpuUtilization: Int32?, targetUtilization: Int32?, currentReplicas: Int32,
                desiredReplicas: Int32, proposedReplicas: Int32?, limitedBy: String, rescaled: Bool, detail: String?) {
        self.time = time
        self.users = users
        self.cpuUtilization = cpuUtilization
        self.targetUtilization = targetUtilization
        self.currentReplicas = currentReplicas
        self.desiredReplicas = desiredReplicas
        self.proposedReplicas = proposedReplicas
        self.limitedBy = limitedBy
        self.rescaled = rescaled
        self.detail = detail
    }

    /// A sample from the reconciler's decision record.
    public init(record: DecisionRecord, time: Double, users: Double) {
        let cpu = record.metrics.first { $0.type == "Resource" && $0.name == "cpu" }
        self.init(time: time, users: users, cpuUtilization: cpu?.current?.averageUtilization,
                  targetUtilization: cpu?.target?.averageUtilization, currentReplicas: record.currentReplicas ?? 0,
                  desiredReplicas: record.desiredReplicas, proposedReplicas: record.metrics.compactMap(\.proposedReplicas).max(),
                  limitedBy: record.limitedBy, rescaled: record.rescale && record.wrote,
                  detail: record.error ?? record.reason)
        // Held by the window only when the lower count was allowed at all (not below minReplicas).
        minReplicas = record.observations.hpa.spec.minReplicas ?? 1
        let floor = max(proposedReplicas ?? Int32.max, minReplicas ?? 1)
        scaleDownHeld = record.conditions.contains { $0.type == "AbleToScale" && $0.reason == "ScaleDownStabilized" }
            && floor < currentReplicas
    }
}

/// What the demo shows at the end.
public struct DemoSummary: Sendable, Hashable {
    public var passes: Int
    public var peakReplicas: Int32
    public var peakUsers: Double
    /// When `TooManyReplicas` first limited the decision, at how many replicas, and the largest
    /// proposal it held back.
    public var tooManyReplicasAt: Double?
    public var tooManyReplicasLimit: Int32?
    /// What CPU asked for at peak load while held at the maximum.
    public var proposalAtPeak: Int32?
    /// The longest stretch in which a lower recommendation was held by the downscale
    /// stabilization window: from its first held pass to the pass that finally scaled down (or
    /// the last held pass), with the replicas kept and the lowest recommendation held back.
    public var longestHold: ScaleDownHold?
    public var scaleUps: Int
    public var scaleDowns: Int
    public var finalReplicas: Int32
    public var failedPasses: Int

    public var scaleEvents: Int { scaleUps + scaleDowns }
}

/// A stretch of passes in which the stabilization window kept replicas above the recommendation.
public struct ScaleDownHold: Sendable, Hashable {
    public var from: Double
    public var until: Double
    public var keptReplicas: Int32
    public var lowestRecommendation: Int32
    public var seconds: Double { until - from }
}

/// Collects the demo's samples (from concurrent reconcile workers) and computes the summary.
public final class DemoTimeline: Sendable {
    private let samples = Mutex<[DemoSample]>([])

    public init() {}

    public func append(_ sample: DemoSample) { samples.withLock { $0.append(sample) } }

    public var all: [DemoSample] { samples.withLock { $0 } }

    public var last: DemoSample? { samples.withLock { $0.last } }

    public func summary() -> DemoSummary {
        let samples = all
        var summary = DemoSummary(passes: samples.count, peakReplicas: 0, peakUsers: 0, scaleUps: 0, scaleDowns: 0,
                                  finalReplicas: samples.last.map { $0.rescaled ? $0.desiredReplicas : $0.currentReplicas } ?? 0,
                                  failedPasses: 0)
        var hold: ScaleDownHold?
        for sample in samples {
            summary.peakReplicas = max(summary.peakReplicas, sample.currentReplicas, sample.rescaled ? sample.desiredReplicas : 0)
            summary.peakUsers = max(summary.peakUsers, sample.users)
            if sample.rescaled {
                if sample.desiredReplicas > sample.currentReplicas { summary.scaleUps += 1 } else { summary.scaleDowns += 1 }
            }
            if sample.limitedBy == "TooManyReplicas" && (sample.proposedReplicas ?? 0) > sample.desiredReplicas {
                if summary.tooManyReplicasAt == nil {
                    summary.tooManyReplicasAt = sample.time
                    summary.tooManyReplicasLimit = sample.desiredReplicas
                }
                if sample.users >= summary.peakUsers { summary.proposalAtPeak = sample.proposedReplicas }
            }
            if sample.scaleDownHeld {
                if var current = hold {
                    current.until = sample.time
                    current.lowestRecommendation = min(current.lowestRecommendation, sample.proposedReplicas ?? current.lowestRecommendation)
                    hold = current
                } else {
                    hold = ScaleDownHold(from: sample.time, until: sample.time, keptReplicas: sample.currentReplicas,
                                         lowestRecommendation: sample.proposedReplicas ?? sample.currentReplicas)
                }
            } else if var current = hold {
                if sample.rescaled && sample.desiredReplicas < sample.currentReplicas { current.until = sample.time }
                if current.seconds > (summary.longestHold?.seconds ?? -1) { summary.longestHold = current }
                hold = nil
            }
            if sample.detail != nil && !sample.rescaled && sample.limitedBy.isEmpty { summary.failedPasses += 1 }
        }
        if let current = hold, current.seconds > (summary.longestHold?.seconds ?? -1) { summary.longestHold = current }
        return summary
    }
}

/// Formatting of the demo's table and summary (plain text, fixed-width columns).
public enum DemoFormat {
    public static let header = pad("TIME", 6) + "  " + pad("USERS", 8, right: true) + "  " + pad("CPU/TARGET", 10)
        + "  " + pad("REPLICAS", 9) + "  REASON"

    public static func row(_ sample: DemoSample) -> String {
        let cpu = (sample.cpuUtilization.map { "\($0)%" } ?? "-") + "/" + (sample.targetUtilization.map { "\($0)%" } ?? "-")
        let replicas = sample.rescaled ? "\(sample.currentReplicas) → \(sample.desiredReplicas)" : "\(sample.currentReplicas)"
        var reason: String
        if sample.rescaled {
            reason = "SuccessfulRescale" + (sample.detail.map { ": " + $0 } ?? "")
        } else if sample.scaleDownHeld {
            reason = "ScaleDownStabilized: wants \(sample.proposedReplicas.map(String.init) ?? "?"), held by the 5m stabilization window"
        } else if let minimum = sample.minReplicas, let proposed = sample.proposedReplicas, proposed < minimum,
                  sample.currentReplicas <= minimum {
            reason = "TooFewReplicas: wants \(proposed), kept at minReplicas \(minimum)"
        } else if sample.limitedBy == "TooManyReplicas" {
            reason = "TooManyReplicas: wants \(sample.proposedReplicas.map(String.init) ?? "?"), held at max \(sample.desiredReplicas)"
        } else if sample.limitedBy == "ScaleDownStabilized" {
            reason = "ScaleDownStabilized: wants \(sample.proposedReplicas.map(String.init) ?? "?"), held by the stabilization window"
        } else if let detail = sample.detail, sample.limitedBy.isEmpty {
            reason = "error: " + detail
        } else {
            reason = sample.limitedBy
        }
        return pad(clock(sample.time), 6) + "  " + pad(users(sample.users), 8, right: true) + "  " + pad(cpu, 10)
            + "  " + pad(replicas, 9) + "  " + reason
    }

    /// `mm:ss` of simulated time.
    public static func clock(_ seconds: Double) -> String {
        let whole = Int(min(max(0, seconds.isFinite ? seconds : 0), 1e12).rounded(.down))
        let minutes = whole / 60
        let rest = whole % 60
        return (minutes < 10 ? "0" : "") + String(minutes) + ":" + (rest < 10 ? "0" : "") + String(rest)
    }

    /// `5K`, `150K`, `950`.
    public static func users(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "-" }
        if value >= 1000 { return String(Int((value / 1000).rounded())) + "K" }
        return String(Int(value.rounded()))
    }

    /// Minutes and seconds: `5m00s`, `45s`.
    public static func duration(_ seconds: Double) -> String {
        let whole = Int(min(max(0, seconds.isFinite ? seconds : 0), 1e12).rounded())
        if whole < 60 { return String(whole) + "s" }
        let rest = whole % 60
        return String(whole / 60) + "m" + (rest < 10 ? "0" : "") + String(rest) + "s"
    }

    public static func summaryLines(_ summary: DemoSummary, maxReplicas: Int32, wallSeconds: Double, simulatedSeconds: Double) -> [String] {
        var lines = ["Summary: \(duration(simulatedSeconds)) of simulated traffic in \(String(format1(wallSeconds))) s, \(summary.passes) controller passes"]
        lines.append("  peak replicas:        \(summary.peakReplicas) (maxReplicas \(maxReplicas)) at \(users(summary.peakUsers)) users peak load")
        if let at = summary.tooManyReplicasAt {
            lines.append("  TooManyReplicas:      hit at \(summary.tooManyReplicasLimit.map(String.init) ?? "?") replicas from \(clock(at))"
                         + (summary.proposalAtPeak.map { "; CPU wanted \($0) at \(users(summary.peakUsers)) users" } ?? ""))
        } else {
            lines.append("  TooManyReplicas:      not hit")
        }
        if let hold = summary.longestHold {
            lines.append("  scale-down held:      \(duration(hold.seconds)) by the downscale stabilization window (\(clock(hold.from))–\(clock(hold.until))): kept \(hold.keptReplicas) while CPU wanted \(hold.lowestRecommendation)")
        } else {
            lines.append("  scale-down held:      never")
        }
        lines.append("  scale events:         \(summary.scaleEvents) (\(summary.scaleUps) up, \(summary.scaleDowns) down); final replicas \(summary.finalReplicas)")
        if summary.failedPasses > 0 { lines.append("  failed passes:        \(summary.failedPasses)") }
        return lines
    }

    static func format1(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "-" }
        let tenths = Int((value * 10).rounded())
        return String(tenths / 10) + "." + String(abs(tenths % 10))
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let missing = max(0, width - text.count)
        return right ? String(repeating: " ", count: missing) + text : text + String(repeating: " ", count: missing)
    }
}
