import { Environment } from '../../config/schema';
import { containersOf, describe as name, matches, podTemplates } from '../../lib/manifests/rendered-pods';
import { find, findAll, manifestsOf } from '../support/env';
import { everyMode } from '../support/delivery';

/**
 * Every reference between objects of one environment resolves inside the same
 * dist/<env>/ (Secrets excepted: they are created by ExternalSecrets or exist in the cluster).
 */
describe.each(everyMode().map((e) => [e.name, e] as [string, Environment]))('references inside %s', (_, env) => {
  const manifests = manifestsOf(env);
  const pods = podTemplates(manifests);
  /** `Kind/name` of every object, to check references against. */
  const objects = new Set(manifests.map((m) => `${m.kind}/${m.metadata.name}`));
  const missing = (refs: { kind: string; name: string; from: string }[]) => refs.filter((r) => !objects.has(`${r.kind}/${r.name}`));

  test('every Service selects pods, on ports those pods name', () => {
    expect(findAll(manifests, 'Service').length).toBeGreaterThan(0);
    for (const svc of findAll(manifests, 'Service')) {
      const spec = svc.spec as { selector: Record<string, string>; ports: { targetPort: string | number }[] };
      const selected = pods.filter((p) => matches(spec.selector, p.labels) && p.owner.kind !== 'Job');
      expect({ service: svc.metadata.name, pods: selected.length > 0 }).toEqual({ service: svc.metadata.name, pods: true });
      for (const port of spec.ports) {
        for (const pod of selected) {
          const names = containersOf(pod.spec).flatMap((c) => (c.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
          expect(names).toContain(port.targetPort);
        }
      }
    }
  });

  test('every PDB selects the pods of exactly one workload', () => {
    expect(findAll(manifests, 'PodDisruptionBudget').length).toBeGreaterThan(0);
    for (const pdb of findAll(manifests, 'PodDisruptionBudget')) {
      const selector = (pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
      expect({ pdb: pdb.metadata.name, owners: pods.filter((p) => matches(selector, p.labels)).map((p) => name(p.owner)).length }).toEqual({ pdb: pdb.metadata.name, owners: 1 });
    }
  });

  test('every HPA scales a workload of this environment', () => {
    const targets = findAll(manifests, 'HorizontalPodAutoscaler').map((hpa) => ({ ...(hpa.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef, from: hpa.metadata.name }));
    expect(targets.length).toBeGreaterThan(0);
    expect(missing(targets)).toEqual([]);
  });

  test('every Ingress backend is a Service port of this environment', () => {
    const ingresses = findAll(manifests, 'Ingress');
    expect(ingresses.length > 0).toBe(env.ingress.enabled);
    for (const ing of ingresses) {
      type Backend = { service: { name: string; port: { name?: string; number?: number } } };
      const backends = (ing.spec as { rules: { http: { paths: { backend: Backend }[] } }[] }).rules.flatMap((r) => r.http.paths.map((p) => p.backend));
      for (const b of backends) {
        const ports = (find(manifests, 'Service', b.service.name).spec as { ports: { name: string; port: number }[] }).ports;
        expect(ports.some((p) => p.name === b.service.port.name || p.port === b.service.port.number)).toBe(true);
      }
    }
  });

  test('every pod names a ServiceAccount, ConfigMap and PersistentVolumeClaim of this environment', () => {
    const refs = pods.flatMap((pod) => {
      const from = name(pod.owner);
      return [
        { kind: 'ServiceAccount', name: pod.spec.serviceAccountName ?? 'default', from },
        ...(pod.spec.volumes ?? []).flatMap((v) => [
          ...(v.configMap ? [{ kind: 'ConfigMap', name: v.configMap.name, from }] : []),
          ...(v.persistentVolumeClaim ? [{ kind: 'PersistentVolumeClaim', name: v.persistentVolumeClaim.claimName, from }] : []),
        ]),
        ...containersOf(pod.spec).flatMap((c) => (c.envFrom ?? []).flatMap((f) => (f.configMapRef ? [{ kind: 'ConfigMap', name: f.configMapRef.name, from }] : []))),
      ];
    });
    expect(refs.length).toBeGreaterThanOrEqual(pods.length);
    expect(missing(refs)).toEqual([]);
  });

  test('every StatefulSet has its governing Service', () => {
    const governing = findAll(manifests, 'StatefulSet').map((s) => ({ kind: 'Service', name: (s.spec as { serviceName: string }).serviceName, from: s.metadata.name }));
    expect(missing(governing)).toEqual([]);
  });
});
