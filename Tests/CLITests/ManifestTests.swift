import Foundation
import Testing
import Yams

/// `kubectl kustomize manifests/` renders, deploys our image, and grants exactly the RBAC the
/// controller needs. Skipped where kubectl is not installed (it is not a build dependency).
@Suite("manifests/", .enabled(if: BuiltProgram.onPath("kubectl") != nil, "kubectl is not on PATH"))
struct ManifestTests {
    typealias Object = [String: Any]

    /// Every (API group, resource, verb) the ClusterRole may grant — and must grant.
    static let clusterPermissions: Set<String> = [
        "autoscaling horizontalpodautoscalers get", "autoscaling horizontalpodautoscalers list",
        "autoscaling horizontalpodautoscalers watch", "autoscaling horizontalpodautoscalers/status update",
        "apps deployments/scale get", "apps deployments/scale update",
        "apps statefulsets/scale get", "apps statefulsets/scale update",
        "apps replicasets/scale get", "apps replicasets/scale update",
        " replicationcontrollers/scale get", " replicationcontrollers/scale update",
        " pods list", " pods watch",
        "metrics.k8s.io pods get", "metrics.k8s.io pods list",
        "custom.metrics.k8s.io * get", "custom.metrics.k8s.io * list",
        "external.metrics.k8s.io * get", "external.metrics.k8s.io * list",
        " events create", " events patch",
    ]

    static func rendered() throws -> [Object] {
        let kubectl = try #require(BuiltProgram.onPath("kubectl"))
        let output = try BuiltProgram.run(
            kubectl, ["kustomize", BuiltProgram.packageRoot.appendingPathComponent("manifests").path])
        #expect(output.status == 0, "kubectl kustomize failed: \(output.standardError)")
        return try Yams.load_all(yaml: output.standardOutput).compactMap { $0 as? Object }
    }

    static func only(_ kind: String, in objects: [Object]) throws -> Object {
        let matching = objects.filter { $0["kind"] as? String == kind }
        try #require(matching.count == 1, "expected one \(kind), found \(matching.count)")
        return matching[0]
    }

    static func rules(of role: Object) -> [Object] { role["rules"] as? [Object] ?? [] }

    static func strings(_ value: Any?) -> [String] { value as? [String] ?? [] }

