import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGTERM and SIGINT into `ShutdownSignal.fire` through Dispatch signal sources (the default
/// disposition is ignored first, so the process is not killed). A second signal while shutting
/// down exits at once with status 1 (an impatient Ctrl-C).
public final class SignalShutdownHandler {
    private let sources: [any DispatchSourceSignal]

    /// Installs the handlers; keep the returned object alive for as long as they should apply.
    public init(shutdown: ShutdownSignal, signals: [Int32] = [SIGTERM, SIGINT], logger: OperationsLogger = .disabled) {
        let queue = DispatchQueue(label: "hpa-controller.signals")
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            let name = Self.name(of: number)
            source.setEventHandler {
                if shutdown.isFired {
                    logger.warning("second signal during shutdown; exiting now", [("signal", name)])
                    exit(1)
                }
                logger.info("received signal", [("signal", name)])
                shutdown.fire(reason: name)
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Removes the handlers (the signals stay ignored).
    public func cancel() {
        for source in sources { source.cancel() }
    }

    static func name(of number: Int32) -> String {
        switch number {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        default: "signal \(number)"
        }
    }
}
