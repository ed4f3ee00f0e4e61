#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPACore
import KubeAPI

extension CachedPod {
    /// The decision core's view of this pod.
    public var scalingPod: ScalingPod {
        func container(_ item: Container) -> ScalingPod.Container {
            ScalingPod.Container(name: item.name, requestsMilli: item.requestsMilli, isRestartableInit: item.isRestartableInit)
        }
        return ScalingPod(
            name: name, namespace: namespace, labels: labels,
            phase: phase.flatMap { ScalingPod.Phase(rawValue: $0.rawValue) },
            ready: readyStatus.map { ScalingPod.ReadyCondition(status: $0.rawValue, lastTransitionTime: readyTransition ?? GoTime.zero) },
            startTime: startTime, isBeingDeleted: isBeingDeleted,
            containers: containers.map(container), initContainers: initContainers.map(container),
            podLevelRequestsMilli: podLevelRequestsMilli)
    }
}
