#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// Runs one controller-suite case through `HPADecider.decide` (several passes where asked).
struct ControllerConformance {
    let fixtures = CaseFixtures()

    func run(_ json: CaseJSON) throws {
        let scenario = try scenario(json)
        let expect = json["expect"]
        let passes = Int(expect["minReconciliations"].int64 ?? 1)
        let decisions = scenario.run(passes: passes)
        guard let first = decisions.first else { throw CaseError("no reconcile ran") }
        try check(expect, first: first, all: decisions, settings: scenario.settings, hpa: scenario.hpa)
    }

    func settings(_ config: CaseJSON) throws -> ControllerSettings {
        var settings = ControllerSettings()
        if let value = config["tolerance"].double { settings.tolerance = value }
        if let value = config["downscaleStabilizationWindowSeconds"].double { settings.downscaleStabilizationWindowSeconds = value }
        if let value = config["cpuInitializationPeriodSeconds"].double { settings.cpuInitializationPeriodSeconds = value }
        if let value = config["delayOfInitialReadinessStatusSeconds"].double { settings.initialReadinessDelaySeconds = value }
        if let value = config["scaleUpLimitFactor"].double { settings.scaleUpLimitFactor = value }
        if let value = config["scaleUpLimitMinimum"].double { settings.scaleUpLimitMinimum = value }
        if let value = config["resyncPeriodSeconds"].double { settings.syncPeriodSeconds = value }
        // Gates a case does not list: HPAScaleToZero off (the production default too).
        for (name, value) in config["featureGates"].object ?? [:] {
            guard let enabled = value.bool, settings.featureGates.set(name, enabled) else {
                throw CaseError("controllerConfig.featureGates.\(name): unknown gate or not a bool")
            }
        }
        return settings
    }

    /// The HPA object; `status.lastScaleTime` is a relative time in the cases.
    func hpa(_ json: CaseJSON) throws -> HorizontalPodAutoscaler {
        var stripped = json
        var lastScale: Date?
        if case .object(var fields) = json, case .object(var status)? = fields["status"] {
            lastScale = try fixtures.time(status["lastScaleTime"] ?? .null)
            status["lastScaleTime"] = nil
            if case .array(let conditions)? = status["conditions"] {
                status["conditions"] = .array(conditions.map { condition in
                    guard case .object(var entry) = condition else { return condition }
                    entry["lastTransitionTime"] = nil
                    return .object(entry)
                })
            }
            fields["status"] = .object(status)
            stripped = .object(fields)
        }
        var hpa = try stripped.decode(HorizontalPodAutoscaler.self, field: "hpa")
        if let lastScale { hpa.status?.lastScaleTime = KubeTime(lastScale) }
        return hpa
    }

