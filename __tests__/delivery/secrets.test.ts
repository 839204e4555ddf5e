import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Environment } from '../../config/schema';
import { containersOf, podTemplates } from '../../lib/manifests/rendered-pods';
import { secretKeyReferences } from '../../lib/secrets/secret-references';
import { Manifest } from '../../lib/synth/render';
import { find, findAll, manifestsOf, minimalEnvironment, ROOT } from '../support/env';
import { everyMode, waveOf } from '../support/delivery';

/** Variable names that carry credentials; they must never have a literal value. */
const SECRET_NAME = /(KEY|PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|DATABASE_URL)/i;
/** Shapes of real secret values: API keys, URLs with a password, PEM blocks. */
const SECRET_VALUE = [/sk-ant-[A-Za-z0-9_-]{8,}/, /\bsk-[A-Za-z0-9]{20,}/, /[a-z]+:\/\/[^/\s:@]+:[^/\s@]+@/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/];

function distManifests(): { file: string; doc: Manifest }[] {
  const dist = path.join(ROOT, 'dist');
  return fs.readdirSync(dist).flatMap((folder) =>
    fs.readdirSync(path.join(dist, folder)).flatMap((file) =>
      parseAllDocuments(fs.readFileSync(path.join(dist, folder, file), 'utf8')).map((d) => ({ file: `dist/${folder}/${file}`, doc: d.toJS() as Manifest })),
    ),
  );
}

describe('no secret reaches dist/', () => {
  const committed = distManifests();

  test('the committed dist/ has no Secret object', () => {
    expect(committed.length).toBeGreaterThan(40);
    expect(committed.filter((m) => m.doc.kind === 'Secret').map((m) => m.file)).toEqual([]);
  });

  test('the committed dist/ holds nothing shaped like a secret value', () => {
    expect.hasAssertions();
    for (const { file } of committed) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const pattern of SECRET_VALUE) expect({ file, match: pattern.exec(text)?.[0] }).toEqual({ file, match: undefined });
    }
  });

  test('the secret-value detector does catch such values', () => {
    const samples = ['sk-ant-api03-abcdefghijkl', 'sk-abcdefghijklmnopqrstuvwx', 'postgresql://odoo:hunter2@db:5432/odoo_finder', '-----BEGIN RSA PRIVATE KEY-----'];
    for (const s of samples) expect(SECRET_VALUE.some((p) => p.test(s))).toBe(true);
  });

  test.each(everyMode().map((e) => [e.name, e] as [string, Environment]))('%s: no Secret, and every credential variable comes from a secretKeyRef', (_, env) => {
    const manifests = manifestsOf(env);
    expect(findAll(manifests, 'Secret')).toEqual([]);
    for (const pod of podTemplates(manifests)) {
      for (const c of containersOf(pod.spec)) {
        for (const v of c.env ?? []) {
          if (SECRET_NAME.test(v.name)) expect({ variable: `${pod.owner.metadata.name}/${v.name}`, value: v.value, ref: !!v.valueFrom?.secretKeyRef }).toEqual({ variable: `${pod.owner.metadata.name}/${v.name}`, value: undefined, ref: true });
        }
        expect(c.envFrom?.filter((e) => e.secretRef) ?? []).toEqual([]);
      }
    }
    for (const cm of findAll(manifests, 'ConfigMap')) {
      for (const [k, v] of Object.entries((cm.data ?? {}) as Record<string, string>)) {
        expect({ key: k, secretName: SECRET_NAME.test(k) }).toEqual({ key: k, secretName: false });
        for (const p of SECRET_VALUE) expect(p.test(v)).toBe(false);
      }
    }
  });
});

