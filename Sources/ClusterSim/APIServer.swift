#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPServer
import KubeAPI
import Simulation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Availability of one metrics API group, settable by tests.
public enum MetricsAPIAvailability: Sendable, Hashable {
    /// Listed in discovery and answering.
    case available
    /// Not listed in discovery; its paths answer 404 (no adapter installed).
    case absent
    /// Listed, but discovery of the group and every metrics request answer 503 ServiceUnavailable
    /// (an aggregated API whose backend is down).
    case failing
}

/// Answers Kubernetes API requests: authentication, fault injection, routing, the request log.
final class APIServer: Sendable {
    let registry: ResourceRegistry
    let store: ObjectStore
    let token: String
    let faults = FaultInjector()
    let requestLog = RequestLog()
    let simulation: SimulationDriver
    let bookmarkInterval: Double
    /// Requests without an Authorization header are let through (a wrong token still gets 401).
    let allowAnonymous: Bool
    let metricsAvailability = Mutex<[String: MetricsAPIAvailability]>([:])
    let kubernetesVersion: (major: String, minor: String, git: String) = ("1", "32", "v1.32.4")

    init(registry: ResourceRegistry, store: ObjectStore, token: String, simulation: SimulationDriver, bookmarkInterval: Double, allowAnonymous: Bool) {
        self.allowAnonymous = allowAnonymous
        self.registry = registry
        self.store = store
        self.token = token
        self.simulation = simulation
        self.bookmarkInterval = bookmarkInterval
    }

