import ClusterSim
import Foundation
import HTTPServer
import KubeAPI
import Simulation

/// KubeAPI's JSON tree (Simulation exports a type of the same name).
typealias JSONValue = KubeAPI.JSONValue

/// A simulated cluster on a random port with a manual clock, plus a keep-alive client.
final class Harness {
    let cluster: SimulatedCluster
    let client: LoopbackHTTPClient

    init(bookmarkInterval: Double = 10, eventLogCapacity: Int = 10_000, limits: HTTPServerLimits = HTTPServerLimits()) throws {
        var configuration = SimulatedCluster.Configuration()
        configuration.token = "test-token"
        configuration.bookmarkIntervalSeconds = bookmarkInterval
        configuration.eventLogCapacity = eventLogCapacity
        configuration.limits = limits
        configuration.maxPodsPerWorkload = 50
        cluster = try SimulatedCluster.start(configuration)
        client = try LoopbackHTTPClient(port: cluster.port)
    }

    deinit { cluster.stop() }

    var authorization: [(String, String)] { [("Authorization", "Bearer test-token")] }

    func newClient() throws -> LoopbackHTTPClient { try LoopbackHTTPClient(port: cluster.port) }

    /// Sends a request with the token; returns status and the parsed JSON body (`.null` if not JSON).
    @discardableResult
    func request(_ method: String, _ path: String, _ body: JSONValue? = nil, contentType: String = "application/json",
                 headers: [(String, String)]? = nil) throws -> (status: Int, json: JSONValue, response: LoopbackHTTPClient.Response) {
        var allHeaders = headers ?? authorization
        var bytes: [UInt8]?
        if let body {
            bytes = Array(try JSONEncoder().encode(body))
            allHeaders.append(("Content-Type", contentType))
        }
        let response = try client.send(method, path, headers: allHeaders, body: bytes)
        let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(response.body))) ?? .null
        return (response.status, json, response)
    }

    func get(_ path: String) throws -> (status: Int, json: JSONValue) {
        let result = try request("GET", path)
        return (result.status, result.json)
    }
}

/// Builds JSON values in tests from JSON text.
func json(_ text: String) -> JSONValue {
    (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
}

extension JSONValue {
    func at(_ path: String) -> JSONValue? {
        var current: JSONValue? = self
        for key in path.split(separator: ".") {
            if let index = Int(key), case .array(let items)? = current {
                current = items.indices.contains(index) ? items[index] : nil
            } else {
                current = current?[String(key)]
            }
        }
        return current
    }

    var int: Int64? {
        if case .integer(let value) = self { return value }
        if case .double(let value) = self { return Int64(value) }
        return nil
    }

    var items: [JSONValue] {
        if case .array(let items)? = self["items"] { return items }
        return []
    }

    var names: [String] { items.compactMap { $0.at("metadata.name")?.stringValue } }
}

func hpaJSON(name: String, namespace: String = "default", target: String = "web", min: Int = 1, max: Int = 10) -> JSONValue {
    json("""
    {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"\(name)","namespace":"\(namespace)"},
     "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"\(target)"},"minReplicas":\(min),"maxReplicas":\(max),
     "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]}}
    """)
}

/// Reads newline-delimited watch events from a streaming response.
final class WatchReader {
    let client: LoopbackHTTPClient
    private var pending: [UInt8] = []
    var ended = false

    init(client: LoopbackHTTPClient) { self.client = client }

    /// The next event, or nil when the stream ended.
    func next() throws -> JSONValue? {
        while true {
            if let newline = pending.firstIndex(of: 10) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                return try JSONDecoder().decode(JSONValue.self, from: Data(line))
            }
            guard let chunk = try client.nextChunk() else { ended = true; return nil }
            pending.append(contentsOf: chunk)
        }
    }

    /// The next `count` events that are not bookmarks.
    func events(_ count: Int) throws -> [JSONValue] {
        var result: [JSONValue] = []
        while result.count < count, let event = try next() {
            if event["type"]?.stringValue != "BOOKMARK" { result.append(event) }
        }
        return result
    }
}
