import ClusterSim
import Foundation
import HTTPServer
import KubeAPI
import Testing

private let pods = "/api/v1/namespaces/default/pods"

private func pod(_ name: String, tier: String) -> JSONValue {
    json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","labels":{"app":"web","tier":"\#(tier)"}},"spec":{"containers":[{"name":"c"}]}}"#)
}

@Suite struct ListWatchTests {
    @Test func paginatesWithLimitAndContinue() throws {
        let harness = try Harness()
        for index in 0..<25 { try harness.request("POST", pods, pod(String(format: "p%02d", index), tier: index % 2 == 0 ? "a" : "b")) }
        var names: [String] = []
        var token = ""
        var pages = 0
        repeat {
            let page = try harness.get("\(pods)?limit=10" + (token.isEmpty ? "" : "&continue=\(token)")).json
            names += page.names
            token = page.at("metadata.continue")?.stringValue ?? ""
            if pages == 0 { #expect(page.at("metadata.remainingItemCount")?.int == 15) }
            pages += 1
        } while !token.isEmpty && pages < 10
        #expect(pages == 3)
        #expect(names == (0..<25).map { String(format: "p%02d", $0) })
        // Label selectors, set-based too.
        #expect(try harness.get("\(pods)?labelSelector=tier%3Da").json.items.count == 13)
        #expect(try harness.get("\(pods)?labelSelector=tier+in+%28b%29%2Capp%3Dweb").json.items.count == 12)
        #expect(try harness.get("\(pods)?labelSelector=tier%21%3Da").json.items.count == 12)
        #expect(try harness.get("/api/v1/pods?labelSelector=app%3Dnone").json.items.isEmpty)
        #expect(try harness.get("\(pods)?fieldSelector=metadata.name%3Dp03").json.names == ["p03"])
        // An expired continue token gets 410.
        let first = try harness.get("\(pods)?limit=5").json
        harness.cluster.expireWatchHistory()
        let expired = try harness.get("\(pods)?limit=5&continue=\(first.at("metadata.continue")?.stringValue ?? "")")
        #expect(expired.status == 410)
        #expect(expired.json["reason"]?.stringValue == "Expired")
    }

    @Test func watchReplaysAndStreamsChanges() throws {
        let harness = try Harness()
        try harness.request("POST", pods, pod("before", tier: "a"))
        let listVersion = try harness.get(pods).json.at("metadata.resourceVersion")?.stringValue ?? ""
        try harness.request("POST", pods, pod("one", tier: "a"))
        let watcher = try harness.newClient()
        let head = try watcher.start("GET", "\(pods)?watch=true&resourceVersion=\(listVersion)&labelSelector=tier%3Da", headers: harness.authorization)
        #expect(head.status == 200)
        #expect(head.headers["Transfer-Encoding"] == "chunked")
        let reader = WatchReader(client: watcher)
        try harness.request("PATCH", "\(pods)/one", json(#"{"metadata":{"annotations":{"x":"1"}}}"#), contentType: "application/merge-patch+json")
        try harness.request("POST", pods, pod("other-tier", tier: "b"))
        try harness.request("PATCH", "\(pods)/one", json(#"{"metadata":{"labels":{"tier":"b"}}}"#), contentType: "application/merge-patch+json")
        try harness.request("PATCH", "\(pods)/other-tier", json(#"{"metadata":{"labels":{"tier":"a"}}}"#), contentType: "application/merge-patch+json")
        try harness.request("DELETE", "\(pods)/before")
        let events = try reader.events(5)
        #expect(events.map { $0["type"]?.stringValue ?? "" } == ["ADDED", "MODIFIED", "DELETED", "ADDED", "DELETED"])
        #expect(events.map { $0.at("object.metadata.name")?.stringValue ?? "" } == ["one", "one", "one", "other-tier", "before"])
        watcher.close()
    }

    @Test func watchFromNowSendsCurrentObjectsFirst() throws {
        let harness = try Harness()
        try harness.request("POST", pods, pod("a", tier: "a"))
        try harness.request("POST", pods, pod("b", tier: "a"))
        let watcher = try harness.newClient()
        _ = try watcher.start("GET", "\(pods)?watch=1&timeoutSeconds=1", headers: harness.authorization)
        let reader = WatchReader(client: watcher)
        var events: [JSONValue] = []
        while let event = try reader.next() { events.append(event) }
        #expect(events.map { $0.at("object.metadata.name")?.stringValue ?? "" } == ["a", "b"])
        #expect(reader.ended)  // timeoutSeconds closed the stream
        // sendInitialEvents ends the initial set with an annotated bookmark.
        let streaming = try harness.newClient()
        _ = try streaming.start("GET", "\(pods)?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1", headers: harness.authorization)
        let initial = WatchReader(client: streaming)
        var types: [String] = []
        while let event = try initial.next() {
            types.append(event["type"]?.stringValue ?? "")
            if event["type"]?.stringValue == "BOOKMARK" {
                #expect(event.at("object.metadata.annotations")?["k8s.io/initial-events-end"]?.stringValue == "true")
                break
            }
        }
        #expect(types == ["ADDED", "ADDED", "BOOKMARK"])
    }

    @Test func watchFromATooOldVersionGets410() throws {
        let harness = try Harness(eventLogCapacity: 10)
        for index in 0..<30 { try harness.request("POST", pods, pod("p\(index)", tier: "a")) }
        let watcher = try harness.newClient()
        let head = try watcher.start("GET", "\(pods)?watch=true&resourceVersion=1001", headers: harness.authorization)
        #expect(head.status == 200)
        let event = try WatchReader(client: watcher).next()
        #expect(event?["type"]?.stringValue == "ERROR")
        #expect(event?.at("object.code")?.int == 410)
        #expect(event?.at("object.reason")?.stringValue == "Expired")
        #expect(event?.at("object.message")?.stringValue?.hasPrefix("too old resource version: 1001") == true)
    }

    @Test func bookmarksCarryTheCurrentVersion() throws {
        let harness = try Harness(bookmarkInterval: 0.1)
        let version = harness.cluster.resourceVersion
        let watcher = try harness.newClient()
        _ = try watcher.start("GET", "\(pods)?watch=true&resourceVersion=\(version)&allowWatchBookmarks=true", headers: harness.authorization)
        let reader = WatchReader(client: watcher)
        try harness.request("POST", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", hpaJSON(name: "elsewhere"))
        let after = harness.cluster.resourceVersion
        var bookmark: JSONValue?
        for _ in 0..<20 {
            guard let event = try reader.next() else { break }
            if event["type"]?.stringValue == "BOOKMARK", event.at("object.metadata.resourceVersion")?.stringValue == after {
                bookmark = event
                break
            }
        }
        #expect(bookmark?.at("object.kind")?.stringValue == "Pod")
        #expect(harness.cluster.openWatchCount == 1)
        watcher.close()
        var waited = 0
        while harness.cluster.openWatchCount > 0 && waited < 100 { usleep(20_000); waited += 1 }
        #expect(harness.cluster.openWatchCount == 0)
    }

    @Test func tablesForKubectl() throws {
        let harness = try Harness()
        try harness.cluster.addWorkload(WorkloadSpec(namespace: "default", name: "web", replicas: 2))
        try harness.request("POST", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", hpaJSON(name: "web"))
        harness.cluster.advance(by: 200)
        let accept = [("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")]
        let table = try harness.request("GET", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", headers: harness.authorization + accept).json
        #expect(table["kind"]?.stringValue == "Table")
        let columns = table["columnDefinitions"]?.itemsArray.compactMap { $0["name"]?.stringValue }
        #expect(columns == ["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"])
        #expect(table.at("rows.0.cells") == json(#"["web","Deployment/web","cpu: <unknown>/50%",1,10,0,"3m20s"]"#))
        #expect(table.at("rows.0.object.metadata.namespace")?.stringValue == "default")
        let podsTable = try harness.request("GET", pods, headers: harness.authorization + accept).json
        #expect(podsTable.at("rows.0.cells") == json(#"["web-qsltqzlvs-00000","1/1","Running","0","3m20s"]"#) || podsTable.at("rows.0.cells.1")?.stringValue == "1/1")
        let watcher = try harness.newClient()
        _ = try watcher.start("GET", "\(pods)?watch=true&timeoutSeconds=1", headers: harness.authorization + accept)
        let event = try WatchReader(client: watcher).next()
        #expect(event?.at("object.kind")?.stringValue == "Table")
        #expect(event?.at("object.rows.0.cells.2")?.stringValue == "Running")
    }

    @Test func watchOneObjectByName() throws {
        let harness = try Harness()
        try harness.request("POST", pods, pod("a", tier: "a"))
        try harness.request("POST", pods, pod("b", tier: "a"))
        let watcher = try harness.newClient()
        _ = try watcher.start("GET", "\(pods)?watch=true&fieldSelector=metadata.name%3Db&timeoutSeconds=1", headers: harness.authorization)
        let reader = WatchReader(client: watcher)
        var names: [String] = []
        while let event = try reader.next() { names.append(event.at("object.metadata.name")?.stringValue ?? "") }
        #expect(names == ["b"])
    }
}
