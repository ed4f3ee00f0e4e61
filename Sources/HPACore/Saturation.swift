/// Saturating numeric conversions used wherever upstream converts a `float64` replica count to
/// `int32` (PR #141397 `ceilToInt32`) or does int64 arithmetic on values from outside.
/// Swift traps on out-of-range conversions; these helpers never do.
public enum Saturating {
    /// `ceil(value)` as `Int32`, saturating at `Int32.min` / `Int32.max` (infinities included).
    /// NaN — which upstream leaves unspecified — maps to `nanFallback` (callers pass "no change").
    public static func ceilToInt32(_ value: Double, nanFallback: Int32 = 0) -> Int32 {
        if value.isNaN { return nanFallback }
        return int32(value.rounded(.up), nanFallback: nanFallback)
    }

    /// Truncation toward zero as `Int32`, saturating (Go's `int32(x)` without the amd64 wrap-around).
    public static func int32(_ value: Double, nanFallback: Int32 = 0) -> Int32 {
        if value.isNaN { return nanFallback }
        if value >= 2147483647.0 { return .max }
        if value <= -2147483648.0 { return .min }
        return Int32(value.rounded(.towardZero))
    }

    /// Truncation toward zero as `Int64`, saturating.
    public static func int64(_ value: Double, nanFallback: Int64 = 0) -> Int64 {
        if value.isNaN { return nanFallback }
        if value >= 9223372036854775807.0 { return .max }
        if value <= -9223372036854775808.0 { return .min }
        return Int64(value.rounded(.towardZero))
    }

    /// `Int64` narrowed to `Int32`, saturating.
    public static func int32(_ value: Int64) -> Int32 {
        if value > Int64(Int32.max) { return .max }
        if value < Int64(Int32.min) { return .min }
        return Int32(value)
    }

    public static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if !overflow { return sum }
        return b > 0 ? .max : .min
    }

    public static func multiply(_ a: Int64, _ b: Int64) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if !overflow { return product }
        return (a < 0) == (b < 0) ? .max : .min
    }

    /// Truncating division that never traps (`Int64.min / -1` saturates; division by zero gives 0).
    public static func divide(_ a: Int64, _ b: Int64) -> Int64 {
        if b == 0 { return 0 }
        let (quotient, overflow) = a.dividedReportingOverflow(by: b)
        return overflow ? .max : quotient
    }

    public static func add(_ a: Int32, _ b: Int32) -> Int32 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if !overflow { return sum }
        return b > 0 ? .max : .min
    }

    public static func subtract(_ a: Int32, _ b: Int32) -> Int32 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        if !overflow { return difference }
        return b < 0 ? .max : .min
    }

    /// Per-pod average of a total, rounded up (upstream `getPerPodUsage`): 0 when `replicas` is 0,
    /// `Int64.max` when the quotient reaches it.
    public static func perPodUsage(total: Int64, replicas: Int32) -> Int64 {
        if replicas == 0 { return 0 }
        let perPod = (Double(total) / Double(replicas)).rounded(.up)
        return int64(perPod)
    }
}
