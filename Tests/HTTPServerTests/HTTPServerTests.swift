import HTTPServer
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Starts a server with `handler`, runs `body` with its port, stops the server.
func withServer(limits: HTTPServerLimits = HTTPServerLimits(), handler: @escaping HTTPServer.Handler,
                _ body: (UInt16, HTTPServer) throws -> Void) throws {
    let server = HTTPServer(limits: limits, handler: handler)
    let port = try server.start()
    defer { server.stop() }
    try body(port, server)
}

let echo: HTTPServer.Handler = { request in
    var text = "\(request.method) \(request.path)"
    for key in request.query.keys.sorted() { text += " \(key)=\(request.query[key] ?? "")" }
    text += " body=\(request.body.count)"
    return .text(200, text)
}

@Suite struct HTTPServerTests {
    @Test func answersAndKeepsTheConnectionAlive() throws {
        try withServer(handler: echo) { port, _ in
            let client = try LoopbackHTTPClient(port: port)
            for index in 0..<5 {
                let response = try client.send("GET", "/a/b?i=\(index)")
                #expect(response.status == 200)
                #expect(response.text == "GET /a/b i=\(index) body=0")
            }
        }
    }

    @Test(arguments: [
        ("/apis/custom.metrics.k8s.io/v1beta2/namespaces/x/pods/%2A/m?labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29",
         "GET /apis/custom.metrics.k8s.io/v1beta2/namespaces/x/pods/*/m labelSelector=app=web,tier in (a,b) body=0"),
        ("/x?a=1&a=2&b", "GET /x a=1 b= body=0"),
        ("//double//slash/", "GET /double/slash body=0"),
    ])
    func decodesPathAndQuery(target: String, expected: String) throws {
        try withServer(handler: echo) { port, _ in
            let response = try LoopbackHTTPClient(port: port).send("GET", target)
            #expect(response.text == expected)
        }
    }

    @Test func readsBodiesWithLengthAndChunked() throws {
        try withServer(handler: echo) { port, _ in
            let client = try LoopbackHTTPClient(port: port)
            #expect(try client.send("POST", "/p", body: Array(repeating: 65, count: 100_000)).text == "POST /p body=100000")
            try client.sendRaw(Array("PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\n\r\n".utf8))
            var response = try client.readHead()
            while let chunk = try client.nextChunk() { response.body += chunk }
            #expect(response.text == "PUT /c body=8")
        }
    }

    @Test func streamsChunks() throws {
        try withServer(handler: { _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: .stream { writer in
                for index in 0..<3 { writer.write(Array("{\"n\":\(index)}\n".utf8)) }
            })
        }) { port, _ in
            let client = try LoopbackHTTPClient(port: port)
            let response = try client.send("GET", "/watch")
            #expect(response.headers["Transfer-Encoding"] == "chunked")
            #expect(response.text == "{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n")
            // The connection stays usable after the stream ended.
            #expect(try client.send("GET", "/again").status == 200)
        }
    }

    @Test func rejectsOversizedBodiesAndHeads() throws {
        var limits = HTTPServerLimits()
        limits.maxBodyBytes = 1000
        limits.maxHeadBytes = 2000
        try withServer(limits: limits, handler: echo) { port, _ in
            let big = try LoopbackHTTPClient(port: port).send("POST", "/p", body: Array(repeating: 1, count: 1001))
            #expect(big.status == 413)
            let longHeader = try LoopbackHTTPClient(port: port).send("GET", "/p", headers: [("X-Long", String(repeating: "a", count: 3000))])
            #expect(longHeader.status == 431)
            #expect(try LoopbackHTTPClient(port: port).send("GET", "/still-serving").status == 200)
        }
    }

    @Test(arguments: ["garbage\r\n\r\n", "GET nopath HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nno-colon\r\n\r\n",
                      "POST / HTTP/1.1\r\nContent-Length: -4\r\n\r\n"])
    func rejectsMalformedRequests(raw: String) throws {
        try withServer(handler: echo) { port, _ in
            let client = try LoopbackHTTPClient(port: port)
            try client.sendRaw(Array(raw.utf8))
            #expect(try client.readHead().status == 400)
            #expect(try LoopbackHTTPClient(port: port).send("GET", "/ok").status == 200)
        }
    }

    @Test func rawBodyDropsTheConnection() throws {
        try withServer(handler: { _ in HTTPResponse(status: 200, body: .raw([])) }) { port, _ in
            let client = try LoopbackHTTPClient(port: port)
            #expect(throws: LoopbackHTTPClient.Failure.self) { try client.send("GET", "/") }
        }
    }

    @Test func servesManyConnectionsAtOnce() throws {
        try withServer(handler: echo) { port, _ in
            let failures = Counter()
            let clients = 64
            DispatchLikeGroup.run(count: clients) { index in
                do {
                    let client = try LoopbackHTTPClient(port: port)
                    for round in 0..<20 where try client.send("GET", "/c\(index)?r=\(round)").status != 200 {
                        failures.add()
                    }
                } catch {
                    failures.add()
                }
            }
            #expect(failures.value == 0)
        }
    }

    @Test func stopEndsOpenStreamsAndReleasesThePort() throws {
        let server = HTTPServer { _ in
            HTTPResponse(status: 200, body: .stream { writer in
                writer.write(Array("start\n".utf8))
                while writer.isConnected { usleep(20_000) }
            })
        }
        let port = try server.start()
        let client = try LoopbackHTTPClient(port: port)
        _ = try client.start("GET", "/watch")
        #expect(try client.nextChunk() == Array("start\n".utf8))
        #expect(server.openConnectionCount == 1)
        server.stop()
        #expect(server.openConnectionCount == 0)
        #expect(server.port == nil)
        // The same port can be bound again.
        let again = HTTPServer(handler: echo)
        #expect(try again.start(port: port) == port)
        again.stop()
    }

    @Test func streamNoticesAClientThatLeft() throws {
        let ended = Counter()
        try withServer(handler: { _ in
            HTTPResponse(status: 200, body: .stream { writer in
                writer.write(Array("x".utf8))
                while writer.isConnected { usleep(10_000) }
                ended.add()
            })
        }) { port, server in
            let client = try LoopbackHTTPClient(port: port)
            _ = try client.start("GET", "/w")
            _ = try client.nextChunk()
            client.close()
            var waited = 0
            while ended.value == 0 && waited < 500 { usleep(10_000); waited += 1 }
            #expect(ended.value == 1)
        }
    }
}

/// Runs `count` closures on their own threads and waits for all of them.
enum DispatchLikeGroup {
    static func run(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let remaining = Counter(count)
        for index in 0..<count {
            Thread.detach { body(index); remaining.add(-1) }
        }
        while remaining.value > 0 { usleep(1000) }
    }
}

enum Thread {
    static func detach(_ body: @escaping @Sendable () -> Void) {
        final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Box(body))
        _ = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, box.toOpaque())
        pthread_detach(thread)
    }
}

final class Counter: Sendable {
    private let storage: Atomic<Int>
    init(_ value: Int = 0) { storage = Atomic(value) }
    func add(_ delta: Int = 1) { storage.add(delta, ordering: .sequentiallyConsistent) }
    var value: Int { storage.load(ordering: .sequentiallyConsistent) }
}
