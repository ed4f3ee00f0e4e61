import KubeAPI
import Simulation

/// What a simulated cluster starts with: workloads (with their models and load) and any other
/// objects (HPAs, ...).
public struct ClusterScenario: Sendable {
    public var name: String
    public var workloads: [WorkloadSpec]
    /// Further objects to create after the workloads, e.g. HorizontalPodAutoscalers.
    public var objects: [KubeAPI.JSONValue]
    /// Whether virtual time 0 is midnight (daily load patterns): a live cluster then starts its
    /// clock at the current time of day.
    public var startsAtMidnight: Bool

    public init(name: String, workloads: [WorkloadSpec], objects: [KubeAPI.JSONValue] = [], startsAtMidnight: Bool = false) {
        self.name = name
        self.workloads = workloads
        self.objects = objects
        self.startsAtMidnight = startsAtMidnight
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
        objects: [loginServiceHPA], startsAtMidnight: true)

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
    /// Creates the scenario's workloads and objects. Metrics that the scenario's HPAs read and the
    /// cluster would otherwise not serve are fed from the target workload's load: per-pod (Pods)
    /// and Object metrics from `load.metrics[name]`, External metrics (with the HPA's metric
    /// selector as labels) likewise; a metric without its own curve follows the demand.
    public func load(_ scenario: ClusterScenario) throws(ClusterSimError) {
        var workloads = scenario.workloads
        var objectMetrics: [(namespace: String, resource: String, name: String, metric: String, curve: LoadCurve)] = []
        var externalMetrics: [(namespace: String, name: String, labels: [String: String], curve: LoadCurve)] = []
        for object in scenario.objects where object["kind"]?.stringValue == "HorizontalPodAutoscaler" {
            let namespace = object.value(at: ["metadata", "namespace"])?.stringValue ?? "default"
            let targetName = object.value(at: ["spec", "scaleTargetRef", "name"])?.stringValue ?? ""
            guard let index = workloads.firstIndex(where: { $0.namespace == namespace && $0.name == targetName }) else { continue }
            guard case .array(let metrics)? = object.value(at: ["spec", "metrics"]) else { continue }
            for metric in metrics {
                let type = metric["type"]?.stringValue ?? ""
                let key = type.prefix(1).lowercased() + type.dropFirst()
                guard type != "Resource", type != "ContainerResource",
                      let name = metric.value(at: [key, "metric", "name"])?.stringValue else { continue }
                let curve = workloads[index].load.metrics[name] ?? workloads[index].load.demand
                switch type {
                case "Pods":
                    workloads[index].load.metrics[name] = curve
                case "Object":
                    let described = metric.value(at: ["object", "describedObject"])
                    let kind = described?["kind"]?.stringValue ?? ""
                    let group = (described?["apiVersion"]?.stringValue ?? "").split(separator: "/").dropLast().joined(separator: "/")
                    let plural = Self.plural(of: kind)
                    objectMetrics.append((namespace, group.isEmpty ? plural : "\(plural).\(group)",
                                          described?["name"]?.stringValue ?? "", name, curve))
                case "External":
                    let labels = metric.value(at: ["external", "metric", "selector", "matchLabels"])?.stringMap ?? [:]
                    externalMetrics.append((namespace, name, labels, curve))
                default:
                    continue
                }
            }
        }
        for workload in workloads { try addWorkload(workload) }
        for object in scenario.objects { try create(object) }
        for metric in objectMetrics {
            setObjectMetric(namespace: metric.namespace, resource: metric.resource, name: metric.name, metric: metric.metric, curve: metric.curve)
        }
        for metric in externalMetrics {
            setExternalMetric(namespace: metric.namespace, name: metric.name, labels: metric.labels, curve: metric.curve)
        }
    }

    /// The lower-case plural of a kind, as Kubernetes names resources (Ingress → ingresses).
    static func plural(of kind: String) -> String {
        let lower = kind.lowercased()
        if lower.hasSuffix("s") || lower.hasSuffix("x") || lower.hasSuffix("ch") { return lower + "es" }
        if lower.hasSuffix("y"), let last = lower.dropLast().last, !"aeiou".contains(last) { return lower.dropLast() + "ies" }
        return lower + "s"
    }
}
