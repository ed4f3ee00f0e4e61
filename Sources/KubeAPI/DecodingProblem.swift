#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A decoding failure told the way a person reads it: the JSON path of the field and what is
/// wrong there, e.g. `spec.metrics[0].resource.target.averageValue: invalid quantity "1x": …`.
public struct DecodingProblem: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// Describes any error; a `DecodingError` becomes the JSON path of the field and what is wrong.
    public init(_ error: any Error) {
        guard let error = error as? DecodingError else {
            self.init(path: "", reason: String(describing: error))
            return
        }
        switch error {
        case .typeMismatch(let type, let context):
            self.init(path: Self.path(context.codingPath), reason: "expected \(Self.name(of: type))")
        case .valueNotFound(let type, let context):
            self.init(path: Self.path(context.codingPath), reason: "expected \(Self.name(of: type)), found null")
        case .keyNotFound(let key, let context):
            self.init(path: Self.path(context.codingPath + [key]), reason: "required field is missing")
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError).map { " (\($0))" } ?? ""
            let reason = context.debugDescription.contains("not valid JSON") || context.codingPath.isEmpty
                ? "not valid JSON: \(context.debugDescription)\(underlying)" : context.debugDescription
            self.init(path: Self.path(context.codingPath), reason: reason)
        @unknown default:
            self.init(path: "", reason: String(describing: error))
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }

    static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int32.Type, is Int64.Type, is Int.Type: return "an integer"
        case is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            return name.hasPrefix("Array") ? "a list" : (name.hasPrefix("Dictionary") ? "an object" : name)
        }
    }
}

extension JSONDecoder {
    /// Decodes `type`, turning a failure into a ``DecodingProblem`` that names the field.
    public func decodeKube<T: Decodable>(_ type: T.Type, from data: Data) throws(DecodingProblem) -> T {
        do { return try decode(type, from: data) } catch { throw DecodingProblem(error) }
    }
}
