import Foundation
import KubeAPI
@testable import OfflineSimulator
import Simulation

/// A decider that replays a script: at each listed time it asks for that replica count; otherwise
/// it keeps the current count. Test-only: it checks the loop, not any scaling rule.
struct ScriptedDecider: ScalingDecider {
    var script: [SimSeconds: (replicas: Int, reason: String)]
    mutating func decide(_ observation: Observation) -> StepDecision {
        if let entry = script[observation.time] {
            return StepDecision(desiredReplicas: entry.replicas, rescale: entry.replicas != observation.specReplicas,
                                limitedBy: entry.reason,
                                metrics: [MetricReading(name: "cpu", type: "Resource", current: 50, target: 70, unit: "%")])
        }
        return StepDecision(desiredReplicas: observation.specReplicas, rescale: false, limitedBy: "DesiredWithinRange",
                            metrics: [MetricReading(name: "cpu", type: "Resource", current: 60, target: 70, unit: "%")])
    }
}

func scripted(_ script: [SimSeconds: (Int, String)]) -> DeciderFactory {
    let entries = script.mapValues { (replicas: $0.0, reason: $0.1) }
    return { _, _ throws(ScenarioError) in ScriptedDecider(script: entries) }
}

let loginHPAYAML = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: login-service-hpa
  namespace: login
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: webflux-login
  minReplicas: 3
  maxReplicas: 15
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 70
"""

/// The login HPA indented to sit under `hpa:` in a scenario.
func inlineHPA(indent: Int = 2) -> String {
    loginHPAYAML.split(separator: "\n").map { String(repeating: " ", count: indent) + $0 }.joined(separator: "\n")
}

/// A fresh temporary folder.
func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("simtests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The repository root (for examples/).
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()
