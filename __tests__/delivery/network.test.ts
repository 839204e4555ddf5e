import { Environment } from '../../config/schema';
import { containersOf, describe as name, matches, podTemplates, RenderedPodTemplate } from '../../lib/manifests/rendered-pods';
import { committedEnvironment, find, findAll, manifestsOf, minimalEnvironment, kubernetesEnvironmentNames } from '../support/env';
import { everyMode } from '../support/delivery';
import type { Manifest } from '../../lib/synth/render';
import { toYaml } from '../../lib/yaml/writer';
import { formatFinding } from '../../lib/validate/finding';
import { validateFolder } from '../../lib/validate/validate';
import { schemaStore } from '../validate/fixtures';

type Peer = { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: { matchLabels?: Record<string, string> }; ipBlock?: { cidr: string } };
type Port = { port: number | string; protocol: string };
type Rule = { from?: Peer[]; to?: Peer[]; ports?: Port[] };
type PolicySpec = { podSelector: { matchLabels?: Record<string, string> }; policyTypes: string[]; ingress?: Rule[]; egress?: Rule[] };

const spec = (m: Manifest) => m.spec as PolicySpec;
const selectorOf = (m: Manifest) => spec(m).podSelector.matchLabels ?? {};
const containerPorts = (pod: RenderedPodTemplate) => containersOf(pod.spec).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
const DNS = { namespace: 'kube-system', pod: 'kube-dns' };

/** The non-default policies that select this pod. */
function policiesOf(manifests: Manifest[], pod: RenderedPodTemplate): Manifest[] {
  return findAll(manifests, 'NetworkPolicy').filter((p) => Object.keys(selectorOf(p)).length > 0 && matches(selectorOf(p), pod.labels));
}

