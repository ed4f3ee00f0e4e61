import ArgumentParser
import HPAController
import KubeAPI

/// Flags of the daemon's operational side, shared by `run` (and `demo` for logging):
/// leader election (kube-controller-manager's names), the probe/metrics address, logging.
struct OperationsOptions: ParsableArguments {
    @Flag(name: .customLong("leader-elect"), inversion: .prefixedNo,
          help: "Elect a leader on a coordination.k8s.io Lease before writing; only the leader writes. Never used with --dry-run.")
    var leaderElect = true

    @Option(name: .customLong("leader-elect-namespace"), help: "Namespace of the leader election Lease.")
    var leaderElectNamespace = LeaderElectionConfig.defaultNamespace

    @Option(name: .customLong("leader-elect-name"), help: "Name of the leader election Lease.")
    var leaderElectName = LeaderElectionConfig.defaultName

    @Option(name: .customLong("leader-elect-lease-duration"), help: "How long a standby waits after the lease last changed before taking it over.")
    var leaseDuration = "15s"

    @Option(name: .customLong("leader-elect-renew-deadline"), help: "How long the leader retries renewing before it stops writing.")
    var renewDeadline = "10s"

    @Option(name: .customLong("leader-elect-retry-period"), help: "Pause between attempts to acquire or renew the lease.")
    var retryPeriod = "2s"

    @Option(name: .customLong("metrics-bind-address"),
            help: "host:port serving /healthz, /readyz and /metrics (':8080' = all interfaces; '0' disables).")
    var metricsBindAddress = ":8080"

    @Option(name: .customLong("log-format"), help: "Log line format: text or json.")
    var logFormat: LogFormatArgument = .text

    @Flag(name: .short, help: "More detail in the logs (repeat for more: -vv).")
    var verbose: Int

    @Option(name: .customLong("v"), help: "Log verbosity as a number (klog style); the larger of this and -v counts.")
    var verbosity: Int = 0

    func validate() throws {
        for (flag, text) in [("--leader-elect-lease-duration", leaseDuration), ("--leader-elect-renew-deadline", renewDeadline),
                             ("--leader-elect-retry-period", retryPeriod)] {
            guard (try? GoDuration(parsing: text)) != nil else {
                throw ValidationError("\(flag): \"\(text)\" is not a duration (e.g. 15s, 1m30s)")
            }
        }
        if metricsBindAddress != "0", BindAddress(parsing: metricsBindAddress) == nil {
            throw ValidationError("--metrics-bind-address: \"\(metricsBindAddress)\" is not host:port (e.g. :8080, 127.0.0.1:9090)")
        }
        if leaderElect {
            do { try leaderElectionConfig(identity: "validation")?.validate() } catch {
                throw ValidationError(String(describing: error))
            }
        }
    }

    /// The logger these flags ask for, writing to stderr.
    func makeLogger() -> OperationsLogger {
        OperationsLogger(format: logFormat.format, verbosity: max(verbose, verbosity))
    }

    /// The leader election settings, or nil when off (always nil in dry-run).
    func leaderElectionConfig(identity: String = LeaderElectionConfig.defaultIdentity(), dryRun: Bool = false) throws -> LeaderElectionConfig? {
        guard leaderElect, !dryRun else { return nil }
        var config = LeaderElectionConfig(namespace: leaderElectNamespace, name: leaderElectName, identity: identity)
        config.leaseDuration = try GoDuration(parsing: leaseDuration).seconds
        config.renewDeadline = try GoDuration(parsing: renewDeadline).seconds
        config.retryPeriod = try GoDuration(parsing: retryPeriod).seconds
        return config
    }

    /// The probe/metrics address, or nil when disabled with `0`.
    var probeAddress: BindAddress? {
        metricsBindAddress == "0" ? nil : BindAddress(parsing: metricsBindAddress)
    }

    /// Everything `OperatorRuntime` needs from the flags.
    func runtimeSettings(dryRun: Bool) throws -> OperatorRuntime.Settings {
        OperatorRuntime.Settings(leaderElection: try leaderElectionConfig(dryRun: dryRun), probeAddress: probeAddress)
    }
}

enum LogFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case text, json
    var format: LogFormat { self == .json ? .json : .text }
}
