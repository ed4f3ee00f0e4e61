#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What one reconcile did, for the ops side's Prometheus metrics and logs.
public struct ReconcileReport: Sendable {
    /// One metric's computation (upstream's `metric_computation_total` / `_duration_seconds`).
    public struct MetricComputation: Sendable {
        /// `spec.metrics[i].type` (`Resource`, `Pods`, …).
        public var metricType: String
        public var name: String
        /// `scale_up`, `scale_down` or `none`.
        public var action: String
        /// `spec`, `internal` or `none`.
        public var error: String
        /// Wall time of this metric's fetch.
        public var fetchSeconds: Double
        public var proposedReplicas: Int32?
    }

    public var key: HPAKey
    /// `scale_up`, `scale_down` or `none` (upstream's `action` label).
    public var action: String
    /// `spec`, `internal` or `none` (upstream's `error` label).
    public var error: String
    public var durationSeconds: Double
    public var currentReplicas: Int32?
    public var desiredReplicas: Int32?
    public var metrics: [MetricComputation]
    /// The pass's error text (nil on success).
    public var errorMessage: String?
    /// Whether writes were carried out (false in dry-run or when not the leader).
    public var wrote: Bool
}

/// The hooks where the ops side (leader election, `/healthz` `/readyz` `/metrics`, logging) plugs
/// into the reconcile path. Every method has a default that does nothing (and allows writes), so
/// an implementation overrides only what it needs.
///
/// - `mayWrite()` gates every write of a pass (scale, status, events): leader election returns
///   false on a standby, which then decides but writes nothing.
/// - `cachesSynced()` is called once both caches hold their first full list (`/readyz`).
/// - `reconciled(_:)` is called after every pass (`reconciliations_total`, durations, gauges).
/// - `hpaDeleted(_:)` lets per-HPA gauges be dropped.
/// - `cacheHealthChanged(resource:error:)` is called when a cache's list/watch starts failing
///   (`error` says why), fails differently, or recovers (`error` nil) — logs and `/readyz`.
public protocol ControllerHooks: Sendable {
    func mayWrite() async -> Bool
    func cachesSynced() async
    func cacheHealthChanged(resource: String, error: String?) async
    func reconciled(_ report: ReconcileReport) async
    func hpaDeleted(_ key: HPAKey) async
}

extension ControllerHooks {
    public func mayWrite() async -> Bool { true }
    public func cachesSynced() async {}
    public func cacheHealthChanged(resource: String, error: String?) async {}
    public func reconciled(_ report: ReconcileReport) async {}
    public func hpaDeleted(_ key: HPAKey) async {}
}

/// No hooks: always writes, records nothing.
public struct NoControllerHooks: ControllerHooks {
    public init() {}
}

/// What `hpa-controller run` wraps around the reconcile loop: leader election, the `/healthz`
/// `/readyz` `/metrics` endpoint, signal handling and logging (owned by the operations side, in
/// `Sources/HPAController/Operations/`). It is also the loop's ``ControllerHooks``: `run` builds
/// the operations first, hands them to the ``Reconciler`` as hooks, then calls ``run(loop:)``.
public protocol ControllerOperations: ControllerHooks {
    /// Runs `loop` (``ControllerLoop/run()``) together with the services until shutdown. On
    /// SIGTERM: call ``ControllerLoop/stop()``, wait for `run()` to return (in-flight reconciles
    /// finish), then release the lease and stop the endpoint.
    func run(loop: ControllerLoop) async throws
}

/// No operations: runs the loop alone (tests, `--dry-run`, `--once`).
public struct PlainControllerOperations: ControllerOperations {
    public init() {}
    public func run(loop: ControllerLoop) async throws { try await loop.run() }
}
