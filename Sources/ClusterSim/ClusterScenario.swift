import KubeAPI
import Simulation

/// What a simulated cluster starts with: workloads (with their models and load) and any other
/// objects (HPAs, ...).
public struct ClusterScenario: Sendable {
    public var name: String
    public var workloads: [WorkloadSpec]
    /// Further objects to create after the workloads, e.g. HorizontalPodAutoscalers.
    public var objects: [KubeAPI.JSONValue]

    public init(name: String, workloads: [WorkloadSpec], objects: [KubeAPI.JSONValue] = []) {
        self.name = name
        self.workloads = workloads
        self.objects = objects
    }

    /// The login-service of the project's seed (../shared/seed/README.md): Deployment
    /// `webflux-login` in namespace `login` with 3 pods (500m CPU / 512Mi requested; 20m idle + 50m
    /// per 1,000 users; Running after 20 s, Ready 10 s later, 2x CPU for 30 s), HPA
    /// `login-service-hpa` 3–15 replicas at 70 % CPU, and a day of traffic: 5K users at night,
    /// 50K by morning, a 150K campaign spike at noon, 20K in the evening.
    public static let loginService = ClusterScenario(
        name: "login-service",
        workloads: [WorkloadSpec(namespace: "login", name: "webflux-login", replicas: 3, labels: ["app": "webflux-login"],
                                 containerName: "webflux", model: .loginService, load: LoadProfile(demand: loginTraffic, unit: "users"))],
        objects: [loginServiceHPA])

    /// Users of the login service over a day (seconds since midnight).
    public static let loginTraffic = LoadCurve.daily(points: [
        CurvePoint(time: 0, value: 5_000), CurvePoint(time: 6 * 3600, value: 5_000),
        CurvePoint(time: 9 * 3600, value: 50_000), CurvePoint(time: 11.5 * 3600, value: 50_000),
        CurvePoint(time: 12 * 3600, value: 150_000), CurvePoint(time: 13 * 3600, value: 150_000),
        CurvePoint(time: 14 * 3600, value: 50_000), CurvePoint(time: 17 * 3600, value: 50_000),
        CurvePoint(time: 19 * 3600, value: 20_000), CurvePoint(time: 22 * 3600, value: 20_000),
        CurvePoint(time: 23.5 * 3600, value: 5_000),
    ])

    public static let loginServiceHPA: KubeAPI.JSONValue = .object([
        "apiVersion": .string("autoscaling/v2"), "kind": .string("HorizontalPodAutoscaler"),
        "metadata": .object(["name": .string("login-service-hpa"), "namespace": .string("login")]),
        "spec": .object([
            "scaleTargetRef": .object(["apiVersion": .string("apps/v1"), "kind": .string("Deployment"), "name": .string("webflux-login")]),
            "minReplicas": .integer(3), "maxReplicas": .integer(15),
            "metrics": .array([.object(["type": .string("Resource"), "resource": .object([
                "name": .string("cpu"), "target": .object(["type": .string("Utilization"), "averageUtilization": .integer(70)]),
            ])])]),
        ]),
    ])
}

extension SimulatedCluster {
    /// Creates the scenario's workloads and objects.
    public func load(_ scenario: ClusterScenario) throws(ClusterSimError) {
        for workload in scenario.workloads { try addWorkload(workload) }
        for object in scenario.objects { try create(object) }
    }
}
