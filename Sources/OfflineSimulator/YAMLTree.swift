// Strict reading of YAML/JSON documents with line numbers: every value knows its field path and
// line, every object rejects fields it does not know.
import KubeAPI
import Simulation
import Yams

/// One node of a parsed document, with the file and field path it came from.
struct YAMLValue {
    let node: Node
    let path: String
    let file: String

    var line: Int? { node.mark?.line }

    func error(_ message: String, field: String? = nil) -> ScenarioError {
        ScenarioError(file: file, line: line, field: field ?? (path.isEmpty ? nil : path), message: message)
    }

    /// Parses the documents of `text` (YAML, or JSON, which YAML reads too).
    static func documents(_ text: String, file: String) throws(ScenarioError) -> [YAMLValue] {
        do {
            var result: [YAMLValue] = []
            var sequence = try Yams.compose_all(yaml: text)
            while let node = sequence.next() {
                result.append(YAMLValue(node: node, path: "", file: file))
            }
            if let error = sequence.error { throw error }
            return result
        } catch let yaml as YamlError {
            throw ScenarioError(file: file, line: Self.line(of: yaml), message: "not valid YAML or JSON: \(Self.problem(of: yaml))")
        } catch {
            throw ScenarioError(file: file, message: "not valid YAML or JSON: \(error)")
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            return context.map { "\($0.text) \(problem)" } ?? problem
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicate keys \(duplicates.joined(separator: ", "))"
        default:
            return "\(error)"
        }
    }

    func child(_ key: String, _ node: Node) -> YAMLValue {
        YAMLValue(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    var isNull: Bool {
        if case .scalar(let scalar) = node { return scalar.style == .plain && node.null != nil }
        return false
    }

    /// The value as an object whose keys must all be in `allowed`.
    func object(allowed: [String]) throws(ScenarioError) -> YAMLObject {
        guard case .mapping(let mapping) = node else { throw error("expected an object with fields \(allowed.joined(separator: ", "))") }
        var fields: [String: YAMLValue] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { throw error("field names must be strings") }
            let value = child(key, valueNode)
            if !allowed.contains(key) {
                throw ScenarioError(file: file, line: keyNode.mark?.line, field: value.path,
                                    message: "unknown field; known fields here: \(allowed.joined(separator: ", "))")
            }
            fields[key] = value
        }
        return YAMLObject(value: self, fields: fields)
    }

    /// The value as an object with arbitrary string keys, in document order.
    func entries() throws(ScenarioError) -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else { throw error("expected an object") }
        var result: [(String, YAMLValue)] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { throw error("field names must be strings") }
            result.append((key, child(key, valueNode)))
        }
        return result
    }

    func list() throws(ScenarioError) -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { index, node in YAMLValue(node: node, path: "\(path)[\(index)]", file: file) }
    }

    func string() throws(ScenarioError) -> String {
        guard case .scalar(let scalar) = node, !isNull else { throw error("expected a text value") }
        return scalar.string
    }

    /// A number; strings holding Kubernetes quantities (`500m`, `50k`) are accepted too.
    func number() throws(ScenarioError) -> Double {
        guard case .scalar(let scalar) = node, !isNull else { throw error("expected a number") }
        if let value = parseQuantityValue(scalar.string), value.isFinite { return value }
        throw error("cannot read \"\(scalar.string)\" as a number")
    }

    func integer() throws(ScenarioError) -> Int {
        let value = try number()
        guard value.rounded() == value, abs(value) < 1e15 else { throw error("expected a whole number, found \(value)") }
        return Int(value)
    }

    /// A duration: `15s`, `5m`, `1h30m`, `250ms`, or a number of seconds.
    func duration() throws(ScenarioError) -> SimSeconds {
        guard case .scalar(let scalar) = node, !isNull else { throw error("expected a duration such as 15s, 5m or 1h30m") }
        guard let seconds = parseDuration(scalar.string) else {
            throw error("cannot read \"\(scalar.string)\" as a duration (use e.g. 15s, 5m, 1h30m, 250ms)")
        }
        guard seconds <= ScenarioParser.maxDuration else { throw error("must be at most a year (366 days)") }
        return seconds
    }

    /// A time of day `HH:MM[:SS]`, or a duration since midnight.
    func timeOfDay() throws(ScenarioError) -> SimSeconds {
        let text = try string()
        if text.contains(":") {
            guard let seconds = parseClock(text) else { throw error("cannot read \"\(text)\" as a time of day HH:MM[:SS]") }
            return seconds
        }
        guard let seconds = parseDuration(text) else { throw error("cannot read \"\(text)\" as a time of day HH:MM[:SS]") }
        return seconds
    }

    func bool() throws(ScenarioError) -> Bool {
        guard let value = node.bool else { throw error("expected true or false") }
        return value
    }

    /// The value as JSON, resolving plain scalars the way Kubernetes' YAML reader does.
    func json() throws(ScenarioError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            if node.null != nil { return .null }
            if let value = node.bool { return .bool(value) }
            if let value = node.int { return .integer(Int64(value)) }
            if let value = node.float, value.isFinite { return .double(value) }
            return .string(scalar.string)
        case .mapping:
            var members: [String: JSONValue] = [:]
            for (key, value) in try entries() { members[key] = try value.json() }
            return .object(members)
        case .sequence:
            var items: [JSONValue] = []
            for item in try list() { items.append(try item.json()) }
            return .array(items)
        case .alias:
            throw error("YAML aliases are not supported here")
        }
    }

    /// The node at a field path such as `spec.metrics[0].resource.target` below this one (the
    /// deepest existing node on the way, so a missing field points at its parent's line).
    func descendant(_ path: String) -> YAMLValue {
        var current = self
        for component in Self.components(path) {
            switch component {
            case .key(let key):
                guard case .mapping(let mapping) = current.node,
                      let pair = mapping.first(where: { $0.key.string == key }) else { return current }
                current = current.child(key, pair.value)
            case .index(let index):
                guard case .sequence(let sequence) = current.node, index >= 0, index < sequence.count else { return current }
                current = YAMLValue(node: sequence[index], path: "\(current.path)[\(index)]", file: file)
            }
        }
        return current
    }

    private enum PathComponent { case key(String), index(Int) }

    private static func components(_ path: String) -> [PathComponent] {
        var result: [PathComponent] = []
        for part in path.split(separator: ".") {
            var rest = Substring(part)
            if let bracket = rest.firstIndex(of: "[") {
                let key = rest[rest.startIndex..<bracket]
                if !key.isEmpty { result.append(.key(String(key))) }
                rest = rest[bracket...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    if let index = Int(rest[rest.index(after: rest.startIndex)..<close]) { result.append(.index(index)) }
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                result.append(.key(String(rest)))
            }
        }
        return result
    }
}

/// An object whose field names have been checked.
struct YAMLObject {
    let value: YAMLValue
    let fields: [String: YAMLValue]

    subscript(key: String) -> YAMLValue? {
        guard let field = fields[key], !field.isNull else { return nil }
        return field
    }

    func required(_ key: String) throws(ScenarioError) -> YAMLValue {
        guard let field = self[key] else {
            throw ScenarioError(file: value.file, line: value.line, field: value.path.isEmpty ? key : "\(value.path).\(key)",
                                message: "required field is missing")
        }
        return field
    }
}
