#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPServer
import KubeAPI

/// Server-side printing (`meta.k8s.io/v1` `Table`), which kubectl asks for in `get`: the columns
/// kubectl shows for HPAs, Deployments, Pods, ... instead of only NAME and AGE.
enum Tables {
    static func wanted(_ request: HTTPRequest) -> Bool {
        (request.headers["Accept"] ?? "").contains("as=Table")
    }

    private static func column(_ name: String, _ type: String = "string", format: String = "", priority: Int64 = 0) -> JSON {
        .object(["name": .string(name), "type": .string(type), "format": .string(format), "description": .string(name), "priority": .integer(priority)])
    }

    static func columns(_ resource: ResourceType) -> [JSON] {
        let name = column("Name", format: "name")
        let age = column("Age")
        switch resource.kind {
        case "HorizontalPodAutoscaler":
            return [name, column("Reference"), column("Targets"), column("MinPods", "integer"), column("MaxPods", "integer"),
                    column("Replicas", "integer"), age]
        case "Deployment":
            return [name, column("Ready"), column("Up-to-date", "integer"), column("Available", "integer"), age]
        case "StatefulSet":
            return [name, column("Ready"), age]
        case "ReplicaSet", "ReplicationController", "WorkerPool":
            return [name, column("Desired", "integer"), column("Current", "integer"), column("Ready", "integer"), age]
        case "Pod":
            return [name, column("Ready"), column("Status"), column("Restarts"), age]
        case "Event":
            return [column("Last Seen"), column("Type"), column("Reason"), column("Object"), column("Message"), column("Name", format: "name", priority: 1)]
        case "Lease":
            return [name, column("Holder"), age]
        default:
            return [name, age]
        }
    }

    static func cells(_ resource: ResourceType, _ object: JSON, now: Date) -> [JSON] {
        let name = JSON.string(object.value(at: ["metadata", "name"])?.stringValue ?? "")
        let age = JSON.string(humanAge(object.value(at: ["metadata", "creationTimestamp"])?.stringValue, now: now))
        func int(_ path: [String]) -> Int64 { object.value(at: path)?.int64Value ?? 0 }
        switch resource.kind {
        case "HorizontalPodAutoscaler":
            let reference = "\(object.value(at: ["spec", "scaleTargetRef", "kind"])?.stringValue ?? "")/\(object.value(at: ["spec", "scaleTargetRef", "name"])?.stringValue ?? "")"
            return [name, .string(reference), .string(hpaTargets(object)), .integer(object.value(at: ["spec", "minReplicas"])?.int64Value ?? 1),
                    .integer(int(["spec", "maxReplicas"])), .integer(int(["status", "currentReplicas"])), age]
        case "Deployment":
            return [name, .string("\(int(["status", "readyReplicas"]))/\(int(["spec", "replicas"]))"),
                    .integer(int(["status", "updatedReplicas"])), .integer(int(["status", "availableReplicas"])), age]
        case "StatefulSet":
            return [name, .string("\(int(["status", "readyReplicas"]))/\(int(["spec", "replicas"]))"), age]
        case "ReplicaSet", "ReplicationController", "WorkerPool":
            return [name, .integer(int(["spec", "replicas"])), .integer(int(["status", "replicas"])), .integer(int(["status", "readyReplicas"])), age]
        case "Pod":
            var ready = 0, total = 0
            if case .array(let statuses)? = object.value(at: ["status", "containerStatuses"]) {
                total = statuses.count
                ready = statuses.filter { $0["ready"] == .bool(true) }.count
            } else if case .array(let containers)? = object.value(at: ["spec", "containers"]) {
                total = containers.count
            }
            return [name, .string("\(ready)/\(total)"), .string(object.value(at: ["status", "phase"])?.stringValue ?? "Unknown"), .string("0"), age]
        case "Event":
            let last = object["lastTimestamp"]?.stringValue ?? object.value(at: ["metadata", "creationTimestamp"])?.stringValue
            let involved = "\((object.value(at: ["involvedObject", "kind"])?.stringValue ?? "").lowercased())/\(object.value(at: ["involvedObject", "name"])?.stringValue ?? "")"
            return [.string(humanAge(last, now: now)), .string(object["type"]?.stringValue ?? ""), .string(object["reason"]?.stringValue ?? ""),
                    .string(involved), .string(object["message"]?.stringValue ?? ""), name]
        case "Lease":
            return [name, .string(object.value(at: ["spec", "holderIdentity"])?.stringValue ?? ""), age]
        default:
            return [name, age]
        }
    }

