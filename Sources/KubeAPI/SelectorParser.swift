/// Parsing of the label selector string form: `app=web,tier in (a,b),!canary,env!=prod`.
extension Selector {
    public init(parsing text: String) throws(InvalidValueError) {
        var lexer = SelectorLexer(text)
        var requirements: [Requirement] = []
        func fail(_ reason: String) -> InvalidValueError {
            InvalidValueError(kind: "label selector", value: text, reason: reason)
        }
        if lexer.peek() == .end {
            self.init([])
            return
        }
        while true {
            requirements.append(try Self.requirement(&lexer, fail: fail))
            switch lexer.next() {
            case .end:
                self.init(requirements)
                return
            case .comma:
                continue
            case let token:
                throw fail("expected ',' or end of input, found \(token)")
            }
        }
    }

    private static func requirement(
        _ lexer: inout SelectorLexer, fail: (String) -> InvalidValueError
    ) throws(InvalidValueError) -> Requirement {
        if lexer.peek() == .not {
            _ = lexer.next()
            guard case .identifier(let key) = lexer.next() else { throw fail("expected a key after '!'") }
            return try Requirement(key: key, operator: .doesNotExist, values: [])
        }
        guard case .identifier(let key) = lexer.next() else { throw fail("expected a label key") }
        let op: Operator
        switch lexer.peek() {
        case .end, .comma:
            return try Requirement(key: key, operator: .exists, values: [])
        case .equals: op = .equals
        case .doubleEquals: op = .doubleEquals
        case .notEquals: op = .notEquals
        case .greaterThan: op = .greaterThan
        case .lessThan: op = .lessThan
        case .identifier("in"): op = .in
        case .identifier("notin"): op = .notIn
        case let token: throw fail("expected an operator after \"\(key)\", found \(token)")
        }
        _ = lexer.next()
        if op == .in || op == .notIn {
            guard lexer.next() == .openParenthesis else { throw fail("expected '(' after '\(op.rawValue)'") }
            var values: [String] = []
            while true {
                switch lexer.next() {
                case .identifier(let value):
                    values.append(value)
                    switch lexer.next() {
                    case .comma: continue
                    case .closeParenthesis: return try Requirement(key: key, operator: op, values: values)
                    default: throw fail("expected ',' or ')' in the value set of \"\(key)\"")
                    }
                case .closeParenthesis where values.isEmpty:
                    throw fail("empty value set for \"\(key)\"")
                default:
                    throw fail("expected a value in the set of \"\(key)\"")
                }
            }
        }
        switch lexer.peek() {
        case .identifier(let value):
            _ = lexer.next()
            return try Requirement(key: key, operator: op, values: [value])
        case .end, .comma:
            guard op != .greaterThan, op != .lessThan else { throw fail("expected a number after \"\(key)\(op == .greaterThan ? ">" : "<")\"") }
            return try Requirement(key: key, operator: op, values: [""])
        case let token:
            throw fail("expected a value after \"\(key)\(op.rawValue)\", found \(token)")
        }
    }
}

private enum SelectorToken: Equatable, CustomStringConvertible {
    case identifier(String), comma, openParenthesis, closeParenthesis
    case equals, doubleEquals, notEquals, not, greaterThan, lessThan, end

    var description: String {
        switch self {
        case .identifier(let text): return "\"\(text)\""
        case .comma: return "','"
        case .openParenthesis: return "'('"
        case .closeParenthesis: return "')'"
        case .equals: return "'='"
        case .doubleEquals: return "'=='"
        case .notEquals: return "'!='"
        case .not: return "'!'"
        case .greaterThan: return "'>'"
        case .lessThan: return "'<'"
        case .end: return "end of input"
        }
    }
}

private struct SelectorLexer {
    private let characters: [Character]
    private var position = 0
    private var lookahead: SelectorToken?

    init(_ text: String) { characters = Array(text) }

    mutating func peek() -> SelectorToken {
        if let lookahead { return lookahead }
        let token = scan()
        lookahead = token
        return token
    }

    mutating func next() -> SelectorToken {
        let token = peek()
        lookahead = nil
        return token
    }

    private static let special: Set<Character> = [",", "(", ")", "=", "!", "<", ">"]

    private mutating func scan() -> SelectorToken {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
        guard position < characters.count else { return .end }
        let c = characters[position]
        position += 1
        let following = position < characters.count ? characters[position] : nil
        switch c {
        case ",": return .comma
        case "(": return .openParenthesis
        case ")": return .closeParenthesis
        case ">": return .greaterThan
        case "<": return .lessThan
        case "=":
            if following == "=" { position += 1; return .doubleEquals }
            return .equals
        case "!":
            if following == "=" { position += 1; return .notEquals }
            return .not
        default:
            var text = String(c)
            while position < characters.count, !characters[position].isWhitespace,
                  !Self.special.contains(characters[position]) {
                text.append(characters[position])
                position += 1
            }
            return .identifier(text)
        }
    }
}
