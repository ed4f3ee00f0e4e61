#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// Runs one behavior-suite case: `pure` cases through the normalizer functions, `integration`
/// cases through the decision function (see `IntegrationConformance`).
struct BehaviorConformance {
    let fixtures = CaseFixtures()

    func run(_ json: CaseJSON) throws {
        guard let kind = json["kind"].string else { throw CaseError("behavior case without kind") }
        guard let function = json["function"].string else { throw CaseError("behavior case without function") }
        switch (kind, function) {
        case ("integration", "reconcileAutoscaler"): try IntegrationConformance().run(json)
        case ("integration", _): throw CaseError("unknown integration function \(function)")
        case ("pure", _): try runPure(function, json)
        default: throw CaseError("unknown behavior kind \(kind)")
        }
    }

    func runPure(_ function: String, _ json: CaseJSON) throws {
        let expect = json["expect"]
        let now = fixtures.now
        switch function {
        case "convertDesiredReplicasWithRules":
            var settings = ControllerSettings()
            if let factor = json["controllerConfig"]["scaleUpLimitFactor"].double { settings.scaleUpLimitFactor = factor }
            if let minimum = json["controllerConfig"]["scaleUpLimitMinimum"].double { settings.scaleUpLimitMinimum = minimum }
            let result = Normalization.clampLegacy(
                currentReplicas: try int32(json["currentReplicas"], "currentReplicas"),
                desired: try int32(json["prenormalizedDesiredReplicas"], "prenormalizedDesiredReplicas"),
                minReplicas: try int32(json["minReplicas"], "minReplicas"), maxReplicas: try int32(json["maxReplicas"], "maxReplicas"),
                scaleUpLimitFactor: settings.scaleUpLimitFactor, scaleUpLimitMinimum: settings.scaleUpLimitMinimum)
            try expectEqual("expect.replicas", try int32(expect["replicas"], "expect.replicas"), result.replicas)
            try checkReason(expect, result.reason.rawValue)
        case "stabilizeRecommendation":
            var recommendations = try self.recommendations(json["recommendations"])
            let window = json["controllerConfig"]["downscaleStabilizationWindowSeconds"].double
                ?? ControllerSettings().downscaleStabilizationWindowSeconds
            let result = Normalization.stabilizeLegacy(
                recommendations: &recommendations, prenormalized: try int32(json["prenormalizedDesiredReplicas"], "prenormalizedDesiredReplicas"),
                windowSeconds: window, now: now)
            try expectEqual("expect.replicas", try int32(expect["replicas"], "expect.replicas"), result)
            if expect["recommendationsLogLength"].exists {
                try expectEqual("expect.recommendationsLogLength", try int64(expect["recommendationsLogLength"], "recommendationsLogLength"),
                                Int64(recommendations.count))
            }
        case "stabilizeRecommendationWithBehaviors":
            var recommendations = try self.recommendations(json["recommendations"])
            // The upstream test passes the windows as plain int32 arguments: unset means 0.
            let behavior = json["behavior"]
            let result = Normalization.stabilizeWithBehavior(
                recommendations: &recommendations, currentReplicas: try int32(json["currentReplicas"], "currentReplicas"),
                prenormalized: try int32(json["prenormalizedDesiredReplicas"], "prenormalizedDesiredReplicas"),
                scaleUpWindowSeconds: behavior["scaleUp"]["stabilizationWindowSeconds"].int32 ?? 0,
                scaleDownWindowSeconds: behavior["scaleDown"]["stabilizationWindowSeconds"].int32 ?? 0, now: now)
            try expectEqual("expect.replicas", try int32(expect["replicas"], "expect.replicas"), result.replicas)
            if let after = expect["recommendationsAfter"].array {
                try expectEqual("expect.recommendationsAfter", try after.map { try int32($0, "recommendationsAfter[]") }, recommendations.map(\.replicas))
            }
            if let reason = expect["condition"]["reason"].string { try expectEqual("expect.condition.reason", reason, result.reason.rawValue) }
        case "convertDesiredReplicasWithBehaviorRate":
            let behavior = try resolvedBehavior(json["behavior"]) ?? ResolvedBehavior(HorizontalPodAutoscalerBehavior(), downscaleStabilizationWindowSeconds: 300)
            let result = Normalization.clampWithBehavior(
                currentReplicas: try int32(json["currentReplicas"], "currentReplicas"),
                desired: try int32(json["prenormalizedDesiredReplicas"], "prenormalizedDesiredReplicas"),
                minReplicas: try int32(json["minReplicas"], "minReplicas"), maxReplicas: try int32(json["maxReplicas"], "maxReplicas"),
                behavior: behavior, scaleUpEvents: try events(json["scaleUpEvents"]), scaleDownEvents: try events(json["scaleDownEvents"]),
                now: now)
            try expectEqual("expect.replicas", try int32(expect["replicas"], "expect.replicas"), result.replicas)
            try checkReason(expect, result.reason.rawValue)
        case "calculateScaleUpLimitWithScalingRules", "calculateScaleDownLimitWithBehaviors":
            let up = function == "calculateScaleUpLimitWithScalingRules"
            let rules = ResolvedScalingRules(
                try json["scalingRules"].decode(HPAScalingRules?.self, field: "scalingRules"), direction: up ? .up : .down,
                downscaleStabilizationWindowSeconds: 300)
            let current = try int32(json["currentReplicas"], "currentReplicas")
            let upEvents = try events(json["scaleUpEvents"])
            let downEvents = try events(json["scaleDownEvents"])
            let limit = up
                ? Normalization.scaleUpLimit(currentReplicas: current, scaleUpEvents: upEvents, scaleDownEvents: downEvents, rules: rules, now: now)
                : Normalization.scaleDownLimit(currentReplicas: current, scaleUpEvents: upEvents, scaleDownEvents: downEvents, rules: rules, now: now)
            try expectEqual("expect.limit", try int32(expect["limit"], "expect.limit"), limit)
        case "storeScaleEvent":
            try runStoreScaleEvent(json)
        default:
            throw CaseError("unknown behavior function \(function)")
        }
    }

