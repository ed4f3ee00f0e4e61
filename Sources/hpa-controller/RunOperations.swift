import ArgumentParser
import HPAController
import HPACore
import KubeAPI
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

/// The operations side's flags for `hpa-controller run`: leader election (kube-controller-manager's
/// flag names and defaults, plus the shorter `--leader-elect-namespace`/`--leader-elect-name`),
/// the probe/metrics address, and logging. `makeOperations(context:)` builds the
/// `OperatorControllerOperations` that `run` uses as the reconciler's hooks and runs the loop through.
struct RunOperationsOptions: ParsableArguments {
    @Flag(name: .customLong("leader-elect"), inversion: .prefixedNo,
          help: "Elect a leader on a coordination.k8s.io Lease before writing; only the leader writes. Never used with --dry-run or --once.")
    var leaderElect = true

    @Option(name: [.customLong("leader-elect-namespace"), .customLong("leader-elect-resource-namespace")],
            help: "Namespace of the leader election Lease.")
    var leaderElectNamespace = LeaderElectionConfig.defaultNamespace

    @Option(name: [.customLong("leader-elect-name"), .customLong("leader-elect-resource-name")],
            help: "Name of the leader election Lease.")
    var leaderElectName = LeaderElectionConfig.defaultName

    @Option(name: .customLong("leader-elect-lease-duration"), help: "How long a standby waits after the lease last changed before taking it over.")
    var leaseDuration = "15s"

    @Option(name: .customLong("leader-elect-renew-deadline"), help: "How long the leader retries renewing before it stops writing.")
    var renewDeadline = "10s"

    @Option(name: .customLong("leader-elect-retry-period"), help: "Pause between attempts to acquire or renew the lease.")
    var retryPeriod = "2s"

    @Option(name: .customLong("metrics-bind-address"),
            help: "host:port serving /healthz, /readyz and /metrics (':8080' = all interfaces; '0' disables). Default :8080; with --dry-run, off unless given.")
    var metricsBindAddress: String?

    @Option(name: .customLong("log-format"), help: "Log line format: text or json.")
    var logFormat: LogFormatArgument = .text

    @Flag(name: .short, help: "More detail in the logs (repeat for more: -vv).")
    var verbose: Int

    func validate() throws {
        for (flag, text) in [("--leader-elect-lease-duration", leaseDuration), ("--leader-elect-renew-deadline", renewDeadline),
                             ("--leader-elect-retry-period", retryPeriod)] {
            guard (try? GoDuration(parsing: text)) != nil else {
                throw ValidationError("\(flag): \"\(text)\" is not a duration (e.g. 15s, 1m30s)")
            }
        }
        if let metricsBindAddress, metricsBindAddress != "0", BindAddress(parsing: metricsBindAddress) == nil {
            throw ValidationError("--metrics-bind-address: \"\(metricsBindAddress)\" is not host:port (e.g. :8080, 127.0.0.1:9090) or 0")
        }
        if leaderElect {
            do { try leaderElectionConfig(identity: "validation")?.validate() } catch {
                throw ValidationError(String(describing: error))
            }
        }
    }

    /// The logger these flags ask for (standard error).
    func makeLogger() -> OperationsLogger {
        OperationsLogger(format: logFormat.format, verbosity: verbose)
    }

    /// The leader election settings, or nil when off.
    func leaderElectionConfig(identity: String = LeaderElectionConfig.defaultIdentity()) throws -> LeaderElectionConfig? {
        guard leaderElect else { return nil }
        var config = LeaderElectionConfig(namespace: leaderElectNamespace, name: leaderElectName, identity: identity)
        config.leaseDuration = try GoDuration(parsing: leaseDuration).seconds
        config.renewDeadline = try GoDuration(parsing: renewDeadline).seconds
        config.retryPeriod = try GoDuration(parsing: retryPeriod).seconds
        return config
    }

    /// The probe/metrics address, or nil when disabled: `0`, or not given with `--dry-run` (a
    /// laptop run should not grab port 8080).
    func probeAddress(dryRun: Bool) -> BindAddress? {
        let text = metricsBindAddress ?? (dryRun ? "0" : ":8080")
        return text == "0" ? nil : BindAddress(parsing: text)
    }

    func makeOperations(context: RunContext) throws -> any ControllerOperations {
        let logger = makeLogger()
        // Never elect in dry-run (it writes nothing) or --once.
        let election = (context.dryRun || context.once) ? nil : try leaderElectionConfig()
        let probeAddress = probeAddress(dryRun: context.dryRun)
        let runtime = OperatorRuntime(settings: .init(leaderElection: election, probeAddress: probeAddress), logger: logger)
        logger.info("starting", [("mode", context.dryRun ? "dry-run" : "active"), ("leaderElection", election.map { $0.namespace + "/" + $0.name } ?? "off"),
                                 ("identity", election?.identity ?? "-"),
                                 ("endpoints", probeAddress?.description ?? "off"),
                                 ("scope", context.namespace ?? "all namespaces")])
        // The elector's own client: no client-side retries (the elector retries on its schedule).
        let leaseClient = election.map { _ in
            KubeLeaseClient(client: KubeClient(configuration: context.client.configuration, transport: context.client.transport,
                                               qps: 0, retryPolicy: .none))
        }
        return OperatorControllerOperations(runtime: runtime, leaseClient: leaseClient)
    }
}

/// `--log-format` values.
enum LogFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case text, json
    var format: LogFormat { self == .json ? .json : .text }
}
