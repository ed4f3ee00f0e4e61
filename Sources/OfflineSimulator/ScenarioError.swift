import Simulation

/// The simulator's one error type: a scenario, manifest, trace or output file was wrong, or could
/// not be read or written — naming the file, the field and the line where known. The same type
/// the `Simulation` module's trace loaders throw, so their errors pass through unchanged.
public typealias ScenarioError = InputFileError
