import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHECKLIST, ChecklistItem, ChecklistSection, formatChecklist, ItemResult, namedRules, OTHER_RULES, runChecklist } from '../../lib/checklist/checklist';
import { main } from '../../lib/checklist/cli';
import { COMPOSE_CHECKLIST } from '../../lib/checklist/compose-checks';
import { readComposeFolder } from '../../lib/checklist/compose-context';
import { ChecklistContext, ValidatedFolder } from '../../lib/checklist/context';
import { kubernetesChecklistContext } from '../../lib/checklist/load';
import type { Manifest } from '../../lib/synth/render';
import { toYaml } from '../../lib/yaml/writer';
import { Finding } from '../../lib/validate/finding';
import { checklistContext, sharedSchemaStore } from '../support/checklist';
import { committedEnvironment, manifestsOf, ROOT } from '../support/env';

/** The manifests without the monitoring objects (ServiceMonitor, PrometheusRule, dashboard). */
function withoutMonitoring(manifests: Manifest[]): Manifest[] {
  const dashboard = (m: Manifest) => m.kind === 'ConfigMap' && Object.values((m.data ?? {}) as Record<string, string>).some((v) => v.includes('"panels"'));
  return manifests.filter((m) => !['ServiceMonitor', 'PrometheusRule'].includes(m.kind) && !dashboard(m));
}

const byText = (results: ItemResult[], text: string) => {
  const found = results.find((r) => r.text === text);
  if (!found) throw new Error(`no checklist item "${text}"`);
  return found;
};
const failed = (results: ItemResult[]) => results.filter((r) => r.status === 'fail').map((r) => r.text);

/** The committed dist/<name>/, read and validated as `npm run checklist` does. */
const composeCommitted = () => readComposeFolder(committedEnvironment('local'), path.join(ROOT, 'dist', 'local'), (p) => fs.existsSync(path.join(ROOT, p)));
const committed = (name: string) => kubernetesChecklistContext(committedEnvironment(name), ROOT, path.join(ROOT, 'dist', name), (p) => fs.existsSync(path.join(ROOT, p)), sharedSchemaStore());

