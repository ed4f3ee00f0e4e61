import Foundation
import Testing
@testable import KubeAPI

/// The wire types of kubernetes-wire.md, one fixture each (Fixtures/), decoded into the typed
/// model and re-encoded through `Preserved` without losing a field.
enum WireFixture: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case hpa = "hpa.json", hpaUnknownFields = "hpa-unknown-fields.json", hpaList = "hpa-list.json"
    case scale = "scale.json", podMetricsList = "pod-metrics-list.json"
    case customMetricsV1beta2 = "custom-metrics-v1beta2.json", customMetricsV1beta1 = "custom-metrics-v1beta1.json"
    case externalMetrics = "external-metrics.json", status404 = "status-404.json", status409 = "status-409.json"
    case status422 = "status-422.json", lease = "lease.json", event = "event.json", pod = "pod.json"

    var testDescription: String { rawValue }

    var text: String {
        get throws { try fixtureText(rawValue) }
    }

    /// Decodes `data` as this fixture's type wrapped in `Preserved` and returns the re-encoded tree.
    func roundTrip(_ data: Data) throws -> JSONValue {
        func through<T: Codable & Sendable>(_ type: T.Type) throws -> JSONValue {
            try jsonTree(of: JSONDecoder().decodeKube(Preserved<T>.self, from: data))
        }
        switch self {
        case .hpa, .hpaUnknownFields: return try through(HorizontalPodAutoscaler.self)
        case .hpaList: return try through(ObjectList<HorizontalPodAutoscaler>.self)
        case .scale: return try through(Scale.self)
        case .podMetricsList: return try through(PodMetricsList.self)
        case .customMetricsV1beta2, .customMetricsV1beta1: return try through(MetricValueList.self)
        case .externalMetrics: return try through(ExternalMetricValueList.self)
        case .status404, .status409, .status422: return try through(Status.self)
        case .lease: return try through(Lease.self)
        case .event: return try through(Event.self)
        case .pod: return try through(Pod.self)
        }
    }

    /// Decodes `data` as this fixture's plain typed value (no `Preserved`).
    func decodeTyped(_ data: Data) throws {
        let decoder = JSONDecoder()
        switch self {
        case .hpa, .hpaUnknownFields: _ = try decoder.decodeKube(HorizontalPodAutoscaler.self, from: data)
        case .hpaList: _ = try decoder.decodeKube(ObjectList<HorizontalPodAutoscaler>.self, from: data)
        case .scale: _ = try decoder.decodeKube(Scale.self, from: data)
        case .podMetricsList: _ = try decoder.decodeKube(PodMetricsList.self, from: data)
        case .customMetricsV1beta2, .customMetricsV1beta1: _ = try decoder.decodeKube(MetricValueList.self, from: data)
        case .externalMetrics: _ = try decoder.decodeKube(ExternalMetricValueList.self, from: data)
        case .status404, .status409, .status422: _ = try decoder.decodeKube(Status.self, from: data)
        case .lease: _ = try decoder.decodeKube(Lease.self, from: data)
        case .event: _ = try decoder.decodeKube(Event.self, from: data)
        case .pod: _ = try decoder.decodeKube(Pod.self, from: data)
        }
    }
}

func fixtureText(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    return try String(contentsOf: url, encoding: .utf8)
}

/// Paths (`a.b[0].c`) where `original` has something `encoded` lacks or holds differently.
func lostFields(_ original: JSONValue, in encoded: JSONValue, path: String = "") -> [String] {
    switch (original, encoded) {
    case (.object(let a), .object(let b)):
        return a.keys.sorted().flatMap { key -> [String] in
            let child = path.isEmpty ? key : "\(path).\(key)"
            guard let other = b[key] else { return [child] }
            return lostFields(a[key] ?? .null, in: other, path: child)
        }
    case (.array(let a), .array(let b)) where a.count == b.count:
        return zip(a, b).enumerated().flatMap { lostFields($1.0, in: $1.1, path: "\(path)[\($0)]") }
    default:
        return original == encoded ? [] : [path]
    }
}

