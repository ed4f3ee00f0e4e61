#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPAController
import HPACore
import KubeAPI
import Synchronization
import Testing

/// A requester that answers lists from a script and serves watch streams line by line.
final class ScriptedRequester: KubeRequester {
    private let state = Mutex<(lists: [String], watches: [[String]], log: [String])>(([], [], []))
    init(lists: [String], watches: [[String]]) { state.withLock { $0 = (lists, watches, []) } }
    var log: [String] { state.withLock { $0.log } }

    func send(_ request: APIRequest) async throws -> Data {
        let body: String? = state.withLock { state in
            state.log.append("\(request.method) \(request.pathAndQuery)")
            return state.lists.isEmpty ? nil : state.lists.removeFirst()
        }
        guard let body else { throw APIError(method: request.method, path: request.path, code: 500) }
        return Data(body.utf8)
    }

    func watch(_ request: APIRequest) async throws -> AsyncThrowingStream<Data, any Error> {
        let lines: [String]? = state.withLock { state in
            state.log.append("WATCH \(request.pathAndQuery)")
            return state.watches.isEmpty ? nil : state.watches.removeFirst()
        }
        guard let lines else {
            try await Task.sleep(for: .seconds(3600))
            return AsyncThrowingStream { $0.finish() }
        }
        return AsyncThrowingStream { continuation in
            for line in lines { continuation.yield(Data(line.utf8)) }
            continuation.finish()
        }
    }
}

@Suite("List and watch")
struct ListWatcherTests {
    static func hpaJSON(_ name: String, rv: String) -> String {
        #"{"metadata":{"name":"\#(name)","namespace":"ns","resourceVersion":"\#(rv)"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"\#(name)"},"maxReplicas":3}}"#
    }

    @Test func paginatesWatchesFromTheListVersionResumesAfterBookmarksAndRelistsOnExpiry() async throws {
        let requester = ScriptedRequester(
            lists: [
                #"{"metadata":{"resourceVersion":"10","continue":"page2"},"items":[\#(Self.hpaJSON("a", rv: "5"))]}"#,
                #"{"metadata":{"resourceVersion":"10"},"items":[\#(Self.hpaJSON("b", rv: "6"))]}"#,
                #"{"metadata":{"resourceVersion":"30"},"items":[\#(Self.hpaJSON("c", rv: "29"))]}"#,
            ],
            watches: [
                [#"{"type":"ADDED","object":\#(Self.hpaJSON("d", rv: "11"))}"#,
                 #"{"type":"BOOKMARK","object":{"kind":"HorizontalPodAutoscaler","metadata":{"resourceVersion":"20"}}}"#],
                [#"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version"}}"#],
            ])
        let source = ListWatchHPASource(requester: requester, namespace: "ns")
        let changes = HPAChangeLog()
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await source.run(onChange: { change in changes.append(change) }) }
            #expect(await eventually { await source.keys().map(\.name) == ["c"] })
            group.cancelAll()
        }
        let log = requester.log
        #expect(log.count >= 5)
        #expect(log[0] == "GET /apis/autoscaling/v2/namespaces/ns/horizontalpodautoscalers?limit=500")
        #expect(log[1] == "GET /apis/autoscaling/v2/namespaces/ns/horizontalpodautoscalers?continue=page2&limit=500")
        #expect(log[2].hasPrefix("WATCH /apis/autoscaling/v2/namespaces/ns/horizontalpodautoscalers?allowWatchBookmarks=true&resourceVersion=10&"))
        #expect(log[3].contains("resourceVersion=20&"))  // resumed after the bookmark
        #expect(log[4] == "GET /apis/autoscaling/v2/namespaces/ns/horizontalpodautoscalers?limit=500")  // relist after 410
        let seen = changes.all
        #expect(seen.contains(.added(HPAKey(namespace: "ns", name: "d"))))
        #expect(seen.contains(.deleted(HPAKey(namespace: "ns", name: "a"))))
    }

    @Test func podCacheKeepsCompactProjectionsAndSelectsByLabel() async {
        let cache = PodCache()
        await cache.upsert(ScalingPod(name: "a", namespace: "ns", labels: ["app": "web", "tier": "x"]))
        await cache.upsert(ScalingPod(name: "b", namespace: "ns", labels: ["app": "web"]))
        await cache.upsert(ScalingPod(name: "c", namespace: "ns", labels: ["app": "db"]))
        await cache.upsert(ScalingPod(name: "d", namespace: "other", labels: ["app": "web"]))
        let web = await cache.pods(namespace: "ns", selector: try! Selector(parsing: "app=web"))
        #expect(web.map(\.name) == ["a", "b"])
        let notX = await cache.pods(namespace: "ns", selector: try! Selector(parsing: "app in (web),tier!=x"))
        #expect(notX.map(\.name) == ["b"])
        await cache.upsert(ScalingPod(name: "b", namespace: "ns", labels: ["app": "db"]))  // relabelled
        #expect(await cache.pods(namespace: "ns", selector: try! Selector(parsing: "app=web")).map(\.name) == ["a"])
        await cache.remove(namespace: "ns", name: "a")
        #expect(await cache.pods(namespace: "ns", selector: try! Selector(parsing: "app=web")).isEmpty)
        #expect(await cache.count == 3)
    }
}

final class HPAChangeLog: Sendable {
    private let items = Mutex<[HPAChange]>([])
    func append(_ change: HPAChange) { items.withLock { $0.append(change) } }
    var all: [HPAChange] { items.withLock { $0 } }
}
