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
/// source component `horizontal-pod-autoscaler`, name `<hpa>.<hex unix nanos>`, and a repeat of
/// an identical event (same object, type, reason, message) PATCHes `count` and `lastTimestamp`
/// of the first one — re-POSTing it when the PATCH answers 404 (the event expired).
/// Not mirrored: the "combined from similar events" aggregation and the per-object spam filter.
public actor EventRecorder {
    public static let component = "horizontal-pod-autoscaler"

    private struct Key: Hashable {
        var namespace, name, uid, type, reason, message: String
    }
    private struct Seen {
        var event: Event
        var order: Int
    }

    private let client: any EventClient
    private let clock: any ControllerClock
    private let host: String
    private var seen: [Key: Seen] = [:]
    private var order = 0
    private var lastNanos: Int64 = 0
    private let capacity = 4096

    public init(client: any EventClient, clock: any ControllerClock, host: String = "") {
        self.client = client
        self.clock = clock
        self.host = host
    }

    /// Records one event about `hpa`; errors are swallowed (events are best effort, as upstream).
    public func record(_ hpa: HorizontalPodAutoscaler, type: EventType, reason: String, message: String) async {
        let namespace = hpa.metadata.namespace ?? "default"
        let hpaName = hpa.metadata.name ?? ""
        let key = Key(namespace: namespace, name: hpaName, uid: hpa.metadata.uid ?? "", type: type.rawValue,
                      reason: reason, message: message)
        let now = KubeTime(clock.now())
        order += 1
        if var previous = seen[key] {
            previous.event.count = (previous.event.count ?? 1) &+ 1
            previous.event.lastTimestamp = now
            previous.order = order
            seen[key] = previous
            let name = previous.event.metadata.name ?? ""
            do {
                try await client.patch(namespace: namespace, name: name, count: previous.event.count ?? 1,
                                       lastTimestamp: now, message: message)
            } catch let error as APIError where error.isNotFound {
                var again = previous.event
                again.metadata.resourceVersion = nil
                try? await client.create(again)
            } catch {}
            return
        }
        var nanos = Int64((clock.now().timeIntervalSince1970 * 1e9).rounded(.down))
        if nanos <= lastNanos { nanos = lastNanos + 1 }
        lastNanos = nanos
        let involved = ObjectReference(kind: "HorizontalPodAutoscaler", namespace: namespace, name: hpaName,
                                       uid: hpa.metadata.uid, apiVersion: "autoscaling/v2",
                                       resourceVersion: hpa.metadata.resourceVersion)
        let event = Event(metadata: ObjectMeta(name: "\(hpaName).\(String(nanos, radix: 16))", namespace: namespace),
                          involvedObject: involved, reason: reason, message: message, type: type.rawValue,
                          source: EventSource(component: Self.component, host: host.isEmpty ? nil : host),
                          firstTimestamp: now, lastTimestamp: now, count: 1)
        seen[key] = Seen(event: event, order: order)
        if seen.count > capacity, let oldest = seen.min(by: { $0.value.order < $1.value.order })?.key {
            seen.removeValue(forKey: oldest)
        }
        try? await client.create(event)
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
