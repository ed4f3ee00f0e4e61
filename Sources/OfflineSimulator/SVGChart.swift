// The comparison chart: load and replicas over time on a shared time axis, the pods the demand
// needs at the target, markers where a policy, window or bound limited a step, and a second panel
// with the first metric against its target line. Pure: result in, SVG text out.
import Simulation

public enum SVGChart {
    static let palette = ["#1f6fb4", "#d62728", "#2ca02c", "#9467bd", "#e07b00", "#17becf"]
    static let width = 1000.0
    static let left = 84.0, right = 84.0
    static let fontSize = 12.0
    /// Approximate advance of one character at `fontSize` (sans-serif), for layout without overlap.
    static let charWidth = 7.0

    /// What a marker says: which kind of limit changed the step.
    enum Limit: String, CaseIterable {
        case policy = "rate policy (ScaleUpLimit/ScaleDownLimit)"
        case window = "stabilization window (Scale*Stabilized)"
        case bound = "min/max bound (TooMany/TooFewReplicas)"

        init?(reason: String) {
            switch reason {
            case "ScaleUpLimit", "ScaleDownLimit": self = .policy
            case "ScaleDownStabilized", "ScaleUpStabilized": self = .window
            case "TooManyReplicas", "TooFewReplicas": self = .bound
            default: return nil
            }
        }

        /// The marker at (x, y). `scale` shrinks the markers of later variants so that markers of
        /// different variants at the same spot nest instead of hiding each other.
        func shape(x: Double, y: Double, color: String, scale: Double = 1) -> String {
            let r = 5.5 * scale
            switch self {
            case .policy:
                return "<path d=\"M\(f(x)),\(f(y - r * 1.1)) L\(f(x + r)),\(f(y + r * 0.75)) L\(f(x - r)),\(f(y + r * 0.75)) Z\" fill=\"\(color)\" stroke=\"#000\" stroke-width=\"0.6\"/>"
            case .window:
                return "<rect x=\"\(f(x - r * 0.85))\" y=\"\(f(y - r * 0.85))\" width=\"\(f(r * 1.7))\" height=\"\(f(r * 1.7))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            case .bound:
                return "<path d=\"M\(f(x)),\(f(y - r * 1.1)) L\(f(x + r * 1.1)),\(f(y)) L\(f(x)),\(f(y + r * 1.1)) L\(f(x - r * 1.1)),\(f(y)) Z\" fill=\"#000\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
            }
        }

        static func scale(forVariant index: Int) -> Double { max(0.55, 1.3 - 0.35 * Double(index)) }
    }

