import Foundation
import Testing
@testable import KubeAPI

/// The hand-written JSON parser behind `Preserved` writes, checked against `JSONDecoder`.
@Suite struct JSONParserTests {
    /// Integral doubles as integers: `JSONDecoder` and the parser may classify `1.0` differently.
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .double(let number) where number == number.rounded() && abs(number) < 9e18: return .integer(Int64(number))
        case .array(let items): return .array(items.map(normalized))
        case .object(let members): return .object(members.mapValues(normalized))
        default: return value
        }
    }

    @Test("Same trees as JSONDecoder for every fixture", arguments: WireFixture.allCases)
    func parityOnFixtures(fixture: WireFixture) throws {
        let data = Data(try fixture.text.utf8)
        let viaDecoder = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(try JSONValue(parsing: data) == viaDecoder)
        let preserved = try Preserved<JSONValue>(jsonData: data)
        #expect(preserved.original == viaDecoder)
    }

    @Test("Values, escapes and numbers", arguments: [
        (#"{"a":"\"\\\/\b\f\n\r\t\u00e9\ud83d\udca5"}"#, JSONValue.object(["a": .string("\"\\/\u{8}\u{C}\n\r\té💥")])),
        ("[true,false,null]", .array([.bool(true), .bool(false), .null])),
        ("-0", .integer(0)), ("9223372036854775807", .integer(Int64.max)), ("-9223372036854775808", .integer(Int64.min)),
        ("9223372036854775808", .double(9223372036854775808)), ("1.5", .double(1.5)), ("1e3", .double(1000)),
        ("-2.5E-3", .double(-0.0025)), (" \t\n\r{ } ", .object([:])), ("[ ]", .array([])), (#""é…""#, .string("é…")),
        (#"{"a":1,"a":2}"#, .object(["a": .integer(1)])),
    ])
    func values(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: Array(text.utf8)) == expected)
    }

    @Test("Invalid JSON is a DecodingProblem, never a trap", arguments: [
        "", " ", "{", "}", "[1,]", #"{"a":1,}"#, "01", "1.", ".5", "+1", "1e", "tru", "nul", #""\x""#, "\"\u{1}\"",
        #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, "1e400", "-", "[1 2]", #"{"a" 1}"#, #"{1:2}"#, "\"abc", "[1]x",
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600), #""\u12""#, "NaN", "Infinity",
    ])
    func invalid(text: String) {
        #expect(throws: DecodingProblem.self) { try JSONValue(parsing: Array(text.utf8)) }
    }

    @Test func invalidUTF8() {
        #expect(throws: DecodingProblem.self) { try JSONValue(parsing: [0x22, 0xFF, 0xFE, 0x22]) }
        #expect(throws: DecodingProblem.self) { try JSONValue(parsing: [0x22, 0xC3, 0x22]) }
    }

    @Test("Mutated JSON: no trap, and the same tree as JSONDecoder whenever both accept it")
    func fuzzParity() throws {
        let seeds = try WireFixture.allCases.map { try $0.text }
        var mutator = StringMutator(seed: 7, seeds: seeds, fragments: [
            "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud83d", "1", "-", ".", "e", "true", "null", "1e999", "0",
        ])
        var agreed = 0
        for _ in 0..<2000 {
            let data = Data(mutator.next().utf8)
            let parsed = try? JSONValue(parsing: data)
            let decoded = try? JSONDecoder().decode(JSONValue.self, from: data)
            if let parsed, let decoded {
                #expect(Self.normalized(parsed) == Self.normalized(decoded))
                agreed += 1
            }
        }
        #expect(agreed > 100)
    }
}
