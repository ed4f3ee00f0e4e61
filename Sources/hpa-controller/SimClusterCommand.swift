import ArgumentParser
import ClusterSim
import Dispatch
import Foundation
import Simulation

/// `hpa-controller sim-cluster`: the simulated Kubernetes API server as a process.
struct SimClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim-cluster",
        abstract: "Serve a simulated Kubernetes API server (with metrics APIs) on 127.0.0.1 until interrupted.",
        discussion: """
            Prints 'server: <URL>' and 'kubeconfig: <path>' on lines of their own, then serves until \
            SIGINT or SIGTERM. Without --scenario it serves the login-service scenario (Deployment \
            webflux-login and HPA login-service-hpa in namespace login).
            """
    )

    @Option(name: .long, help: "A scenario file (the format `simulate` reads). Default: the login-service scenario.")
    var scenario: String?

    @Option(name: .long, help: "Port on 127.0.0.1; 0 picks a free port.")
    var port: UInt16 = 0

    @Option(name: .long, help: "Simulation speed: virtual seconds per real second.")
    var speed: Double = 1

    @Option(name: .long, help: "Bearer token clients must send (default: a random one, written to the kubeconfig).")
    var token: String?

    @Flag(name: .long, help: "Answer 401 to requests without a bearer token. kubectl sends no credentials over plain HTTP, so it then cannot connect.")
    var requireToken = false

    func validate() throws {
        guard speed.isFinite, speed > 0, speed <= 10_000 else {
            throw ValidationError("--speed must be a number in (0, 10000], got \(speed)")
        }
    }

    func run() throws {
        let scenarioToServe = try SimClusterScenarios.load(path: scenario)
        // Virtual time starts at 0, or for daily patterns at the current time of day (UTC), so the
        // traffic curve follows the wall clock; object timestamps start at the real time.
        let now = Date()
        let start = scenarioToServe.startsAtMidnight ? now.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) : 0
        var configuration = SimulatedCluster.Configuration()
        configuration.port = port
        configuration.clock = AcceleratedClock(speed: speed, epoch: now.addingTimeInterval(-start), start: start)
        if let token { configuration.token = token }
        configuration.allowAnonymous = !requireToken
        let cluster: SimulatedCluster
        do {
            cluster = try SimulatedCluster.start(configuration)
            try cluster.load(scenarioToServe)
        } catch {
            throw SimClusterError(description: "sim-cluster: \(error)")
        }
        print("server: \(cluster.url)")
        print("kubeconfig: \(cluster.kubeconfigPath)")
        print("scenario: \(scenarioToServe.name)")
        fflush(nil)

        let stop = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        stop.wait()
        cluster.stop()
        print("sim-cluster: stopped")
        _ = sources
    }
}
