import Foundation
@testable import KubeAPI

/// Decodes `text` as JSON into `type`, reporting failures as ``DecodingProblem``.
func decodeJSON<T: Decodable>(_ text: String, as type: T.Type) throws(DecodingProblem) -> T {
    try JSONDecoder().decodeKube(type, from: Data(text.utf8))
}

/// The JSON tree of `text`.
func jsonTree(_ text: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
}

/// The JSON tree of an encodable value.
func jsonTree(of value: some Encodable) throws -> JSONValue {
    try JSONValue(encoding: value)
}
