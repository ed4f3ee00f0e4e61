import Synchronization

/// Whether a list+watch is currently failing, for logs and `/readyz`.
///
/// ``ListWatcher`` reports every failed list or watch request (``failed(_:)``) and every list
/// that completed or watch that opened (``succeeded()``). The observer hears only changes:
/// healthy → failing, a different failure text, failing → healthy (`nil`). Unlike a cache's
/// `lastError()`, the state clears once the API answers again.
public final class ListWatchHealth: Sendable {
    private struct State {
        var error: String?
        var consecutiveFailures = 0
        var observer: (@Sendable (String?) async -> Void)?
    }
    private let state = Mutex(State())

    public init() {}

    /// The failure of the latest request, nil while healthy.
    public var currentError: String? { state.withLock { $0.error } }
    /// Failed requests since the last success.
    public var consecutiveFailures: Int { state.withLock { $0.consecutiveFailures } }

    /// Sets the one observer of state changes (replacing any previous one). It is called on the
    /// list+watch task, so it should return quickly.
    public func observe(_ observer: @escaping @Sendable (String?) async -> Void) {
        state.withLock { $0.observer = observer }
    }

    /// A list or watch request failed.
    public func failed(_ error: any Error) async {
        let text = Self.describe(error)
        let notify: (@Sendable (String?) async -> Void)? = state.withLock { state in
            state.consecutiveFailures &+= 1
            guard state.error != text else { return nil }
            state.error = text
            return state.observer
        }
        await notify?(text)
    }

    /// An API error with its request and status code (its own text is only the server's
    /// message, e.g. `Unauthorized`); other errors as they describe themselves.
    static func describe(_ error: any Error) -> String {
        guard let api = error as? APIError else { return String(describing: error) }
        let detail = api.description
        return detail.hasPrefix("the server responded") ? detail : "\(api.method) \(api.path): HTTP \(api.code): \(detail)"
    }

    /// A list completed or a watch opened.
    public func succeeded() async {
        let notify: (@Sendable (String?) async -> Void)? = state.withLock { state in
            state.consecutiveFailures = 0
            guard state.error != nil else { return nil }
            state.error = nil
            return state.observer
        }
        await notify?(nil)
    }
}

/// A cache filled by a ``ListWatcher``, whose health the controller loop can observe.
public protocol ListWatchHealthReporting: Sendable {
    var listWatchHealth: ListWatchHealth { get }
}

extension ListWatchHPASource: ListWatchHealthReporting {
    public var listWatchHealth: ListWatchHealth { watcher.health }
}

extension ListWatchPodLister: ListWatchHealthReporting {
    public var listWatchHealth: ListWatchHealth { watcher.health }
}
