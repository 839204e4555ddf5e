import { after, cleanEnvironment, findingsOf, Obj, podOf, summarize } from './fixtures';

const D = 'Deployment/shop/api';
const C = 'spec.template.spec.containers[0]';
const remove = (objects: Obj[], o: Obj) => objects.splice(objects.indexOf(o), 1);
/** The namespace matcher every AlertmanagerConfig's top route carries (rule alertmanager-namespace). */
const SHOP_ONLY = { name: 'namespace', value: 'shop', matchType: '=' };

describe('cross references within an environment', () => {
  it('a Service selecting nothing', () => {
    expect(after(({ byKind }) => (byKind('Service').spec.selector = { 'app.kubernetes.io/name': 'apii' }))).toEqual([
      'service-selector Service/shop/api spec.selector: error: selects no pods: no pod template in namespace "shop" has the labels {"app.kubernetes.io/name":"apii"}',
    ]);
  });

  it('a Service targetPort (named or numbered) no selected container declares', () => {
    expect(after(({ byKind }) => (byKind('Service').spec.ports[0].targetPort = 'metrics'))).toEqual([
      'service-target-port Service/shop/api spec.ports[0].targetPort: error: targets port "metrics"/TCP, but no container of Deployment "api" declares it',
    ]);
    expect(after(({ byKind }) => (byKind('Service').spec.ports[0].targetPort = 8080))).toEqual([
      'service-target-port Service/shop/api spec.ports[0].targetPort: error: targets port 8080/TCP, but no container of Deployment "api" declares it',
    ]);
    expect(after(({ byKind }) => (byKind('Service').spec.ports[0].targetPort = 8000))).toEqual([]);
  });

  it('an HPA targeting a missing Deployment', () => {
    expect(after(({ byKind }) => (byKind('HorizontalPodAutoscaler').spec.scaleTargetRef.name = 'api-v2'))).toEqual([
      'hpa-target HorizontalPodAutoscaler/shop/api spec.scaleTargetRef: error: Deployment "api-v2" does not exist in namespace "shop"',
    ]);
  });

  it('a PDB selecting no pods', () => {
    expect(after(({ byKind }) => (byKind('PodDisruptionBudget').spec.selector = { matchLabels: { app: 'gone' } }))).toEqual([
      `pdb ${D} spec.template: error: no PodDisruptionBudget selects the pods of Deployment "api"`,
      'pdb-selector PodDisruptionBudget/shop/api spec.selector: error: selects no pods: no pod template in namespace "shop" matches it',
    ]);
  });

  it('a PDB that allows no voluntary disruption', () => {
    expect(after(({ byKind }) => (byKind('PodDisruptionBudget').spec.maxUnavailable = 0))).toEqual([
      'pdb-disruptions PodDisruptionBudget/shop/api spec.maxUnavailable: error: allows no voluntary disruption of 2 pod(s), so it blocks every node drain: allow at least one pod to be evicted',
    ]);
    expect(after(({ byKind }) => {
      const spec = byKind('PodDisruptionBudget').spec;
      delete spec.maxUnavailable;
      spec.minAvailable = 2; // the HPA's minReplicas
    })).toEqual([
      'pdb-disruptions PodDisruptionBudget/shop/api spec.minAvailable: error: allows no voluntary disruption of 2 pod(s), so it blocks every node drain: allow at least one pod to be evicted',
    ]);
    expect(after(({ byKind }) => {
      const spec = byKind('PodDisruptionBudget').spec;
      delete spec.maxUnavailable;
      spec.minAvailable = 1;
    })).toEqual([]);
  });

  it('a ServiceMonitor selecting no Service, or naming a port the Service does not have', () => {
    expect(after(({ byKind }) => (byKind('ServiceMonitor').spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'web' } }))).toEqual([
      "servicemonitor-selector ServiceMonitor/shop/api spec.selector: error: selects no Service (by the Services' metadata.labels, in the namespaces of spec.namespaceSelector)",
    ]);
    expect(after(({ byKind }) => (byKind('ServiceMonitor').spec.endpoints[0].port = 'metrics'))).toEqual([
      'servicemonitor-port ServiceMonitor/shop/api spec.endpoints[0].port: error: no selected Service (api) has a port named "metrics"',
    ]);
    expect(after(({ byKind }) => (byKind('ServiceMonitor').spec.endpoints[0].targetPort = 8000))).toEqual([
      'servicemonitor-port ServiceMonitor/shop/api spec.endpoints[0].targetPort: warning: targetPort is deprecated: name the Service port and use port',
    ]);
    expect(after(({ byKind }) => (byKind('ServiceMonitor').spec.namespaceSelector = { matchNames: ['monitoring'] }))).toEqual([
      "servicemonitor-selector ServiceMonitor/shop/api spec.selector: error: selects no Service (by the Services' metadata.labels, in the namespaces of spec.namespaceSelector)",
    ]);
  });

  it('a PodMonitor selecting no pods or naming a missing container port', () => {
    const podMonitor = (port: string, name = 'api') => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'pods', namespace: 'shop' },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': name } }, podMetricsEndpoints: [{ port }] },
    });
    expect(summarize(findingsOf([...cleanEnvironment(), podMonitor('http')]))).toEqual([]);
    expect(summarize(findingsOf([...cleanEnvironment(), podMonitor('metrics')]))).toEqual([
      'podmonitor-port PodMonitor/shop/pods spec.podMetricsEndpoints[0].port: error: no selected pod has a container port named "metrics"',
    ]);
    expect(summarize(findingsOf([...cleanEnvironment(), podMonitor('http', 'web')]))).toEqual(['podmonitor-selector PodMonitor/shop/pods spec.selector: error: selects no pods']);
  });

  it('an Ingress backend that does not exist', () => {
    const backend = (o: Obj) => o.spec.rules[0].http.paths[0].backend.service;
    expect(after(({ byKind }) => (backend(byKind('Ingress')).name = 'web'))).toEqual([
      'ingress-backend Ingress/shop/api spec.rules[0].http.paths[0].backend.service.name: error: Service "web" does not exist in namespace "shop"',
    ]);
    expect(after(({ byKind }) => (backend(byKind('Ingress')).port = { name: 'https' }))).toEqual([
      'ingress-backend Ingress/shop/api spec.rules[0].http.paths[0].backend.service.port.name: error: Service "api" has no port named "https"',
    ]);
    expect(after(({ byKind }) => (backend(byKind('Ingress')).port = { number: 8000 }))).toEqual([
      'ingress-backend Ingress/shop/api spec.rules[0].http.paths[0].backend.service.port.number: error: Service "api" has no port 8000',
    ]);
  });

  it('ConfigMaps (and their keys) and ServiceAccounts that do not exist, unless optional', () => {
    expect(after(({ byKind, objects }) => remove(objects, byKind('ConfigMap', 'api-config')))).toEqual([
      `configmap-ref ${D} ${C}.envFrom[0].configMapRef.name: error: ConfigMap "api-config" does not exist in namespace "shop" (mark the reference optional if that is intended)`,
    ]);
    expect(after(({ byKind, objects }) => {
      remove(objects, byKind('ConfigMap', 'api-config'));
      podOf(byKind('Deployment')).containers[0].envFrom[0].configMapRef.optional = true;
    })).toEqual([]);
    expect(after(({ byKind }) => podOf(byKind('Deployment')).containers[0].env.push({ name: 'LOG', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'LOG_LEVL' } } }))).toEqual([
      `configmap-ref ${D} ${C}.env[1].valueFrom.configMapKeyRef: error: ConfigMap "api-config" has no key "LOG_LEVL"`,
    ]);
    expect(after(({ byKind }) => (podOf(byKind('Deployment')).volumes = [{ name: 'conf', configMap: { name: 'nginx-conf' } }]))).toEqual([
      `configmap-ref ${D} spec.template.spec.volumes[0].configMap.name: error: ConfigMap "nginx-conf" does not exist in namespace "shop" (mark the reference optional if that is intended)`,
    ]);
    expect(after(({ byKind }) => (podOf(byKind('Deployment')).serviceAccountName = 'api-sa'))).toEqual([
      `service-account-ref ${D} spec.template.spec.serviceAccountName: error: ServiceAccount "api-sa" does not exist in namespace "shop"`,
    ]);
  });

  it('PersistentVolumeClaims that do not exist (volumeClaimTemplates count)', () => {
    expect(after(({ byKind }) => (podOf(byKind('Deployment')).volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }]))).toEqual([
      `pvc-ref ${D} spec.template.spec.volumes[0].persistentVolumeClaim.claimName: error: PersistentVolumeClaim "data" does not exist in namespace "shop"`,
    ]);
  });

  it('does not require Secrets; warns about ones no ExternalSecret makes when ExternalSecrets are used', () => {
    const externalSecret = (target: string) => ({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'keys', namespace: 'shop' },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name: target }, dataFrom: [{ extract: { key: 'odoo-finder/api' } }] },
    });
    expect(summarize(findingsOf([...cleanEnvironment(), externalSecret('api-keys')]))).toEqual([]);
    expect(summarize(findingsOf([...cleanEnvironment(), externalSecret('db-credentials')]))).toEqual([
      `secret-ref ${D} ${C}.env[0].valueFrom.secretKeyRef.name: warning: Secret "api-keys" is made by no ExternalSecret here: it must exist in the cluster beforehand`,
    ]);
  });

  it('a secretKeyRef names a key the ExternalSecret writes (its data keys; with a template, the template\'s, and the data keys only with mergePolicy Merge)', () => {
    const key = podOf(cleanEnvironment().find((o) => o.kind === 'Deployment')!).containers[0].env[0].valueFrom.secretKeyRef.key as string;
    const externalSecret = (spec: object) => ({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'api-keys', namespace: 'shop' },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name: 'api-keys' }, ...spec },
    });
    const data = (...keys: string[]) => ({ data: keys.map((k) => ({ secretKey: k, remoteRef: { key: 'odoo-finder/api', property: k } })) });
    const run = (spec: object) => summarize(findingsOf([...cleanEnvironment(), externalSecret(spec)]));
    expect(run(data(key))).toEqual([]);
    expect(run(data('other'))).toEqual([`secret-key-ref ${D} ${C}.env[0].valueFrom.secretKeyRef.key: error: Secret "api-keys" gets no key "${key}" from ExternalSecret "api-keys" (it writes other): the container does not start (CreateContainerConfigError)`]);
    const templated = (mergePolicy?: string) => ({ ...data(key), target: { name: 'api-keys', template: { engineVersion: 'v2', ...(mergePolicy ? { mergePolicy } : {}), data: { url: '{{ .x }}' } } } });
    expect(run(templated())).toEqual([expect.stringContaining(`gets no key "${key}" from ExternalSecret "api-keys" (it writes url)`)]);
    expect(run(templated('Merge'))).toEqual([]);
    expect(run({ dataFrom: [{ extract: { key: 'odoo-finder/api' } }] })).toEqual([]);
  });

  it('NetworkPolicy selectors and ports', () => {
    expect(after(({ byKind }) => (byKind('NetworkPolicy', 'api').spec.ingress[0].ports[0].port = 8080))).toEqual([
      'networkpolicy-port NetworkPolicy/shop/api spec.ingress[0].ports[0].port: error: the selected pods (api) do not listen on 8080/TCP',
    ]);
    expect(after(({ byKind }) => (byKind('NetworkPolicy', 'api').spec.ingress[0].ports[0].port = 8000))).toEqual([]);
    expect(after(({ objects }) =>
      objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'postgres' } } } }),
    )).toEqual(['networkpolicy-selector NetworkPolicy/shop/db spec.podSelector: error: selects no pods in its namespace']);
    expect(after(({ objects }) =>
      objects.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'egress', namespace: 'shop' },
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }], ports: [{ port: 5432 }] }] },
      }),
    )).toEqual(['networkpolicy-port NetworkPolicy/shop/egress spec.egress[0].ports[0].port: error: the destination pods (api) do not listen on 5432/TCP']);
  });

  it('AlertmanagerConfig top route matches its own namespace itself', () => {
    const config = (matchers: object[]) => ({
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'AlertmanagerConfig',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { route: { receiver: 'team', matchers }, receivers: [{ name: 'team' }] },
    });
    const missing = 'alertmanager-namespace AlertmanagerConfig/shop/api spec.route.matchers: error: the top route has no matcher namespace="shop": under the operator\'s matcher strategy None it would route the alerts of every namespace';
    expect(summarize(findingsOf([...cleanEnvironment(), config([SHOP_ONLY])]))).toEqual([]);
    expect(summarize(findingsOf([...cleanEnvironment(), config([{ name: 'namespace', value: 'shop' }])]))).toEqual([]);
    expect(summarize(findingsOf([...cleanEnvironment(), config([])]))).toEqual([missing]);
    expect(summarize(findingsOf([...cleanEnvironment(), config([{ ...SHOP_ONLY, value: 'shop-staging' }])]))).toEqual([missing]);
    expect(summarize(findingsOf([...cleanEnvironment(), config([{ ...SHOP_ONLY, matchType: '=~' }])]))).toEqual([missing]);
    expect(summarize(findingsOf([...cleanEnvironment(), config([{ name: 'namespace', value: 'shop', regex: true }])]))).toEqual([missing]);
  });

  it('AlertmanagerConfig routes to defined receivers', () => {
    const config = (receiver: string) => ({
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'AlertmanagerConfig',
      metadata: { name: 'api', namespace: 'shop' },
      spec: {
        route: { receiver: 'team', matchers: [SHOP_ONLY], routes: [{ receiver, matchers: [{ name: 'severity', value: 'critical', matchType: '=' }] }] },
        receivers: [{ name: 'team' }, { name: 'pager' }],
      },
    });
    expect(summarize(findingsOf([...cleanEnvironment(), config('pager')]))).toEqual([]);
    expect(summarize(findingsOf([...cleanEnvironment(), config('oncall')]))).toEqual([
      'alertmanager-receiver AlertmanagerConfig/shop/api spec.route.routes[0].receiver: error: receiver "oncall" is not defined in spec.receivers',
    ]);
  });

  it('AlertmanagerConfig routes name defined time intervals', () => {
    const config = (interval: string) => ({
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'AlertmanagerConfig',
      metadata: { name: 'api', namespace: 'shop' },
      spec: {
        route: { receiver: 'team', matchers: [SHOP_ONLY], routes: [{ receiver: 'team', activeTimeIntervals: [interval] }] },
        receivers: [{ name: 'team' }],
        muteTimeIntervals: [{ name: 'business-hours', timeIntervals: [{ weekdays: ['monday:friday'] }] }],
      },
    });
    expect(summarize(findingsOf([...cleanEnvironment(), config('business-hours')]))).toEqual([]);
    expect(summarize(findingsOf([...cleanEnvironment(), config('office-hours')]))).toEqual([
      'alertmanager-time-interval AlertmanagerConfig/shop/api spec.route.routes[0].activeTimeIntervals[0]: error: time interval "office-hours" is not defined in spec.muteTimeIntervals',
    ]);
  });

  it('are not required in a shared folder (dist/argocd/)', () => {
    const service = cleanEnvironment().find((o) => o.kind === 'Service') as Obj;
    service.metadata.namespace = 'argocd';
    expect(summarize(findingsOf([service], { shared: true, folder: 'argocd' }))).toEqual([]);
    expect(summarize(findingsOf([service]))).toEqual([
      'service-selector Service/argocd/api spec.selector: error: selects no pods: no pod template in namespace "argocd" has the labels {"app.kubernetes.io/name":"api","app.kubernetes.io/instance":"api-test"}',
    ]);
  });
});
