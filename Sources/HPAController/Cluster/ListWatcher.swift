#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// What a list+watch delivers to its cache.
public enum ListWatchDelta<Object: Sendable>: Sendable {
    /// A full list: the cache must hold exactly these objects afterwards.
    case replace([Object])
    case added(Object)
    case modified(Object)
    case deleted(Object)
}

/// client-go's reflector, reduced to what the controller needs: LIST (paginated, 500 a page),
/// then WATCH from the list's resourceVersion with bookmarks; re-watch from the last seen
/// resourceVersion when the server ends the stream; re-LIST on 410 Gone/Expired; back off one
/// second (doubling to 30 s) on other errors. Runs until its task is cancelled.
public struct ListWatcher<Object: Decodable & Sendable>: Sendable {
    public let requester: any KubeRequester
    /// The collection path, e.g. `/api/v1/pods` or `/api/v1/namespaces/ns/pods`.
    public let path: String
    /// Maps a decoded object to what the cache stores (e.g. a compact projection).
    public let pageSize: Int
    /// Whether the latest list or watch request failed (shared by copies of this watcher).
    public let health = ListWatchHealth()

    public init(requester: any KubeRequester, path: String, pageSize: Int = 500) {
        self.requester = requester
        self.path = path
        self.pageSize = pageSize
    }

    private struct EventType: Decodable { var type: String }
    private struct ErrorEvent: Decodable { var object: Status }
    private struct BookmarkEvent: Decodable { var object: PartialObjectMeta }
    private struct ObjectEvent: Decodable { var object: Object }
    private struct Page: Decodable { var metadata: ListMeta?; var items: [Object]? }
    private struct Meta: Decodable { var metadata: ObjectMeta? }

    /// Lists once (all pages); returns the objects and the list's resourceVersion.
    public func list() async throws -> (items: [Object], resourceVersion: String) {
        var items: [Object] = []
        var token: String?
        var resourceVersion = ""
        repeat {
            var query = ["limit": String(pageSize)]
            if let token { query["continue"] = token }
            let data = try await requester.send(APIRequest(path: path, query: query))
            let page = try JSONDecoder().decode(Page.self, from: data)
            items.append(contentsOf: page.items ?? [])
            resourceVersion = page.metadata?.resourceVersion ?? resourceVersion
            token = page.metadata?.continue.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return (items, resourceVersion)
    }

    /// Lists and watches until cancelled, handing every delta to `deliver`. `onSynced` is called
    /// after the first complete list has been delivered.
    /// `onError` hears every failed list or watch (before the back-off), so a caller that cannot
    /// wait — `--once` — can give up with the reason. ``health`` follows failures and recoveries.
    public func run(deliver: @Sendable (ListWatchDelta<Object>) async -> Void,
                    onSynced: @Sendable () async -> Void = {},
                    onError: @Sendable (any Error) async -> Void = { _ in }) async throws {
        var synced = false
        var backoff = 1.0
        var resourceVersion: String?
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    let listed = try await list()
                    await health.succeeded()
                    await deliver(.replace(listed.items))
                    resourceVersion = listed.resourceVersion
                    if !synced {
                        synced = true
                        await onSynced()
                    }
                }
                resourceVersion = try await watchOnce(from: resourceVersion ?? "", deliver: deliver)
                backoff = 1.0
            } catch is CancellationError {
                return
            } catch let error as APIError where error.code == 410 {
                resourceVersion = nil
            } catch let error as WatchExpired {
                _ = error
                resourceVersion = nil
            } catch {
                if Task.isCancelled { return }
                await health.failed(error)
                await onError(error)
                try? await Task.sleep(for: .seconds(backoff))
                backoff = min(30, backoff * 2)
            }
        }
    }

    private struct WatchExpired: Error {}

    /// One watch request; returns the last resourceVersion seen when the server ends the stream.
    private func watchOnce(from resourceVersion: String,
                           deliver: @Sendable (ListWatchDelta<Object>) async -> Void) async throws -> String {
        var lastVersion = resourceVersion
        let query = ["watch": "true", "resourceVersion": resourceVersion, "allowWatchBookmarks": "true",
                     "timeoutSeconds": String(Int.random(in: 300...600))]
        let lines = try await requester.watch(APIRequest(path: path, query: query))
        await health.succeeded()
        let decoder = JSONDecoder()
        for try await line in lines {
            if line.isEmpty { continue }
            guard let type = try? decoder.decode(EventType.self, from: line) else { continue }
            switch type.type {
            case "ERROR":
                let status = (try? decoder.decode(ErrorEvent.self, from: line))?.object
                if status?.code == 410 || status?.reason == "Expired" || status?.reason == "Gone" { throw WatchExpired() }
                throw APIError(method: "GET", path: path, code: status?.code ?? 500, status: status)
            case "BOOKMARK":
                if let version = (try? decoder.decode(BookmarkEvent.self, from: line))?.object.metadata.resourceVersion {
                    lastVersion = version
                }
            case "ADDED", "MODIFIED", "DELETED":
                guard let event = try? decoder.decode(ObjectEvent.self, from: line) else { continue }
                if let version = (try? decoder.decode(ObjectEventMeta.self, from: line))?.object.metadata?.resourceVersion {
                    lastVersion = version
                }
                switch type.type {
                case "ADDED": await deliver(.added(event.object))
                case "MODIFIED": await deliver(.modified(event.object))
                default: await deliver(.deleted(event.object))
                }
            default:
                continue
            }
        }
        return lastVersion
    }

    private struct ObjectEventMeta: Decodable { var object: Meta }
}
