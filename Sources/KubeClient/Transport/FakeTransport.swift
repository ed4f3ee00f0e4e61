import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An in-memory `Transport` for unit tests: a handler answers each request, and every request
/// is recorded. Streams answer with the lines the stream handler returns.
public final class FakeTransport: Transport {
    public typealias Handler = @Sendable (TransportRequest) async throws -> TransportResponse
    public typealias StreamHandler = @Sendable (TransportRequest) async throws -> (status: Int, lines: [Data])

    private let handler: Handler
    private let streamHandler: StreamHandler
    private let recorded = Mutex<[TransportRequest]>([])

    public init(handler: @escaping Handler,
                streamHandler: @escaping StreamHandler = { _ in (404, []) }) {
        self.handler = handler
        self.streamHandler = streamHandler
    }

    /// Every request seen so far (send and stream), oldest first.
    public var requests: [TransportRequest] { recorded.withLock { $0 } }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        recorded.withLock { $0.append(request) }
        return try await handler(request)
    }

    public func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse {
        recorded.withLock { $0.append(request) }
        let (status, lines) = try await streamHandler(request)
        let stream = AsyncThrowingStream<Data, any Error> { continuation in
            for line in lines { continuation.yield(line) }
            continuation.finish()
        }
        return StreamingTransportResponse(status: status, headers: ["Content-Type": "application/json"], lines: stream)
    }
}
