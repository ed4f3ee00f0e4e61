#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

/// Runs one calculator-suite case through the real replica calculator and helpers.
struct CalculatorConformance {
    let fixtures = CaseFixtures()

    func run(_ json: CaseJSON) throws {
        guard let function = json["function"].string else { throw CaseError("calculator case without function") }
        switch function {
        case "GetResourceReplicas", "GetMetricReplicas", "GetObjectMetricReplicas", "GetObjectPerPodMetricReplicas",
            "GetExternalMetricReplicas", "GetExternalPerPodMetricReplicas":
            try runEntryPoint(function, json)
        case "groupPods": try runGroupPods(json)
        case "calculateRequests": try runCalculateRequests(json)
        case "calculatePodRequestsFromContainers": try runPodRequestsFromContainers(json)
        case "getPerPodUsage":
            let usage = try int64(json["input"]["usage"], "input.usage")
            let replicas = try int32(json["input"]["statusReplicas"], "input.statusReplicas")
            try expectEqual("expect.value", try int64(json["expect"]["value"], "expect.value"),
                            Saturating.perPodUsage(total: usage, replicas: replicas))
        case "ceilToInt32":
            guard let value = json["input"]["float64"].double else { throw CaseError("input.float64 is not a number") }
            try expectEqual("expect.value", try int32(json["expect"]["value"], "expect.value"), Saturating.ceilToInt32(value))
        default:
            throw CaseError("unknown calculator function \(function)")
        }
    }

    // MARK: entry points

    func tolerances(_ config: CaseJSON) -> Tolerances {
        let tolerance = config["tolerance"]
        if let both = tolerance.double { return Tolerances(both: both) }
        return Tolerances(scaleDown: tolerance["scaleDown"].double ?? 0.1, scaleUp: tolerance["scaleUp"].double ?? 0.1)
    }

    func settings(_ config: CaseJSON) -> ControllerSettings {
        var settings = ControllerSettings()
        if let value = config["cpuInitializationPeriodSeconds"].double { settings.cpuInitializationPeriodSeconds = value }
        if let value = config["delayOfInitialReadinessStatusSeconds"].double { settings.initialReadinessDelaySeconds = value }
        return settings
    }

    func runEntryPoint(_ function: String, _ json: CaseJSON) throws {
        let config = json["controllerConfig"]
        var settings = settings(config)
        if let gates = json["featureGates"].object ?? config["featureGates"].object {
            for (name, value) in gates where !settings.featureGates.set(name, value.bool ?? false) {
                throw CaseError("unknown feature gate \(name)")
            }
        }
        let calculator = ReplicaCalculator(settings: settings, tolerances: tolerances(config), now: fixtures.now)
        let current = try int32(json["currentReplicas"], "currentReplicas")
        let namespace = json["namespace"].string ?? "test-namespace"
        let spec = try json["metricSpec"].decode(MetricSpec.self, field: "metricSpec")

        // The fake pod lister: pods matching the selector.
        let selector: Selector
        do { selector = try decodeLabelSelector(json["selector"])?.selector() ?? .everything } catch {
            throw CaseError("selector: \(error)")
        }
        let pods = try fixtures.pods(json["pods"]).map(ScalingPod.init(pod:)).filter { selector.matches($0.labels) }
        let apiError = json["metricsApiError"].string

        let expect = json["expect"]
        do {
            switch function {
            case "GetResourceReplicas":
                let fetched = try apiError.map { MetricFetchResult.failed($0) } ?? podResources(json["podMetrics"])
                let resource = spec.resource?.name ?? spec.containerResource?.name ?? "cpu"
                let container = json["container"].string ?? spec.containerResource?.container
                let target = spec.resource?.target.averageUtilization ?? spec.containerResource?.target.averageUtilization ?? 0
                let result = try calculator.resourceUtilizationReplicas(
                    currentReplicas: current, targetUtilization: target, resource: resource, container: container,
                    pods: pods, fetched: fetched)
                try checkSuccess(expect)
                try expectEqual("expect.replicas", try int32(expect["replicas"], "expect.replicas"), result.replicas)
                try expectEqual("expect.utilization", try int32(expect["utilization"], "expect.utilization"), result.utilization)
                try expectEqual("expect.rawValue", try int64(expect["rawValue"], "expect.rawValue"), result.rawAverageMilli)
                try checkTimestamp(expect, result.timestamp)
            default:
                let fetched = try apiError.map { MetricFetchResult.failed($0) } ?? metricValues(function, json)
                let result = try metricEntryPoint(function, spec: spec, calculator: calculator, current: current,
                                                  namespace: namespace, pods: pods, fetched: fetched)
                try checkSuccess(expect)
                try expectEqual("expect.replicas", try int32(expect["replicas"], "expect.replicas"), result.replicas)
                try expectEqual("expect.usage", try int64(expect["usage"], "expect.usage"), result.usageMilli)
                try checkTimestamp(expect, result.timestamp)
            }
        } catch let error as ScalingError {
            guard expect["error"].bool == true else {
                throw Mismatch(field: "expect.error", expected: "false", actual: "error \"\(error.message)\"")
            }
            if let fragment = expect["errorContains"].string, !error.message.contains(fragment) {
                throw Mismatch(field: "expect.errorContains", expected: fragment, actual: error.message)
            }
        }
    }

