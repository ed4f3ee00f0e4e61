#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI
import Synchronization

/// GET an HPA and PUT its status subresource.
public protocol HPAStatusClient: Sendable {
    func getHPA(_ key: HPAKey) async throws -> StoredHPA
    /// PUT `…/horizontalpodautoscalers/{name}/status` with the whole object; returns what the server stored.
    func putStatus(_ hpa: StoredHPA) async throws -> StoredHPA
}

/// What ``StatusWriter/write(_:status:)`` did.
public enum StatusWriteOutcome: Sendable {
    /// The new status equals the one read: nothing was sent.
    case unchanged
    /// Written (possibly after one 409 and re-read); the stored object.
    case written(StoredHPA)
}

/// Writes an HPA's status only when it changed, semantically (upstream §8.3): quantities by value,
/// times by instant at the wire's seconds precision, a nil list equal to an empty one. On 409 it
/// re-reads the HPA and retries once with the fresh resourceVersion (upstream waits a sync period).
public struct StatusWriter: Sendable {
    public let client: any HPAStatusClient
    public init(client: any HPAStatusClient) { self.client = client }

    public func write(_ hpa: StoredHPA, status: HorizontalPodAutoscalerStatus) async throws -> StatusWriteOutcome {
        if let old = hpa.value.status, Self.semanticallyEqual(old, status) { return .unchanged }
        var updated = hpa
        updated.value.status = status
        do {
            return .written(try await client.putStatus(updated))
        } catch let error as APIError where error.isConflict {
            guard let key = HPAKey(hpa.value) else { throw error }
            var fresh = try await client.getHPA(key)
            if let current = fresh.value.status, Self.semanticallyEqual(current, status) { return .unchanged }
            fresh.value.status = status
            return .written(try await client.putStatus(fresh))
        }
    }

    /// Kubernetes' semantic equality for the status fields this controller writes.
    public static func semanticallyEqual(_ lhs: HorizontalPodAutoscalerStatus, _ rhs: HorizontalPodAutoscalerStatus) -> Bool {
        normalized(lhs) == normalized(rhs)
    }

    private static func normalized(_ status: HorizontalPodAutoscalerStatus) -> HorizontalPodAutoscalerStatus {
        func second(_ time: KubeTime?) -> KubeTime? {
            time.map { KubeTime(Date(timeIntervalSince1970: ($0.date.timeIntervalSince1970).rounded(.down))) }
        }
        var copy = status
        copy.lastScaleTime = second(status.lastScaleTime)
        if copy.currentMetrics?.isEmpty == true { copy.currentMetrics = nil }
        copy.conditions = status.conditions.map { list in
            list.map { condition in
                var condition = condition
                condition.lastTransitionTime = second(condition.lastTransitionTime)
                return condition
            }
        }
        if copy.conditions?.isEmpty == true { copy.conditions = nil }
        return copy
    }
}

/// The live status client.
public struct APIHPAStatusClient: HPAStatusClient {
    public let requester: any KubeRequester
    public init(requester: any KubeRequester) { self.requester = requester }

    private func path(_ key: HPAKey) -> String {
        "/apis/autoscaling/v2/namespaces/\(URLEncoding.pathSegment(key.namespace))/horizontalpodautoscalers/\(URLEncoding.pathSegment(key.name))"
    }

    public func getHPA(_ key: HPAKey) async throws -> StoredHPA {
        try await requester.get(StoredHPA.self, APIRequest(path: path(key)))
    }

    public func putStatus(_ hpa: StoredHPA) async throws -> StoredHPA {
        guard let key = HPAKey(hpa.value) else { throw MetricsClientError("HPA without a name") }
        let body = try JSONEncoder().encode(hpa)
        let data = try await requester.send(APIRequest(method: "PUT", path: path(key) + "/status", body: body,
                                                       contentType: "application/json"))
        return try JSONDecoder().decode(StoredHPA.self, from: data)
    }
}

/// HPAs held in memory for tests: status writes are recorded; conflicts can be injected. With a
/// `mirror`, every successful write also reaches that HPA source, as a watch would deliver it.
public final class InMemoryHPAStatusClient: HPAStatusClient {
    private let mirror: InMemoryHPASource?
    private struct State {
        var objects: [HPAKey: HorizontalPodAutoscaler] = [:]
        var conflicts = 0
        var writes: [HorizontalPodAutoscaler] = []
        var version = 100
    }
    private let state = Mutex(State())
    public init(mirror: InMemoryHPASource? = nil) { self.mirror = mirror }

    public func put(_ hpa: HorizontalPodAutoscaler) {
        guard let key = HPAKey(hpa) else { return }
        state.withLock { $0.objects[key] = hpa }
    }
    public func object(_ key: HPAKey) -> HorizontalPodAutoscaler? { state.withLock { $0.objects[key] } }
    /// The next `count` status PUTs answer 409.
    public func conflictNext(_ count: Int) { state.withLock { $0.conflicts = count } }
    /// Every status PUT that succeeded, oldest first.
    public var writes: [HorizontalPodAutoscaler] { state.withLock { $0.writes } }

    public func getHPA(_ key: HPAKey) async throws -> StoredHPA {
        guard let object = state.withLock({ $0.objects[key] }) else {
            throw APIError(method: "GET", path: key.description, code: 404, status: Status(code: 404, reason: "NotFound", message: "not found"))
        }
        return Preserved(object)
    }

    public func putStatus(_ hpa: StoredHPA) async throws -> StoredHPA {
        guard let key = HPAKey(hpa.value) else { throw MetricsClientError("HPA without a name") }
        let result: HorizontalPodAutoscaler? = state.withLock { state in
            if state.conflicts > 0 {
                state.conflicts -= 1
                return nil
            }
            var stored = state.objects[key] ?? hpa.value
            stored.status = hpa.value.status
            state.version = max(state.version, stored.metadata.resourceVersion.flatMap { Int($0) } ?? 0) + 1
            stored.metadata.resourceVersion = String(state.version)
            state.objects[key] = stored
            state.writes.append(stored)
            return stored
        }
        guard let result else {
            throw APIError(method: "PUT", path: key.description, code: 409,
                           status: Status(code: 409, reason: "Conflict", message: "the object has been modified"))
        }
        await mirror?.put(result)
        return Preserved(result)
    }
}
