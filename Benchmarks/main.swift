// Benchmarks print figures; see README "Benchmarks". Usage: hpa-benchmarks <topic> [args...]
let benchmarkArguments = Array(CommandLine.arguments.dropFirst())
switch benchmarkArguments.first {
case "client":
    do { try await runClientBenchmark(arguments: Array(benchmarkArguments.dropFirst())) } catch { print("client benchmark failed: \(error)") }
case "core":
    runCoreBenchmark(arguments: Array(benchmarkArguments.dropFirst()))
case "kubeapi":
    runKubeAPIBenchmark(arguments: Array(benchmarkArguments.dropFirst()))
case "simulate":
    simulateBenchmark()
default:
    print("benchmarks: client, core, kubeapi, simulate")
}