const documentedRules = () => new Set([...fs.readFileSync(path.join(ROOT, 'docs', 'validate.md'), 'utf8').matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)*)`/g)].map((m) => m[1]));
const items = (checklist: readonly ChecklistSection<ValidatedFolder>[]) => checklist.flatMap((s) => s.items);

describe('the pre-deployment checklist', () => {
  test('keeps the seed checklist (SPEC-404): its ten sections and 55 items, plus the Kubernetes section', () => {
    const sizes = Object.fromEntries(CHECKLIST.map((s) => [s.title, s.items.length]));
    expect(sizes).toEqual({
      'Code Quality': 6, Database: 6, Configuration: 6, Infrastructure: 6, Kubernetes: 9, Data: 5,
      Testing: 5, Documentation: 5, Security: 6, Monitoring: 6, Communication: 4,
    });
    expect(CHECKLIST.flatMap((s) => s.items).filter((i) => i.check || i.rules).length).toBe(31);
  });

  test.each([
    ['Kubernetes', CHECKLIST as unknown as readonly ChecklistSection<ValidatedFolder>[]],
    ['Compose', COMPOSE_CHECKLIST as unknown as readonly ChecklistSection<ValidatedFolder>[]],
  ])('%s: every rule an item names is a rule of npm run validate (docs/validate.md)', (_, checklist) => {
    const named = [...namedRules(checklist)];
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((r) => !documentedRules().has(r))).toEqual([]);
    // One item stands for every rule no other item names.
    expect(items(checklist).filter((i) => i.rules === OTHER_RULES)).toHaveLength(1);
  });

  test.each([['production'], ['staging']])('%s: every automatic item passes on the committed dist/', (name) => {
    const results = runChecklist(committed(name));
    expect(failed(results)).toEqual([]);
    expect(results.filter((r) => r.status === 'pass').length).toBeGreaterThanOrEqual(20);
  });

  describe.each([
    ['Kubernetes (dist/staging/)', () => committed('staging') as ValidatedFolder, CHECKLIST as unknown as readonly ChecklistSection<ValidatedFolder>[]],
    ['Compose (dist/local/)', () => composeCommitted() as ValidatedFolder, COMPOSE_CHECKLIST as unknown as readonly ChecklistSection<ValidatedFolder>[]],
  ])('%s: an item fails exactly when its rules have an error finding', (_, context, checklist) => {
    const base = context();
    const baseline = runChecklist(base, checklist);
    const all = [...documentedRules()];
    const finding = (rule: string, severity: Finding['severity']): Finding => ({ severity, rule, file: 'dist/x/x.yaml', object: 'Deployment/ns/x', path: ['spec'], message: `broken by ${rule}` });
    const run = (findings: Finding[]) => runChecklist({ ...base, findings }, checklist);
    const ruled = items(checklist).filter((i): i is ChecklistItem<ValidatedFolder> & { rules: readonly string[] } => Array.isArray(i.rules));

    test('the committed folder has no error the checklist would report', () => {
      expect(base.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(ruled.length).toBeGreaterThanOrEqual(6);
    });

    test.each(ruled.map((i) => [i.text, i] as const))('%s', (text, item) => {
      expect.hasAssertions();
      const before = byText(baseline, text);
      expect(before.status).not.toBe('fail');
      for (const rule of item.rules) {
        // An error of one of its rules fails it, in the validator's words.
        expect(byText(run([finding(rule, 'error')]), text)).toEqual({ ...before, status: 'fail', detail: `Deployment/ns/x spec: broken by ${rule} (${rule})` });
        // A warning does not; a passing item shows it.
        const warned = byText(run([finding(rule, 'warning')]), text);
        expect(warned.status).toBe(before.status);
        if (before.status === 'pass') expect(warned.detail).toBe(`${before.detail}; warnings: Deployment/ns/x spec: broken by ${rule} (${rule})`);
      }
      // Errors of every other rule leave it as it was.
      expect(byText(run(all.filter((r) => !item.rules.includes(r)).map((r) => finding(r, 'error'))), text)).toEqual(before);
    });

    test('one item fails on an error of any rule no other item names, and on no other', () => {
      const text = items(checklist).find((i) => i.rules === OTHER_RULES)!.text;
      const named = namedRules(checklist);
      const unnamed = all.filter((r) => !named.has(r));
      expect(unnamed).toEqual(expect.arrayContaining(['schema', 'yaml-typing', 'promql']));
      for (const rule of unnamed) expect(byText(run([finding(rule, 'error')]), text).status).toBe('fail');
      expect(byText(run([...named].map((r) => finding(r, 'error'))), text)).toEqual(byText(baseline, text));
    });
  });

  test('without them, the monitoring items fail instead of being faked', () => {
    const env = committedEnvironment('production');
    expect(failed(runChecklist(checklistContext(env, withoutMonitoring(manifestsOf(env)))))).toEqual([
      // Without a ServiceMonitor copying the pod template hash, the canary's analysis measures nothing (analysis-scrape-label).
      'Releases judged by the SLO, rolled back automatically (canary)',
      'Incident response plan ready',
      'Application monitoring configured',
      'Database monitoring set up',
      'Cost tracking enabled',
      'Alert thresholds configured',
      'Dashboard created',
    ]);
  });

  test('backups are proved for in-cluster PostgreSQL and left to a person for a managed one', () => {
    expect(byText(runChecklist(committed('staging')), 'Backup strategy in place')).toMatchObject({ status: 'pass', detail: expect.stringContaining('CronJob/postgresql-backup') });
    expect(byText(runChecklist(committed('production')), 'Backup strategy in place').status).toBe('manual');
  });

  test('pgvector: proved for a pgvector image with the init script, left to a person for an image whose name does not say so, failed without the script', () => {
    const staging = committedEnvironment('staging');
    expect(byText(runChecklist(committed('staging')), 'pgVector extension installed')).toMatchObject({ status: 'pass' });
    const custom = { ...staging, datastores: { ...staging.datastores, postgresql: { ...staging.datastores.postgresql, image: 'registry.example.com/team/pg16-vector:1.0' } } };
    expect(byText(runChecklist(checklistContext(custom, manifestsOf(custom))), 'pgVector extension installed')).toEqual(
      expect.objectContaining({ status: 'manual', detail: expect.stringContaining('registry.example.com/team/pg16-vector:1.0: its name does not say pgvector; confirm that it ships the extension') }),
    );
    const withoutInit = manifestsOf(staging).filter((m) => !(m.kind === 'ConfigMap' && JSON.stringify(m.data ?? {}).includes('CREATE EXTENSION')));
    expect(byText(runChecklist(checklistContext(staging, withoutInit)), 'pgVector extension installed').status).toBe('fail');
  });

  test('CORS says whether browsers may send credentials (ingress-nginx allows them when the annotation is missing)', () => {
    const production = committedEnvironment('production');
    const manifests = manifestsOf(production);
    expect(byText(runChecklist(committed('production')), 'CORS policies set').detail).toBe('Ingress/ai-odoo-finder: origins https://ai-odoofinder.dev, credentials refused');
    manifests.filter((m) => m.kind === 'Ingress').forEach((m) => delete m.metadata.annotations!['nginx.ingress.kubernetes.io/cors-allow-credentials']);
    // The validator warns (ingress-cors-credentials); the item says so and passes.
    const item = byText(runChecklist(checklistContext(production, manifests)), 'CORS policies set');
    expect(item).toMatchObject({ status: 'pass', detail: expect.stringContaining('credentials allowed; warnings: Ingress/odoo-finder/ai-odoo-finder') });
  });

  describe('an automatic item fails when the manifests break it (the validator and the checks on real output)', () => {
    const env = committedEnvironment('staging');
    const good = () => JSON.parse(JSON.stringify(manifestsOf(env))) as Manifest[];
    const goodResults = runChecklist(checklistContext(env, good()));
    type Rules = { spec: { groups: { rules: { alert?: string; expr: string; annotations?: Record<string, string> }[] }[] } };
    const alertsOf = (ms: Manifest[]) => (ms.find((m) => m.kind === 'PrometheusRule') as unknown as Rules).spec.groups.flatMap((g) => g.rules).filter((r) => r.alert);
    type Pod = { spec: { template: { spec: { containers: Record<string, unknown>[]; automountServiceAccountToken?: boolean } } } };
    const api = (ms: Manifest[]) => (ms.find((m) => m.kind === 'Deployment') as unknown as Pod).spec.template.spec;
    const apiEnv = (ms: Manifest[]) => api(ms).containers[0].env as { name: string; value?: string; valueFrom?: object }[];
    const redisArgs = (ms: Manifest[]) => (ms.find((m) => m.kind === 'StatefulSet' && m.metadata.name === 'redis') as unknown as Pod).spec.template.spec.containers[0].args as string[];

    test.each<[string, (ms: Manifest[]) => Manifest[], string]>([
      ['Readiness probes on every long-running container, liveness probes apart from them', (ms) => (delete api(ms).containers[0].readinessProbe, ms), '(readiness-probe)'],
      ['CPU and memory requests and a memory limit on every container', (ms) => (delete (api(ms).containers[0].resources as Record<string, unknown>).limits, ms), '(memory-limit)'],
      ['PodDisruptionBudget for every workload', (ms) => ms.filter((m) => !(m.kind === 'PodDisruptionBudget' && m.metadata.name === 'redis')), '(pdb)'],
      ['NetworkPolicies: default deny, each pod allowed only what it needs', (ms) => ms.filter((m) => m.metadata.name !== 'default-deny'), '(network-default-deny)'],
      ['NetworkPolicies: default deny, each pod allowed only what it needs', (ms) => ms.filter((m) => !(m.kind === 'NetworkPolicy' && m.metadata.name === 'postgresql-backup')), '(network-pod-policy)'],
      ['Images pinned (tag or digest, never "latest")', (ms) => ((api(ms).containers[0].image = 'ghcr.io/ai-odoofinder/api:latest'), ms), '(image-pinned)'],
      ['Images pinned (tag or digest, never "latest")', (ms) => ((api(ms).containers[0].image = 'ghcr.io/ai-odoofinder/api'), ms), '(image-pinned)'],
      ['Pod Security "restricted" on every pod', (ms) => ((api(ms).automountServiceAccountToken = true), ms), '(service-account-token)'],
      ['Pod Security "restricted" on every pod', (ms) => (delete (api(ms).containers[0].securityContext as Record<string, unknown>).allowPrivilegeEscalation, ms), '(psa-privilege-escalation)'],
      ['Secrets management configured', (ms) => [...ms, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-keys', namespace: env.namespace } }], '(secret-object)'],
      ['Secrets management configured', (ms) => ((api(ms).containers[0].env as object[]).push({ name: 'OPENAI_API_KEY', value: 'x' }), ms), '(secret-literal)'],
      ['Redis configured (for caching)', (ms) => (redisArgs(ms).splice(redisArgs(ms).indexOf('--requirepass'), 2), ms), '(redis-auth)'],
      ['Redis configured (for caching)', (ms) => (Object.assign(apiEnv(ms).find((e) => e.name === 'REDIS_URL')!, { value: 'redis://redis:6379/0', valueFrom: undefined }), ms), 'REDIS_URL is a plain value'],
      ['SSL certificates installed', (ms) => ms.filter((m) => m.kind !== 'Ingress'), 'no Ingress: nothing terminates TLS'],
      ['Rate limiting configured', (ms) => (ms.filter((m) => m.kind === 'Ingress').forEach((m) => delete m.metadata.annotations!['nginx.ingress.kubernetes.io/limit-rps']), ms), 'has no request rate limit'],
      ['CORS policies set', (ms) => (ms.filter((m) => m.kind === 'Ingress').forEach((m) => (m.metadata.annotations!['nginx.ingress.kubernetes.io/cors-allow-origin'] = '*')), ms), 'allows every origin'],
      ['Auto-scaling policies set', (ms) => ms.filter((m) => m.kind !== 'HorizontalPodAutoscaler'), 'no HorizontalPodAutoscaler scales ai-odoo-finder'],
      ['Backup strategy in place', (ms) => ms.filter((m) => m.kind !== 'CronJob'), 'in-cluster PostgreSQL has no CronJob/postgresql-backup'],
      ['Environment variables set', (ms) => ms.filter((m) => m.kind !== 'ConfigMap' || m.metadata.name !== 'ai-odoo-finder-config'), '(configmap-ref)'],
      ['Incident response plan ready', (ms) => ((alertsOf(ms)[0].annotations!.runbook_url = 'https://example.com/docs/runbooks/Nope.md'), ms), 'docs/runbooks/Nope.md is missing'],
      ['Incident response plan ready', (ms) => (delete alertsOf(ms)[1].annotations!.runbook_url, ms), '(alert-annotations)'],
      ['Cost tracking enabled', (ms) => (alertsOf(ms).forEach((r) => (r.expr = r.expr.replace(/reranking_cost_dollars_total/g, 'up'))), ms), 'no alert on reranking_cost_dollars_total'],
      ['Cost tracking enabled', (ms) => ms.filter((m) => m.metadata.name !== 'ai-odoo-finder-dashboard'), 'no dashboard panel on reranking_cost_dollars_total'],
      ['Every other check of npm run validate passes (API server, Argo CD, Prometheus, Grafana)', (ms) => ((api(ms).containers[0].imagePullPolicy = 'Sometimes'), ms), '(schema)'],
    ])('%s (%#)', (text, breakIt, why) => {
      expect(byText(goodResults, text).status).toBe('pass');
      expect(byText(runChecklist(checklistContext(env, breakIt(good()))), text)).toMatchObject({ status: 'fail', detail: expect.stringContaining(why) });
    });

    test('a ServiceMonitor must select the API Service in its namespace (labels, expressions, namespaceSelector)', () => {
      const check = (spec: object, namespace = env.namespace) => {
        const ms = good().filter((m) => m.kind !== 'ServiceMonitor');
        ms.push({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'sm', namespace, labels: env.monitoring.selectorLabels }, spec });
        return byText(runChecklist({ ...committed('staging'), manifests: ms }), 'Application monitoring configured').status;
      };
      const name = { 'app.kubernetes.io/name': 'ai-odoo-finder' };
      expect(check({ selector: { matchLabels: name } })).toBe('pass');
      expect(check({ selector: { matchLabels: { ...name, 'app.kubernetes.io/component': 'worker' } } })).toBe('fail');
      expect(check({ selector: { matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: ['api'] }] } })).toBe('pass');
      expect(check({ selector: {} })).toBe('fail');
      expect(check({ selector: { matchLabels: name } }, 'monitoring')).toBe('fail');
      expect(check({ selector: { matchLabels: name }, namespaceSelector: { matchNames: [env.namespace] } }, 'monitoring')).toBe('pass');
    });

    test('debug logging fails in production only (the tier policy)', () => {
      const production = committed('production');
      const ms = JSON.parse(JSON.stringify(production.manifests)) as Manifest[];
      (ms.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'ai-odoo-finder-config')!.data as Record<string, string>).LOG_LEVEL = 'debug';
      expect(byText(runChecklist({ ...production, manifests: ms }), 'Logging level set appropriately')).toMatchObject({ status: 'fail', detail: 'LOG_LEVEL is "debug" in production' });
      expect(byText(goodResults, 'Logging level set appropriately')).toMatchObject({ status: 'pass', detail: 'LOG_LEVEL=debug' });
    });

    test('a missing runbook fails the rollback items', () => {
      const ctx: ChecklistContext = { ...committed('staging'), fileExists: () => false };
      expect(byText(runChecklist(ctx), 'Runbook created').status).toBe('fail');
      expect(byText(runChecklist(ctx), 'Rollback scripts prepared').status).toBe('fail');
    });
  });

  test('formats in the seed layout with a summary', () => {
    const env = committedEnvironment('production');
    const text = formatChecklist('production', runChecklist(checklistContext(env, withoutMonitoring(manifestsOf(env)))));
    expect(text).toMatch(/^## AI-OdooFinder: Production Deployment Checklist — production \(from dist\/production\/\)\n/);
    expect(text).toContain('- [x] Auto-scaling policies set — HPA 3–10 replicas on Rollout/ai-odoo-finder');
    expect(text).toContain('- [ ] Dashboard created — FAILED: no Grafana dashboard ConfigMap (label grafana_dashboard) in dist/');
    expect(text).toContain('- [ ] Stakeholders notified — manual');
    expect(text).toMatch(/\n\d+ checked automatically, 7 failed, \d+ left for a person\.\n$/);
  });
});

describe('npm run checklist', () => {
  const output = (argv: string[], root = ROOT) => {
    let out = '';
    let err = '';
    const code = main(argv, root, (s) => (out += s), (s) => (err += s), sharedSchemaStore());
    return { code, out, err };
  };

  test.each([['production'], ['staging']])('passes on the committed dist/%s/', (name) => {
    const { code, out } = output(['--env', name]);
    expect(out).toContain('- [x] Secrets management configured');
    expect(out).toContain('- [x] Every other check of npm run validate passes');
    expect(out).not.toContain('FAILED');
    expect(code).toBe(0);
  });

  test('exits 1 when an automatic item fails', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'checklist-'));
    try {
      fs.cpSync(path.join(ROOT, 'config'), path.join(root, 'config'), { recursive: true });
      fs.cpSync(path.join(ROOT, 'docs'), path.join(root, 'docs'), { recursive: true });
      const env = committedEnvironment('production');
      fs.mkdirSync(path.join(root, 'dist', 'production'), { recursive: true });
      for (const m of withoutMonitoring(manifestsOf(env))) fs.writeFileSync(path.join(root, 'dist', 'production', `${m.kind.toLowerCase()}-${m.metadata.name}.yaml`), toYaml(m));
      const { code, out } = output(['--env', 'production'], root);
      expect(out).toContain('- [ ] Dashboard created — FAILED: no Grafana dashboard ConfigMap (label grafana_dashboard) in dist/');
      expect(code).toBe(1);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('a file of dist/<env>/ that is not valid YAML is an input error naming the file and line', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'checklist-'));
    try {
      fs.cpSync(path.join(ROOT, 'config'), path.join(root, 'config'), { recursive: true });
      fs.cpSync(path.join(ROOT, 'dist', 'production'), path.join(root, 'dist', 'production'), { recursive: true });
      fs.writeFileSync(path.join(root, 'dist', 'production', 'broken.yaml'), 'kind: Service\nkind: Service\n');
      expect(output(['--env', 'production'], root)).toMatchObject({
        code: 2,
        err: expect.stringMatching(/^checklist: not valid YAML: dist\/production\/broken\.yaml:2: -: error: Map keys must be unique/),
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
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