    func scenario(_ json: CaseJSON) throws -> ReconcileScenario {
        let settings = try settings(json["controllerConfig"])
        let hpa = try hpa(json["hpa"])
        let faults = json["faults"]
        let target = json["scaleTarget"]
        var scale: Result<TargetScale, ScaleReadFailureError> = .success(TargetScale(
            specReplicas: try int32(target["specReplicas"], "scaleTarget.specReplicas"),
            statusReplicas: try int32(target["statusReplicas"], "scaleTarget.statusReplicas"),
            selector: target["selector"].string ?? ""))
        // A fault applies to the resource it names (the target's kind, lower-case plural).
        let targetResource = hpa.spec.scaleTargetRef.kind.lowercased() + "s"
        func applies(_ fault: CaseJSON) -> Bool { (fault["resource"].string ?? targetResource) == targetResource }
        let override = faults["scaleGetOverride"]["scale"]
        if override.exists && applies(faults["scaleGetOverride"]) {
            scale = .success(TargetScale(
                specReplicas: try int32(override["specReplicas"], "faults.scaleGetOverride.scale.specReplicas"),
                statusReplicas: try int32(override["statusReplicas"], "faults.scaleGetOverride.scale.statusReplicas"),
                selector: override["selector"].string ?? ""))
        }
        if let error = faults["scaleGet"]["error"].string, applies(faults["scaleGet"]) { scale = .failure(ScaleReadFailureError(.get(error))) }

        var scenario = ReconcileScenario(
            settings: settings, hpa: hpa, scale: scale, pods: try fixtures.pods(json["pods"]), podMetrics: nil,
            memory: try memory(json["history"]), registry: registry(json["history"]),
            scaleUpdateError: applies(faults["scaleUpdate"]) ? faults["scaleUpdate"]["error"].string : nil, now: fixtures.now)

        switch json["podMetrics"] {
        case .array(let items): scenario.podMetrics = .success(try items.map(fixtures.podMetrics))
        case .object: scenario.podMetrics = .failure(CaseError(json["podMetrics"]["error"].string ?? "error"))
        default: break
        }
        if let text = faultText(faults["resourceMetricsList"]) { scenario.podMetrics = .failure(CaseError(text)) }

        switch json["customMetrics"] {
        case .array(let items):
            for item in items {
                let name = item["metricName"].string ?? ""
                let kind = item["kind"].string ?? ""
                let values = try (item["items"].array ?? []).map { value in
                    let described = kind == "objectMetric" ? item["describedObject"] : value["describedObject"]
                    return MetricValue(
                        describedObject: ObjectReference(
                            kind: described["kind"].string, namespace: described["namespace"].string, name: described["name"].string,
                            apiVersion: described["apiVersion"].string),
                        metric: MetricIdentifier(name: name),
                        timestamp: KubeTime(try fixtures.time(value["timestampSeconds"]) ?? fixtures.now),
                        windowSeconds: value["windowSeconds"].int64, value: try fixtures.metricQuantity(value))
                }
                switch kind {
                case "podsMetric": scenario.podsCustomMetrics[name, default: []] += values
                case "objectMetric": scenario.objectCustomMetrics[name, default: []] += values
                default: throw CaseError("customMetrics kind \(kind) unknown")
                }
            }
        case .object: scenario.customMetricsError = json["customMetrics"]["error"].string ?? "error"
        default: break
        }
        if let text = faultText(faults["customMetricsGet"]) { scenario.customMetricsError = text }

        switch json["externalMetrics"] {
        case .array(let items):
            for item in items {
                let name = item["metricName"].string ?? ""
                scenario.externalMetrics[name, default: []] += try (item["items"].array ?? []).map { value in
                    ExternalMetricValue(
                        metricName: name, metricLabels: fixtures.labels(value["labels"]),
                        timestamp: KubeTime(try fixtures.time(value["timestampSeconds"]) ?? fixtures.now),
                        value: try fixtures.metricQuantity(value))
                }
            }
        case .object: scenario.externalMetricsError = json["externalMetrics"]["error"].string ?? "error"
        default: break
        }
        if let text = faultText(faults["externalMetricsList"]) { scenario.externalMetricsError = text }
        return scenario
    }

    /// `"error: something went wrong"` → `something went wrong`.
    func faultText(_ json: CaseJSON) -> String? {
        guard let text = json.string ?? json["error"].string else { return nil }
        return text.hasPrefix("error: ") ? String(text.dropFirst("error: ".count)) : text
    }

    func memory(_ history: CaseJSON) throws -> ControllerMemory {
        let recommendations: [TimestampedRecommendation]? = try history["recommendations"].array.map { list in
            try list.map { item in
                TimestampedRecommendation(
                    replicas: try int32(item["replicas"], "history.recommendations[].replicas"),
                    timestamp: try fixtures.time(item["timestampSeconds"]) ?? fixtures.now)
            }
        }
        func events(_ json: CaseJSON) throws -> [ScaleChangeEvent] {
            try (json.array ?? []).map { item in
                ScaleChangeEvent(
                    replicaChange: try int32(item["replicaChange"], "history events[].replicaChange"),
                    timestamp: try fixtures.time(item["timestampSeconds"]) ?? fixtures.now, outdated: item["outdated"].bool ?? false)
            }
        }
        return ControllerMemory(
            recommendations: recommendations, scaleUpEvents: try events(history["scaleUpEvents"]),
            scaleDownEvents: try events(history["scaleDownEvents"]))
    }

    func registry(_ history: CaseJSON) -> SelectorRegistryView {
        var others: [String: String?] = [:]
        for (key, value) in history["hpaSelectors"].object ?? [:] { others[key] = value.string }
        return SelectorRegistryView(isRegistered: true, others: others)
    }

