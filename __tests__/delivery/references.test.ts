import { Environment } from '../../config/schema';
import { containersOf, describe as name, matches, podTemplates } from '../../lib/manifests/pods';
import { find, findAll, manifestsOf } from '../support/env';
import { everyMode } from '../support/delivery';

/**
 * Every reference between objects of one environment resolves inside the same
 * dist/<env>/ (Secrets excepted: they are created by ExternalSecrets or exist in the cluster).
 */
describe.each(everyMode().map((e) => [e.name, e] as [string, Environment]))('references inside %s', (_, env) => {
  const manifests = manifestsOf(env);
  const pods = podTemplates(manifests);

  test('every Service selects pods, on ports those pods name', () => {
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
    for (const pdb of findAll(manifests, 'PodDisruptionBudget')) {
      const selector = (pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
      expect({ pdb: pdb.metadata.name, owners: pods.filter((p) => matches(selector, p.labels)).map((p) => name(p.owner)).length }).toEqual({ pdb: pdb.metadata.name, owners: 1 });
    }
  });

  test('every HPA scales a Deployment of this environment', () => {
    for (const hpa of findAll(manifests, 'HorizontalPodAutoscaler')) {
      const ref = (hpa.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef;
      expect(find(manifests, ref.kind, ref.name)).toBeDefined();
    }
  });

  test('every Ingress backend is a Service port of this environment', () => {
    for (const ing of findAll(manifests, 'Ingress')) {
      type Backend = { service: { name: string; port: { name?: string; number?: number } } };
      const backends = (ing.spec as { rules: { http: { paths: { backend: Backend }[] } }[] }).rules.flatMap((r) => r.http.paths.map((p) => p.backend));
      for (const b of backends) {
        const ports = (find(manifests, 'Service', b.service.name).spec as { ports: { name: string; port: number }[] }).ports;
        expect(ports.some((p) => p.name === b.service.port.name || p.port === b.service.port.number)).toBe(true);
      }
    }
  });

  test('every pod names a ServiceAccount, ConfigMap and PersistentVolumeClaim of this environment', () => {
    for (const pod of pods) {
      find(manifests, 'ServiceAccount', pod.spec.serviceAccountName ?? 'default');
      for (const v of pod.spec.volumes ?? []) {
        if (v.configMap) find(manifests, 'ConfigMap', v.configMap.name);
        if (v.persistentVolumeClaim) find(manifests, 'PersistentVolumeClaim', v.persistentVolumeClaim.claimName);
      }
      for (const c of containersOf(pod.spec)) for (const f of c.envFrom ?? []) if (f.configMapRef) find(manifests, 'ConfigMap', f.configMapRef.name);
    }
  });

  test('every StatefulSet has its governing Service', () => {
    for (const s of findAll(manifests, 'StatefulSet')) find(manifests, 'Service', (s.spec as { serviceName: string }).serviceName);
  });
});
