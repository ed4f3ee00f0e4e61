// Exact replay: the raw inputs a dry-run record kept (`observations`, docs/dry-run.md), read with
// HPACore's `DecisionObservations` — the schema `run --dry-run --output json` writes.
import HPACore
import KubeAPI

extension DecisionObservations {
    /// Reads a record's `observations`, naming the field when they do not decode.
    init(recorded value: JSONValue) throws(ScenarioError) {
        do {
            self = try value.decode(DecisionObservations.self)
        } catch {
            throw ScenarioError(file: "", field: "observations", message: "cannot read the record's observations: \(DecodingProblem(error))")
        }
    }

    /// Pods whose Ready condition is True.
    var readyCount: Int { pods.filter { $0.ready == "True" }.count }
}
