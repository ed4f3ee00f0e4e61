import Foundation
import KubeAPI
import Synchronization
import Testing
@testable import KubeClient

@Suite("discovery, watch and metrics over a fake transport")
struct DiscoveryWatchMetricsTests {
    typealias T = KubeClientAPITests

    static let apis = #"""
    {"kind":"APIGroupList","apiVersion":"v1","groups":[
     {"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}},
     {"name":"example.com","versions":[{"groupVersion":"example.com/v1","version":"v1"},{"groupVersion":"example.com/v1alpha1","version":"v1alpha1"}],
      "preferredVersion":{"groupVersion":"example.com/v1","version":"v1"}},
     {"name":"custom.metrics.k8s.io","versions":[{"groupVersion":"custom.metrics.k8s.io/v1beta1","version":"v1beta1"}],
      "preferredVersion":{"groupVersion":"custom.metrics.k8s.io/v1beta1","version":"v1beta1"}}]}
    """#
    static let apps = #"""
    {"kind":"APIResourceList","groupVersion":"apps/v1","resources":[
     {"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["get"]},
     {"name":"deployments/scale","singularName":"","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale","verbs":["get"]},
     {"name":"deployments/status","singularName":"","namespaced":true,"kind":"Deployment","verbs":["get"]},
     {"name":"daemonsets","singularName":"daemonset","namespaced":true,"kind":"DaemonSet","verbs":["get"]}]}
    """#
    static let core = #"""
    {"kind":"APIResourceList","groupVersion":"v1","resources":[
     {"name":"replicationcontrollers","namespaced":true,"kind":"ReplicationController"},
     {"name":"replicationcontrollers/scale","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale"}]}
    """#
    static let crdV1alpha1 = #"""
    {"kind":"APIResourceList","groupVersion":"example.com/v1alpha1","resources":[
     {"name":"widgets","namespaced":true,"kind":"Widget"},{"name":"widgets/scale","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale"}]}
    """#

    static func discoveryFake(crdAppears: Locked<Bool> = Locked(true)) -> FakeTransport {
        FakeTransport { request in
            switch T.path(request) {
            case "/apis": return T.json(apis)
            case "/apis/apps/v1": return T.json(apps)
            case "/api/v1": return T.json(core)
            case "/apis/example.com/v1": return T.json(#"{"groupVersion":"example.com/v1","resources":[]}"#)
            case "/apis/example.com/v1alpha1":
                return crdAppears.withLock { $0 } ? T.json(crdV1alpha1) : T.json(#"{"groupVersion":"example.com/v1alpha1","resources":[]}"#)
            default: return T.json(T.status(404, "NotFound"), status: 404)
            }
        }
    }

    @Test func mapsKindsToScaleSubresources() async throws {
        let fake = Self.discoveryFake()
        let client = T.client(fake)
        let deployment = try await client.scaleTarget(apiVersion: "apps/v1", kind: "Deployment")
        #expect(deployment.resource == ResourceType.deployments)
        #expect(deployment.scaleGroupVersion == "autoscaling/v1")
        let rc = try await client.scaleTarget(apiVersion: "v1", kind: "ReplicationController")
        #expect(rc.resource.path(namespace: "default", name: "x", subresource: "scale") == "/api/v1/namespaces/default/replicationcontrollers/x/scale")
        // Asked for v1, served in v1alpha1: found by trying the group's other versions.
        let widget = try await client.scaleTarget(apiVersion: "example.com/v1", kind: "Widget")
        #expect(widget.resource.path(namespace: "ns", name: "w", subresource: "scale") == "/apis/example.com/v1alpha1/namespaces/ns/widgets/w/scale")
        let before = fake.requests.count
        _ = try await client.scaleTarget(apiVersion: "apps/v1", kind: "Deployment")
        #expect(fake.requests.count == before)  // cached
        await #expect { _ = try await client.scaleTarget(apiVersion: "apps/v1", kind: "DaemonSet") } throws: {
            ($0 as? KubeClientError)?.code == .noMapping
        }
    }

    @Test func aMissRefreshesDiscovery() async throws {
        let appears = Locked(false)
        let client = T.client(Self.discoveryFake(crdAppears: appears))
        _ = try await client.scaleTarget(apiVersion: "apps/v1", kind: "Deployment")  // warms the cache
        _ = try? await client.scaleTarget(apiVersion: "example.com/v1alpha1", kind: "Widget")
        appears.withLock { $0 = true }
        let widget = try await client.scaleTarget(apiVersion: "example.com/v1alpha1", kind: "Widget")
        #expect(widget.resource.plural == "widgets")
    }

    @Test func customMetricsUseDiscoveredVersionAndEncodedWildcard() async throws {
        let fake = FakeTransport { request in
            let path = T.path(request)
            if path == "/apis" { return T.json(Self.apis) }
            return T.json(#"{"kind":"MetricValueList","metadata":{},"items":[{"describedObject":{"kind":"Pod","namespace":"default","name":"p","apiVersion":"/v1"},"metricName":"http_requests","timestamp":"2026-01-01T00:02:00Z","value":"1500m"}]}"#)
        }
        let client = T.client(fake)
        let list = try await client.podsCustomMetric(namespace: "default", metricName: "http_requests", podSelector: "app=web", metricSelector: "verb=GET")
        #expect(list.items.first?.metric.name == "http_requests")
        #expect(T.path(fake.requests[1]) ==
                "/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/%2A/http_requests?labelSelector=app%3Dweb&metricLabelSelector=verb%3DGET")
        _ = try await client.objectCustomMetric(namespace: "default", groupResource: "deployments.apps", name: "web", metricName: "rps")
        _ = try await client.objectCustomMetric(namespace: nil, groupResource: "nodes", name: "n1", metricName: "load")
        _ = try await client.objectCustomMetric(namespace: nil, groupResource: "namespaces", name: "team", metricName: "queue")
        #expect(fake.requests.suffix(3).map(T.path) == [
            "/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/deployments.apps/web/rps",
            "/apis/custom.metrics.k8s.io/v1beta1/nodes/n1/load",
            "/apis/custom.metrics.k8s.io/v1beta1/namespaces/team/metrics/queue",
        ])
    }

    @Test func noCustomMetricsGroup() async throws {
        let fake = FakeTransport { _ in T.json(#"{"groups":[]}"#) }
        await #expect { _ = try await T.client(fake).podsCustomMetric(namespace: "d", metricName: "m", podSelector: "") } throws: {
            String(describing: $0).contains("no custom metrics API (custom.metrics.k8s.io) registered")
        }
    }

    @Test func resourceAndExternalMetricsURLs() async throws {
        let fake = FakeTransport { request in
            if T.path(request).hasPrefix("/apis/metrics.k8s.io") {
                return T.json(#"{"kind":"PodMetricsList","metadata":{},"items":[{"metadata":{"name":"p"},"timestamp":"2026-01-01T00:01:44Z","window":"15.012s","containers":[{"name":"app","usage":{"cpu":"429151n"}}]}]}"#)
            }
            return T.json(#"{"kind":"ExternalMetricValueList","metadata":{},"items":[{"metricName":"q","timestamp":"2026-01-01T00:02:00Z","window":60,"value":"25"}]}"#)
        }
        let client = T.client(fake)
        let pods = try await client.podMetrics(namespace: "default", labelSelector: "app=web,pod-template-hash!=x")
        #expect(pods.items.count == 1)
        let external = try await client.externalMetric(namespace: "default", metricName: "queue_messages_ready", metricSelector: "queue=worker_tasks")
        #expect(external.items.first?.window == 60)
        #expect(fake.requests.map(T.path) == [
            "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb%2Cpod-template-hash%21%3Dx",
            "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_messages_ready?labelSelector=queue%3Dworker_tasks",
        ])
    }

    static func line(_ text: String) -> Data { Data(text.utf8) }

    @Test func watchDecodesEventsBookmarksAndExpiry() async throws {
        let fake = FakeTransport(handler: { _ in T.json("{}") }, streamHandler: { _ in
            (200, [
                Self.line(#"{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"10"}}}"#),
                Self.line(#"{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"11"}}}"#),
                Self.line(#"{"type":"BOOKMARK","object":{"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"resourceVersion":"12"}}}"#),
                Self.line(#"{"type":"DELETED","object":{"metadata":{"name":"a","resourceVersion":"13"}}}"#),
                Self.line(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 9 (12)","reason":"Expired","code":410}}"#),
            ])
        })
        let client = T.client(fake)
        let stream = try await client.watch(PartialObjectMeta.self, .horizontalPodAutoscalers, namespace: "default", resourceVersion: "9", timeoutSeconds: 300)
        var seen: [String] = []
        do {
            for try await change in stream {
                switch change {
                case .added(let o): seen.append("added \(o.metadata.resourceVersion ?? "")")
                case .modified(let o): seen.append("modified \(o.metadata.resourceVersion ?? "")")
                case .deleted(let o): seen.append("deleted \(o.metadata.resourceVersion ?? "")")
                case .bookmark(let rv): seen.append("bookmark \(rv)")
                }
            }
            Issue.record("expected the ERROR event to throw")
        } catch let error as KubeClientError {
            #expect(error.isResourceExpired)
            #expect(error.message.contains("too old resource version"))
        }
        #expect(seen == ["added 10", "modified 11", "bookmark 12", "deleted 13"])
        #expect(T.path(fake.requests[0]) ==
                "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers?allowWatchBookmarks=true&resourceVersion=9&timeoutSeconds=300&watch=true")
    }

    @Test func watchRequestGone() async throws {
        let fake = FakeTransport(handler: { _ in T.json("{}") }, streamHandler: { _ in (410, [Self.line(T.status(410, "Gone"))]) })
        await #expect { _ = try await T.client(fake).watch(PartialObjectMeta.self, .pods, namespace: "d", resourceVersion: "1") } throws: {
            ($0 as? KubeClientError)?.isResourceExpired == true
        }
    }

    @Test func truncatedWatchLineIsADecodingError() async throws {
        let fake = FakeTransport(handler: { _ in T.json("{}") }, streamHandler: { _ in (200, [Self.line(#"{"type":"ADDED","object":{"metad"#)]) })
        let stream = try await T.client(fake).watch(PartialObjectMeta.self, .pods, namespace: "d", resourceVersion: nil)
        await #expect { for try await _ in stream {} } throws: {
            ($0 as? KubeClientError)?.code == .decoding && String(describing: $0).contains("/api/v1/namespaces/d/pods")
        }
    }
}
