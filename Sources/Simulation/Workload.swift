// The workload model: pods that appear after start-up and readiness delays, burn extra CPU while
// they warm up, and share the demand evenly once ready. Pure values and stepping.

/// How the pods of one scalable workload behave. All durations are in seconds, CPU in millicores,
/// memory in bytes. The defaults are the login-service of the seed scenario
/// (../shared/seed/README.md): Running after 20 s, Ready 10 s later, double CPU for the first 30 s
/// of its life (so the burst ends as the pod turns Ready), requests 500m / 512Mi, 20m idle plus 50m
/// per 1,000 users.
public struct WorkloadModel: Sendable, Hashable, Codable {
    /// From pod creation until the pod is Running (its `status.startTime`).
    public var startupDelay: SimSeconds
    /// From Running until the pod's `Ready` condition turns True. Only ready pods serve demand.
    public var readinessDelay: SimSeconds
    /// CPU multiplier during the warm-up burst (1 = no burst).
    public var cpuBurstFactor: Double
    /// Length of the warm-up burst, counted from the pod's creation (a pod burns CPU only once it is
    /// Running, so with the seed's numbers the burst covers Running until Ready).
    public var cpuBurstDuration: SimSeconds
    /// CPU request of one pod (sum over its containers), millicores.
    public var cpuRequestMilli: Int64
    /// Memory request of one pod, bytes.
    public var memoryRequestBytes: Int64
    /// CPU a running pod uses while serving nothing, millicores.
    public var cpuIdleMilli: Double
    /// CPU per load unit served, millicores (the seed: 50m per 1,000 users = 0.05).
    public var cpuMilliPerUnit: Double
    /// Memory a running pod uses while serving nothing, bytes.
    public var memoryIdleBytes: Double
    /// Memory per load unit served, bytes.
    public var memoryBytesPerUnit: Double
    /// The window metrics-server reports with each sample (seconds).
    public var metricsWindow: SimSeconds

    public init(startupDelay: SimSeconds = 20, readinessDelay: SimSeconds = 10,
                cpuBurstFactor: Double = 2, cpuBurstDuration: SimSeconds = 30,
                cpuRequestMilli: Int64 = 500, memoryRequestBytes: Int64 = 512 * 1024 * 1024,
                cpuIdleMilli: Double = 20, cpuMilliPerUnit: Double = 0.05,
                memoryIdleBytes: Double = 256 * 1024 * 1024, memoryBytesPerUnit: Double = 0,
                metricsWindow: SimSeconds = 15) {
        self.startupDelay = startupDelay
        self.readinessDelay = readinessDelay
        self.cpuBurstFactor = cpuBurstFactor
        self.cpuBurstDuration = cpuBurstDuration
        self.cpuRequestMilli = cpuRequestMilli
        self.memoryRequestBytes = memoryRequestBytes
        self.cpuIdleMilli = cpuIdleMilli
        self.cpuMilliPerUnit = cpuMilliPerUnit
        self.memoryIdleBytes = memoryIdleBytes
        self.memoryBytesPerUnit = memoryBytesPerUnit
        self.metricsWindow = metricsWindow
    }

    /// The login-service of the seed scenario.
    public static let loginService = WorkloadModel()

    /// Problems with the parameters (negative durations, zero requests, ...), as field and message.
    public func problems() -> [(field: String, message: String)] {
        var found: [(String, String)] = []
        let durations: [(String, Double)] = [("startupDelay", startupDelay), ("readinessDelay", readinessDelay),
                                             ("cpuBurst.duration", cpuBurstDuration), ("metricsWindow", metricsWindow)]
        for (field, value) in durations where !(value.isFinite && value >= 0) {
            found.append((field, "must be a duration of zero or more"))
        }
        let amounts: [(String, Double)] = [("cpuBurst.factor", cpuBurstFactor), ("cpuIdle", cpuIdleMilli),
                                           ("cpuPerUnit", cpuMilliPerUnit), ("memoryIdle", memoryIdleBytes),
                                           ("memoryPerUnit", memoryBytesPerUnit)]
        for (field, value) in amounts where !(value.isFinite && value >= 0) {
            found.append((field, "must be a finite number of zero or more"))
        }
        if cpuRequestMilli <= 0 { found.append(("requests.cpu", "must be greater than zero")) }
        if memoryRequestBytes < 0 { found.append(("requests.memory", "must not be negative")) }
        return found
    }
}

/// The lifecycle phase of a simulated pod, as in `status.phase`.
public enum SimPodPhase: String, Sendable, Hashable, Codable {
    case pending = "Pending"
    case running = "Running"
}

