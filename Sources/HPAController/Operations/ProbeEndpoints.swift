import HTTPServer
import Synchronization

/// One named readiness or liveness check, as `/readyz?verbose` lists them (`[+]name ok`).
public struct HealthCheck: Sendable {
    public var name: String
    /// nil when healthy, else why not.
    public var check: @Sendable () -> String?
    public init(name: String, check: @escaping @Sendable () -> String?) {
        self.name = name
        self.check = check
    }
}

/// What `/readyz` needs to know from the reconcile path. The controller sets these as its caches
/// sync and its requests succeed or fail; a standby sets them too (it syncs caches but does not
/// write), so it turns ready without leading.
public final class ReadinessState: Sendable {
    private let synced = Atomic<Bool>(false)
    private let reachable = Atomic<Bool>(true)
    private let lastAPIError = Mutex<String?>(nil)
    private let cacheErrors = Mutex<[String: String]>([:])

    public init() {}

    /// The HPA and pod caches have completed their initial list.
    public var cachesSynced: Bool { synced.load(ordering: .sequentiallyConsistent) }
    public func markCachesSynced(_ value: Bool = true) { synced.store(value, ordering: .sequentiallyConsistent) }

    /// The last request to the API server got an HTTP response (any status).
    public var apiReachable: Bool { reachable.load(ordering: .sequentiallyConsistent) }
    /// Reports the outcome of an API request: `nil` when a response arrived, else why not.
    public func recordAPIResult(error: String?) {
        reachable.store(error == nil, ordering: .sequentiallyConsistent)
        lastAPIError.withLock { $0 = error }
    }

    /// Reports a cache's list/watch state: `error` nil when it works (again), else why not.
    public func recordCacheError(resource: String, error: String?) {
        cacheErrors.withLock { $0[resource] = error }
    }

    /// Failing caches as `resource: error`, sorted by resource; nil when none fails.
    public var cacheFailures: String? {
        let failures = cacheErrors.withLock { $0 }.sorted { $0.key < $1.key }
        return failures.isEmpty ? nil : failures.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
    }

    /// The checks `/readyz` runs: `informer-sync`, `cache-list-watch` and `api-server`.
    public var checks: [HealthCheck] {
        [HealthCheck(name: "informer-sync") { [self] in cachesSynced ? nil : "caches not synced yet" },
         HealthCheck(name: "cache-list-watch") { [self] in cacheFailures.map { "list/watch failing: " + $0 } },
         HealthCheck(name: "api-server") { [self] in
             apiReachable ? nil : "API server unreachable: " + (lastAPIError.withLock { $0 } ?? "unknown error")
         }]
    }
}

/// `/healthz`, `/livez`, `/readyz` and `/metrics`, as a handler for `HTTPServer`.
///
/// - `/healthz` and `/livez`: 200 `ok` while the process serves requests and no liveness check fails.
/// - `/readyz`: 200 `ok` when every readiness check passes, else 503 listing the failures;
///   `?verbose` lists every check like the Kubernetes components do (`[+]name ok`, `[-]name failed: …`).
/// - `/metrics`: the registry's exposition, `text/plain; version=0.0.4`.
/// Other paths get 404; methods other than GET and HEAD get 405.
public struct ProbeEndpoints: Sendable {
    public let registry: MetricsRegistry
    public let readiness: [HealthCheck]
    public let liveness: [HealthCheck]

    public init(registry: MetricsRegistry, readiness: [HealthCheck], liveness: [HealthCheck] = []) {
        self.registry = registry
        self.readiness = readiness
        self.liveness = liveness
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = HTTPResponse.text(405, "method not allowed\n")
            response.headers.set("Allow", "GET, HEAD")
            return response
        }
        switch request.path {
        case "/healthz", "/livez":
            return Self.report(liveness, verbose: request.query["verbose"] != nil)
        case "/readyz":
            return Self.report(readiness, verbose: request.query["verbose"] != nil)
        case "/metrics":
            return .text(200, registry.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        default:
            return .text(404, "404 page not found\n")
        }
    }

    /// The handler closure `HTTPServer` wants.
    public var handler: HTTPServer.Handler {
        let endpoints = self
        return { request in endpoints.handle(request) }
    }

    static func report(_ checks: [HealthCheck], verbose: Bool) -> HTTPResponse {
        var lines: [String] = []
        var failed = false
        for check in checks {
            if let problem = check.check() {
                failed = true
                lines.append("[-]" + check.name + " failed: " + problem)
            } else {
                lines.append("[+]" + check.name + " ok")
            }
        }
        if !failed && !verbose { return .text(200, "ok") }
        let verdict = failed ? "check failed" : "check passed"
        let body = lines.joined(separator: "\n") + "\n" + verdict + "\n"
        return .text(failed ? 503 : 200, body)
    }
}
