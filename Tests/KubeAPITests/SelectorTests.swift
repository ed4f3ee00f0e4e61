import Testing
@testable import KubeAPI

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