describe.each(everyMode().map((env) => [env.name, env] as [string, Environment]))('NetworkPolicies of %s', (_, env) => {
  const manifests = manifestsOf(env);
  const pods = podTemplates(manifests);

  test('the namespace denies all ingress and egress by default', () => {
    const deny = find(manifests, 'NetworkPolicy', 'default-deny');
    expect(spec(deny)).toEqual({ podSelector: { matchLabels: {} }, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
  });

  test('every pod is selected by exactly one policy of its own, governing both directions', () => {
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) {
      const policies = policiesOf(manifests, pod);
      expect({ pod: name(pod.owner), policies: policies.length }).toEqual({ pod: name(pod.owner), policies: 1 });
      expect(spec(policies[0]).policyTypes).toEqual(['Ingress', 'Egress']);
    }
  });

  test('ingress is only allowed on ports the selected pods listen on', () => {
    expect.hasAssertions();
    for (const policy of findAll(manifests, 'NetworkPolicy')) {
      const selected = pods.filter((p) => matches(selectorOf(policy), p.labels));
      for (const rule of spec(policy).ingress ?? []) {
        for (const port of rule.ports ?? []) {
          for (const pod of selected) expect({ policy: policy.metadata.name, pod: name(pod.owner), port: containerPorts(pod).includes(Number(port.port)) }).toEqual({ policy: policy.metadata.name, pod: name(pod.owner), port: true });
        }
      }
    }
  });

  test('egress to pods of the namespace targets pods that exist and ports they listen on', () => {
    expect.hasAssertions();
    for (const policy of findAll(manifests, 'NetworkPolicy')) {
      for (const rule of spec(policy).egress ?? []) {
        for (const peer of rule.to ?? []) {
          if (!peer.podSelector || peer.namespaceSelector) continue;
          const targets = pods.filter((p) => matches(peer.podSelector!.matchLabels ?? {}, p.labels));
          expect({ policy: policy.metadata.name, targets: targets.length > 0 }).toEqual({ policy: policy.metadata.name, targets: true });
          for (const port of rule.ports ?? []) for (const t of targets) expect(containerPorts(t)).toContain(Number(port.port));
        }
      }
    }
  });

  test('ingress from pods of the namespace names pods that exist', () => {
    expect.hasAssertions();
    for (const policy of findAll(manifests, 'NetworkPolicy')) {
      for (const rule of spec(policy).ingress ?? []) {
        for (const peer of rule.from ?? []) {
          if (peer.podSelector && !peer.namespaceSelector) expect(pods.some((p) => matches(peer.podSelector!.matchLabels ?? {}, p.labels))).toBe(true);
        }
      }
    }
  });

  test('a workload\'s policy carries the version label of the pods it selects (a datastore\'s image version, not the API\'s)', () => {
    let checked = 0;
    for (const policy of findAll(manifests, 'NetworkPolicy')) {
      if (Object.keys(selectorOf(policy)).length === 0) continue;
      for (const pod of pods.filter((p) => matches(selectorOf(policy), p.labels))) {
        checked++;
        expect({ policy: policy.metadata.name, version: policy.metadata.labels?.['app.kubernetes.io/version'] }).toEqual({ policy: policy.metadata.name, version: pod.labels['app.kubernetes.io/version'] });
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  test('every pod that may send anything may resolve names (kube-dns, UDP and TCP 53)', () => {
    expect.hasAssertions();
    for (const policy of findAll(manifests, 'NetworkPolicy')) {
      const egress = spec(policy).egress ?? [];
      if (egress.length === 0) continue;
      const dns = egress.find((r) => r.to?.some((p) => p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === DNS.namespace && p.podSelector?.matchLabels?.['k8s-app'] === DNS.pod));
      expect(dns?.ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    }
  });
});

describe('what each workload may reach', () => {
  const ports = (rules: Rule[] | undefined) => (rules ?? []).flatMap((r) => (r.ports ?? []).map((p) => `${p.protocol}/${p.port}`)).sort();

  test('the API: in from the ingress controller, Prometheus and the smoke test on 8000; out to DNS, PostgreSQL, Redis and HTTPS', () => {
    const api = spec(find(manifestsOf(committedEnvironment('staging')), 'NetworkPolicy', 'ai-odoo-finder'));
    expect(api.ingress!.map((r) => r.from)).toEqual([
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      [{ podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'smoke-test' }) } }],
    ]);
    expect(ports(api.ingress)).toEqual(['TCP/8000', 'TCP/8000', 'TCP/8000']);
    expect(ports(api.egress)).toEqual(['TCP/443', 'TCP/53', 'TCP/5432', 'TCP/6379', 'UDP/53']);
  });

  test('the namespace selectors of the ingress controller and Prometheus come from the config', () => {
    const env = minimalEnvironment({ ingress: { enabled: true, host: 'a.example.com' }, network: { ingressControllerNamespace: { 'team': 'edge' }, prometheusNamespace: { 'kubernetes.io/metadata.name': 'observability' } } });
    const api = spec(find(manifestsOf(env), 'NetworkPolicy', 'ai-odoo-finder'));
    expect(api.ingress![0].from).toEqual([{ namespaceSelector: { matchLabels: { team: 'edge' } } }]);
    expect(api.ingress![1].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }]);
  });

  test('datastore NetworkPolicies in staging are labelled with the PostgreSQL and Redis image versions', () => {
    const manifests = manifestsOf(committedEnvironment('staging'));
    const version = (name: string) => find(manifests, 'NetworkPolicy', name).metadata.labels?.['app.kubernetes.io/version'];
    expect([version('postgresql'), version('postgresql-backup'), version('redis'), version('ai-odoo-finder')]).toEqual(['0.8.0-pg16', '0.8.0-pg16', '7.4.1-alpine', '1.4.2']);
  });

  test('external datastores: the default ports 5432 and 6379 at every IPv4 and IPv6 address', () => {
    const external = minimalEnvironment({ datastores: { mode: 'external' }, secrets: { redisUrl: { name: 'r', key: 'url' } } });
    const manifests = manifestsOf(external);
    const every = [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }];
    const egress = spec(find(manifests, 'NetworkPolicy', 'ai-odoo-finder')).egress!;
    expect(egress.filter((r) => r.to?.[0]?.ipBlock).map((r) => [ports([r]), r.to])).toEqual([[['TCP/5432'], every], [['TCP/6379'], every], [['TCP/443'], every]]);
    expect(ports(spec(find(manifests, 'NetworkPolicy', 'ai-odoo-finder-migrate')).egress)).toEqual(['TCP/53', 'TCP/5432', 'UDP/53']);
  });

  test('external datastores: other ports in one line (TLS Redis on 6380, a pooler on 6432 and 6543), for the API and the migration', () => {
    const external = minimalEnvironment({
      datastores: { mode: 'external', external: { cidrs: ['10.20.0.0/16', 'fd00:20::/64'], ports: { postgresql: [6432, 6543], redis: [6380] } } },
      secrets: { redisUrl: { name: 'r', key: 'url' } },
    });
    const manifests = manifestsOf(external);
    const addresses = [{ ipBlock: { cidr: '10.20.0.0/16' } }, { ipBlock: { cidr: 'fd00:20::/64' } }];
    const api = spec(find(manifests, 'NetworkPolicy', 'ai-odoo-finder')).egress!;
    expect(api.filter((r) => r.to?.[0]?.ipBlock?.cidr === '10.20.0.0/16').map((r) => [ports([r]), r.to])).toEqual([[['TCP/6432', 'TCP/6543'], addresses], [['TCP/6380'], addresses]]);
    expect(ports(api)).not.toContain('TCP/5432');
    expect(ports(api)).not.toContain('TCP/6379');
    expect(ports(spec(find(manifests, 'NetworkPolicy', 'ai-odoo-finder-migrate')).egress)).toEqual(['TCP/53', 'TCP/6432', 'TCP/6543', 'UDP/53']);
  });

  test('in-cluster datastores keep their own ports whatever datastores.external.ports says', () => {
    const manifests = manifestsOf(minimalEnvironment({ datastores: { mode: 'in-cluster', external: { ports: { postgresql: [6432], redis: [6380] } } } }));
    expect(ports(spec(find(manifests, 'NetworkPolicy', 'ai-odoo-finder')).egress)).toEqual(['TCP/443', 'TCP/53', 'TCP/5432', 'TCP/6379', 'UDP/53']);
  });

  test('HTTPS egress defaults to every IPv4 and IPv6 address; a configured list replaces it', () => {
    const https = (overrides: object) => spec(find(manifestsOf(minimalEnvironment(overrides)), 'NetworkPolicy', 'ai-odoo-finder')).egress!.find((r) => r.ports?.[0]?.port === 443)!.to;
    expect(https({})).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }]);
    expect(https({ network: { httpsEgressCidrs: ['160.79.104.0/23'] } })).toEqual([{ ipBlock: { cidr: '160.79.104.0/23' } }]);
  });

  test('external datastores are reached at the configured addresses, in-cluster ones only at their pods', () => {
    const external = minimalEnvironment({ datastores: { mode: 'external', external: { cidrs: ['10.20.0.0/16'] } }, secrets: { redisUrl: { name: 'r', key: 'url' } } });
    const egress = spec(find(manifestsOf(external), 'NetworkPolicy', 'ai-odoo-finder')).egress!;
    expect(egress.filter((r) => ['5432', '6379'].includes(String(r.ports![0].port))).map((r) => r.to)).toEqual([[{ ipBlock: { cidr: '10.20.0.0/16' } }], [{ ipBlock: { cidr: '10.20.0.0/16' } }]]);
    const inCluster = spec(find(manifestsOf(minimalEnvironment()), 'NetworkPolicy', 'ai-odoo-finder')).egress!;
    expect(inCluster.filter((r) => ['5432', '6379'].includes(String(r.ports![0].port))).flatMap((r) => r.to!.map((p) => Object.keys(p)))).toEqual([['podSelector'], ['podSelector']]);
  });

  test('PostgreSQL admits the API, the migration, the backup and its exporter, and sends nothing; Redis admits only the API and its exporter', () => {
    const manifests = manifestsOf(committedEnvironment('staging'));
    const pg = spec(find(manifests, 'NetworkPolicy', 'postgresql'));
    expect(pg.ingress!.flatMap((r) => r.from!.map((p) => p.podSelector!.matchLabels!['app.kubernetes.io/component']))).toEqual(['api', 'migration', 'backup', 'database-metrics']);
    expect(ports(pg.ingress)).toEqual(['TCP/5432']);
    expect(pg.egress).toEqual([]);
    const redis = spec(find(manifests, 'NetworkPolicy', 'redis'));
    expect(redis.ingress!.flatMap((r) => r.from!.map((p) => p.podSelector!.matchLabels!['app.kubernetes.io/component']))).toEqual(['api', 'cache-metrics']);
    expect(redis.egress).toEqual([]);
  });

  test('hooks: the migration reaches only DNS and PostgreSQL, the smoke test only DNS and the API; nothing reaches them', () => {
    const manifests = manifestsOf(committedEnvironment('staging'));
    const migration = spec(find(manifests, 'NetworkPolicy', 'ai-odoo-finder-migrate'));
    expect(ports(migration.egress)).toEqual(['TCP/53', 'TCP/5432', 'UDP/53']);
    expect(migration.ingress).toEqual([]);
    const smoke = spec(find(manifests, 'NetworkPolicy', 'ai-odoo-finder-smoke-test'));
    expect(ports(smoke.egress)).toEqual(['TCP/53', 'TCP/8000', 'UDP/53']);
    expect(smoke.ingress).toEqual([]);
  });

  test('policies of disabled hooks are not rendered', () => {
    const manifests = manifestsOf(minimalEnvironment({ migrations: { enabled: false }, smokeTest: { enabled: false } }));
    expect(findAll(manifests, 'NetworkPolicy').map((p) => p.metadata.name)).not.toEqual(expect.arrayContaining(['ai-odoo-finder-migrate']));
    expect(findAll(manifests, 'NetworkPolicy').map((p) => p.metadata.name)).not.toContain('ai-odoo-finder-smoke-test');
    const api = spec(find(manifests, 'NetworkPolicy', 'ai-odoo-finder'));
    expect(api.ingress!.map((r) => r.from)).toEqual([[{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]]);
  });

  test('the ingress controller is admitted only with an Ingress, outside clients only with a LoadBalancer or NodePort Service', () => {
    const from = (overrides: object) => spec(find(manifestsOf(minimalEnvironment(overrides)), 'NetworkPolicy', 'ai-odoo-finder')).ingress!.map((r) => r.from![0]);
    const controller = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };
    expect(from({})).not.toContainEqual(controller);
    expect(from({ ingress: { enabled: true, host: 'a.example.com' } })).toContainEqual(controller);
    expect(from({})).not.toContainEqual({ ipBlock: { cidr: '0.0.0.0/0' } });
    const direct = spec(find(manifestsOf(minimalEnvironment({ service: { type: 'LoadBalancer' } })), 'NetworkPolicy', 'ai-odoo-finder')).ingress!;
    expect(direct.find((r) => r.from?.[0]?.ipBlock)?.from).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }]);
  });
});

