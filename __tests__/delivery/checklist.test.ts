import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Environment } from '../../config/schema';
import { CHECKLIST, formatChecklist, ItemResult, runChecklist } from '../../lib/checklist/checklist';
import { main } from '../../lib/checklist/cli';
import { Manifest, toYaml } from '../../lib/synth/render';
import { committedEnvironment, manifestsOf, ROOT } from '../support/env';

/** The manifests without the monitoring objects (ServiceMonitor, PrometheusRule, dashboard). */
function withoutMonitoring(manifests: Manifest[]): Manifest[] {
  const dashboard = (m: Manifest) => m.kind === 'ConfigMap' && Object.values((m.data ?? {}) as Record<string, string>).some((v) => v.includes('"panels"'));
  return manifests.filter((m) => !['ServiceMonitor', 'PrometheusRule'].includes(m.kind) && !dashboard(m));
}

/** Runs the checklist; `files` stands in for the repository's files (default: the real ones). */
const run = (env: Environment, manifests: Manifest[], files?: string[]) =>
  runChecklist({ env, manifests, fileExists: (p) => (files ? files.includes(p) : fs.existsSync(path.join(ROOT, p))) });
const byText = (results: ItemResult[], text: string) => results.find((r) => r.text === text)!;
const failed = (results: ItemResult[]) => results.filter((r) => r.status === 'fail').map((r) => r.text);

