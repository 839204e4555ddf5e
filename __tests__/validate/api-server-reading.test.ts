import { toYaml } from '../../lib/yaml/writer';
import { formatFinding } from '../../lib/validate/finding';
import { validateFolder } from '../../lib/validate/validate';
import { after, cleanEnvironment, podOf, schemaStore } from './fixtures';

// The validator reads manifests as the API server does (issue 8, item 11).

const D = 'Deployment/shop/api';

describe('an explicit null is an absent field', () => {
  it('creationTimestamp: null, as kubectl create --dry-run -o yaml prints it, passes', () => {
    expect(after(({ byKind }) => {
      byKind('Deployment').metadata.creationTimestamp = null;
      byKind('Deployment').spec.template.metadata.creationTimestamp = null;
      byKind('Deployment').status = null;
    })).toEqual([]);
  });

  it('the same fields with a wrong value still fail', () => {
    expect(after(({ byKind }) => (byKind('Deployment').metadata.creationTimestamp = 'yesterday'))).toEqual([
      expect.stringMatching(/^schema Deployment\/shop\/api metadata\.creationTimestamp: error: /),
    ]);
  });
});

describe('kind: List', () => {
  const asList = (items: object[]) => [{ file: 'dist/test/list.yaml', text: toYaml({ apiVersion: 'v1', kind: 'List', items }) }];

  it('is unwrapped: a List of the clean environment is clean', () => {
    expect(validateFolder(schemaStore(), 'test', asList(cleanEnvironment()), false).map(formatFinding)).toEqual([]);
  });

  it('its items are validated, each under its own name and line', () => {
    const objects = cleanEnvironment();
    podOf(objects.find((o) => o.kind === 'Deployment')!).containers[0].image = 'ghcr.io/example/api:latest';
    expect(validateFolder(schemaStore(), 'test', asList(objects), false).map(formatFinding)).toEqual([
      expect.stringMatching(/^dist\/test\/list\.yaml:\d+: Deployment\/shop\/api: spec\.template\.spec\.containers\[0\]\.image: error: .*\(image-pinned\)$/),
    ]);
  });
});

describe('container ports', () => {
  it('two ports with the same number and protocol are an error', () => {
    expect(after(({ byKind }) => podOf(byKind('Deployment')).containers[0].ports.push({ name: 'metrics', containerPort: 8000, protocol: 'TCP' }))).toEqual([
      `duplicate-port ${D} spec.template.spec.containers[0].ports[1]: error: container "api" declares port 8000/TCP twice (also ports[0]): server-side apply refuses it and client-side apply merges the two`,
    ]);
  });

  it('the same number with another protocol is fine; the protocol defaults to TCP', () => {
    expect(after(({ byKind }) => podOf(byKind('Deployment')).containers[0].ports.push({ name: 'dns', containerPort: 8000, protocol: 'UDP' }))).toEqual([]);
    expect(after(({ byKind }) => podOf(byKind('Deployment')).containers[0].ports.push({ name: 'metrics', containerPort: 8000 }))).toEqual([
      expect.stringMatching(/^duplicate-port .* declares port 8000\/TCP twice/),
    ]);
  });
});

describe('pod anti-affinity spreads only pods of the namespaces it looks at', () => {
  const SELECTOR = { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api-test' } };
  const withAntiAffinity = (term: object) =>
    after(({ byKind }) => {
      const pod = podOf(byKind('Deployment'));
      delete pod.topologySpreadConstraints;
      pod.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: SELECTOR, topologyKey: 'kubernetes.io/hostname', ...term } }] } };
    });
  const notSpread = `spread ${D} spec.template.spec: error: HorizontalPodAutoscaler "api" scales it, but nothing spreads its pods over nodes or zones: add topologySpreadConstraints or podAntiAffinity selecting its pods`;

  it('its own namespace (by default, listed, or selected) counts', () => {
    expect(withAntiAffinity({})).toEqual([]);
    expect(withAntiAffinity({ namespaces: ['shop'] })).toEqual([]);
    expect(withAntiAffinity({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } })).toEqual([]);
    expect(withAntiAffinity({ namespaceSelector: {} })).toEqual([]);
  });

  it('another namespace does not', () => {
    expect(withAntiAffinity({ namespaces: ['other'] })).toEqual([notSpread]);
    expect(withAntiAffinity({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } })).toEqual([notSpread]);
  });
});

describe('the deprecated serviceAccount field', () => {
  it('is read like serviceAccountName', () => {
    expect(after(({ byKind }) => {
      const pod = podOf(byKind('Deployment'));
      delete pod.serviceAccountName;
      pod.serviceAccount = 'api';
    })).toEqual([]);
    expect(after(({ byKind }) => {
      const pod = podOf(byKind('Deployment'));
      delete pod.serviceAccountName;
      pod.serviceAccount = 'ghost';
    })).toEqual([`service-account-ref ${D} spec.template.spec.serviceAccount: error: ServiceAccount "ghost" does not exist in namespace "shop"`]);
  });

  it('its ServiceAccount decides whether the token is mounted', () => {
    expect(after(({ byKind, objects }) => {
      const pod = podOf(byKind('Deployment'));
      delete pod.serviceAccountName;
      delete pod.automountServiceAccountToken;
      pod.serviceAccount = 'api';
      objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'unused', namespace: 'shop' } });
    })).toEqual([]);
  });
});
