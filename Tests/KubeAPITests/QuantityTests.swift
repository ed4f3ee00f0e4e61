import Testing
@testable import KubeAPI

@Suite struct QuantityTests {
    @Test(arguments: [
        ("500m", Int64(500)), ("1", 1000), ("1.5", 1500), ("100Mi", 104_857_600_000), ("1n", 1), ("1.0001m", 2),
        ("429151n", 1), ("0", 0), ("-1.5", -1500), ("1e3", 1_000_000), ("1E-3", 1), ("10k", 10_000_000),
        ("9223372036854775807m", Int64.max), ("1Ei", Int64.max), ("0.1n", 1), ("-0.1n", -1), (".5", 500), ("1.", 1000),
    ])
    func milliValue(text: String, expected: Int64) throws {
        #expect(try Quantity(parsing: text).milliValue == expected)
    }

    @Test(arguments: [
        ("700m", "700m"), ("1000m", "1"), ("1500m", "1500m"), ("2000", "2k"), ("1200", "1200"), ("0", "0"),
        ("100Mi", "100Mi"), ("1.5Ki", "1536"), ("1e3", "1e3"), ("0.1n", "1n"), ("1536.5", "1536500m"),
        ("1000000000", "1G"), ("12e6", "12e6"), ("1E", "1E"), ("0.5", "500m"), ("-2k", "-2k"),
    ])
    func canonicalForm(text: String, expected: String) throws {
        #expect(try Quantity(parsing: text).description == expected)
    }

    @Test func statusQuantities() {
        #expect(Quantity.milli(700).description == "700m")
        #expect(Quantity.milli(1000).description == "1")
        #expect(Quantity.milli(2_000_000).description == "2k")
        #expect(Quantity.milli(1_200_000).description == "1200")
        #expect(Quantity.milli(104_857_600_000, format: .binarySI).description == "100Mi")
        #expect(Quantity.milli(1_000_000_000_000, format: .binarySI).description == "1000000000")
        #expect(Quantity.milli(500_000, format: .binarySI).description == "500")
        #expect(Quantity.milli(1_536_500, format: .binarySI).description == "1536500m")
    }

    @Test(arguments: ["", "abc", "1x", "--1", "1.2.3", "Ki", "1e", "1e1000000000000", "1 ", " 1"])
    func rejectsMalformed(text: String) {
        #expect(throws: InvalidValueError.self) { try Quantity(parsing: text) }
    }

    @Test func comparesByValue() throws {
        #expect(try Quantity(parsing: "15") == Quantity(parsing: "15000m"))
        #expect(try Quantity(parsing: "1Ki") > Quantity(parsing: "1k"))
        #expect(try Quantity(parsing: "-1") < Quantity(parsing: "0"))
        #expect(try Quantity(parsing: "0.05").approximateDouble == 0.05)
        #expect(try Quantity(parsing: "0.1").approximateDouble == 0.1)
    }
}

@Suite struct SelectorTests {
    @Test func parsesAndMatches() throws {
        let selector = try Selector(parsing: "app=web,tier in (a,b),!canary,env!=prod")
        #expect(selector.matches(["app": "web", "tier": "a"]))
        #expect(!selector.matches(["app": "web", "tier": "c"]))
        #expect(!selector.matches(["app": "web", "tier": "a", "canary": "1"]))
        #expect(!selector.matches(["app": "web", "tier": "a", "env": "prod"]))
        #expect(selector.description == "app=web,!canary,env!=prod,tier in (a,b)")
        #expect(try Selector(parsing: "").isEverything)
    }

    @Test(arguments: ["app=", "app in ()", "=x", "app in (a", "a b", "app==x,", "-bad=1"])
    func rejectsOrAcceptsEdgeCases(text: String) {
        let result = Result { try Selector(parsing: text) }
        if text == "app=" { #expect((try? result.get()) != nil) } else {
            #expect(throws: InvalidValueError.self) { try result.get() }
        }
    }

    @Test func labelSelectorObject() throws {
        let object = LabelSelector(matchLabels: ["app": "web"],
                                   matchExpressions: [LabelSelectorRequirement(key: "tier", operator: .notIn, values: ["x"])])
        let selector = try object.selector()
        #expect(selector.description == "app=web,tier notin (x)")
        #expect(try Selector(parsing: selector.description) == selector)
    }
}