describe('the pre-deployment checklist', () => {
  test('keeps the seed checklist (SPEC-404): its ten sections and 55 items, plus the Kubernetes section', () => {
    const sizes = Object.fromEntries(CHECKLIST.map((s) => [s.title, s.items.length]));
    expect(sizes).toEqual({
      'Code Quality': 6, Database: 6, Configuration: 6, Infrastructure: 6, Kubernetes: 8, Data: 5,
      Testing: 5, Documentation: 5, Security: 6, Monitoring: 6, Communication: 4,
    });
    expect(CHECKLIST.flatMap((s) => s.items).filter((i) => i.check).length).toBe(30);
  });

  test.each([['production'], ['staging']])('%s: every automatic item passes', (name) => {
    const env = committedEnvironment(name);
    const results = run(env, manifestsOf(env));
    expect(failed(results)).toEqual([]);
    expect(results.filter((r) => r.status === 'pass').length).toBeGreaterThanOrEqual(20);
  });

  test('without them, the monitoring items fail instead of being faked', () => {
    const env = committedEnvironment('production');
    expect(failed(run(env, withoutMonitoring(manifestsOf(env))))).toEqual([
      'Incident response plan ready',
      'Application monitoring configured',
      'Database monitoring set up',
      'Cost tracking enabled',
      'Alert thresholds configured',
      'Dashboard created',
    ]);
  });

  test('backups are proved for in-cluster PostgreSQL and left to a person for a managed one', () => {
    const staging = committedEnvironment('staging');
    expect(byText(run(staging, manifestsOf(staging)), 'Backup strategy in place')).toMatchObject({ status: 'pass', detail: expect.stringContaining('CronJob/postgresql-backup') });
    const production = committedEnvironment('production');
    expect(byText(run(production, manifestsOf(production)), 'Backup strategy in place').status).toBe('manual');
  });

  test('CORS says whether browsers may send credentials (ingress-nginx allows them when the annotation is missing)', () => {
    const production = committedEnvironment('production');
    const manifests = manifestsOf(production);
    expect(byText(run(production, manifests), 'CORS policies set').detail).toBe('Ingress/ai-odoo-finder: origins https://ai-odoofinder.dev, credentials refused');
    manifests.filter((m) => m.kind === 'Ingress').forEach((m) => delete m.metadata.annotations!['nginx.ingress.kubernetes.io/cors-allow-credentials']);
    expect(byText(run(production, manifests), 'CORS policies set').detail).toContain('credentials allowed');
  });

  describe('an automatic item fails when the manifests break it', () => {
    const env = committedEnvironment('staging');
    const good = () => JSON.parse(JSON.stringify(manifestsOf(env))) as Manifest[];
    type Rules = { spec: { groups: { rules: { alert?: string; expr: string; annotations?: Record<string, string> }[] }[] } };
    const alertsOf = (ms: Manifest[]) => (ms.find((m) => m.kind === 'PrometheusRule') as unknown as Rules).spec.groups.flatMap((g) => g.rules).filter((r) => r.alert);
    type Pod = { spec: { template: { spec: { containers: Record<string, unknown>[]; automountServiceAccountToken?: boolean } } } };
    const api = (ms: Manifest[]) => (ms.find((m) => m.kind === 'Deployment') as unknown as Pod).spec.template.spec;

    test.each<[string, (ms: Manifest[]) => Manifest[]]>([
      ['Readiness and liveness probes on every long-running container', (ms) => (delete api(ms).containers[0].readinessProbe, ms)],
      ['Requests and limits on every container', (ms) => (delete (api(ms).containers[0].resources as Record<string, unknown>).limits, ms)],
      ['PodDisruptionBudget for every workload', (ms) => ms.filter((m) => !(m.kind === 'PodDisruptionBudget' && m.metadata.name === 'redis'))],
      ['NetworkPolicies: default deny, each pod allowed only what it needs', (ms) => ms.filter((m) => m.metadata.name !== 'default-deny')],
      ['NetworkPolicies: default deny, each pod allowed only what it needs', (ms) => ms.filter((m) => !(m.kind === 'NetworkPolicy' && m.metadata.name === 'postgresql-backup'))],
      ['Images pinned (tag or digest, never "latest")', (ms) => ((api(ms).containers[0].image = 'ghcr.io/ai-odoofinder/api:latest'), ms)],
      ['Images pinned (tag or digest, never "latest")', (ms) => ((api(ms).containers[0].image = 'ghcr.io/ai-odoofinder/api'), ms)],
      ['Pod Security "restricted" on every pod', (ms) => ((api(ms).automountServiceAccountToken = true), ms)],
      ['Secrets management configured', (ms) => [...ms, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-keys' } }]],
      ['Secrets management configured', (ms) => ((api(ms).containers[0].env as object[]).push({ name: 'OPENAI_API_KEY', value: 'x' }), ms)],
      ['SSL certificates installed', (ms) => ms.filter((m) => m.kind !== 'Ingress')],
      ['Rate limiting configured', (ms) => (ms.filter((m) => m.kind === 'Ingress').forEach((m) => delete m.metadata.annotations!['nginx.ingress.kubernetes.io/limit-rps']), ms)],
      ['CORS policies set', (ms) => (ms.filter((m) => m.kind === 'Ingress').forEach((m) => (m.metadata.annotations!['nginx.ingress.kubernetes.io/cors-allow-origin'] = '*')), ms)],
      ['Auto-scaling policies set', (ms) => ms.filter((m) => m.kind !== 'HorizontalPodAutoscaler')],
      ['Backup strategy in place', (ms) => ms.filter((m) => m.kind !== 'CronJob')],
      ['Environment variables set', (ms) => ms.filter((m) => m.kind !== 'ConfigMap' || m.metadata.name !== 'ai-odoo-finder-config')],
      ['Incident response plan ready', (ms) => ((alertsOf(ms)[0].annotations!.runbook_url = 'https://example.com/docs/runbooks/Nope.md'), ms)],
      ['Incident response plan ready', (ms) => (delete alertsOf(ms)[1].annotations!.runbook_url, ms)],
      ['Cost tracking enabled', (ms) => (alertsOf(ms).forEach((r) => (r.expr = r.expr.replace(/reranking_cost_dollars_total/g, 'up'))), ms)],
      ['Cost tracking enabled', (ms) => ms.filter((m) => m.metadata.name !== 'ai-odoo-finder-dashboard')],
    ])('%s', (text, breakIt) => {
      expect(byText(run(env, good()), text).status).toBe('pass');
      expect(byText(run(env, breakIt(good())), text).status).toBe('fail');
    });

    test('a ServiceMonitor must select the API Service in its namespace (labels, expressions, namespaceSelector)', () => {
      const check = (spec: object, namespace = env.namespace) => {
        const ms = good().filter((m) => m.kind !== 'ServiceMonitor');
        ms.push({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'sm', namespace }, spec });
        return byText(run(env, ms), 'Application monitoring configured').status;
      };
      const name = { 'app.kubernetes.io/name': 'ai-odoo-finder' };
      expect(check({ selector: { matchLabels: name } })).toBe('pass');
      expect(check({ selector: { matchLabels: { ...name, 'app.kubernetes.io/component': 'worker' } } })).toBe('fail');
      expect(check({ selector: { matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: ['api'] }] } })).toBe('pass');
      expect(check({ selector: {} })).toBe('fail');
      expect(check({ selector: { matchLabels: name } }, 'monitoring')).toBe('fail');
      expect(check({ selector: { matchLabels: name }, namespaceSelector: { matchNames: [env.namespace] } }, 'monitoring')).toBe('pass');
    });

    test('debug logging fails in production only', () => {
      const production = committedEnvironment('production');
      const ms = JSON.parse(JSON.stringify(manifestsOf(production))) as Manifest[];
      (ms.find((m) => m.kind === 'ConfigMap')!.data as Record<string, string>).LOG_LEVEL = 'debug';
      expect(byText(run(production, ms), 'Logging level set appropriately')).toMatchObject({ status: 'fail', detail: 'LOG_LEVEL is "debug" in production' });
      expect(byText(run(env, good()), 'Logging level set appropriately')).toMatchObject({ status: 'pass', detail: 'LOG_LEVEL=debug' });
    });

    test('a missing runbook fails the rollback items', () => {
      expect(byText(run(env, good(), []), 'Runbook created').status).toBe('fail');
      expect(byText(run(env, good(), []), 'Rollback scripts prepared').status).toBe('fail');
    });
  });

  test('formats in the seed layout with a summary', () => {
    const env = committedEnvironment('production');
    const text = formatChecklist('production', run(env, withoutMonitoring(manifestsOf(env))));
    expect(text).toMatch(/^## AI-OdooFinder: Production Deployment Checklist — production \(from dist\/production\/\)\n/);
    expect(text).toContain('- [x] Auto-scaling policies set — HPA 3–10 replicas on Rollout/ai-odoo-finder');
    expect(text).toContain('- [ ] Dashboard created — FAILED: no Grafana dashboard ConfigMap in dist/');
    expect(text).toContain('- [ ] Stakeholders notified — manual');
    expect(text).toMatch(/\n\d+ checked automatically, 6 failed, \d+ left for a person\.\n$/);
  });
});

