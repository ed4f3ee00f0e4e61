// Exact replay of a dry-run session: one decision per record, on the record's own observations.
import HPACore
import KubeAPI
import Simulation

extension Simulator {
    /// Feeds every record's raw observations to `variant`'s decider at the record's time. The
    /// cluster is the recorded one (open loop): the replicas column shows what the variant would
    /// have set (its desired count when it rescales, else the recorded count), and each row keeps
    /// the recorded controller's desired count for comparison. Provisioning figures are not
    /// computed (there is no demand model); scale events, peak and mean are the variant's.
    func replayExactly(_ variant: ScenarioVariant, _ replay: DryRunReplay) throws(ScenarioError) -> VariantRun {
        var decider = try makeDecider(variant, scenario.settings)
        var rows: [StepRow] = []
        var accumulator = SummaryAccumulator(maxReplicas: Int(variant.hpa.spec.maxReplicas), tolerance: scenario.settings.tolerance,
                                             measurable: false)
        var previous: Int?
        for (index, record) in replay.records.enumerated() {
            guard let raw = record.observations else { continue }
            let observations = try DecisionObservations(recorded: raw)
            let spec = Int(observations.scale.specReplicas ?? 0)
            var observation = Observation(time: record.time, now: observations.now.date, specReplicas: spec,
                                          statusReplicas: Int(observations.scale.statusReplicas ?? 0), selector: [:], pods: [], metrics: [])
            observation.recorded = raw
            let decision = decider.decide(observation)
            // What this variant would have set; a scale event is a change from its previous step.
            let replicas = decision.rescale ? decision.desiredReplicas : spec
            let before = previous ?? spec
            if replicas != before { accumulator.recordScale(from: before, to: replicas) }
            previous = replicas
            var row = StepRow(time: record.time, load: scenario.load.demand(at: record.time), metrics: decision.metrics,
                              desiredReplicas: decision.desiredReplicas, replicas: replicas, readyReplicas: observations.readyCount,
                              limitedBy: decision.limitedBy, rescaled: replicas != before, error: decision.error)
            row.recordedDesiredReplicas = record.desiredReplicas
            rows.append(row)
            let next = index + 1 < replay.records.count ? replay.records[index + 1].time : record.time + scenario.settings.syncPeriod
            accumulator.add(time: record.time, width: max(0, next - record.time), ready: observations.readyCount, existing: spec,
                            specReplicas: replicas, demandPods: nil)
        }
        let end = (replay.records.last?.time ?? 0) + scenario.settings.syncPeriod
        return VariantRun(name: variant.name, hpa: variant.hpa, rows: rows, summary: accumulator.finish(at: end))
    }
}
