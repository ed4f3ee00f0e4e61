import ArgumentParser
import HPAController
import HPACore
import KubeClient

/// Everything `run` knows when it builds its operations.
struct RunContext: Sendable {
    var client: KubeClient
    var settings: ControllerSettings
    var dryRun: Bool
    var once: Bool
    /// nil = all namespaces.
    var namespace: String?
}

/// OPS HOOK — the operations side's flags and wiring for `hpa-controller run`.
///
/// This file belongs to the operations helper (leader election, endpoints, metrics, logging,
/// SIGTERM): add flags here (`--leader-elect`, `--leader-elect-resource-namespace`,
/// `--leader-elect-resource-name`, the probe/metrics bind address, `--log-format`, `-v`) and
/// return a `ControllerOperations` from `makeOperations(context:)`. `run` calls it once, uses the
/// result as the reconciler's hooks (write gating, `/readyz`, Prometheus) and then runs the loop
/// through it. With `--dry-run` or `--once` no leader election may be used.
struct RunOperationsOptions: ParsableArguments {
    func makeOperations(context: RunContext) throws -> any ControllerOperations {
        PlainControllerOperations()
    }
}
