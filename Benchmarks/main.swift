// Benchmarks print figures; see README "Benchmarks".
let benchmarkArguments = Array(CommandLine.arguments.dropFirst())
switch benchmarkArguments.first {
case "simulate":
    simulateBenchmark()
default:
    print("usage: hpa-benchmarks simulate")
}
