#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// `hpa-benchmarks kubeapi [iterations]`: time Quantity and selector parsing, HPA decoding
/// (plain, `Preserved` through `JSONDecoder`, `Preserved(jsonData:)`), a `Preserved` status write
/// and a 500-pod `PodMetricsList` decode.
func runKubeAPIBenchmark(arguments: [String]) {
    let iterations = arguments.first.flatMap(Int.init) ?? 2000
    let clock = ContinuousClock()
    func report(_ name: String, count: Int, _ body: () throws -> Void) {
        do {
            let elapsed = try clock.measure { try body() }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let perOperation = seconds / Double(count) * 1e6
            print("\(name): \(count) in \(String(format: "%.3f", seconds)) s, \(String(format: "%.2f", perOperation)) µs each")
        } catch {
            print("\(name): failed: \(error)")
        }
    }
    let quantityTexts = ["500m", "1", "1.5", "100Mi", "429151n", "13964Ki", "1e3", "0.05", "123456789012345678901", "8Ei"]
    var checksum = 0
    report("Quantity(parsing:)", count: iterations * quantityTexts.count) {
        for _ in 0..<iterations { for text in quantityTexts { checksum &+= try Quantity(parsing: text).sign } }
    }
    let quantities = quantityTexts.compactMap { try? Quantity(parsing: $0) }
    report("Quantity.description", count: iterations * quantities.count) {
        for _ in 0..<iterations { for quantity in quantities { checksum &+= quantity.description.utf8.count } }
    }
    report("Selector(parsing:)", count: iterations) {
        for _ in 0..<iterations {
            checksum &+= try Selector(parsing: "app=web,tier in (a,b),!canary,env!=prod,pod-template-hash!=x").requirements.count
        }
    }
    let hpa = Data(benchmarkHPA.utf8)
    report("HorizontalPodAutoscaler decode", count: iterations) {
        for _ in 0..<iterations { _ = try JSONDecoder().decode(HorizontalPodAutoscaler.self, from: hpa) }
    }
    report("Preserved<HPA> decode (JSONDecoder)", count: iterations) {
        for _ in 0..<iterations { _ = try JSONDecoder().decode(Preserved<HorizontalPodAutoscaler>.self, from: hpa) }
    }
    report("Preserved<HPA>(jsonData:)", count: iterations) {
        for _ in 0..<iterations { _ = try Preserved<HorizontalPodAutoscaler>(jsonData: hpa) }
    }
    if var preserved = try? Preserved<HorizontalPodAutoscaler>(jsonData: hpa) {
        preserved.value.status?.desiredReplicas = 5
        preserved.value.status?.observedGeneration = nil
        report("Preserved<HPA> status write (encode)", count: iterations) {
            for _ in 0..<iterations { _ = try JSONEncoder().encode(preserved) }
        }
    }
    let pods = (0..<500).map { index in
        #"{"metadata":{"name":"web-\#(index)","namespace":"default","labels":{"app":"web"}},"timestamp":"2026-01-01T00:01:44Z","window":"15.012s","containers":[{"name":"app","usage":{"cpu":"\#(index * 1000 + 429151)n","memory":"13964Ki"}}]}"#
    }
    let list = Data((#"{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":["# + pods.joined(separator: ",") + "]}").utf8)
    let listIterations = max(1, iterations / 20)
    report("PodMetricsList (500 pods) decode", count: listIterations) {
        for _ in 0..<listIterations { checksum &+= try JSONDecoder().decode(PodMetricsList.self, from: list).items.count }
    }
    print("(checksum \(checksum))")
}

private let benchmarkHPA = #"""
{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
 "metadata":{"name":"web","namespace":"default","uid":"0b9c","resourceVersion":"81234","generation":2,"creationTimestamp":"2026-01-01T00:00:00Z",
   "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"autoscaling/v2","time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:maxReplicas":{}}}}]},
 "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":10,
   "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}},
     {"type":"Pods","pods":{"metric":{"name":"http_requests","selector":{"matchLabels":{"verb":"GET"}}},"target":{"type":"AverageValue","averageValue":"1k"}}},
     {"type":"External","external":{"metric":{"name":"queue"},"target":{"type":"AverageValue","averageValue":"30"}}}],
   "behavior":{"scaleDown":{"stabilizationWindowSeconds":300,"selectPolicy":"Max","policies":[{"type":"Percent","value":100,"periodSeconds":15}]}}},
 "status":{"observedGeneration":2,"lastScaleTime":"2026-01-01T00:10:00Z","currentReplicas":3,"desiredReplicas":4,
   "currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":74,"averageValue":"370m"}}}],
   "conditions":[{"type":"AbleToScale","status":"True","lastTransitionTime":"2026-01-01T00:10:00Z","reason":"SucceededRescale","message":"ok"},
     {"type":"ScalingActive","status":"True","lastTransitionTime":"2026-01-01T00:00:30Z","reason":"ValidMetricFound","message":"ok"}]}}
"""#
