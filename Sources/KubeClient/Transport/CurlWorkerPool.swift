import CCurl
import Foundation
import Synchronization

/// Threads of our own that run blocking `curl_easy_perform` calls, so that the Swift
/// cooperative pool never blocks. Each worker owns one easy handle, and with it a
/// connection cache: an idle worker is reused last-in-first-out, so sequential requests
/// keep riding the same keep-alive connection.
final class CurlWorkerPool: Sendable {
    private struct State {
        var idle: [CurlWorker] = []
        var pending: [CurlTransfer] = []
        var workerCount = 0
    }

    private let state = Mutex(State())
    private let maxWorkers: Int
    private let idleTimeout: Duration

    init(maxWorkers: Int, idleTimeout: Duration) {
        self.maxWorkers = max(1, maxWorkers)
        self.idleTimeout = idleTimeout
        CurlGlobal.initializeOnce()
    }

    /// Queues `transfer`; a worker performs it as soon as one is free.
    func submit(_ transfer: CurlTransfer) {
        enum Action { case wake(CurlWorker), spawn, queued }
        let action: Action = state.withLock { state in
            if let worker = state.idle.popLast() {
                worker.assign(transfer)
                return .wake(worker)
            }
            if state.workerCount < maxWorkers {
                state.workerCount += 1
                return .spawn
            }
            state.pending.append(transfer)
            return .queued
        }
        switch action {
        case .wake(let worker): worker.wakeup.signal()
        case .spawn: startWorker(first: transfer)
        case .queued: break
        }
    }

    private func startWorker(first: CurlTransfer) {
        let worker = CurlWorker()
        worker.assign(first)
        let thread = Thread { [self] in self.run(worker) }
        thread.name = "curl-worker"
        thread.start()
    }

    private func run(_ worker: CurlWorker) {
        guard let handle = curl_easy_init() else {
            // Out of memory in libcurl: fail this and every later job handed to this worker.
            state.withLock { $0.workerCount -= 1 }
            worker.takeAssigned()?.perform(failingWith: "curl_easy_init failed")
            return
        }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: hpa_curl_error_size())
        defer {
            curl_easy_cleanup(handle)
            errorBuffer.deallocate()
        }
        var next = worker.takeAssigned()
        while true {
            if let transfer = next {
                let deliver = transfer.perform(on: handle, errorBuffer: errorBuffer)
                next = state.withLock { state -> CurlTransfer? in
                    if !state.pending.isEmpty { return state.pending.removeFirst() }
                    state.idle.append(worker)
                    return nil
                }
                deliver()
                continue
            }
            let timedOut = worker.wakeup.wait(timeout: .now() + .milliseconds(idleTimeout.milliseconds)) == .timedOut
            if timedOut {
                let exit = state.withLock { state -> Bool in
                    guard let index = state.idle.firstIndex(where: { $0 === worker }) else { return false }
                    state.idle.remove(at: index)
                    state.workerCount -= 1
                    return true
                }
                if exit { return }
                // Assigned concurrently with the timeout: the signal is pending; consume it.
                worker.wakeup.wait()
            }
            next = worker.takeAssigned()
        }
    }

    /// Runs `transfer` on a thread of its own with a fresh handle (long-lived watch streams,
    /// which would otherwise pin a pooled worker).
    func runDedicated(_ transfer: CurlTransfer) {
        let thread = Thread {
            guard let handle = curl_easy_init() else {
                transfer.perform(failingWith: "curl_easy_init failed")
                return
            }
            let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: hpa_curl_error_size())
            transfer.perform(on: handle, errorBuffer: errorBuffer)()
            curl_easy_cleanup(handle)
            errorBuffer.deallocate()
        }
        thread.name = "curl-stream"
        thread.start()
    }
}

/// One pooled thread's mailbox.
private final class CurlWorker: @unchecked Sendable {
    let wakeup = DispatchSemaphore(value: 0)
    private let assigned = Mutex<CurlTransfer?>(nil)
    func assign(_ transfer: CurlTransfer) { assigned.withLock { $0 = transfer } }
    func takeAssigned() -> CurlTransfer? { assigned.withLock { value in defer { value = nil }; return value } }
}

/// `curl_global_init` must run once before any other libcurl call.
enum CurlGlobal {
    private static let initialized: Bool = { hpa_curl_global_init_all() == CURLE_OK }()
    static func initializeOnce() { _ = initialized }
}
