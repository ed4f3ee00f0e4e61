import ClusterSim
import Foundation
import HTTPServer
import KubeAPI
import Testing

private let hpas = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers"

@Suite struct ObjectStoreTests {
    @Test func createSetsServerFieldsAndDefaults() throws {
        let harness = try Harness()
        let created = try harness.request("POST", hpas, hpaJSON(name: "web"))
        #expect(created.status == 201)
        let object = created.json
        #expect(object.at("metadata.uid")?.stringValue?.count == 36)
        #expect(object.at("metadata.generation")?.int == 1)
        #expect(object.at("metadata.resourceVersion")?.stringValue != nil)
        #expect(object.at("metadata.creationTimestamp")?.stringValue == "2026-01-01T00:00:00Z")
        #expect(object.at("metadata.namespace")?.stringValue == "default")
        let again = try harness.request("POST", hpas, hpaJSON(name: "web"))
        #expect(again.status == 409)
        #expect(again.json["reason"]?.stringValue == "AlreadyExists")
        let fetched = try harness.get("\(hpas)/web")
        #expect(fetched.status == 200)
        #expect(fetched.json == object)
        // Defaults: metrics default to cpu 80 %, minReplicas to 1.
        let bare = json(#"{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"bare"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"maxReplicas":4,"behavior":{}}}"#)
        let defaulted = try harness.request("POST", hpas, bare).json
        #expect(defaulted.at("spec.minReplicas")?.int == 1)
        #expect(defaulted.at("spec.metrics.0.resource.target.averageUtilization")?.int == 80)
        #expect(defaulted.at("spec.behavior.scaleUp.policies.0.value")?.int == 4)
        #expect(defaulted.at("spec.behavior.scaleDown.stabilizationWindowSeconds") == nil)
    }

    @Test func updateNeedsTheCurrentResourceVersion() throws {
        let harness = try Harness()
        let created = try harness.request("POST", hpas, hpaJSON(name: "web")).json
        var changed = created
        changed["spec"]?["maxReplicas"] = .integer(20)
        let updated = try harness.request("PUT", "\(hpas)/web", changed)
        #expect(updated.status == 200)
        #expect(updated.json.at("metadata.generation")?.int == 2)
        #expect(updated.json.at("spec.maxReplicas")?.int == 20)
        // The old resourceVersion is stale now.
        let stale = try harness.request("PUT", "\(hpas)/web", changed)
        #expect(stale.status == 409)
        #expect(stale.json["reason"]?.stringValue == "Conflict")
        #expect(stale.json["message"]?.stringValue?.contains("the object has been modified") == true)
        // The main resource ignores status; the status subresource takes only status.
        var withStatus = updated.json
        withStatus["status"] = json(#"{"currentReplicas":3,"desiredReplicas":4}"#)
        withStatus["spec"]?["maxReplicas"] = .integer(99)
        let statusWrite = try harness.request("PUT", "\(hpas)/web/status", withStatus)
        #expect(statusWrite.status == 200)
        #expect(statusWrite.json.at("status.desiredReplicas")?.int == 4)
        #expect(statusWrite.json.at("spec.maxReplicas")?.int == 20)
        #expect(statusWrite.json.at("metadata.generation")?.int == 2)
        let mainWrite = try harness.request("PUT", "\(hpas)/web", json(#"{"metadata":{"name":"web"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":5},"status":{"desiredReplicas":1}}"#))
        #expect(mainWrite.status == 200)
        #expect(mainWrite.json.at("status.desiredReplicas")?.int == 4)
        // A write that changes nothing keeps the resourceVersion.
        let noop = try harness.request("PUT", "\(hpas)/web", mainWrite.json)
        #expect(noop.json.at("metadata.resourceVersion") == mainWrite.json.at("metadata.resourceVersion"))
    }

    @Test(arguments: ["application/merge-patch+json", "application/strategic-merge-patch+json"])
    func mergePatches(contentType: String) throws {
        let harness = try Harness()
        try harness.request("POST", hpas, hpaJSON(name: "web"))
        let patched = try harness.request("PATCH", "\(hpas)/web", json(#"{"spec":{"maxReplicas":7,"minReplicas":null},"metadata":{"labels":{"a":"b"}}}"#), contentType: contentType)
        #expect(patched.status == 200)
        #expect(patched.json.at("spec.maxReplicas")?.int == 7)
        #expect(patched.json.at("spec.minReplicas")?.int == 1)  // removed, then defaulted again
        #expect(patched.json.at("metadata.labels.a")?.stringValue == "b")
        let status = try harness.request("PATCH", "\(hpas)/web/status", json(#"{"status":{"desiredReplicas":3,"currentReplicas":2}}"#), contentType: contentType)
        #expect(status.json.at("status.desiredReplicas")?.int == 3)
        let stale = try harness.request("PATCH", "\(hpas)/web", json(#"{"metadata":{"resourceVersion":"1"},"spec":{"maxReplicas":8}}"#), contentType: contentType)
        #expect(stale.status == 409)
    }

    @Test func jsonPatchAndDelete() throws {
        let harness = try Harness()
        try harness.request("POST", hpas, hpaJSON(name: "web"))
        let ops: JSONValue = json(#"[{"op":"replace","path":"/spec/maxReplicas","value":3},{"op":"add","path":"/metadata/annotations","value":{"x":"y"}}]"#)
        let patched = try harness.request("PATCH", "\(hpas)/web", ops, contentType: "application/json-patch+json")
        #expect(patched.status == 200)
        #expect(patched.json.at("spec.maxReplicas")?.int == 3)
        let broken = try harness.request("PATCH", "\(hpas)/web", json(#"[{"op":"remove","path":"/spec/nothing"}]"#), contentType: "application/json-patch+json")
        #expect(broken.status == 422)
        #expect(try harness.request("DELETE", "\(hpas)/web").status == 200)
        let gone = try harness.get("\(hpas)/web")
        #expect(gone.status == 404)
        #expect(gone.json["message"]?.stringValue == "horizontalpodautoscalers.autoscaling \"web\" not found")
        #expect(gone.json.at("details.group")?.stringValue == "autoscaling")
    }

    @Test func leasesAndEvents() throws {
        let harness = try Harness()
        let leases = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases"
        let lease = json(#"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"swift-hpa"},"spec":{"holderIdentity":"a","leaseDurationSeconds":15,"renewTime":"2026-01-01T00:00:00.000000Z"}}"#)
        let created = try harness.request("POST", leases, lease)
        #expect(created.status == 201)
        var renewed = created.json
        renewed["spec"]?["holderIdentity"] = .string("b")
        #expect(try harness.request("PUT", "\(leases)/swift-hpa", renewed).status == 200)
        #expect(try harness.request("PUT", "\(leases)/swift-hpa", renewed).status == 409)
        let events = "/api/v1/namespaces/default/events"
        let event = json(#"{"apiVersion":"v1","kind":"Event","metadata":{"name":"web.1"},"involvedObject":{"kind":"HorizontalPodAutoscaler","name":"web"},"reason":"SuccessfulRescale","count":1}"#)
        #expect(try harness.request("POST", events, event).status == 201)
        let repeated = try harness.request("PATCH", "\(events)/web.1", json(#"{"count":2,"message":"again"}"#), contentType: "application/strategic-merge-patch+json")
        #expect(repeated.json["count"]?.int == 2)
        #expect(try harness.request("PATCH", "\(events)/web.404", json(#"{"count":2}"#), contentType: "application/strategic-merge-patch+json").status == 404)
        let selected = try harness.get("\(events)?fieldSelector=involvedObject.name%3Dweb,reason%3DSuccessfulRescale")
        #expect(selected.json.names == ["web.1"])
    }

    @Test func authentication() throws {
        let harness = try Harness()
        let missing = try harness.request("GET", hpas, headers: [])
        #expect(missing.status == 401)
        #expect(missing.json["reason"]?.stringValue == "Unauthorized")
        #expect(try harness.request("GET", hpas, headers: [("Authorization", "Bearer wrong")]).status == 401)
        #expect(try harness.request("GET", hpas).status == 200)
        #expect(try harness.request("GET", "/healthz", headers: []).status == 200)
    }

    @Test(arguments: [
        ("POST", hpas, "{not json", "application/json", 400),
        ("POST", hpas, "[1,2]", "application/json", 400),
        ("POST", hpas, "", "application/json", 400),
        ("POST", hpas, "{}", "application/yaml", 415),
        ("PATCH", hpas + "/x?fieldManager=me", "a: [b", "application/apply-patch+yaml", 415),
        ("PATCH", hpas + "/x", "{}", "application/apply-patch+yaml", 400),
        ("PATCH", hpas + "/x", "{}", "text/plain", 415),
        ("GET", "/apis/nothing.example/v1/things", "", "", 404),
        ("GET", "/api/v2", "", "", 404),
        ("PUT", hpas, "{}", "application/json", 405),
        ("POST", "/apis", "{}", "application/json", 405),
        ("POST", hpas, #"{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"bad"},"spec":{"maxReplicas":0}}"#, "application/json", 422),
        ("POST", hpas, #"{"apiVersion":"apps/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"x"}}"#, "application/json", 400),
        ("POST", hpas, #"{"metadata":{"name":"x","namespace":"other"},"spec":{"scaleTargetRef":{"kind":"D","name":"x"},"maxReplicas":1}}"#, "application/json", 400),
        ("GET", hpas + "?labelSelector=a%20in%20(", "", "", 400),
        ("GET", hpas + "?limit=-1", "", "", 400),
        ("GET", hpas + "?watch=true&resourceVersion=abc", "", "", 400),
    ])
    func badInputGetsAStatus(method: String, path: String, body: String, contentType: String, code: Int) throws {
        let harness = try Harness()
        var headers = harness.authorization
        if !contentType.isEmpty { headers.append(("Content-Type", contentType)) }
        let response = try harness.client.send(method, path, headers: headers, body: body.isEmpty && method == "GET" ? nil : Array(body.utf8))
        #expect(response.status == code)
        let status = json(response.text)
        #expect(status["kind"]?.stringValue == "Status")
        #expect(status["code"]?.int == Int64(code))
        // The server keeps serving.
        #expect(try harness.get("/version").status == 200)
    }

    @Test func oversizedBodiesGet413() throws {
        var limits = HTTPServerLimits()
        limits.maxBodyBytes = 10_000
        let harness = try Harness(limits: limits)
        let response = try harness.client.send("POST", hpas, headers: harness.authorization + [("Content-Type", "application/json")],
                                               body: Array(repeating: 32, count: 10_001))
        #expect(response.status == 413)
        #expect(json(response.text)["reason"]?.stringValue == "RequestEntityTooLarge")
        #expect(try harness.newClient().send("GET", "/version", headers: harness.authorization).status == 200)
    }

    @Test func swiftAPISeedsAndReads() throws {
        let harness = try Harness()
        let cluster = harness.cluster
        try cluster.create(hpaJSON(name: "a", namespace: "team"))
        #expect(cluster.object(kind: "HorizontalPodAutoscaler", namespace: "team", name: "a")?.at("spec.maxReplicas")?.int == 10)
        let namespaces = cluster.objects(kind: "Namespace").compactMap { $0.at("metadata.name")?.stringValue }
        #expect(namespaces.contains("team"))
        try cluster.update(kind: "HorizontalPodAutoscaler", namespace: "team", name: "a") { $0["spec"]?["maxReplicas"] = .integer(4) }
        #expect(try harness.get("/apis/autoscaling/v2/namespaces/team/horizontalpodautoscalers/a").json.at("spec.maxReplicas")?.int == 4)
        #expect(throws: ClusterSimError.self) { try cluster.create(hpaJSON(name: "a", namespace: "team")) }
        #expect(throws: ClusterSimError.self) { try cluster.create(json: "{oops") }
        try cluster.delete(kind: "HorizontalPodAutoscaler", namespace: "team", name: "a")
        #expect(cluster.objects(kind: "HorizontalPodAutoscaler").isEmpty)
    }
}
