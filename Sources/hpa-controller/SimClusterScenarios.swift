import ArgumentParser
import ClusterSim
import KubeAPI
import OfflineSimulator

/// A failure of `sim-cluster` (printed as `Error: ...`, exit status 1, without the usage text).
struct SimClusterError: Error, CustomStringConvertible {
    var description: String
}

/// Turns a `--scenario` file (the format `simulate` reads) into what the simulated cluster serves:
/// the target workload of the first variant's HPA, with the scenario's workload model, initial
/// replicas and load, and that HPA.
enum SimClusterScenarios {
    static func load(path: String?) throws -> ClusterScenario {
        guard let path else { return .loginService }
        let scenario: Scenario
        do {
            scenario = try ScenarioParser.load(path: path)
        } catch {
            throw SimClusterError(description: "sim-cluster: \(error)")
        }
        guard let variant = scenario.variants.first else {
            throw SimClusterError(description: "sim-cluster: \(path): the scenario has no HPA")
        }
        var hpa = try KubeAPI.JSONValue(encoding: variant.hpa)
        hpa["status"] = nil
        let namespace = variant.hpa.metadata.namespace ?? "default"
        if variant.hpa.metadata.namespace == nil { hpa["metadata"]?["namespace"] = .string(namespace) }
        let target = variant.hpa.spec.scaleTargetRef
        let workload = WorkloadSpec(kind: target.kind, namespace: namespace, name: target.name,
                                    replicas: scenario.initialReplicas, model: scenario.workload, load: scenario.load)
        return ClusterScenario(name: scenario.name, workloads: [workload], objects: [hpa], startsAtMidnight: scenario.clockAxis)
    }
}
