// Benchmarks print figures; see README "Benchmarks". Usage: hpa-benchmarks <topic> [args...]
let benchmarkArguments = Array(CommandLine.arguments.dropFirst())
switch benchmarkArguments.first {
case "client":
    do { try await runClientBenchmark(arguments: Array(benchmarkArguments.dropFirst())) } catch { print("client benchmark failed: \(error)") }
case "controller":
    do { try await runControllerBenchmark(arguments: Array(benchmarkArguments.dropFirst())) } catch { print("controller benchmark failed: \(error)") }
case "clustersim":
    do { try runClusterSimBenchmark(arguments: Array(benchmarkArguments.dropFirst())) } catch { print("clustersim benchmark failed: \(error)") }
case "core":
    runCoreBenchmark(arguments: Array(benchmarkArguments.dropFirst()))
case "kubeapi":
    runKubeAPIBenchmark(arguments: Array(benchmarkArguments.dropFirst()))
case "operations":
    do { try await runOperationsBenchmark(arguments: Array(benchmarkArguments.dropFirst())) } catch { print("operations benchmark failed: \(error)") }
case "simulate":
    simulateBenchmark()
default:
    print("benchmarks: client, clustersim, controller [HPAs pods-per-HPA workers], core, kubeapi [iterations], operations [HPAs], simulate")
}
