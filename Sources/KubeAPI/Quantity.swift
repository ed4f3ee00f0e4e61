/// `resource.Quantity` with apimachinery's semantics: exact decimal values, every suffix,
/// canonical formatting, `MilliValue` rounding away from zero.
///
/// The value is `mantissa × 10^exponent`, kept normalized (no trailing zeros in the mantissa)
/// with `exponent ≥ -9`: like apimachinery, anything finer than nano is rounded up (away from
/// zero) to nano precision when parsed. Values need at most 38 significant digits; larger
/// ones are rejected as out of range instead of being approximated.
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

    public private(set) var mantissa: Int128
    public private(set) var exponent: Int
    public var format: Format

    static let maxDigits = 38
    static let nanoExponent = -9

    /// A quantity of `mantissa × 10^exponent`, rounded up to nano precision.
    public init(mantissa: Int128, exponent: Int, format: Format = .decimalSI) {
        var mantissa = mantissa
        var exponent = exponent
        if exponent < Self.nanoExponent {
            let shift = Self.nanoExponent - exponent
            if shift > Self.maxDigits {
                mantissa = mantissa == 0 ? 0 : mantissa.signum()
            } else {
                let divisor = Int128.power10(shift)
                let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: divisor)
                mantissa = quotient + (remainder == 0 ? 0 : remainder.signum())
            }
            exponent = Self.nanoExponent
        }
        if mantissa == 0 {
            exponent = 0
        } else {
            while mantissa % 10 == 0 {
                mantissa /= 10
                exponent += 1
            }
        }
        self.mantissa = mantissa
        self.exponent = exponent
        self.format = format
    }

    /// An integer quantity, e.g. replicas or bytes.
    public init(_ value: Int64, format: Format = .decimalSI) {
        self.init(mantissa: Int128(value), exponent: 0, format: format)
    }

    /// `value × 10^-3`, the form the controller writes into status (`NewMilliQuantity`).
    public static func milli(_ value: Int64, format: Format = .decimalSI) -> Quantity {
        Quantity(mantissa: Int128(value), exponent: -3, format: format)
    }

    public static let zero = Quantity(0)

    public var isZero: Bool { mantissa == 0 }
    public var sign: Int { mantissa == 0 ? 0 : (mantissa < 0 ? -1 : 1) }

    /// `ceil(q × 1000)` away from zero, saturating (apimachinery `MilliValue`).
    public var milliValue: Int64 { scaledValue(-3) }

    /// `ceil(q)` away from zero, saturating (apimachinery `Value`).
    public var value: Int64 { scaledValue(0) }

    /// The value in units of `10^scale`, rounded away from zero, saturating.
    public func scaledValue(_ scale: Int) -> Int64 {
        let shift = exponent - scale
        var result: Int128
        if shift >= 0 {
            guard shift <= Self.maxDigits else { return saturated(overflow: true) }
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: Int128.power10(shift))
            if overflow { return saturated(overflow: true) }
            result = product
        } else if -shift > Self.maxDigits {
            result = Int128(sign)
        } else {
            let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: Int128.power10(-shift))
            result = quotient + (remainder == 0 ? 0 : remainder.signum())
        }
        if result > Int128(Int64.max) { return Int64.max }
        if result < Int128(Int64.min) { return Int64.min }
        return Int64(result)
    }

    private func saturated(overflow: Bool) -> Int64 { mantissa < 0 ? Int64.min : Int64.max }

    /// `mantissa × 10^exponent` as a `Double`, multiplying by a correctly rounded power of ten
    /// (apimachinery `AsApproximateFloat64`).
    public var approximateDouble: Double {
        Double(mantissa) * Self.power10Double(exponent)
    }

    static func power10Double(_ exponent: Int) -> Double {
        Double("1e\(exponent)") ?? (exponent < 0 ? 0 : .infinity)
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { compare(lhs, rhs) < 0 }

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.mantissa == rhs.mantissa && lhs.exponent == rhs.exponent
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(mantissa)
        hasher.combine(exponent)
    }

    /// Three-way comparison by value.
    public static func compare(_ lhs: Quantity, _ rhs: Quantity) -> Int {
        if lhs.sign != rhs.sign { return lhs.sign < rhs.sign ? -1 : 1 }
        if lhs.sign == 0 { return 0 }
        // Same sign: compare magnitudes by number of integer digits first, then digit by digit.
        let left = lhs.mantissa.magnitude, right = rhs.mantissa.magnitude
        let leftDigits = String(left), rightDigits = String(right)
        let leftOrder = leftDigits.count + lhs.exponent, rightOrder = rightDigits.count + rhs.exponent
        var magnitudeOrder: Int
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

    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity? {
        let exponent = min(lhs.exponent, rhs.exponent)
        guard let a = lhs.mantissa.scaledUp(by: lhs.exponent - exponent),
              let b = rhs.mantissa.scaledUp(by: rhs.exponent - exponent) else { return nil }
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : Quantity(mantissa: sum, exponent: exponent, format: lhs.format)
    }
}

extension Int128 {
    static func power10(_ n: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<Swift.max(0, Swift.min(n, 38)) { result &*= 10 }
        return result
    }

    /// `self × 10^n`, or nil on overflow.
    func scaledUp(by n: Int) -> Int128? {
        guard n >= 0 else { return nil }
        guard n <= 38 else { return self == 0 ? 0 : nil }
        let (value, overflow) = multipliedReportingOverflow(by: Int128.power10(n))
        return overflow ? nil : value
    }
}