    /// Renders the chart of `result`.
    public static func render(_ result: SimulationResult) -> String {
        let scenario = result.scenario
        let duration = max(scenario.duration, 1)
        let plotWidth = width - left - right
        func x(_ t: SimSeconds) -> Double { left + plotWidth * min(max(t / duration, 0), 1) }

        // Legend entries, wrapped into lines that fit.
        var legend: [(swatch: String, label: String)] = []
        let unit = scenario.load.unit.isEmpty ? "" : " (\(scenario.load.unit))"
        legend.append(("area", "load\(unit), left axis"))
        for (index, run) in result.runs.enumerated() {
            legend.append(("line:\(palette[index % palette.count])", "replicas: \(run.name)"))
        }
        let yardsticks = result.runs.map { DemandYardstick(scenario: scenario, hpa: $0.hpa) }
        let showNeeded = yardsticks.first?.isMeasurable ?? false
        if showNeeded { legend.append(("dash", "pods needed at target, right axis")) }
        let usedLimits = Limit.allCases.filter { limit in result.runs.contains { $0.rows.contains { Limit(reason: $0.limitedBy) == limit } } }
        for limit in usedLimits { legend.append(("marker:\(limit.rawValue)", "limited by \(limit.rawValue)")) }
        var legendLines: [[(String, String, Double)]] = [[]]
        var lineWidth = 0.0
        for (swatch, label) in legend {
            let itemWidth = 26 + Double(label.count) * charWidth + 18
            if lineWidth + itemWidth > width - 2 * 24, !(legendLines.last?.isEmpty ?? true) {
                legendLines.append([])
                lineWidth = 0
            }
            legendLines[legendLines.count - 1].append((swatch, label, lineWidth))
            lineWidth += itemWidth
        }
        let top = 52 + Double(legendLines.count) * 20 + 14
        let mainHeight = 300.0
        let gap = 62.0
        let metricHeight = 140.0
        let metricTop = top + mainHeight + gap
        let height = metricTop + metricHeight + 58

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\" font-size=\"\(f(fontSize))\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        svg += text(left, 24, escape(scenario.name), size: 16, weight: "bold")
        let subtitle = "sync period \(formatDuration(scenario.settings.syncPeriod)) · tolerance \(Format.number(scenario.settings.tolerance)) · \(formatDuration(scenario.duration)) simulated · \(result.runs.count) variant\(result.runs.count == 1 ? "" : "s")"
        svg += text(left, 42, escape(subtitle), color: "#555")
        for (lineIndex, line) in legendLines.enumerated() {
            let y = 52 + Double(lineIndex) * 20 + 10
            for (swatch, label, offset) in line {
                let x0 = 24 + offset
                svg += legendSwatch(swatch, x: x0, y: y)
                svg += text(x0 + 26, y + 4, escape(label))
            }
        }

        // Main panel: load on the left axis, replicas on the right axis.
        let maxLoad = max(result.runs.first?.rows.map(\.load).max() ?? 0, 0)
        let loadTicks = ChartAxes.valueTicks(maximum: maxLoad * 1.06)
        let loadTop = loadTicks.last ?? 1
        var maxPods = result.runs.flatMap { $0.rows.map(\.replicas) }.max() ?? 1
        maxPods = max(maxPods, result.runs.map { Int($0.hpa.spec.maxReplicas) }.max() ?? 1)
        var needed: [(SimSeconds, Double)] = []
        if showNeeded, let first = result.runs.first, let yardstick = yardsticks.first {
            needed = first.rows.compactMap { row in yardstick.demandPods(at: row.time, ready: row.readyReplicas).map { (row.time, $0) } }
            // The axis follows the needed pods up to twice the largest maxReplicas; beyond that the
            // dashed line runs along the top edge (clipped), so an absurd demand cannot squash the chart.
            let neededTop = min(needed.map(\.1).max() ?? 0, 2 * Double(maxPods))
            maxPods = max(maxPods, neededTop.isFinite ? Int(neededTop.rounded(.up)) : maxPods)
        }
        let podTicks = ChartAxes.replicaTicks(maximum: Int((Double(maxPods) * 1.06).rounded(.up)))
        let podTop = podTicks.last ?? 1
        func yLoad(_ v: Double) -> Double { top + mainHeight * (1 - min(max(v / loadTop, 0), 1)) }
        func yPods(_ v: Double) -> Double { top + mainHeight * (1 - min(max(v / podTop, 0), 1)) }

        svg += grid(ticks: loadTicks.map(yLoad), plotWidth: plotWidth)
        svg += timeAxis(duration: duration, clock: scenario.clockAxis, x: x, yTop: top, yBottom: top + mainHeight, labels: false)
        // Load area.
        if let rows = result.runs.first?.rows, !rows.isEmpty {
            var path = "M\(f(x(rows[0].time))),\(f(yLoad(0)))"
            for row in rows { path += " L\(f(x(row.time))),\(f(yLoad(row.load)))" }
            path += " L\(f(x(duration))),\(f(yLoad(rows[rows.count - 1].load))) L\(f(x(duration))),\(f(yLoad(0))) Z"
            svg += "<path d=\"\(path)\" fill=\"#b8b8b8\" fill-opacity=\"0.45\" stroke=\"#8a8a8a\" stroke-width=\"1\"/>\n"
        }
        if !needed.isEmpty {
            svg += "<polyline points=\"\(needed.map { "\(f(x($0.0))),\(f(yPods($0.1)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"#444\" stroke-width=\"1.2\" stroke-dasharray=\"5,4\"/>\n"
        }
        for (index, run) in result.runs.enumerated() {
            let color = palette[index % palette.count]
            svg += stepLine(run.rows.map { ($0.time, Double($0.replicas)) }, end: duration, x: x, y: yPods, color: color,
                            width: 2.2, dash: dashPattern(forVariant: index))
            var previous = "DesiredWithinRange"
            for row in run.rows {
                if row.limitedBy != previous, let limit = Limit(reason: row.limitedBy) {
                    svg += limit.shape(x: x(row.time), y: yPods(Double(row.replicas)), color: color, scale: Limit.scale(forVariant: index)) + "\n"
                }
                previous = row.limitedBy
            }
        }
        svg += frame(y: top, height: mainHeight, plotWidth: plotWidth)
        svg += axisLabels(ticks: loadTicks, y: yLoad, side: .left, format: Format.short)
        svg += axisLabels(ticks: podTicks, y: yPods, side: .right, format: { Format.number($0, decimals: 0) })
        svg += rotated(16, top + mainHeight / 2, escape("load\(unit)"), angle: -90)
        svg += rotated(width - 14, top + mainHeight / 2, "replicas (pods)", angle: 90)

        // Metric panel: the first metric of each variant against its target.
        let metricRows = result.runs.map { run in run.rows.compactMap { row in row.metrics.first.flatMap { m in m.current.map { (row.time, $0, m) } } } }
        let firstReading = metricRows.lazy.compactMap { $0.first?.2 }.first
        if let reading = firstReading {
            let maxMetric = max((metricRows.flatMap { $0.map(\.1) }.max() ?? 0) * 1.06, reading.target * 1.5)
            let metricTicks = ChartAxes.valueTicks(maximum: maxMetric, count: 3)
            let metricTopValue = metricTicks.last ?? 1
            func yMetric(_ v: Double) -> Double { metricTop + metricHeight * (1 - min(max(v / metricTopValue, 0), 1)) }
            svg += grid(ticks: metricTicks.map(yMetric), plotWidth: plotWidth)
            svg += timeAxis(duration: duration, clock: scenario.clockAxis, x: x, yTop: metricTop, yBottom: metricTop + metricHeight, labels: true)
            for (index, rows) in metricRows.enumerated() where !rows.isEmpty {
                svg += stepLine(rows.map { ($0.0, $0.1) }, end: duration, x: x, y: yMetric, color: palette[index % palette.count],
                                width: 1.4, dash: dashPattern(forVariant: index))
            }
            let yTarget = yMetric(reading.target)
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(yTarget))\" x2=\"\(f(width - right))\" y2=\"\(f(yTarget))\" stroke=\"#000\" stroke-width=\"1.4\" stroke-dasharray=\"8,4\"/>\n"
            let targetLabel = "target \(Format.short(reading.target))\(reading.unit)"
            svg += text(width - right + 6, yTarget + 4, escape(targetLabel), size: 11, color: "#000")
            svg += frame(y: metricTop, height: metricHeight, plotWidth: plotWidth)
            svg += axisLabels(ticks: metricTicks, y: yMetric, side: .left, format: Format.short, skipNear: yTarget)
            var metricUnit = reading.unit == "%" ? " (% of request)" : (reading.unit.isEmpty ? "" : " (\(reading.unit))")
            if reading.targetType == "AverageValue" && reading.unit != "%" {
                metricUnit = reading.unit.isEmpty ? " (average per pod)" : " (\(reading.unit), average per pod)"
            }
            svg += text(left, metricTop - 8, escape("\(reading.name)\(metricUnit) vs target, per variant"), weight: "bold")
        } else {
            svg += timeAxis(duration: duration, clock: scenario.clockAxis, x: x, yTop: top, yBottom: top + mainHeight, labels: true)
        }
        let timeLabel = scenario.clockAxis ? "time of day (HH:MM)" : "time since start"
        svg += text(left + plotWidth / 2, height - 14, timeLabel, anchor: "middle")
        svg += "</svg>\n"
        return svg
    }

    // MARK: - pieces

    enum Side { case left, right }

    static func f(_ value: Double) -> String { Format.number(value, decimals: 1) }

    /// Solid for the first variant, then dashed and dotted, so overlapping lines stay distinguishable.
    static func dashPattern(forVariant index: Int) -> String? {
        index == 0 ? nil : (index % 2 == 1 ? "9,3" : "2,3")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func text(_ x: Double, _ y: Double, _ content: String, size: Double = fontSize, weight: String = "normal",
                     color: String = "#222", anchor: String = "start") -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(size))\" font-weight=\"\(weight)\" fill=\"\(color)\" text-anchor=\"\(anchor)\">\(content)</text>\n"
    }

