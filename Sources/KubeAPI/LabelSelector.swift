/// `metav1.LabelSelector` as it appears in API objects.
public struct LabelSelector: Sendable, Hashable, Codable {
    public var matchLabels: [String: String]?
    public var matchExpressions: [LabelSelectorRequirement]?

    public init(matchLabels: [String: String]? = nil, matchExpressions: [LabelSelectorRequirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// The selector this object means (apimachinery `LabelSelectorAsSelector`). An empty object
    /// selects everything. Errors name the offending field, key and value, e.g.
    /// `invalid label value "-x": matchExpressions[0].values[1] (key "tier"): must …`.
    public func selector() throws(InvalidValueError) -> Selector {
        var requirements: [Selector.Requirement] = []
        for (key, value) in (matchLabels ?? [:]).sorted(by: { $0.key < $1.key }) {
            do {
                requirements.append(try Selector.Requirement(key: key, operator: .equals, values: [value]))
            } catch {
                throw error.locating("matchLabels[\(key)]")
            }
        }
        for (index, expression) in (matchExpressions ?? []).enumerated() {
            let op: Selector.Operator
            switch expression.operator {
            case .in: op = .in
            case .notIn: op = .notIn
            case .exists: op = .exists
            case .doesNotExist: op = .doesNotExist
            }
            do {
                requirements.append(try Selector.Requirement(key: expression.key, operator: op, values: expression.values ?? []))
            } catch {
                throw error.locating("matchExpressions[\(index)]")
            }
        }
        return Selector(requirements)
    }
}

extension InvalidValueError {
    /// The same error with `location` put in front of the reason.
    func locating(_ location: String) -> InvalidValueError {
        InvalidValueError(kind: kind, value: value, reason: "\(location): \(reason)")
    }
}

/// One `matchExpressions` entry: a key, an operator and values.
public struct LabelSelectorRequirement: Sendable, Hashable, Codable {
    /// The operators of `matchExpressions`.
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
    /// The operators of the string form (`in`, `notin`, `=`, `==`, `!=`, exists, `!`, `>`, `<`).
    public enum Operator: String, Sendable, Hashable {
        case equals = "=", doubleEquals = "==", notEquals = "!=", `in` = "in", notIn = "notin"
        case exists = "exists", doesNotExist = "!", greaterThan = "gt", lessThan = "lt"
    }

    /// One requirement (apimachinery `NewRequirement`): a valid key, and values as the operator
    /// needs them. Values are kept sorted and without duplicates (how they print).
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        public let key: String
        public let `operator`: Operator
        public let values: [String]

        /// Validates like apimachinery: the key is a qualified name; `in`/`notin` need at least one
        /// value, `=`/`==`/`!=` exactly one, `exists`/`!` none, `gt`/`lt` one integer; every value
        /// is a valid label value (empty allowed). Errors name the key or the value.
        public init(key: String, operator: Operator, values: [String]) throws(InvalidValueError) {
            func fail(_ reason: String) -> InvalidValueError {
                InvalidValueError(kind: "label selector key", value: key, reason: reason)
            }
            if let problem = LabelSyntax.keyProblem(key) { throw fail(problem) }
            switch `operator` {
            case .in, .notIn:
                guard !values.isEmpty else { throw fail("for 'in', 'notin' operators, the value set can't be empty") }
            case .equals, .doubleEquals, .notEquals:
                guard values.count == 1 else { throw fail("'\(`operator`.rawValue)' requires exactly one value") }
            case .exists, .doesNotExist:
                guard values.isEmpty else { throw fail("the value set must be empty for exists and does not exist") }
            case .greaterThan, .lessThan:
                guard values.count == 1 else { throw fail("for 'gt', 'lt' operators, exactly one value is required") }
                guard Int64(values[0]) != nil else {
                    throw InvalidValueError(kind: "label selector value", value: values[0],
                                            reason: "key \"\(key)\": for 'gt', 'lt' operators, the value must be an integer")
                }
            }
            for (index, value) in values.enumerated() {
                if let problem = LabelSyntax.valueProblem(value) {
                    throw InvalidValueError(kind: "label value", value: value, reason: "values[\(index)] (key \"\(key)\"): \(problem)")
                }
            }
            self.key = key
            self.operator = `operator`
            self.values = Array(Set(values)).sorted()
        }

        /// Whether `labels` satisfy the requirement. `!=` and `notin` match a missing key; `gt`/`lt`
        /// need the label to be an integer.
        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch `operator` {
            case .equals, .doubleEquals, .in: return value.map(values.contains) ?? false
            case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .greaterThan, .lessThan:
                guard let text = value, let number = Int64(text), values.count == 1, let bound = Int64(values[0]) else {
                    return false
                }
                return `operator` == .greaterThan ? number > bound : number < bound
            }
        }

        /// The string form apimachinery prints: `key`, `!key`, `key=v`, `key==v`, `key!=v`,
        /// `key in (a,b)`, `key notin (a,b)`, `key>1`, `key<1`.
        public var description: String {
            switch `operator` {
            case .exists: return key
            case .doesNotExist: return "!" + key
            case .in, .notIn: return "\(key) \(`operator`.rawValue) (\(values.joined(separator: ",")))"
            case .greaterThan: return "\(key)>\(values.first ?? "")"
            case .lessThan: return "\(key)<\(values.first ?? "")"
            case .equals, .doubleEquals, .notEquals: return "\(key)\(`operator`.rawValue)\(values.first ?? "")"
            }
        }
    }

    /// Requirements sorted by key (stable: requirements on the same key keep their order), as
    /// apimachinery keeps them.
    public let requirements: [Requirement]

    /// A selector of `requirements` (all must match), kept sorted by key.
    public init(_ requirements: [Requirement]) {
        self.requirements = requirements.enumerated()
            .sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
            .map(\.element)
    }

    /// Selects every object.
    public static let everything = Selector([])

    /// Whether the selector has no requirements (selects everything).
    public var isEverything: Bool { requirements.isEmpty }

    /// Whether every requirement matches `labels`.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// The canonical string form, e.g. `app=web,!canary,tier in (a,b)`; empty for everything.
    public var description: String { requirements.map(\.description).joined(separator: ",") }
}
