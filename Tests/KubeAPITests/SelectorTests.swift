import Testing
@testable import KubeAPI

/// Label selectors: the string form (apimachinery `labels.Parse`), canonical printing, matching,
/// and `metav1.LabelSelector` conversion.
@Suite struct SelectorTests {
    @Test func parsesAndMatches() throws {
        let selector = try Selector(parsing: "app=web,tier in (a,b),!canary,env!=prod")
        #expect(selector.matches(["app": "web", "tier": "a"]))
        #expect(!selector.matches(["app": "web", "tier": "c"]))
        #expect(!selector.matches(["app": "web", "tier": "a", "canary": "1"]))
        #expect(!selector.matches(["app": "web", "tier": "a", "env": "prod"]))
        #expect(selector.description == "app=web,!canary,env!=prod,tier in (a,b)")
        #expect(try Selector(parsing: "").isEverything)
        #expect(try Selector(parsing: " \t\r\n").isEverything)
        #expect(Selector.everything.matches([:]))
    }

    @Test("Canonical string: sorted by key, values sorted, operators spelled as apimachinery prints", arguments: [
        ("app=web", "app=web"), ("app==web", "app==web"), ("app!=web", "app!=web"), ("app", "app"), ("!app", "!app"),
        ("tier in (b,a,b)", "tier in (a,b)"), ("tier notin (z,y)", "tier notin (y,z)"), ("n>5", "n>5"), ("n<5", "n<5"),
        ("z=1,a=2,m", "a=2,m,z=1"), ("  app = web , tier  in(a)  ", "app=web,tier in (a)"), ("app=", "app="),
        ("app==", "app=="), ("app!=", "app!="), ("x in ()", "x in ()"), ("x in (a,)", "x in (,a)"),
        ("x in (,a)", "x in (,a)"), ("x in (a,,b)", "x in (,a,b)"), ("x in (,)", "x in ()"), ("in in (in)", "in in (in)"),
        ("notin notin (notin)", "notin notin (notin)"), ("example.com/app=web", "example.com/app=web"),
        ("b,a=1,!c", "a=1,b,!c"), ("a=1,a!=2", "a=1,a!=2"), ("a!=2,a=1", "a!=2,a=1"),
        ("app=web,pod-template-hash!=x", "app=web,pod-template-hash!=x"), ("a\tin\n(x)", "a in (x)"),
    ])
    func canonicalString(text: String, expected: String) throws {
        let selector = try Selector(parsing: text)
        #expect(selector.description == expected)
        #expect(try Selector(parsing: selector.description) == selector)
    }

    @Test("Matching for every operator", arguments: [
        ("app=web", ["app": "web"], true), ("app=web", ["app": "db"], false), ("app=web", [:], false),
        ("app==web", ["app": "web"], true), ("app!=web", ["app": "web"], false), ("app!=web", [:], true),
        ("app!=web", ["app": "db"], true), ("app in (a,b)", ["app": "b"], true), ("app in (a,b)", ["app": "c"], false),
        ("app in (a,b)", [:], false), ("app notin (a,b)", ["app": "a"], false), ("app notin (a,b)", [:], true),
        ("app notin (a,b)", ["app": "c"], true), ("app", ["app": ""], true), ("app", [:], false), ("!app", [:], true),
        ("!app", ["app": "x"], false), ("n>5", ["n": "6"], true), ("n>5", ["n": "5"], false), ("n>5", ["n": "x"], false),
        ("n>5", [:], false), ("n<5", ["n": "-3"], true), ("n<5", ["n": "+4"], true), ("n<5", ["n": "99999999999999999999"], false),
        ("app=", ["app": ""], true), ("app=", [:], false), ("x in ()", ["x": ""], true), ("x in ()", ["x": "a"], false),
        ("a=1,b=2", ["a": "1", "b": "2"], true), ("a=1,b=2", ["a": "1"], false), ("", ["any": "thing"], true),
    ])
    func matching(text: String, labels: [String: String], expected: Bool) throws {
        #expect(try Selector(parsing: text).matches(labels) == expected)
    }

