#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a streaming writer needs from its connection.
protocol HTTPConnectionIO: AnyObject, Sendable {
    var isStopping: Bool { get }
    func send(_ bytes: [UInt8]) -> Bool
    func peerIsOpen() -> Bool
}

/// One accepted socket: reads requests, calls the handler, writes responses, until either side
/// closes. Runs on its own thread.
final class HTTPConnection: HTTPConnectionIO, @unchecked Sendable {
    let fd: Int32
    /// Strong: a connection thread may outlive `stop()` (a handler that blocks), so it keeps the server alive.
    let server: HTTPServer
    private var buffer: [UInt8] = []
    private var scanned = 0

    init(fd: Int32, server: HTTPServer) {
        self.fd = fd
        self.server = server
    }

    var isStopping: Bool { server.stopping.load(ordering: .relaxed) }
    func send(_ bytes: [UInt8]) -> Bool { Socket.sendAll(fd, bytes) }
    func peerIsOpen() -> Bool { Socket.peerIsOpen(fd) }

    private enum ReadOutcome { case request(HTTPRequest, keepAlive: Bool), closed, rejected(HTTPRejection) }

    func run() {
        Socket.setReceiveTimeout(fd, seconds: server.limits.idleTimeoutSeconds)
        defer { server.closeConnection(fd) }
        while !isStopping {
            switch readRequest() {
            case .closed:
                return
            case .rejected(let rejection):
                let reply = server.rejectionResponder(rejection)
                _ = send(Self.serializeHead(reply, bodyLength: reply.bodyBytes.count, keepAlive: false) + reply.bodyBytes)
                return
            case .request(let request, let keepAlive):
                let response = server.handler(request)
                guard write(response, for: request, keepAlive: keepAlive), keepAlive else { return }
            }
        }
    }

    /// Writes the response; false when the connection must be closed afterwards.
    private func write(_ response: HTTPResponse, for request: HTTPRequest, keepAlive requested: Bool) -> Bool {
        let keepAlive = requested && response.headers["Connection"]?.lowercased() != "close"
        switch response.body {
        case .bytes(let bytes):
            var out = Self.serializeHead(response, bodyLength: bytes.count, keepAlive: keepAlive)
            if request.method != "HEAD" { out.append(contentsOf: bytes) }
            return send(out) && keepAlive
        case .raw(let bytes):
            if !bytes.isEmpty { _ = send(bytes) }
            return false
        case .stream(let produce):
            guard send(Self.serializeHead(response, bodyLength: nil, keepAlive: keepAlive)) else { return false }
            let writer = HTTPStreamWriter(connection: self)
            produce(writer)
            if writer.aborted || isStopping { return false }
            return send(Array("0\r\n\r\n".utf8)) && keepAlive
        }
    }

    static func serializeHead(_ response: HTTPResponse, bodyLength: Int?, keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(response.status) \(HTTPResponse.reasonPhrase(response.status))\r\n"
        for field in response.headers {
            let name = field.name.lowercased()
            if name == "content-length" || name == "transfer-encoding" || name == "connection" { continue }
            head += "\(field.name): \(field.value)\r\n"
        }
        if let bodyLength {
            head += "Content-Length: \(bodyLength)\r\n"
        } else {
            head += "Transfer-Encoding: chunked\r\n"
        }
        if !keepAlive { head += "Connection: close\r\n" }
        head += "\r\n"
        return Array(head.utf8)
    }

    // MARK: - Reading

    /// Reads until the buffer holds `count` bytes; false on EOF, error or idle timeout.
    private func fill(to count: Int) -> Bool {
        while buffer.count < count {
            if Socket.receive(fd, into: &buffer, capacity: max(16 * 1024, min(count - buffer.count, 1 << 20))) <= 0 { return false }
        }
        return true
    }

    /// Index just past the blank line that ends the head, reading more as needed.
    private func readHeadEnd() -> Int?? {
        while true {
            if buffer.count >= 4 {
                var index = max(scanned, 3)
                while index < buffer.count {
                    if buffer[index] == 10 && buffer[index - 1] == 13 && buffer[index - 2] == 10 && buffer[index - 3] == 13 {
                        scanned = 0
                        return .some(index + 1)
                    }
                    index += 1
                }
                scanned = index
            }
            if buffer.count > server.limits.maxHeadBytes { return .some(nil) }
            if Socket.receive(fd, into: &buffer, capacity: 16 * 1024) <= 0 { return nil }
        }
    }