describe('ExternalSecrets', () => {
  // The URLs set explicitly: fetched from the store, not built by a template (postgresql-url.test.ts, redis-auth.test.ts).
  const env = minimalEnvironment({ externalSecrets: { enabled: true, store: 'vault' }, secrets: { databaseUrl: { name: 'db-credentials', key: 'url' }, redisUrl: { name: 'cache', key: 'url' } } });
  const manifests = manifestsOf(env);

  test('every Secret key a pod reads is created by an ExternalSecret of the configured ClusterSecretStore', () => {
    const refs = podTemplates(manifests).flatMap((p) => containersOf(p.spec).flatMap((c) => (c.env ?? []).flatMap((v) => (v.valueFrom?.secretKeyRef ? [v.valueFrom.secretKeyRef] : []))));
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      const es = find(manifests, 'ExternalSecret', ref.name).spec as { target: { name: string }; secretStoreRef: object; data: { secretKey: string; remoteRef: { key: string; property: string } }[] };
      expect(es.target.name).toBe(ref.name);
      expect(es.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'vault' });
      expect(es.data).toContainEqual({ secretKey: ref.key, remoteRef: { key: `ai-odoo-finder/test/${ref.name}`, property: ref.key } });
    }
    expect(findAll(manifests, 'ExternalSecret').map((e) => e.metadata.name)).toEqual(expect.arrayContaining(['api-keys', 'cache', 'db-credentials', 'postgresql-credentials']));
  });

  test('they are synced before the hooks and the pods that read them', () => {
    const migration = find(manifests, 'Job', 'ai-odoo-finder-migrate');
    for (const es of findAll(manifests, 'ExternalSecret')) {
      expect(waveOf(es)).toBeLessThan(waveOf(migration));
      for (const s of findAll(manifests, 'StatefulSet')) expect(waveOf(es)).toBeLessThan(waveOf(s));
    }
  });

  test('the remote key prefix is configurable, and with ExternalSecrets off nothing is rendered', () => {
    const custom = manifestsOf(minimalEnvironment({ externalSecrets: { enabled: true, remoteKeyPrefix: 'prod/odoo' } }));
    expect((find(custom, 'ExternalSecret', 'api-keys').spec as { data: { remoteRef: { key: string } }[] }).data[0].remoteRef.key).toBe('prod/odoo/api-keys');
    expect(findAll(manifestsOf(minimalEnvironment()), 'ExternalSecret')).toEqual([]);
  });

  test('in-cluster, REDIS_URL is written from the fetched Redis password by the ExternalSecret\'s template, never fetched; external, it is fetched whole', () => {
    type Spec = { data: { secretKey: string; remoteRef: { key: string; property: string } }[]; target: { template?: { engineVersion: string; mergePolicy: string; data: Record<string, string> } } };
    const apiEnv = (ms: Manifest[]) => (find(ms, 'Deployment', 'ai-odoo-finder').spec as { template: { spec: { containers: { env: object[] }[] } } }).template.spec.containers[0].env;
    const inCluster = manifestsOf(minimalEnvironment({ externalSecrets: { enabled: true } }));
    const spec = find(inCluster, 'ExternalSecret', 'redis-credentials').spec as Spec;
    expect(spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'ai-odoo-finder/test/redis-credentials', property: 'password' } }]);
    // What the template writes is proven with external-secrets' own engine (delivery/redis-auth.test.ts).
    expect(spec.target.template).toEqual({ engineVersion: 'v2', mergePolicy: 'Merge', data: { url: expect.stringContaining('(index . "password")') } });
    expect(apiEnv(inCluster)).toContainEqual({ name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'redis-credentials', key: 'url' } } });

    const renamed = manifestsOf(minimalEnvironment({ externalSecrets: { enabled: true }, datastores: { redis: { password: { name: 'cache-auth', key: 'secret' } } } }));
    const renamedSpec = find(renamed, 'ExternalSecret', 'cache-auth').spec as Spec;
    expect(renamedSpec.data.map((d) => d.remoteRef)).toEqual([{ key: 'ai-odoo-finder/test/cache-auth', property: 'secret' }]);
    expect(renamedSpec.target.template?.data.url).toContain('(index . "secret")');
    expect(apiEnv(renamed)).toContainEqual({ name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'cache-auth', key: 'url' } } });

    const external = find(manifestsOf(minimalEnvironment({ datastores: { mode: 'external' }, externalSecrets: { enabled: true } })), 'ExternalSecret', 'redis-credentials').spec as Spec;
    expect(external.data.map((d) => d.remoteRef.property)).toEqual(['url']);
    expect(external.target.template).toBeUndefined();
  });

  test('in external mode the PostgreSQL password is not requested', () => {
    const external = manifestsOf(minimalEnvironment({ datastores: { mode: 'external' }, externalSecrets: { enabled: true } }));
    const names = findAll(external, 'ExternalSecret').map((e) => e.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['api-keys', 'db-credentials', 'redis-credentials']));
    expect(names).not.toContain('postgresql-credentials');
  });
});

