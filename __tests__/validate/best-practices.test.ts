import { after, Obj, podOf } from './fixtures';
import { unpinnedImage } from '../../lib/validate/practices/containers';
import { secretLooking } from '../../lib/validate/practices/secret-looking';

const D = 'Deployment/shop/api';
const C = 'spec.template.spec.containers[0]';
const api = (change: (pod: Obj) => void) => after(({ byKind }) => change(podOf(byKind('Deployment'))));

describe('best practices', () => {
  it('image pinned: no latest, a tag or a digest', () => {
    expect(api((pod) => (pod.containers[0].image = 'api:latest'))).toEqual([
      `image-pinned ${D} ${C}.image: error: container "api" image "api:latest" uses the tag "latest": pin a version tag or a digest`,
    ]);
    expect(api((pod) => (pod.containers[0].image = 'registry:5000/team/api'))).toEqual([
      `image-pinned ${D} ${C}.image: error: container "api" image "registry:5000/team/api" has no tag: pin a version tag or a digest`,
    ]);
    expect(unpinnedImage('registry:5000/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')).toBeUndefined();
    expect(unpinnedImage('ghcr.io/ai-odoofinder/api:1.4.2')).toBeUndefined();
  });

  it('CPU and memory requests, memory limit, requests within limits', () => {
    expect(api((pod) => (pod.containers[0].resources = { limits: { memory: '1Gi' } }))).toEqual([
      `resource-requests ${D} ${C}.resources: error: container "api" has no cpu request`,
      `resource-requests ${D} ${C}.resources: error: container "api" has no memory request`,
    ]);
    expect(api((pod) => delete pod.containers[0].resources.limits)).toEqual([`memory-limit ${D} ${C}.resources: error: container "api" has no memory limit`]);
    expect(api((pod) => (pod.containers[0].resources.requests.memory = '2Gi'))).toEqual([
      `resource-requests ${D} ${C}.resources.requests.memory: error: container "api" requests more memory than its limit (the API server rejects this)`,
    ]);
  });

  it('readiness probe on long-running containers; liveness is a warning', () => {
    expect(api((pod) => delete pod.containers[0].readinessProbe)).toEqual([`readiness-probe ${D} ${C}: error: container "api" of a long-running workload has no readinessProbe`]);
    expect(api((pod) => delete pod.containers[0].livenessProbe)).toEqual([`liveness-probe ${D} ${C}: warning: container "api" of a long-running workload has no livenessProbe`]);
  });

  it('liveness different from readiness', () => {
    expect(api((pod) => (pod.containers[0].livenessProbe = { httpGet: { port: 'http', path: '/ready' }, periodSeconds: 20 }))).toEqual([
      `probes-distinct ${D} ${C}.livenessProbe: error: container "api" uses the same check for liveness and readiness: a dependency outage would restart every pod`,
    ]);
  });

  it('probe ports name a container port', () => {
    expect(api((pod) => (pod.containers[0].livenessProbe.httpGet.port = 'htpp'))).toEqual([
      `probe-port ${D} ${C}.livenessProbe.httpGet.port: error: container "api" has no port named "htpp" for its livenessProbe`,
    ]);
  });

  it('read-only root filesystem', () => {
    expect(api((pod) => (pod.containers[0].securityContext.readOnlyRootFilesystem = false))).toEqual([
      `read-only-root-fs ${D} ${C}.securityContext: error: container "api" must set securityContext.readOnlyRootFilesystem to true (mount an emptyDir where it writes)`,
    ]);
  });

  it('no API token where no RoleBinding grants the ServiceAccount anything', () => {
    const message = 'the pods mount an API token for ServiceAccount "api", which no RoleBinding grants anything: set automountServiceAccountToken: false';
    expect(api((pod) => delete pod.automountServiceAccountToken)).toEqual([]); // the ServiceAccount says false
    expect(after(({ byKind }) => {
      delete podOf(byKind('Deployment')).automountServiceAccountToken;
      delete byKind('ServiceAccount').automountServiceAccountToken;
    })).toEqual([`service-account-token ${D} spec.template.spec: error: ${message}`]);
    expect(after(({ byKind, objects }) => {
      podOf(byKind('Deployment')).automountServiceAccountToken = true;
      objects.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'api', namespace: 'shop' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }],
      });
    })).toEqual([]);
  });

  it('no default namespace, and a namespace on every namespaced object', () => {
    expect(after(({ byKind }) => (byKind('ConfigMap', 'api-config').metadata.namespace = 'default'))).toContain(
      'namespace ConfigMap/default/api-config metadata.namespace: error: must not be in the "default" namespace',
    );
    expect(after(({ byKind }) => delete byKind('HorizontalPodAutoscaler').metadata.namespace)).toContain(
      'namespace HorizontalPodAutoscaler/api metadata: error: has no metadata.namespace: it would land in whatever namespace it is applied to',
    );
  });

  it('a PodDisruptionBudget for every Deployment and StatefulSet', () => {
    expect(after(({ byKind, objects }) => objects.splice(objects.indexOf(byKind('PodDisruptionBudget')), 1))).toEqual([
      `pdb ${D} spec.template: error: no PodDisruptionBudget selects the pods of Deployment "api"`,
    ]);
  });

  it('a NetworkPolicy for every Deployment and StatefulSet', () => {
    const only = (rule: string, findings: string[]) => findings.filter((f) => f.startsWith(`${rule} `));
    const remove = (name: string) => ({ byKind, objects }: { byKind: (kind: string, name?: string) => Obj; objects: Obj[] }) => objects.splice(objects.indexOf(byKind('NetworkPolicy', name)), 1);
    expect(only('network-policy', after((env) => (remove('api')(env), remove('default-deny')(env))))).toEqual([
      `network-policy ${D} spec.template: error: no NetworkPolicy restricts ingress to the pods of Deployment "api"`,
    ]);
    expect(only('network-policy', after((env) => (remove('default-deny')(env), (env.byKind('NetworkPolicy', 'api').spec.policyTypes = ['Egress']))))).toEqual([
      `network-policy ${D} spec.template: error: no NetworkPolicy restricts ingress to the pods of Deployment "api"`,
    ]);
    // The namespace's default deny restricts ingress to every pod.
    expect(only('network-policy', after((env) => remove('api')(env)))).toEqual([]);
  });

  it('default deny in the namespace, and a policy of its own for every pod template, Jobs and CronJobs too', () => {
    expect(after(({ byKind, objects }) => objects.splice(objects.indexOf(byKind('NetworkPolicy', 'default-deny')), 1))).toEqual([
      'network-default-deny Namespace/shop : error: namespace "shop" has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules): a pod no policy selects accepts and opens any connection',
    ]);
    // A policy with rules, or for one direction only, is no default deny.
    expect(after(({ byKind }) => (byKind('NetworkPolicy', 'default-deny').spec.policyTypes = ['Ingress']))).toHaveLength(1);
    expect(after(({ byKind }) => (byKind('NetworkPolicy', 'default-deny').spec.egress = [{}]))).toHaveLength(1);
    expect(after(({ byKind }) => (byKind('NetworkPolicy', 'default-deny').spec.podSelector = { matchLabels: {} }))).toEqual([]);
    expect(after(({ byKind, objects }) => objects.splice(objects.indexOf(byKind('NetworkPolicy', 'api')), 1))).toEqual([
      `network-pod-policy ${D} spec.template: error: no NetworkPolicy of its own selects the pods of Deployment "api": under the namespace's default deny they can reach nothing, not even DNS`,
    ]);
  });

  it('topology spread or anti-affinity when an HPA scales it or replicas > 1', () => {
    expect(api((pod) => delete pod.topologySpreadConstraints)).toEqual([
      `spread ${D} spec.template.spec: error: HorizontalPodAutoscaler "api" scales it, but nothing spreads its pods over nodes or zones: add topologySpreadConstraints or podAntiAffinity selecting its pods`,
    ]);
    expect(api((pod) => {
      delete pod.topologySpreadConstraints;
      pod.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } } }] } };
    })).toEqual([]);
    expect(api((pod) => (pod.topologySpreadConstraints[0].labelSelector = { matchLabels: { app: 'other' } }))).toEqual([
      `spread ${D} spec.template.spec: error: HorizontalPodAutoscaler "api" scales it, but nothing spreads its pods over nodes or zones: add topologySpreadConstraints or podAntiAffinity selecting its pods`,
      `spread ${D} spec.template.spec.topologySpreadConstraints[0].labelSelector: error: this topology spread constraint does not select the pods of its own workload, so it spreads nothing`,
    ]);
    expect(after(({ byKind, objects }) => {
      objects.splice(objects.indexOf(byKind('HorizontalPodAutoscaler')), 1);
      byKind('Deployment').spec.replicas = 3;
      delete podOf(byKind('Deployment')).topologySpreadConstraints;
    })).toEqual([
      `spread ${D} spec.template.spec: error: it has 3 replicas, but nothing spreads its pods over nodes or zones: add topologySpreadConstraints or podAntiAffinity selecting its pods`,
    ]);
  });

  it('no spec.replicas on a Deployment an HPA scales', () => {
    expect(after(({ byKind }) => (byKind('Deployment').spec.replicas = 2))).toEqual([
      `hpa-replicas ${D} spec.replicas: error: HorizontalPodAutoscaler "api" scales this Deployment: remove spec.replicas, or every sync resets the replica count`,
    ]);
  });

  it('no Secret objects', () => {
    expect(after(({ objects }) => objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: 'shop' }, stringData: { k: 'v' } }))).toEqual([
      'secret-object Secret/shop/keys kind: error: Secrets must not be committed: create them with an ExternalSecret (or in the cluster)',
    ]);
  });

  it('no literal secret-looking env values or ConfigMap data', () => {
    expect(api((pod) => pod.containers[0].env.push({ name: 'ANTHROPIC_API_KEY', value: 'not-really' }))).toEqual([
      `secret-literal ${D} ${C}.env[1].value: error: container "api" sets ANTHROPIC_API_KEY literally and its name says it is a secret: use valueFrom.secretKeyRef`,
    ]);
    expect(api((pod) => pod.containers[0].env.push({ name: 'DATABASE_URL', value: 'postgresql://odoo:hunter2@postgres:5432/odoo' }))).toEqual([
      `secret-literal ${D} ${C}.env[1].value: error: container "api" sets DATABASE_URL literally and its value looks like a URL with a password: use valueFrom.secretKeyRef`,
    ]);
    expect(after(({ byKind }) => (byKind('ConfigMap', 'api-config').data.EXTRA = 'sk-ant-api03-abcdefghijklmnopqrstuvwx'))).toEqual([
      'secret-literal ConfigMap/shop/api-config data.EXTRA: error: EXTRA is in a ConfigMap and its value looks like an API key (sk-...): keep it in a Secret',
    ]);
  });

  it('tells secret names from ordinary ones', () => {
    for (const name of ['OPENAI_API_KEY', 'DB_PASSWORD', 'GITHUB_TOKEN', 'CLIENT_SECRET', 'AWS_CREDENTIALS']) expect([name, secretLooking(name, 'x')]).toEqual([name, 'its name says it is a secret']);
    for (const name of ['MAX_TOKENS', 'CACHE_KEY_PREFIX', 'SECRETS_DIR', 'LOG_LEVEL', 'MONKEY']) expect([name, secretLooking(name, 'x')]).toEqual([name, undefined]);
    expect(secretLooking('REDIS_URL', 'redis://redis:6379/0')).toBeUndefined();
    expect(secretLooking('DATABASE_URL', 'postgresql://odoo@postgres/odoo')).toBeUndefined();
    expect(secretLooking('OPENAI_API_KEY', '')).toBeUndefined();
  });

  it('namespaces enforce Pod Security restricted', () => {
    expect(after(({ byKind }) => (byKind('Namespace').metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline'))).toEqual([
      'namespace-pod-security Namespace/shop metadata.labels: error: must have the label pod-security.kubernetes.io/enforce: restricted',
    ]);
  });

  it('objects small enough for client-side apply', () => {
    expect(after(({ byKind }) => (byKind('ConfigMap', 'api-config').data.BIG = 'x'.repeat(300000)))).toEqual([
      expect.stringMatching(/^object-size ConfigMap\/shop\/api-config : error: is 3\d{5} bytes, too large for client-side apply \(262144\): annotate argocd.argoproj.io\/sync-options: ServerSideApply=true or make it smaller$/),
    ]);
    expect(after(({ byKind }) => {
      const cm = byKind('ConfigMap', 'api-config');
      cm.data.BIG = 'x'.repeat(1100000);
      cm.metadata.annotations = { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' };
    })).toEqual([expect.stringMatching(/^object-size ConfigMap\/shop\/api-config : error: is 11\d{5} bytes; the API server stores at most 1048576$/)]);
    expect(after(({ byKind }) => {
      const cm = byKind('ConfigMap', 'api-config');
      cm.data.BIG = 'x'.repeat(300000);
      cm.metadata.annotations = { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' };
    })).toEqual([]);
  });
});
