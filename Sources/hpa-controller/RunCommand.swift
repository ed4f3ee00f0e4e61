import ArgumentParser
import HPAController
import HPACore
import KubeAPI
import KubeClient
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `hpa-controller run`: the HPA controller against a cluster — as an operator, or with
/// `--dry-run` as a read-only explainer. Flag names and defaults are kube-controller-manager's
/// for the HPA knobs and kubectl's for the connection.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the HPA controller against a cluster (or explain its decisions with --dry-run).",
        discussion: """
            Without --namespace every namespace is watched (the kubeconfig context's namespace does not \
            narrow the scope). With --dry-run nothing is written: each decision is printed instead \
            (--output table or json; see docs/dry-run.md). --once runs a single pass and exits 0 when \
            every HPA was decided, 1 otherwise.
            """)

    // kube-controller-manager's HPA flags.
    @Option(name: .customLong("horizontal-pod-autoscaler-sync-period"), help: "How often each HPA is reconciled (Go duration).")
    var syncPeriod = "15s"
    @Option(name: .customLong("horizontal-pod-autoscaler-tolerance"), help: "Minimum change in the desired/actual metric ratio before scaling.")
    var tolerance = 0.1
    @Option(name: .customLong("horizontal-pod-autoscaler-downscale-stabilization"), help: "Scale-down stabilization window (Go duration).")
    var downscaleStabilization = "5m0s"
    @Option(name: .customLong("horizontal-pod-autoscaler-cpu-initialization-period"), help: "Period after pod start when CPU samples may be skipped (Go duration).")
    var cpuInitializationPeriod = "5m0s"
    @Option(name: .customLong("horizontal-pod-autoscaler-initial-readiness-delay"), help: "Period after pod start during which readiness changes count as initial readiness (Go duration).")
    var initialReadinessDelay = "30s"
    @Option(name: .customLong("horizontal-pod-autoscaler-upscale-delay"), help: "Deprecated; accepted and ignored.")
    var upscaleDelay = "3m0s"
    @Option(name: .customLong("horizontal-pod-autoscaler-downscale-delay"), help: "Deprecated; accepted and ignored.")
    var downscaleDelay = "5m0s"
    @Option(name: .customLong("concurrent-horizontal-pod-autoscaler-syncs"), help: "Number of HPAs reconciled concurrently.")
    var concurrentSyncs = 5
    @Option(name: .customLong("kube-api-qps"), help: "Client-side requests per second to the API server.")
    var kubeAPIQPS: Double = 20
    @Option(name: .customLong("kube-api-burst"), help: "Client-side request burst to the API server.")
    var kubeAPIBurst = 30
    @Option(name: .customLong("feature-gates"), help: "Comma-separated Gate=true|false (HPAScaleToZero, HPAConfigurableTolerance, ...).")
    var featureGates = ""

    // kubectl's connection flags.
    @Option(name: .customLong("kubeconfig"), help: "Path to the kubeconfig file.")
    var kubeconfig: String?
    @Option(name: .customLong("context"), help: "The kubeconfig context to use.")
    var context: String?
    @Option(name: [.customShort("n"), .customLong("namespace")], help: "Only this namespace (default: all namespaces).")
    var namespace: String?

    // Modes.
    @Flag(name: .customLong("dry-run"), help: "Decide but write nothing; print each decision.")
    var dryRun = false
    @Flag(name: .customLong("once"), help: "Run a single pass over all HPAs and exit.")
    var once = false
    @Option(name: [.customShort("o"), .customLong("output")], help: "table or json (JSON Lines).")
    var output = "table"
    @Option(name: .customLong("metric-fetch-timeout"), help: "Deadline of each metrics API request (Go duration).")
    var metricFetchTimeout = "10s"

    @OptionGroup var operations: RunOperationsOptions

    /// The core's settings from the flags; errors phrased like kube-controller-manager's.
    func controllerSettings() throws -> ControllerSettings {
        func seconds(_ text: String, _ flag: String) throws -> Double {
            do { return try GoDuration(parsing: text).seconds } catch {
                throw ValidationError("invalid argument \"\(text)\" for \"--\(flag)\" flag: \(error)")
            }
        }
        var gates = FeatureGates()
        for item in featureGates.split(separator: ",") where !item.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let enabled = Bool(parts[1].lowercased()) else {
                throw ValidationError("invalid argument \"\(featureGates)\" for \"--feature-gates\" flag: missing bool value for \(parts[0])")
            }
            guard gates.set(parts[0], enabled) else {
                throw ValidationError("unrecognized feature gate: \(parts[0]) (known: \(FeatureGates.knownNames.joined(separator: ", ")))")
            }
        }
        let settings = ControllerSettings(
            syncPeriodSeconds: try seconds(syncPeriod, "horizontal-pod-autoscaler-sync-period"),
            tolerance: tolerance,
            downscaleStabilizationWindowSeconds: try seconds(downscaleStabilization, "horizontal-pod-autoscaler-downscale-stabilization"),
            cpuInitializationPeriodSeconds: try seconds(cpuInitializationPeriod, "horizontal-pod-autoscaler-cpu-initialization-period"),
            initialReadinessDelaySeconds: try seconds(initialReadinessDelay, "horizontal-pod-autoscaler-initial-readiness-delay"),
            concurrentSyncs: concurrentSyncs,
            upscaleForbiddenWindowSeconds: try seconds(upscaleDelay, "horizontal-pod-autoscaler-upscale-delay"),
            downscaleForbiddenWindowSeconds: try seconds(downscaleDelay, "horizontal-pod-autoscaler-downscale-delay"),
            featureGates: gates)
        if let problem = settings.validationErrors().first { throw ValidationError(problem) }
        return settings
    }

    func validate() throws {
        guard DecisionOutputFormat(rawValue: output) != nil else {
            throw ValidationError("--output must be table or json, got \"\(output)\"")
        }
        guard let timeout = try? GoDuration(parsing: metricFetchTimeout), timeout.seconds > 0 else {
            throw ValidationError("invalid argument \"\(metricFetchTimeout)\" for \"--metric-fetch-timeout\" flag: a positive Go duration is expected (e.g. 10s)")
        }
        _ = try controllerSettings()
    }

    func run() async throws {
        let settings = try controllerSettings()
        let format = DecisionOutputFormat(rawValue: output) ?? .table
        let configuration: ClientConfiguration
        do { configuration = try ClientConfiguration.resolve(kubeconfig: kubeconfig, context: context) } catch {
            throw ValidationError("cannot load the cluster connection: \(error)")
        }
        let client = KubeClient(configuration: configuration, qps: kubeAPIQPS, burst: kubeAPIBurst,
                                userAgent: "hpa-controller/\(BuildInfo.version)")
        let live = KubeClientRequester(client: client)
        // Dry-run talks through a requester that refuses every writing verb.
        let requester: any KubeRequester = dryRun ? ReadOnlyRequester(live) : live
        let context = RunContext(client: client, settings: settings, dryRun: dryRun, once: once, namespace: namespace)
        // --dry-run keeps signals and probes (it may run as a Deployment on managed clusters) but never elects.
        let operations: any ControllerOperations = once ? PlainControllerOperations() : try self.operations.makeOperations(context: context)
        let fetchTimeout = min(3600, (try? GoDuration(parsing: metricFetchTimeout).seconds) ?? 10)
        let reconciler = Reconciler(
            clients: ReconcilerClients.live(requester: requester, namespace: namespace, metricFetchTimeout: .milliseconds(Int(fetchTimeout * 1000))),
            settings: settings,
            options: ReconcilerOptions(dryRun: dryRun, metricFetchTimeout: .milliseconds(Int(fetchTimeout * 1000))),
            clock: SystemControllerClock(), hooks: operations, eventHost: ProcessInfo.processInfo.hostName)
        let printer = DecisionPrinter(format: format)
        if once {
            let loop = ControllerLoop(reconciler: reconciler, workers: settings.concurrentSyncs)
            let records = try await loop.runOnce()
            await printer.printAll(records)
            if records.contains(where: { !$0.decided }) { throw ExitCode(1) }
            return
        }
        let printing = dryRun
        let loop = ControllerLoop(reconciler: reconciler, workers: settings.concurrentSyncs) { record in
            if printing { await printer.print(record) }
        }
        try await operations.run(loop: loop)
    }
}