/// One pod of a simulated workload. Its timeline is fixed at creation: Pending from `createdAt`,
/// Running from `runningAt`, Ready from `readyAt`.
public struct SimPod: Sendable, Hashable {
    public let name: String
    public let createdAt: SimSeconds
    public let runningAt: SimSeconds
    public let readyAt: SimSeconds

    public init(name: String, createdAt: SimSeconds, runningAt: SimSeconds, readyAt: SimSeconds) {
        self.name = name
        self.createdAt = createdAt
        self.runningAt = runningAt
        self.readyAt = readyAt
    }

    /// `status.phase` at `t`: Pending until `runningAt`, then Running.
    public func phase(at t: SimSeconds) -> SimPodPhase { t >= runningAt ? .running : .pending }
    /// Whether the `Ready` condition is True at `t` (from `readyAt` on).
    public func isReady(at t: SimSeconds) -> Bool { t >= readyAt }
    /// `status.startTime` as seen at `t`: nil while Pending.
    public func startTime(at t: SimSeconds) -> SimSeconds? { t >= runningAt ? runningAt : nil }
    /// The pod's `Ready` condition at `t`: nil while Pending; else its status and the instant of
    /// its last transition (Running → False, Ready → True).
    public func readyCondition(at t: SimSeconds) -> (ready: Bool, lastTransition: SimSeconds)? {
        if t < runningAt { return nil }
        return t >= readyAt ? (true, readyAt) : (false, runningAt)
    }
}

/// One metrics sample of one pod, as metrics-server (or a custom metrics adapter) would report it.
public struct PodSample: Sendable, Hashable {
    /// The pod the sample belongs to.
    public var podName: String
    /// The value in milli-units (CPU: millicores; memory: milli-bytes; custom metrics: value × 1000).
    public var milliValue: Int64
    /// When the sample was taken (virtual seconds; the end of its window).
    public var timestamp: SimSeconds
    /// The span the sample covers, seconds (`WorkloadModel.metricsWindow`).
    public var window: SimSeconds

    public init(podName: String, milliValue: Int64, timestamp: SimSeconds, window: SimSeconds) {
        self.podName = podName
        self.milliValue = milliValue
        self.timestamp = timestamp
        self.window = window
    }
}

/// A scalable workload (Deployment, StatefulSet, ...) and its pods, stepped by its owner.
///
/// `scale(to:at:)` creates pods (which appear after the model's delays) or deletes pods (not-ready
/// ones first, then the newest — as a ReplicaSet does; deleted pods vanish at once). Demand is
/// spread evenly over the pods that are ready at the instant asked about; capacity counts only
/// ready pods.
public struct Workload: Sendable, Hashable {
    /// How the pods behave; changing it affects pods created afterwards and all usage figures.
    public var model: WorkloadModel
    /// Prefix of pod names: pods are named `<podNamePrefix>-<serial>`.
    public var podNamePrefix: String
    /// The replica count asked for (the scale's `spec.replicas`).
    public private(set) var specReplicas: Int
    /// The pods that exist (not deleted), oldest first.
    public private(set) var pods: [SimPod]
    private var nextSerial: Int

    /// A workload that starts with `replicas` pods that are already running and ready at `t = 0`
    /// (they were created long before the scenario begins).
    public init(model: WorkloadModel, podNamePrefix: String = "pod", replicas: Int) {
        self.model = model
        self.podNamePrefix = podNamePrefix
        let count = max(0, replicas)
        self.specReplicas = count
        let settled = -(model.startupDelay + model.readinessDelay + model.cpuBurstDuration + 3_600)
        self.pods = (0..<count).map { serial in
            SimPod(name: Workload.podName(podNamePrefix, serial), createdAt: settled, runningAt: settled, readyAt: settled)
        }
        self.nextSerial = count
    }

    private static func podName(_ prefix: String, _ serial: Int) -> String {
        let digits = String(serial)
        return "\(prefix)-\(String(repeating: "0", count: max(0, 5 - digits.count)))\(digits)"
    }