    @Test("Malformed selectors are errors", arguments: [
        "=x", "app in (a", "a b", "app==x,", ",", "a,,b", "-bad=1", "app in", "app in a", "app notin", "a=b=c",
        "a=(b)", "!", "!!a", "!a=b", "a!", "a >", "a<", "a>x", "a>-5", "a>1.5", "a=-x", "a=x-", "a in (a b)",
        "a in ((a))", "a in (=)", "a/b/c", "/a", "a/", "A.com/x", "-a.com/x", "a..b/x", "a.-b/x", "é=1", "a=é",
        String(repeating: "k", count: 64), "a=" + String(repeating: "v", count: 64), "a\u{0}=b", "a=b\u{0}",
        "a\u{00A0}=b", "a==", "(a)", ")", "a=b)", "a,!", "a in (x),",
    ])
    func rejectsMalformed(text: String) {
        if text == "a==" { #expect((try? Selector(parsing: text)) != nil); return }
        #expect(throws: InvalidValueError.self) { try Selector(parsing: text) }
    }

    @Test func validKeysAndValues() throws {
        let longName = String(repeating: "k", count: 63)
        let longPrefix = Array(repeating: String(repeating: "p", count: 63), count: 4).joined(separator: ".") // 255 > 253
        #expect(try Selector(parsing: longName + "=" + String(repeating: "v", count: 63)).requirements.count == 1)
        #expect(try Selector(parsing: "a.b-c.d/Name_x.y-z=V_1.2-3").requirements.count == 1)
        #expect(throws: InvalidValueError.self) { try Selector(parsing: longPrefix + "/a") }
        #expect(try Selector(parsing: "app.kubernetes.io/name in (web)").description == "app.kubernetes.io/name in (web)")
    }

    @Test("Errors name the key or the value")
    func errorsNameTheCulprit() {
        func error(_ text: String) -> InvalidValueError? {
            do { _ = try Selector(parsing: text); return nil } catch { return error }
        }
        #expect(error("-bad=1")?.value == "-bad")
        #expect(error("-bad=1")?.kind == "label selector key")
        #expect(error("a=-x")?.value == "-x")
        #expect(error("a=-x")?.reason.contains("key \"a\"") == true)
        #expect(error("a>x")?.value == "x")
        #expect(error("a b")?.value == "a b")
        #expect(error("a b")?.reason.contains("'b'") == true)
    }

    @Test func labelSelectorObject() throws {
        let object = LabelSelector(matchLabels: ["app": "web", "env": "prod"],
                                   matchExpressions: [LabelSelectorRequirement(key: "tier", operator: .notIn, values: ["x"]),
                                                      LabelSelectorRequirement(key: "app", operator: .exists),
                                                      LabelSelectorRequirement(key: "canary", operator: .doesNotExist),
                                                      LabelSelectorRequirement(key: "zone", operator: .in, values: ["b", "a"])])
        let selector = try object.selector()
        #expect(selector.description == "app=web,app,!canary,env=prod,tier notin (x),zone in (a,b)")
        #expect(try Selector(parsing: selector.description) == selector)
        #expect(selector.matches(["app": "web", "env": "prod", "zone": "a"]))
        #expect(!selector.matches(["app": "web", "env": "prod", "zone": "a", "canary": "yes"]))
        #expect(try LabelSelector().selector().isEverything)
        #expect(try LabelSelector(matchLabels: [:], matchExpressions: []).selector().isEverything)
    }

    @Test("LabelSelector conversion errors name the field, key and value", arguments: [
        (LabelSelector(matchLabels: ["bad key": "v"]), "bad key", "matchLabels[bad key]"),
        (LabelSelector(matchLabels: ["app": "-web"]), "-web", "matchLabels[app]"),
        (LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "tier", operator: .in, values: [])]), "tier", "matchExpressions[0]"),
        (LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "ok", operator: .exists),
                                          LabelSelectorRequirement(key: "tier", operator: .in, values: ["a", "b c"])]), "b c", "matchExpressions[1]"),
        (LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "tier", operator: .exists, values: ["a"])]), "tier", "matchExpressions[0]"),
        (LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "tier", operator: .doesNotExist, values: ["a"])]), "tier", "matchExpressions[0]"),
        (LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "", operator: .exists)]), "", "matchExpressions[0]"),
    ])
    func labelSelectorErrors(object: LabelSelector, value: String, location: String) {
        do {
            _ = try object.selector()
            Issue.record("expected an error")
        } catch {
            #expect(error.value == value)
            #expect(error.reason.hasPrefix(location + ":"), "\(error)")
            #expect(error.description.contains("\"\(value)\""))
        }
    }

    @Test func requirementValidation() throws {
        #expect(throws: InvalidValueError.self) { try Selector.Requirement(key: "a", operator: .equals, values: []) }
        #expect(throws: InvalidValueError.self) { try Selector.Requirement(key: "a", operator: .equals, values: ["1", "2"]) }
        #expect(throws: InvalidValueError.self) { try Selector.Requirement(key: "a", operator: .greaterThan, values: ["1", "2"]) }
        #expect(throws: InvalidValueError.self) { try Selector.Requirement(key: "a", operator: .lessThan, values: []) }
        let requirement = try Selector.Requirement(key: "a", operator: .in, values: ["b", "a", "b"])
        #expect(requirement.values == ["a", "b"])
        #expect(requirement.description == "a in (a,b)")
        let same = try Selector([requirement, Selector.Requirement(key: "a", operator: .exists, values: [])])
        #expect(same.description == "a in (a,b),a")
    }
}
