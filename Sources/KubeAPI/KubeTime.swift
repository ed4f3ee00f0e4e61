#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A problem with a textual API value (time, duration, quantity, selector): names the value and
/// what is wrong with it. Decoding wraps it with the JSON path of the field.
public struct InvalidValueError: Error, Sendable, Hashable, CustomStringConvertible {
    public var kind: String
    public var value: String
    public var reason: String

    public init(kind: String, value: String, reason: String) {
        self.kind = kind
        self.value = value
        self.reason = reason
    }

    public var description: String { "invalid \(kind) \"\(value)\": \(reason)" }
}

/// What ``KubeTime`` and ``MicroTime`` share: a `Date` that travels as an RFC 3339 string in UTC
/// with a fixed number of fractional-second digits. Conforming types supply only those digits;
/// parsing, ordering, `description` and the JSON coding come from here.
public protocol RFC3339Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Fractional-second digits written on the wire (parsing accepts any number).
    static var fractionDigits: Int { get }
    var date: Date { get }
    init(_ date: Date)
}

extension RFC3339Timestamp {
    /// Parses RFC 3339 with any number of fractional digits and a `Z` or `±hh:mm` zone.
    public init(parsing text: String) throws(InvalidValueError) {
        self.init(try RFC3339.parse(text))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.date < rhs.date }

    public var description: String { RFC3339.format(date, fractionDigits: Self.fractionDigits) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { self.init(try RFC3339.parse(text)) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// `metav1.Time`: RFC 3339 in UTC with whole seconds on the wire (`2026-01-01T00:00:00Z`).
/// Parsing accepts fractional seconds and numeric offsets too.
public struct KubeTime: RFC3339Timestamp {
    public static let fractionDigits = 0
    public var date: Date
    public init(_ date: Date) { self.date = date }
}

/// `metav1.MicroTime`: RFC 3339 in UTC with exactly six fractional digits on the wire.
/// (`Date` holds about a tenth of a microsecond at today's dates, so the sixth digit is rounded.)
public struct MicroTime: RFC3339Timestamp {
    public static let fractionDigits = 6
    public var date: Date
    public init(_ date: Date) { self.date = date }
}

/// RFC 3339 without Calendar or ICU: proleptic Gregorian arithmetic on days since 1970.
/// Only the calendar conversion is public, for other timestamp formats (log lines).
public enum RFC3339 {
    static func parse(_ text: String) throws(InvalidValueError) -> Date {
        func fail(_ reason: String) -> InvalidValueError {
            InvalidValueError(kind: "time", value: text, reason: reason)
        }
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) throws(InvalidValueError) -> Int {
            guard index + width <= bytes.count else { throw fail("too short; expected 2006-01-02T15:04:05Z") }
            var value = 0
            for byte in bytes[index..<index + width] {
                guard byte >= 48, byte <= 57 else { throw fail("expected a digit at offset \(index)") }
                value = value * 10 + Int(byte - 48)
            }
            index += width
            return value
        }
        func expect(_ characters: String) throws(InvalidValueError) {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else {
                throw fail("expected '\(characters.prefix(1))' at offset \(index)")
            }
            index += 1
        }
        let year = try number(4); try expect("-")
        let month = try number(2); try expect("-")
        let day = try number(2); try expect("Tt ")
        let hour = try number(2); try expect(":")
        let minute = try number(2); try expect(":")
        let second = try number(2)
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60 else { throw fail("field out of range") }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { throw fail("empty fraction of a second") }
        }
        var offset = 0
        guard index < bytes.count else { throw fail("missing time zone (Z or ±hh:mm)") }
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            let hours = try number(2); try expect(":")
            let minutes = try number(2)
            guard hours < 24, minutes < 60 else { throw fail("time zone offset out of range") }
            offset = sign * (hours * 3600 + minutes * 60)
        default:
            throw fail("expected Z or ±hh:mm at offset \(index)")
        }
        guard index == bytes.count else { throw fail("unexpected text after the time zone") }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    static func format(_ date: Date, fractionDigits: Int) -> String {
        let interval = date.timeIntervalSince1970
        // Years 0000…9999 only (Go refuses others); anything else prints as Go's zero time.
        guard interval.isFinite, interval >= -62_167_219_200, interval < 253_402_300_800 else {
            return fractionDigits > 0 ? "0001-01-01T00:00:00." + String(repeating: "0", count: fractionDigits) + "Z"
                : "0001-01-01T00:00:00Z"
        }
        var whole = Int(interval.rounded(.down))
        var micros = Int(((interval - Double(whole)) * 1_000_000).rounded())
        if micros >= 1_000_000 { whole += 1; micros -= 1_000_000 }
        let days = Int((Double(whole) / 86_400).rounded(.down))
        let secondsOfDay = whole - days * 86_400
        let (year, month, day) = civilFromDays(days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
            + pad(secondsOfDay / 3600, 2) + ":" + pad(secondsOfDay / 60 % 60, 2) + ":" + pad(secondsOfDay % 60, 2)
        if fractionDigits > 0 {
            text += "." + String(pad(micros, 6).prefix(fractionDigits))
        }
        return text + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Year, month (1–12) and day of the proleptic Gregorian date `days` after 1970-01-01
    /// (Howard Hinnant's algorithm).
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
