/// The ops side's implementation of the reconcile path's `ControllerHooks`:
///
/// - `mayWrite()`: true only while this process leads (`LeadershipState`), so a standby decides
///   but writes nothing, and a leader that lost its lease stops writing at once;
/// - `cachesSynced()`: marks `/readyz`'s `informer-sync` check (a standby becomes ready too);
/// - `reconciled(_:)`: Prometheus counters, histograms and per-HPA gauges (only while leading, as
///   upstream's standby runs no controller), `api-server` reachability for `/readyz`, and one log
///   line per rescale or failed pass;
/// - `cacheHealthChanged(resource:error:)`: `/readyz`'s `cache-list-watch` check, and a warning
///   when a cache's list/watch starts failing (an info line when it recovers);
/// - `hpaDeleted(_:)`: drops the HPA's gauges.
public struct OperationsHooks: ControllerHooks {
    public let leadership: LeadershipState
    public let readiness: ReadinessState
    public let metrics: any ReconcileMetricsRecorder
    public let logger: OperationsLogger

    public init(leadership: LeadershipState, readiness: ReadinessState, metrics: any ReconcileMetricsRecorder,
                logger: OperationsLogger = .disabled) {
        self.leadership = leadership
        self.readiness = readiness
        self.metrics = metrics
        self.logger = logger
    }

    /// Hooks wired to a runtime's state.
    public init(runtime: OperatorRuntime) {
        self.init(leadership: runtime.leadership, readiness: runtime.readiness, metrics: runtime.metrics, logger: runtime.logger)
    }

    public func mayWrite() async -> Bool { leadership.isLeader }

    public func cachesSynced() async {
        if !readiness.cachesSynced { logger.info("caches synced") }
        readiness.markCachesSynced()
    }

    public func cacheHealthChanged(resource: String, error: String?) async {
        readiness.recordCacheError(resource: resource, error: error)
        if let error {
            logger.warning("cache list/watch failing", [("resource", resource), ("error", error)])
        } else {
            logger.info("cache list/watch recovered", [("resource", resource)])
        }
    }

    public func reconciled(_ report: ReconcileReport) async {
        let action = ReconcileAction(rawValue: report.action) ?? .none
        let error = ReconcileErrorLabel(rawValue: report.error) ?? .internal
        readiness.recordAPIResult(error: Self.unreachableAPI(report.errorMessage))
        guard leadership.isLeader else {
            // Upstream's standby runs no controller, so its metrics stay empty; ours decides
            // (to stay warm) but reports nothing except at -v 1.
            logger.debug(1, "standby decided (not leading, nothing written)",
                         [("hpa", report.key.description), ("desired", report.desiredReplicas.map(String.init) ?? "-")])
            return
        }
        metrics.hpaAdded(namespace: report.key.namespace, name: report.key.name)
        metrics.recordReconciliation(action: action, error: error, durationSeconds: report.durationSeconds)
        var proposals: [MetricProposal] = []
        for metric in report.metrics {
            metrics.recordMetricComputation(action: ReconcileAction(rawValue: metric.action) ?? .none,
                                            error: ReconcileErrorLabel(rawValue: metric.error) ?? .internal,
                                            metricType: metric.metricType, durationSeconds: metric.fetchSeconds)
            if let replicas = metric.proposedReplicas {
                proposals.append(MetricProposal(metricType: metric.metricType, metricName: metric.name, replicas: replicas))
            }
        }
        if let current = report.currentReplicas, let desired = report.desiredReplicas {
            metrics.recordReplicas(namespace: report.key.namespace, name: report.key.name, current: current,
                                   desired: desired, proposals: proposals)
        }
        let fields: [(String, String)] = [("hpa", report.key.description)]
        if let message = report.errorMessage {
            logger.warning("reconcile failed", fields + [("error", message)])
        } else if action != .none, let current = report.currentReplicas, let desired = report.desiredReplicas {
            logger.info(report.wrote ? "rescaled" : "rescale not written",
                        fields + [("from", String(current)), ("to", String(desired))])
        } else {
            logger.debug(2, "reconciled", fields + [("seconds", String(report.durationSeconds))])
        }
    }

    public func hpaDeleted(_ key: HPAKey) async {
        metrics.hpaDeleted(namespace: key.namespace, name: key.name)
        logger.debug(1, "HPA deleted", [("hpa", key.description)])
    }

    /// A pass's error text when it says the API server could not be reached, else nil.
    static func unreachableAPI(_ message: String?) -> String? {
        guard let message else { return nil }
        let markers = ["couldNotConnect", "couldNotResolveHost", "timedOut", "transport"]
        return markers.contains { message.contains($0) } ? message : nil
    }
}
