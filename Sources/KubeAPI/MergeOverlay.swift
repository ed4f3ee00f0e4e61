#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Encoding for ``Preserved`` writes: status types the controller owns write an explicit `null`
/// for every field they leave unset, so that laying them over the original JSON removes stale
/// values (a metric entry that changed type, a cleared `observedGeneration`) while fields the
/// model does not know survive. Plain encoding never writes these nulls.
enum MergeOverlay {
    static let userInfoKey = CodingUserInfoKey(rawValue: "hpa-controller.merge-overlay")

    /// The JSON of `value` as a merge overlay.
    static func json(of value: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        if let key = userInfoKey { encoder.userInfo[key] = true }
        return try JSONValue(parsing: encoder.encode(value))
    }
}

extension Encoder {
    /// Whether this encoder produces a ``Preserved`` merge overlay.
    var isMergeOverlay: Bool {
        guard let key = MergeOverlay.userInfoKey else { return false }
        return userInfo[key] as? Bool == true
    }
}

extension KeyedEncodingContainer {
    /// Encodes `value`; when it is nil, writes `null` in a merge overlay and nothing otherwise.
    mutating func encodeOwned<T: Encodable>(_ value: T?, forKey key: Key, overlay: Bool) throws {
        if let value {
            try encode(value, forKey: key)
        } else if overlay {
            try encodeNil(forKey: key)
        }
    }
}
