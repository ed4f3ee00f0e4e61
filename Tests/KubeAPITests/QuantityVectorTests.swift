import Testing
@testable import KubeAPI

/// Input/expected pairs that apimachinery's own quantity tests check, run against this
/// implementation: parsed value and format, canonical strings, and the milli constructors.
@Suite struct QuantityVectorTests {
    typealias Expected = (mantissa: Int128, exponent: Int, format: Quantity.Format)

    @Test("Parsed value and format", arguments: [
        ("0n", (0, 0, .decimalSI)), ("0Ki", (0, 0, .binarySI)), ("0Mi", (0, 0, .binarySI)), ("0T", (0, 0, .decimalSI)),
        ("1Ki", (1024, 0, .binarySI)), ("7Mi", (7 * 1024 * 1024, 0, .binarySI)), ("3Ei", (3 << 60, 0, .binarySI)),
        ("100Ti", (100 << 40, 0, .binarySI)), ("5n", (5, -9, .decimalSI)), ("50k", (5, 4, .decimalSI)), ("300T", (3, 14, .decimalSI)),
        ("1E-3", (1, -3, .decimalExponent)), ("1E18", (1, 18, .decimalExponent)), ("100.035k", (100_035, 0, .decimalSI)),
        ("0.0005k", (5, -1, .decimalSI)), ("0.00050k", (5, -1, .decimalSI)), ("0.50000", (5, -1, .decimalSI)),
        ("0.5e-2", (5, -3, .decimalExponent)), ("10.035M", (10_035, 3, .decimalSI)), ("1.3E+6", (13, 5, .decimalExponent)),
        ("1.53E12", (153, 10, .decimalExponent)), ("1.7E18", (17, 17, .decimalExponent)), ("6.987654321G", (6_987_654_321, 0, .decimalSI)),
        ("1.01E", (101, 16, .decimalSI)), ("3.001n", (4, -9, .decimalSI)), ("1.1E-9", (2, -9, .decimalExponent)),
        ("0.0000000005", (1, -9, .decimalSI)), ("0.5e-9", (1, -9, .decimalExponent)), ("0.9n", (1, -9, .decimalSI)),
        ("0.00000012345", (124, -9, .decimalSI)), ("0.00000012354", (124, -9, .decimalSI)),
        ("9Ei", (Int128(Int64.max), 0, .binarySI)), ("9223372036854775807Ki", (Int128(Int64.max), 0, .binarySI)),
        ("12E", (12, 18, .decimalSI)), ("100.035Ki", (10_243_584, -2, .binarySI)), ("0.5Mi", (524_288, 0, .binarySI)),
        ("0.05Gi", (536_870_912, -1, .binarySI)), ("0.025Ti", (274_877_906_944, -1, .binarySI)),
        ("0.000000000001Ki", (2, -9, .decimalSI)), (".0001k", (100, -3, .decimalSI)), ("1.G", (1, 9, .decimalSI)),
    ] as [(String, Expected)])
    func parsed(text: String, expected: Expected) throws {
        for (prefix, sign) in [("", Int128(1)), ("+", 1), ("-", -1)] {
            let quantity = try Quantity(parsing: prefix + text)
            #expect(quantity == Quantity(mantissa: expected.mantissa * sign, exponent: expected.exponent), "\(prefix)\(text)")
            #expect(quantity.format == expected.format, "\(prefix)\(text)")
        }
    }

