#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An arbitrary JSON value. Integers are kept apart from doubles so that int64 fields
/// (generations, counts) survive a round trip exactly.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Tries the kinds in the order they are most common in Kubernetes JSON (strings, then
    /// integers, objects, arrays): every failed attempt costs a thrown error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The member `key` of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let members) = self { return members[key] }
            return nil
        }
        set {
            guard case .object(var members) = self else { return }
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Converts any `Encodable` value into its JSON value.
    public init(encoding value: some Encodable) throws {
        self = try JSONValue(parsing: JSONEncoder().encode(value))
    }

    /// Decodes a `Decodable` value from this JSON value.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(self))
    }

    /// Lays `overlay` over `self`: objects merge key by key (a `null` in the overlay removes the
    /// key, unless the original holds `null` there too), arrays of equal length merge element by
    /// element, anything else is replaced by the overlay. This is how fields that a typed model
    /// does not know survive a read-modify-write.
    public func merging(_ overlay: JSONValue) -> JSONValue {
        switch (self, overlay) {
        case (.object(var base), .object(let top)):
            for (key, value) in top {
                if case .null = value {
                    if base[key] != .null { base.removeValue(forKey: key) }
                } else if let existing = base[key] {
                    base[key] = existing.merging(value)
                } else {
                    base[key] = value.removingNulls()
                }
            }
            return .object(base)
        case (.array(let base), .array(let top)) where base.count == top.count:
            return .array(zip(base, top).map { $0.merging($1) })
        default:
            return overlay.removingNulls()
        }
    }

    /// The value with every `null` object member removed (recursively).
    public func removingNulls() -> JSONValue {
        switch self {
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for (key, value) in members where value != .null { kept[key] = value.removingNulls() }
            return .object(kept)
        case .array(let items):
            return .array(items.map { $0.removingNulls() })
        default:
            return self
        }
    }
}

/// A decoded object together with the JSON it was decoded from.
///
/// Typed models keep only the fields this project uses. When such an object is written back
/// (a status update, a scale update, a lease renewal), encoding a `Preserved` lays the typed
/// value over the original JSON, so fields another client wrote — and fields of newer API
/// versions — are sent back unchanged. See ``JSONValue/merging(_:)`` for the rules.
public struct Preserved<Value: Codable & Sendable>: Codable, Sendable {
    public var value: Value
    public var original: JSONValue

    /// A typed value and the JSON it came from (an empty object for a new object).
    public init(_ value: Value, original: JSONValue = .object([:])) {
        self.value = value
        self.original = original
    }

    public init(from decoder: any Decoder) throws {
        value = try Value(from: decoder)
        original = try JSONValue(from: decoder)
    }

    /// Encodes the typed value laid over the original JSON. Status types the controller owns
    /// clear the fields they leave unset (see ``HorizontalPodAutoscalerStatus``).
    public func encode(to encoder: any Encoder) throws {
        try original.merging(MergeOverlay.json(of: value)).encode(to: encoder)
    }
}

extension Preserved: Equatable where Value: Equatable {}
