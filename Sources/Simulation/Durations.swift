// Parsing durations and plain numbers written by people ("15s", "5m", "1h30m", "250ms", "90").

/// Reads a duration as Go and kubectl write them: a sequence of number+unit pairs with units
/// `ms`, `s`, `m`, `h` (e.g. `1h30m`, `2.5s`, `250ms`), or a plain non-negative number of seconds.
/// Returns nil for anything else (empty text, unknown units, negative or non-finite values).
public func parseDuration(_ text: String) -> SimSeconds? {
    let trimmed = text.trimmingWhitespace()
    if trimmed.isEmpty { return nil }
    if let plain = Double(trimmed) { return plain.isFinite && plain >= 0 ? plain : nil }
    var total: Double = 0
    var rest = Substring(trimmed)
    while !rest.isEmpty {
        let numberEnd = rest.firstIndex { !($0.isNumber || $0 == ".") } ?? rest.endIndex
        guard numberEnd != rest.startIndex, let number = Double(rest[rest.startIndex..<numberEnd]) else { return nil }
        rest = rest[numberEnd...]
        let unitEnd = rest.firstIndex { $0.isNumber || $0 == "." } ?? rest.endIndex
        let unit = rest[rest.startIndex..<unitEnd]
        rest = rest[unitEnd...]
        switch unit {
        case "ms": total += number / 1000
        case "s": total += number
        case "m": total += number * 60
        case "h": total += number * 3600
        default: return nil
        }
    }
    return total.isFinite ? total : nil
}

/// Formats seconds for tables and axes: `0s`, `45s`, `2m30s`, `1h05m`, `26h`.
public func formatDuration(_ seconds: SimSeconds) -> String {
    guard seconds.isFinite, abs(seconds) < 1e15 else { return seconds.isNaN ? "-" : "\(seconds)s" }
    let negative = seconds < 0
    let total = Int((abs(seconds)).rounded())
    let h = total / 3600, m = (total % 3600) / 60, s = total % 60
    var text: String
    if h > 0 {
        text = m == 0 && s == 0 ? "\(h)h" : (s == 0 ? "\(h)h\(m < 10 ? "0" : "")\(m)m" : "\(h)h\(m < 10 ? "0" : "")\(m)m\(s < 10 ? "0" : "")\(s)s")
    } else if m > 0 {
        text = s == 0 ? "\(m)m" : "\(m)m\(s < 10 ? "0" : "")\(s)s"
    } else {
        text = "\(s)s"
    }
    if negative { text = "-" + text }
    return text
}

/// Formats seconds since midnight as a clock time `HH:MM` (days wrap).
public func formatClock(_ seconds: SimSeconds) -> String {
    guard seconds.isFinite, abs(seconds) < 1e15 else { return "-" }
    let total = Int(seconds.rounded(.down))
    let minutes = ((total / 60) % 1440 + 1440) % 1440
    let h = minutes / 60, m = minutes % 60
    return "\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
}

/// Reads a clock time `HH:MM` or `HH:MM:SS` as seconds since midnight; nil when malformed.
public func parseClock(_ text: String) -> SimSeconds? {
    let parts = text.trimmingWhitespace().split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 || parts.count == 3 else { return nil }
    var numbers: [Int] = []
    for part in parts {
        guard !part.isEmpty, part.count <= 2, let n = Int(part) else { return nil }
        numbers.append(n)
    }
    guard numbers[0] <= 24, numbers[1] < 60, numbers.count < 3 || numbers[2] < 60 else { return nil }
    let seconds = numbers[0] * 3600 + numbers[1] * 60 + (numbers.count == 3 ? numbers[2] : 0)
    return seconds <= 86_400 ? Double(seconds) : nil
}

/// Reads a Kubernetes quantity (`500m`, `1.5`, `2k`, `512Mi`, `1e3`) as a Double; nil when malformed.
/// Enough for load values and resource amounts in scenario files; the controller's exact integer
/// arithmetic uses KubeAPI's `Quantity`.
public func parseQuantityValue(_ text: String) -> Double? {
    let trimmed = text.trimmingWhitespace()
    let suffixes: [(String, Double)] = [
        ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
        ("Pi", 1_125_899_906_842_624), ("Ei", 1_152_921_504_606_846_976),
        ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18),
    ]
    for (suffix, factor) in suffixes where trimmed.hasSuffix(suffix) {
        let number = trimmed.dropLast(suffix.count)
        guard !number.isEmpty, !number.contains("e"), !number.contains("E"), let value = Double(number), value.isFinite else { return nil }
        return value * factor
    }
    guard let value = Double(trimmed), value.isFinite else { return nil }
    return value
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
