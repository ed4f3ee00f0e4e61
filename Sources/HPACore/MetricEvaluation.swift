#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// One metric's outcome inside a reconcile (§5, §6).
enum MetricOutcome {
    case success(replicas: Int32, description: String, status: MetricStatus, current: MetricValueStatus)
    /// `reason` is the ScalingActive/event reason; `message` the per-metric error text used in the
    /// event and condition; `returned` the wrapped error that feeds the aggregate.
    case failure(reason: String, message: String, returned: ScalingError)
}

/// Evaluates the metrics of one HPA from already-fetched values.
struct MetricEvaluator {
    let hpa: HorizontalPodAutoscaler
    let scale: TargetScale
    /// Pods matching the scale selector.
    let pods: [ScalingPod]
    let calculator: ReplicaCalculator
    let fetched: [Int: MetricFetchResult]

    var namespace: String { hpa.metadata.namespace ?? "" }

    func result(_ index: Int) -> MetricFetchResult { fetched[index] ?? .failed("metric was not fetched") }

    func evaluate(index: Int, metric: MetricSpec) -> MetricOutcome {
        switch metric.type {
        case "Resource":
            guard let source = metric.resource else { return missingSource(metric.type) }
            return resource(
                index: index, name: source.name, container: nil, target: source.target,
                reason: "FailedGetResourceMetric", wrap: "failed to get \(source.name) resource metric value: ")
        case "ContainerResource":
            guard let source = metric.containerResource else { return missingSource(metric.type) }
            return resource(
                index: index, name: source.name, container: source.container, target: source.target,
                reason: "FailedGetContainerResourceMetric", wrap: "failed to get \(source.container) container metric value: ")
        case "Pods":
            guard let source = metric.pods else { return missingSource(metric.type) }
            return pods(index: index, source: source)
        case "Object":
            guard let source = metric.object else { return missingSource(metric.type) }
            return object(index: index, source: source)
        case "External":
            guard let source = metric.external else { return missingSource(metric.type) }
            return external(index: index, source: source)
        default:
            let error = ScalingError("unknown metric source type \(goQuoted(metric.type))", isSpecError: true)
            return .failure(reason: "InvalidMetricSourceType", message: error.message, returned: error)
        }
    }

    /// A type whose member is absent (only reachable without API validation): reported like an
    /// unknown source type, as upstream cannot evaluate it either.
    func missingSource(_ type: String) -> MetricOutcome {
        let error = ScalingError("metric source type \(goQuoted(type)) has no \(type.prefix(1).lowercased() + type.dropFirst()) member", isSpecError: true)
        return .failure(reason: "InvalidMetricSourceType", message: error.message, returned: error)
    }

    func milliQuantity(_ value: Int64, resource: String) -> Quantity {
        Quantity.milli(value, format: resource == "memory" ? .binarySI : .decimalSI)
    }

    func resource(
        index: Int, name: String, container: String?, target: MetricTarget, reason: String, wrap: String
    ) -> MetricOutcome {
        func status(_ current: MetricValueStatus) -> MetricStatus {
            if let container {
                return MetricStatus(type: "ContainerResource", containerResource: ContainerResourceMetricStatus(name: name, container: container, current: current))
            }
            return MetricStatus(type: "Resource", resource: ResourceMetricStatus(name: name, current: current))
        }
        if let averageValue = target.averageValue {
            do {
                let proposal = try calculator.resourceAverageValueReplicas(
                    currentReplicas: scale.specReplicas, targetUsageMilli: averageValue.milliValue, resource: name,
                    container: container, pods: pods, fetched: result(index))
                let current = MetricValueStatus(averageValue: milliQuantity(proposal.usageMilli, resource: name))
                return .success(replicas: proposal.replicas, description: "\(name) resource", status: status(current), current: current)
            } catch {
                let inner = error.wrapped("failed to get \(name) usage: ")
                return .failure(reason: reason, message: inner.message, returned: inner.wrapped(wrap))
            }
        }
        guard let utilization = target.averageUtilization else {
            let inner = ScalingError(
                "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set")
            return .failure(reason: reason, message: inner.message, returned: inner.wrapped(wrap))
        }
        do {
            let proposal = try calculator.resourceUtilizationReplicas(
                currentReplicas: scale.specReplicas, targetUtilization: utilization, resource: name, container: container,
                pods: pods, fetched: result(index))
            let current = MetricValueStatus(
                averageValue: milliQuantity(proposal.rawAverageMilli, resource: name), averageUtilization: proposal.utilization)
            let description = container == nil
                ? "\(name) resource utilization (percentage of request)"
                : "\(name) container resource utilization (percentage of request)"
            return .success(replicas: proposal.replicas, description: description, status: status(current), current: current)
        } catch {
            let inner = error.wrapped("failed to get \(name) utilization: ")
            return .failure(reason: reason, message: inner.message, returned: inner.wrapped(wrap))
        }
    }

