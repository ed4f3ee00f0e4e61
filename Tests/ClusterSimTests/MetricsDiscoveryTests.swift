import ClusterSim
import Foundation
import HTTPServer
import KubeAPI
import Simulation
import Testing

private func loginCluster(users: Double) throws -> Harness {
    let harness = try Harness()
    try harness.cluster.addWorkload(WorkloadSpec(namespace: "login", name: "webflux-login", replicas: 3, containerName: "webflux",
                                                 load: LoadProfile(demand: .constant(users), metrics: ["http_requests": .constant(30)])))
    return harness
}

@Suite struct DiscoveryTests {
    @Test func discoveryListsGroupsResourcesAndScale() throws {
        let harness = try Harness()
        #expect(try harness.get("/version").json["gitVersion"]?.stringValue == "v1.32.4")
        #expect(try harness.get("/api").json["versions"] == .array([.string("v1")]))
        let groups = try harness.get("/apis").json["groups"]?.itemsArray.compactMap { $0["name"]?.stringValue } ?? []
        for group in ["apps", "autoscaling", "coordination.k8s.io", "example.com", "metrics.k8s.io", "custom.metrics.k8s.io", "external.metrics.k8s.io"] {
            #expect(groups.contains(group), "missing group \(group)")
        }
        let custom = try harness.get("/apis").json["groups"]?.itemsArray.first { $0["name"]?.stringValue == "custom.metrics.k8s.io" }
        #expect(custom?.at("preferredVersion.version")?.stringValue == "v1beta2")
        let apps = try harness.get("/apis/apps/v1").json["resources"]?.itemsArray ?? []
        let scale = apps.first { $0["name"]?.stringValue == "deployments/scale" }
        #expect(scale?["group"]?.stringValue == "autoscaling")
        #expect(scale?["version"]?.stringValue == "v1")
        #expect(scale?["kind"]?.stringValue == "Scale")
        let core = try harness.get("/api/v1").json["resources"]?.itemsArray.compactMap { $0["name"]?.stringValue } ?? []
        #expect(core.contains("replicationcontrollers/scale") && core.contains("pods") && core.contains("events"))
        let crd = try harness.get("/apis/example.com/v1").json["resources"]?.itemsArray.compactMap { $0["name"]?.stringValue } ?? []
        #expect(crd.contains("workerpools/scale"))
        #expect(try harness.get("/apis/autoscaling").json.at("preferredVersion.groupVersion")?.stringValue == "autoscaling/v2")
        let index = try harness.get("/openapi/v3").json
        let url = index.at("paths")?["apis/autoscaling/v2"]?["serverRelativeURL"]?.stringValue ?? ""
        #expect(url.hasPrefix("/openapi/v3/apis/autoscaling/v2?hash="))
        let document = try harness.get(url).json
        #expect(document["openapi"]?.stringValue == "3.0.0")
        #expect(try harness.get("/openapi/v3/apis/apps/v1").json.at("paths")?["/apis/apps/v1/namespaces/{namespace}/deployments"] != nil)
    }

    @Test func metricsGroupsCanBeAbsentOrFailing() throws {
        let harness = try loginCluster(users: 0)
        harness.cluster.setMetricsAPI("custom.metrics.k8s.io", .absent)
        let groups = try harness.get("/apis").json["groups"]?.itemsArray.compactMap { $0["name"]?.stringValue } ?? []
        #expect(!groups.contains("custom.metrics.k8s.io"))
        #expect(try harness.get("/apis/custom.metrics.k8s.io/v1beta2").status == 404)
        #expect(try harness.get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/login/pods/*/http_requests").status == 404)
        harness.cluster.setMetricsAPI("metrics.k8s.io", .failing)
        #expect(try harness.get("/apis").json["groups"]?.itemsArray.contains { $0["name"]?.stringValue == "metrics.k8s.io" } == true)
        let failing = try harness.get("/apis/metrics.k8s.io/v1beta1/namespaces/login/pods")
        #expect(failing.status == 503)
        #expect(failing.json["reason"]?.stringValue == "ServiceUnavailable")
        #expect(try harness.get("/apis/metrics.k8s.io/v1beta1").status == 503)
        harness.cluster.setMetricsAPI("metrics.k8s.io", .available)
        #expect(try harness.get("/apis/metrics.k8s.io/v1beta1/namespaces/login/pods").status == 200)
    }
}

