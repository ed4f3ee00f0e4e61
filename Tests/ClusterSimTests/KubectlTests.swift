import ClusterSim
import Foundation
import KubeAPI
import Simulation
import Testing

/// The installed kubectl, if any.
private let kubectlPath: String? = {
    let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin").split(separator: ":").map { "\($0)/kubectl" }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// A login-service cluster that kubectl can talk to (kubectl sends no token over plain HTTP).
private final class KubectlHarness {
    let cluster: SimulatedCluster
    let cacheDirectory: String

    init() throws {
        var configuration = SimulatedCluster.Configuration()
        configuration.allowAnonymous = true
        configuration.kubeconfigNamespace = "login"
        cluster = try SimulatedCluster.start(configuration)
        try cluster.load(.loginService)
        cluster.setLoad(namespace: "login", name: "webflux-login",
                        profile: LoadProfile(demand: .constant(30_000), metrics: ["http_requests": .constant(30)]))
        cluster.setExternalMetric(name: "queue_messages_ready", labels: ["queue": "worker_tasks"], curve: .constant(25))
        cacheDirectory = URL(fileURLWithPath: cluster.kubeconfigPath).deletingLastPathComponent().appendingPathComponent("cache").path
    }

    deinit { cluster.stop() }

    /// Runs kubectl with the cluster's kubeconfig; returns exit status and stdout+stderr.
    func kubectl(_ arguments: [String], stopAfter seconds: Double? = nil, whileRunning: (() throws -> Void)? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: kubectlPath ?? "/usr/bin/kubectl")
        process.arguments = ["--kubeconfig", cluster.kubeconfigPath, "--cache-dir", cacheDirectory] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        if let seconds {
            usleep(UInt32(seconds * 500_000))
            try whileRunning?()
            usleep(UInt32(seconds * 500_000))
            process.terminate()
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite(.enabled(if: kubectlPath != nil, "kubectl is not installed"), .serialized)
struct KubectlTests {
    @Test func getHPAsInAllNamespaces() throws {
        let harness = try KubectlHarness()
        let result = try harness.kubectl(["get", "hpa", "-A"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("login"))
        #expect(result.output.contains("login-service-hpa"))
        // Server-side printing: kubectl shows the HPA columns.
        #expect(result.output.contains("REFERENCE"), "\(result.output)")
        #expect(result.output.contains("Deployment/webflux-login"))
        #expect(result.output.contains("cpu: <unknown>/70%"))
        let pods = try harness.kubectl(["get", "pods"])
        #expect(pods.output.contains("Running"), "\(pods.output)")
        #expect(pods.output.contains("1/1"))
        let json = try harness.kubectl(["get", "hpa", "login-service-hpa", "-o", "jsonpath={.spec.maxReplicas}/{.spec.scaleTargetRef.name}"])
        #expect(json.output == "15/webflux-login")
    }

    @Test(arguments: [
        ("/apis/metrics.k8s.io/v1beta1/namespaces/login/pods", "PodMetricsList"),
        ("/apis/custom.metrics.k8s.io/v1beta2/namespaces/login/pods/*/http_requests", "MetricValueList"),
        ("/apis/custom.metrics.k8s.io/v1beta1/namespaces/login/pods/*/http_requests", "MetricValueList"),
        ("/apis/external.metrics.k8s.io/v1beta1/namespaces/login/queue_messages_ready", "ExternalMetricValueList"),
    ])
    func getRawMetrics(path: String, kind: String) throws {
        let harness = try KubectlHarness()
        let result = try harness.kubectl(["get", "--raw", path])
        #expect(result.status == 0, "\(result.output)")
        let document = json(result.output)
        #expect(document["kind"]?.stringValue == kind)
        #expect(!document.items.isEmpty)
    }

    @Test func scaleSubresourceAndScaleCommand() throws {
        let harness = try KubectlHarness()
        let scale = try harness.kubectl(["get", "deploy/webflux-login", "--subresource=scale", "-o", "json"])
        #expect(scale.status == 0, "\(scale.output)")
        let document = json(scale.output)
        #expect(document["kind"]?.stringValue == "Scale")
        #expect(document.at("spec.replicas")?.int == 3)
        #expect(document.at("status.selector")?.stringValue == "app=webflux-login")
        let scaled = try harness.kubectl(["scale", "deploy/webflux-login", "--replicas=5"])
        #expect(scaled.status == 0, "\(scaled.output)")
        #expect(scaled.output.contains("scaled"))
        #expect(harness.cluster.object(kind: "Deployment", namespace: "login", name: "webflux-login")?.at("spec.replicas")?.int == 5)
        #expect(harness.cluster.objects(kind: "Pod", namespace: "login").count == 5)
    }

    @Test func watchSeesChanges() throws {
        let harness = try KubectlHarness()
        let cluster = harness.cluster
        let result = try harness.kubectl(["get", "hpa", "--watch", "--output-watch-events"], stopAfter: 4) {
            try cluster.update(kind: "HorizontalPodAutoscaler", namespace: "login", name: "login-service-hpa") {
                $0["spec"]?["maxReplicas"] = .integer(20)
            }
        }
        #expect(result.output.contains("ADDED"), "\(result.output)")
        #expect(result.output.contains("MODIFIED"), "\(result.output)")
    }

    @Test func createFromAManifest() throws {
        let harness = try KubectlHarness()
        let manifest = URL(fileURLWithPath: harness.cacheDirectory).deletingLastPathComponent().appendingPathComponent("hpa.yaml")
        try Data("""
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: web
            spec:
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: webflux-login
              minReplicas: 2
              maxReplicas: 6
              metrics:
              - type: Resource
                resource:
                  name: cpu
                  target:
                    type: Utilization
                    averageUtilization: 60

            """.utf8).write(to: manifest)
        let created = try harness.kubectl(["create", "-f", manifest.path])
        #expect(created.status == 0, "\(created.output)")
        #expect(created.output.contains("horizontalpodautoscaler.autoscaling/web created"))
        #expect(harness.cluster.object(kind: "HorizontalPodAutoscaler", namespace: "login", name: "web")?.at("spec.maxReplicas")?.int == 6)
        let again = try harness.kubectl(["create", "-f", manifest.path])
        #expect(again.status != 0)
        #expect(again.output.contains("AlreadyExists") || again.output.contains("already exists"))
        #expect(harness.cluster.requests.contains { $0.verb == "create" && $0.query.contains("fieldValidation=Strict") })
        // kubectl apply (client-side: strategic merge patch) and --server-side (apply patch).
        try Data(String(decoding: try Data(contentsOf: manifest), as: UTF8.self).replacingOccurrences(of: "maxReplicas: 6", with: "maxReplicas: 8").utf8).write(to: manifest)
        let applied = try harness.kubectl(["apply", "-f", manifest.path])
        #expect(applied.status == 0, "\(applied.output)")
        #expect(harness.cluster.object(kind: "HorizontalPodAutoscaler", namespace: "login", name: "web")?.at("spec.maxReplicas")?.int == 8)
        try Data(String(decoding: try Data(contentsOf: manifest), as: UTF8.self).replacingOccurrences(of: "maxReplicas: 8", with: "maxReplicas: 9").utf8).write(to: manifest)
        let serverSide = try harness.kubectl(["apply", "--server-side", "-f", manifest.path])
        #expect(serverSide.status == 0, "\(serverSide.output)")
        #expect(harness.cluster.object(kind: "HorizontalPodAutoscaler", namespace: "login", name: "web")?.at("spec.maxReplicas")?.int == 9)
    }
}
