import KubeAPI

extension ReconcilerClients {
    /// The live clients over one requester: list+watch caches of HPAs and pods (one namespace or
    /// all), discovery-based scale client, the three metrics APIs, status and event writers.
    public static func live(requester: any KubeRequester, namespace: String?, metricFetchTimeout: Duration = .seconds(10)) -> ReconcilerClients {
        let discovery = ResourceDiscovery(requester: requester)
        return ReconcilerClients(
            hpas: ListWatchHPASource(requester: requester, namespace: namespace),
            pods: ListWatchPodLister(requester: requester, namespace: namespace),
            scales: APIScaleClient(requester: requester, discovery: discovery),
            metrics: APIMetricsClient(requester: requester, discovery: discovery, timeout: metricFetchTimeout),
            status: APIHPAStatusClient(requester: requester),
            events: APIEventClient(requester: requester))
    }
}
