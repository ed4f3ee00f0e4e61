import ArgumentParser

struct HPAControllerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hpa-controller",
        abstract: "The Kubernetes Horizontal Pod Autoscaler as an operator, a dry-run explainer and a what-if simulator.",
        version: BuildInfo.versionLine,
        subcommands: [SimulateCommand.self, SimClusterCommand.self]
    )
}

HPAControllerCommand.main()
