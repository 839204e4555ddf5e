import { runChecklist } from '../../lib/checklist/checklist';
import type { Manifest } from '../../lib/synth/render';
import { checklistContext } from '../support/checklist';
import { committedEnvironment, environmentFrom, manifestsOf } from '../support/env';

/*
 * Automatic checklist items must fail on output that breaks them, judged on
 * what the objects really do: the value the kubelet gives the container (env
 * over envFrom), the issuer and origins the config asks for, a limit ingress-nginx
 * applies, a CronJob that runs and writes where it mounts, an init script the
 * image reads, the migration the config asks for, the alerts the catalog renders.
 * Each case was found passing on broken output by an audit.
 */

type Obj = Record<string, any>;
const copy = (ms: Manifest[]) => JSON.parse(JSON.stringify(ms)) as Obj[];
const find = (ms: Obj[], kind: string, name?: string) => ms.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name))!;
const NGINX = 'nginx.ingress.kubernetes.io';

function result(envName: string, change: (ms: Obj[]) => Obj[] | void, text: string, env = committedEnvironment(envName)) {
  const ms = copy(manifestsOf(committedEnvironment(envName)));
  const changed = (change(ms) ?? ms) as unknown as Manifest[];
  const found = runChecklist(checklistContext(env, changed)).find((r) => r.text === text);
  if (!found) throw new Error(`no checklist item "${text}"`);
  return found;
}

/** The committed output's results, once per environment: every case starts from it. */
const baseline = new Map<string, ReturnType<typeof runChecklist>>();
const baselineResult = (envName: string, text: string) => {
  if (!baseline.has(envName)) baseline.set(envName, runChecklist(checklistContext(committedEnvironment(envName), manifestsOf(committedEnvironment(envName)))));
  return baseline.get(envName)!.find((r) => r.text === text)!;
};

const apiContainer = (ms: Obj[]) => find(ms, 'Deployment', 'ai-odoo-finder').spec.template.spec.containers[0];
const ingress = (ms: Obj[]) => find(ms, 'Ingress', 'ai-odoo-finder');
const cronJob = (ms: Obj[]) => find(ms, 'CronJob', 'postgresql-backup');

describe('checklist items judge what the objects really do', () => {
  test.each<[string, string, (ms: Obj[]) => Obj[] | void, string]>([
    ['production', 'Logging level set appropriately', (ms) => void apiContainer(ms).env.push({ name: 'LOG_LEVEL', value: 'debug' }), 'LOG_LEVEL is "debug" in production'],
    ['production', 'Logging level set appropriately', (ms) => void (find(ms, 'ConfigMap', 'ai-odoo-finder-config').data.LOG_LEVEL = 'DEBUG'), 'LOG_LEVEL is "DEBUG" in production'],
    ['production', 'Feature flags configured', (ms) => void (find(ms, 'ConfigMap', 'ai-odoo-finder-config').data.ENABLE_RERANKING_DEFAULT = 'maybe'), 'neither true nor false'],
    ['production', 'SSL certificates installed', (ms) => void (ingress(ms).metadata.annotations['cert-manager.io/cluster-issuer'] = 'letsencrypt-staging'), 'signed by letsencrypt-staging, not ingress.clusterIssuer letsencrypt-prod'],
    ['production', 'SSL certificates installed', (ms) => void delete ingress(ms).spec.tls[0].secretName, 'names no Secret for cert-manager to fill'],
    ['production', 'Rate limiting configured', (ms) => void (ingress(ms).metadata.annotations[`${NGINX}/limit-rps`] = '0'), 'has no request rate limit'],
    ['production', 'CORS policies set', (ms) => void (ingress(ms).metadata.annotations[`${NGINX}/cors-allow-origin`] = 'https://evil.example'), 'allows https://evil.example, not ingress.cors.allowOrigins'],
    ['production', 'CORS policies set', (ms) => void delete ingress(ms).metadata.annotations[`${NGINX}/enable-cors`], 'CORS off, but ingress.cors.allowOrigins is'],
    ['staging', 'Backup strategy in place', (ms) => void (cronJob(ms).spec.suspend = true), 'is suspended'],
    ['staging', 'Backup storage configured', (ms) => void (cronJob(ms).spec.jobTemplate.spec.template.spec.containers[0].volumeMounts = []), 'does not mount volume "backups" writable at /backups'],
    ['staging', 'pgVector extension installed', (ms) => {
      const pod = find(ms, 'StatefulSet', 'postgresql').spec.template.spec;
      pod.containers[0].volumeMounts = pod.containers[0].volumeMounts.filter((m: Obj) => m.mountPath !== '/docker-entrypoint-initdb.d');
    }, 'without the pgvector init script mounted at /docker-entrypoint-initdb.d'],
    ['production', 'Alert thresholds configured', (ms) => {
      const rule = find(ms, 'PrometheusRule');
      for (const g of rule.spec.groups) g.rules = g.rules.filter((r: Obj) => r.alert !== 'HighLatency');
    }, 'missing alerts: HighLatency'],
    ['production', 'Application monitoring configured', (ms) => void delete find(ms, 'ServiceMonitor', 'ai-odoo-finder').metadata.labels.release, 'lacks the labels Prometheus selects by (monitoring.selectorLabels: release=kube-prometheus-stack)'],
    ['production', 'Alert thresholds configured', (ms) => void delete find(ms, 'PrometheusRule').metadata.labels.release, 'lacks the labels Prometheus selects by'],
    ['production', 'Dashboard created', (ms) => void (find(ms, 'ConfigMap', 'ai-odoo-finder-dashboard').metadata.labels.grafana_dashboard = '0'), 'no Grafana dashboard ConfigMap'],
    ['production', 'Incident response plan ready', (ms) => ms.filter((m) => m.kind !== 'AlertmanagerConfig'), 'no AlertmanagerConfig routes P1, P2, P3, P4: nobody is told'],
  ])('%s: %s fails (%#)', (envName, text, change, why) => {
    expect(baselineResult(envName, text).status).toBe('pass');
    expect(result(envName, change, text)).toMatchObject({ status: 'fail', detail: expect.stringContaining(why) });
  });

  test('Rollback scripts prepared: the migration hook must run what migrations.targetRevision asks', () => {
    const settings = { ...committedEnvironment('production') } as Obj;
    const pinned = environmentFrom({ tier: 'production', namespace: settings.namespace, image: settings.image, ingress: { enabled: true, host: 'api.example.com' }, migrations: { targetRevision: 'a1b2c3d4e5f6' } }, 'production');
    // The committed dist/ (alembic upgrade head) judged against a file that pins the schema.
    expect(result('production', () => undefined, 'Rollback scripts prepared', pinned)).toMatchObject({ status: 'fail', detail: expect.stringContaining('not what migrations.targetRevision asks') });
  });

  test('Migration works with the running version too: without a migration hook it is for a person, not proven', () => {
    const off = environmentFrom({ tier: 'staging', namespace: 'odoo-finder-x', image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.0.0' }, migrations: { enabled: false } }, 'x');
    const found = runChecklist(checklistContext(off, manifestsOf(off))).find((r) => r.text === 'Migration works with the running version too (expand/contract)');
    expect(found).toMatchObject({ status: 'manual', detail: expect.stringContaining('migrated by hand') });
  });
});
