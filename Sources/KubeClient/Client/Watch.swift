import KubeAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One change from a watch stream. ERROR events are thrown as `KubeClientError`
/// (`isResourceExpired` for 410: relist, then watch from the new list's resourceVersion).
public enum WatchChange<Object: Decodable & Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// Only a newer resourceVersion to resume from.
    case bookmark(resourceVersion: String)
}

/// The decoded events of one watch request, in arrival order. Stops when the server ends the
/// stream (re-watch from the last resourceVersion seen); ending iteration aborts the transfer.
public struct WatchStream<Object: Decodable & Sendable>: AsyncSequence {
    public typealias Element = WatchChange<Object>
    let lines: AsyncThrowingStream<Data, any Error>
    let method: String
    let url: String

    public struct AsyncIterator: AsyncIteratorProtocol {
        var lines: AsyncThrowingStream<Data, any Error>.AsyncIterator
        let url: String

        public mutating func next() async throws -> WatchChange<Object>? {
            let line: Data?
            do {
                line = try await lines.next()
            } catch let error as TransportError {
                throw KubeClientError(code: .transport, method: "GET", url: url, transportError: error, message: "\(error.kind.rawValue): \(error.message)")
            }
            guard let line else { return nil }
            return try WatchStream.decodeLine(line, url: url)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(lines: lines.makeAsyncIterator(), url: url)
    }

    private struct EventType: Decodable { var type: String }
    private struct Envelope<Inner: Decodable>: Decodable { var object: Inner }

    static func decodeLine(_ line: Data, url: String) throws -> WatchChange<Object> {
        let decoder = JSONDecoder()
        do {
            let type = try decoder.decode(EventType.self, from: line).type
            switch type {
            case "ADDED": return .added(try decoder.decode(Envelope<Object>.self, from: line).object)
            case "MODIFIED": return .modified(try decoder.decode(Envelope<Object>.self, from: line).object)
            case "DELETED": return .deleted(try decoder.decode(Envelope<Object>.self, from: line).object)
            case "BOOKMARK":
                let object = try decoder.decode(Envelope<PartialObjectMeta>.self, from: line).object
                return .bookmark(resourceVersion: object.metadata.resourceVersion ?? "")
            case "ERROR":
                let status = try decoder.decode(Envelope<Status>.self, from: line).object
                let httpStatus = status.code ?? 500
                throw KubeClientError(code: KubeClientError.code(reason: status.reason, httpStatus: httpStatus), method: "GET", url: url,
                                      httpStatus: httpStatus, status: status, message: status.message ?? "watch ERROR event")
            default:
                throw KubeClientError(code: .decoding, method: "GET", url: url, message: "unknown watch event type \"\(type)\"")
            }
        } catch let error as DecodingError {
            let field = error.fieldPath.map { " at \($0)" } ?? ""
            throw KubeClientError(code: .decoding, method: "GET", url: url,
                                  message: "cannot decode watch event\(field): \(error.summary) (\(line.count) bytes)")
        }
    }
}

extension KubeClient {
    /// Starts a watch (`watch=true&allowWatchBookmarks=true`) from `resourceVersion` (nil: from now).
    /// A 410 on the request throws `KubeClientError` with `isResourceExpired`. `timeoutSeconds`
    /// defaults to a random value in 5–10 minutes, as client-go's reflector does.
    public func watch<T: Decodable & Sendable>(_ type: T.Type, _ resource: ResourceType, namespace: String?,
                                              resourceVersion: String?, labelSelector: String? = nil, fieldSelector: String? = nil,
                                              timeoutSeconds: Int = Int.random(in: 300...600)) async throws -> WatchStream<T> {
        let path = resource.path(namespace: namespace)
        var query = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector, resourceVersion: resourceVersion).queryItems
        query += [("watch", "true"), ("allowWatchBookmarks", "true"), ("timeoutSeconds", String(timeoutSeconds))]
        let lines = try await performStream(path: path, query: query)
        return WatchStream(lines: lines, method: "GET", url: url(path, query: query))
    }

    /// Starts a streaming `GET` (watch) with credentials (re-fetched once after a 401) and the rate
    /// limit, and returns the body's lines as they arrive. A non-2xx reply throws `KubeClientError`
    /// (410 → `isResourceExpired`). For callers that decode watch lines themselves.
    public func performStream(path: String, query: [(String, String)] = []) async throws -> AsyncThrowingStream<Data, any Error> {
        let url = url(path, query: query)
        var refreshedAfter401 = false
        while true {
            let request = try await prepare(method: "GET", url: url, body: nil, contentType: "", timeout: nil)
            let response: StreamingTransportResponse
            do {
                response = try await transport.stream(request)
            } catch let error as TransportError {
                throw KubeClientError(code: .transport, method: "GET", url: url, transportError: error, message: "\(error.kind.rawValue): \(error.message)")
            }
            if (200..<300).contains(response.status) { return response.lines }
            var body = Data()
            for try await line in response.lines { body.append(line); body.append(UInt8(ascii: "\n")) }
            if response.status == 401, !refreshedAfter401, credentials.canRefresh {
                refreshedAfter401 = true
                await credentials.invalidate()
                continue
            }
            throw KubeClientError.from(response: TransportResponse(status: response.status, headers: response.headers, body: body),
                                       method: "GET", url: url)
        }
    }
}