    /// `cpu: 45%/70%, http_requests: 10/1k`, as kubectl's HPA printer shows targets.
    static func hpaTargets(_ object: JSON) -> String {
        guard case .array(let specs)? = object.value(at: ["spec", "metrics"]) else { return "<none>" }
        var current: [JSON] = []
        if case .array(let list)? = object.value(at: ["status", "currentMetrics"]) { current = list }
        var parts: [String] = []
        for (index, spec) in specs.enumerated() {
            let type = spec["type"]?.stringValue ?? ""
            let key = type.prefix(1).lowercased() + type.dropFirst()
            let source = spec[key]
            let metricName = source?["name"]?.stringValue ?? source?.value(at: ["metric", "name"])?.stringValue ?? type
            let target = source?["target"]
            let status = index < current.count ? current[index][key]?["current"] : nil
            let wanted: String
            let actual: String
            if let utilization = target?["averageUtilization"]?.int64Value {
                wanted = "\(utilization)%"
                actual = status?["averageUtilization"]?.int64Value.map { "\($0)%" } ?? "<unknown>"
            } else if let average = target?["averageValue"]?.stringValue {
                wanted = average + (type == "External" || type == "Object" ? " (avg)" : "")
                actual = status?["averageValue"]?.stringValue ?? "<unknown>"
            } else {
                wanted = target?["value"]?.stringValue ?? "?"
                actual = status?["value"]?.stringValue ?? "<unknown>"
            }
            parts.append("\(metricName): \(actual)/\(wanted)")
        }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ", ")
    }

    /// Age like kubectl prints it: `45s`, `3m20s`, `17m`, `5h10m`, `2d3h`, `30d`, `1y20d`.
    static func humanAge(_ timestamp: String?, now: Date) -> String {
        guard let timestamp, let time = try? KubeTime(parsing: timestamp) else { return "<unknown>" }
        let seconds = Int(now.timeIntervalSince(time.date))
        if seconds < 0 { return "0s" }
        let minutes = seconds / 60, hours = seconds / 3600, days = hours / 24
        if seconds < 120 { return "\(seconds)s" }
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(days)d" : "\(days)d\(hours % 24)h" }
        if days < 365 * 2 { return "\(days)d" }
        return days % 365 == 0 ? "\(days / 365)y" : "\(days / 365)y\(days % 365)d"
    }

    static func row(_ resource: ResourceType, _ object: JSON, now: Date) -> JSON {
        var metadata = object["metadata"] ?? .object([:])
        metadata["managedFields"] = nil
        return .object(["cells": .array(cells(resource, object, now: now)),
                        "object": .object(["kind": .string("PartialObjectMetadata"), "apiVersion": .string("meta.k8s.io/v1"), "metadata": metadata])])
    }

    static func table(_ resource: ResourceType, _ objects: [JSON], resourceVersion: String, continueToken: String?, now: Date) -> JSON {
        var metadata: [String: JSON] = ["resourceVersion": .string(resourceVersion)]
        if let continueToken { metadata["continue"] = .string(continueToken) }
        return .object(["kind": .string("Table"), "apiVersion": .string("meta.k8s.io/v1"), "metadata": .object(metadata),
                        "columnDefinitions": .array(columns(resource)), "rows": .array(objects.map { row(resource, $0, now: now) })])
    }
}
