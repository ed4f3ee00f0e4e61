import ClusterSim
import Foundation
import HTTPServer
import KubeAPI
import Testing

private let hpas = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers"

@Suite struct FaultTests {
    @Test func tooManyRequestsCarriesRetryAfter() throws {
        let harness = try Harness()
        let id = harness.cluster.inject(Fault(.tooManyRequests(retryAfterSeconds: 3), method: "GET", pathPrefix: "/apis/autoscaling/", count: 1))
        let limited = try harness.request("GET", hpas)
        #expect(limited.status == 429)
        #expect(limited.response.headers["Retry-After"] == "3")
        #expect(limited.json.at("details.retryAfterSeconds")?.int == 3)
        #expect(limited.json["reason"]?.stringValue == "TooManyRequests")
        #expect(try harness.request("GET", hpas).status == 200)
        #expect(harness.cluster.faultCount(id) == 1)
        #expect(harness.cluster.injectedFaultCount == 1)
    }

    @Test(arguments: [(500, "InternalError"), (503, "ServiceUnavailable"), (409, "Conflict"), (410, "Expired"), (403, "Forbidden")])
    func statusFaults(code: Int, reason: String) throws {
        let harness = try Harness()
        let id = harness.cluster.inject(Fault(.status(code), method: "POST", pathPrefix: hpas, count: 2))
        #expect(try harness.request("GET", hpas).status == 200)  // other verbs unaffected
        for _ in 0..<2 {
            let failed = try harness.request("POST", hpas, hpaJSON(name: "x"))
            #expect(failed.status == code)
            #expect(failed.json["reason"]?.stringValue == reason)
        }
        #expect(try harness.request("POST", hpas, hpaJSON(name: "x")).status == 201)
        #expect(harness.cluster.faultCount(id) == 2)
    }

    @Test func probabilityDecidesHowOftenAFaultFires() throws {
        let harness = try Harness()
        harness.cluster.seedFaults(42)
        let never = harness.cluster.inject(Fault(.status(500), pathPrefix: "/version", probability: 0))
        let half = harness.cluster.inject(Fault(.status(503), pathPrefix: "/api/v1", probability: 0.5))
        var failures = 0
        for _ in 0..<100 {
            #expect(try harness.get("/version").status == 200)
            if try harness.get("/api/v1").status == 503 { failures += 1 }
        }
        #expect(harness.cluster.faultCount(never) == 0)
        #expect(harness.cluster.faultCount(half) == failures)
        #expect(failures > 20 && failures < 80)
        harness.cluster.removeFault(half)
        #expect(try harness.get("/api/v1").status == 200)
    }

    @Test func droppedTruncatedAndNonJSONReplies() throws {
        let harness = try Harness()
        harness.cluster.inject(Fault(.dropConnection, pathPrefix: "/api/v1", count: 1))
        #expect(throws: LoopbackHTTPClient.Failure.self) { try harness.newClient().send("GET", "/api/v1", headers: harness.authorization) }
        harness.cluster.inject(Fault(.truncatedBody, pathPrefix: "/apis/apps/v1", count: 1))
        let truncatedClient = try harness.newClient()
        #expect(throws: LoopbackHTTPClient.Failure.self) { try truncatedClient.send("GET", "/apis/apps/v1", headers: harness.authorization) }
        harness.cluster.inject(Fault(.nonJSONBody, pathPrefix: "/apis/metrics.k8s.io/", count: 1))
        let html = try harness.newClient().send("GET", "/apis/metrics.k8s.io/v1beta1/pods", headers: harness.authorization)
        #expect(html.status == 200)
        #expect(html.headers["Content-Type"] == "text/html")
        #expect(json(html.text) == .null)
        harness.cluster.inject(Fault(.delay(seconds: 0.2), pathPrefix: "/version", count: 1))
        let started = ContinuousClock.now
        #expect(try harness.newClient().send("GET", "/version", headers: harness.authorization).status == 200)
        #expect(ContinuousClock.now - started >= .milliseconds(200))
        #expect(harness.cluster.injectedFaultCount == 4)
        #expect(try harness.get("/api/v1").status == 200)
    }

    @Test func watchExpiredSendsAnErrorFrame() throws {
        let harness = try Harness()
        let id = harness.cluster.inject(Fault(.watchExpired, pathPrefix: hpas, watch: true, count: 1))
        #expect(try harness.request("GET", hpas).status == 200)  // lists pass
        let watcher = try harness.newClient()
        #expect(try watcher.start("GET", "\(hpas)?watch=true&resourceVersion=1001", headers: harness.authorization).status == 200)
        let event = try WatchReader(client: watcher).next()
        #expect(event?["type"]?.stringValue == "ERROR")
        #expect(event?.at("object.code")?.int == 410)
        #expect(harness.cluster.faultCount(id) == 1)
    }
}

extension FaultTests {
    @Test func dropWatchCutsTheStreamMidway() throws {
        let harness = try Harness()
        harness.cluster.inject(Fault(.dropWatch(afterSeconds: 0.3), pathPrefix: hpas, watch: true, count: 1))
        try harness.request("POST", hpas, hpaJSON(name: "web"))
        let watcher = try harness.newClient()
        _ = try watcher.start("GET", "\(hpas)?watch=true", headers: harness.authorization)
        let reader = WatchReader(client: watcher)
        #expect(try reader.next()?["type"]?.stringValue == "ADDED")
        #expect(throws: LoopbackHTTPClient.Failure.self) { _ = try reader.next() }  // cut without the last chunk
        #expect(harness.cluster.injectedFaultCount == 1)
    }
}

@Suite struct RequestLogTests {
    @Test func recordsVerbsPerPath() throws {
        let harness = try Harness()
        harness.cluster.clearRequestLog()
        try harness.request("GET", hpas)
        try harness.request("POST", hpas, hpaJSON(name: "web"))
        try harness.request("GET", "\(hpas)/web")
        try harness.request("PATCH", "\(hpas)/web/status", json(#"{"status":{"desiredReplicas":1}}"#), contentType: "application/merge-patch+json")
        try harness.request("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods")
        let watcher = try harness.newClient()
        _ = try watcher.send("GET", "\(hpas)?watch=true&timeoutSeconds=1", headers: harness.authorization)
        try harness.request("DELETE", "\(hpas)/web")
        let verbs = harness.cluster.requests.map(\.verb)
        #expect(verbs == ["list", "create", "get", "patch", "", "watch", "delete"])
        #expect(harness.cluster.writeRequests.map(\.method) == ["POST", "PATCH", "DELETE"])
        #expect(harness.cluster.requests[3].path == "\(hpas)/web/status")
        #expect(harness.cluster.requests[5].query == "watch=true&timeoutSeconds=1")
        #expect(harness.cluster.requests.map(\.status) == [200, 201, 200, 200, 200, 200, 200])
    }
}
