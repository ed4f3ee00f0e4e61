import Testing
@testable import KubeAPI

/// Parsing, `MilliValue`/`Value` rounding and saturation (hpa-behavior.md §2.1, §2.2).
@Suite struct QuantityParsingTests {
    @Test("MilliValue of every decimal SI suffix", arguments: [
        ("1n", Int64(1)), ("1000n", 1), ("1000000n", 1), ("1000001n", 2), ("429151n", 1),
        ("5u", 1), ("1000u", 1), ("1500u", 2), ("1m", 1), ("500m", 500), ("1", 1000), ("1.5", 1500),
        ("1k", 1_000_000), ("10k", 10_000_000), ("1M", 1_000_000_000), ("1G", 1_000_000_000_000),
        ("1T", 1_000_000_000_000_000), ("1P", 1_000_000_000_000_000_000), ("9P", 9_000_000_000_000_000_000),
        ("10P", Int64.max), ("1E", Int64.max), ("-1E", Int64.min), ("1.0001m", 2), ("0", 0),
    ])
    func decimalSuffixes(text: String, expected: Int64) throws {
        #expect(try Quantity(parsing: text).milliValue == expected)
    }

    @Test("MilliValue and Value of every binary SI suffix", arguments: [
        ("1Ki", Int64(1_024_000), Int64(1024)), ("100Mi", 104_857_600_000, 104_857_600),
        ("1Mi", 1_048_576_000, 1_048_576), ("1Gi", 1_073_741_824_000, 1_073_741_824),
        ("1Ti", 1_099_511_627_776_000, 1_099_511_627_776), ("1Pi", 1_125_899_906_842_624_000, 1_125_899_906_842_624),
        ("8Pi", 9_007_199_254_740_992_000, 9_007_199_254_740_992), ("1Ei", Int64.max, 1_152_921_504_606_846_976),
        ("13964Ki", 14_299_136_000, 14_299_136), ("1.5Ki", 1_536_000, 1536), ("0.5Ki", 512_000, 512),
        ("-1Ki", -1_024_000, -1024),
    ])
    func binarySuffixes(text: String, milli: Int64, value: Int64) throws {
        let quantity = try Quantity(parsing: text)
        #expect(quantity.milliValue == milli)
        #expect(quantity.value == value)
    }

    @Test("Exponent forms with both letters and signs", arguments: [
        ("1e3", Int64(1_000_000)), ("1E3", 1_000_000), ("1e+3", 1_000_000), ("1E+3", 1_000_000), ("1e-3", 1),
        ("1E-3", 1), ("1.5e-3", 2), ("-1e-3", -1), ("12e6", 12_000_000_000), ("1e0", 1000), ("5e-10", 1),
        ("1E-9", 1), ("-1.5e3", -1_500_000), ("0.5e1", 5000), ("1e15", 1_000_000_000_000_000_000), ("1e16", Int64.max), ("1e-1000", 1),
    ])
    func exponentForms(text: String, expected: Int64) throws {
        let quantity = try Quantity(parsing: text)
        #expect(quantity.milliValue == expected)
        #expect(quantity.format == .decimalExponent)
    }

    @Test("Number forms: .5, 1., signs, leading zeros, 1.G", arguments: [
        (".5", Int64(500)), ("1.", 1000), ("+1", 1000), ("-1", -1000), ("-.5", -500), ("+.5", 500),
        ("007", 7000), ("000.5", 500), ("-000.5", -500), ("1.G", 1_000_000_000_000), ("0.5", 500),
        ("00000000000000000000001", 1000), ("1.000000000000000000000", 1000),
    ])
    func numberForms(text: String, expected: Int64) throws {
        #expect(try Quantity(parsing: text).milliValue == expected)
    }

    @Test("Strings without digits are zero, as in apimachinery", arguments: [
        "0", "-0", "+0", "0.0", "000", "0n", "0Ki", "0e10", "-", "+", ".", "Ki", "m", "e3", "-.", "0.",
    ])
    func zeroForms(text: String) throws {
        let quantity = try Quantity(parsing: text)
        #expect(quantity.isZero)
        #expect(quantity.description == "0")
        #expect(quantity.milliValue == 0)
    }

    @Test("More than 18 digits takes the exact path")
    func manyDigits() throws {
        #expect(try Quantity(parsing: "1234567890123456789").value == 1_234_567_890_123_456_789)
        #expect(try Quantity(parsing: "12345678901234567890").value == Int64.max)
        #expect(try Quantity(parsing: "-12345678901234567890").value == Int64.min)
        #expect(try Quantity(parsing: "0.1234567890123456789").milliValue == 124)
        #expect(try Quantity(parsing: "1234567890.123456789").milliValue == 1_234_567_890_124)
        let big = try Quantity(parsing: "123456789012345678901234567890")
        #expect(big.description == "123456789012345678901234567890")
        #expect(try Quantity(parsing: "123456789012345678901234567891") > big)
        #expect(try Quantity(parsing: "123456789012345678901234567889.9") < big)
        #expect(try Quantity(parsing: "99999999999999999999999999999999999999").value == Int64.max)
    }

