#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore

/// The reconcile loop: caches → work queue → N workers → ``Reconciler``.
///
/// Every HPA is reconciled once per requeue interval (the core's answer: the sync period or the
/// HPA's `spec.syncPeriodSeconds`), at once when it appears, and promptly after its spec changes.
/// The queue never hands one key to two workers, and each worker takes the next ready key, so a
/// slow or failing HPA only ever occupies one worker (and each metric fetch has a deadline).
public final class ControllerLoop: Sendable {
    public let reconciler: Reconciler
    public let queue: WorkQueue
    public let workers: Int
    /// Receives every decision record (the `--output` printer; dry-run's report).
    public let onRecord: @Sendable (DecisionRecord) async -> Void

    public init(reconciler: Reconciler, workers: Int, onRecord: @escaping @Sendable (DecisionRecord) async -> Void = { _ in }) {
        self.reconciler = reconciler
        self.queue = WorkQueue(clock: reconciler.clock)
        self.workers = max(1, workers)
        self.onRecord = onRecord
    }

    private var clients: ReconcilerClients { reconciler.clients }

    /// Turns a cache change into queue operations.
    public func handle(_ change: HPAChange) async {
        switch change {
        case .added(let key):
            await reconciler.hpaAdded(key)
            await queue.add(key)
        case .updated(let key, let specChanged):
            if specChanged { await queue.add(key) }
        case .deleted(let key):
            await queue.forget(key)
            await reconciler.hpaDeleted(key)
        }
    }

    /// Runs until ``stop()``: fills the caches, waits for them to sync, then runs the workers.
    /// In-flight reconciles finish before this returns. List/watch failures and recoveries of
    /// the caches, and a cache task that ends with an error, reach the hooks'
    /// `cacheHealthChanged(resource:error:)` (logs, `/readyz`) instead of being dropped.
    public func run() async throws {
        await withThrowingTaskGroup(of: Void.self) { group in
            let clients = self.clients
            let hooks = reconciler.hooks
            Self.observeHealth(of: clients.hpas, resource: Self.hpaResource, hooks: hooks)
            Self.observeHealth(of: clients.pods, resource: Self.podResource, hooks: hooks)
            group.addTask {
                await Self.runCache(Self.hpaResource, hooks: hooks) {
                    try await clients.hpas.run(onChange: { await self.handle($0) })
                }
            }
            group.addTask { await Self.runCache(Self.podResource, hooks: hooks) { try await clients.pods.run() } }
            group.addTask { await self.queue.runTimer() }
            await clients.hpas.waitUntilSynced()
            await clients.pods.waitUntilSynced()
            // Cancelled (shutdown) before the first lists completed: nothing is in flight.
            if Task.isCancelled {
                group.cancelAll()
                return
            }
            await reconciler.hooks.cachesSynced()
            await withTaskGroup(of: Void.self) { workerGroup in
                for _ in 0..<workers { workerGroup.addTask { await self.work() } }
            }
            group.cancelAll()
        }
    }

    static let hpaResource = "horizontalpodautoscalers"
    static let podResource = "pods"

    /// Forwards a list+watch cache's failures and recoveries to `hooks`.
    static func observeHealth(of cache: any Sendable, resource: String, hooks: any ControllerHooks) {
        guard let reporting = cache as? any ListWatchHealthReporting else { return }
        reporting.listWatchHealth.observe { error in await hooks.cacheHealthChanged(resource: resource, error: error) }
    }

    /// Runs one cache until cancelled; if it stops otherwise (an error, or returning early), the
    /// hooks hear it, since the workers would go on reading a cache nobody updates.
    static func runCache(_ resource: String, hooks: any ControllerHooks, _ body: @Sendable () async throws -> Void) async {
        do {
            try await body()
            if !Task.isCancelled { await hooks.cacheHealthChanged(resource: resource, error: "cache stopped") }
        } catch {
            if Task.isCancelled || error is CancellationError { return }
            await hooks.cacheHealthChanged(resource: resource, error: "cache stopped: \(error)")
        }
    }

    /// Stops handing out work; ``run()`` returns once in-flight reconciles are done.
    public func stop() async { await queue.shutDown() }

    private func work() async {
        while let key = await queue.next() {
            let outcome = await reconciler.reconcile(key)
            switch outcome {
            case .reconciled(let record, _, let after):
                await queue.add(key, after: after)
                await onRecord(record)
            case .staleCache(let after):
                await queue.add(key, after: after)
            case .deleted:
                break
            }
            await queue.done(key)
        }
    }

    /// `--once`: fills the caches, reconciles every HPA exactly once with the configured number of
    /// workers, and returns the records in key order (deleted HPAs are left out). Throws
    /// ``CacheSyncError`` at the first failed list (a `--once` cannot wait for the API to recover).
    public func runOnce() async throws -> [DecisionRecord] {
        try await withThrowingTaskGroup(of: Void.self) { group in
            let clients = self.clients
            let reconciler = self.reconciler
            group.addTask { try await clients.hpas.run(onChange: { change in
                if case .added(let key) = change { await reconciler.hpaAdded(key) }
            }) }
            group.addTask { try await clients.pods.run() }
            // Wait for both caches, but give up at the first failed list: a single pass cannot wait
            // for the API server to recover.
            try await withThrowingTaskGroup(of: Void.self) { race in
                race.addTask {
                    await clients.hpas.waitUntilSynced()
                    await clients.pods.waitUntilSynced()
                }
                race.addTask {
                    while true {
                        if let error = await clients.hpas.lastError() { throw CacheSyncError(resource: "horizontalpodautoscalers", message: error) }
                        if let error = await clients.pods.lastError() { throw CacheSyncError(resource: "pods", message: error) }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                do {
                    try await race.next()
                } catch {
                    race.cancelAll()
                    group.cancelAll()
                    throw error
                }
                race.cancelAll()
            }
            await reconciler.hooks.cachesSynced()
            let keys = await clients.hpas.keys()
            let feeder = KeyFeeder(keys)
            let records = await withTaskGroup(of: [DecisionRecord].self) { workerGroup in
                for _ in 0..<min(workers, max(1, keys.count)) {
                    workerGroup.addTask {
                        var mine: [DecisionRecord] = []
                        while let key = await feeder.next() {
                            if let record = await reconciler.reconcile(key).record {
                                mine.append(record)
                                await self.onRecord(record)
                            }
                        }
                        return mine
                    }
                }
                var all: [DecisionRecord] = []
                for await part in workerGroup { all.append(contentsOf: part) }
                return all
            }
            group.cancelAll()
            return records.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        }
    }
}

/// Hands out a fixed list of keys to several workers.
actor KeyFeeder {
    private var keys: [HPAKey]
    private var index = 0
    init(_ keys: [HPAKey]) { self.keys = keys }
    func next() -> HPAKey? {
        guard index < keys.count else { return nil }
        defer { index += 1 }
        return keys[index]
    }
}

/// A cache could not be filled (the first list failed).
public struct CacheSyncError: Error, Sendable, CustomStringConvertible {
    public var resource: String
    public var message: String
    public var description: String { "cannot list \(resource): \(message)" }
}