/// Writes decision records to standard output: JSON Lines, or kubectl-like aligned rows (a
/// header first; in a continuous run the columns widen as longer values arrive).
actor DecisionPrinter {
    let format: DecisionOutputFormat
    private var widths: [Int] = DecisionOutput.headers.map(\.count)
    private var headerPrinted = false

    init(format: DecisionOutputFormat) { self.format = format }

    func printAll(_ records: [DecisionRecord]) {
        switch format {
        case .json: for record in records { emit(DecisionOutput.jsonLine(record)) }
        case .table: emit(DecisionOutput.table(records))
        }
    }

    func print(_ record: DecisionRecord) {
        switch format {
        case .json:
            emit(DecisionOutput.jsonLine(record))
        case .table:
            let cells = DecisionOutput.cells(record)
            for (index, cell) in cells.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
            if !headerPrinted {
                headerPrinted = true
                emit(row(DecisionOutput.headers))
            }
            emit(row(cells))
        }
    }

    /// One line to standard output, unbuffered (a pipe sees each record as it is decided).
    private func emit(_ line: String) {
        var bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                write(1, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written <= 0 { return }
            offset += written
        }
    }

    private func row(_ cells: [String]) -> String {
        var line = cells.enumerated().map { index, cell in
            index == cells.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[index] - cell.count) + 3)
        }.joined()
        while line.last == " " { line.removeLast() }
        return line
    }
}
