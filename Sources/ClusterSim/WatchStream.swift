#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPServer
import KubeAPI

/// Watch event framing: one JSON object per line.
enum WatchFrames {
    static func frame(type: String, objectBytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(objectBytes.count + 32)
        out.append(contentsOf: "{\"type\":\"\(type)\",\"object\":".utf8)
        out.append(contentsOf: objectBytes)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    static func bookmark(_ resource: ResourceType, resourceVersion: UInt64, initialEventsEnd: Bool) -> [UInt8] {
        var metadata: [String: JSON] = ["resourceVersion": .string(String(resourceVersion))]
        if initialEventsEnd { metadata["annotations"] = .object(["k8s.io/initial-events-end": .string("true")]) }
        let object: JSON = .object(["kind": .string(resource.kind), "apiVersion": .string(resource.groupVersion), "metadata": .object(metadata)])
        return frame(type: "BOOKMARK", objectBytes: JSONCodec.serialize(object))
    }
}

extension APIServer {
    /// A watch: replays changes after `resourceVersion` (or the current objects as ADDED), then
    /// streams live changes, BOOKMARKs when asked for, until `timeoutSeconds` or the client leaves.
    /// A resourceVersion older than the event log gets a 200 stream with one ERROR 410 frame.
    func watch(_ resource: ResourceType, namespace: String?, filter: ObjectFilter, query: [String: String], asTable: Bool = false,
               cutAfter: Double? = nil) throws(APIError) -> HTTPResponse {
        let versionText = query["resourceVersion"] ?? ""
        let sendInitialEvents = query["sendInitialEvents"] == "true"
        var from: UInt64?
        if !versionText.isEmpty && versionText != "0" && !sendInitialEvents {
            guard let number = UInt64(versionText) else { throw APIError.badRequest("invalid resourceVersion \"\(versionText)\"") }
            from = number
        }
        var timeout = 1800.0
        if let text = query["timeoutSeconds"], !text.isEmpty {
            guard let seconds = Double(text), seconds >= 0 else { throw APIError.badRequest("invalid timeoutSeconds \"\(text)\"") }
            if seconds > 0 { timeout = min(seconds, 24 * 3600) }
        }
        let bookmarks = query["allowWatchBookmarks"] == "true"
        let headers = HTTPHeaders([("Content-Type", "application/json")])
        let subscription: WatchSubscription
        let backlog: [StoreChange]
        switch store.subscribe(resource, namespace: namespace, fromResourceVersion: from) {
        case .failure(let error):
            let frame = WatchFrames.frame(type: "ERROR", objectBytes: JSONCodec.serialize(error.status))
            return HTTPResponse(status: 200, headers: headers, body: .stream { writer in writer.write(frame) })
        case .success(let pair):
            (subscription, backlog) = pair
        }
        let store = self.store
        let interval = bookmarkInterval
        // As Table: each event's object is a one-row Table (kubectl get --watch asks for that).
        let render: @Sendable (StoreChange) -> StoreChange = { change in
            guard asTable else { return change }
            var rendered = change
            let table = Tables.table(resource, [change.object.json], resourceVersion: String(change.resourceVersion), continueToken: nil, now: store.now())
            rendered.object.bytes = JSONCodec.serialize(table)
            return rendered
        }
        return HTTPResponse(status: 200, headers: headers, body: .stream { [from, timeout, cutAfter] writer in
            defer { store.unsubscribe(subscription) }
            let deadline = ContinuousClock.now + .milliseconds(Int(min(timeout, cutAfter ?? timeout) * 1000))
            var lastSent = from ?? 0
            var out: [UInt8] = []
            for change in backlog {
                if let frame = Self.frame(for: render(change), filter: filter) { out.append(contentsOf: frame) }
                lastSent = max(lastSent, change.resourceVersion)
            }
            if sendInitialEvents {
                lastSent = max(lastSent, store.currentResourceVersion)
                out.append(contentsOf: WatchFrames.bookmark(resource, resourceVersion: lastSent, initialEventsEnd: true))
            }
            if !out.isEmpty && !writer.write(out) { return }
            var nextBookmark = ContinuousClock.now + .milliseconds(Int(interval * 1000))
            while ContinuousClock.now < deadline {
                let storeVersion = store.currentResourceVersion
                let remaining = deadline - ContinuousClock.now
                let wait = min(0.5, Double(remaining.components.seconds) + Double(remaining.components.attoseconds) / 1e18)
                let (changes, overflowed) = subscription.next(waitingUpTo: wait)
                if overflowed {
                    let error = APIError.gone("too old resource version: \(lastSent) (\(store.currentResourceVersion))")
                    writer.write(WatchFrames.frame(type: "ERROR", objectBytes: JSONCodec.serialize(error.status)))
                    return
                }
                out.removeAll(keepingCapacity: true)
                for change in changes {
                    if let frame = Self.frame(for: render(change), filter: filter) { out.append(contentsOf: frame) }
                    lastSent = max(lastSent, change.resourceVersion)
                }
                if bookmarks && ContinuousClock.now >= nextBookmark {
                    lastSent = max(lastSent, storeVersion)
                    out.append(contentsOf: WatchFrames.bookmark(resource, resourceVersion: lastSent, initialEventsEnd: false))
                    nextBookmark = ContinuousClock.now + .milliseconds(Int(interval * 1000))
                }
                if !out.isEmpty {
                    if !writer.write(out) { return }
                } else if !writer.isConnected {
                    return
                }
            }
            if cutAfter != nil { writer.abort() }
        })
    }

    /// The frame a watcher with `filter` sees for `change`: objects entering the selection are
    /// ADDED, leaving it DELETED, others skipped.
    static func frame(for change: StoreChange, filter: ObjectFilter) -> [UInt8]? {
        let matchesNow = filter.matches(change.object)
        switch change.kind {
        case .added, .deleted:
            return matchesNow ? WatchFrames.frame(type: change.kind.rawValue, objectBytes: change.object.bytes) : nil
        case .modified:
            let matchedBefore = change.previous.map(filter.matches) ?? true
            switch (matchedBefore, matchesNow) {
            case (true, true): return WatchFrames.frame(type: "MODIFIED", objectBytes: change.object.bytes)
            case (false, true): return WatchFrames.frame(type: "ADDED", objectBytes: change.object.bytes)
            case (true, false): return WatchFrames.frame(type: "DELETED", objectBytes: change.object.bytes)
            case (false, false): return nil
            }
        }
    }
}
