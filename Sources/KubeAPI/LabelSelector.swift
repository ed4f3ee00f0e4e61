/// `metav1.LabelSelector` as it appears in API objects.
public struct LabelSelector: Sendable, Hashable, Codable {
    public var matchLabels: [String: String]?
    public var matchExpressions: [LabelSelectorRequirement]?

    public init(matchLabels: [String: String]? = nil, matchExpressions: [LabelSelectorRequirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// The selector this object means. An empty object selects everything.
    public func selector() throws(InvalidValueError) -> Selector {
        var requirements: [Selector.Requirement] = []
        for (key, value) in matchLabels ?? [:] {
            requirements.append(try Selector.Requirement(key: key, operator: .equals, values: [value]))
        }
        for expression in matchExpressions ?? [] {
            let op: Selector.Operator
            switch expression.operator {
            case .in: op = .in
            case .notIn: op = .notIn
            case .exists: op = .exists
            case .doesNotExist: op = .doesNotExist
            }
            requirements.append(try Selector.Requirement(key: expression.key, operator: op, values: expression.values ?? []))
        }
        return Selector(requirements)
    }
}

public struct LabelSelectorRequirement: Sendable, Hashable, Codable {
    public enum Operator: String, Sendable, Hashable, Codable {
        case `in` = "In", notIn = "NotIn", exists = "Exists", doesNotExist = "DoesNotExist"
    }

    public var key: String
    public var `operator`: Operator
    public var values: [String]?

    public init(key: String, operator: Operator, values: [String]? = nil) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }
}

/// A parsed label selector (apimachinery `labels.Selector`): the string form used in
/// `Scale.status.selector` and in `labelSelector=` query parameters, and label matching.
public struct Selector: Sendable, Hashable, CustomStringConvertible {
    public enum Operator: String, Sendable, Hashable {
        case equals = "=", doubleEquals = "==", notEquals = "!=", `in` = "in", notIn = "notin"
        case exists = "exists", doesNotExist = "!", greaterThan = "gt", lessThan = "lt"
    }

    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        public let key: String
        public let `operator`: Operator
        public let values: [String]

        public init(key: String, operator: Operator, values: [String]) throws(InvalidValueError) {
            func fail(_ reason: String) -> InvalidValueError {
                InvalidValueError(kind: "label selector requirement", value: key, reason: reason)
            }
            if let problem = LabelSyntax.keyProblem(key) { throw fail(problem) }
            switch `operator` {
            case .in, .notIn:
                guard !values.isEmpty else { throw fail("values must be non-empty for '\(`operator`.rawValue)'") }
            case .equals, .doubleEquals, .notEquals:
                guard values.count == 1 else { throw fail("exactly one value is required for '\(`operator`.rawValue)'") }
            case .exists, .doesNotExist:
                guard values.isEmpty else { throw fail("values must be empty for '\(`operator`.rawValue)'") }
            case .greaterThan, .lessThan:
                guard values.count == 1, Int64(values[0]) != nil else {
                    throw fail("'\(`operator`.rawValue)' needs exactly one integer value")
                }
            }
            for value in values {
                if let problem = LabelSyntax.valueProblem(value) {
                    throw InvalidValueError(kind: "label value", value: value, reason: problem)
                }
            }
            self.key = key
            self.operator = `operator`
            self.values = Array(Set(values)).sorted()
        }

        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch `operator` {
            case .equals, .doubleEquals, .in: return value.map(values.contains) ?? false
            case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .greaterThan, .lessThan:
                guard let text = value, let number = Int64(text), let bound = values.first.flatMap({ Int64($0) }) else {
                    return false
                }
                return `operator` == .greaterThan ? number > bound : number < bound
            }
        }

        public var description: String {
            switch `operator` {
            case .exists: return key
            case .doesNotExist: return "!" + key
            case .in, .notIn: return "\(key) \(`operator`.rawValue) (\(values.joined(separator: ",")))"
            case .greaterThan: return "\(key)>\(values.first ?? "")"
            case .lessThan: return "\(key)<\(values.first ?? "")"
            default: return "\(key)\(`operator`.rawValue)\(values.first ?? "")"
            }
        }
    }

    /// Requirements sorted by key, as apimachinery keeps them.
    public let requirements: [Requirement]

    public init(_ requirements: [Requirement]) {
        self.requirements = requirements.sorted { ($0.key, $0.operator.rawValue) < ($1.key, $1.operator.rawValue) }
    }

    /// Selects every object.
    public static let everything = Selector([])

    public var isEverything: Bool { requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    public var description: String { requirements.map(\.description).joined(separator: ",") }
}

/// Label key and value syntax (apimachinery's qualified names and label values).
enum LabelSyntax {
    static func isNameCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".")
    }

    static func isAlphanumeric(_ c: Character?) -> Bool {
        guard let c else { return false }
        return c.isASCII && (c.isLetter || c.isNumber)
    }

    static func keyProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "a key has at most one '/'" }
        let name = parts.last.map(String.init) ?? ""
        if parts.count == 2 {
            let prefix = parts[0]
            guard !prefix.isEmpty, prefix.count <= 253,
                  prefix.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }) else {
                return "the prefix must be a DNS subdomain (lowercase letters, digits, '-', '.'; at most 253)"
            }
        }
        guard !name.isEmpty else { return "the name part must not be empty" }
        guard name.count <= 63 else { return "the name part must be at most 63 characters" }
        guard name.allSatisfy(isNameCharacter), isAlphanumeric(name.first), isAlphanumeric(name.last) else {
            return "the name part must consist of alphanumerics, '-', '_' or '.', and begin and end with an alphanumeric"
        }
        return nil
    }

    static func valueProblem(_ value: String) -> String? {
        if value.isEmpty { return nil }
        guard value.count <= 63 else { return "must be at most 63 characters" }
        guard value.allSatisfy(isNameCharacter), isAlphanumeric(value.first), isAlphanumeric(value.last) else {
            return "must consist of alphanumerics, '-', '_' or '.', and begin and end with an alphanumeric"
        }
        return nil
    }
}
