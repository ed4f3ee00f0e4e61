// Number and text formatting without Foundation's formatters (FoundationEssentials lacks them).
import Simulation

enum Format {
    /// `1234`, `12.5`, `0.33`: at most `decimals` decimals, trailing zeros dropped.
    static func number(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return value.isNaN ? "-" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        var text = String(rounded)
        if text.contains("e") { return text }
        if let dot = text.firstIndex(of: ".") {
            let decimalsPart = text[text.index(after: dot)...]
            if decimalsPart.count > decimals { text = String(text[..<text.index(dot, offsetBy: decimals + 1)]) }
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// Short form for axes and tables: `950`, `12k`, `1.5M`.
    static func short(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1e9 { return number(value / 1e9, decimals: 1) + "G" }
        if magnitude >= 1e6 { return number(value / 1e6, decimals: 1) + "M" }
        if magnitude >= 1e4 { return number(value / 1e3, decimals: 1) + "k" }
        return number(value, decimals: magnitude < 10 ? 2 : 1)
    }

    /// A step time: a clock time for daily scenarios, else a duration since the start.
    static func time(_ seconds: SimSeconds, clock: Bool) -> String {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return formatDuration(seconds) }
        if clock {
            let day = Int(seconds / LoadCurve.day)
            let s = Int(seconds.rounded(.down)) % 60
            let text = formatClock(seconds) + ":" + (s < 10 ? "0" : "") + String(s)
            return day > 0 ? "d\(day + 1) \(text)" : text
        }
        return formatDuration(seconds)
    }

    /// `cpu 85%/70%`, `queue 1.2k/30`.
    static func reading(_ reading: MetricReading) -> String {
        let current = reading.current.map { short($0) } ?? "?"
        return "\(reading.name) \(current)\(reading.unit)/\(short(reading.target))\(reading.unit)"
    }

    /// Left-aligned columns separated by three spaces, like kubectl.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                let isLast = index == cells.count - 1
                text += isLast ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 3)
            }
            return text
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// A CSV cell, quoted when it needs to be.
    static func csv(_ cell: String) -> String {
        guard cell.contains(",") || cell.contains("\"") || cell.contains("\n") else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[rest.startIndex..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
