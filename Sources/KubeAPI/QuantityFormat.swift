/// Canonical formatting and JSON coding of `Quantity`.
extension Quantity {
    /// The canonical string apimachinery prints (`700m`, `1`, `1500m`, `2k`, `100Mi`, `1e21`).
    ///
    /// DecimalSI: trailing zeros go into the exponent, which is then lowered to a multiple of three
    /// and spelled as a suffix (`n u m "" k M G T P E`); beyond `E` it is written `e21`.
    /// DecimalExponent: the same, spelled `e<exponent>`. BinarySI: values strictly between -1024
    /// and 1024, and non-integers, print as DecimalSI; otherwise factors of 1024 become
    /// `Ki`…`Ei` (apimachinery would drop a suffix beyond `Ei`; this prints `1024Ei`).
    public var description: String {
        if isZero { return "0" }
        switch format {
        case .decimalSI: return decimalText(exponentStyle: false)
        case .decimalExponent: return decimalText(exponentStyle: true)
        case .binarySI: return binaryText() ?? decimalText(exponentStyle: false)
        }
    }

    private func decimalText(exponentStyle: Bool) -> String {
        let (mantissa, exponent) = normalized
        // Lower the exponent to a multiple of three by appending zeros to the mantissa.
        let extra = ((exponent % 3) + 3) % 3
        let number = String(mantissa) + String(repeating: "0", count: extra)
        let target = exponent - extra
        if target == 0 { return number }
        if !exponentStyle, let suffix = Self.decimalSuffixes[target] { return number + suffix }
        return number + "e" + String(target)
    }

    private static let decimalSuffixes = [-9: "n", -6: "u", -3: "m", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"]

    private func binaryText() -> String? {
        let (mantissa, exponent) = normalized
        guard exponent >= 0, let integer = mantissa.scaledUp(by: exponent), integer.magnitude >= 1024 else { return nil }
        var value = integer
        var power = 0
        while power < 6, value % 1024 == 0 {
            value /= 1024
            power += 1
        }
        let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
        return "\(value)\(suffixes[power])"
    }

    /// Accepts a JSON string (surrounding white space ignored, as apimachinery does) or a JSON
    /// number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string.trimmingASCIIWhitespace()
        } else if let integer = try? container.decode(Int64.self) {
            text = String(integer)
        } else if let number = try? container.decode(Double.self), number.isFinite {
            text = String(number)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a quantity (a string or a number)")
        }
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, carriage returns and newlines.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 || $0 == 11 || $0 == 12 }
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
