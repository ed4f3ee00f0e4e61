/// `resource.Quantity` with apimachinery's semantics: exact decimal values, every suffix,
/// canonical formatting, `MilliValue` rounding away from zero.
///
/// The value is `mantissa × 10^exponent` with `exponent ≥ -9`. The pair is kept the way
/// apimachinery keeps it, *not* normalized: `"50m"` is `(50, -3)`, `"0.05"` is `(5, -2)`, and a
/// value that needs the arbitrary-precision path (more than 18 digits, finer than nano, or a
/// fractional binary value such as `"1.5Ki"`) is stored at scale `-9`. This matters only for
/// ``approximateDouble``, which must be bit-identical to apimachinery's `AsApproximateFloat64`
/// (`"300m"` is `0.3`, while `3 × 0.1` would be `0.30000000000000004`). Equality, hashing and
/// comparison use the value.
///
/// Anything finer than nano is rounded up (away from zero) to nano precision when parsed.
/// Limits (errors, never traps): at most 38 significant digits and a magnitude below `10^300`;
/// an exponent suffix must fit in 32 bits (apimachinery silently truncates it instead).
///
/// Conversions to `Int64` saturate at `Int64.min`/`Int64.max`. apimachinery returns 0 or wraps in
/// that case; saturation is this project's documented choice (never a trap, never a sign flip).
public struct Quantity: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// How the quantity prints; equality ignores it.
    public enum Format: String, Sendable, Hashable {
        case decimalSI = "DecimalSI"
        case binarySI = "BinarySI"
        case decimalExponent = "DecimalExponent"
    }

    /// The stored mantissa; see the type's documentation for why it is not normalized.
    public private(set) var mantissa: Int128
    /// The stored base-10 exponent, never below -9.
    public private(set) var exponent: Int
    public var format: Format

    static let maxDigits = 38
    static let nanoExponent = -9
    /// Values must be below `10^maxOrder` in magnitude.
    static let maxOrder = 300

    /// A quantity of `mantissa × 10^exponent`, rounded away from zero to nano precision when
    /// `exponent < -9` (the result then has exponent -9, as apimachinery's rounding leaves it).
    /// An exponent above 300 is clamped to 300 (such values are out of range when parsed).
    public init(mantissa: Int128, exponent: Int, format: Format = .decimalSI) {
        var mantissa = mantissa
        var exponent = min(exponent, Self.maxOrder)
        if exponent < Self.nanoExponent {
            if exponent < Self.nanoExponent - Self.maxDigits {
                mantissa = mantissa.signum()
            } else {
                let divisor = Int128.power10(Self.nanoExponent - exponent)
                let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: divisor)
                mantissa = quotient + remainder.signum()
            }
            exponent = Self.nanoExponent
        }
        if mantissa == 0 { exponent = 0 }
        self.init(storedMantissa: mantissa, exponent: exponent, format: format)
    }

    init(storedMantissa: Int128, exponent: Int, format: Format) {
        self.mantissa = storedMantissa
        self.exponent = exponent
        self.format = format
    }

    /// An integer quantity, e.g. replicas or bytes (apimachinery `NewQuantity`).
    public init(_ value: Int64, format: Format = .decimalSI) {
        self.init(storedMantissa: Int128(value), exponent: 0, format: format)
    }

    /// `value × 10^-3`, the form the controller writes into status (`NewMilliQuantity`).
    public static func milli(_ value: Int64, format: Format = .decimalSI) -> Quantity {
        Quantity(storedMantissa: Int128(value), exponent: value == 0 ? 0 : -3, format: format)
    }

    public static let zero = Quantity(0)

    public var isZero: Bool { mantissa == 0 }
    /// -1, 0 or 1.
    public var sign: Int { mantissa == 0 ? 0 : (mantissa < 0 ? -1 : 1) }

    /// The value with trailing zeros moved into the exponent; zero is `(0, 0)`.
    public var normalized: (mantissa: Int128, exponent: Int) {
        guard mantissa != 0 else { return (0, 0) }
        var mantissa = mantissa, exponent = exponent
        while mantissa % 10 == 0 {
            mantissa /= 10
            exponent += 1
        }
        return (mantissa, exponent)
    }

    /// `ceil(q × 1000)` away from zero, saturating (apimachinery `MilliValue`).
    public var milliValue: Int64 { scaledValue(-3) }

    /// `ceil(q)` away from zero, saturating (apimachinery `Value`).
    public var value: Int64 { scaledValue(0) }

    /// The value in units of `10^scale`, rounded away from zero, saturating at the `Int64` bounds.
    public func scaledValue(_ scale: Int) -> Int64 {
        guard mantissa != 0 else { return 0 }
        let (shift, shiftOverflow) = exponent.subtractingReportingOverflow(scale)
        let result: Int128
        if shiftOverflow {
            result = scale < 0 ? (mantissa < 0 ? Int128.min : Int128.max) : Int128(sign)
        } else if shift >= 0 {
            result = mantissa.scaledUp(by: shift) ?? (mantissa < 0 ? Int128.min : Int128.max)
        } else if -shift > Self.maxDigits {
            result = Int128(sign)
        } else {
            let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: Int128.power10(-shift))
            result = quotient + remainder.signum()
        }
        if result > Int128(Int64.max) { return Int64.max }
        if result < Int128(Int64.min) { return Int64.min }
        return Int64(result)
    }

    /// `mantissa × 10^exponent` as a `Double`, bit-identical to apimachinery's
    /// `AsApproximateFloat64` (stored mantissa times Go's `math.Pow10` of the stored exponent).
    public var approximateDouble: Double {
        let base = Double(mantissa)
        return exponent == 0 ? base : base * PowerOfTen.double(exponent)
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { compare(lhs, rhs) < 0 }

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        let left = lhs.normalized, right = rhs.normalized
        return left.mantissa == right.mantissa && left.exponent == right.exponent
    }

    public func hash(into hasher: inout Hasher) {
        let value = normalized
        hasher.combine(value.mantissa)
        hasher.combine(value.exponent)
    }

    /// Three-way comparison by value: -1, 0 or 1.
    public static func compare(_ lhs: Quantity, _ rhs: Quantity) -> Int {
        if lhs.sign != rhs.sign { return lhs.sign < rhs.sign ? -1 : 1 }
        if lhs.sign == 0 { return 0 }
        // Same sign: compare magnitudes by order of magnitude first, then digit by digit.
        let left = lhs.normalized, right = rhs.normalized
        let leftDigits = String(left.mantissa.magnitude), rightDigits = String(right.mantissa.magnitude)
        let leftOrder = leftDigits.count + left.exponent, rightOrder = rightDigits.count + right.exponent
        let magnitudeOrder: Int
        if leftOrder != rightOrder {
            magnitudeOrder = leftOrder < rightOrder ? -1 : 1
        } else {
            let width = max(leftDigits.count, rightDigits.count)
            let a = leftDigits + String(repeating: "0", count: width - leftDigits.count)
            let b = rightDigits + String(repeating: "0", count: width - rightDigits.count)
            magnitudeOrder = a == b ? 0 : (a < b ? -1 : 1)
        }
        return lhs.sign > 0 ? magnitudeOrder : -magnitudeOrder
    }

    /// The exact sum, or nil when it does not fit in 38 digits. Like apimachinery's `Add`, a
    /// zero left operand takes the right operand's format.
    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity? {
        let format = lhs.isZero ? rhs.format : lhs.format
        if lhs.isZero { return Quantity(storedMantissa: rhs.mantissa, exponent: rhs.exponent, format: format) }
        if rhs.isZero { return lhs }
        let exponent = min(lhs.exponent, rhs.exponent)
        guard let a = lhs.mantissa.scaledUp(by: lhs.exponent - exponent),
              let b = rhs.mantissa.scaledUp(by: rhs.exponent - exponent) else { return nil }
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow { return nil }
        return Quantity(mantissa: sum, exponent: exponent, format: format)
    }
}

