import Foundation
import KubeAPI
import Testing
@testable import KubeClient

@Suite("list and watch loop")
struct ListWatchTests {
    typealias T = KubeClientAPITests
    static func line(_ text: String) -> Data { Data(text.utf8) }

    @Test func rewatchesFromBookmarkAndRelistsOn410() async throws {
        let watches = Locked(0)
        let fake = FakeTransport(handler: { request in
            let path = T.path(request)
            if path.contains("resourceVersion=8") { return T.json(T.status(410, "Expired"), status: 410) }
            if path.contains("resourceVersion=") {
                return T.json(#"{"metadata":{"resourceVersion":"20"},"items":[]}"#)  // not expected
            }
            let isFirst = watches.withLock { $0 } == 0
            return isFirst
                ? T.json(#"{"metadata":{"resourceVersion":"5"},"items":[{"metadata":{"name":"a","resourceVersion":"5"}}]}"#)
                : T.json(#"{"metadata":{"resourceVersion":"20"},"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"c"}}]}"#)
        }, streamHandler: { request in
            let n = watches.withLock { $0 += 1; return $0 }
            switch n {
            case 1: return (200, [Self.line(#"{"type":"ADDED","object":{"metadata":{"name":"b","resourceVersion":"6"}}}"#),
                                  Self.line(#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"8"}}}"#)])
            case 2: return (200, [Self.line(#"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old"}}"#)])
            default: return (200, [Self.line(#"{"type":"DELETED","object":{"metadata":{"name":"c","resourceVersion":"21"}}}"#)])
            }
        })
        var log: [String] = []
        for try await event in T.client(fake).listAndWatch(PartialObjectMeta.self, .horizontalPodAutoscalers, namespace: nil) {
            switch event {
            case .replaced(let items, let rv): log.append("replaced \(items.compactMap(\.metadata.name)) @\(rv)")
            case .added(let o): log.append("added \(o.metadata.name ?? "")")
            case .modified(let o): log.append("modified \(o.metadata.name ?? "")")
            case .deleted(let o): log.append("deleted \(o.metadata.name ?? "")")
            }
            if log.count == 4 { break }
        }
        #expect(log == ["replaced [\"a\"] @5", "added b", "replaced [\"a\", \"c\"] @20", "deleted c"])
        let paths = fake.requests.map(T.path)
        #expect(paths[1].contains("resourceVersion=5") && paths[1].contains("watch=true"))
        #expect(paths[2].contains("resourceVersion=8") && paths[2].contains("watch=true"))   // from the bookmark
        #expect(paths[3].contains("resourceVersion=8") && !paths[3].contains("watch=true"))  // relist with last RV: 410
        #expect(!paths[4].contains("resourceVersion=") && !paths[4].contains("watch=true"))  // consistent relist
        #expect(paths[5].contains("resourceVersion=20") && paths[5].contains("watch=true"))
    }
}