    private func readRequest() -> ReadOutcome {
        guard let headEndOrLimit = readHeadEnd() else { return .closed }
        guard let headEnd = headEndOrLimit, headEnd <= server.limits.maxHeadBytes else {
            return .rejected(HTTPRejection(status: 431, message: "request head larger than \(server.limits.maxHeadBytes) bytes"))
        }
        let headText = String(decoding: buffer[..<(headEnd - 4)], as: UTF8.self)
        buffer.removeFirst(headEnd)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let requestLine = lines.popFirst() else { return .rejected(HTTPRejection(status: 400, message: "empty request")) }
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1."), parts[1].first == "/" else {
            return .rejected(HTTPRejection(status: 400, message: "malformed request line"))
        }
        var headers = HTTPHeaders()
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                return .rejected(HTTPRejection(status: 400, message: "malformed header line"))
            }
            headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingSpaces())
        }
        let connectionHeader = headers["Connection"]?.lowercased() ?? ""
        let keepAlive = parts[2] == "HTTP/1.1" ? !connectionHeader.contains("close") : connectionHeader.contains("keep-alive")
        let body: [UInt8]
        if headers["Transfer-Encoding"]?.lowercased().contains("chunked") == true {
            continueIfExpected(headers)
            switch readChunkedBody() {
            case .success(let bytes): body = bytes
            case .failure(let rejection): return rejection.status == 0 ? .closed : .rejected(rejection)
            }
        } else if let lengthText = headers["Content-Length"] {
            guard let length = Int(lengthText), length >= 0 else {
                return .rejected(HTTPRejection(status: 400, message: "invalid Content-Length \(lengthText)"))
            }
            guard length <= server.limits.maxBodyBytes else {
                return .rejected(HTTPRejection(status: 413, message: "request body of \(length) bytes exceeds the limit of \(server.limits.maxBodyBytes) bytes"))
            }
            continueIfExpected(headers)
            guard fill(to: length) else { return .closed }
            body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else {
            body = []
        }
        return .request(HTTPRequest(method: String(parts[0]), target: String(parts[1]), headers: headers, body: body), keepAlive: keepAlive)
    }

    private func continueIfExpected(_ headers: HTTPHeaders) {
        if headers["Expect"]?.lowercased() == "100-continue" && buffer.isEmpty {
            _ = send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
    }

    private enum ChunkedBody { case success([UInt8]), failure(HTTPRejection) }

    /// Decodes a chunked request body. A rejection with status 0 means the peer went away.
    private func readChunkedBody() -> ChunkedBody {
        var body: [UInt8] = []
        while true {
            guard let lineEnd = readLine() else { return .failure(HTTPRejection(status: 0, message: "")) }
            let sizeText = String(decoding: buffer[..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            buffer.removeFirst(lineEnd + 2)
            guard let size = Int(sizeText.trimmingSpaces(), radix: 16), size >= 0 else {
                return .failure(HTTPRejection(status: 400, message: "malformed chunk size"))
            }
            if size == 0 {
                // Trailer fields until an empty line.
                while true {
                    guard let end = readLine() else { return .failure(HTTPRejection(status: 0, message: "")) }
                    buffer.removeFirst(end + 2)
                    if end == 0 { return .success(body) }
                }
            }
            guard body.count + size <= server.limits.maxBodyBytes else {
                return .failure(HTTPRejection(status: 413, message: "request body exceeds the limit of \(server.limits.maxBodyBytes) bytes"))
            }
            guard fill(to: size + 2) else { return .failure(HTTPRejection(status: 0, message: "")) }
            body.append(contentsOf: buffer[..<size])
            buffer.removeFirst(size + 2)
        }
    }

    /// Index of the CRLF ending the next line in the buffer, reading as needed (lines capped at 4 KiB).
    private func readLine() -> Int? {
        var from = 0
        while true {
            if buffer.count >= 2 {
                for index in max(from, 1)..<buffer.count where buffer[index] == 10 && buffer[index - 1] == 13 {
                    return index - 1
                }
                from = buffer.count
            }
            if buffer.count > 4096 { return nil }
            if Socket.receive(fd, into: &buffer, capacity: 4096) <= 0 { return nil }
        }
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
