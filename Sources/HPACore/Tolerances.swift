/// The tolerance band around a usage ratio of 1.0 inside which no scaling happens.
///
/// A ratio `r` is within tolerance iff `1 − scaleDown ≤ r ≤ 1 + scaleUp` (both inclusive).
/// Both default to the global `--horizontal-pod-autoscaler-tolerance`; with the
/// `HPAConfigurableTolerance` gate an HPA with `behavior` may override each direction.
public struct Tolerances: Sendable, Equatable, Hashable {
    public var scaleDown: Double
    public var scaleUp: Double

    public init(scaleDown: Double, scaleUp: Double) {
        self.scaleDown = scaleDown
        self.scaleUp = scaleUp
    }

    public init(both: Double) { self.init(scaleDown: both, scaleUp: both) }

    public func isWithin(_ ratio: Double) -> Bool {
        (1.0 - scaleDown) <= ratio && ratio <= (1.0 + scaleUp)
    }
}
