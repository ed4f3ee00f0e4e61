#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A JSON tree for reading conformance cases whose fields change type between cases.
/// Integers are kept as `Int64` (never through `Double`) so values above 2^53 survive.
indirect enum CaseJSON: Codable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([CaseJSON])
    case object([String: CaseJSON])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([CaseJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: CaseJSON].self))
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let fields): try container.encode(fields)
        }
    }

    /// Decodes this subtree as an API type (re-encoded losslessly).
    func decode<T: Decodable>(_ type: T.Type, field: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: try JSONEncoder().encode(self))
        } catch {
            throw CaseError("\(field): cannot decode as \(type): \(error)")
        }
    }

    subscript(key: String) -> CaseJSON {
        if case .object(let fields) = self { return fields[key] ?? .null }
        return .null
    }

    var isNull: Bool { if case .null = self { return true } else { return false } }
    /// Present and not null.
    var exists: Bool { !isNull }

    var string: String? { if case .string(let value) = self { return value } else { return nil } }
    var bool: Bool? { if case .bool(let value) = self { return value } else { return nil } }
    var int64: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value == value.rounded() && abs(value) < 9.0e15: return Int64(value)
        default: return nil
        }
    }
    var int32: Int32? { int64.flatMap { Int32(exactly: $0) } }
    var double: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        case .string("+Inf"), .string("Inf"): return .infinity
        case .string("-Inf"): return -.infinity
        default: return nil
        }
    }
    var array: [CaseJSON]? { if case .array(let value) = self { return value } else { return nil } }
    var object: [String: CaseJSON]? { if case .object(let value) = self { return value } else { return nil } }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return "\"\(value)\""
        case .array(let values): return "[" + values.map(\.description).joined(separator: ",") + "]"
        case .object(let fields):
            return "{" + fields.keys.sorted().map { "\"\($0)\":\(fields[$0]?.description ?? "null")" }.joined(separator: ",") + "}"
        }
    }
}

/// A case that could not be run as written (bad field, unknown function): counted as a failure.
struct CaseError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The first differing field of a case.
struct Mismatch: Error, CustomStringConvertible {
    var field: String
    var expected: String
    var actual: String
    var description: String { "\(field): expected \(expected), got \(actual)" }
}

func expectEqual<T: Equatable>(_ field: String, _ expected: T, _ actual: T) throws {
    if expected != actual { throw Mismatch(field: field, expected: "\(expected)", actual: "\(actual)") }
}
