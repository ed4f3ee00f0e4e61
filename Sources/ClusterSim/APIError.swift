import HTTPServer
import KubeAPI

/// A failed API request, answered as a `metav1.Status` (B8 of the wire spec).
struct APIError: Error, Sendable {
    var code: Int
    var reason: String
    var message: String
    var details: JSON?
    var retryAfterSeconds: Int?

    init(code: Int, reason: String, message: String, details: JSON? = nil, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.retryAfterSeconds = retryAfterSeconds
    }

    var status: JSON {
        var members: [String: JSON] = [
            "kind": .string("Status"), "apiVersion": .string("v1"), "metadata": .object([:]),
            "status": .string("Failure"), "message": .string(message), "reason": .string(reason),
            "code": .integer(Int64(code)),
        ]
        var details = self.details ?? .null
        if let retryAfterSeconds {
            if case .null = details { details = .object([:]) }
            details["retryAfterSeconds"] = .integer(Int64(retryAfterSeconds))
        }
        if case .object = details { members["details"] = details }
        return .object(members)
    }

    var response: HTTPResponse {
        var response = HTTPResponse.json(code, JSONCodec.serialize(status))
        if let retryAfterSeconds { response.headers.add("Retry-After", String(retryAfterSeconds)) }
        return response
    }

    static func details(_ resource: ResourceType, name: String?) -> JSON {
        var members: [String: JSON] = ["kind": .string(resource.plural)]
        if !resource.group.isEmpty { members["group"] = .string(resource.group) }
        if let name { members["name"] = .string(name) }
        return .object(members)
    }

    static func notFound(_ resource: ResourceType, _ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(resource.qualifiedName) \"\(name)\" not found",
                 details: details(resource, name: name))
    }

    static func alreadyExists(_ resource: ResourceType, _ name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(resource.qualifiedName) \"\(name)\" already exists",
                 details: details(resource, name: name))
    }

    static func conflict(_ resource: ResourceType, _ name: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                 details: details(resource, name: name))
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    static func invalid(_ resource: ResourceType, _ name: String, causes: [(field: String, message: String)]) -> APIError {
        var details = details(resource, name: name)
        details["causes"] = .array(causes.map { .object(["reason": .string("FieldValueInvalid"), "message": .string($0.message), "field": .string($0.field)]) })
        let summary = causes.map { "\($0.field): \($0.message)" }.joined(separator: ", ")
        let kind = resource.group.isEmpty ? resource.kind : "\(resource.kind).\(resource.group)"
        return APIError(code: 422, reason: "Invalid", message: "\(kind) \"\(name)\" is invalid: \(summary)", details: details)
    }

    static func gone(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    static func methodNotAllowed(_ method: String, _ path: String) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource (\(method) \(path))")
    }

    static func pathNotFound(_ path: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource (\(path))")
    }

    static func unsupportedMediaType(_ type: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got \(type))")
    }
}
