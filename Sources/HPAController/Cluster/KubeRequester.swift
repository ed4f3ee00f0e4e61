#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// One request to the API server, relative to its base URL.
public struct APIRequest: Sendable, Hashable {
    public var method: String
    /// Already percent-encoded path, e.g. `/apis/apps/v1/namespaces/default/deployments/web/scale`.
    public var path: String
    /// Query parameters; encoded like Go's `url.Values.Encode` (sorted by key).
    public var query: [String: String]
    public var body: Data?
    public var contentType: String?
    /// Whole-request deadline (nil: the requester's default).
    public var timeout: Duration?

    public init(method: String = "GET", path: String, query: [String: String] = [:], body: Data? = nil,
                contentType: String? = nil, timeout: Duration? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.contentType = contentType
        self.timeout = timeout
    }

    /// GET, LIST and WATCH read; everything else writes.
    public var isWrite: Bool { !["GET", "HEAD", "OPTIONS"].contains(method.uppercased()) }

    /// `path?query` with the query encoded like Go's `url.Values.Encode`.
    public var pathAndQuery: String {
        guard !query.isEmpty else { return path }
        let encoded = query.keys.sorted().map { key in
            "\(URLEncoding.queryComponent(key))=\(URLEncoding.queryComponent(query[key] ?? ""))"
        }
        return path + "?" + encoded.joined(separator: "&")
    }
}

/// A non-2xx answer of the API server (or a refused request), with the decoded `Status` when
/// the body was one.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    public var method: String
    public var path: String
    public var code: Int
    public var status: Status?

    public init(method: String, path: String, code: Int, status: Status? = nil) {
        self.method = method
        self.path = path
        self.code = code
        self.status = status
    }

    public var isNotFound: Bool { code == 404 }
    public var isConflict: Bool { code == 409 }
    public var reason: String? { status?.reason }

    /// The server's message (what upstream prints as `%v` of the error), else a generic one.
    public var description: String {
        if let message = status?.message, !message.isEmpty { return message }
        return "the server responded with HTTP \(code) to \(method) \(path)"
    }
}

/// The seam between the controller and the wire: everything the controller sends goes through
/// one of these. The live one is ``TransportRequester`` (or an adapter over `KubeClient`); tests
/// use ``ReadOnlyRequester`` to prove dry-run writes nothing.
public protocol KubeRequester: Sendable {
    /// Sends the request; returns the body of a 2xx reply, throws ``APIError`` otherwise (and
    /// transport errors as they come).
    func send(_ request: APIRequest) async throws -> Data
    /// Starts a watch (`watch=true` must be in the query); the lines of the stream, one JSON
    /// watch event each. Throws ``APIError`` when the server answers non-2xx.
    func watch(_ request: APIRequest) async throws -> AsyncThrowingStream<Data, any Error>
}

extension KubeRequester {
    /// Sends and decodes a JSON reply.
    public func get<T: Decodable>(_ type: T.Type, _ request: APIRequest) async throws -> T {
        let data = try await send(request)
        return try JSONDecoder().decode(T.self, from: data)
    }
}

/// Wraps a requester and refuses every writing verb (with a 405 ``APIError``) before it reaches
/// the wire. `--dry-run` runs on one of these, so a bug elsewhere cannot write to the cluster.
public struct ReadOnlyRequester: KubeRequester {
    public let base: any KubeRequester
    public init(_ base: any KubeRequester) { self.base = base }

    public func send(_ request: APIRequest) async throws -> Data {
        if request.isWrite {
            throw APIError(method: request.method, path: request.path, code: 405,
                           status: Status(code: 405, reason: "MethodNotAllowed", message: "dry-run: \(request.method) \(request.path) refused"))
        }
        return try await base.send(request)
    }

    public func watch(_ request: APIRequest) async throws -> AsyncThrowingStream<Data, any Error> {
        try await base.watch(request)
    }
}

/// Percent-encoding as Go's `net/url` does it.
public enum URLEncoding {
    static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)

    /// `url.QueryEscape`: unreserved bytes kept, space → `+`, everything else `%XX`.
    public static func queryComponent(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) }
            else if byte == UInt8(ascii: " ") { out += "+" }
            else { out += "%" + hex(byte) }
        }
        return out
    }

    /// One path segment: unreserved bytes kept, everything else (including `*` and `/`) `%XX`.
    public static func pathSegment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else { out += "%" + hex(byte) }
        }
        return out
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
