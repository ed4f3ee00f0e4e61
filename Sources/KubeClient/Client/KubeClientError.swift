import KubeAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Any failure of a `KubeClient` call: an API error decoded from `metav1.Status`, a transport
/// failure, an undecodable response, or a configuration/credential problem. The message names
/// the method and URL; it never contains credentials.
public struct KubeClientError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case badRequest, unauthorized, forbidden, notFound, methodNotAllowed, alreadyExists, conflict,
             /// 410: the resourceVersion is too old (reason `Expired` or `Gone`): relist.
             expired,
             invalid, tooManyRequests, internalError, serviceUnavailable, serverTimeout, unexpectedStatus,
             /// No HTTP response (connection, TLS, timeout, cancelled): see `transportError`.
             transport,
             /// The response was not the JSON we expected.
             decoding,
             /// Credentials could not be obtained (token file, exec plugin).
             credentials,
             /// `scaleTargetRef` (apiVersion + kind) maps to no resource with a scale subresource.
             noMapping
    }

    public var code: Code
    public var method: String
    public var url: String
    /// HTTP status, when there was a response.
    public var httpStatus: Int?
    /// The server's Status object, when it sent one.
    public var status: Status?
    /// From the `Retry-After` header or `details.retryAfterSeconds`.
    public var retryAfter: Duration?
    public var transportError: TransportError?
    public var message: String

    public init(code: Code, method: String, url: String, httpStatus: Int? = nil, status: Status? = nil,
                retryAfter: Duration? = nil, transportError: TransportError? = nil, message: String) {
        self.code = code
        self.method = method
        self.url = url
        self.httpStatus = httpStatus
        self.status = status
        self.retryAfter = retryAfter
        self.transportError = transportError
        self.message = message
    }

    public var description: String {
        let http = httpStatus.map { " (HTTP \($0))" } ?? ""
        return "\(method) \(url): \(code.rawValue)\(http): \(message)"
    }

    /// True for 410 Expired/Gone: the caller must relist.
    public var isResourceExpired: Bool { code == .expired }

    /// Builds the error for a non-2xx response, decoding a `Status` body when there is one and
    /// synthesizing one from the HTTP code otherwise (proxies send HTML).
    static func from(response: TransportResponse, method: String, url: String) -> KubeClientError {
        let status = try? JSONDecoder().decode(Status.self, from: response.body)
        let decoded = status?.kind == "Status" || status?.reason != nil || status?.code != nil ? status : nil
        var retryAfter: Duration?
        if let header = response.headers["Retry-After"], let seconds = Int(header.trimmingWhitespace()), seconds >= 0 {
            retryAfter = .seconds(seconds)
        } else if let seconds = decoded?.details?.retryAfterSeconds, seconds >= 0 {
            retryAfter = .seconds(seconds)
        }
        let code = Self.code(reason: decoded?.reason, httpStatus: response.status)
        var message = decoded?.message ?? ""
        if message.isEmpty {
            let snippet = String(decoding: response.body.prefix(200), as: UTF8.self).trimmingWhitespace()
            message = snippet.isEmpty ? "the server responded with HTTP \(response.status)" : "the server responded with HTTP \(response.status): \(snippet)"
        }
        return KubeClientError(code: code, method: method, url: url, httpStatus: response.status, status: decoded,
                               retryAfter: retryAfter, message: message)
    }

    /// Reason first (as apimachinery's `errors.ReasonForError`), the HTTP code otherwise.
    static func code(reason: String?, httpStatus: Int) -> Code {
        switch reason {
        case "Unauthorized": return .unauthorized
        case "Forbidden": return .forbidden
        case "NotFound": return .notFound
        case "AlreadyExists": return .alreadyExists
        case "Conflict": return .conflict
        case "Gone", "Expired": return .expired
        case "Invalid": return .invalid
        case "TooManyRequests": return .tooManyRequests
        case "InternalError": return .internalError
        case "ServiceUnavailable": return .serviceUnavailable
        case "Timeout", "ServerTimeout": return .serverTimeout
        case "BadRequest": return .badRequest
        case "MethodNotAllowed": return .methodNotAllowed
        default: break
        }
        switch httpStatus {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 409: return .conflict
        case 410: return .expired
        case 422: return .invalid
        case 429: return .tooManyRequests
        case 500: return .internalError
        case 503: return .serviceUnavailable
        case 504: return .serverTimeout
        default: return .unexpectedStatus
        }
    }
}
