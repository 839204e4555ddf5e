import { Manifest } from '../../lib/synth/render';
import { databaseUrlSecret } from '../../lib/delivery/settings';
import { committedEnvironment, find, kubernetesEnvironmentNames, manifestsOf, minimalEnvironment } from '../support/env';

const podSpec = (m: Manifest): any => (m.spec as any).template.spec;
const apiContainer = (m: Manifest): any => podSpec(m).containers.find((c: any) => c.name === 'api');

describe.each(kubernetesEnvironmentNames())('the API workload of %s', (envName) => {
  const env = committedEnvironment(envName);
  const manifests = manifestsOf(env);
  const deployment = find(manifests, 'Deployment', 'ai-odoo-finder');
  const container = apiContainer(deployment);
  const spec = deployment.spec as any;

  test('has no spec.replicas: the HPA owns the replica count', () => {
    expect(spec).not.toHaveProperty('replicas');
  });

  test('passes Pod Security "restricted" explicitly, with the image user', () => {
    expect(podSpec(deployment).securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext.capabilities.add).toBeUndefined();
  });

  test('writes only to emptyDir volumes at /tmp and /app/logs', () => {
    expect(container.volumeMounts.map((v: any) => v.mountPath).sort()).toEqual(['/app/logs', '/tmp']);
    for (const volume of podSpec(deployment).volumes) expect(Object.keys(volume).sort()).toEqual(['emptyDir', 'name']);
  });

  test('runs as its own ServiceAccount without a token', () => {
    const serviceAccount = find(manifests, 'ServiceAccount', podSpec(deployment).serviceAccountName);
    expect(serviceAccount.automountServiceAccountToken).toBe(false);
    expect(podSpec(deployment).automountServiceAccountToken).toBe(false);
  });

  test('probes /health (liveness) and /ready (readiness) on the named port, as the seed says', () => {
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/health', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 10 });
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 5 });
  });

  test('takes DATABASE_URL and the API keys from Secrets, never as literals', () => {
    const env_ = Object.fromEntries(container.env.map((e: any) => [e.name, e]));
    for (const name of ['DATABASE_URL', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY']) {
      expect(env_[name].value).toBeUndefined();
      expect(env_[name].valueFrom.secretKeyRef).toEqual(expect.objectContaining({ name: expect.any(String), key: expect.any(String) }));
    }
    expect(env_.DATABASE_URL.valueFrom.secretKeyRef).toEqual(databaseUrlSecret(env));
    expect(container.env.filter((e: any) => e.value !== undefined)).toEqual([]);
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('takes the plain settings from its ConfigMap and rolls when they change', () => {
    const configMap = find(manifests, 'ConfigMap', container.envFrom[0].configMapRef.name);
    expect(configMap.data).toMatchObject({ LOG_LEVEL: env.app.logLevel, ENABLE_RERANKING_DEFAULT: String(env.app.enableRerankingDefault) });
    expect(Object.keys(configMap.data as object)).not.toContain('DATABASE_URL');
    expect(spec.template.metadata.annotations['checksum/config']).toMatch(/^[a-f0-9]{64}$/);
  });

  test('rolls out without downtime', () => {
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } });
    expect(spec.progressDeadlineSeconds).toBeGreaterThan(0);
    const preStopSeconds = Number(container.lifecycle.preStop.exec.command[1]);
    expect(container.lifecycle.preStop.exec.command[0]).toBe('sleep');
    expect(podSpec(deployment).terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds + 10);
    const keys = podSpec(deployment).topologySpreadConstraints.map((t: any) => t.topologyKey);
    expect(keys).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
  });

  test('selects pods by stable recommended labels, never by cdk8s address or version', () => {
    const selector = spec.selector.matchLabels;
    expect(selector).toEqual({
      'app.kubernetes.io/name': 'ai-odoo-finder',
      'app.kubernetes.io/instance': `ai-odoo-finder-${envName}`,
      'app.kubernetes.io/component': 'api',
    });
    expect(JSON.stringify(manifests)).not.toContain('cdk8s.io/metadata.addr');
    expect(spec.template.metadata.labels).toMatchObject(selector);
    expect(find(manifests, 'Service', 'ai-odoo-finder').spec).toMatchObject({ selector });
    expect((find(manifests, 'PodDisruptionBudget', 'ai-odoo-finder').spec as any).selector.matchLabels).toEqual(selector);
  });

  test('every object carries the recommended labels', () => {
    expect.hasAssertions();
    for (const m of manifests.filter((o) => o.kind !== 'Namespace')) {
      expect(Object.keys(m.metadata.labels ?? {})).toEqual(
        expect.arrayContaining([
          'app.kubernetes.io/name',
          'app.kubernetes.io/instance',
          'app.kubernetes.io/version',
          'app.kubernetes.io/component',
          'app.kubernetes.io/part-of',
          'app.kubernetes.io/managed-by',
        ]),
      );
      // Datastores (PostgreSQL, Redis) carry their own image's version.
      if (m.metadata.labels!['app.kubernetes.io/name'] === 'ai-odoo-finder') expect(m.metadata.labels!['app.kubernetes.io/version']).toBe(env.image.tag);
      expect(m.metadata.namespace).toBe(env.namespace);
    }
  });

  test('runs the configured image', () => {
    expect(container.image).toBe(`${env.image.repository}:${env.image.tag}`);
  });

  test('the Service sends port 80 to the named port', () => {
    const service = find(manifests, 'Service', 'ai-odoo-finder');
    expect((service.spec as any).ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect((service.spec as any).type).toBe('ClusterIP');
  });

  test('the HPA scales the workload within the configured bounds, with explicit behavior (production: the canary Rollout)', () => {
    const hpa = find(manifests, 'HorizontalPodAutoscaler', 'ai-odoo-finder');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    const target = envName === 'production' ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } : { apiVersion: 'apps/v1', kind: 'Deployment' };
    expect(env.delivery.strategy).toBe(envName === 'production' ? 'canary' : 'rolling');
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { ...target, name: deployment.metadata.name },
      minReplicas: env.autoscaling.minReplicas,
      maxReplicas: env.autoscaling.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: env.autoscaling.targetCPUUtilization } } }],
    });
    expect((hpa.spec as any).behavior.scaleUp.policies.length).toBeGreaterThan(0);
    expect((hpa.spec as any).behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThan(0);
  });

  test('the PDB lets a node drain even at the HPA minimum', () => {
    const pdb = find(manifests, 'PodDisruptionBudget', 'ai-odoo-finder');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect((pdb.spec as any).maxUnavailable).toBe(1);
    expect((pdb.spec as any).minAvailable).toBeUndefined();
  });

  test('the Namespace enforces Pod Security "restricted"', () => {
    const namespace = find(manifests, 'Namespace', env.namespace);
    expect(namespace.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  test('the Namespace, and the volumes in it, survive Argo CD: never pruned, never deleted with the Application', () => {
    expect(find(manifests, 'Namespace', env.namespace).metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
  });
});

describe('one-line changes', () => {
  const base = minimalEnvironment();
  const deploymentOf = (overrides: object) => find(manifestsOf(minimalEnvironment(overrides)), 'Deployment', 'ai-odoo-finder');

  test('a settings change rolls the pods (the checksum changes)', () => {
    const checksum = (m: Manifest) => (m.spec as any).template.metadata.annotations['checksum/config'];
    expect(checksum(deploymentOf({ app: { enableRerankingDefault: false } }))).not.toBe(checksum(deploymentOf({})));
    expect(checksum(deploymentOf({}))).toBe(checksum(find(manifestsOf(base), 'Deployment', 'ai-odoo-finder')));
  });

  test('turning reranking off reaches the ConfigMap', () => {
    const configMap = find(manifestsOf(minimalEnvironment({ app: { enableRerankingDefault: false } })), 'ConfigMap', 'ai-odoo-finder-config');
    expect((configMap.data as any).ENABLE_RERANKING_DEFAULT).toBe('false');
  });

  test('the image tag sets the image and the version label, but not the selector', () => {
    const a = deploymentOf({ image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '2.0.0' } });
    expect(apiContainer(a).image).toBe('ghcr.io/ai-odoofinder/api:2.0.0');
    expect(a.metadata.labels!['app.kubernetes.io/version']).toBe('2.0.0');
    expect((a.spec as any).selector).toEqual((deploymentOf({}).spec as any).selector);
  });

  test('a digest pins the image by digest', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const a = deploymentOf({ image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '2.0.0', digest } });
    expect(apiContainer(a).image).toBe(`ghcr.io/ai-odoofinder/api:2.0.0@${digest}`);
  });

  test('resources come from the config', () => {
    const a = deploymentOf({ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } });
    expect(apiContainer(a).resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
  });

  test('REDIS_URL can come from a Secret instead of the ConfigMap', () => {
    const manifests = manifestsOf(minimalEnvironment({ secrets: { redisUrl: { name: 'redis', key: 'url' } } }));
    const container = apiContainer(find(manifests, 'Deployment', 'ai-odoo-finder'));
    expect(container.env.find((e: any) => e.name === 'REDIS_URL').valueFrom.secretKeyRef).toEqual({ name: 'redis', key: 'url' });
    expect((find(manifests, 'ConfigMap', 'ai-odoo-finder-config').data as any).REDIS_URL).toBeUndefined();
  });

  test('the Service type and its annotations are per environment', () => {
    const service = find(manifestsOf(minimalEnvironment({ service: { type: 'LoadBalancer', annotations: { 'example.com/lb': 'internal' } } })), 'Service', 'ai-odoo-finder');
    expect((service.spec as any).type).toBe('LoadBalancer');
    expect(service.metadata.annotations).toEqual({ 'example.com/lb': 'internal' });
  });

  test('extra labels and annotations go on every object, without overriding the recommended ones', () => {
    const manifests = manifestsOf(
      minimalEnvironment({ labels: { team: 'search', 'app.kubernetes.io/name': 'nope' }, annotations: { 'example.com/owner': 'search' } }),
    );
    for (const m of manifests) {
      expect(m.metadata.labels).toMatchObject({ team: 'search' });
      expect(m.metadata.annotations).toMatchObject({ 'example.com/owner': 'search' });
    }
    expect(find(manifests, 'Deployment', 'ai-odoo-finder').metadata.labels!['app.kubernetes.io/name']).toBe('ai-odoo-finder');
  });
});
