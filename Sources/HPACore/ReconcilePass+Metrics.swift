#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// What `computeReplicasForMetrics` produced (§6).
struct MetricsComputation {
    var replicas: Int32
    var description: String
    var statuses: [MetricStatus]?
    /// The aggregated (or selector) error; with `fatal` the pass stops.
    var error: ScalingError?
    var fatal: Bool
    /// The reason to explain a fatal pass (the ScalingActive reason set).
    var limitedBy: String
}

extension ReconcilePass {
    mutating func computeReplicasForMetrics(scale: TargetScale) -> MetricsComputation {
        func fatal(_ error: ScalingError, _ reason: String) -> MetricsComputation {
            MetricsComputation(replicas: -1, description: "", statuses: nil, error: error, fatal: true, limitedBy: reason)
        }
        // Selector validation and the ambiguity check (§11).
        if scale.selector.isEmpty {
            warn("SelectorRequired", "selector is required")
            conditions.set(.scalingActive, .false, "InvalidSelector", Messages.missingSelector)
            return fatal(ScalingError("selector is required"), "InvalidSelector")
        }
        let selector: Selector
        do {
            selector = try Selector(parsing: scale.selector)
        } catch {
            let message = Messages.invalidSelector("\(error)")
            warn("InvalidSelector", message)
            conditions.set(.scalingActive, .false, "InvalidSelector", message)
            return fatal(ScalingError(message), "InvalidSelector")
        }
        let namespace = hpa.metadata.namespace ?? ""
        let key = "\(namespace)/\(hpa.metadata.name ?? "")"
        if input.selectorRegistry.isRegistered {
            registrySelector = scale.selector
        } else if settings.featureGates.hpaOptimizedSelectorStore {
            return fatal(ScalingError("HPA \(key) was deleted during reconciliation"), "FailedComputeMetricsReplicas")
        }
        let selectedPods = input.pods.filter { selector.matches($0.labels) }
        let owners = selectorOwners(selfKey: key, selector: selector, pods: selectedPods)
        if owners.count > 1 {
            let message = Messages.ambiguousSelector(scale.selector, owners)
            warn("AmbiguousSelector", message)
            conditions.set(.scalingActive, .false, "AmbiguousSelector", message)
            return fatal(ScalingError(message), "AmbiguousSelector")
        }

        // Per-metric proposals.
        let metrics = hpa.spec.metrics ?? []
        let calculator = ReplicaCalculator(
            settings: settings, tolerances: HPADecider.tolerances(hpa, settings: settings), now: now)
        let evaluator = MetricEvaluator(hpa: hpa, scale: scale, pods: selectedPods, calculator: calculator, fetched: input.metrics)
        var statuses = Array(repeating: MetricStatus(type: ""), count: metrics.count)
        var replicas: Int32 = 0
        var description = ""
        var invalidCount = 0
        var firstInvalid: (reason: String, message: String, error: ScalingError)?
        let previousReplicas = originalStatus.currentReplicas ?? 0
        for (index, metric) in metrics.enumerated() {
            let target = metricTarget(metric)
            switch evaluator.evaluate(index: index, metric: metric) {
            case .failure(let reason, let message, let returned):
                invalidCount += 1
                if firstInvalid == nil { firstInvalid = (reason, message, returned) }
                warn(reason, message)
                proposals.append(MetricProposal(
                    index: index, metricType: metric.type, name: metricName(metric), description: "", current: nil, target: target,
                    proposedReplicas: nil, error: message, labels: OutcomeLabels(action: .none, error: returned.isSpecError ? .spec : .internal)))
            case .success(let proposal, let proposalDescription, let status, let current):
                statuses[index] = status
                if replicas == 0 || proposal > replicas {
                    replicas = proposal
                    description = proposalDescription
                }
                let action: OutcomeLabels.Action = proposal > previousReplicas ? .scaleUp : (proposal < previousReplicas ? .scaleDown : .none)
                proposals.append(MetricProposal(
                    index: index, metricType: metric.type, name: metricName(metric), description: proposalDescription, current: current,
                    target: target, proposedReplicas: proposal, error: nil, labels: OutcomeLabels(action: action, error: .none)))
            }
        }
        var aggregate: ScalingError?
        if let firstInvalid {
            aggregate = ScalingError(
                "invalid metrics (\(invalidCount) invalid out of \(metrics.count)), first error is: \(firstInvalid.error.message)")
        }
        if let firstInvalid, invalidCount >= metrics.count || replicas < scale.specReplicas {
            conditions.set(.scalingActive, .false, firstInvalid.reason, Messages.unableToCompute(firstInvalid.message))
            return MetricsComputation(
                replicas: -1, description: "", statuses: statuses, error: aggregate, fatal: true, limitedBy: firstInvalid.reason)
        }
        if metrics.isEmpty {
            // Impossible after API defaulting; upstream then proceeds as if the desired count were 0.
            return MetricsComputation(replicas: -1, description: "", statuses: statuses, error: nil, fatal: false, limitedBy: "")
        }
        conditions.set(.scalingActive, .true, "ValidMetricFound", Messages.validMetricFound(description))
        return MetricsComputation(
            replicas: replicas, description: description, statuses: statuses, error: aggregate, fatal: false, limitedBy: "")
    }

    /// Registered HPA keys (this one with its new selector, then others) whose selector matches at
    /// least one of `pods`. The optimized store stops after two.
    func selectorOwners(selfKey: String, selector: Selector, pods: [ScalingPod]) -> [String] {
        if pods.isEmpty { return [] }
        var owners: [String] = []
        if pods.contains(where: { selector.matches($0.labels) }) { owners.append(selfKey) }
        let namespacePrefix = (hpa.metadata.namespace ?? "") + "/"
        for key in input.selectorRegistry.others.keys.sorted() where key != selfKey && key.hasPrefix(namespacePrefix) {
            guard let text = input.selectorRegistry.others[key] ?? nil, let other = try? Selector(parsing: text) else { continue }
            if pods.contains(where: { other.matches($0.labels) }) { owners.append(key) }
        }
        if settings.featureGates.hpaOptimizedSelectorStore && owners.count > 2 { owners = Array(owners.prefix(2)) }
        return owners
    }

    func metricTarget(_ metric: MetricSpec) -> MetricTarget? {
        metric.resource?.target ?? metric.containerResource?.target ?? metric.pods?.target ?? metric.object?.target
            ?? metric.external?.target
    }

    func metricName(_ metric: MetricSpec) -> String {
        metric.resource?.name ?? metric.containerResource?.name ?? metric.pods?.metric.name ?? metric.object?.metric.name
            ?? metric.external?.metric.name ?? ""
    }
}
