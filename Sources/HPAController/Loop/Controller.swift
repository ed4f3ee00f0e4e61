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
    /// In-flight reconciles finish before this returns.
    public func run() async throws {
        await withThrowingTaskGroup(of: Void.self) { group in
            let clients = self.clients
            group.addTask { try await clients.hpas.run(onChange: { await self.handle($0) }) }
            group.addTask { try await clients.pods.run() }
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

    /// Stops handing out work; ``run()`` returns once in-flight reconciles are done.
    public func stop() async { await queue.shutDown() }

    private func work() async {
        while let key = await queue.next() {
            let outcome = await reconciler.reconcile(key)
            if case .reconciled(let record, _, let after) = outcome {
                await queue.add(key, after: after)
                await onRecord(record)
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
