import Dispatch
import Synchronization

/// The queue between the store and one watch stream. The store pushes under its lock; the
/// stream's thread waits for changes with a timeout (to send bookmarks and notice departures).
final class WatchSubscription: Sendable {
    let resourceID: String
    let namespace: String?
    /// A stalled client whose queue grows past this is cut off with 410 (it must re-list).
    static let maxQueued = 50_000
    private let queue = Mutex<(changes: [StoreChange], overflowed: Bool)>(([], false))
    private let signal = DispatchSemaphore(value: 0)

    init(resourceID: String, namespace: String?) {
        self.resourceID = resourceID
        self.namespace = namespace
    }

    func push(_ change: StoreChange) {
        if let namespace, change.object.namespace != namespace { return }
        let wake = queue.withLock { queue -> Bool in
            if queue.overflowed { return false }
            if queue.changes.count >= Self.maxQueued {
                queue.overflowed = true
                queue.changes.removeAll()
            } else {
                queue.changes.append(change)
            }
            return true
        }
        if wake { signal.signal() }
    }

    /// Waits up to `seconds` for changes and returns all queued ones (empty on timeout).
    /// `overflowed` is true once the subscriber fell too far behind.
    func next(waitingUpTo seconds: Double) -> (changes: [StoreChange], overflowed: Bool) {
        let drained = queue.withLock { queue -> ([StoreChange], Bool) in
            let result = (queue.changes, queue.overflowed)
            queue.changes.removeAll()
            return result
        }
        if !drained.0.isEmpty || drained.1 { return drained }
        _ = signal.wait(timeout: .now() + .milliseconds(Int(max(0, seconds) * 1000)))
        return queue.withLock { queue in
            let result = (queue.changes, queue.overflowed)
            queue.changes.removeAll()
            return result
        }
    }
}
