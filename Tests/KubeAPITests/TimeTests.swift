import Foundation
import Testing
@testable import KubeAPI

/// `metav1.Time`, `metav1.MicroTime` and `metav1.Duration` (kubernetes-wire.md B0).
@Suite struct TimeTests {
    @Test("RFC 3339 inputs: seconds, fractions, offsets; printed in UTC seconds", arguments: [
        ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"), ("2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00Z"),
        ("2026-01-01T00:00:00.999Z", "2026-01-01T00:00:00Z"), ("2026-01-01T05:30:00+05:30", "2026-01-01T00:00:00Z"),
        ("2025-12-31T19:00:00-05:00", "2026-01-01T00:00:00Z"), ("2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00Z"),
        ("2026-01-01t00:00:00z", "2026-01-01T00:00:00Z"), ("2026-01-01 00:00:00Z", "2026-01-01T00:00:00Z"),
        ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"), ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"), ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
        ("2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z"), ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
        ("2026-01-01T00:00:00.000000000000000000001Z", "2026-01-01T00:00:00Z"),
    ])
    func kubeTime(text: String, expected: String) throws {
        let time = try KubeTime(parsing: text)
        #expect(time.description == expected)
        #expect(try KubeTime(parsing: time.description) == KubeTime(parsing: expected))
    }

    @Test("MicroTime prints six digits", arguments: [
        ("2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:00.000000Z"), ("2026-01-01T00:05:02.123456Z", "2026-01-01T00:05:02.123456Z"),
        ("2026-01-01T00:05:02Z", "2026-01-01T00:05:02.000000Z"), ("2026-01-01T00:05:02.1Z", "2026-01-01T00:05:02.100000Z"),
        ("2026-01-01T01:05:02.999999+01:00", "2026-01-01T00:05:02.999999Z"), ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000Z"),
        ("2038-01-19T03:14:08.000001Z", "2038-01-19T03:14:08.000001Z"),
    ])
    func microTime(text: String, expected: String) throws {
        #expect(try MicroTime(parsing: text).description == expected)
    }

    @Test("Go's zero time round-trips in JSON")
    func zeroTime() throws {
        struct Box: Codable { var t: KubeTime; var m: MicroTime }
        let json = #"{"t":"0001-01-01T00:00:00Z","m":"0001-01-01T00:00:00.000000Z"}"#
        let box = try decodeJSON(json, as: Box.self)
        #expect(try jsonTree(of: box) == jsonTree(json))
        #expect(box.t.date.timeIntervalSince1970 == -62_135_596_800)
    }

    @Test("Out-of-range dates print as the zero time instead of trapping")
    func unprintableDates() {
        #expect(KubeTime(Date(timeIntervalSince1970: .infinity)).description == "0001-01-01T00:00:00Z")
        #expect(KubeTime(Date(timeIntervalSince1970: .nan)).description == "0001-01-01T00:00:00Z")
        #expect(KubeTime(Date(timeIntervalSince1970: 1e300)).description == "0001-01-01T00:00:00Z")
        #expect(MicroTime(Date(timeIntervalSince1970: -1e300)).description == "0001-01-01T00:00:00.000000Z")
    }

    @Test("Malformed times are errors naming the value", arguments: [
        "", "2026", "2026-01-01", "2026-01-01T00:00:00", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-00-10T00:00:00Z", "2026-01-32T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:60Z", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+0100", "2026-01-01T00:00:00.Z",
        "2026-01-01T00:00:00Zjunk", "2026-1-01T00:00:00Z", "２０２６-01-01T00:00:00Z", "2026-01-01X00:00:00Z",
        "-2026-01-01T00:00:00Z", "2026-01-01T00:00:00 Z", "null",
    ])
    func rejectsMalformed(text: String) {
        #expect {
            try KubeTime(parsing: text)
        } throws: { error in
            (error as? InvalidValueError).map { $0.kind == "time" && $0.value == text } ?? false
        }
    }

    @Test("Go durations parse to exact nanoseconds", arguments: [
        ("30s", Int64(30_000_000_000)), ("1m0s", 60_000_000_000), ("34.475s", 34_475_000_000), ("1h2m3.5s", 3_723_500_000_000),
        ("15.012s", 15_012_000_000), ("1.5h", 5_400_000_000_000), (".5s", 500_000_000), ("1.s", 1_000_000_000), ("+5s", 5_000_000_000),
        ("-5s", -5_000_000_000), ("0", 0), ("-0", 0), ("+0", 0), ("1us", 1_000), ("1\u{00B5}s", 1_000), ("1\u{03BC}s", 1_000),
        ("100ns", 100), ("2ms", 2_000_000), ("1h1h", 7_200_000_000_000), ("0s", 0), ("0.0000000000000000000000000001s", 0),
        ("1.00000000000000000001s", 1_000_000_000), ("2562047h", 9_223_369_200_000_000_000),
        ("-9223372036854775808ns", Int64.min), ("9223372036854775807ns", Int64.max), ("1.5ns", 1), ("001s", 1_000_000_000),
    ])
    func durations(text: String, nanoseconds: Int64) throws {
        #expect(try GoDuration.parseNanoseconds(text) == nanoseconds)
        _ = try GoDuration(parsing: text)
    }

    @Test("Malformed or out-of-range durations are errors", arguments: [
        "", "-", "+", "s", "5", "1x", "1.5", ".s", "1s2", "1 s", "1S", "9223372036854775808ns", "2562048h",
        "99999999999999999999h", "1h-2m", "--1s", "1e3s", "NaN", "inf", "1,5s", "١s", "9223372036854775807s",
        String(repeating: "9", count: 400) + "s",
    ])
    func rejectsMalformedDurations(text: String) {
        #expect {
            try GoDuration(parsing: text)
        } throws: { error in
            (error as? InvalidValueError).map { $0.kind == "duration" && $0.value == text } ?? false
        }
    }

    @Test("Durations print as Go does", arguments: [
        (0.0, "0s"), (1e-9, "1ns"), (1.5e-6, "1.5\u{00B5}s"), (0.0015, "1.5ms"), (1, "1s"), (60, "1m0s"),
        (3723.5, "1h2m3.5s"), (15.012, "15.012s"), (-1.5, "-1.5s"), (3600, "1h0m0s"), (0.5, "500ms"),
        (34.475, "34.475s"), (.infinity, "2562047h47m16.854775807s"), (-.infinity, "-2562047h47m16.854775808s"),
        (.nan, "0s"), (1e30, "2562047h47m16.854775807s"),
    ])
    func durationDescription(seconds: Double, expected: String) throws {
        let duration = GoDuration(seconds: seconds)
        #expect(duration.description == expected)
        if seconds.isFinite, abs(seconds) < 1e9 {
            #expect(try GoDuration(parsing: duration.description).nanoseconds == duration.nanoseconds)
        }
    }
}