describe('cert-manager\'s HTTP-01 solver (ingress.acmeSolver)', () => {
  const solverPolicy = (overrides: object) => findAll(manifestsOf(minimalEnvironment(overrides)), 'NetworkPolicy').filter((p) => p.metadata.name === 'acme-http01-solver');
  const ingress = { enabled: true, host: 'a.example.com' };

  test('with an Ingress and http01 (the default), exactly the ingress controller may reach the solver pods on TCP 8089, and they may send nothing', () => {
    const [policy] = solverPolicy({ ingress });
    expect(spec(policy)).toEqual({
      podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8089 }] }],
      egress: [],
    });
    expect(policy.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('-10');
  });

  test('every committed environment with an HTTP-01 Ingress renders it, the others do not', () => {
    const envs = kubernetesEnvironmentNames().map(committedEnvironment);
    const http01 = envs.filter((e) => e.ingress.enabled && e.ingress.acmeSolver === 'http01').map((e) => e.name);
    expect(http01).toEqual(expect.arrayContaining(['production', 'staging']));
    for (const env of envs) {
      const policies = findAll(manifestsOf(env), 'NetworkPolicy').map((p) => p.metadata.name);
      expect({ env: env.name, rendered: policies.includes('acme-http01-solver') }).toEqual({ env: env.name, rendered: http01.includes(env.name) });
    }
  });

  test('not rendered without an Ingress, nor with dns01', () => {
    expect(solverPolicy({})).toEqual([]);
    expect(solverPolicy({ ingress: { ...ingress, acmeSolver: 'http01' } })).toHaveLength(1);
    expect(solverPolicy({ ingress: { ...ingress, acmeSolver: 'dns01' } })).toEqual([]);
    expect(() => minimalEnvironment({ ingress: { ...ingress, acmeSolver: 'tls-alpn01' } })).toThrow(/ingress\.acmeSolver/);
  });

  test('network.ingressControllerPods narrows the controller to its pods, for the API and the solver alike', () => {
    const env = { ingress, network: { ingressControllerPods: { 'app.kubernetes.io/component': 'controller' } } };
    const controller = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/component': 'controller' } } };
    expect(spec(solverPolicy(env)[0]).ingress![0].from).toEqual([controller]);
    expect(spec(find(manifestsOf(minimalEnvironment(env)), 'NetworkPolicy', 'ai-odoo-finder')).ingress![0].from).toEqual([controller]);
  });
});

