import Foundation
import Testing
@testable import KubeAPI

/// Input/expected pairs that apimachinery's own label selector tests check.
@Suite struct SelectorVectorTests {
    @Test("Valid selectors print back without spaces", arguments: [
        "x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5",
    ])
    func restring(text: String) throws {
        #expect(try Selector(parsing: text).description == text.replacingOccurrences(of: " ", with: ""))
    }

    @Test("Set-based selectors", arguments: [
        ("\rx", "x"), ("this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash"),
        ("this-is-another-dns.domain.com/key-with-dash in (so,what)", "this-is-another-dns.domain.com/key-with-dash in (so,what)"),
        ("0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)", "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)"),
        ("foo  in\t (abc)", "foo in (abc)"), ("x notin\n (abc)", "x notin (abc)"), ("x  notin\t\t\t(abc,def)", "x notin (abc,def)"),
        ("x in (abc,)", "x in (,abc)"), ("x in ()", "x in ()"),
        ("x notin (abc,,def),bar,z in (),w", "bar,w,x notin (,abc,def),z in ()"), ("x,y in (a)", "x,y in (a)"),
        ("x=a,y!=b,z in (h,i,j)", "x=a,y!=b,z in (h,i,j)"), ("x notin ( )", "x notin ()"), ("x notin (, a)", "x notin (,a)"),
        ("a ", "a"), ("a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)"), ("notin=in", "notin=in"),
    ])
    func setBased(text: String, expected: String) throws {
        #expect(try Selector(parsing: text).description == expected)
    }

    @Test("Invalid selectors", arguments: [
        "x=a||y=b", "x==a==b", "!x=a", "x<a", "x,,y", ",x,y", "x nott in (y)", "a in (xyz),", "a in (xyz)b notin ()",
        "a in (xyz abc)", "a notin(", "a (", "(", String(repeating: "a", count: 254),
    ])
    func invalid(text: String) {
        #expect(throws: InvalidValueError.self) { try Selector(parsing: text) }
    }

    @Test("Parsing is deterministic")
    func deterministic() throws {
        #expect(try Selector(parsing: "x=a,a=x") == Selector(parsing: "a=x,x=a"))
    }

    @Test("Matching", arguments: [
        ("x=y", ["x": "y"], true), ("x=y,z=w", ["x": "y", "z": "w"], true), ("x!=y,z!=w", ["x": "z", "z": "a"], true),
        ("notin=in", ["notin": "in"], true), ("x", ["x": "z"], true), ("!x", ["y": "z"], true), ("x>1", ["x": "2"], true),
        ("x<1", ["x": "0"], true), ("x=z", [:], false), ("x=y", ["x": "z"], false), ("x=y,z=w", ["x": "w", "z": "w"], false),
        ("x!=y,z!=w", ["x": "z", "z": "w"], false), ("x", ["y": "z"], false), ("!x", ["x": "z"], false),
        ("x>1", ["x": "0"], false), ("x<1", ["x": "2"], false), ("x notin (),y", ["y": ""], true),
        ("!x,y", ["y": ""], true), ("x notin (),!y", ["y": ""], false), ("x in ()", ["y": "baz"], false),
        ("z>1", ["z": "2"], true), ("z>1", ["z": "v2"], false),
        ("foo=bar,foobar=bar,baz=blah", ["foo": "bar", "baz": "blah"], false),
    ])
    func matching(text: String, labels: [String: String], expected: Bool) throws {
        #expect(try Selector(parsing: text).matches(labels) == expected)
    }

    @Test("Requirement constructor", arguments: [
        ("x", Selector.Operator.in, [String](), false), ("x", .notIn, [], false), ("x", .in, ["foo"], true),
        ("x", .notIn, ["foo"], true), ("x", .exists, [], true), ("x", .doesNotExist, [], true), ("1foo", .in, ["bar"], true),
        ("1234", .in, ["bar"], true), ("y", .greaterThan, ["1"], true), ("z", .lessThan, ["6"], true),
        ("foo", .greaterThan, ["bar"], false), ("barz", .lessThan, ["blah"], false),
        (String(repeating: "a", count: 254), .exists, [], false),
    ])
    func requirement(key: String, op: Selector.Operator, values: [String], valid: Bool) {
        #expect(((try? Selector.Requirement(key: key, operator: op, values: values)) != nil) == valid)
    }
}