describe('finding the Secret keys objects read', () => {
  const pod = (env: object[]): Manifest => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'ns' },
    spec: { template: { spec: { containers: [{ name: 'c', image: 'i:1', env }] } } },
  });

  test('pods: every secretKeyRef, grouped by Secret, keys sorted and unique', () => {
    const uses = secretKeyReferences([
      pod([{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'y' } } }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'x' } } }]),
      pod([{ name: 'C', valueFrom: { secretKeyRef: { name: 's', key: 'x' } } }, { name: 'D', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }, { name: 'E', value: 'plain' }]),
    ]);
    expect(uses).toEqual([{ namespace: 'ns', name: 's', keys: ['x', 'y'] }]);
  });

  test('custom resources: { name, key } selectors count, ConfigMap selectors and whole-Secret names do not', () => {
    const uses = secretKeyReferences([
      {
        apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'AlertmanagerConfig', metadata: { name: 'am', namespace: 'mon' },
        spec: { receivers: [{ name: 'pager', pagerdutyConfigs: [{ routingKey: { name: 'receivers', key: 'pagerduty' } }], slackConfigs: [{ apiURL: { name: 'receivers', key: 'slack', optional: false } }] }] },
      },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'sm', namespace: 'ns' }, spec: { endpoints: [{ tlsConfig: { ca: { configMap: { name: 'ca', key: 'ca.crt' } } } }] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'ns' }, spec: { tls: [{ hosts: ['a'], secretName: 'tls' }] } },
    ]);
    expect(uses).toEqual([{ namespace: 'mon', name: 'receivers', keys: ['pagerduty', 'slack'] }]);
  });
});

describe('docs/delivery.md', () => {
  test('its secret-store table lists exactly the entries and properties the committed ExternalSecrets read', () => {
    const fromDist = new Set<string>();
    for (const { file, doc } of distManifests().filter((m) => m.doc.kind === 'ExternalSecret')) {
      const env = file.split('/')[1];
      const byEntry = new Map<string, string[]>();
      for (const d of (doc.spec as { data: { remoteRef: { key: string; property: string } }[] }).data) {
        byEntry.set(d.remoteRef.key, [...(byEntry.get(d.remoteRef.key) ?? []), d.remoteRef.property]);
      }
      for (const [entry, properties] of byEntry) fromDist.add(`${env} ${entry} ${properties.sort().join(',')}`);
    }
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'delivery.md'), 'utf8');
    const fromDocs = [...doc.matchAll(/^\| (\w+) \| `([^`]+)` \| ((?:`[^`]+`(?:, )?)+) \|$/gm)].map(
      ([, env, entry, properties]) => `${env} ${entry} ${[...properties.matchAll(/`([^`]+)`/g)].map((p) => p[1]).sort().join(',')}`,
    );
    expect(fromDist.size).toBeGreaterThan(5);
    expect(fromDist).toContain('staging ai-odoo-finder/staging/alertmanager-receivers slack-webhook-url');
    expect(fromDocs.sort()).toEqual([...fromDist].sort());
  });
});
