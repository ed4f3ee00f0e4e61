import KubeAPI

/// Upstream's textual renderings used in conditions, events and errors.
public enum MetricDescriptions {
    /// Go's generated `String()` of a `*metav1.LabelSelector` (`nil` when absent), e.g.
    /// `&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}`.
    public static func goString(_ selector: LabelSelector?) -> String {
        guard let selector else { return "nil" }
        var labels = "map[string]string{"
        for key in (selector.matchLabels ?? [:]).keys.sorted() {
            labels += "\(key): \(selector.matchLabels?[key] ?? ""),"
        }
        labels += "}"
        var expressions = "[]LabelSelectorRequirement{"
        for requirement in selector.matchExpressions ?? [] {
            let values = (requirement.values ?? []).joined(separator: " ")
            expressions += "LabelSelectorRequirement{Key:\(requirement.key),Operator:\(requirement.operator.rawValue),Values:[\(values)],},"
        }
        expressions += "}"
        return "&LabelSelector{MatchLabels:\(labels),MatchExpressions:\(expressions),}"
    }
}
