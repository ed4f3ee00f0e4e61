/// Parsing of the label selector string form: `app=web,tier in (a,b),!canary,env!=prod`,
/// with apimachinery's grammar (`labels.Parse`):
///
/// - white space is space, tab, CR and LF; `in`/`notin` are operators only after a key;
/// - `key=` and `key==` / `key!=` with nothing after them mean the empty value;
/// - a value set may contain empty values: `()` is `{""}`, `(a,)` is `{"", a}`;
/// - a trailing or doubled `,` between requirements is an error.
///
/// One deliberate difference: a NUL byte is an error here, where apimachinery stops reading.
extension Selector {
    /// Parses the string form; the empty string selects everything.
    public init(parsing text: String) throws(InvalidValueError) {
        func fail(_ reason: String) -> InvalidValueError {
            InvalidValueError(kind: "label selector", value: text, reason: reason)
        }
        guard !text.utf8.contains(0) else { throw fail("contains a NUL byte") }
        var parser = SelectorTokens(text)
        var requirements: [Requirement] = []
        while true {
            switch parser.peek() {
            case .end:
                self.init(requirements)
                return
            case .identifier, .not:
                requirements.append(try Self.requirement(&parser, fail: fail))
                switch parser.next() {
                case .end:
                    self.init(requirements)
                    return
                case .comma:
                    switch parser.peek() {
                    case .identifier, .not: continue
                    case let token: throw fail("found \(token), expected an identifier after ','")
                    }
                case let token:
                    throw fail("found \(token), expected ',' or end of string")
                }
            case let token:
                throw fail("found \(token), expected '!', an identifier or end of string")
            }
        }
    }

    private static func requirement(
        _ parser: inout SelectorTokens, fail: (String) -> InvalidValueError
    ) throws(InvalidValueError) -> Requirement {
        var negated = false
        var token = parser.next()
        if token == .not {
            negated = true
            token = parser.next()
        }
        guard case .identifier(let key) = token else { throw fail("found \(token), expected an identifier") }
        if let problem = LabelSyntax.keyProblem(key) {
            throw InvalidValueError(kind: "label selector key", value: key, reason: problem)
        }
        // `!key` is complete (anything after it is the caller's to report); a bare key means exists.
        if negated { return try Requirement(key: key, operator: .doesNotExist, values: []) }
        if parser.peek() == .end || parser.peek() == .comma {
            return try Requirement(key: key, operator: .exists, values: [])
        }
        let op: Operator
        switch parser.next() {
        case .equals: op = .equals
        case .doubleEquals: op = .doubleEquals
        case .notEquals: op = .notEquals
        case .greaterThan: op = .greaterThan
        case .lessThan: op = .lessThan
        case .identifier("in"): op = .in
        case .identifier("notin"): op = .notIn
        case let token: throw fail("found \(token), expected one of in, notin, =, ==, !=, >, <")
        }
        if op == .in || op == .notIn {
            return try Requirement(key: key, operator: op, values: valueSet(&parser, key: key, fail: fail))
        }
        switch parser.peek() {
        case .end, .comma:
            return try Requirement(key: key, operator: op, values: [""])
        case .identifier(let value):
            _ = parser.next()
            return try Requirement(key: key, operator: op, values: [value])
        case let token:
            throw fail("found \(token), expected a value for \"\(key)\"")
        }
    }

    /// `( value, value, … )` where empty values are allowed.
    private static func valueSet(
        _ parser: inout SelectorTokens, key: String, fail: (String) -> InvalidValueError
    ) throws(InvalidValueError) -> [String] {
        let open = parser.next()
        guard open == .openParenthesis else { throw fail("found \(open), expected '(' after the operator of \"\(key)\"") }
        var values: [String] = []
        var expectValue = true
        while true {
            switch parser.next() {
            case .identifier(let value) where expectValue:
                values.append(value)
                expectValue = false
            case .comma:
                if expectValue { values.append("") }
                expectValue = true
            case .closeParenthesis:
                if expectValue { values.append("") }
                return values
            case let token:
                throw fail("found \(token), expected ',', ')' or a value in the set of \"\(key)\"")
            }
        }
    }
}

private enum SelectorToken: Equatable, CustomStringConvertible {
    case identifier(String), comma, openParenthesis, closeParenthesis
    case equals, doubleEquals, notEquals, not, greaterThan, lessThan, end

    var description: String {
        switch self {
        case .identifier(let text): return "'\(text)'"
        case .comma: return "','"
        case .openParenthesis: return "'('"
        case .closeParenthesis: return "')'"
        case .equals: return "'='"
        case .doubleEquals: return "'=='"
        case .notEquals: return "'!='"
        case .not: return "'!'"
        case .greaterThan: return "'>'"
        case .lessThan: return "'<'"
        case .end: return "end of string"
        }
    }
}

/// The lexer, over UTF-8 bytes: identifiers run until white space or one of `=!(),<>`.
private struct SelectorTokens {
    private let bytes: [UInt8]
    private var position = 0
    private var lookahead: SelectorToken?

    init(_ text: String) { bytes = Array(text.utf8) }

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

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    private static let special = Set("=!(),<>".utf8)

    private mutating func scan() -> SelectorToken {
        while position < bytes.count, Self.isWhitespace(bytes[position]) { position += 1 }
        guard position < bytes.count else { return .end }
        let byte = bytes[position]
        position += 1
        let following = position < bytes.count ? bytes[position] : nil
        switch byte {
        case UInt8(ascii: ","): return .comma
        case UInt8(ascii: "("): return .openParenthesis
        case UInt8(ascii: ")"): return .closeParenthesis
        case UInt8(ascii: ">"): return .greaterThan
        case UInt8(ascii: "<"): return .lessThan
        case UInt8(ascii: "="):
            if following == UInt8(ascii: "=") { position += 1; return .doubleEquals }
            return .equals
        case UInt8(ascii: "!"):
            if following == UInt8(ascii: "=") { position += 1; return .notEquals }
            return .not
        default:
            let start = position - 1
            while position < bytes.count, !Self.isWhitespace(bytes[position]), !Self.special.contains(bytes[position]) {
                position += 1
            }
            return .identifier(String(decoding: bytes[start..<position], as: UTF8.self))
        }
    }
}