    func metricEntryPoint(
        _ function: String, spec: MetricSpec, calculator: ReplicaCalculator, current: Int32, namespace: String,
        pods: [ScalingPod], fetched: MetricFetchResult
    ) throws -> ReplicaCalculator.UsageProposal {
        switch function {
        case "GetMetricReplicas":
            guard let pods0 = spec.pods else { throw CaseError("metricSpec.pods missing") }
            return try calculator.podsMetricReplicas(
                currentReplicas: current, targetUsageMilli: pods0.target.averageValue?.milliValue ?? 0,
                metricName: pods0.metric.name, pods: pods, fetched: fetched)
        case "GetObjectMetricReplicas", "GetObjectPerPodMetricReplicas":
            guard let object = spec.object else { throw CaseError("metricSpec.object missing") }
            if function == "GetObjectMetricReplicas" {
                return try calculator.objectValueReplicas(
                    currentReplicas: current, targetUsageMilli: object.target.value?.milliValue ?? 0, metricName: object.metric.name,
                    describedKind: object.describedObject.kind, describedName: object.describedObject.name, namespace: namespace,
                    pods: pods, fetched: fetched)
            }
            return try calculator.objectAverageValueReplicas(
                statusReplicas: current, targetAverageMilli: object.target.averageValue?.milliValue ?? 0,
                metricName: object.metric.name, describedKind: object.describedObject.kind,
                describedName: object.describedObject.name, namespace: namespace, fetched: fetched)
        default:
            guard let external = spec.external else { throw CaseError("metricSpec.external missing") }
            let selectorText = MetricDescriptions.goString(external.metric.selector)
            if function == "GetExternalMetricReplicas" {
                return try calculator.externalValueReplicas(
                    currentReplicas: current, targetUsageMilli: external.target.value?.milliValue ?? 0,
                    metricName: external.metric.name, namespace: namespace, selectorText: selectorText, pods: pods, fetched: fetched)
            }
            return try calculator.externalAverageValueReplicas(
                statusReplicas: current, targetAverageMilli: external.target.averageValue?.milliValue ?? 0,
                metricName: external.metric.name, namespace: namespace, selectorText: selectorText, fetched: fetched)
        }
    }

    func podResources(_ json: CaseJSON) throws -> MetricFetchResult {
        guard let items = json.array else { return .failed("no pod resource metrics specified in test client") }
        return .podResources(try items.map { PodResourceUsage(podMetrics: try fixtures.podMetrics($0)) })
    }

    func metricValues(_ function: String, _ json: CaseJSON) throws -> MetricFetchResult {
        if function.hasPrefix("GetExternal") {
            guard let items = json["externalMetrics"].array else { return .failed("no external metrics specified in test client") }
            return .external(try items.map { item in
                let timestamp = try fixtures.time(item["timestampSeconds"], zeroFlag: item["timestampIsGoZeroTime"]) ?? GoTime.zero
                let value = ExternalMetricValue(
                    metricName: item["metricName"].string ?? "", metricLabels: fixtures.labels(item["labels"]),
                    timestamp: KubeTime(timestamp), value: try fixtures.metricQuantity(item))
                return MetricSample(externalMetricValue: value)
            })
        }
        guard let items = json["customMetrics"].array else { return .failed("no custom metrics specified in test client") }
        return .custom(try items.map { item in
            let timestamp = try fixtures.time(item["timestampSeconds"], zeroFlag: item["timestampIsGoZeroTime"]) ?? GoTime.zero
            let described = item["describedObject"]
            let value = MetricValue(
                describedObject: ObjectReference(
                    kind: described["kind"].string, namespace: described["namespace"].string, name: described["name"].string,
                    apiVersion: described["apiVersion"].string),
                metric: MetricIdentifier(name: item["metricName"].string ?? ""), timestamp: KubeTime(timestamp),
                windowSeconds: item["windowSeconds"].int64, value: try fixtures.metricQuantity(item))
            return MetricSample(metricValue: value)
        })
    }

    func checkSuccess(_ expect: CaseJSON) throws {
        if expect["error"].bool == true {
            throw Mismatch(field: "expect.error", expected: "error containing \"\(expect["errorContains"].string ?? "")\"", actual: "success")
        }
    }