    /// Sets the desired replica count at `t`: creates the missing pods (Pending now, Running after
    /// `startupDelay`, Ready `readinessDelay` later) or deletes surplus ones.
    public mutating func scale(to replicas: Int, at t: SimSeconds) {
        let target = max(0, replicas)
        specReplicas = target
        if pods.count < target {
            for _ in pods.count..<target {
                let running = t + model.startupDelay
                pods.append(SimPod(name: Self.podName(podNamePrefix, nextSerial), createdAt: t,
                                   runningAt: running, readyAt: running + model.readinessDelay))
                nextSerial += 1
            }
        } else if pods.count > target {
            // Delete not-ready pods first, newest first within each group.
            let order = pods.indices.sorted { a, b in
                let readyA = pods[a].isReady(at: t), readyB = pods[b].isReady(at: t)
                if readyA != readyB { return !readyA }
                return pods[a].createdAt > pods[b].createdAt || (pods[a].createdAt == pods[b].createdAt && a > b)
            }
            let doomed = Set(order.prefix(pods.count - target))
            pods = pods.indices.filter { !doomed.contains($0) }.map { pods[$0] }
        }
    }

    /// Pods that exist at `t` (`status.replicas` of the scale).
    public var statusReplicas: Int { pods.count }

    /// Pods that are ready at `t`: the capacity that serves demand.
    public func readyCount(at t: SimSeconds) -> Int {
        var count = 0
        for pod in pods where pod.isReady(at: t) { count += 1 }
        return count
    }

    /// Pods that are Running at `t` (ready or not).
    public func runningCount(at t: SimSeconds) -> Int {
        var count = 0
        for pod in pods where pod.phase(at: t) == .running { count += 1 }
        return count
    }

    /// The share of `demand` one ready pod serves at `t` (0 when no pod is ready).
    public func sharePerReadyPod(demand: Double, at t: SimSeconds) -> Double {
        let ready = readyCount(at: t)
        return ready > 0 ? max(0, demand) / Double(ready) : 0
    }

    /// The CPU `pod` uses at `t`, millicores: idle plus its share of the demand (only when ready),
    /// times the burst factor during its warm-up. Zero while Pending.
    public func cpuMilli(of pod: SimPod, share: Double, at t: SimSeconds) -> Double {
        guard pod.phase(at: t) == .running else { return 0 }
        let served = pod.isReady(at: t) ? share : 0
        let steady = model.cpuIdleMilli + model.cpuMilliPerUnit * served
        let warming = t < pod.createdAt + model.cpuBurstDuration
        return warming ? steady * model.cpuBurstFactor : steady
    }

    /// The memory `pod` uses at `t`, bytes. Zero while Pending.
    public func memoryBytes(of pod: SimPod, share: Double, at t: SimSeconds) -> Double {
        guard pod.phase(at: t) == .running else { return 0 }
        return model.memoryIdleBytes + model.memoryBytesPerUnit * (pod.isReady(at: t) ? share : 0)
    }

    /// metrics-server's CPU samples at `t` for the running pods, given the total `demand`.
    public func cpuSamples(demand: Double, at t: SimSeconds) -> [PodSample] {
        let share = sharePerReadyPod(demand: demand, at: t)
        return pods.compactMap { pod in
            guard pod.phase(at: t) == .running else { return nil }
            return PodSample(podName: pod.name, milliValue: Self.milli(cpuMilli(of: pod, share: share, at: t)),
                             timestamp: t, window: model.metricsWindow)
        }
    }

    /// metrics-server's memory samples at `t` (milli-bytes, as `MilliValue` would give).
    public func memorySamples(demand: Double, at t: SimSeconds) -> [PodSample] {
        let share = sharePerReadyPod(demand: demand, at: t)
        return pods.compactMap { pod in
            guard pod.phase(at: t) == .running else { return nil }
            return PodSample(podName: pod.name, milliValue: Self.milli(memoryBytes(of: pod, share: share, at: t) * 1000),
                             timestamp: t, window: model.metricsWindow)
        }
    }

    /// Per-pod samples of a custom metric whose total at `t` is `total` (e.g. requests/s): each
    /// ready pod reports an equal share, running pods that are not ready report 0. Values are
    /// milli-units (value × 1000).
    public func perPodSamples(total: Double, at t: SimSeconds) -> [PodSample] {
        let share = sharePerReadyPod(demand: total, at: t)
        return pods.compactMap { pod in
            guard pod.phase(at: t) == .running else { return nil }
            return PodSample(podName: pod.name, milliValue: Self.milli((pod.isReady(at: t) ? share : 0) * 1000),
                             timestamp: t, window: model.metricsWindow)
        }
    }

    /// A Double as an Int64 milli-value, rounded, clamped to Int64's range (NaN → 0).
    public static func milli(_ value: Double) -> Int64 {
        guard value.isFinite else { return value.isNaN ? 0 : (value > 0 ? .max : .min) }
        let rounded = value.rounded()
        if rounded >= 9.2e18 { return .max }
        if rounded <= -9.2e18 { return .min }
        return Int64(rounded)
    }
}