@Suite struct RoundTripTests {
    @Test("Decode and re-encode through Preserved without losing a field", arguments: WireFixture.allCases)
    func roundTrip(fixture: WireFixture) throws {
        let text = try fixture.text
        let original = try jsonTree(text)
        try fixture.decodeTyped(Data(text.utf8))
        let encoded = try fixture.roundTrip(Data(text.utf8))
        #expect(lostFields(original, in: encoded) == [])
        if fixture == .customMetricsV1beta1 {
            // The typed model writes v1beta2's `metric`; v1beta1's fields stay as they were.
            #expect(encoded["items"].flatMap { if case .array(let items) = $0 { items.first?["metric"] } else { nil } } != nil)
        } else {
            #expect(encoded == original)
        }
    }

    @Test("The HPA example decodes into the typed model with all five metric types")
    func hpaTypedValues() throws {
        let hpa = try decodeJSON(WireFixture.hpa.text, as: HorizontalPodAutoscaler.self)
        let metrics = try #require(hpa.spec.metrics)
        #expect(metrics.map(\.sourceType) == [.resource, .containerResource, .pods, .object, .external])
        #expect(metrics[0].resource?.target.averageUtilization == 50)
        #expect(metrics[1].containerResource?.target.averageValue == (try Quantity(parsing: "500Mi")))
        #expect(metrics[1].containerResource?.container == "app")
        #expect(try metrics[2].pods?.metric.selector?.selector().description == "verb=GET")
        #expect(metrics[3].object?.describedObject.kind == "Ingress")
        #expect(metrics[3].object?.target.value?.milliValue == 10_000_000)
        #expect(metrics[4].external?.target.averageValue?.value == 30)
        #expect(hpa.spec.behavior?.scaleDown?.select == .max)
        #expect(hpa.spec.behavior?.scaleDown?.policies?.first?.policyType == .percent)
        #expect(hpa.spec.behavior?.scaleUp == nil)
        let status = try #require(hpa.status)
        #expect(status.observedGeneration == 2)
        #expect(status.lastScaleTime?.description == "2026-01-01T00:10:00Z")
        #expect(status.currentMetrics?.first?.resource?.current.averageValue == Quantity.milli(370))
        #expect(status.conditions?.map(\.type) == ["AbleToScale", "ScalingActive", "ScalingLimited"])
        #expect(status.conditions?.last?.status == .false)
        let future = try decodeJSON(WireFixture.hpaUnknownFields.text, as: HorizontalPodAutoscaler.self)
        #expect(future.spec.behavior?.scaleUp?.tolerance?.approximateDouble == 0.05)
        #expect(future.spec.behavior?.scaleDown?.tolerance?.approximateDouble == 0.1)
        #expect(future.spec.behavior?.scaleDown?.select == .disabled)
        #expect(try future.spec.metrics?[1].external?.metric.selector?.selector().description == "!canary,queue in (a,b)")
    }

