#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal blocking HTTP/1.1 client for tests and benchmarks on loopback: one keep-alive
/// connection, Content-Length and chunked bodies, incremental reading of streamed responses.
/// Not a general client (no TLS, no redirects, no proxies).
public final class LoopbackHTTPClient {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// A received response head plus, for `send`, the whole body.
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    private var fd: Int32
    private var buffer: [UInt8] = []
    private var streamDone = true
    public let port: UInt16

    public init(port: UInt16, receiveTimeoutSeconds: Int = 30) throws(Failure) {
        self.port = port
        #if os(Linux)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure(description: "connect to 127.0.0.1:\(port): errno \(code)")
        }
        Socket.setNoDelay(fd)
        Socket.setReceiveTimeout(fd, seconds: receiveTimeoutSeconds)
    }

    deinit { Glibc.close(fd) }

    public func close() {
        _ = shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Writes raw bytes (for malformed-request tests).
    public func sendRaw(_ bytes: [UInt8]) throws(Failure) {
        guard Socket.sendAll(fd, bytes) else { throw Failure(description: "send failed") }
    }

    /// Sends a request and reads the whole response.
    public func send(_ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil) throws(Failure) -> Response {
        var response = try start(method, target, headers: headers, body: body)
        var collected: [UInt8] = []
        while let chunk = try nextChunk() { collected.append(contentsOf: chunk) }
        response.body = collected
        return response
    }

    /// Sends a request and reads only the response head; read the body with `nextChunk()`.
    public func start(_ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil) throws(Failure) -> Response {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try sendRaw(Array(head.utf8) + (body ?? []))
        return try readHead()
    }

    private var mode: BodyMode = .none
    private enum BodyMode { case none, length(Int), chunked, untilClose }

    /// Reads the response head (status line and headers).
    public func readHead() throws(Failure) -> Response {
        while true {
            if let end = headEnd() {
                let text = String(decoding: buffer[..<(end - 4)], as: UTF8.self)
                buffer.removeFirst(end)
                var lines = text.split(separator: "\r\n")[...]
                guard let statusLine = lines.popFirst() else { throw Failure(description: "empty response head") }
                let parts = statusLine.split(separator: " ", maxSplits: 2)
                guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure(description: "bad status line \(statusLine)") }
                var headers = HTTPHeaders()
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingSpaces())
                }
                if status == 100 { continue }
                if headers["Transfer-Encoding"]?.lowercased().contains("chunked") == true {
                    mode = .chunked
                } else if let length = headers["Content-Length"].flatMap({ Int($0) }) {
                    mode = .length(length)
                } else {
                    mode = .untilClose
                }
                return Response(status: status, headers: headers, body: [])
            }
            try receiveMore()
        }
    }

    /// The next piece of the current response body, or nil at its end.
    public func nextChunk() throws(Failure) -> [UInt8]? {
        switch mode {
        case .none:
            return nil
        case .length(let length):
            while buffer.count < length { try receiveMore() }
            let body = Array(buffer[..<length])
            buffer.removeFirst(length)
            mode = .none
            return length == 0 ? nil : body
        case .untilClose:
            if buffer.isEmpty {
                let count = Socket.receive(fd, into: &buffer, capacity: 64 * 1024)
                if count <= 0 { mode = .none; return nil }
            }
            let body = buffer
            buffer.removeAll()
            return body
        case .chunked:
            let lineEnd = try crlf(from: 0)
            let sizeText = String(decoding: buffer[..<lineEnd], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else {
                throw Failure(description: "bad chunk size line '\(sizeText)'")
            }
            buffer.removeFirst(lineEnd + 2)
            if size == 0 {
                let end = try crlf(from: 0)
                buffer.removeFirst(end + 2)
                mode = .none
                return nil
            }
            while buffer.count < size + 2 { try receiveMore() }
            let chunk = Array(buffer[..<size])
            buffer.removeFirst(size + 2)
            return chunk
        }
    }

    private func receiveMore() throws(Failure) {
        let count = Socket.receive(fd, into: &buffer, capacity: 64 * 1024)
        if count == 0 { throw Failure(description: "connection closed by server") }
        if count < 0 { throw Failure(description: "receive failed or timed out (errno \(errno))") }
    }

    private func headEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 3..<buffer.count where buffer[index] == 10 && buffer[index - 1] == 13 && buffer[index - 2] == 10 && buffer[index - 3] == 13 {
            return index + 1
        }
        return nil
    }

    private func crlf(from start: Int) throws(Failure) -> Int {
        while true {
            if buffer.count >= 2 {
                for index in max(start, 1)..<buffer.count where buffer[index] == 10 && buffer[index - 1] == 13 {
                    return index - 1
                }
            }
            try receiveMore()
        }
    }
}
