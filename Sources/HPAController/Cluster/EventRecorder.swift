#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI
import Synchronization

/// `Normal` or `Warning`.
public enum EventType: String, Sendable, Hashable, Codable {
    case normal = "Normal", warning = "Warning"
}

/// POST and PATCH of core/v1 Events.
public protocol EventClient: Sendable {
    func create(_ event: Event) async throws
    /// Strategic-merge PATCH of `count`, `lastTimestamp` and `message` on an existing event.
    func patch(namespace: String, name: String, count: Int32, lastTimestamp: KubeTime, message: String) async throws
}

/// Records core/v1 Events for HPAs as client-go's recorder does for kube-controller-manager:
/// source component `horizontal-pod-autoscaler`, name `<hpa>.<hex unix nanos>`, and three
/// correlation steps, all timed by the injected clock:
///
/// 1. Aggregation (``EventAggregator``): from the 10th distinct message of similar events (same
///    HPA, type and reason) within 10 minutes of each other, the event is replaced by one whose
///    message is `(combined from similar events): <latest message>`.
/// 2. Repeats: a repeat of an event already written (same HPA, type, reason and message — or the
///    same combined event) PATCHes `count`, `lastTimestamp` and `message` of the first one,
///    re-POSTing it when the PATCH answers 404 (the event expired).
/// 3. Spam filter (``EventSpamFilter``): at most 25 writes in a burst per HPA, refilled by one
///    every 5 minutes; an event over the limit is dropped and counted in ``droppedEvents``.
///    (A dropped repeat still counts in the `count` that the next written repeat carries.)
public actor EventRecorder {
    public static let component = "horizontal-pod-autoscaler"

    /// What identifies one written event: a plain event by its message, the combined event of a
    /// group of similar events by the group alone (`message` nil).
    private struct Key: Hashable {
        var similar: SimilarEventKey
        var message: String?
    }
    private struct Seen {
        var event: Event
        var order: Int
    }

    private let client: any EventClient
    private let clock: any ControllerClock
    private let host: String
    private var seen: [Key: Seen] = [:]
    private var aggregator = EventAggregator()
    private var spamFilter = EventSpamFilter()
    private var order = 0
    private var lastNanos: Int64 = 0
    private let capacity = 4096
    /// Events the spam filter dropped since this recorder was created.
    public private(set) var droppedEvents = 0

    public init(client: any EventClient, clock: any ControllerClock, host: String = "") {
        self.client = client
        self.clock = clock
        self.host = host
    }

    /// Records one event about `hpa`; errors are swallowed (events are best effort, as upstream).
    public func record(_ hpa: HorizontalPodAutoscaler, type: EventType, reason: String, message: String) async {
        let namespace = hpa.metadata.namespace ?? "default"
        let hpaName = hpa.metadata.name ?? ""
        let date = clock.now()
        let now = KubeTime(date)
        let object = EventObjectKey(component: Self.component, host: host, kind: "HorizontalPodAutoscaler",
                                    namespace: namespace, name: hpaName, uid: hpa.metadata.uid ?? "",
                                    apiVersion: "autoscaling/v2")
        let similar = SimilarEventKey(object: object, type: type.rawValue, reason: reason)
        let key: Key
        let text: String
        switch aggregator.observe(similar, message: message, now: date) {
        case .single:
            key = Key(similar: similar, message: message)
            text = message
        case .combined(let combined):
            key = Key(similar: similar, message: nil)
            text = combined
        }
        order += 1
        if var previous = seen[key] {
            previous.event.count = (previous.event.count ?? 1) &+ 1
            previous.event.lastTimestamp = now
            previous.event.message = text
            previous.order = order
            seen[key] = previous
            guard allow(object, date) else { return }
            let name = previous.event.metadata.name ?? ""
            do {
                try await client.patch(namespace: namespace, name: name, count: previous.event.count ?? 1,
                                       lastTimestamp: now, message: text)
            } catch let error as APIError where error.isNotFound {
                var again = previous.event
                again.metadata.resourceVersion = nil
                try? await client.create(again)
            } catch {}
            return
        }
        var nanos = Int64((date.timeIntervalSince1970 * 1e9).rounded(.down))
        if nanos <= lastNanos { nanos = lastNanos &+ 1 }
        lastNanos = nanos
        let involved = ObjectReference(kind: "HorizontalPodAutoscaler", namespace: namespace, name: hpaName,
                                       uid: hpa.metadata.uid, apiVersion: "autoscaling/v2",
                                       resourceVersion: hpa.metadata.resourceVersion)
        let event = Event(metadata: ObjectMeta(name: "\(hpaName).\(String(nanos, radix: 16))", namespace: namespace),
                          involvedObject: involved, reason: reason, message: text, type: type.rawValue,
                          source: EventSource(component: Self.component, host: host.isEmpty ? nil : host),
                          firstTimestamp: now, lastTimestamp: now, count: 1)
        seen[key] = Seen(event: event, order: order)
        if seen.count > capacity, let oldest = seen.min(by: { $0.value.order < $1.value.order })?.key {
            seen.removeValue(forKey: oldest)
        }
        guard allow(object, date) else { return }
        try? await client.create(event)
    }

    /// Takes a spam-filter token for `object`; counts the event as dropped when there is none.
    private func allow(_ object: EventObjectKey, _ now: Date) -> Bool {
        if spamFilter.allow(object, now: now) { return true }
        droppedEvents += 1
        return false
    }
}