    @Test("A status update keeps unknown fields and clears what the controller clears")
    func statusUpdate() throws {
        var preserved = try decodeJSON(WireFixture.hpaUnknownFields.text, as: Preserved<HorizontalPodAutoscaler>.self)
        let time = try KubeTime(parsing: "2026-01-01T00:20:00Z")
        preserved.value.status = HorizontalPodAutoscalerStatus(
            observedGeneration: nil, lastScaleTime: time, currentReplicas: 4, desiredReplicas: 5, currentMetrics: [],
            conditions: [HorizontalPodAutoscalerCondition(type: "AbleToScale", status: .false, lastTransitionTime: time,
                                                          reason: "FailedGetScale"),
                         HorizontalPodAutoscalerCondition(type: "ScalingActive", status: .true, lastTransitionTime: time,
                                                          reason: "ValidMetricFound", message: "fine")])
        preserved.value.metadata.resourceVersion = "81235"
        let out = try jsonTree(of: preserved)
        let status = try #require(out["status"])
        #expect(status["observedGeneration"] == nil)
        #expect(status["currentMetrics"] == nil)
        #expect(status["desiredReplicas"] == .integer(5))
        #expect(status["lastScaleTime"] == .string("2026-01-01T00:20:00Z"))
        #expect(status["futureStatusField"] == (try jsonTree(#"{"lastRecommendation": 4, "history": ["a", "b"]}"#)))
        guard case .array(let conditions)? = status["conditions"] else { Issue.record("no conditions"); return }
        #expect(conditions[0]["message"] == nil, "a cleared message must not keep the old text")
        #expect(conditions[0]["reason"] == .string("FailedGetScale"))
        #expect(conditions[0]["observedGeneration"] == .integer(3), "unknown condition fields survive")
        #expect(conditions[1]["message"] == .string("fine"))
        // Everything outside status is as it was, apart from the resource version.
        var expected = try jsonTree(WireFixture.hpaUnknownFields.text)
        expected["status"] = status
        expected["metadata"]?["resourceVersion"] = .string("81235")
        #expect(out == expected)
        #expect(out["metadata"]?["managedFields"] != nil)
        #expect(out["spec"]?["selectionStrategy"] == .string("LabelSelector"))
    }

    @Test("A metric status entry that changes type drops the old member but keeps unknown fields")
    func metricEntryChangesType() throws {
        var preserved = try decodeJSON(WireFixture.hpaUnknownFields.text, as: Preserved<HorizontalPodAutoscaler>.self)
        let external = MetricStatus(type: "External", external: ExternalMetricStatus(
            metric: MetricIdentifier(name: "queue"), current: MetricValueStatus(value: Quantity.milli(90))))
        let resource = MetricStatus(type: "Resource", resource: ResourceMetricStatus(
            name: "cpu", current: MetricValueStatus(averageValue: Quantity.milli(200))))
        preserved.value.status?.currentMetrics = [external, resource]
        let out = try jsonTree(of: preserved)
        guard case .array(let entries)? = out["status"]?["currentMetrics"] else { Issue.record("no currentMetrics"); return }
        #expect(entries[0]["resource"] == nil)
        #expect(entries[0]["external"]?["current"]?["value"] == .string("90m"))
        #expect(entries[0]["futureMetricField"] == .string("kept"))
        #expect(entries[1]["external"] == nil)
        #expect(entries[1]["resource"]?["current"] == (try jsonTree(#"{"averageValue": "200m"}"#)))
    }

    @Test("Plain encoding writes no nulls and omits empty status lists")
    func plainEncoding() throws {
        let status = HorizontalPodAutoscalerStatus(desiredReplicas: 2, currentMetrics: [], conditions: [])
        #expect(try jsonTree(of: status) == jsonTree(#"{"desiredReplicas": 2}"#))
        let condition = HorizontalPodAutoscalerCondition(type: "AbleToScale", status: .true)
        #expect(try jsonTree(of: condition) == jsonTree(#"{"type": "AbleToScale", "status": "True"}"#))
    }