    @Test("renders every object the controller needs, in its namespace")
    func rendersAllObjects() throws {
        let objects = try Self.rendered()
        let kinds = Set(objects.compactMap { $0["kind"] as? String })
        #expect(kinds == ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
                          "RoleBinding", "Deployment", "Service"])
        for object in objects where !["Namespace", "ClusterRole", "ClusterRoleBinding"].contains(object["kind"] as? String) {
            let metadata = object["metadata"] as? Object
            #expect(metadata?["namespace"] as? String == "hpa-controller", "\(object["kind"] ?? "?")")
        }
    }

    @Test("the Deployment runs the image named in kustomization.yaml `images:`")
    func deploymentUsesKustomizeImage() throws {
        let kustomizationText = try String(
            contentsOf: BuiltProgram.packageRoot.appendingPathComponent("manifests/kustomization.yaml"), encoding: .utf8)
        let kustomization = try #require(try Yams.load(yaml: kustomizationText) as? Object)
        let images = try #require(kustomization["images"] as? [Object])
        let entry = try #require(images.first { $0["name"] as? String == "hpa-controller" })
        let expected = "\(try #require(entry["newName"] as? String)):\(try #require(entry["newTag"] as? String))"

        let deployment = try Self.only("Deployment", in: Self.rendered())
        let container = try Self.container(of: deployment)
        #expect(container["image"] as? String == expected)
    }

    @Test("RBAC: exactly the permissions the controller needs; no wildcard verbs, no secrets")
    func leastPrivilege() throws {
        let objects = try Self.rendered()
        let clusterRole = try Self.only("ClusterRole", in: objects)
        let role = try Self.only("Role", in: objects)
        var granted: Set<String> = []
        for rule in Self.rules(of: clusterRole) {
            #expect(rule["resourceNames"] == nil && rule["nonResourceURLs"] == nil)
            for group in Self.strings(rule["apiGroups"]) {
                #expect(group != "*")
                for resource in Self.strings(rule["resources"]) {
                    for verb in Self.strings(rule["verbs"]) { granted.insert("\(group) \(resource) \(verb)") }
                }
            }
        }
        #expect(granted == Self.clusterPermissions,
                "extra: \(granted.subtracting(Self.clusterPermissions).sorted()), missing: \(Self.clusterPermissions.subtracting(granted).sorted())")
        for rule in Self.rules(of: clusterRole) + Self.rules(of: role) {
            #expect(!Self.strings(rule["verbs"]).contains("*"))
            #expect(!Self.strings(rule["resources"]).contains("secrets"))
        }

        // The Lease: create anywhere in our namespace, get/update only our own Lease by name.
        let leaseRules = Self.rules(of: role)
        #expect(leaseRules.allSatisfy { Self.strings($0["apiGroups"]) == ["coordination.k8s.io"] && Self.strings($0["resources"]) == ["leases"] })
        let named = leaseRules.filter { $0["resourceNames"] != nil }
        #expect(named.count == 1)
        #expect(Set(named.flatMap { Self.strings($0["verbs"]) }) == ["get", "update"])
        #expect(named.flatMap { Self.strings($0["resourceNames"]) } == ["hpa-controller"])
        #expect(leaseRules.filter { $0["resourceNames"] == nil }.flatMap { Self.strings($0["verbs"]) } == ["create"])
    }

    @Test("the Deployment is locked down, probed, bounded and leader-elected")
    func deploymentHardening() throws {
        let deployment = try Self.only("Deployment", in: Self.rendered())
        let spec = try #require(deployment["spec"] as? Object)
        #expect(spec["replicas"] as? Int == 2)
        let podSpec = try #require((spec["template"] as? Object)?["spec"] as? Object)
        let podSecurity = try #require(podSpec["securityContext"] as? Object)
        #expect(podSecurity["runAsNonRoot"] as? Bool == true)
        #expect((podSecurity["runAsUser"] as? Int ?? 0) > 0)
        #expect((podSecurity["seccompProfile"] as? Object)?["type"] as? String == "RuntimeDefault")

        let container = try Self.container(of: deployment)
        let security = try #require(container["securityContext"] as? Object)
        #expect(security["allowPrivilegeEscalation"] as? Bool == false)
        #expect(security["readOnlyRootFilesystem"] as? Bool == true)
        #expect((security["capabilities"] as? Object)?["drop"] as? [String] == ["ALL"])
        #expect(security["privileged"] as? Bool != true)

        let resources = try #require(container["resources"] as? Object)
        for key in ["requests", "limits"] {
            let values = resources[key] as? Object
            #expect(values?["cpu"] != nil && values?["memory"] != nil, "\(key) needs cpu and memory")
        }
        let ports = container["ports"] as? [Object] ?? []
        #expect(ports.contains { $0["containerPort"] as? Int == 8080 && $0["name"] as? String == "metrics" })
        for (probe, path) in [("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")] {
            let get = (container[probe] as? Object)?["httpGet"] as? Object
            #expect(get?["path"] as? String == path, "\(probe)")
            #expect(get?["port"] as? String == "metrics" || get?["port"] as? Int == 8080, "\(probe)")
        }
        let arguments = Self.strings(container["args"])
        #expect(arguments.first == "run")
        #expect(arguments.contains("--leader-elect"))
        #expect(arguments.contains("--leader-elect-name=hpa-controller"))
    }

    @Test("every flag the Deployment passes is one `hpa-controller run` accepts")
    func deploymentFlagsExist() throws {
        let binary = try BuiltProgram.hpaController()
        // Until the `run` command lands there is nothing to check against.
        guard try BuiltProgram.subcommands(of: binary).contains("run") else { return }
        let help = try BuiltProgram.run(binary, ["run", "--help"])
        #expect(help.status == 0, "\(help.standardError)")
        let container = try Self.container(of: Self.only("Deployment", in: Self.rendered()))
        for argument in Self.strings(container["args"]).dropFirst() where argument.hasPrefix("-") {
            let flag = String(argument.split(separator: "=", maxSplits: 1)[0])
            #expect(help.standardOutput.contains(flag), "`run --help` does not mention \(flag)")
        }
    }

    static func container(of deployment: Object) throws -> Object {
        let podSpec = try #require(((deployment["spec"] as? Object)?["template"] as? Object)?["spec"] as? Object)
        let containers = try #require(podSpec["containers"] as? [Object])
        return try #require(containers.first { $0["name"] as? String == "hpa-controller" })
    }
}
