/// Label key and value syntax, as apimachinery validates them (`IsQualifiedName`,
/// `IsDNS1123Subdomain`, `IsValidLabelValue`). Each check returns a problem description or nil.
enum LabelSyntax {
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 bytes.
    private static func namePartProblem(_ bytes: ArraySlice<UInt8>) -> String? {
        guard let first = bytes.first, let last = bytes.last else { return "the name part must not be empty" }
        guard bytes.count <= 63 else { return "the name part must be no more than 63 characters" }
        let allowed = bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
        guard allowed, isAlphanumeric(first), isAlphanumeric(last) else {
            return "the name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        }
        return nil
    }

    /// A DNS-1123 subdomain: dot-separated labels of `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 253 bytes.
    private static func subdomainProblem(_ bytes: ArraySlice<UInt8>) -> String? {
        let message = "the prefix must be a DNS-1123 subdomain: lowercase alphanumeric characters, '-' or '.', each part starting and ending with an alphanumeric character"
        guard !bytes.isEmpty else { return "the prefix part must not be empty" }
        guard bytes.count <= 253 else { return "the prefix part must be no more than 253 characters" }
        for label in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            let lowerAlphanumeric: (UInt8) -> Bool = { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 122) }
            guard let first = label.first, let last = label.last, lowerAlphanumeric(first), lowerAlphanumeric(last),
                  label.allSatisfy({ lowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else { return message }
        }
        return nil
    }

    /// Problems with a label key: `[prefix/]name`.
    static func keyProblem(_ key: String) -> String? {
        let bytes = Array(key.utf8)
        let parts = bytes.split(separator: UInt8(ascii: "/"), maxSplits: 2, omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return namePartProblem(parts[0])
        case 2:
            return subdomainProblem(parts[0]) ?? namePartProblem(parts[1])
        default:
            return "a qualified name has at most one '/' (an optional DNS subdomain prefix and a name)"
        }
    }

    /// Problems with a label value: empty, or a name part of at most 63 bytes.
    static func valueProblem(_ value: String) -> String? {
        let bytes = Array(value.utf8)
        if bytes.isEmpty { return nil }
        guard bytes.count <= 63 else { return "must be no more than 63 characters" }
        return namePartProblem(bytes[...]).map { _ in
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        }
    }
}
