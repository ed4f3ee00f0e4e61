#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI
import Synchronization

/// A scale read through one resource mapping; `update` writes through the same one.
public struct ScaleRead: Sendable {
    public var scale: Preserved<Scale>
    public var mapping: ResourceMapping
    public init(scale: Preserved<Scale>, mapping: ResourceMapping) {
        self.scale = scale
        self.mapping = mapping
    }
    public var specReplicas: Int32 { scale.value.spec.replicas ?? 0 }
    public var selector: String { scale.value.status?.selector ?? "" }
}

/// Why the target's scale could not be read; `description` is upstream's message.
public enum ScaleReadError: Error, Sendable, CustomStringConvertible {
    /// `scaleTargetRef.apiVersion` does not parse.
    case invalidAPIVersion(String)
    /// The REST mapper knows no resource for the kind.
    case unmappable(String)
    /// Every mapping's GET failed; the first one's error.
    case getFailed(reference: String, error: String)

    public var description: String {
        switch self {
        case .invalidAPIVersion(let message): "invalid API version in scale target reference: \(message)"
        case .unmappable(let message): "unable to determine resource for scale target reference: \(message)"
        case .getFailed(let reference, let error): "failed to query scale subresource for \(reference): \(error)"
        }
    }

    /// The inner error text, as upstream puts it in the `FailedGetScale` event and condition.
    public var cause: String {
        switch self {
        case .invalidAPIVersion(let message): message
        case .unmappable(let message): message
        case .getFailed(_, let error): error
        }
    }
}

/// Reads and writes the scale subresource of whatever `scaleTargetRef` names.
public protocol ScaleClient: Sendable {
    /// Resolves the reference (discovery/REST mapper) and GETs the scale from the first mapping that answers.
    func getScale(namespace: String, ref: CrossVersionObjectReference) async throws(ScaleReadError) -> ScaleRead
    /// Sets `spec.replicas` and PUTs the Scale; on 409 re-GETs and retries (client-go's
    /// `RetryOnConflict`: 5 attempts, 10 ms apart). Returns the written Scale.
    func updateScale(_ read: ScaleRead, replicas: Int32) async throws -> Scale
}

/// The live scale client over discovery and the `…/scale` subresource.
public struct APIScaleClient: ScaleClient {
    public let requester: any KubeRequester
    public let discovery: ResourceDiscovery

    public init(requester: any KubeRequester, discovery: ResourceDiscovery) {
        self.requester = requester
        self.discovery = discovery
    }

    private func scalePath(_ mapping: ResourceMapping, namespace: String, name: String) -> String {
        "\(mapping.collectionPath(namespace: namespace))/\(URLEncoding.pathSegment(name))/scale"
    }

    public func getScale(namespace: String, ref: CrossVersionObjectReference) async throws(ScaleReadError) -> ScaleRead {
        let reference = "\(ref.kind)/\(namespace)/\(ref.name)"
        guard let groupVersion = parseGroupVersion(ref.apiVersion ?? "") else {
            throw .invalidAPIVersion("unexpected GroupVersion string: \(ref.apiVersion ?? "")")
        }
        let mappings: [ResourceMapping]
        do { mappings = try await discovery.mappings(group: groupVersion.group, kind: ref.kind) } catch {
            throw .unmappable(String(describing: error))
        }
        var firstError: String?
        for mapping in mappings {
            do {
                let data = try await requester.send(APIRequest(path: scalePath(mapping, namespace: namespace, name: ref.name)))
                let scale = try JSONDecoder().decode(Preserved<Scale>.self, from: data)
                return ScaleRead(scale: scale, mapping: mapping)
            } catch {
                if firstError == nil { firstError = String(describing: error) }
            }
        }
        throw .getFailed(reference: reference, error: firstError ?? "unrecognized resource")
    }

    public func updateScale(_ read: ScaleRead, replicas: Int32) async throws -> Scale {
        let namespace = read.scale.value.metadata.namespace ?? ""
        let name = read.scale.value.metadata.name ?? ""
        let path = scalePath(read.mapping, namespace: namespace, name: name)
        var current = read.scale
        var attempt = 0
        while true {
            attempt += 1
            current.value.spec.replicas = replicas
            do {
                let body = try JSONEncoder().encode(current)
                let data = try await requester.send(APIRequest(method: "PUT", path: path, body: body, contentType: "application/json"))
                return try JSONDecoder().decode(Scale.self, from: data)
            } catch let error as APIError {
                // Refresh the resourceVersion for the next attempt (a failing GET is only noted).
                if let data = try? await requester.send(APIRequest(path: path)),
                   let latest = try? JSONDecoder().decode(Preserved<Scale>.self, from: data) {
                    current = latest
                }
                guard error.isConflict, attempt < 5 else { throw error }
                try await Task.sleep(for: .milliseconds(Int.random(in: 10...11)))
            }
        }
    }
}