describe('the rendered NetworkPolicies as npm run validate reads them', () => {
  const findingsOf = (overrides: object) => {
    const files = manifestsOf(minimalEnvironment(overrides)).map((m, i) => ({ file: `dist/test/${i}.yaml`, text: toYaml(m) }));
    expect(files.length).toBeGreaterThan(10);
    return validateFolder(schemaStore(), 'test', files, false);
  };
  const datastores = { mode: 'external', external: { cidrs: ['10.0.0.0/8', 'fd00::/8'], ports: { postgresql: [6432], redis: [6380] } } };

  test('no finding on an environment with every switch of this section turned', () => {
    // Rendered, then checked by the validator's NetworkPolicy reference checks and the solver rule.
    const findings = findingsOf({
      ingress: { enabled: true, host: 'a.example.com', cors: { allowOrigins: ['https://a.example.com'], allowCredentials: true } },
      network: { ingressControllerPods: { 'app.kubernetes.io/component': 'controller' } },
      datastores,
      secrets: { redisUrl: { name: 'r', key: 'url' } },
    });
    expect(findings.map(formatFinding)).toEqual([]);
  });

  test('a LoadBalancer Service (without the Ingress, which the config requires) only gets the warning that /metrics is public with it', () => {
    const findings = findingsOf({ service: { type: 'LoadBalancer' }, datastores });
    expect(findings.map((f) => [f.severity, f.rule])).toEqual([['warning', 'service-metrics-exposed']]);
  });
});