extension Int128 {
    /// `10^n` for `0 ≤ n ≤ 38`.
    static func power10(_ n: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<Swift.max(0, Swift.min(n, 38)) { result &*= 10 }
        return result
    }

    /// `self × 10^n`, or nil on overflow (or when `n` is negative).
    func scaledUp(by n: Int) -> Int128? {
        guard n >= 0 else { return nil }
        if self == 0 { return 0 }
        guard n <= 38 else { return nil }
        let (value, overflow) = multipliedReportingOverflow(by: Int128.power10(n))
        return overflow ? nil : value
    }
}

/// Powers of ten computed the way Go's `math.Pow10` does (two table lookups and one
/// multiplication or division), so that ``Quantity/approximateDouble`` matches apimachinery bit
/// for bit. For `|n| ≤ 22` this is the correctly rounded literal.
enum PowerOfTen {
    static let small: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31,
    ]
    static let positive32: [Double] = [1e0, 1e32, 1e64, 1e96, 1e128, 1e160, 1e192, 1e224, 1e256, 1e288]
    static let negative32: [Double] = [1e-0, 1e-32, 1e-64, 1e-96, 1e-128, 1e-160, 1e-192, 1e-224, 1e-256, 1e-288,
                                            Double(bitPattern: 2024)]  // 1e-320, a subnormal

    static func double(_ n: Int) -> Double {
        if n >= 0 && n <= 308 { return positive32[n / 32] * small[n % 32] }
        if n < 0 && n >= -323 { return negative32[-n / 32] / small[-n % 32] }
        return n > 0 ? .infinity : 0
    }
}
