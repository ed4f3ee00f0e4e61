#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Who emitted an event about which object: the source (component, host) and the involved
/// object (kind, namespace, name, uid, apiVersion). The spam filter keeps one bucket per value.
struct EventObjectKey: Hashable, Sendable {
    var component, host, kind, namespace, name, uid, apiVersion: String
}

/// Events that differ at most in their message: same source, involved object, type and reason.
struct SimilarEventKey: Hashable, Sendable {
    var object: EventObjectKey
    var type, reason: String
}

/// Combines bursts of similar events, as the core/v1 recorder (client-go `tools/record`) does.
///
/// Each group of similar events (``SimilarEventKey``) remembers the distinct messages it saw and
/// when it last saw one. A group idle for longer than `interval` (10 minutes) starts afresh.
/// Once a group holds `maxDistinctMessages` (10) distinct messages, the event is replaced by a
/// combined one: message `(combined from similar events): <latest message>`, recorded under the
/// group's key so later combined events update (PATCH) that one event. As upstream, the group then
/// forgets one message (here the oldest), so every further new message is combined too, while a
/// repeat of a remembered message passes through as itself. Messages are compared exactly.
struct EventAggregator: Sendable {
    static let combinedPrefix = "(combined from similar events): "

    /// What to record for one event.
    enum Outcome: Equatable, Sendable {
        /// Record the event as it is.
        case single
        /// Record (or update) the group's combined event with this message.
        case combined(message: String)
    }

    private struct Group {
        /// Distinct messages, oldest first.
        var messages: [String] = []
        var lastSeen: Date
        var order: Int
    }

    let maxDistinctMessages: Int
    let interval: TimeInterval
    let capacity: Int
    private var groups: [SimilarEventKey: Group] = [:]
    private var order = 0

    init(maxDistinctMessages: Int = 10, interval: TimeInterval = 600, capacity: Int = 4096) {
        self.maxDistinctMessages = max(1, maxDistinctMessages)
        self.interval = interval
        self.capacity = max(1, capacity)
    }

    /// Notes one event seen at `now` and says how to record it.
    mutating func observe(_ key: SimilarEventKey, message: String, now: Date) -> Outcome {
        order += 1
        var group = groups[key] ?? Group(lastSeen: now, order: order)
        if now.timeIntervalSince(group.lastSeen) > interval { group.messages = [] }
        if !group.messages.contains(message) { group.messages.append(message) }
        group.lastSeen = now
        group.order = order
        var outcome = Outcome.single
        if group.messages.count >= maxDistinctMessages {
            group.messages.removeFirst()
            outcome = .combined(message: Self.combinedPrefix + message)
        }
        groups[key] = group
        if groups.count > capacity, let oldest = groups.min(by: { $0.value.order < $1.value.order })?.key {
            groups.removeValue(forKey: oldest)
        }
        return outcome
    }
}

/// The per-object spam filter of the core/v1 recorder: one token bucket per source and involved
/// object, holding at most `burst` (25) tokens and refilling one token every `refillInterval`
/// (300 s). Every event that would be written takes a token; without one it is dropped. Time
/// comes from the caller (the recorder's injected clock).
struct EventSpamFilter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
        var order: Int
    }

    let burst: Double
    let refillInterval: TimeInterval
    let capacity: Int
    private var buckets: [EventObjectKey: Bucket] = [:]
    private var order = 0

    init(burst: Int = 25, refillInterval: TimeInterval = 300, capacity: Int = 4096) {
        self.burst = Double(max(1, burst))
        self.refillInterval = max(0.001, refillInterval)
        self.capacity = max(1, capacity)
    }

    /// Takes a token for `key` at `now`: true when the event may be written.
    mutating func allow(_ key: EventObjectKey, now: Date) -> Bool {
        order += 1
        var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now, order: order)
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        bucket.tokens = min(burst, bucket.tokens + elapsed / refillInterval)
        bucket.updated = now
        bucket.order = order
        // The tolerance absorbs rounding in the refill sum (e.g. 299/300 + 1/300).
        let allowed = bucket.tokens >= 1 - 1e-9
        if allowed { bucket.tokens = max(0, bucket.tokens - 1) }
        buckets[key] = bucket
        if buckets.count > capacity, let oldest = buckets.min(by: { $0.value.order < $1.value.order })?.key {
            buckets.removeValue(forKey: oldest)
        }
        return allowed
    }
}
