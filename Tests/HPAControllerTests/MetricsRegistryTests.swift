@testable import HPAController
import HTTPServer
import Testing

/// A parsed exposition: HELP and TYPE per family, and samples as `name{labels}` → value.
struct Exposition {
    var help: [String: String] = [:]
    var type: [String: String] = [:]
    var samples: [(name: String, labels: [String: String], value: Double)] = []

    init(_ text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst(7)
                let name = String(rest.prefix { $0 != " " })
                help[name] = String(rest.dropFirst(name.count + 1))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                type[String(parts[2])] = String(parts[3])
            } else {
                samples.append(try Self.parseSample(String(line)))
            }
        }
    }

    struct Malformed: Error { var line: String }

    static func parseSample(_ line: String) throws -> (String, [String: String], Double) {
        guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...].replacing("+Inf", with: "inf")) else {
            throw Malformed(line: line)
        }
        let head = line[..<space]
        guard let brace = head.firstIndex(of: "{") else { return (String(head), [:], value) }
        let name = String(head[..<brace])
        var labels: [String: String] = [:]
        var rest = head[head.index(after: brace)...].dropLast()  // without the closing brace
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "=") else { throw Malformed(line: line) }
            let key = String(rest[..<equals])
            rest = rest[rest.index(equals, offsetBy: 2)...]  // skip ="
            var text = ""
            while let character = rest.first, character != "\"" {
                rest = rest.dropFirst()
                if character == "\\", let next = rest.first {
                    rest = rest.dropFirst()
                    text.append(next == "n" ? "\n" : next)
                } else {
                    text.append(character)
                }
            }
            rest = rest.dropFirst()  // closing quote
            if rest.first == "," { rest = rest.dropFirst() }
            labels[key] = text
        }
        return (name, labels, value)
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}

@Suite struct MetricsRegistryTests {
    let prefix = "horizontal_pod_autoscaler_controller_"

    @Test func exposesUpstreamNamesTypesAndHelpTexts() throws {
        let registry = MetricsRegistry()
        registry.recordReconciliation(action: .scaleUp, error: .none, durationSeconds: 0.003)
        let text = try Exposition(registry.render())
        #expect(text.type[prefix + "reconciliations_total"] == "counter")
        #expect(text.type[prefix + "reconciliation_duration_seconds"] == "histogram")
        #expect(text.type[prefix + "metric_computation_total"] == "counter")
        #expect(text.type[prefix + "metric_computation_duration_seconds"] == "histogram")
        #expect(text.type[prefix + "num_horizontal_pod_autoscalers"] == "gauge")
        #expect(text.type[prefix + "desired_replicas"] == "gauge")
        #expect(text.help[prefix + "reconciliations_total"] == "Number of reconciliations of HPA controller. The label 'action' should be either 'scale_down', 'scale_up', or 'none'. Also, the label 'error' should be either 'spec', 'internal', or 'none'. Note that if both spec and internal errors happen during a reconciliation, the first one to occur is reported in `error` label.")
        #expect(text.help[prefix + "metric_computation_duration_seconds"] == "The time(seconds) that the HPA controller takes to calculate one metric. The label 'action' should be either 'scale_down', 'scale_up', or 'none'. The label 'error' should be either 'spec', 'internal', or 'none'. The label 'metric_type' corresponds to HPA.spec.metrics[*].type")
        #expect(text.help[prefix + "desired_replicas"] == "Current desired replica count for HPA objects.")
    }

