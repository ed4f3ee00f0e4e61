#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The controller's work queue, keyed by `namespace/name`, with client-go's guarantees:
/// a key is queued at most once; a key is never handed to two workers at once (a key added
/// while it is being processed is queued again when the worker calls ``done(_:)``); a delayed add
/// keeps the earliest ready time. Delays run on the injected clock.
///
/// Run ``runTimer()`` in a task for delayed adds to fire; call ``shutDown()`` to release waiting
/// workers (``next()`` then returns nil).
public actor WorkQueue {
    private let clock: any ControllerClock
    private var ready: [HPAKey] = []
    private var readyHead = 0
    private var queued = Set<HPAKey>()
    private var processing = Set<HPAKey>()
    private var dirty = Set<HPAKey>()
    private var waiting: [HPAKey: Date] = [:]
    private var workers: [CheckedContinuation<HPAKey?, Never>] = []
    private var shuttingDown = false
    private var timerWaiter: CheckedContinuation<Void, Never>?
    private var timerGeneration = 0

    public init(clock: any ControllerClock) { self.clock = clock }

    /// Keys queued and ready now (not counting those being processed or waiting for their time).
    public var readyCount: Int { ready.count - readyHead }
    /// Keys waiting for a later time.
    public var waitingCount: Int { waiting.count }
    public var processingCount: Int { processing.count }

    /// Queues `key` now.
    public func add(_ key: HPAKey) {
        guard !shuttingDown else { return }
        waiting.removeValue(forKey: key)
        if queued.contains(key) { return }
        if processing.contains(key) {
            dirty.insert(key)
            return
        }
        if !workers.isEmpty {
            let worker = workers.removeFirst()
            processing.insert(key)
            worker.resume(returning: key)
            return
        }
        queued.insert(key)
        ready.append(key)
    }

    /// Queues `key` after `seconds` of clock time (at once when not positive); an earlier pending
    /// time wins.
    public func add(_ key: HPAKey, after seconds: Double) {
        guard !shuttingDown else { return }
        guard seconds > 0 else { return add(key) }
        if queued.contains(key) { return }
        let when = clock.now().addingTimeInterval(seconds)
        if let existing = waiting[key], existing <= when { return }
        waiting[key] = when
        wakeTimer()
    }

    /// Drops a key's pending delayed add (the HPA was deleted).
    public func forget(_ key: HPAKey) {
        waiting.removeValue(forKey: key)
        dirty.remove(key)
    }

    /// The next key to process, waiting until one is ready; nil after ``shutDown()``.
    public func next() async -> HPAKey? {
        if readyHead < ready.count {
            let key = ready[readyHead]
            readyHead += 1
            if readyHead > 1024 && readyHead * 2 > ready.count {
                ready.removeFirst(readyHead)
                readyHead = 0
            }
            queued.remove(key)
            processing.insert(key)
            return key
        }
        if shuttingDown { return nil }
        return await withCheckedContinuation { workers.append($0) }
    }

    /// Marks `key` processed; re-queues it if it was added meanwhile.
    public func done(_ key: HPAKey) {
        processing.remove(key)
        if dirty.remove(key) != nil { add(key) }
    }

    /// Stops handing out work: waiting workers get nil; keys still queued are dropped.
    public func shutDown() {
        shuttingDown = true
        for worker in workers { worker.resume(returning: nil) }
        workers = []
        wakeTimer()
    }

    private func promoteDue() -> Date? {
        let now = clock.now()
        var earliest: Date?
        for (key, when) in waiting {
            if when <= now {
                waiting.removeValue(forKey: key)
                add(key)
            } else if earliest.map({ when < $0 }) ?? true {
                earliest = when
            }
        }
        return earliest
    }

    private func wakeTimer() {
        timerGeneration += 1
        timerWaiter?.resume()
        timerWaiter = nil
    }

    private func waitForChange(generation: Int) async {
        if generation != timerGeneration || shuttingDown { return }
        await withCheckedContinuation { timerWaiter = $0 }
    }

    /// Moves delayed keys to the ready queue when their time comes. Returns after ``shutDown()``
    /// or when the calling task is cancelled.
    public func runTimer() async {
        let clock = self.clock
        while !shuttingDown && !Task.isCancelled {
            let earliest = promoteDue()
            let generation = timerGeneration
            await withTaskGroup(of: Void.self) { group in
                if let earliest { group.addTask { try? await clock.sleep(until: earliest) } }
                group.addTask { await self.waitForChange(generation: generation) }
                await group.next()
                group.cancelAll()
                self.wakeTimer()
            }
        }
    }
}