    func availability(of group: String) -> MetricsAPIAvailability {
        metricsAvailability.withLock { $0[group] ?? .available }
    }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        var verb = ""
        let response = process(request, verb: &verb)
        let query = request.target.firstIndex(of: "?").map { String(request.target[request.target.index(after: $0)...]) } ?? ""
        requestLog.append(RequestRecord(method: request.method, path: request.path, query: query, verb: verb, status: response.status))
        return response
    }

    private func process(_ request: HTTPRequest, verb: inout String) -> HTTPResponse {
        let route = registry.route(request.pathSegments)
        if case .health = route { return .text(200, "ok") }
        verb = Self.verb(of: request, route: route)
        guard authorized(request) else {
            return APIError(code: 401, reason: "Unauthorized", message: "Unauthorized").response
        }
        let isWatch = request.query["watch"] == "true" || request.query["watch"] == "1"
            || { if case .resource(let address) = route { return address.watchPath } else { return false } }()
        var watchCut: Double?
        if let fault = faults.match(method: request.method, path: request.path, isWatch: isWatch) {
            if case .dropWatch(let seconds) = fault.kind {
                watchCut = seconds.isFinite ? min(max(0, seconds), 86_400) : 0
            } else if let response = faultResponse(fault, request: request, route: route, isWatch: isWatch, verb: &verb) {
                return response
            }
        }
        return respond(route, request, isWatch: isWatch, watchCut: watchCut)
    }

    func respond(_ route: Route, _ request: HTTPRequest, isWatch: Bool, watchCut: Double? = nil) -> HTTPResponse {
        do {
            switch route {
            case .version:
                return .json(200, JSONCodec.serialize(versionDocument))
            case .health:
                return .text(200, "ok")
            case .coreVersions, .groupList, .group, .resourceList:
                guard request.method == "GET" else { throw APIError.methodNotAllowed(request.method, request.path) }
                return try discovery(route)
            case .openAPIV2, .openAPIV3Index, .openAPIV3:
                guard request.method == "GET" else { throw APIError.methodNotAllowed(request.method, request.path) }
                return try openAPI(route)
            case .metrics(let group, let version, let rest):
                guard request.method == "GET" else { throw APIError.methodNotAllowed(request.method, request.path) }
                return try metrics(group: group, version: version, rest: rest, request: request)
            case .resource(let address):
                return try resource(address, request, isWatch: isWatch, watchCut: watchCut)
            case .unknown:
                throw APIError.pathNotFound(request.path)
            }
        } catch {
            return error.response
        }
    }

    private func authorized(_ request: HTTPRequest) -> Bool {
        guard let header = request.headers["Authorization"] else { return allowAnonymous }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix) else { return false }
        return header.dropFirst(prefix.count).trimmingCharacters() == token
    }

    static func verb(of request: HTTPRequest, route: Route) -> String {
        guard case .resource(let address) = route else { return "" }
        let watch = address.watchPath || request.query["watch"] == "true" || request.query["watch"] == "1"
        switch request.method {
        case "GET": return address.name == nil ? (watch ? "watch" : "list") : (watch ? "watch" : "get")
        case "POST": return "create"
        case "PUT": return "update"
        case "PATCH": return "patch"
        case "DELETE": return address.name == nil ? "deletecollection" : "delete"
        default: return request.method.lowercased()
        }
    }

    var versionDocument: JSON {
        .object([
            "major": .string(kubernetesVersion.major), "minor": .string(kubernetesVersion.minor),
            "gitVersion": .string(kubernetesVersion.git), "gitCommit": .string("0000000000000000000000000000000000000000"),
            "gitTreeState": .string("clean"), "buildDate": .string("2026-01-01T00:00:00Z"),
            "goVersion": .string("go1.23.0"), "compiler": .string("gc"), "platform": .string("linux/amd64"),
        ])
    }

    private func faultResponse(_ fault: Fault, request: HTTPRequest, route: Route, isWatch: Bool, verb: inout String) -> HTTPResponse? {
        switch fault.kind {
        case .tooManyRequests(let seconds):
            return APIError(code: 429, reason: "TooManyRequests", message: "Too many requests, please try again later.",
                            retryAfterSeconds: seconds).response
        case .status(let code):
            return Self.statusFault(code).response
        case .watchExpired:
            let error = APIError.gone("too old resource version: 1 (\(store.currentResourceVersion))")
            guard isWatch else { return error.response }
            let frame = WatchFrames.frame(type: "ERROR", objectBytes: JSONCodec.serialize(error.status))
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: .stream { writer in
                writer.write(frame)
            })
        case .dropConnection:
            return HTTPResponse(status: 0, body: .raw([]))
        case .dropWatch:
            return nil
        case .delay(let seconds):
            if seconds.isFinite && seconds > 0 { usleep(UInt32(min(seconds, 3600) * 1_000_000)) }
            return nil
        case .truncatedBody:
            let full = respond(route, request, isWatch: false)
            guard case .bytes(let bytes) = full.body else { return full }
            var head = "HTTP/1.1 \(full.status) \(HTTPResponse.reasonPhrase(full.status))\r\nContent-Type: application/json\r\n"
            head += "Content-Length: \(bytes.count)\r\n\r\n"
            return HTTPResponse(status: full.status, body: .raw(Array(head.utf8) + bytes.prefix(bytes.count / 2)))
        case .nonJSONBody:
            return .text(200, "<html><body>502 Bad Gateway (injected)</body></html>", contentType: "text/html")
        }
    }

    static func statusFault(_ code: Int) -> APIError {
        switch code {
        case 500: return APIError(code: 500, reason: "InternalError", message: "Internal error occurred: injected fault")
        case 503: return APIError(code: 503, reason: "ServiceUnavailable", message: "the server is currently unable to handle the request")
        case 409: return APIError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again")
        case 410: return APIError.gone("too old resource version: injected fault")
        case 404: return APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        case 403: return APIError(code: 403, reason: "Forbidden", message: "forbidden: injected fault")
        case 401: return APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")
        case 504: return APIError(code: 504, reason: "Timeout", message: "the server was unable to return a response in the time allotted")
        default: return APIError(code: code, reason: "InternalError", message: "injected fault (HTTP \(code))")
        }
    }
}

extension Error {
    /// The `Status` response for any error thrown while answering (APIError or unexpected).
    var response: HTTPResponse {
        if let apiError = self as? APIError { return apiError.response }
        return APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(self)").response
    }
}
