import ClusterSim
import Foundation
import KubeAPI
import Simulation
import Testing
@testable import KubeClient

/// The real client (kubeconfig written by the simulated cluster, libcurl transport) against the
/// project's fake API server on loopback.
@Suite("KubeClient against ClusterSim")
struct ClusterSimEndToEndTests {
    final class Fixture: @unchecked Sendable {
        let cluster: SimulatedCluster
        let client: KubeClient
        init(retry: RetryPolicy = RetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(20))) throws {
            var configuration = SimulatedCluster.Configuration()
            configuration.token = "e2e-secret-token"
            configuration.bookmarkIntervalSeconds = 0.2
            cluster = try SimulatedCluster.start(configuration)
            let resolved = try KubeConfigLoader(explicitPath: cluster.kubeconfigPath, environment: [:]).resolve()
            client = KubeClient(configuration: resolved, qps: 0, retryPolicy: retry)
        }
        deinit { cluster.stop() }
    }

    static func hpa(_ name: String, labels: [String: String] = [:], target: String = "web") throws -> HorizontalPodAutoscaler {
        let labelJSON = labels.map { #""\#($0.key)":"\#($0.value)""# }.joined(separator: ",")
        let text = #"""
        {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
         "metadata":{"name":"\#(name)","namespace":"default","labels":{\#(labelJSON)}},
         "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"\#(target)"},"minReplicas":1,"maxReplicas":10,
                 "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]}}
        """#
        return try JSONDecoder().decode(HorizontalPodAutoscaler.self, from: Data(text.utf8))
    }

    @Test func hpaCrudPaginationAndErrors() async throws {
        let f = try Fixture()
        let client = f.client
        #expect(client.namespace == "default")
        for i in 0..<5 { _ = try await client.create(try Self.hpa("hpa-\(i)", labels: ["tier": i < 2 ? "front" : "back"]), .horizontalPodAutoscalers, namespace: "default") }
        await #expect { _ = try await client.create(try Self.hpa("hpa-0"), .horizontalPodAutoscalers, namespace: "default") } throws: {
            ($0 as? KubeClientError)?.code == .alreadyExists
        }
        let page = try await client.list(HorizontalPodAutoscaler.self, .horizontalPodAutoscalers, namespace: "default", options: ListOptions(limit: 2))
        #expect(page.items.count == 2 && page.metadata.continue?.isEmpty == false)
        let all = try await client.listAll(HorizontalPodAutoscaler.self, .horizontalPodAutoscalers, namespace: "default", options: ListOptions(limit: 2))
        #expect(all.items.compactMap(\.metadata.name).sorted() == (0..<5).map { "hpa-\($0)" })
        let front = try await client.list(HorizontalPodAutoscaler.self, .horizontalPodAutoscalers, namespace: "default",
                                          options: ListOptions(labelSelector: "tier in (front)"))
        #expect(front.items.count == 2)
        let byName = try await client.list(HorizontalPodAutoscaler.self, .horizontalPodAutoscalers, namespace: "default",
                                           options: ListOptions(fieldSelector: "metadata.name=hpa-3"))
        #expect(byName.items.map(\.metadata.name) == ["hpa-3"])

        var hpa = try await client.get(HorizontalPodAutoscaler.self, .horizontalPodAutoscalers, namespace: "default", name: "hpa-1")
        let stale = hpa
        hpa.spec.maxReplicas = 20
        hpa = try await client.update(hpa, .horizontalPodAutoscalers, namespace: "default", name: "hpa-1")
        #expect(hpa.spec.maxReplicas == 20)
        await #expect { _ = try await client.update(stale, .horizontalPodAutoscalers, namespace: "default", name: "hpa-1") } throws: {
            ($0 as? KubeClientError)?.code == .conflict
        }
        hpa.status = try JSONDecoder().decode(HorizontalPodAutoscalerStatus.self, from: Data(#"{"currentReplicas":2,"desiredReplicas":3}"#.utf8))
        let written = try await client.updateStatus(hpa, .horizontalPodAutoscalers, namespace: "default", name: "hpa-1")
        #expect(written.status?.desiredReplicas == 3)
        struct Patch: Encodable { var spec = ["minReplicas": 2] }
        let patched = try await client.mergePatch(HorizontalPodAutoscaler.self, .horizontalPodAutoscalers, namespace: "default", name: "hpa-1", patch: Patch())
        #expect(patched.spec.minReplicas == 2)
        try await client.delete(.horizontalPodAutoscalers, namespace: "default", name: "hpa-1")
        await #expect { _ = try await client.get(HorizontalPodAutoscaler.self, .horizontalPodAutoscalers, namespace: "default", name: "hpa-1") } throws: {
            let error = $0 as? KubeClientError
            return error?.code == .notFound && error?.status?.reason == "NotFound" && !String(describing: $0).contains("e2e-secret-token")
        }
    }

    @Test(arguments: [("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"), ("apps/v1", "ReplicaSet"),
                      ("v1", "ReplicationController"), ("example.com/v1", "WorkerPool")])
    func scaleSubresourceForEveryKind(apiVersion: String, kind: String) async throws {
        let f = try Fixture()
        _ = try f.cluster.addWorkload(WorkloadSpec(kind: kind, namespace: "default", name: "db", replicas: 2))
        let target = try await f.client.scaleTarget(apiVersion: apiVersion, kind: kind)
        var scale = try await f.client.getScale(target, namespace: "default", name: "db")
        #expect(scale.spec.replicas == 2 && scale.status?.selector == "app=db")
        let patched = try await f.client.patchScale(target, namespace: "default", name: "db", replicas: 4)
        #expect(patched.spec.replicas == 4)
        scale.spec.replicas = 5  // stale resourceVersion
        await #expect { _ = try await f.client.updateScale(target, namespace: "default", scale: scale) } throws: {
            ($0 as? KubeClientError)?.code == .conflict
        }
        var fresh = try await f.client.getScale(target, namespace: "default", name: "db")
        fresh.spec.replicas = 3
        #expect(try await f.client.updateScale(target, namespace: "default", scale: fresh).spec.replicas == 3)
    }

    @Test func watchFromListResourceVersionAndExpiry() async throws {
        let f = try Fixture()
        let client = f.client
        _ = try await client.create(try Self.hpa("a"), .horizontalPodAutoscalers, namespace: "default")
        let list = try await client.list(HorizontalPodAutoscaler.self, .horizontalPodAutoscalers, namespace: "default")
        let rv = try #require(list.metadata.resourceVersion)
        let stream = try await client.watch(HorizontalPodAutoscaler.self, .horizontalPodAutoscalers, namespace: "default", resourceVersion: rv, timeoutSeconds: 60)
        _ = try await client.create(try Self.hpa("b"), .horizontalPodAutoscalers, namespace: "default")
        try await client.delete(.horizontalPodAutoscalers, namespace: "default", name: "a")
        var seen: [String] = []
        var bookmarks = 0
        for try await change in stream {
            switch change {
            case .added(let h): seen.append("added \(h.metadata.name ?? "")")
            case .modified(let h): seen.append("modified \(h.metadata.name ?? "")")
            case .deleted(let h): seen.append("deleted \(h.metadata.name ?? "")")
            case .bookmark: bookmarks += 1
            }
            if seen.count == 2 && bookmarks >= 1 { break }
        }
        #expect(seen == ["added b", "deleted a"])

        f.cluster.expireWatchHistory()
        await #expect {
            let old = try await client.watch(HorizontalPodAutoscaler.self, .horizontalPodAutoscalers, namespace: "default", resourceVersion: rv)
            for try await _ in old {}
        } throws: { ($0 as? KubeClientError)?.isResourceExpired == true }
    }

    @Test func listAndWatchRecoversFromAnExpiredWatch() async throws {
        let f = try Fixture()
        _ = try await f.client.create(try Self.hpa("a"), .horizontalPodAutoscalers, namespace: "default")
        f.cluster.inject(Fault(.watchExpired, pathPrefix: "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", watch: true, count: 1))
        var log: [String] = []
        for try await event in f.client.listAndWatch(HorizontalPodAutoscaler.self, .horizontalPodAutoscalers, namespace: "default",
                                                     initialBackoff: .milliseconds(10)) {
            switch event {
            case .replaced(let items, _):
                log.append("replaced \(items.count)")
                if log.count == 2 { _ = try await f.client.create(try Self.hpa("b"), .horizontalPodAutoscalers, namespace: "default") }
            case .added(let h): log.append("added \(h.metadata.name ?? "")")
            case .modified, .deleted: break
            }
            if log.contains("added b") { break }
        }
        #expect(log == ["replaced 1", "replaced 1", "added b"])
    }

    @Test func metricsAPIs() async throws {
        let f = try Fixture()
        _ = try f.cluster.addWorkload(WorkloadSpec(namespace: "default", name: "web", replicas: 3,
                                                   load: LoadProfile(demand: .constant(100), metrics: ["http_requests": .constant(30)])))
        f.cluster.setExternalMetric(namespace: "default", name: "queue_messages_ready", labels: ["queue": "tasks"], curve: .constant(25))
        _ = f.cluster.advance(by: 120)
        let pods = try await f.client.podMetrics(namespace: "default", labelSelector: "app=web")
        #expect(pods.items.count == 3)
        #expect(try await f.client.customMetricsVersion() == "v1beta2")
        let custom = try await f.client.podsCustomMetric(namespace: "default", metricName: "http_requests", podSelector: "app=web")
        #expect(custom.items.count == 3)
        let external = try await f.client.externalMetric(namespace: "default", metricName: "queue_messages_ready", metricSelector: "queue=tasks")
        #expect(external.items.count == 1)
        #expect(f.cluster.requests.contains { $0.path.contains("/pods/%2A/http_requests") || $0.path.contains("/pods/*/http_requests") })

        f.cluster.setMetricsAPI("metrics.k8s.io", .failing)
        await #expect { _ = try await f.client.podMetrics(namespace: "default", labelSelector: "app=web") } throws: {
            ($0 as? KubeClientError)?.code == .serviceUnavailable
        }
        f.cluster.setMetricsAPI("custom.metrics.k8s.io", .absent)
        await #expect { _ = try await f.client.podsCustomMetric(namespace: "default", metricName: "http_requests", podSelector: "app=web") } throws: {
            String(describing: $0).contains("no custom metrics API (custom.metrics.k8s.io) registered")
        }
    }

    @Test func faultsRetriesAndBadBodies() async throws {
        let f = try Fixture()
        let hpas = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers"
        let list = { try await f.client.list(HorizontalPodAutoscaler.self, .horizontalPodAutoscalers, namespace: "default") }

        let throttled = f.cluster.inject(Fault(.tooManyRequests(retryAfterSeconds: 1), method: "GET", pathPrefix: hpas, count: 1))
        _ = try await list()
        #expect(f.cluster.faultCount(throttled) == 1)

        let flaky = f.cluster.inject(Fault(.status(500), method: "GET", pathPrefix: hpas, count: 2))
        _ = try await list()
        #expect(f.cluster.faultCount(flaky) == 2)

        let dropped = f.cluster.inject(Fault(.dropConnection, method: "GET", pathPrefix: hpas, count: 1))
        _ = try await list()
        #expect(f.cluster.faultCount(dropped) == 1)

        let truncated = f.cluster.inject(Fault(.truncatedBody, method: "GET", pathPrefix: hpas, count: 1))
        _ = try await list()
        #expect(f.cluster.faultCount(truncated) == 1)

        // A POST is not idempotent: one 500 is reported, not retried.
        let failingPost = f.cluster.inject(Fault(.status(500), method: "POST", pathPrefix: hpas, count: 1))
        await #expect { _ = try await f.client.create(try Self.hpa("x"), .horizontalPodAutoscalers, namespace: "default") } throws: {
            ($0 as? KubeClientError)?.code == .internalError
        }
        #expect(f.cluster.faultCount(failingPost) == 1)

        f.cluster.inject(Fault(.nonJSONBody, method: "GET", pathPrefix: hpas, count: 1))
        await #expect { _ = try await list() } throws: {
            ($0 as? KubeClientError)?.code == .decoding && String(describing: $0).contains(f.cluster.url + hpas)
        }
    }

    @Test func wrongTokenIsUnauthorized() async throws {
        let f = try Fixture()
        let client = KubeClient(configuration: ClientConfiguration(server: f.cluster.url, credentials: .token("wrong")), qps: 0)
        await #expect { _ = try await client.list(Pod.self, .pods, namespace: "default") } throws: {
            ($0 as? KubeClientError)?.code == .unauthorized && !String(describing: $0).contains("wrong")
        }
    }

    @Test func rateLimitSpacesRequestsBeyondTheBurst() async throws {
        let f = try Fixture()
        let resolved = try KubeConfigLoader(explicitPath: f.cluster.kubeconfigPath, environment: [:]).resolve()
        let client = KubeClient(configuration: resolved, qps: 20, burst: 2)
        f.cluster.clearRequestLog()
        let start = ContinuousClock.now
        for _ in 0..<6 { _ = try await client.list(Pod.self, .pods, namespace: "default") }
        // Four requests beyond the burst at 20/s: at least 200 ms of waiting (a lower bound, not a speed claim).
        #expect(ContinuousClock.now - start >= .milliseconds(190))
        #expect(f.cluster.requests.count == 6)
    }

    @Test func serverVersion() async throws {
        let f = try Fixture()
        #expect(try await f.client.serverVersion().gitVersion.hasPrefix("v1."))
    }
}
