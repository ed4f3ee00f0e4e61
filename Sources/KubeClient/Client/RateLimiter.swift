/// Client-side token bucket: `qps` tokens a second, at most `burst` saved up (client-go's
/// flowcontrol limiter; kube-controller-manager defaults 20/30). Callers wait their turn in order.
public actor RateLimiter {
    public let qps: Double
    public let burst: Int
    private var tokens: Double
    private var last: ContinuousClock.Instant
    private let clock = ContinuousClock()

    public init(qps: Double = 20, burst: Int = 30) {
        self.qps = max(qps, 0.001)
        self.burst = max(burst, 1)
        self.tokens = Double(max(burst, 1))
        self.last = clock.now
    }

    /// Takes one token, sleeping until it is available. Throws `CancellationError` when cancelled.
    public func acquire() async throws {
        let now = clock.now
        tokens = min(Double(burst), tokens + (now - last).seconds * qps)
        last = now
        tokens -= 1  // a reservation: a negative balance is the queue ahead of the next caller
        if tokens >= 0 { return }
        try await Task.sleep(for: .seconds(-tokens / qps))
    }
}
