import KubeAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Kubernetes object with standard metadata (for resourceVersion bookkeeping).
public protocol KubeObject: Codable, Sendable {
    var metadata: ObjectMeta { get }
}

extension HorizontalPodAutoscaler: KubeObject {}
extension Pod: KubeObject {}
extension Scale: KubeObject {}
extension Lease: KubeObject {}
extension Event: KubeObject {}
extension PodMetrics: KubeObject {}
extension PartialObjectMeta: KubeObject {}

/// What a list-and-watch loop reports: a full snapshot (after the first list and every relist)
/// or one change.
public enum ListWatchEvent<Object: KubeObject>: Sendable {
    /// Replace the cache with these objects (the list's resourceVersion is `resourceVersion`).
    case replaced([Object], resourceVersion: String)
    case added(Object)
    case modified(Object)
    case deleted(Object)
}

/// client-go's reflector loop as an async sequence that runs in the iterating task: list, then
/// watch from the list's resourceVersion; when the server ends the watch, watch again from the last
/// resourceVersion seen (bookmarks included); on 410 relist (with the last resourceVersion, then
/// with none if that is gone too); on other errors back off (800 ms doubling to 30 s) and retry.
/// Iteration ends only by cancellation (it throws `CancellationError` then).
public struct ListWatchSequence<Object: KubeObject>: AsyncSequence {
    public typealias Element = ListWatchEvent<Object>
    let client: KubeClient
    let resource: ResourceType
    let namespace: String?
    let labelSelector: String?
    let fieldSelector: String?
    let initialBackoff: Duration
    let maxBackoff: Duration

    public func makeAsyncIterator() -> Iterator { Iterator(sequence: self) }

    public struct Iterator: AsyncIteratorProtocol {
        let sequence: ListWatchSequence
        var resourceVersion: String?
        var needsList = true
        var consistentRelist = false
        var watch: WatchStream<Object>.AsyncIterator?
        var backoff: Duration

        init(sequence: ListWatchSequence) {
            self.sequence = sequence
            self.backoff = sequence.initialBackoff
        }

        public mutating func next() async throws -> ListWatchEvent<Object>? {
            while true {
                try Task.checkCancellation()
                do {
                    if needsList {
                        let rv = consistentRelist ? nil : resourceVersion
                        let list = try await sequence.client.listAll(Object.self, sequence.resource, namespace: sequence.namespace,
                                                                     options: ListOptions(labelSelector: sequence.labelSelector,
                                                                                          fieldSelector: sequence.fieldSelector,
                                                                                          resourceVersion: rv))
                        needsList = false
                        consistentRelist = false
                        resourceVersion = list.metadata.resourceVersion
                        watch = nil
                        backoff = sequence.initialBackoff
                        return .replaced(list.items, resourceVersion: resourceVersion ?? "")
                    }
                    if watch == nil {
                        watch = try await sequence.client.watch(Object.self, sequence.resource, namespace: sequence.namespace,
                                                                resourceVersion: resourceVersion, labelSelector: sequence.labelSelector,
                                                                fieldSelector: sequence.fieldSelector).makeAsyncIterator()
                    }
                    guard let change = try await watch?.next() else {
                        watch = nil  // the server closed the watch (timeoutSeconds): watch again
                        continue
                    }
                    backoff = sequence.initialBackoff
                    switch change {
                    case .added(let object):
                        resourceVersion = object.metadata.resourceVersion ?? resourceVersion
                        return .added(object)
                    case .modified(let object):
                        resourceVersion = object.metadata.resourceVersion ?? resourceVersion
                        return .modified(object)
                    case .deleted(let object):
                        resourceVersion = object.metadata.resourceVersion ?? resourceVersion
                        return .deleted(object)
                    case .bookmark(let rv):
                        if !rv.isEmpty { resourceVersion = rv }
                        continue
                    }
                } catch let error as KubeClientError where error.isResourceExpired {
                    watch = nil
                    if needsList { consistentRelist = true }  // the relist itself was too old
                    needsList = true
                } catch let error as KubeClientError {
                    if error.transportError?.kind == .cancelled { throw CancellationError() }
                    watch = nil
                    try await Task.sleep(for: backoff)
                    backoff = Swift.min(backoff * 2, sequence.maxBackoff)
                }
            }
        }
    }
}

extension KubeClient {
    /// List, then watch, forever (see `ListWatchSequence`).
    public func listAndWatch<T: KubeObject>(_ type: T.Type, _ resource: ResourceType, namespace: String?,
                                           labelSelector: String? = nil, fieldSelector: String? = nil,
                                           initialBackoff: Duration = .milliseconds(800), maxBackoff: Duration = .seconds(30)) -> ListWatchSequence<T> {
        ListWatchSequence(client: self, resource: resource, namespace: namespace, labelSelector: labelSelector,
                          fieldSelector: fieldSelector, initialBackoff: initialBackoff, maxBackoff: maxBackoff)
    }
}