    func runStoreScaleEvent(_ json: CaseJSON) throws {
        guard let direction = json["direction"].string, direction == "up" || direction == "down" else {
            throw CaseError("direction must be up or down")
        }
        let listKey = direction == "up" ? "scaleUpEvents" : "scaleDownEvents"
        var memory = ControllerMemory(recommendations: [], scaleUpEvents: try events(json["scaleUpEvents"]),
                                      scaleDownEvents: try events(json["scaleDownEvents"]))
        let before = direction == "up" ? memory.scaleUpEvents : memory.scaleDownEvents
        let expect = json["expect"]
        if expect["replicasChangePerPeriod60sBeforeStore"].exists {
            try expectEqual("expect.replicasChangePerPeriod60sBeforeStore",
                            try int32(expect["replicasChangePerPeriod60sBeforeStore"], "replicasChangePerPeriod60sBeforeStore"),
                            Normalization.replicasChangePerPeriod(periodSeconds: 60, events: before, now: fixtures.now))
        }
        Normalization.recordRescale(
            memory: &memory, behavior: try resolvedBehavior(json["behavior"]),
            previousReplicas: try int32(json["prevReplicas"], "prevReplicas"), newReplicas: try int32(json["newReplicas"], "newReplicas"),
            now: fixtures.now)
        let after = direction == "up" ? memory.scaleUpEvents : memory.scaleDownEvents
        guard let expected = expect["eventsAfter"].array else { throw CaseError("expect.eventsAfter missing") }
        try expectEqual("expect.eventsAfter.count (\(listKey))", expected.count, after.count)
        for (index, item) in expected.enumerated() {
            try expectEqual("expect.eventsAfter[\(index)].replicaChange", try int32(item["replicaChange"], "replicaChange"), after[index].replicaChange)
            try expectEqual("expect.eventsAfter[\(index)].outdated", item["outdated"].bool ?? false, after[index].outdated)
        }
    }

    func checkReason(_ expect: CaseJSON, _ actual: String) throws {
        if let reason = expect["condition"]["reason"].string { try expectEqual("expect.condition.reason", reason, actual) }
    }

    func resolvedBehavior(_ json: CaseJSON) throws -> ResolvedBehavior? {
        guard let behavior = try json.decode(HorizontalPodAutoscalerBehavior?.self, field: "behavior") else { return nil }
        return ResolvedBehavior(behavior, downscaleStabilizationWindowSeconds: 300)
    }

    func recommendations(_ json: CaseJSON) throws -> [TimestampedRecommendation] {
        try (json.array ?? []).map { item in
            TimestampedRecommendation(
                replicas: try int32(item["replicas"], "recommendations[].replicas"),
                timestamp: try fixtures.time(item["timestampSeconds"]) ?? fixtures.now)
        }
    }

    func events(_ json: CaseJSON) throws -> [ScaleChangeEvent] {
        try (json.array ?? []).map { item in
            ScaleChangeEvent(
                replicaChange: try int32(item["replicaChange"], "events[].replicaChange"),
                timestamp: try fixtures.time(item["timestampSeconds"]) ?? fixtures.now, outdated: item["outdated"].bool ?? false)
        }
    }
}

