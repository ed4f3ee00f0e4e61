import ClusterSim
import Foundation
import HTTPServer
import KubeAPI
import Simulation
import Testing

@Suite struct ScaleTests {
    @Test func scaleSubresourceFollowsTheDeployment() throws {
        let harness = try Harness()
        try harness.cluster.addWorkload(WorkloadSpec(namespace: "login", name: "web", replicas: 3, labels: ["app": "web", "tier": "front"]))
        let path = "/apis/apps/v1/namespaces/login/deployments/web/scale"
        let scale = try harness.get(path).json
        #expect(scale["kind"]?.stringValue == "Scale")
        #expect(scale["apiVersion"]?.stringValue == "autoscaling/v1")
        #expect(scale.at("spec.replicas")?.int == 3)
        #expect(scale.at("status.replicas")?.int == 3)
        #expect(scale.at("status.selector")?.stringValue == "app=web,tier=front")
        let deployment = try harness.get("/apis/apps/v1/namespaces/login/deployments/web").json
        #expect(scale.at("metadata.resourceVersion") == deployment.at("metadata.resourceVersion"))

        var wanted = scale
        wanted["spec"] = json(#"{"replicas":5}"#)
        let updated = try harness.request("PUT", path, wanted)
        #expect(updated.status == 200)
        #expect(updated.json.at("spec.replicas")?.int == 5)
        #expect(try harness.request("PUT", path, wanted).status == 409)  // stale resourceVersion
        let generation = try harness.get("/apis/apps/v1/namespaces/login/deployments/web").json.at("metadata.generation")?.int
        #expect(generation == 2)

        // New pods: Pending now, Running after 20 s, Ready 10 s later.
        /// `phase/Ready condition` of each pod, oldest first.
        func podPhases() throws -> [String] {
            try harness.get("/api/v1/namespaces/login/pods?labelSelector=app%3Dweb").json.items.map { item in
                let conditions = item.at("status.conditions")?.itemsArray ?? []
                let ready = conditions.first { $0["type"]?.stringValue == "Ready" }?["status"]?.stringValue ?? "-"
                return (item.at("status.phase")?.stringValue ?? "?") + "/" + ready
            }
        }
        #expect(try podPhases() == ["Running/True", "Running/True", "Running/True", "Pending/-", "Pending/-"])
        harness.cluster.advance(by: 20)
        #expect(try podPhases() == ["Running/True", "Running/True", "Running/True", "Running/False", "Running/False"])
        harness.cluster.advance(by: 10)
        #expect(try podPhases() == Array(repeating: "Running/True", count: 5))
        let status = try harness.get("/apis/apps/v1/namespaces/login/deployments/web").json["status"]
        #expect(status?["replicas"]?.int == 5)
        #expect(status?["readyReplicas"]?.int == 5)
        #expect(status?["observedGeneration"]?.int == 2)

        // Merge patch of the scale; scaling down removes pods at once.
        let patched = try harness.request("PATCH", path, json(#"{"spec":{"replicas":2}}"#), contentType: "application/merge-patch+json")
        #expect(patched.json.at("spec.replicas")?.int == 2)
        #expect(try podPhases().count == 2)
        #expect(try harness.request("PATCH", path, json(#"{"spec":{"replicas":-1}}"#), contentType: "application/merge-patch+json").status == 422)
        #expect(try harness.get("/apis/apps/v1/namespaces/login/deployments/missing/scale").status == 404)
        // An absurd scale is accepted but the simulation caps the pods it runs.
        #expect(try harness.request("PATCH", path, json(#"{"spec":{"replicas":2000000000}}"#), contentType: "application/merge-patch+json").status == 200)
        #expect(harness.cluster.objects(kind: "Pod", namespace: "login").count == 50)
        #expect(try harness.get("/apis/apps/v1/namespaces/login/deployments/web/scale").json.at("spec.replicas")?.int == 2_000_000_000)
    }

    @Test(arguments: [
        ("StatefulSet", "/apis/apps/v1/namespaces/default/statefulsets/db/scale"),
        ("ReplicaSet", "/apis/apps/v1/namespaces/default/replicasets/db/scale"),
        ("ReplicationController", "/api/v1/namespaces/default/replicationcontrollers/db/scale"),
        ("WorkerPool", "/apis/example.com/v1/namespaces/default/workerpools/db/scale"),
    ])
    func everyScalableKindHasAScale(kind: String, path: String) throws {
        let harness = try Harness()
        try harness.cluster.addWorkload(WorkloadSpec(kind: kind, namespace: "default", name: "db", replicas: 2))
        let scale = try harness.get(path)
        #expect(scale.status == 200)
        #expect(scale.json.at("status.selector")?.stringValue == "app=db")
        #expect(scale.json.at("status.replicas")?.int == 2)
        let patched = try harness.request("PATCH", path, json(#"{"spec":{"replicas":4}}"#), contentType: "application/merge-patch+json")
        #expect(patched.json.at("spec.replicas")?.int == 4)
        #expect(harness.cluster.objects(kind: "Pod", namespace: "default").count == 4)
        #expect(try harness.get(path.replacingOccurrences(of: "/scale", with: "/status")).status == 200)
    }

    @Test func objectsCreatedOverTheAPIGetPods() throws {
        let harness = try Harness()
        let deployment = json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"api"},"spec":{"selector":{"matchExpressions":[{"key":"app","operator":"In","values":["api","web"]}]},"template":{"metadata":{"labels":{"app":"api"}},"spec":{"containers":[{"name":"main","resources":{"requests":{"cpu":"250m"}}}]}}}}"#)
        let created = try harness.request("POST", "/apis/apps/v1/namespaces/default/deployments", deployment)
        #expect(created.status == 201)
        #expect(created.json.at("spec.replicas")?.int == 1)  // defaulted
        let scale = try harness.get("/apis/apps/v1/namespaces/default/deployments/api/scale").json
        #expect(scale.at("status.selector")?.stringValue == "app in (api,web)")
        let pods = harness.cluster.objects(kind: "Pod", namespace: "default")
        #expect(pods.count == 1)
        #expect(pods.first?.at("spec.containers.0.resources.requests.cpu")?.stringValue == "250m")
        #expect(pods.first?.at("metadata.ownerReferences.0.kind")?.stringValue == "Deployment")
        try harness.request("DELETE", "/apis/apps/v1/namespaces/default/deployments/api")
        #expect(harness.cluster.objects(kind: "Pod", namespace: "default").isEmpty)
        #expect(try harness.request("POST", "/apis/apps/v1/namespaces/default/deployments", json(#"{"metadata":{"name":"noselector"},"spec":{}}"#)).status == 422)
    }
}