    func check(_ expect: CaseJSON, first: Decision, all: [Decision], settings: ControllerSettings, hpa: HorizontalPodAutoscaler) throws {
        let desired = try int32(expect["desiredReplicas"], "expect.desiredReplicas")
        for (index, decision) in all.enumerated() {
            try expectEqual("expect.desiredReplicas (pass \(index + 1))", desired, decision.status.desiredReplicas)
        }
        if let updated = expect["scaleUpdated"].bool {
            let actual = first.rescale && first.reconciliationLabels.action != .none
            try expectEqual("expect.scaleUpdated", updated, actual)
            if updated, expect["scaleUpdateReplicas"].exists {
                try expectEqual("expect.scaleUpdateReplicas", try int32(expect["scaleUpdateReplicas"], "expect.scaleUpdateReplicas"), first.desiredReplicas)
            }
        }
        if let attempts = expect["scaleUpdateAttempts"].array, let last = attempts.last {
            try expectEqual("expect.scaleUpdateAttempts[].replicas", try int32(last["replicas"], "scaleUpdateAttempts[].replicas"), first.desiredReplicas)
        }
        if let statusUpdated = expect["statusUpdated"].bool { try expectEqual("expect.statusUpdated", statusUpdated, first.statusChanged) }
        if expect["conditions"].exists { try DecisionChecks.conditions(expect["conditions"], first, field: "expect.conditions") }
        if expect["reportedCPUUtilization"].exists {
            try expectEqual("expect.reportedCPUUtilization", try int32(expect["reportedCPUUtilization"], "expect.reportedCPUUtilization"),
                            DecisionChecks.reportedCPUUtilization(first))
        }
        try DecisionChecks.labels(expect["monitor"]["reconciliation"], first.reconciliationLabels, field: "expect.monitor.reconciliation")
        if expect["minReconciliations"].exists {
            for (type, labels) in expect["monitor"]["metricComputation"].object ?? [:] {
                guard let proposal = first.proposals.first(where: { $0.metricType == type }) else {
                    throw Mismatch(field: "expect.monitor.metricComputation.\(type)", expected: "a computation", actual: "none")
                }
                try DecisionChecks.labels(labels, proposal.labels, field: "expect.monitor.metricComputation.\(type)")
            }
            if let atLeast = expect["reconciliationsTotalAtLeast"].int64, Int64(all.count) < atLeast {
                throw Mismatch(field: "expect.reconciliationsTotalAtLeast", expected: "\(atLeast)", actual: "\(all.count)")
            }
            for (type, bound) in expect["metricComputationTotalAtLeast"].object ?? [:] {
                let count = all.reduce(0) { $0 + $1.proposals.filter { $0.metricType == type }.count }
                if Int64(count) < (bound.int64 ?? 0) {
                    throw Mismatch(field: "expect.metricComputationTotalAtLeast.\(type)", expected: "\(bound)", actual: "\(count)")
                }
            }
        }
        if let interval = expect["rateLimiterIntervalSeconds"].object {
            if let before = interval["beforeReconcile"]?.double { try expectEqual("expect.rateLimiterIntervalSeconds.beforeReconcile", before, settings.syncPeriodSeconds) }
            if let after = interval["afterReconcile"]?.double { try expectEqual("expect.rateLimiterIntervalSeconds.afterReconcile", after, first.requeueAfterSeconds) }
        }
        if expect["eventsVerified"].bool == true { try checkEvents(expect, first) }
    }

    func checkEvents(_ expect: CaseJSON, _ decision: Decision) throws {
        let allowed: Set<String> = ["SuccessfulRescale", "DesiredReplicasComputed"]
        if let unexpected = decision.events.first(where: { !allowed.contains($0.reason) }) {
            throw Mismatch(field: "expect.eventReasons", expected: "only SuccessfulRescale", actual: "\(unexpected.reason): \(unexpected.message)")
        }
        let rescaleEvents = decision.events.filter { $0.reason == "SuccessfulRescale" }
        if let created = expect["eventCreated"].bool { try expectEqual("expect.eventCreated", created, !rescaleEvents.isEmpty) }
        for entry in expect["eventReasons"].array ?? [] where entry["verified"].bool != false {
            let reason = entry["reason"].string ?? ""
            guard let event = decision.events.first(where: { $0.reason == reason }) else {
                throw Mismatch(field: "expect.eventReasons[\(reason)]", expected: "emitted", actual: "absent")
            }
            if let type = entry["type"].string { try expectEqual("expect.eventReasons[\(reason)].type", type, event.type.rawValue) }
            if let message = entry["message"].string { try expectEqual("expect.eventReasons[\(reason)].message", message, event.message) }
        }
    }
}