    @Test("Finer than nano rounds up, away from zero", arguments: [
        ("0.1n", "1n"), ("-0.1n", "-1n"), ("1.5n", "2n"), ("0.0000000001", "1n"), ("1.0000000001", "1000000001n"),
        ("0.9999999999", "1"), ("-0.9999999999", "-1"), ("0.0000000000000000000000000000000000000000001", "1n"),
        ("1.00000000000000000000000000000000000000000000000001", "1000000001n"), ("0.000000001", "1n"),
        ("0.1u", "100n"), ("0.0001u", "1n"), ("5e-10", "1e-9"), ("0.5n", "1n"),
    ])
    func nanoRounding(text: String, expected: String) throws {
        #expect(try Quantity(parsing: text).description == expected)
    }

    @Test("Binary values are capped at 2^63-1 in magnitude; small ones become DecimalSI")
    func binaryCap() throws {
        for text in ["8Ei", "9223372036854775807Ki", "100000Ei", "8192Pi", "8191.999999999999999999Pi"] {
            let quantity = try Quantity(parsing: text)
            #expect(quantity.value == Int64.max, "\(text)")
            #expect(quantity.description == "9223372036854775807", "\(text)")
        }
        let negative = try Quantity(parsing: "-8Ei")
        #expect(negative.value == -Int64.max)
        #expect(negative.description == "-9223372036854775807")
        #expect(try Quantity(parsing: "7Ei").value == 8_070_450_532_247_928_832)
        #expect(try Quantity(parsing: "7Ei").description == "7Ei")
        let tiny = try Quantity(parsing: "0.0001Ki")
        #expect(tiny.format == .decimalSI)
        #expect(tiny.description == "102400u")
        #expect(try Quantity(parsing: "0.0000000001Ki").description == "103n")
        #expect(try Quantity(parsing: "0.5Ki").format == .binarySI)
    }

    @Test("Malformed strings are errors naming the value", arguments: [
        "", "abc", "1x", "--1", "+-1", "1.2.3", "1e", "1E", "1i", "1K", "1 ", " 1", "1e1.5", "1ee3", "1Ki3", "1e-",
        "1e+", "1,5", "0x10", "1_000", "１", "∞", "NaN", "1Kii", "1-", "1e99999999999", "1e2147483648", "1mm",
        "1.5.5", "1\u{0}", "1e3e3",
    ])
    func rejectsMalformed(text: String) {
        if text == "1E" { #expect((try? Quantity(parsing: text)) != nil); return }
        #expect {
            try Quantity(parsing: text)
        } throws: { error in
            (error as? InvalidValueError).map { $0.kind == "quantity" && $0.value == text } ?? false
        }
    }

    @Test("Out-of-range values are errors, not traps", arguments: [
        "1e2147483647", "1e301", "123456789012345678901234567890123456789", "1e300",
        String(repeating: "9", count: 400), "-1e2147483647",
    ])
    func rejectsOutOfRange(text: String) {
        #expect(throws: InvalidValueError.self) { try Quantity(parsing: text) }
    }

    @Test("Saturation instead of apimachinery's 0 or wrap-around")
    func saturation() throws {
        #expect(try Quantity(parsing: "9223372036854775807m").milliValue == Int64.max)
        #expect(try Quantity(parsing: "9223372036854775.808").milliValue == Int64.max)
        #expect(try Quantity(parsing: "-9223372036854775808m").milliValue == Int64.min)
        #expect(try Quantity(parsing: "-10P").milliValue == Int64.min)
        let one = Quantity(1)
        #expect(one.scaledValue(Int.min) == Int64.max)
        #expect(one.scaledValue(Int.max) == 1)
        #expect(Quantity(-1).scaledValue(Int.max) == -1)
        #expect(Quantity(mantissa: .max, exponent: Int.max).value == Int64.max)
        #expect(Quantity(mantissa: .min, exponent: Int.min).description == "-1n")
        #expect(Quantity(mantissa: 15, exponent: -10).description == "2n")
    }

    @Test("JSON strings, numbers and white space")
    func jsonForms() throws {
        struct Box: Codable { var q: Quantity? }
        func decode(_ json: String) throws(DecodingProblem) -> Quantity? {
            let box = try decodeJSON(json, as: Box.self)
            return box.q
        }
        #expect(try decode(#"{"q":"100m"}"#) == Quantity.milli(100))
        #expect(try decode(#"{"q":" 100m\n"}"#) == Quantity.milli(100))
        #expect(try decode(#"{"q":1.5}"#) == Quantity.milli(1500))
        #expect(try decode(#"{"q":2}"#) == Quantity(2))
        #expect(try decode(#"{"q":1e3}"#) == Quantity(1000))
        #expect(try decode(#"{"q":null}"#) == nil)
        #expect(throws: DecodingProblem.self) { try decode(#"{"q":"1x"}"#) }
        #expect(throws: DecodingProblem.self) { try decode(#"{"q":true}"#) }
        #expect(throws: DecodingProblem.self) { try decode(#"{"q":[1]}"#) }
    }
}
