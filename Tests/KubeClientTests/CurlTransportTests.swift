import Foundation
import Testing
@testable import KubeClient

@Suite("CurlTransport against a loopback server")
struct CurlTransportTests {
    struct Echo: Decodable {
        var method: String
        var path: String
        var body: String
        var headers: [String: String]
        var clientPort: Int
    }

    @Test func getSendsUserAgentAndHeaders() async throws {
        let server = try LoopbackServer()
        let transport = CurlTransport()
        let response = try await transport.send(TransportRequest(url: server.baseURL + "/echo", headers: ["Accept": "application/json"]))
        #expect(response.status == 200)
        let echo = try JSONDecoder().decode(Echo.self, from: response.body)
        #expect(echo.method == "GET")
        #expect(echo.headers["user-agent"]?.hasPrefix("hpa-controller/") == true)
        #expect(echo.headers["user-agent"]?.contains("(linux/") == true)
        #expect(echo.headers["accept"] == "application/json")
        #expect(echo.headers["accept-encoding"]?.contains("gzip") == true)
        #expect(echo.headers["expect"] == nil)
    }

    @Test(arguments: ["POST", "PUT", "PATCH"])
    func bodyMethods(method: String) async throws {
        let server = try LoopbackServer()
        let body = Data(repeating: UInt8(ascii: "x"), count: 5000)
        let response = try await CurlTransport().send(TransportRequest(method: method, url: server.baseURL + "/echo",
                                                                  headers: ["Content-Type": "application/merge-patch+json"], body: body))
        let echo = try JSONDecoder().decode(Echo.self, from: response.body)
        #expect(echo.method == method)
        #expect(echo.body.count == 5000)
        #expect(echo.headers["content-type"] == "application/merge-patch+json")
    }

    @Test func headReturnsWithoutBody() async throws {
        let server = try LoopbackServer()
        let response = try await CurlTransport().send(TransportRequest(method: "HEAD", url: server.baseURL + "/gzip"))
        #expect(response.status == 200 && response.body.isEmpty)
    }

    @Test func deleteWithoutBody() async throws {
        let server = try LoopbackServer()
        let response = try await CurlTransport().send(TransportRequest(method: "DELETE", url: server.baseURL + "/echo"))
        #expect(try JSONDecoder().decode(Echo.self, from: response.body).method == "DELETE")
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        let server = try LoopbackServer()
        let transport = CurlTransport()
        var ports = Set<Int>()
        for _ in 0..<10 {
            let response = try await transport.send(TransportRequest(url: server.baseURL + "/echo"))
            ports.insert(try JSONDecoder().decode(Echo.self, from: response.body).clientPort)
        }
        #expect(ports.count == 1)
    }

    @Test func concurrentRequests() async throws {
        let server = try LoopbackServer()
        let transport = CurlTransport()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 { group.addTask { try await transport.send(TransportRequest(url: server.baseURL + "/echo")).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 20))
    }

    @Test func gzipIsDecoded() async throws {
        let server = try LoopbackServer()
        let response = try await CurlTransport().send(TransportRequest(url: server.baseURL + "/gzip"))
        #expect(response.headers["content-encoding"] == "gzip")
        #expect(String(decoding: response.body, as: UTF8.self).hasPrefix("{\"compressed\": \"yesyes"))
    }

    @Test func errorStatusIsAResponseWithHeaders() async throws {
        let server = try LoopbackServer()
        let response = try await CurlTransport().send(TransportRequest(url: server.baseURL + "/status/429?retryAfter=3"))
        #expect(response.status == 429)
        #expect(response.headers["retry-after"] == "3")
    }

    @Test func requestTimeout() async throws {
        let server = try LoopbackServer()
        await #expect {
            _ = try await CurlTransport().send(TransportRequest(url: server.baseURL + "/slow?ms=3000", timeout: .milliseconds(300)))
        } throws: { ($0 as? TransportError)?.kind == .timedOut }
    }

    @Test func unreachableServerNamesTheURL() async throws {
        // A port nobody listens on: bind-and-close gives one that was just free.
        let url = "http://127.0.0.1:1/healthz"
        do {
            _ = try await CurlTransport().send(TransportRequest(url: url))
            Issue.record("expected a connection error")
        } catch let error as TransportError {
            #expect(error.kind == .couldNotConnect)
            #expect(error.description.contains(url))
            #expect(error.isRetryable)
        }
    }

    @Test func cancellingASlowRequest() async throws {
        let server = try LoopbackServer()
        let transport = CurlTransport()
        let task = Task { try await transport.send(TransportRequest(url: server.baseURL + "/slow?ms=20000")) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.result
        #expect(throws: TransportError.self) { try result.get() }
        if case .failure(let error as TransportError) = result { #expect(error.kind == .cancelled) }
    }

    @Test func streamDeliversLinesAsTheyArrive() async throws {
        let server = try LoopbackServer()
        let response = try await CurlTransport().stream(TransportRequest(url: server.baseURL + "/watch?events=5"))
        #expect(response.status == 200)
        var names: [String] = []
        for try await line in response.lines {
            let object = try JSONSerialization.jsonObject(with: line) as? [String: Any]
            let meta = (object?["object"] as? [String: Any])?["metadata"] as? [String: Any]
            names.append(meta?["name"] as? String ?? "?")
        }
        #expect(names == ["o0", "o1", "o2", "o3", "o4"])
    }

    @Test func cancellingAnIdleWatchEndsTheStream() async throws {
        let server = try LoopbackServer()
        let transport = CurlTransport()
        let response = try await transport.stream(TransportRequest(url: server.baseURL + "/watch?events=1&idle=1"))
        let consumer = Task {
            var count = 0
            do { for try await _ in response.lines { count += 1 } } catch {}
            return count
        }
        try await Task.sleep(for: .milliseconds(300))
        consumer.cancel()
        // Finishes once the progress callback sees the flag (about a second); no timing assertion.
        #expect(await consumer.value == 1)
    }

    @Test func streamHeadReportsErrorStatus() async throws {
        let server = try LoopbackServer()
        let response = try await CurlTransport().stream(TransportRequest(url: server.baseURL + "/status/410"))
        #expect(response.status == 410)
        var body = Data()
        for try await line in response.lines { body.append(line) }
        #expect(String(decoding: body, as: UTF8.self).contains("\"code\": 410"))
    }

    @Test(arguments: [
        ("https://10.0.0.1:6443/api", "10.0.0.1", 6443, "/api"),
        ("https://[fd00::1]/apis?x=1", "fd00::1", 443, "/apis?x=1"),
        ("http://localhost", "localhost", 80, ""),
    ])
    func urlParts(url: String, host: String, port: Int, rest: String) throws {
        let parts = try #require(URLParts(url))
        #expect(parts.host == host)
        #expect(parts.port == port)
        #expect(parts.rest == rest)
    }
}