    @Test("Typed values: scale, metrics APIs, lease, event, pod")
    func otherTypedValues() throws {
        let scale = try decodeJSON(WireFixture.scale.text, as: Scale.self)
        #expect(scale.spec.replicas == 3)
        #expect(try Selector(parsing: scale.status?.selector ?? "").matches(["app": "web", "pod-template-hash": "y"]))
        let podMetrics = try decodeJSON(WireFixture.podMetricsList.text, as: PodMetricsList.self)
        #expect(podMetrics.items[0].window == GoDuration(seconds: 15.012))
        #expect(podMetrics.items[0].containers.map { $0.usage["cpu"]?.milliValue } == [1, 2])
        #expect(podMetrics.items[0].containers[0].usage["memory"]?.value == 14_299_136)
        let v1beta1 = try decodeJSON(WireFixture.customMetricsV1beta1.text, as: MetricValueList.self)
        #expect(v1beta1.items[0].metric.name == "http_requests")
        #expect(v1beta1.items[0].metric.selector?.matchLabels == ["verb": "GET"])
        #expect(v1beta1.items[0].windowSeconds == nil)
        let v1beta2 = try decodeJSON(WireFixture.customMetricsV1beta2.text, as: MetricValueList.self)
        #expect(v1beta2.items[0].value.milliValue == 1500)
        #expect(v1beta2.items[0].describedObject.apiVersion == "/v1")
        let external = try decodeJSON(WireFixture.externalMetrics.text, as: ExternalMetricValueList.self)
        #expect(external.items[0].window == 60)
        let lease = try decodeJSON(WireFixture.lease.text, as: Lease.self)
        #expect(lease.spec.renewTime?.description == "2026-01-01T00:05:02.123456Z")
        #expect(lease.spec.acquireTime?.description == "2026-01-01T00:00:00.000000Z")
        let event = try decodeJSON(WireFixture.event.text, as: Event.self)
        #expect(event.eventTime == nil)
        #expect(event.count == 1)
        let status = try decodeJSON(WireFixture.status422.text, as: Status.self)
        #expect(status.details?.causes?.first?.field == "spec.maxReplicas")
        let pod = try decodeJSON(WireFixture.pod.text, as: Pod.self)
        #expect(pod.spec?.initContainers?.first?.restartPolicy == "Always")
        #expect(pod.spec?.resources?.requests?["cpu"] == Quantity.milli(500))
        #expect(pod.status?.readyCondition?.status == .true)
        #expect(pod.metadata.deletionTimestamp != nil)
    }

    @Test("Watch events: ADDED, MODIFIED, DELETED, BOOKMARK and ERROR")
    func watchEvents() throws {
        let lines = try fixtureText("watch-events.jsonl").split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        var types: [WatchEvent<JSONValue>.EventType] = []
        for line in lines {
            let envelope = try decodeJSON(line, as: WatchEvent<JSONValue>.self)
            types.append(envelope.type)
            let object = try JSONEncoder().encode(envelope.object)
            switch envelope.type {
            case .added, .modified, .deleted:
                let event = try decodeJSON(line, as: WatchEvent<Preserved<HorizontalPodAutoscaler>>.self)
                #expect(event.object.value.metadata.name == "web")
                #expect(try jsonTree(of: event) == jsonTree(line))
            case .bookmark:
                let bookmark = try JSONDecoder().decodeKube(PartialObjectMeta.self, from: object)
                #expect(bookmark.metadata.resourceVersion == "81302")
                #expect(bookmark.metadata.annotations?["k8s.io/initial-events-end"] == "true")
                #expect(try jsonTree(of: decodeJSON(line, as: WatchEvent<Preserved<PartialObjectMeta>>.self)) == jsonTree(line))
            case .error:
                let status = try JSONDecoder().decodeKube(Status.self, from: object)
                #expect(status.code == 410)
                #expect(status.reason == "Expired")
            }
        }
        #expect(types == [.added, .modified, .deleted, .bookmark, .error])
    }

    @Test func arbitraryJSONRoundTrips() throws {
        let text = #"{"a":[true,1,0,false,1.5,-2,"x",null,{"b":{}},[]],"big":9223372036854775807,"neg":-9223372036854775808,"e":1e300,"u":"é…\u0000"}"#
        let tree = try jsonTree(text)
        #expect(try jsonTree(String(decoding: JSONEncoder().encode(tree), as: UTF8.self)) == tree)
        #expect(tree["big"] == .integer(Int64.max))
        #expect(tree["a"].flatMap { if case .array(let items) = $0 { items[0] } else { nil } } == .bool(true))
        #expect(tree["a"].flatMap { if case .array(let items) = $0 { items[1] } else { nil } } == .integer(Int64(1)))
    }
}
