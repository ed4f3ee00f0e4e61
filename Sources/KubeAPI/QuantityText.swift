/// Parsing of `Quantity` strings, with apimachinery's grammar and its two paths (an exact
/// small-number path and an arbitrary-precision path that rounds up to nano).
extension Quantity {
    /// Parses `<sign><digits>[.<digits>]<suffix>` where the suffix is binary SI (`Ki`…`Ei`),
    /// decimal SI (`n u m k M G T P E` or none) or an exponent (`e3`, `E-2`, `e+3`).
    ///
    /// Accepted like apimachinery: `.5`, `1.`, `+1`, leading zeros, `1.G`. Also like apimachinery,
    /// a string with no digits before the suffix is zero (`"-"`, `"."`, `"Ki"`, `"m"`); only the
    /// empty string is rejected. Binary values above `2^63-1` in magnitude are capped there; a
    /// fractional binary value below 1 becomes DecimalSI.
    public init(parsing text: String) throws(InvalidValueError) {
        func fail(_ reason: String) -> InvalidValueError {
            InvalidValueError(kind: "quantity", value: text, reason: reason)
        }
        guard !text.isEmpty else { throw fail("empty string") }
        let bytes = Array(text.utf8)
        var position = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            position = 1
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        while position < bytes.count, bytes[position] == UInt8(ascii: "0") { position += 1 }
        if position == bytes.count {
            self.init(storedMantissa: 0, exponent: 0, format: .decimalSI)
            return
        }
        var integerDigits: [UInt8] = []
        while position < bytes.count, isDigit(bytes[position]) {
            integerDigits.append(bytes[position] - 48)
            position += 1
        }
        var fractionDigits: [UInt8] = []
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            while position < bytes.count, isDigit(bytes[position]) {
                fractionDigits.append(bytes[position] - 48)
                position += 1
            }
        }
        let suffixStart = position
        while position < bytes.count, Self.suffixLetters.contains(bytes[position]) { position += 1 }
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
            position += 1
        }
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        guard position == bytes.count else {
            throw fail("expected <number><suffix> with a suffix of n u m k M G T P E Ki Mi Gi Ti Pi Ei or an exponent like e3")
        }
        let suffix = String(decoding: bytes[suffixStart...], as: UTF8.self)
        guard let (base, power, format) = Self.interpret(suffix: suffix) else {
            throw fail("unknown suffix \"\(suffix)\" (expected one of n u m k M G T P E Ki Mi Gi Ti Pi Ei or an exponent like e3)")
        }
        if integerDigits.isEmpty { integerDigits = [0] }
        if let fast = Self.fastPath(integer: integerDigits, fraction: fractionDigits, base: base, power: power,
                                    negative: negative, format: format) {
            guard fast.isZero || Self.order(of: fast) < Self.maxOrder else { throw fail("out of range (at most 1e\(Self.maxOrder))") }
            self = fast
            return
        }
        self = try Self.slowPath(integer: integerDigits, fraction: fractionDigits, base: base, power: power,
                                 negative: negative, format: format, fail: fail)
    }

    private static let suffixLetters = Set("eEinumkKMGTP".utf8)

    /// `(base, power, format)`: the value is multiplied by `base^power`.
    private static func interpret(suffix: String) -> (Int, Int, Format)? {
        switch suffix {
        case "": return (10, 0, .decimalSI)
        case "n": return (10, -9, .decimalSI)
        case "u": return (10, -6, .decimalSI)
        case "m": return (10, -3, .decimalSI)
        case "k": return (10, 3, .decimalSI)
        case "M": return (10, 6, .decimalSI)
        case "G": return (10, 9, .decimalSI)
        case "T": return (10, 12, .decimalSI)
        case "P": return (10, 15, .decimalSI)
        case "E": return (10, 18, .decimalSI)
        case "Ki": return (2, 10, .binarySI)
        case "Mi": return (2, 20, .binarySI)
        case "Gi": return (2, 30, .binarySI)
        case "Ti": return (2, 40, .binarySI)
        case "Pi": return (2, 50, .binarySI)
        case "Ei": return (2, 60, .binarySI)
        default:
            guard suffix.count > 1, suffix.first == "e" || suffix.first == "E",
                  let power = Int64(suffix.dropFirst()), let small = Int32(exactly: power) else { return nil }
            return (10, Int(small), .decimalExponent)
        }
    }

    /// apimachinery's int64 path: at most 18 digits and scale ≥ nano (decimal), or a small integer
    /// times `2^power` (binary). The digits are kept as written, trailing zeros included.
    private static func fastPath(integer: [UInt8], fraction: [UInt8], base: Int, power: Int,
                                 negative: Bool, format: Format) -> Quantity? {
        if base == 10 {
            guard integer.count + fraction.count <= 18 else { return nil }
            let scale = power - fraction.count
            guard scale >= nanoExponent else { return nil }
            var value: Int128 = 0
            for digit in integer + fraction { value = value * 10 + Int128(digit) }
            return Quantity(storedMantissa: negative ? -value : value, exponent: value == 0 ? 0 : scale, format: format)
        }
        let precision = 15 - integer.count - Int(Float(power) * 3 / 10) - 1
        guard fraction.isEmpty, precision >= 0 else { return nil }
        var value: Int128 = 0
        for digit in integer { value = value * 10 + Int128(digit) }
        value <<= power
        guard value <= Int128(Int64.max) else { return nil }
        return Quantity(storedMantissa: negative ? -value : value, exponent: 0, format: format)
    }

    /// apimachinery's arbitrary-precision path: exact digits, times `2^power` for binary, rounded
    /// up to nano, binary capped at `2^63-1`, stored at scale -9 when that fits.
    private static func slowPath(integer: [UInt8], fraction: [UInt8], base: Int, power: Int, negative: Bool,
                                 format: Format, fail: (String) -> InvalidValueError) throws(InvalidValueError) -> Quantity {
        var number = DecimalDigits(digits: integer + fraction, exponent: (base == 10 ? power : 0) - fraction.count)
        if base == 2 {
            for _ in 0..<(power / 10) { number.multiply(by: 1024) }
        }
        guard !number.isZero else { return Quantity(storedMantissa: 0, exponent: 0, format: format) }
        number.roundAwayFromZero(toExponent: nanoExponent)
        var format = format
        if format == .binarySI {
            if number.order > 19 || (number.order == 19 && number.exceedsInt64Max) {
                let cap = Int128(Int64.max)
                return Quantity(storedMantissa: negative ? -cap : cap, exponent: 0, format: .binarySI)
            }
            if number.order <= 0 { format = .decimalSI }
        }
        number.stripTrailingZeros()
        guard number.digits.count <= maxDigits else { throw fail("more than \(maxDigits) significant digits") }
        guard number.order < maxOrder else { throw fail("out of range (at most 1e\(maxOrder))") }
        var mantissa: Int128 = 0
        for digit in number.digits { mantissa = mantissa * 10 + Int128(digit) }
        if negative { mantissa = -mantissa }
        if let atNano = mantissa.scaledUp(by: number.exponent - nanoExponent) {
            return Quantity(storedMantissa: atNano, exponent: nanoExponent, format: format)
        }
        return Quantity(storedMantissa: mantissa, exponent: number.exponent, format: format)
    }

    /// The number of integer digits of the magnitude (≤ 0 below 1).
    static func order(of quantity: Quantity) -> Int {
        let value = quantity.normalized
        return String(value.mantissa.magnitude).count + value.exponent
    }
}

