// swift-tools-version:6.1
import PackageDescription

// The house plan (see ARCHITECTURE.md): a pure decision core, I/O at the edges.
//
//   hpa-controller ─► HPAController ─► HPACore ─► KubeAPI
//                           │      └──► KubeClient ─► CCurl, KubeAPI
//                           └──► HTTPServer
//   hpa-controller ─► OfflineSimulator ─► HPACore, Simulation
//   hpa-controller ─► ClusterSim ─► Simulation, HTTPServer, KubeAPI
let package = Package(
    name: "hpa-controller",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hpa-controller", targets: ["hpa-controller"]),
        .library(name: "HPACore", targets: ["HPACore"]),
        .library(name: "KubeAPI", targets: ["KubeAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Wire types, Quantity, label selectors. No I/O.
        .target(name: "KubeAPI"),
        // The scaling decision: one pure function of its inputs.
        .target(name: "HPACore", dependencies: ["KubeAPI"]),
        // Workload and load models and the virtual clock shared by ClusterSim and the simulator.
        .target(name: "Simulation", dependencies: ["KubeAPI"]),
        // The offline what-if simulator: scenarios, stepping, tables and charts.
        .target(name: "OfflineSimulator", dependencies: ["HPACore", "Simulation", "KubeAPI", .product(name: "Yams", package: "Yams")]),
        // libcurl through a system-library target with typed wrappers for its variadic calls.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // The small HTTP/1.1 server shared by the simulated cluster and the probes endpoint.
        .target(name: "HTTPServer"),
        // The Kubernetes API client: kubeconfig, auth, TLS, typed requests, watches.
        .target(name: "KubeClient", dependencies: ["KubeAPI", "CCurl", .product(name: "Yams", package: "Yams")]),
        // A Kubernetes API server stand-in on loopback, driven by the Simulation models.
        .target(name: "ClusterSim", dependencies: ["KubeAPI", "Simulation", "HTTPServer", .product(name: "Yams", package: "Yams")],
                resources: [.copy("Resources")]),
        // The operator: caches, work queue, reconciler, leader election, endpoints, dry-run.
        .target(name: "HPAController", dependencies: ["HPACore", "KubeClient", "KubeAPI", "HTTPServer"]),
        // Commands and flags only: the composition root.
        .executableTarget(name: "hpa-controller", dependencies: [
            "HPAController", "HPACore", "KubeAPI", "KubeClient", "ClusterSim", "OfflineSimulator", "Simulation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], plugins: ["GitRevisionPlugin"]),
        // Writes BuildInfo.gitRevision before every build (git, else $HPA_CONTROLLER_GIT_REVISION).
        .plugin(name: "GitRevisionPlugin", capability: .buildTool()),
        .executableTarget(name: "hpa-benchmarks", dependencies: [
            "HPAController", "HPACore", "KubeAPI", "KubeClient", "ClusterSim", "OfflineSimulator", "Simulation", "HTTPServer",
        ], path: "Benchmarks"),

        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HPACoreTests", dependencies: ["HPACore", "KubeAPI"], resources: [.copy("Conformance")]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation"]),
        .testTarget(name: "OfflineSimulatorTests", dependencies: ["OfflineSimulator", "HPACore", "Simulation"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeAPI", "ClusterSim"]),
        .testTarget(name: "ClusterSimTests", dependencies: ["ClusterSim", "KubeAPI", "Simulation"]),
        .testTarget(name: "HPAControllerTests", dependencies: ["HPAController", "HPACore", "KubeAPI", "KubeClient", "ClusterSim"]),
        .testTarget(name: "CLITests", dependencies: ["hpa-controller", .product(name: "Yams", package: "Yams")]),
    ],
    swiftLanguageModes: [.v6]
)
