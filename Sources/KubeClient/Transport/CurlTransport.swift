import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The libcurl `Transport`: keep-alive connection reuse, timeouts, gzip, in-memory TLS material,
/// blocking work on threads of its own, and cancellation that reaches a running transfer
/// (within about a second, also on an idle watch stream).
public final class CurlTransport: Transport {
    public let tls: TLSSettings
    public let options: CurlTransportOptions
    private let pool: CurlWorkerPool

    public init(tls: TLSSettings = TLSSettings(), options: CurlTransportOptions = CurlTransportOptions()) {
        self.tls = tls
        self.options = options
        self.pool = CurlWorkerPool(maxWorkers: options.maxConcurrentRequests, idleTimeout: options.idleWorkerTimeout)
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let box = TransferBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<TransportResponse, any Error>) in
                let transfer = CurlTransfer(request: request, tls: tls, options: options,
                                            mode: .buffered { continuation.resume(with: $0.mapError { $0 as any Error }) })
                box.set(transfer)
                pool.submit(transfer)
            }
        } onCancel: {
            box.cancel()
        }
    }

    public func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse {
        let (lines, lineSink) = AsyncThrowingStream<Data, any Error>.makeStream()
        let box = TransferBox()
        lineSink.onTermination = { _ in box.cancel() }
        let (status, headers) = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int, HeaderFields), any Error>) in
                let transfer = CurlTransfer(request: request, tls: tls, options: options,
                                            mode: .streaming(head: { continuation.resume(with: $0.mapError { $0 as any Error }) },
                                                             lines: lineSink))
                box.set(transfer)
                pool.runDedicated(transfer)
            }
        } onCancel: {
            box.cancel()
        }
        return StreamingTransportResponse(status: status, headers: headers, lines: lines)
    }
}

/// Lets a cancellation handler reach a transfer created inside a continuation closure,
/// whichever of the two runs first.
private final class TransferBox: Sendable {
    private struct State { var transfer: CurlTransfer?; var cancelled = false }
    private let state = Mutex(State())
    func set(_ transfer: CurlTransfer) {
        let cancelNow = state.withLock { state in
            state.transfer = transfer
            return state.cancelled
        }
        if cancelNow { transfer.cancel() }
    }
    func cancel() {
        let transfer = state.withLock { state in
            state.cancelled = true
            return state.transfer
        }
        transfer?.cancel()
    }
}