@Suite struct MetricsTests {
    @Test func podMetricsSpreadDemandOverReadyPods() throws {
        let harness = try loginCluster(users: 30_000)
        let list = try harness.get("/apis/metrics.k8s.io/v1beta1/namespaces/login/pods?labelSelector=app%3Dwebflux-login").json
        #expect(list["kind"]?.stringValue == "PodMetricsList")
        #expect(list.items.count == 3)
        for item in list.items {
            // 20m idle + 50m per 1,000 users, 10,000 users per pod.
            #expect(item.at("containers.0.usage.cpu")?.stringValue == "520000000n")
            #expect(item.at("containers.0.name")?.stringValue == "webflux")
            #expect(item["window"]?.stringValue == "15s")
            #expect(item["timestamp"]?.stringValue == "2026-01-01T00:00:00Z")
        }
        #expect(try harness.get("/apis/metrics.k8s.io/v1beta1/namespaces/login/pods?labelSelector=app%3Dother").json.items.isEmpty)
        let name = list.items.first?.at("metadata.name")?.stringValue ?? ""
        #expect(try harness.get("/apis/metrics.k8s.io/v1beta1/namespaces/login/pods/\(name)").json["containers"] != nil)
        #expect(try harness.get("/apis/metrics.k8s.io/v1beta1/pods").json.items.count == 3)

        // Scale to 6: the new pods are Pending (no metrics), then burn 2x while warming up.
        try harness.request("PATCH", "/apis/apps/v1/namespaces/login/deployments/webflux-login/scale", json(#"{"spec":{"replicas":6}}"#), contentType: "application/merge-patch+json")
        #expect(try harness.get("/apis/metrics.k8s.io/v1beta1/namespaces/login/pods").json.items.count == 3)
        harness.cluster.advance(by: 20)  // new pods Running, not Ready: idle CPU, doubled
        let warming = try harness.get("/apis/metrics.k8s.io/v1beta1/namespaces/login/pods").json.items
        #expect(warming.count == 6)
        let cpus = Set(warming.compactMap { $0.at("containers.0.usage.cpu")?.stringValue })
        #expect(cpus == ["520000000n", "40000000n"])
        harness.cluster.advance(by: 40)  // all ready, burst over: 5,000 users per pod
        let settled = Set(try harness.get("/apis/metrics.k8s.io/v1beta1/namespaces/login/pods").json.items.compactMap { $0.at("containers.0.usage.cpu")?.stringValue })
        #expect(settled == ["270000000n"])
        harness.cluster.setLoad(namespace: "login", name: "webflux-login", profile: LoadProfile(demand: .constant(0)))
        let idle = Set(try harness.get("/apis/metrics.k8s.io/v1beta1/namespaces/login/pods").json.items.compactMap { $0.at("containers.0.usage.cpu")?.stringValue })
        #expect(idle == ["20000000n"])
    }

    @Test(arguments: ["v1beta2", "v1beta1"], ["*", "%2A"])
    func customPodMetrics(version: String, wildcard: String) throws {
        let harness = try loginCluster(users: 0)
        let list = try harness.get("/apis/custom.metrics.k8s.io/\(version)/namespaces/login/pods/\(wildcard)/http_requests?labelSelector=app%3Dwebflux-login").json
        #expect(list["kind"]?.stringValue == "MetricValueList")
        #expect(list["apiVersion"]?.stringValue == "custom.metrics.k8s.io/\(version)")
        #expect(list.items.count == 3)
        let item = list.items.first
        #expect(item?["value"]?.stringValue == "10")
        #expect(item?.at("describedObject.kind")?.stringValue == "Pod")
        #expect(item?["windowSeconds"]?.int == 15)
        if version == "v1beta2" {
            #expect(item?.at("metric.name")?.stringValue == "http_requests")
        } else {
            #expect(item?["metricName"]?.stringValue == "http_requests")
        }
        #expect(try harness.get("/apis/custom.metrics.k8s.io/\(version)/namespaces/login/pods/*/unknown_metric").json.items.isEmpty)
    }

    @Test func objectAndExternalMetrics() throws {
        let harness = try loginCluster(users: 0)
        harness.cluster.setObjectMetric(namespace: "login", resource: "ingresses.networking.k8s.io", name: "main", metric: "requests_per_second", curve: .constant(1500.5))
        let object = try harness.get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/login/ingresses.networking.k8s.io/main/requests_per_second").json
        #expect(object.items.count == 1)
        #expect(object.items.first?["value"]?.stringValue == "1500500m")
        #expect(object.items.first?.at("describedObject.kind")?.stringValue == "Ingress")
        #expect(try harness.get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/login/ingresses.networking.k8s.io/other/requests_per_second").status == 404)
        // A workload's own curve answers object metrics about it.
        let own = try harness.get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/login/deployments.apps/webflux-login/http_requests").json
        #expect(own.items.first?["value"]?.stringValue == "30")
        harness.cluster.setObjectMetric(namespace: "login", resource: "namespaces", name: "login", metric: "queue", curve: .constant(7))
        #expect(try harness.get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/login/metrics/queue").json.items.first?["value"]?.stringValue == "7")

        harness.cluster.setExternalMetric(name: "queue_messages_ready", labels: ["queue": "worker_tasks"], curve: .constant(25))
        harness.cluster.setExternalMetric(name: "queue_messages_ready", labels: ["queue": "other"], curve: .constant(5))
        let external = try harness.get("/apis/external.metrics.k8s.io/v1beta1/namespaces/login/queue_messages_ready?labelSelector=queue%3Dworker_tasks").json
        #expect(external["kind"]?.stringValue == "ExternalMetricValueList")
        #expect(external.items.count == 1)
        #expect(external.items.first?["value"]?.stringValue == "25")
        #expect(external.items.first?["window"]?.int == 15)
        #expect(external.items.first?.at("metricLabels.queue")?.stringValue == "worker_tasks")
        #expect(try harness.get("/apis/external.metrics.k8s.io/v1beta1/namespaces/login/queue_messages_ready").json.items.count == 2)
        let names = try harness.get("/apis/external.metrics.k8s.io/v1beta1").json["resources"]?.itemsArray.compactMap { $0["name"]?.stringValue }
        #expect(names == ["queue_messages_ready"])
    }
}

extension JSONValue {
    var itemsArray: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}
