/// Resource requests per pod, in milli-units (hpa-behavior.md §5.4 step 4).
public enum PodRequests {
    /// Requests of `resource` for every pod (ignored and unready pods included).
    ///
    /// - With `podLevelResources` on, no container named, and pod-level requests set, the
    ///   pod-level request is used (missing → `missing pod-level request for %s in Pod %s`).
    /// - Otherwise regular containers plus restartable (sidecar) init containers are summed, or
    ///   only the named container is used. Pod overhead never counts.
    public static func calculate(
        pods: [ScalingPod], container: String?, resource: String, podLevelResources: Bool
    ) throws(ScalingError) -> [String: Int64] {
        var requests: [String: Int64] = [:]
        for pod in pods {
            let named = container.flatMap { $0.isEmpty ? nil : $0 }
            if podLevelResources, named == nil, let podLevel = pod.podLevelRequestsMilli, !podLevel.isEmpty {
                guard let value = podLevel[resource] else {
                    throw ScalingError("missing pod-level request for \(resource) in Pod \(pod.name)")
                }
                requests[pod.name] = value
            } else {
                requests[pod.name] = try fromContainers(pod: pod, container: named, resource: resource)
            }
        }
        return requests
    }

    /// Sum over the counted containers, or the named container's request.
    public static func fromContainers(pod: ScalingPod, container: String?, resource: String) throws(ScalingError) -> Int64 {
        let counted = pod.containers + pod.initContainers.filter(\.isRestartableInit)
        if let container, !container.isEmpty {
            guard let found = counted.first(where: { $0.name == container }) else {
                throw ScalingError("container \(container) not found in Pod \(pod.name)")
            }
            guard let value = found.requestsMilli[resource] else {
                throw ScalingError("missing request for \(resource) in container \(found.name) of Pod \(pod.name)")
            }
            return value
        }
        var total: Int64 = 0
        for entry in counted {
            guard let value = entry.requestsMilli[resource] else {
                throw ScalingError("missing request for \(resource) in container \(entry.name) of Pod \(pod.name)")
            }
            total = Saturating.add(total, value)
        }
        return total
    }
}
