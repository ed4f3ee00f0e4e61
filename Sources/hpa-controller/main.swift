import ArgumentParser

struct HPAControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hpa-controller",
        abstract: "The Kubernetes Horizontal Pod Autoscaler as an operator, a dry-run explainer and a what-if simulator.",
        version: BuildInfo.versionLine,
        subcommands: [RunCommand.self, SimulateCommand.self, SimClusterCommand.self, DemoCommand.self]
    )
}

/// Runs an async command's `async` `run()` (an existential would pick the synchronous one).
func runAsync<Command: AsyncParsableCommand>(_ command: inout Command) async throws {
    try await command.run()
}

// Async subcommands (run, demo, ...) are awaited; parsing errors and exit codes as ArgumentParser prints them.
do {
    var command = try HPAControllerCommand.parseAsRoot()
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await runAsync(&asyncCommand)
    } else {
        try command.run()
    }
} catch {
    HPAControllerCommand.exit(withError: error)
}
