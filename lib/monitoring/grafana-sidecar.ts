/** Label and annotation the kube-prometheus-stack Grafana sidecar looks for (its chart defaults): it loads ConfigMaps whose label has this value. */
export const GRAFANA_SIDECAR = { label: 'grafana_dashboard', labelValue: '1', folderAnnotation: 'grafana_folder' } as const;