/// Scales held in memory, keyed by `kind/namespace/name`: tests set replicas and selectors,
/// inject failures and conflicts, and read what was written.
public final class InMemoryScaleClient: ScaleClient {
    private struct State {
        var scales: [String: Scale] = [:]
        var getFailures: [String: String] = [:]
        var pendingConflicts: [String: Int] = [:]
        var updates: [(key: String, replicas: Int32)] = []
        var version = 1
    }
    private let state = Mutex(State())

    public init() {}

    private static func key(_ kind: String, _ namespace: String, _ name: String) -> String { "\(kind)/\(namespace)/\(name)" }

    public func setScale(kind: String, namespace: String, name: String, replicas: Int32, selector: String) {
        state.withLock { state in
            state.version += 1
            state.scales[Self.key(kind, namespace, name)] = Scale(
                metadata: ObjectMeta(name: name, namespace: namespace, resourceVersion: String(state.version)),
                spec: .init(replicas: replicas), status: .init(replicas: replicas, selector: selector))
        }
    }

    public func replicas(kind: String, namespace: String, name: String) -> Int32? {
        state.withLock { $0.scales[Self.key(kind, namespace, name)]?.spec.replicas }
    }

    /// Makes every GET of this target fail with `message`.
    public func failGets(kind: String, namespace: String, name: String, message: String?) {
        state.withLock { $0.getFailures[Self.key(kind, namespace, name)] = message }
    }

    /// The next `count` PUTs of this target answer 409.
    public func conflictNextUpdates(kind: String, namespace: String, name: String, count: Int) {
        state.withLock { $0.pendingConflicts[Self.key(kind, namespace, name)] = count }
    }

    /// Every successful write, oldest first.
    public var updates: [(key: String, replicas: Int32)] { state.withLock { $0.updates } }

    public func getScale(namespace: String, ref: CrossVersionObjectReference) async throws(ScaleReadError) -> ScaleRead {
        let key = Self.key(ref.kind, namespace, ref.name)
        let found: Result<Scale, ScaleReadError> = state.withLock { state in
            if let message = state.getFailures[key] { return .failure(.getFailed(reference: key, error: message)) }
            guard let scale = state.scales[key] else {
                return .failure(.getFailed(reference: key, error: "\(ref.kind.lowercased()) \"\(ref.name)\" not found"))
            }
            return .success(scale)
        }
        let scale = try found.get()
        return ScaleRead(scale: Preserved(scale), mapping: ResourceMapping(group: "fake", version: "v1", resource: ref.kind))
    }

    public func updateScale(_ read: ScaleRead, replicas: Int32) async throws -> Scale {
        let namespace = read.scale.value.metadata.namespace ?? ""
        let name = read.scale.value.metadata.name ?? ""
        let key = Self.key(read.mapping.resource, namespace, name)
        var attempt = 0
        while true {
            attempt += 1
            let result: Scale?? = state.withLock { state in
                if let pending = state.pendingConflicts[key], pending > 0 {
                    state.pendingConflicts[key] = pending - 1
                    return .some(nil)
                }
                guard var scale = state.scales[key] else { return nil }
                state.version += 1
                scale.spec.replicas = replicas
                scale.status?.replicas = replicas
                scale.metadata.resourceVersion = String(state.version)
                state.scales[key] = scale
                state.updates.append((key, replicas))
                return .some(scale)
            }
            guard let result else {
                throw APIError(method: "PUT", path: key, code: 404,
                               status: Status(code: 404, reason: "NotFound", message: "\(read.mapping.resource) \"\(name)\" not found"))
            }
            if let result { return result }
            guard attempt < 5 else {
                throw APIError(method: "PUT", path: key, code: 409,
                               status: Status(code: 409, reason: "Conflict", message: "the object has been modified"))
            }
        }
    }
}
