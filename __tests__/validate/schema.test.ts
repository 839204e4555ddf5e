import { after, cleanEnvironment, findingsOf, podOf, summarize } from './fixtures';

const D = 'Deployment/shop/api';

describe('the fixture environment', () => {
  it('is clean, so each test below shows the findings of exactly one fault', () => {
    expect(summarize(findingsOf(cleanEnvironment()))).toEqual([]);
  });
});

describe('strict schema (Kubernetes 1.28 and vendored CRDs)', () => {
  it('rejects an unknown field in a Deployment, suggesting the likely one', () => {
    expect(after(({ byKind }) => (podOf(byKind('Deployment')).containers[0].imagePullPolicyy = 'Always'))).toEqual([
      `schema ${D} spec.template.spec.containers[0].imagePullPolicyy: error: unknown field "imagePullPolicyy" (did you mean "imagePullPolicy"?)`,
    ]);
  });

  it('rejects replicas: "two"', () => {
    expect(after(({ byKind, objects }) => {
      objects.splice(objects.indexOf(byKind('HorizontalPodAutoscaler')), 1);
      byKind('Deployment').spec.replicas = 'two';
    })).toEqual([`schema ${D} spec.replicas: error: must be integer, not string "two"`]);
  });

  it('rejects cpu: "half" as a quantity', () => {
    expect(after(({ byKind }) => (podOf(byKind('Deployment')).containers[0].resources.requests.cpu = 'half'))).toEqual([
      `schema ${D} spec.template.spec.containers[0].resources.requests.cpu: error: "half" is not a Kubernetes quantity (such as 250m, 0.5, 512Mi or 1Gi)`,
    ]);
  });

  it('rejects a missing required field', () => {
    expect(after(({ byKind }) => delete byKind('Deployment').spec.selector)).toEqual([`schema ${D} spec: error: missing required field "selector"`]);
  });

  it('rejects a value the API server does not accept though the OpenAPI document allows any string', () => {
    expect(after(({ byKind }) => (byKind('Service').spec.ports[0].protocol = 'HTTP'))).toEqual([
      'service-target-port Service/shop/api spec.ports[0].targetPort: error: targets port "http"/HTTP, but no container of Deployment "api" declares it',
      'schema Service/shop/api spec.ports[0].protocol: error: must be one of "TCP", "UDP", "SCTP", not string "HTTP"',
    ]);
    expect(after(({ byKind }) => (byKind('NetworkPolicy', 'api').spec.policyTypes = ['Ingres']))).toEqual([
      'schema NetworkPolicy/shop/api spec.policyTypes[0]: error: must be one of "Ingress", "Egress", not string "Ingres"',
    ]);
  });

  it('rejects an integer out of the int32 range', () => {
    expect(after(({ byKind }) => (byKind('HorizontalPodAutoscaler').spec.maxReplicas = 2 ** 31))).toEqual([
      'schema HorizontalPodAutoscaler/shop/api spec.maxReplicas: error: 2147483648 is not a valid int32',
    ]);
  });

  it('rejects a policy/v1beta1 PodDisruptionBudget: removed in 1.25', () => {
    expect(after(({ byKind }) => (byKind('PodDisruptionBudget').apiVersion = 'policy/v1beta1'))).toEqual([
      'removed-api PodDisruptionBudget/shop/api apiVersion: error: policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25: use apiVersion policy/v1',
    ]);
  });

  it.each([
    ['extensions/v1beta1', 'Ingress', '1.22', 'networking.k8s.io/v1'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26', 'autoscaling/v2'],
    ['batch/v1beta1', 'CronJob', '1.25', 'batch/v1'],
  ])('rejects %s %s: removed in %s', (apiVersion, kind, release, replacement) => {
    const found = summarize(findingsOf([{ apiVersion, kind, metadata: { name: 'x', namespace: 'shop' } }]));
    expect(found).toContain(`removed-api ${kind}/shop/x apiVersion: error: ${apiVersion} ${kind} was removed in Kubernetes ${release}: use apiVersion ${replacement}`);
  });

  it('rejects a kind it has no schema for', () => {
    expect(summarize(findingsOf([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } }]))).toEqual([
      'schema Widget/shop/w apiVersion: error: no schema for apiVersion example.com/v1 kind Widget in Kubernetes 1.28 or the vendored CRDs: add its CRD to schemas/crds/ (and record its source in schemas/SOURCES.md)',
    ]);
  });

  it('rejects a known kind under a version Kubernetes 1.28 does not serve', () => {
    expect(summarize(findingsOf([{ apiVersion: 'apps/v2', kind: 'Deployment', metadata: { name: 'x', namespace: 'shop' } }]))).toEqual([
      'schema Deployment/shop/x apiVersion: error: no schema for apiVersion apps/v2 kind Deployment in Kubernetes 1.28 or the vendored CRDs: Deployment exists as apps/v1',
    ]);
  });

  it('rejects an unknown field in a custom resource (CRD schema)', () => {
    expect(after(({ byKind }) => (byKind('ServiceMonitor').spec.endpoints[0].scrapeEvery = '30s'))).toEqual([
      'schema ServiceMonitor/shop/api spec.endpoints[0].scrapeEvery: error: unknown field "scrapeEvery"',
    ]);
  });

  it('rejects a PrometheusRule with for: 5 minutes', () => {
    expect(after(({ byKind }) => (byKind('PrometheusRule').spec.groups[0].rules[1].for = '5 minutes'))).toEqual([
      'schema PrometheusRule/shop/api spec.groups[0].rules[1].for: error: "5 minutes" is not a Prometheus duration (such as 30s, 5m or 1h30m)',
    ]);
  });

  it('rejects a CRD version that is no longer served (ExternalSecret v1beta1)', () => {
    const es = { apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 'keys', namespace: 'shop' }, spec: {} };
    expect(summarize(findingsOf([es]))).toEqual([
      'schema ExternalSecret/shop/keys apiVersion: error: external-secrets.io/v1beta1 ExternalSecret is not served by its CRD any more: use apiVersion external-secrets.io/v1',
    ]);
  });

  it('keeps fields under x-kubernetes-preserve-unknown-fields (Argo CD Helm values object)', () => {
    const app = (values: object) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'api', namespace: 'argocd' },
      spec: {
        project: 'default',
        destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
        source: { repoURL: 'https://example.com/repo.git', path: 'dist/shop', targetRevision: 'main', helm: { valuesObject: values } },
      },
    });
    expect(summarize(findingsOf([app({ anything: { goes: 1 } })], { shared: true, folder: 'argocd' }))).toEqual([]);
    const typo = app({});
    (typo.spec as Record<string, unknown>).destinaton = {};
    expect(summarize(findingsOf([typo], { shared: true, folder: 'argocd' }))).toEqual([
      'schema Application/argocd/api spec.destinaton: error: unknown field "destinaton" (did you mean "destination"?)',
    ]);
  });

  it('rejects an object without metadata.name', () => {
    expect(after(({ byKind }) => delete byKind('ConfigMap', 'api-config').metadata.name)).toContain(
      'schema ConfigMap/shop/<unnamed> metadata: error: missing required field "name"',
    );
  });
});
