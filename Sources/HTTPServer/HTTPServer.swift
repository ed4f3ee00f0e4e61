#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Why the server could not start: the socket call that failed, the address and errno.
public struct HTTPServerError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var address: String
    public var errno: Int32

    public var description: String {
        "HTTP server: \(operation) failed for \(address): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// Size and count limits applied to every connection.
public struct HTTPServerLimits: Sendable {
    /// Request line plus headers; larger heads get 431.
    public var maxHeadBytes: Int = 64 * 1024
    /// Request body; larger bodies get 413 (the Kubernetes API server's limit is 3 MiB).
    public var maxBodyBytes: Int = 3 * 1024 * 1024
    /// Open connections at once; further ones get 503 and are closed.
    public var maxConnections: Int = 2048
    /// A keep-alive connection with no new request for this long is closed.
    public var idleTimeoutSeconds: Int = 300

    public init() {}
}

/// A problem the server answers itself, before any handler runs (oversized or malformed requests).
public struct HTTPRejection: Sendable {
    public var status: Int
    public var message: String
}

/// A small HTTP/1.1 server on loopback: one thread per connection, keep-alive, chunked streaming
/// responses, TCP_NODELAY on every accepted socket.
///
/// ```swift
/// let server = HTTPServer { request in .text(200, "ok") }
/// let port = try server.start()          // port 0: the kernel picks a free port
/// defer { server.stop() }
/// ```
/// The handler runs on the connection's thread and may block (a watch stream does).
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    let host: String
    let limits: HTTPServerLimits
    let handler: Handler
    let rejectionResponder: @Sendable (HTTPRejection) -> HTTPResponse
    let state = Mutex(ServerState())
    let stopping = Atomic<Bool>(false)

    struct ServerState: ~Copyable {
        var listener: Int32 = -1
        var port: UInt16 = 0
        var connections: Set<Int32> = []
        var acceptLoopRunning = false
        var started = false
    }

    /// - Parameters:
    ///   - host: an IPv4 address to bind; loopback by default.
    ///   - limits: request size and connection limits.
    ///   - rejection: builds the reply for requests the server rejects itself (400, 413, 431, 503);
    ///     plain text by default. The simulated cluster answers with a Kubernetes `Status`.
    ///   - handler: answers each request.
    public init(host: String = "127.0.0.1", limits: HTTPServerLimits = HTTPServerLimits(),
                rejection: (@Sendable (HTTPRejection) -> HTTPResponse)? = nil,
                handler: @escaping Handler) {
        self.host = host
        self.limits = limits
        self.handler = handler
        self.rejectionResponder = rejection ?? { rejection in
            .text(rejection.status, rejection.message + "\n")
        }
    }

    /// The bound port, or nil before `start` / after `stop`.
    public var port: UInt16? {
        state.withLock { $0.started ? $0.port : nil }
    }

    /// Binds and starts accepting. `port` 0 lets the kernel pick a free port. Returns the bound port.
    @discardableResult
    public func start(port: UInt16 = 0) throws(HTTPServerError) -> UInt16 {
        let (fd, bound) = try Socket.listen(host: host, port: port, backlog: 1024)
        state.withLock {
            $0.listener = fd
            $0.port = bound
            $0.started = true
            $0.acceptLoopRunning = true
        }
        stopping.store(false, ordering: .sequentiallyConsistent)
        let started = spawnDetachedThread { [self] in acceptLoop(listener: fd) }
        if !started {
            state.withLock { $0.acceptLoopRunning = false; $0.started = false }
            close(fd)
            throw HTTPServerError(operation: "pthread_create", address: "\(host):\(bound)", errno: EAGAIN)
        }
        return bound
    }

    /// Stops accepting, closes every open connection (ending running streams) and waits up to
    /// `timeoutSeconds` for connection threads to finish.
    public func stop(timeoutSeconds: Double = 5) {
        stopping.store(true, ordering: .sequentiallyConsistent)
        state.withLock { state in
            if state.listener >= 0 { _ = shutdown(state.listener, Int32(SHUT_RDWR)) }
            for fd in state.connections { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
        var waited = 0.0
        while waited < timeoutSeconds {
            let done = state.withLock { !$0.acceptLoopRunning && $0.connections.isEmpty }
            if done { break }
            usleep(10_000)
            waited += 0.01
        }
        state.withLock { $0.started = false }
    }

    /// Open connections right now (for tests and diagnostics).
    public var openConnectionCount: Int {
        state.withLock { $0.connections.count }
    }

    private func acceptLoop(listener: Int32) {
        defer {
            state.withLock { state in
                close(listener)
                state.listener = -1
                state.acceptLoopRunning = false
            }
        }
        while !stopping.load(ordering: .sequentiallyConsistent) {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if stopping.load(ordering: .sequentiallyConsistent) { return }
                usleep(10_000)  // EMFILE and friends: let connections drain
                continue
            }
            Socket.setNoDelay(fd)
            let admitted = state.withLock { state -> Bool in
                guard state.connections.count < limits.maxConnections else { return false }
                state.connections.insert(fd)
                return true
            }
            guard admitted else {
                let reply = rejectionResponder(HTTPRejection(status: 503, message: "too many connections"))
                _ = Socket.sendAll(fd, HTTPConnection.serializeHead(reply, bodyLength: reply.bodyBytes.count, keepAlive: false) + reply.bodyBytes)
                close(fd)
                continue
            }
            let connection = HTTPConnection(fd: fd, server: self)
            if !spawnDetachedThread({ connection.run() }) {
                closeConnection(fd)
            }
        }
    }

    func closeConnection(_ fd: Int32) {
        state.withLock { state in
            if state.connections.remove(fd) != nil { close(fd) }
        }
    }
}

extension HTTPResponse {
    var bodyBytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }
}
