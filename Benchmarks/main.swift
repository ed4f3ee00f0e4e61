// Benchmarks print figures; see README "Benchmarks".
print("benchmarks: none yet")