/// The live event client.
public struct APIEventClient: EventClient {
    public let requester: any KubeRequester
    public init(requester: any KubeRequester) { self.requester = requester }

    public func create(_ event: Event) async throws {
        let namespace = event.metadata.namespace ?? "default"
        _ = try await requester.send(APIRequest(method: "POST", path: "/api/v1/namespaces/\(URLEncoding.pathSegment(namespace))/events",
                                                body: try JSONEncoder().encode(event), contentType: "application/json"))
    }

    public func patch(namespace: String, name: String, count: Int32, lastTimestamp: KubeTime, message: String) async throws {
        struct Patch: Encodable { var count: Int32; var lastTimestamp: KubeTime; var message: String }
        let body = try JSONEncoder().encode(Patch(count: count, lastTimestamp: lastTimestamp, message: message))
        _ = try await requester.send(APIRequest(
            method: "PATCH", path: "/api/v1/namespaces/\(URLEncoding.pathSegment(namespace))/events/\(URLEncoding.pathSegment(name))",
            body: body, contentType: "application/strategic-merge-patch+json"))
    }
}

/// Events held in memory for tests (name → event); `expire` drops one so the next PATCH 404s.
public final class InMemoryEventClient: EventClient {
    private struct State { var events: [String: Event] = [:]; var posts = 0; var patches = 0 }
    private let state = Mutex(State())
    public init() {}

    /// Stored events, oldest first by first timestamp then name.
    public var events: [Event] {
        state.withLock { Array($0.events.values) }.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
    }
    public var postCount: Int { state.withLock { $0.posts } }
    public var patchCount: Int { state.withLock { $0.patches } }
    public func expire(name: String) { _ = state.withLock { $0.events.removeValue(forKey: name) } }

    public func create(_ event: Event) async throws {
        state.withLock { state in
            state.posts += 1
            state.events[event.metadata.name ?? ""] = event
        }
    }

    public func patch(namespace: String, name: String, count: Int32, lastTimestamp: KubeTime, message: String) async throws {
        let found: Bool = state.withLock { state in
            state.patches += 1
            guard var event = state.events[name] else { return false }
            event.count = count
            event.lastTimestamp = lastTimestamp
            event.message = message
            state.events[name] = event
            return true
        }
        if !found {
            throw APIError(method: "PATCH", path: name, code: 404, status: Status(code: 404, reason: "NotFound", message: "events \"\(name)\" not found"))
        }
    }
}
