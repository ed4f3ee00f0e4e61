/// `metav1.Duration`: a Go duration string such as `30s`, `1m0s`, `34.475s` or `1h2m3.5s`.
///
/// Parsing follows Go's `time.ParseDuration`: an optional sign, then one or more
/// `<number><unit>` pairs (units `ns`, `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`; a number may be
/// `1`, `1.5`, `.5` or `1.`), or exactly `0`. The total is computed in integer nanoseconds; a
/// value beyond Go's range (about ±292 years) is an error, never a trap.
public struct GoDuration: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var seconds: Double

    public init(seconds: Double) { self.seconds = seconds }

    public static func < (lhs: GoDuration, rhs: GoDuration) -> Bool { lhs.seconds < rhs.seconds }

    /// Parses a Go duration string (see the type's documentation).
    public init(parsing text: String) throws(InvalidValueError) {
        let nanoseconds = try Self.parseNanoseconds(text)
        seconds = Double(nanoseconds) / 1e9
    }

    /// The duration in whole nanoseconds, rounded to nearest and clamped to the `Int64` range
    /// (non-finite values clamp by sign; NaN is zero).
    public var nanoseconds: Int64 {
        let value = (seconds * 1e9).rounded()
        if value.isNaN { return 0 }
        if value >= 9.223372036854775807e18 { return Int64.max }
        if value <= -9.223372036854775808e18 { return Int64.min }
        return Int64(value)
    }

    private static let units: [String: UInt64] = [
        "ns": 1, "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000, "ms": 1_000_000,
        "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    static func parseNanoseconds(_ text: String) throws(InvalidValueError) -> Int64 {
        func fail(_ reason: String) -> InvalidValueError {
            InvalidValueError(kind: "duration", value: text, reason: reason)
        }
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        if bytes.elementsEqual("0".utf8) { return 0 }
        guard !bytes.isEmpty else { throw fail("empty") }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        var total: UInt64 = 0
        while !bytes.isEmpty {
            // The whole part, exactly; overflow is an error.
            var whole: UInt64 = 0
            var sawDigits = false
            while let byte = bytes.first, isDigit(byte) {
                let (times10, overflowA) = whole.multipliedReportingOverflow(by: 10)
                let (next, overflowB) = times10.addingReportingOverflow(UInt64(byte - 48))
                guard !overflowA, !overflowB, next <= 1 << 63 else { throw fail("out of range") }
                whole = next
                sawDigits = true
                bytes = bytes.dropFirst()
            }
            // The fraction, as many digits as fit; the rest are ignored (as Go does).
            var fraction: UInt64 = 0
            var scale: Double = 1
            if bytes.first == UInt8(ascii: ".") {
                bytes = bytes.dropFirst()
                var overflowed = false
                while let byte = bytes.first, isDigit(byte) {
                    sawDigits = true
                    bytes = bytes.dropFirst()
                    if overflowed { continue }
                    if fraction > (1 << 63) / 10 { overflowed = true; continue }
                    let next = fraction * 10 + UInt64(byte - 48)
                    if next > 1 << 63 { overflowed = true; continue }
                    fraction = next
                    scale *= 10
                }
            }
            guard sawDigits else { throw fail("expected a number") }
            let unitBytes = bytes.prefix { $0 != UInt8(ascii: ".") && !isDigit($0) }
            bytes = bytes.dropFirst(unitBytes.count)
            guard !unitBytes.isEmpty else { throw fail("missing unit (ns, us, ms, s, m, h)") }
            let unitText = String(decoding: unitBytes, as: UTF8.self)
            guard let unit = units[unitText] else { throw fail("unknown unit \"\(unitText)\"") }
            let (scaled, overflowC) = whole.multipliedReportingOverflow(by: unit)
            guard !overflowC, scaled <= 1 << 63 else { throw fail("out of range") }
            var value = scaled
            if fraction > 0 {
                let extra = Double(fraction) * (Double(unit) / scale)
                guard extra < 9.3e18 else { throw fail("out of range") }
                let (sum, overflowD) = value.addingReportingOverflow(UInt64(extra))
                guard !overflowD, sum <= 1 << 63 else { throw fail("out of range") }
                value = sum
            }
            let (sum, overflowE) = total.addingReportingOverflow(value)
            guard !overflowE, sum <= 1 << 63 else { throw fail("out of range") }
            total = sum
        }
        if negative { return total == 1 << 63 ? Int64.min : -Int64(total) }
        guard total < 1 << 63 else { throw fail("out of range") }
        return Int64(total)
    }

    /// Go's canonical form: `1h2m3.5s`, `1m0s`, `30s`, `500ms`, `1.5µs`, `0s`.
    public var description: String {
        let nanoseconds = self.nanoseconds
        if nanoseconds == 0 { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        if magnitude < 1_000 { return "\(sign)\(magnitude)ns" }
        if magnitude < 1_000_000 { return sign + Self.decimal(magnitude, fractionDigits: 3) + "\u{00B5}s" }
        if magnitude < 1_000_000_000 { return sign + Self.decimal(magnitude, fractionDigits: 6) + "ms" }
        let hours = magnitude / 3_600_000_000_000
        let minutes = magnitude / 60_000_000_000 % 60
        var text = sign
        if hours > 0 { text += "\(hours)h" }
        if hours > 0 || minutes > 0 { text += "\(minutes)m" }
        return text + Self.decimal(magnitude % 60_000_000_000, fractionDigits: 9) + "s"
    }

    /// `value / 10^fractionDigits` with trailing fractional zeros (and a bare point) removed.
    private static func decimal(_ value: UInt64, fractionDigits: Int) -> String {
        var divisor: UInt64 = 1
        for _ in 0..<fractionDigits { divisor *= 10 }
        var fraction = String(value % divisor)
        fraction = String(repeating: "0", count: fractionDigits - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        return "\(value / divisor)" + (fraction.isEmpty ? "" : "." + fraction)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
