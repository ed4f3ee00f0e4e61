/// An HTTP header list with case-insensitive lookup. Names keep the case they were sent or set with.
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of `name` (case-insensitive), or nil.
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    /// Appends a field (keeps existing ones with the same name).
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every field named `name` with one field.
    public mutating func set(_ name: String, _ value: String) {
        let lowered = name.lowercased()
        fields.removeAll { $0.name.lowercased() == lowered }
        fields.append((name: name, value: value))
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }
}

/// One parsed HTTP/1.1 request.
public struct HTTPRequest: Sendable {
    /// `GET`, `PUT`, ... as sent (upper case by convention).
    public var method: String
    /// The request target exactly as sent, e.g. `/api/v1/pods?limit=5`.
    public var target: String
    /// The path part of the target, percent-decoded segment by segment (`%2A` becomes `*`).
    public var path: String
    /// The path split on `/`, each segment percent-decoded; empty segments dropped.
    public var pathSegments: [String]
    /// Query parameters, percent-decoded, `+` read as a space. A repeated name keeps its first value.
    public var query: [String: String]
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String, target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        let (rawPath, rawQuery) = HTTPRequest.split(target: target)
        pathSegments = rawPath.split(separator: "/").map { PercentDecoding.decode(Substring($0), plusAsSpace: false) }
        path = "/" + pathSegments.joined(separator: "/")
        var parameters: [String: String] = [:]
        for pair in rawQuery.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentDecoding.decode(parts[0], plusAsSpace: true)
            let value = parts.count > 1 ? PercentDecoding.decode(parts[1], plusAsSpace: true) : ""
            if parameters[name] == nil { parameters[name] = value }
        }
        query = parameters
    }

    private static func split(target: String) -> (Substring, Substring) {
        guard let mark = target.firstIndex(of: "?") else { return (Substring(target), "") }
        return (target[..<mark], target[target.index(after: mark)...])
    }
}

/// Writes the body of a streaming response as HTTP/1.1 chunks. Used from the handler's stream
/// closure, on the connection's own thread.
public final class HTTPStreamWriter: @unchecked Sendable {
    private let connection: HTTPConnectionIO
    private(set) var aborted = false

    init(connection: HTTPConnectionIO) {
        self.connection = connection
    }

    /// Sends `bytes` as one chunk. Returns false once the client is gone or the server is stopping;
    /// the stream closure should then return.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return isConnected }
        guard !aborted, !connection.isStopping else { return false }
        var chunk = Array(String(bytes.count, radix: 16).utf8)
        chunk.reserveCapacity(chunk.count + bytes.count + 4)
        chunk.append(13); chunk.append(10)
        chunk.append(contentsOf: bytes)
        chunk.append(13); chunk.append(10)
        return connection.send(chunk)
    }

    /// Whether the peer still has the connection open and the server is not stopping.
    /// Cheap enough to poll about once a second while a stream is idle.
    public var isConnected: Bool {
        !aborted && !connection.isStopping && connection.peerIsOpen()
    }

    /// Ends the stream without the terminating chunk and closes the connection: the client sees
    /// a connection dropped mid-response (fault injection).
    public func abort() {
        aborted = true
    }
}

/// A response: status, headers and a body.
public struct HTTPResponse: Sendable {
    public enum Body: Sendable {
        /// A complete body sent with `Content-Length`.
        case bytes([UInt8])
        /// A chunked body produced by the closure; it runs on the connection's thread and the
        /// response ends when it returns.
        case stream(@Sendable (HTTPStreamWriter) -> Void)
        /// Bytes written to the socket verbatim (status line and headers are NOT added), after
        /// which the connection is closed. For simulating broken servers: an empty array drops
        /// the connection without any reply.
        case raw([UInt8])
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a UTF-8 text body.
    public static func text(_ status: Int, _ text: String, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", contentType)]), body: .bytes(Array(text.utf8)))
    }

    /// A response with a JSON body given as bytes.
    public static func json(_ status: Int, _ bytes: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: .bytes(bytes))
    }

    /// The standard reason phrase for a status code.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 411: return "Length Required"
        case 413: return "Request Entity Too Large"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }
}

enum PercentDecoding {
    static func decode(_ text: Substring, plusAsSpace: Bool) -> String {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") && plusAsSpace {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                      let high = hexValue(iterator[iterator.startIndex]),
                      let low = hexValue(iterator[iterator.startIndex + 1]) {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
