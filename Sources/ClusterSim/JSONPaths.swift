import KubeAPI

extension KubeAPI.JSONValue {
    /// The value at a dotted path such as `spec.replicas`, or nil.
    func value(at path: [String]) -> JSON? {
        var current = self
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        return current
    }

    /// Sets the value at a dotted path, creating intermediate objects.
    mutating func setValue(_ newValue: JSON?, at path: [String]) {
        guard let first = path.first else {
            if let newValue { self = newValue }
            return
        }
        guard case .object(var members) = self else { return }
        if path.count == 1 {
            members[first] = newValue
        } else {
            var child = members[first] ?? .object([:])
            if case .object = child {} else { child = .object([:]) }
            child.setValue(newValue, at: Array(path.dropFirst()))
            members[first] = child
        }
        self = .object(members)
    }

    var int64Value: Int64? {
        switch self {
        case .integer(let value): return value
        case .double(let value) where value == value.rounded() && abs(value) < 9e18: return Int64(value)
        default: return nil
        }
    }

    /// A `map[string]string` such as `metadata.labels`; non-string members are skipped.
    var stringMap: [String: String] {
        guard case .object(let members) = self else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in members { if case .string(let text) = value { result[key] = text } }
        return result
    }

    static func stringMap(_ map: [String: String]) -> JSON {
        .object(map.mapValues { .string($0) })
    }

    /// RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, anything else replaces.
    func mergePatched(with patch: JSON) -> JSON {
        guard case .object(let patchMembers) = patch else { return patch }
        var members: [String: JSON]
        if case .object(let existing) = self { members = existing } else { members = [:] }
        for (key, value) in patchMembers {
            if case .null = value {
                members.removeValue(forKey: key)
            } else {
                members[key] = (members[key] ?? .null).mergePatched(with: value)
            }
        }
        return .object(members)
    }
}

/// Why an RFC 6902 JSON patch could not be applied.
struct JSONPatchError: Error {
    var message: String
}

/// RFC 6902 JSON patch (add, remove, replace, move, copy, test).
enum JSONPatch {
    static func apply(_ operations: JSON, to document: JSON) throws(JSONPatchError) -> JSON {
        guard case .array(let list) = operations else { throw JSONPatchError(message: "a JSON patch must be an array of operations") }
        var result = document
        for operation in list {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw JSONPatchError(message: "each operation needs \"op\" and \"path\"")
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add":
                guard let value = operation["value"] else { throw JSONPatchError(message: "add needs a value") }
                result = try modify(result, pointer[...], .add(value))
            case "replace":
                guard let value = operation["value"] else { throw JSONPatchError(message: "replace needs a value") }
                result = try modify(result, pointer[...], .replace(value))
            case "remove":
                result = try modify(result, pointer[...], .remove)
            case "test":
                guard find(result, pointer) == operation["value"] else { throw JSONPatchError(message: "test failed at \(path)") }
            case "move", "copy":
                guard let fromText = operation["from"]?.stringValue, let value = find(result, try parsePointer(fromText)) else {
                    throw JSONPatchError(message: "\(op) needs an existing \"from\"")
                }
                if op == "move" { result = try modify(result, try parsePointer(fromText)[...], .remove) }
                result = try modify(result, pointer[...], .add(value))
            default:
                throw JSONPatchError(message: "unknown operation \"\(op)\"")
            }
        }
        return result
    }

    private enum Change { case add(JSON), replace(JSON), remove }

    private static func parsePointer(_ text: String) throws(JSONPatchError) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw JSONPatchError(message: "invalid JSON pointer \(text)") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacing("~1", with: "/").replacing("~0", with: "~")
        }
    }

    private static func find(_ document: JSON, _ pointer: [String]) -> JSON? {
        var current = document
        for token in pointer {
            switch current {
            case .object(let members): guard let next = members[token] else { return nil }; current = next
            case .array(let items): guard let index = Int(token), items.indices.contains(index) else { return nil }; current = items[index]
            default: return nil
            }
        }
        return current
    }

    private static func modify(_ document: JSON, _ pointer: ArraySlice<String>, _ change: Change) throws(JSONPatchError) -> JSON {
        guard let token = pointer.first else {
            switch change {
            case .add(let value), .replace(let value): return value
            case .remove: throw JSONPatchError(message: "cannot remove the whole document")
            }
        }
        let rest = pointer.dropFirst()
        switch document {
        case .object(var members):
            if rest.isEmpty {
                switch change {
                case .add(let value): members[token] = value
                case .replace(let value):
                    guard members[token] != nil else { throw JSONPatchError(message: "replace: no member \(token)") }
                    members[token] = value
                case .remove:
                    guard members.removeValue(forKey: token) != nil else { throw JSONPatchError(message: "remove: no member \(token)") }
                }
            } else {
                guard let child = members[token] else { throw JSONPatchError(message: "path member \(token) does not exist") }
                members[token] = try modify(child, rest, change)
            }
            return .object(members)
        case .array(var items):
            let index = token == "-" ? items.count : (Int(token) ?? -1)
            if rest.isEmpty {
                switch change {
                case .add(let value):
                    guard index >= 0 && index <= items.count else { throw JSONPatchError(message: "add: index \(token) out of range") }
                    items.insert(value, at: index)
                case .replace(let value):
                    guard items.indices.contains(index) else { throw JSONPatchError(message: "replace: index \(token) out of range") }
                    items[index] = value
                case .remove:
                    guard items.indices.contains(index) else { throw JSONPatchError(message: "remove: index \(token) out of range") }
                    items.remove(at: index)
                }
            } else {
                guard items.indices.contains(index) else { throw JSONPatchError(message: "index \(token) out of range") }
                items[index] = try modify(items[index], rest, change)
            }
            return .array(items)
        default:
            throw JSONPatchError(message: "cannot descend into a scalar at \(token)")
        }
    }
}
