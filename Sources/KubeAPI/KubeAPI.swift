// KubeAPI: Kubernetes wire types, Quantity and label selectors. No I/O, no clocks.