    @Test func countsReconciliationsAndFillsUpstreamBuckets() throws {
        let registry = MetricsRegistry()
        registry.recordReconciliation(action: .scaleUp, error: .none, durationSeconds: 0.003)
        registry.recordReconciliation(action: .scaleUp, error: .none, durationSeconds: 0.5)
        registry.recordReconciliation(action: .none, error: .internal, durationSeconds: 20)
        let text = try Exposition(registry.render())
        let name = prefix + "reconciliation_duration_seconds"
        #expect(text.value(prefix + "reconciliations_total", ["action": "scale_up", "error": "none"]) == 2)
        #expect(text.value(prefix + "reconciliations_total", ["action": "none", "error": "internal"]) == 1)
        let les = text.samples.filter { $0.name == name + "_bucket" && $0.labels["action"] == "scale_up" }.map { $0.labels["le"] ?? "" }
        #expect(les == ["0.001", "0.002", "0.004", "0.008", "0.016", "0.032", "0.064", "0.128", "0.256", "0.512",
                        "1.024", "2.048", "4.096", "8.192", "16.384", "+Inf"])
        #expect(text.value(name + "_bucket", ["action": "scale_up", "error": "none", "le": "0.002"]) == 0)
        #expect(text.value(name + "_bucket", ["action": "scale_up", "error": "none", "le": "0.004"]) == 1)
        #expect(text.value(name + "_bucket", ["action": "scale_up", "error": "none", "le": "0.512"]) == 2)
        #expect(text.value(name + "_bucket", ["action": "none", "error": "internal", "le": "16.384"]) == 0)
        #expect(text.value(name + "_bucket", ["action": "none", "error": "internal", "le": "+Inf"]) == 1)
        #expect(text.value(name + "_count", ["action": "scale_up", "error": "none"]) == 2)
        #expect(text.value(name + "_sum", ["action": "scale_up", "error": "none"]) == 0.503)
    }

    @Test func metricComputationsCarryTheMetricType() throws {
        let registry = MetricsRegistry()
        registry.recordMetricComputation(action: .scaleDown, error: .none, metricType: "Resource", durationSeconds: 0.01)
        registry.recordMetricComputation(action: .none, error: .spec, metricType: "Unknown", durationSeconds: 0)
        let text = try Exposition(registry.render())
        #expect(text.value(prefix + "metric_computation_total", ["action": "scale_down", "error": "none", "metric_type": "Resource"]) == 1)
        #expect(text.value(prefix + "metric_computation_total", ["action": "none", "error": "spec", "metric_type": "Unknown"]) == 1)
        #expect(text.value(prefix + "metric_computation_duration_seconds_count", ["action": "scale_down", "error": "none", "metric_type": "Resource"]) == 1)
    }

    @Test func perHPAGaugesFollowAddsPassesAndDeletes() throws {
        let registry = MetricsRegistry()
        registry.hpaAdded(namespace: "login", name: "login-service-hpa")
        registry.hpaAdded(namespace: "login", name: "login-service-hpa")
        registry.hpaAdded(namespace: "shop", name: "web")
        registry.recordReplicas(namespace: "login", name: "login-service-hpa", current: 8, desired: 15,
                                proposals: [MetricProposal(metricType: "Resource", metricName: "cpu", replicas: 23)])
        var text = try Exposition(registry.render())
        let hpa = ["namespace": "login", "hpa_name": "login-service-hpa"]
        #expect(text.value(prefix + "num_horizontal_pod_autoscalers") == 2)
        #expect(text.value(prefix + "desired_replicas", hpa) == 15)
        #expect(text.value(prefix + "current_replicas", hpa) == 8)
        #expect(text.value(prefix + "metric_proposed_replicas", hpa.merging(["metric_type": "Resource", "metric_name": "cpu"]) { a, _ in a }) == 23)
        registry.hpaDeleted(namespace: "login", name: "login-service-hpa")
        registry.hpaDeleted(namespace: "login", name: "login-service-hpa")
        text = try Exposition(registry.render())
        #expect(text.value(prefix + "num_horizontal_pod_autoscalers") == 1)
        #expect(text.value(prefix + "desired_replicas", hpa) == nil)
        #expect(!text.samples.contains { $0.labels["hpa_name"] == "login-service-hpa" })
    }

    @Test func escapesLabelValues() throws {
        let registry = MetricsRegistry()
        registry.recordReplicas(namespace: "n", name: "h", current: 1, desired: 1,
                                proposals: [MetricProposal(metricType: "External", metricName: "queue \"a\\b\"\nx", replicas: 2)])
        let rendered = registry.render()
        #expect(rendered.contains(#"metric_name="queue \"a\\b\"\nx""#))
        let text = try Exposition(rendered)
        #expect(text.samples.contains { $0.labels["metric_name"] == "queue \"a\\b\"\nx" })
    }

    @Test func reportsLeadership() throws {
        let leadership = LeadershipState()
        let registry = MetricsRegistry(leadership: leadership, leaseName: "hpa-controller")
        #expect(try Exposition(registry.render()).value("leader_election_master_status", ["name": "hpa-controller"]) == 0)
        leadership.set(leading: true)
        #expect(try Exposition(registry.render()).value("leader_election_master_status", ["name": "hpa-controller"]) == 1)
    }
}

@Suite struct ProbeEndpointTests {
    @Test func readyzFollowsCacheSyncAndAPIReachability() throws {
        let readiness = ReadinessState()
        let endpoints = ProbeEndpoints(registry: MetricsRegistry(), readiness: readiness.checks)
        let server = HTTPServer(handler: endpoints.handler)
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        #expect(try client.send("GET", "/healthz").text == "ok")
        var ready = try client.send("GET", "/readyz")
        #expect(ready.status == 503)
        #expect(ready.text.contains("[-]informer-sync failed: caches not synced yet"))
        readiness.markCachesSynced()
        ready = try client.send("GET", "/readyz")
        #expect(ready.status == 200)
        #expect(ready.text == "ok")
        readiness.recordAPIResult(error: "couldNotConnect for https://10.0.0.1:443/api: refused")
        ready = try client.send("GET", "/readyz?verbose")
        #expect(ready.status == 503)
        #expect(ready.text.contains("[+]informer-sync ok"))
        #expect(ready.text.contains("[-]api-server failed"))
        readiness.recordAPIResult(error: nil)
        #expect(try client.send("GET", "/readyz").status == 200)
    }

    @Test func metricsIsPrometheusTextAndUnknownPathsAre404() throws {
        let registry = MetricsRegistry()
        registry.recordReconciliation(action: .none, error: .none, durationSeconds: 0.001)
        let endpoints = ProbeEndpoints(registry: registry, readiness: [])
        let server = HTTPServer(handler: endpoints.handler)
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        let metrics = try client.send("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = try Exposition(metrics.text)
        #expect(text.value("horizontal_pod_autoscaler_controller_reconciliations_total", ["action": "none", "error": "none"]) == 1)
        #expect(try client.send("GET", "/nope").status == 404)
        #expect(try client.send("POST", "/metrics").status == 405)
    }
}
