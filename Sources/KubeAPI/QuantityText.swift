/// Parsing and canonical formatting of `Quantity`.
extension Quantity {
    /// Parses `<sign><digits>[.<digits>]<suffix>` where the suffix is binary SI (`Ki`…`Ei`),
    /// decimal SI (`n u m k M G T P E` or none) or an exponent (`e3`, `E-2`).
    public init(parsing text: String) throws(InvalidValueError) {
        func fail(_ reason: String) -> InvalidValueError {
            InvalidValueError(kind: "quantity", value: text, reason: reason)
        }
        guard !text.isEmpty else { throw fail("empty string") }
        let scalars = Array(text.utf8)
        var index = 0
        var negative = false
        if scalars[0] == UInt8(ascii: "+") || scalars[0] == UInt8(ascii: "-") {
            negative = scalars[0] == UInt8(ascii: "-")
            index = 1
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        var seenDigit = false
        while index < scalars.count {
            let byte = scalars[index]
            if byte >= 48, byte <= 57 {
                seenDigit = true
                if !(digits.isEmpty && byte == 48) { digits.append(byte - 48) }
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                break
            }
            index += 1
        }
        guard seenDigit else { throw fail("expected a number") }
        let suffix = String(decoding: scalars[index...], as: UTF8.self)
        var exponent = -fractionDigits
        var binaryPower = 0
        var format = Format.decimalSI
        switch suffix {
        case "": break
        case "n": exponent -= 9
        case "u": exponent -= 6
        case "m": exponent -= 3
        case "k": exponent += 3
        case "M": exponent += 6
        case "G": exponent += 9
        case "T": exponent += 12
        case "P": exponent += 15
        case "E": exponent += 18
        case "Ki": binaryPower = 1
        case "Mi": binaryPower = 2
        case "Gi": binaryPower = 3
        case "Ti": binaryPower = 4
        case "Pi": binaryPower = 5
        case "Ei": binaryPower = 6
        default:
            guard let first = suffix.first, first == "e" || first == "E",
                  let power = Int(suffix.dropFirst()), suffix.count <= 12,
                  suffix.dropFirst().allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }) else {
                throw fail("unknown suffix \"\(suffix)\" (expected one of n u m k M G T P E Ki Mi Gi Ti Pi Ei or an exponent like e3)")
            }
            exponent += power
            format = .decimalExponent
        }
        if binaryPower > 0 { format = .binarySI }
        // Round finer than nano up before the mantissa is built, so long fractions still fit.
        if exponent < Self.nanoExponent {
            let drop = min(digits.count, Self.nanoExponent - exponent)
            let dropped = digits.suffix(drop)
            digits.removeLast(drop)
            exponent += drop
            if exponent < Self.nanoExponent {
                // Every digit was below nano: what remains is at most one nano.
                let anyNonZero = !dropped.allSatisfy { $0 == 0 } || !digits.isEmpty
                self.init(mantissa: anyNonZero ? (negative ? -1 : 1) : 0, exponent: Self.nanoExponent, format: format)
                return
            }
            if dropped.contains(where: { $0 != 0 }) {
                digits = Self.incremented(digits)
            }
        }
        while let last = digits.last, last == 0, digits.count > 1 {
            digits.removeLast()
            exponent += 1
        }
        guard digits.count <= Self.maxDigits else { throw fail("more than \(Self.maxDigits) significant digits") }
        guard exponent + digits.count <= 60 else { throw fail("out of range") }
        var mantissa: Int128 = 0
        for digit in digits { mantissa = mantissa * 10 + Int128(digit) }
        if negative { mantissa = -mantissa }
        if binaryPower > 0 {
            var multiplier: Int128 = 1
            for _ in 0..<binaryPower { multiplier *= 1024 }
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: multiplier)
            let capped = Quantity(mantissa: negative ? Int128(Int64.min) : Int128(Int64.max), exponent: 0, format: format)
            if overflow {
                self = capped
                return
            }
            let candidate = Quantity(mantissa: product, exponent: exponent, format: format)
            if Quantity.compare(candidate, Quantity(Int64.max)) > 0 || Quantity.compare(candidate, Quantity(Int64.min)) < 0 {
                self = capped
                return
            }
            self = candidate
            return
        }
        self.init(mantissa: mantissa, exponent: exponent, format: format)
    }

    private static func incremented(_ digits: [UInt8]) -> [UInt8] {
        var result = digits
        var position = result.count - 1
        while position >= 0 {
            if result[position] < 9 {
                result[position] += 1
                return result
            }
            result[position] = 0
            position -= 1
        }
        return [1] + result
    }

    /// The canonical string apimachinery prints (`700m`, `1`, `1500m`, `2k`, `100Mi`).
    public var description: String {
        switch format {
        case .decimalSI: return decimalText(exponentStyle: false)
        case .decimalExponent: return decimalText(exponentStyle: true)
        case .binarySI: return binaryText() ?? decimalText(exponentStyle: false)
        }
    }

    private func decimalText(exponentStyle: Bool) -> String {
        if mantissa == 0 { return "0" }
        // Lower the exponent to a multiple of three (at most 18 for SI suffixes).
        var target = exponent >= 0 ? exponent / 3 * 3 : -((-exponent + 2) / 3 * 3)
        if !exponentStyle, target > 18 { target = 18 }
        guard let scaled = mantissa.scaledUp(by: exponent - target) else {
            return "\(mantissa)e\(exponent)"
        }
        if exponentStyle { return target == 0 ? "\(scaled)" : "\(scaled)e\(target)" }
        let suffixes = [-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"]
        return "\(scaled)\(suffixes[target] ?? "e\(target)")"
    }

    private func binaryText() -> String? {
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

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string
        } else if let integer = try? container.decode(Int64.self) {
            text = String(integer)
        } else {
            let number = try container.decode(Double.self)
            text = String(number)
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