    static func rotated(_ x: Double, _ y: Double, _ content: String, angle: Double) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" transform=\"rotate(\(f(angle)) \(f(x)) \(f(y)))\" text-anchor=\"middle\" fill=\"#222\">\(content)</text>\n"
    }

    static func legendSwatch(_ swatch: String, x: Double, y: Double) -> String {
        if swatch == "area" {
            return "<rect x=\"\(f(x))\" y=\"\(f(y - 6))\" width=\"20\" height=\"12\" fill=\"#b8b8b8\" fill-opacity=\"0.45\" stroke=\"#8a8a8a\"/>\n"
        }
        if swatch == "dash" {
            return "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 20))\" y2=\"\(f(y))\" stroke=\"#444\" stroke-width=\"1.2\" stroke-dasharray=\"5,4\"/>\n"
        }
        if swatch.hasPrefix("line:") {
            let color = String(swatch.dropFirst(5))
            let index = palette.firstIndex(of: color) ?? 0
            let dash = dashPattern(forVariant: index).map { " stroke-dasharray=\"\($0)\"" } ?? ""
            return "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 20))\" y2=\"\(f(y))\" stroke=\"\(color)\" stroke-width=\"2.2\"\(dash)/>\n"
        }
        let name = String(swatch.dropFirst(7))
        let limit = Limit.allCases.first { $0.rawValue == name } ?? .policy
        return limit.shape(x: x + 10, y: y, color: "#666") + "\n"
    }

    static func grid(ticks: [Double], plotWidth: Double) -> String {
        ticks.map { "<line x1=\"\(f(left))\" y1=\"\(f($0))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f($0))\" stroke=\"#e6e6e6\" stroke-width=\"1\"/>\n" }.joined()
    }

    static func frame(y: Double, height: Double, plotWidth: Double) -> String {
        "<rect x=\"\(f(left))\" y=\"\(f(y))\" width=\"\(f(plotWidth))\" height=\"\(f(height))\" fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>\n"
    }

    static func timeAxis(duration: SimSeconds, clock: Bool, x: (SimSeconds) -> Double, yTop: Double, yBottom: Double, labels: Bool) -> String {
        var svg = ""
        var lastLabelEnd = -Double.infinity
        for t in ChartAxes.timeTicks(duration: duration) {
            let px = x(t)
            svg += "<line x1=\"\(f(px))\" y1=\"\(f(yTop))\" x2=\"\(f(px))\" y2=\"\(f(yBottom))\" stroke=\"#eeeeee\" stroke-width=\"1\"/>\n"
            svg += "<line x1=\"\(f(px))\" y1=\"\(f(yBottom))\" x2=\"\(f(px))\" y2=\"\(f(yBottom + 5))\" stroke=\"#333\" stroke-width=\"1\"/>\n"
            guard labels else { continue }
            let label = clock ? formatClock(t) + (t >= LoadCurve.day ? " +\(Int(t / LoadCurve.day))d" : "") : formatDuration(t)
            let halfWidth = Double(label.count) * charWidth / 2
            if px - halfWidth > lastLabelEnd + 6 {
                svg += text(px, yBottom + 19, label, anchor: "middle")
                lastLabelEnd = px + halfWidth
            }
        }
        return svg
    }

    static func axisLabels(ticks: [Double], y: (Double) -> Double, side: Side, format: (Double) -> String, skipNear: Double? = nil) -> String {
        var svg = ""
        for tick in ticks {
            let py = y(tick)
            if let skip = skipNear, abs(py - skip) < 12, side == .right { continue }
            switch side {
            case .left:
                svg += "<line x1=\"\(f(left - 5))\" y1=\"\(f(py))\" x2=\"\(f(left))\" y2=\"\(f(py))\" stroke=\"#333\"/>\n"
                svg += text(left - 8, py + 4, format(tick), anchor: "end")
            case .right:
                svg += "<line x1=\"\(f(width - right))\" y1=\"\(f(py))\" x2=\"\(f(width - right + 5))\" y2=\"\(f(py))\" stroke=\"#333\"/>\n"
                svg += text(width - right + 8, py + 4, format(tick))
            }
        }
        return svg
    }

    static func stepLine(_ points: [(SimSeconds, Double)], end: SimSeconds, x: (SimSeconds) -> Double, y: (Double) -> Double,
                         color: String, width: Double, dash: String?) -> String {
        guard let first = points.first else { return "" }
        var coordinates = ["\(f(x(first.0))),\(f(y(first.1)))"]
        var previous = first.1
        for point in points.dropFirst() {
            if point.1 != previous {
                coordinates.append("\(f(x(point.0))),\(f(y(previous)))")
                coordinates.append("\(f(x(point.0))),\(f(y(point.1)))")
                previous = point.1
            }
        }
        coordinates.append("\(f(x(end))),\(f(y(previous)))")
        let dashAttribute = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        return "<polyline points=\"\(coordinates.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(f(width))\"\(dashAttribute) stroke-linejoin=\"round\"/>\n"
    }
}