    @Test("Canonical strings of stored values, and their alternates", arguments: [
        (Quantity(mantissa: 1 << 30, exponent: 0, format: .binarySI), "1Gi", "1024Mi"),
        (Quantity(mantissa: 300 << 20, exponent: 0, format: .binarySI), "300Mi", "307200Ki"),
        (Quantity(mantissa: 1001 << 30, exponent: 0, format: .binarySI), "1001Gi", "1025024Mi"),
        (Quantity(mantissa: 5, exponent: 0, format: .binarySI), "5", "5000m"),
        (Quantity(mantissa: 500, exponent: -3, format: .binarySI), "500m", "0.5"),
        (Quantity(mantissa: 1000, exponent: 6), "1G", "0.001T"), (Quantity(mantissa: 1, exponent: -3), "1m", "1000u"),
        (Quantity(mantissa: 108, exponent: -2), "1080m", "1080000000n"), (Quantity(mantissa: 10800, exponent: -4), "1080m", "1.08"),
        (Quantity(mantissa: 1, exponent: 21), "1e21", "1000E"), (Quantity(mantissa: 5, exponent: 21), "5e21", "5000E"),
        (Quantity(mantissa: 1, exponent: 24), "1e24", "1000000E"), (Quantity(mantissa: 1_234_567, exponent: 6), "1234567M", ""),
        (Quantity(mantissa: 1_234_567, exponent: -3, format: .binarySI), "1234567m", ""),
        (Quantity(mantissa: 1025, exponent: 0, format: .binarySI), "1025", ""),
        (Quantity(mantissa: 1, exponent: 9, format: .decimalExponent), "1e9", ".001e12"),
        (Quantity(mantissa: 1, exponent: -3, format: .decimalExponent), "1e-3", "0.001e0"),
        (Quantity(mantissa: 1, exponent: -9, format: .decimalExponent), "1e-9", "1000e-12"),
        (Quantity(mantissa: 80, exponent: -3, format: .decimalExponent), "80e-3", ""),
        (Quantity(mantissa: 300, exponent: 6, format: .decimalExponent), "300e6", ""),
        (Quantity(mantissa: 0, exponent: 0, format: .decimalExponent), "0", "00"),
        (Quantity(mantissa: 10800, exponent: -10), "1080n", ""), (Quantity(mantissa: 1080, exponent: -6), "1080u", ""),
    ])
    func canonical(quantity: Quantity, expected: String, alternate: String) throws {
        #expect(quantity.description == expected)
        #expect(try Quantity(parsing: expected) == quantity)
        if !alternate.isEmpty {
            #expect(try Quantity(parsing: alternate).description == expected)
        }
        if !quantity.isZero {
            let negated = Quantity(mantissa: -quantity.mantissa, exponent: quantity.exponent, format: quantity.format)
            #expect(negated.description == "-" + expected)
        }
    }

    @Test("Parse and print", arguments: [
        ("1Ki", "1Ki"), ("1Mi", "1Mi"), ("1Gi", "1Gi"), ("1024Mi", "1Gi"), ("1000M", "1G"), (".001Ki", "1024m"),
        (".000001Ki", "1024u"), (".000000001Ki", "1024n"), (".000000000001Ki", "2n"),
    ])
    func parseAndPrint(text: String, expected: String) throws {
        #expect(try Quantity(parsing: text).description == expected)
        #expect(try Quantity(parsing: "-" + text).description == "-" + expected)
    }

    @Test("Malformed, as apimachinery rejects them", arguments: [
        "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 ",
    ])
    func malformed(text: String) {
        #expect(throws: InvalidValueError.self) { try Quantity(parsing: text) }
    }

    @Test("Constructors: NewQuantity and NewMilliQuantity", arguments: [
        (Quantity(1), "1"), (Quantity(1000), "1k"), (Quantity(1_234_000), "1234k"), (Quantity(1024, format: .binarySI), "1Ki"),
        (Quantity(1 << 20, format: .binarySI), "1Mi"), (Quantity(1_000_000, format: .decimalExponent), "1e6"),
        (Quantity.milli(1), "1m"), (Quantity.milli(1000), "1"), (Quantity.milli(1_234_000), "1234"),
        (Quantity.milli(1024, format: .binarySI), "1024m"), (Quantity.milli(1 << 20, format: .binarySI), "1048576m"),
        (Quantity.milli(1_000_000, format: .decimalExponent), "1e3"),
    ])
    func constructors(quantity: Quantity, expected: String) throws {
        #expect(quantity.description == expected)
        #expect(try Quantity(parsing: expected) == quantity)
    }

    @Test("JSON white space and bare numbers", arguments: [
        (#"" 1""#, "1"), (#""1 ""#, "1"), ("1", "1"), (" 1", "1"), ("1 ", "1"), ("10", "10"), ("-1", "-1"), (" -1", "-1"),
    ])
    func jsonWhitespace(json: String, expected: String) throws {
        #expect(try decodeJSON(json, as: Quantity.self).description == expected)
    }
}