    func checkTimestamp(_ expect: CaseJSON, _ actual: Date) throws {
        if expect["timestamp"].isNull { return }
        let expected = try fixtures.time(expect["timestamp"], zeroFlag: expect["timestampIsGoZeroTime"])
        try expectEqual("expect.timestamp", expected, actual)
    }

    // MARK: helpers

    func runGroupPods(_ json: CaseJSON) throws {
        let config = json["controllerConfig"]
        let settings = settings(config)
        let pods = try fixtures.pods(json["pods"]).map(ScalingPod.init(pod:))
        var metrics: PodMetricsByName = [:]
        for (name, info) in json["podMetricsInfo"].object ?? [:] {
            let timestamp = try fixtures.time(info["timestampSeconds"], zeroFlag: info["timestampIsGoZeroTime"]) ?? GoTime.zero
            metrics[name] = PodMetricSample(
                valueMilli: info["value"].int64 ?? 0, timestamp: timestamp, windowSeconds: info["windowSeconds"].double ?? 0)
        }
        let groups = PodGrouping.group(
            pods: pods, metrics: metrics, resource: json["resource"].string ?? "",
            cpuInitializationPeriodSeconds: settings.cpuInitializationPeriodSeconds,
            initialReadinessDelaySeconds: settings.initialReadinessDelaySeconds, now: fixtures.now)
        let expect = json["expect"]
        try expectEqual("expect.readyPodCount", try int64(expect["readyPodCount"], "expect.readyPodCount"), Int64(groups.readyPodCount))
        try expectEqual("expect.unreadyPods", names(expect["unreadyPods"]), groups.unready)
        try expectEqual("expect.missingPods", names(expect["missingPods"]), groups.missing)
        try expectEqual("expect.ignoredPods", names(expect["ignoredPods"]), groups.ignored)
    }

    func runCalculateRequests(_ json: CaseJSON) throws {
        let pods = try fixtures.pods(json["pods"]).map(ScalingPod.init(pod:))
        let podLevel = json["featureGates"]["PodLevelResources"].bool ?? FeatureGates().podLevelResources
        let expect = json["expect"]
        do {
            let requests = try PodRequests.calculate(
                pods: pods, container: json["container"].string, resource: json["resource"].string ?? "cpu", podLevelResources: podLevel)
            if expect["error"].bool == true || expect["requestsIsNil"].bool == true {
                throw Mismatch(field: "expect.error", expected: expect["errorEquals"].string ?? "nil result", actual: "\(requests)")
            }
            var expected: [String: Int64] = [:]
            for (name, value) in expect["requestsMilli"].object ?? [:] { expected[name] = try int64(value, "expect.requestsMilli.\(name)") }
            try expectEqual("expect.requestsMilli", expected, requests)
        } catch let error as ScalingError {
            guard expect["error"].bool == true else { throw Mismatch(field: "expect.error", expected: "false", actual: error.message) }
            if let exact = expect["errorEquals"].string { try expectEqual("expect.errorEquals", exact, error.message) }
        }
    }

    func runPodRequestsFromContainers(_ json: CaseJSON) throws {
        guard let first = try fixtures.pods(json["pods"]).first else { throw CaseError("pods is empty") }
        let pod = ScalingPod(pod: first)
        let expect = json["expect"]
        do {
            let request = try PodRequests.fromContainers(pod: pod, container: json["container"].string, resource: json["resource"].string ?? "cpu")
            if expect["error"].bool == true { throw Mismatch(field: "expect.error", expected: "true", actual: "\(request)") }
            try expectEqual("expect.requestMilli", try int64(expect["requestMilli"], "expect.requestMilli"), request)
        } catch let error as ScalingError {
            guard expect["error"].bool == true else { throw Mismatch(field: "expect.error", expected: "false", actual: error.message) }
            if let exact = expect["errorEquals"].string { try expectEqual("expect.errorEquals", exact, error.message) }
        }
    }

    func names(_ json: CaseJSON) -> Set<String> { Set((json.array ?? []).compactMap(\.string)) }
}

func int64(_ json: CaseJSON, _ field: String) throws -> Int64 {
    guard let value = json.int64 else { throw CaseError("\(field) is not an integer: \(json)") }
    return value
}

func int32(_ json: CaseJSON, _ field: String) throws -> Int32 {
    guard let value = json.int32 else { throw CaseError("\(field) is not an Int32: \(json)") }
    return value
}

func decodeLabelSelector(_ json: CaseJSON) throws -> LabelSelector? {
    if json.isNull { return nil }
    return try json.decode(LabelSelector.self, field: "selector")
}