    func pods(index: Int, source: PodsMetricSource) -> MetricOutcome {
        let reason = "FailedGetPodsMetric"
        let wrap = "failed to get pods metric value: "
        do {
            _ = try HPADecider.metricSelectorText(source.metric.selector)
        } catch {
            return .failure(reason: reason, message: "\(error)", returned: ScalingError("\(error)").wrapped(wrap))
        }
        guard let averageValue = source.target.averageValue else {
            let inner = ScalingError("invalid pods metric source: no average value target was set")
            return .failure(reason: reason, message: inner.message, returned: inner.wrapped(wrap))
        }
        do {
            let proposal = try calculator.podsMetricReplicas(
                currentReplicas: scale.specReplicas, targetUsageMilli: averageValue.milliValue, metricName: source.metric.name,
                pods: pods, fetched: result(index))
            let current = MetricValueStatus(averageValue: Quantity.milli(proposal.usageMilli))
            let status = MetricStatus(type: "Pods", pods: PodsMetricStatus(metric: source.metric, current: current))
            return .success(replicas: proposal.replicas, description: "pods metric \(source.metric.name)", status: status, current: current)
        } catch {
            return .failure(reason: reason, message: error.message, returned: error.wrapped(wrap))
        }
    }

    func object(index: Int, source: ObjectMetricSource) -> MetricOutcome {
        let reason = "FailedGetObjectMetric"
        let wrap = "failed to get object metric value: "
        let reference = source.describedObject
        do {
            _ = try HPADecider.metricSelectorText(source.metric.selector)
        } catch {
            return .failure(reason: reason, message: "\(error)", returned: ScalingError("\(error)").wrapped(wrap))
        }
        switch HPADecider.objectTargetKind(source.target) {
        case .value:
            do {
                let proposal = try calculator.objectValueReplicas(
                    currentReplicas: scale.specReplicas, targetUsageMilli: source.target.value?.milliValue ?? 0,
                    metricName: source.metric.name, describedKind: reference.kind, describedName: reference.name,
                    namespace: namespace, pods: pods, fetched: result(index))
                let current = MetricValueStatus(value: Quantity.milli(proposal.usageMilli))
                let status = MetricStatus(
                    type: "Object", object: ObjectMetricStatus(metric: source.metric, current: current, describedObject: reference))
                return .success(
                    replicas: proposal.replicas, description: "\(reference.kind) metric \(source.metric.name)", status: status, current: current)
            } catch {
                return .failure(reason: reason, message: error.message, returned: error.wrapped(wrap))
            }
        case .averageValue:
            do {
                let proposal = try calculator.objectAverageValueReplicas(
                    statusReplicas: scale.statusReplicas, targetAverageMilli: source.target.averageValue?.milliValue ?? 0,
                    metricName: source.metric.name, describedKind: reference.kind, describedName: reference.name,
                    namespace: namespace, fetched: result(index))
                let current = MetricValueStatus(averageValue: Quantity.milli(proposal.usageMilli))
                let status = MetricStatus(
                    type: "Object", object: ObjectMetricStatus(metric: source.metric, current: current, describedObject: reference))
                let description = "external metric \(source.metric.name)(\(MetricDescriptions.goString(source.metric.selector)))"
                return .success(replicas: proposal.replicas, description: description, status: status, current: current)
            } catch {
                return .failure(
                    reason: reason, message: error.message,
                    returned: error.wrapped("failed to get \(source.metric.name) object metric: ").wrapped(wrap))
            }
        case nil:
            let inner = ScalingError("invalid object metric source: neither a value target nor an average value target was set")
            return .failure(reason: reason, message: inner.message, returned: inner.wrapped(wrap))
        }
    }

    func external(index: Int, source: ExternalMetricSource) -> MetricOutcome {
        let reason = "FailedGetExternalMetric"
        let name = source.metric.name
        let wrap = "failed to get \(name) external metric value: "
        let selectorText = MetricDescriptions.goString(source.metric.selector)
        let description = "external metric \(name)(\(selectorText))"
        do {
            _ = try HPADecider.metricSelectorText(source.metric.selector)
        } catch {
            return .failure(reason: reason, message: "\(error)", returned: ScalingError("\(error)"))
        }
        if let averageValue = source.target.averageValue {
            do {
                let proposal = try calculator.externalAverageValueReplicas(
                    statusReplicas: scale.statusReplicas, targetAverageMilli: averageValue.milliValue, metricName: name,
                    namespace: namespace, selectorText: selectorText, fetched: result(index))
                let current = MetricValueStatus(averageValue: Quantity.milli(proposal.usageMilli))
                let status = MetricStatus(type: "External", external: ExternalMetricStatus(metric: source.metric, current: current))
                return .success(replicas: proposal.replicas, description: description, status: status, current: current)
            } catch {
                return .failure(
                    reason: reason, message: error.message, returned: error.wrapped("failed to get \(name) external metric: ").wrapped(wrap))
            }
        }
        guard let value = source.target.value else {
            let inner = ScalingError("invalid external metric source: neither a value target nor an average value target was set")
            return .failure(reason: reason, message: inner.message, returned: inner.wrapped(wrap))
        }
        do {
            let proposal = try calculator.externalValueReplicas(
                currentReplicas: scale.specReplicas, targetUsageMilli: value.milliValue, metricName: name, namespace: namespace,
                selectorText: selectorText, pods: pods, fetched: result(index))
            let current = MetricValueStatus(value: Quantity.milli(proposal.usageMilli))
            let status = MetricStatus(type: "External", external: ExternalMetricStatus(metric: source.metric, current: current))
            return .success(replicas: proposal.replicas, description: description, status: status, current: current)
        } catch {
            return .failure(
                reason: reason, message: error.message, returned: error.wrapped("failed to get external metric \(name): ").wrapped(wrap))
        }
    }
}

/// Go's `%q` of a string.
func goQuoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
