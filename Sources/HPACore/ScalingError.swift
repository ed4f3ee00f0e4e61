/// An error on the decision path, carrying upstream's exact message text (wrapping included) and
/// whether upstream marks it as a *spec* error (which decides the `error` label of the
/// controller's Prometheus metrics: `spec` vs `internal`).
public struct ScalingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var isSpecError: Bool

    public init(_ message: String, isSpecError: Bool = false) {
        self.message = message
        self.isSpecError = isSpecError
    }

    public var description: String { message }

    /// Upstream's `fmt.Errorf("<prefix>%w", err)`: the prefix in front, the spec marker kept.
    public func wrapped(_ prefix: String) -> ScalingError {
        ScalingError(prefix + message, isSpecError: isSpecError)
    }
}
