import KubeAPI

/// A parsed `fieldSelector`: `a.b=value`, `a.b==value`, `a.b!=value`, comma-separated; fields are
/// dotted JSON paths into the object (`metadata.name`, `involvedObject.name`, `status.phase`).
struct FieldSelector: Sendable {
    struct Requirement: Sendable {
        var path: [String]
        var value: String
        var equal: Bool
    }
    var requirements: [Requirement]

    init(parsing text: String) throws(APIError) {
        var requirements: [Requirement] = []
        for part in text.split(separator: ",") where !part.isEmpty {
            let term = String(part)
            if let range = term.range(of: "!=") {
                requirements.append(Requirement(path: Self.path(term[..<range.lowerBound]), value: String(term[range.upperBound...]), equal: false))
            } else if let range = term.range(of: "==") {
                requirements.append(Requirement(path: Self.path(term[..<range.lowerBound]), value: String(term[range.upperBound...]), equal: true))
            } else if let range = term.range(of: "=") {
                requirements.append(Requirement(path: Self.path(term[..<range.lowerBound]), value: String(term[range.upperBound...]), equal: true))
            } else {
                throw APIError.badRequest("invalid field selector \"\(text)\": \"\(term)\" is not key=value")
            }
        }
        self.requirements = requirements
    }

    private static func path(_ key: Substring) -> [String] {
        key.trimmingCharacters().split(separator: ".").map(String.init)
    }

    func matches(_ object: JSON) -> Bool {
        for requirement in requirements {
            let actual: String
            switch object.value(at: requirement.path) {
            case .string(let text)?: actual = text
            case .integer(let number)?: actual = String(number)
            case .bool(let flag)?: actual = flag ? "true" : "false"
            default: actual = ""
            }
            if (actual == requirement.value) != requirement.equal { return false }
        }
        return true
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var slice = self
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}

/// The label and field selectors of a list or watch request.
struct ObjectFilter: Sendable {
    var labels: Selector
    var fields: FieldSelector?

    init(query: [String: String]) throws(APIError) {
        let labelText = query["labelSelector"] ?? ""
        do {
            labels = labelText.isEmpty ? Selector.everything : try Selector(parsing: labelText)
        } catch {
            throw APIError.badRequest("unable to parse requirement: \(error)")
        }
        if let fieldText = query["fieldSelector"], !fieldText.isEmpty {
            fields = try FieldSelector(parsing: fieldText)
        }
    }

    func matches(_ object: StoredObject) -> Bool {
        if !labels.isEverything && !labels.matches(object.labels) { return false }
        if let fields, !fields.matches(object.json) { return false }
        return true
    }
}