/// An exact non-negative decimal: `digits × 10^exponent`, most significant digit first.
struct DecimalDigits {
    var digits: [UInt8]
    var exponent: Int

    init(digits: [UInt8], exponent: Int) {
        self.digits = Array(digits.drop { $0 == 0 })
        self.exponent = exponent
    }

    var isZero: Bool { digits.isEmpty }

    /// The number of digits before the decimal point (≤ 0 for values below 1).
    var order: Int { digits.count + exponent }

    /// For a value with 19 integer digits: whether it exceeds `9223372036854775807`.
    var exceedsInt64Max: Bool {
        let limit = Array("9223372036854775807".utf8).map { $0 - 48 }
        var integer = Array(digits.prefix(order))
        while integer.count < order { integer.append(0) }
        if integer != limit { return integer.lexicographicallyPrecedes(limit) == false }
        return digits.count > order && digits[order...].contains { $0 != 0 }
    }

    mutating func multiply(by factor: Int) {
        var carry = 0
        for index in digits.indices.reversed() {
            let product = Int(digits[index]) * factor + carry
            digits[index] = UInt8(product % 10)
            carry = product / 10
        }
        while carry > 0 {
            digits.insert(UInt8(carry % 10), at: 0)
            carry /= 10
        }
    }

    /// Drops digits below `10^target`, adding one unit of `10^target` if any dropped digit was
    /// non-zero.
    mutating func roundAwayFromZero(toExponent target: Int) {
        guard exponent < target, !digits.isEmpty else { return }
        let drop = target - exponent
        if drop > digits.count {
            digits = [1]
            exponent = target
            return
        }
        let droppedNonZero = digits.suffix(drop).contains { $0 != 0 }
        digits.removeLast(drop)
        exponent = target
        if droppedNonZero { increment() }
    }

    private mutating func increment() {
        var index = digits.count - 1
        while index >= 0 {
            if digits[index] < 9 {
                digits[index] += 1
                return
            }
            digits[index] = 0
            index -= 1
        }
        digits.insert(1, at: 0)
    }

    mutating func stripTrailingZeros() {
        while let last = digits.last, last == 0 {
            digits.removeLast()
            exponent += 1
        }
    }
}