describe('npm run checklist', () => {
  const output = (argv: string[], root = ROOT) => {
    let out = '';
    let err = '';
    const code = main(argv, root, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  };

  test.each([['production'], ['staging']])('passes on the committed dist/%s/', (name) => {
    const { code, out } = output(['--env', name]);
    expect(out).toContain('- [x] Secrets management configured');
    expect(out).not.toContain('FAILED');
    expect(code).toBe(0);
  });

  test('exits 1 when an automatic item fails', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'checklist-'));
    fs.cpSync(path.join(ROOT, 'config'), path.join(root, 'config'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'docs'), path.join(root, 'docs'), { recursive: true });
    const env = committedEnvironment('production');
    fs.mkdirSync(path.join(root, 'dist', 'production'), { recursive: true });
    for (const m of withoutMonitoring(manifestsOf(env))) fs.writeFileSync(path.join(root, 'dist', 'production', `${m.kind.toLowerCase()}-${m.metadata.name}.yaml`), toYaml(m));
    const { code, out } = output(['--env', 'production'], root);
    expect(out).toContain('- [ ] Dashboard created — FAILED: no Grafana dashboard ConfigMap in dist/');
    expect(code).toBe(1);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a file of dist/<env>/ that is not valid YAML is an input error naming the file and line', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'checklist-'));
    fs.cpSync(path.join(ROOT, 'config'), path.join(root, 'config'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'dist', 'production'), path.join(root, 'dist', 'production'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'production', 'broken.yaml'), 'kind: Service\nkind: Service\n');
    expect(output(['--env', 'production'], root)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^checklist: not valid YAML: .*dist\/production\/broken\.yaml:2: -: error: Map keys must be unique/),
    });
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a yaml-typing finding is reported in the validator\'s words, not as invalid YAML', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'checklist-'));
    fs.cpSync(path.join(ROOT, 'config'), path.join(root, 'config'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'dist', 'production'), path.join(root, 'dist', 'production'), { recursive: true });
    // Valid YAML 1.2 (a string), but a boolean to Kubernetes' YAML 1.1 reader.
    fs.writeFileSync(path.join(root, 'dist', 'production', 'typed.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typed\ndata:\n  ENABLED: yes\n');
    const { code, err } = output(['--env', 'production'], root);
    expect(code).toBe(2);
    expect(err).not.toContain('not valid YAML');
    expect(err).toMatch(/^checklist: .*dist\/production\/typed\.yaml:6: ConfigMap\/typed: data\.ENABLED: error: .*\(yaml-typing\)/);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('usage and input errors exit 2 with a message', () => {
    expect(output([])).toMatchObject({ code: 2, err: expect.stringContaining('--env is required') });
    expect(output(['--env', 'nope'])).toMatchObject({ code: 2, err: expect.stringContaining('no such environment "nope"') });
    expect(output(['--env', 'production', '--dist', 'no-such-dir'])).toMatchObject({ code: 2, err: expect.stringContaining('does not exist: run "npm run synth" first') });
    expect(output(['--frobnicate'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown argument "--frobnicate"') });
  });
});
