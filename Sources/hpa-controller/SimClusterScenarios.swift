import ArgumentParser
import ClusterSim

/// Turns a `--scenario` file into what the simulated cluster serves.
enum SimClusterScenarios {
    static func load(path: String?) throws -> ClusterScenario {
        guard let path else { return .loginService }
        throw ValidationError("sim-cluster: --scenario \(path): scenario files are not supported yet; omit --scenario for the login-service scenario")
    }
}
