#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// Turns case data (times relative to "now", quantities, pods, metrics) into the API objects the
/// controller would see, so cases run through the same projections as production.
struct CaseFixtures {
    /// The fixed "now" of every case.
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let goZeroSentinel: Int64 = -63_900_000_000

    let now: Date

    init(now: Date = CaseFixtures.now) { self.now = now }

    /// A relative time in seconds (or the zero-time sentinel / flag) → an instant.
    func time(_ value: CaseJSON, zeroFlag: CaseJSON = .null) throws -> Date? {
        if value.isNull { return nil }
        if zeroFlag.bool == true { return GoTime.zero }
        guard let seconds = value.double else { throw CaseError("time \(value) is not a number") }
        if let integer = value.int64, integer == Self.goZeroSentinel { return GoTime.zero }
        return now.addingTimeInterval(seconds)
    }

    func quantity(_ value: CaseJSON, field: String) throws -> Quantity {
        switch value {
        case .string(let text):
            do { return try Quantity(parsing: text) } catch { throw CaseError("\(field): \(error)") }
        case .int(let integer): return Quantity(integer)
        case .double(let number):
            do { return try Quantity(parsing: String(number)) } catch { throw CaseError("\(field): \(error)") }
        default: throw CaseError("\(field): \(value) is not a quantity")
        }
    }

    func quantities(_ value: CaseJSON, field: String) throws -> [String: Quantity]? {
        guard let fields = value.object else { return nil }
        var result: [String: Quantity] = [:]
        for (key, item) in fields { result[key] = try quantity(item, field: "\(field).\(key)") }
        return result
    }

    func labels(_ value: CaseJSON) -> [String: String]? {
        guard let fields = value.object else { return nil }
        return fields.compactMapValues(\.string)
    }

    // MARK: pods

    func pod(_ json: CaseJSON) throws -> Pod {
        var meta = ObjectMeta(name: json["name"].string, namespace: json["namespace"].string, labels: labels(json["labels"]))
        if let deletion = try time(json["deletionTimestamp"]) {
            meta.deletionTimestamp = KubeTime(deletion)
        } else if let absolute = json["deletionTimestampAbsolute"].string {
            do { meta.deletionTimestamp = try KubeTime(parsing: absolute) } catch { throw CaseError("deletionTimestampAbsolute: \(error)") }
        }
        func container(_ item: CaseJSON, field: String) throws -> Container {
            let requests = try quantities(item["requests"], field: field + ".requests")
            return Container(
                name: item["name"].string ?? "", resources: ResourceRequirements(requests: requests),
                restartPolicy: item["restartPolicy"].string)
        }
        let containers = try (json["containers"].array ?? []).enumerated().map { try container($1, field: "containers[\($0)]") }
        let initContainers = try json["initContainers"].array.map { list in
            try list.enumerated().map { try container($1, field: "initContainers[\($0)]") }
        }
        var spec = PodSpec(containers: containers, initContainers: initContainers)
        spec.overhead = try quantities(json["overhead"], field: "overhead")
        if let podLevel = try quantities(json["podLevelRequests"], field: "podLevelRequests") {
            spec.resources = ResourceRequirements(requests: podLevel)
        }
        var status = PodStatus()
        if let phase = json["phase"].string {
            guard let parsed = PodPhase(rawValue: phase) else { throw CaseError("pod phase \(phase) unknown") }
            status.phase = parsed
        }
        if let ready = json["ready"].string {
            guard let readyStatus = ConditionStatus(rawValue: ready) else { throw CaseError("ready \(ready) unknown") }
            let transition = try time(json["readyLastTransitionTime"], zeroFlag: json["readyLastTransitionTimeIsGoZeroTime"])
            status.conditions = [PodCondition(type: "Ready", status: readyStatus, lastTransitionTime: transition.map(KubeTime.init))]
        }
        if let start = try time(json["startTime"], zeroFlag: json["startTimeIsGoZeroTime"]) { status.startTime = KubeTime(start) }
        return Pod(metadata: meta, spec: spec, status: status)
    }

    func pods(_ json: CaseJSON) throws -> [Pod] { try (json.array ?? []).map(pod) }

    // MARK: metrics

    func podMetrics(_ json: CaseJSON) throws -> PodMetrics {
        let timestamp = try time(json["timestampSeconds"], zeroFlag: json["timestampIsGoZeroTime"]) ?? GoTime.zero
        let containers = try (json["containers"].array ?? []).map { item in
            ContainerMetrics(name: item["name"].string ?? "", usage: try quantities(item["usage"], field: "usage") ?? [:])
        }
        return PodMetrics(
            metadata: ObjectMeta(name: json["pod"].string, namespace: json["namespace"].string, labels: labels(json["labels"])),
            timestamp: KubeTime(timestamp), window: GoDuration(seconds: json["windowSeconds"].double ?? 0), containers: containers)
    }

    /// `valueMilli` wins over `value` when both are given (it is exact by construction).
    func metricQuantity(_ json: CaseJSON) throws -> Quantity {
        if let milli = json["valueMilli"].int64 { return Quantity.milli(milli) }
        return try quantity(json["value"], field: "value")
    }
}
