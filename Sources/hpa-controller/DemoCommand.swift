import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `hpa-controller demo`: the login-service story on a simulated cluster, with the real
/// controller talking to it over loopback HTTP through libcurl.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch the real controller autoscale the seed's login service on a simulated cluster (under a minute).",
        discussion: """
        Starts a simulated Kubernetes API server on 127.0.0.1 with the Deployment webflux-login and \
        the HPA login-service-hpa (3–15 replicas, 70 % CPU), drives 20 simulated minutes of login \
        traffic (5K → 50K → 150K spike → 20K users) on a fast clock, runs the controller against it, \
        prints a live table and ends with a summary. Nothing outside this process is touched.
        """
    )

    @Option(help: "Simulated seconds per real second (the default plays 20 minutes in about 40 s).")
    var speed: Double = 30

    @Flag(help: "Play faster (speed 60, about 20 s); for smoke tests.")
    var quick = false

    @Option(name: .customLong("log-format"), help: "Format of the controller's own log lines (shown with -v): text or json.")
    var logFormat: LogFormatArgument = .text

    @Flag(name: .short, help: "Show the controller's log lines on stderr (repeat for more).")
    var verbose: Int

    func validate() throws {
        guard speed.isFinite, speed >= 1, speed <= 200 else {
            throw ValidationError("--speed must be between 1 and 200, got \(speed)")
        }
    }

    func run() async throws {
        let demo = DemoRun(speed: quick ? max(speed, 60) : speed, logFormat: logFormat.format, verbosity: verbose)
        let status = await demo.run(print: { line in
            print(line)
            fflush(nil)
        })
        if status != 0 { throw ExitCode(status) }
    }
}
