import Testing
@testable import KubeAPI

/// Canonical formatting (hpa-behavior.md §2.4), comparison, `approximateDouble` (§2.3) and `+`.
@Suite struct QuantityFormatTests {
    @Test("Canonical form of parsed quantities", arguments: [
        ("700m", "700m"), ("1000m", "1"), ("1500m", "1500m"), ("2000", "2k"), ("1200", "1200"), ("0", "0"),
        ("100Mi", "100Mi"), ("1.5Ki", "1536"), ("1e3", "1e3"), ("0.1n", "1n"), ("1536.5", "1536500m"),
        ("1000000000", "1G"), ("12e6", "12e6"), ("1E", "1E"), ("0.5", "500m"), ("-2k", "-2k"), ("0.1", "100m"),
        ("1000000u", "1"), ("1000k", "1M"), ("1024", "1024"), ("1000000000000000000", "1E"), ("10n", "10n"),
        ("100u", "100u"), ("1u", "1u"), ("1.5Gi", "1536Mi"), ("0.9Gi", "966367641600m"), ("1Ki", "1Ki"),
        ("1024Ki", "1Mi"), ("1023Ki", "1023Ki"), ("1000Ki", "1000Ki"), ("1Ei", "1Ei"), ("2048", "2048"),
        ("1000E", "1e21"), ("10000E", "10e21"), ("1e21", "1e21"), ("1.5e3", "1500"), ("1e-3", "1e-3"),
        ("0.5e-1", "50e-3"), ("1e-9", "1e-9"), ("100e-3", "100e-3"), ("1000e-3", "1"), ("-1e3", "-1e3"),
        ("12.345k", "12345"), ("0.000001", "1u"), ("1.1", "1100m"), ("+5", "5"), ("1.G", "1G"),
    ])
    func canonicalForm(text: String, expected: String) throws {
        let quantity = try Quantity(parsing: text)
        #expect(quantity.description == expected)
        // The canonical form parses back to the same value.
        #expect(try Quantity(parsing: quantity.description) == quantity)
    }

    @Test("Status quantities: milli values in DecimalSI and BinarySI (§2.4)", arguments: [
        (Int64(700), Quantity.Format.decimalSI, "700m"), (1000, .decimalSI, "1"), (1500, .decimalSI, "1500m"),
        (2_000_000, .decimalSI, "2k"), (1_200_000, .decimalSI, "1200"), (0, .decimalSI, "0"),
        (104_857_600_000, .binarySI, "100Mi"), (1_000_000_000_000, .binarySI, "1000000000"),
        (500_000, .binarySI, "500"), (1_536_500, .binarySI, "1536500m"), (1_023_000, .binarySI, "1023"),
        (1_024_000, .binarySI, "1Ki"), (-1_024_000, .binarySI, "-1Ki"), (-1_023_000, .binarySI, "-1023"),
        (1, .decimalSI, "1m"), (-370, .decimalSI, "-370m"), (Int64.max, .decimalSI, "9223372036854775807m"),
        (Int64.min, .decimalSI, "-9223372036854775808m"), (Int64.max, .binarySI, "9223372036854775807m"),
        (5_000, .decimalExponent, "5"), (5_500, .decimalExponent, "5500e-3"),
    ])
    func statusQuantity(milli: Int64, format: Quantity.Format, expected: String) {
        #expect(Quantity.milli(milli, format: format).description == expected)
    }

    @Test func comparesByValue() throws {
        let ordered = ["-1E", "-1Ki", "-1k", "-1", "-1n", "0", "1n", "0.5u", "1m", "1", "1000m", "1k", "1Ki", "1M", "1Mi", "1E",
                       "1Ei", "8Ei", "1e21", "123456789012345678901234567890"]
        let quantities = try ordered.map { try Quantity(parsing: $0) }
        for (i, a) in quantities.enumerated() {
            for (j, b) in quantities.enumerated() {
                let expected = Quantity.compare(a, b)
                #expect((a < b) == (expected < 0))
                if i < j { #expect(expected <= 0, "\(ordered[i]) vs \(ordered[j])") }
            }
        }
        #expect(try Quantity(parsing: "15") == Quantity(parsing: "15000m"))
        #expect(try Quantity(parsing: "1e3") == Quantity(parsing: "1k"))
        #expect(try Quantity(parsing: "0.1n") == Quantity(parsing: "1n"))
        #expect(try Quantity(parsing: "1") == Quantity(parsing: "1.000000000000000000000"))
        #expect(try Quantity(parsing: "1024") == Quantity(parsing: "1Ki"))
        #expect(try Set([Quantity(parsing: "1"), Quantity(parsing: "1000m"), Quantity(parsing: "1e0")]).count == 1)
        #expect(Quantity.milli(1000) == Quantity(1))
        #expect(Quantity.milli(1000).hashValue == Quantity(1).hashValue)
    }

    @Test("approximateDouble is bit-identical to apimachinery", arguments: [
        ("0.1", 0.1), ("0.05", 0.05), ("50m", 0.05), ("300m", 0.3), ("0.3", 0.30000000000000004), ("1.5", 1.5),
        ("0.15", 0.15), ("2", 2), ("1k", 1000), ("1Ki", 1024), ("100m", 0.1), ("1", 1), ("-0.1", -0.1), ("0", 0),
        ("0.6", 0.6000000000000001), ("600m", 0.6), ("1n", 1e-9), ("1e3", 1000), ("1e-3", 0.001), ("5%", .nan),
    ])
    func approximateDouble(text: String, expected: Double) throws {
        guard !expected.isNaN else {
            #expect(throws: InvalidValueError.self) { try Quantity(parsing: text) }
            return
        }
        #expect(try Quantity(parsing: text).approximateDouble.bitPattern == expected.bitPattern)
    }

    @Test func powersOfTenMatchGoTables() {
        for n in -22...22 {
            #expect(PowerOfTen.double(n) == Double("1e\(n)"), "10^\(n)")
        }
        #expect(PowerOfTen.double(308) == 1e308)
        #expect(PowerOfTen.double(309) == .infinity)
        #expect(PowerOfTen.double(-324) == 0)
        #expect(PowerOfTen.double(-320) > 0)
        #expect(Quantity.milli(1).approximateDouble == 0.001)
    }

    @Test func addition() throws {
        #expect(try (Quantity(parsing: "1") + Quantity(parsing: "500m")) == Quantity.milli(1500))
        let oneKi = try Quantity(parsing: "1Ki")
        let maybeSum = oneKi + oneKi
        let sum = try #require(maybeSum)
        #expect(sum.description == "2Ki")
        let maybeFromZero = Quantity.zero + oneKi
        let fromZero = try #require(maybeFromZero)
        #expect(fromZero.format == .binarySI)
        #expect(try (Quantity(parsing: "1") + Quantity(parsing: "-1"))?.isZero == true)
        #expect(try (Quantity(parsing: "1n") + Quantity(parsing: "1E"))?.description == "1000000000000000000000000001n")
        let huge = Quantity(mantissa: Int128.max / 2 + 1, exponent: 0)
        #expect(huge + huge == nil)
        #expect(Quantity(mantissa: 1, exponent: 300) + Quantity(1) == nil)
    }
}
