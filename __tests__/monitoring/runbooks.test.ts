import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TSchema } from '@sinclair/typebox';
import { EnvironmentSchema } from '../../config/schema';
import { LEVELS } from '../../lib/monitoring/alert-spec';
import { mutes } from '../../lib/monitoring/routing-policy';
import { DEFAULTS_BY_TIER_GROUP } from '../../lib/config/tier-policy';
import { ALERT_CATALOG as ALERTS } from '../../lib/monitoring/catalog';
import { runbookDrift } from '../../lib/monitoring/runbooks-cli';
import { RUNBOOK_DIR, RUNBOOK_INDEX, renderRunbooks } from '../../lib/monitoring/runbooks';
import { committedEnvironment, ROOT, kubernetesEnvironmentNames } from '../support/env';
import { synthesizedDashboard, synthesizedRuleGroups } from './support/monitoring';

const dir = path.join(ROOT, RUNBOOK_DIR);
const committed = () => fs.readdirSync(dir).filter((f) => f.endsWith('.md'));
const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

describe('runbooks', () => {
  it('the committed runbooks are exactly what `npm run docs` generates', () => {
    expect(runbookDrift(ROOT)).toEqual([]);
  });

  it('the SLO burn runbooks (and HighErrorRate) tell how to abort a running canary, first', () => {
    const slo = ALERTS.filter((a) => a.name.includes('BudgetBurn') || a.name === 'HighErrorRate');
    expect(slo).toHaveLength(5);
    for (const a of slo) {
      const solutions = read(`${a.name}.md`).split('## Solutions')[1];
      expect(solutions.trimStart().split('\n')[0]).toContain('kubectl argo rollouts abort ai-odoo-finder');
    }
  });

  it('a runbook that restarts the API Deployment gives the Rollout\'s restart too (a restarted Deployment is a new canary release)', () => {
    const restarting = committed().filter((f) => /rollout restart deploy(ment)?\/ai-odoo-finder/.test(read(f)));
    expect(restarting.length).toBeGreaterThan(0);
    for (const file of restarting) expect([file, read(file)]).toEqual([file, expect.stringContaining('kubectl argo rollouts restart ai-odoo-finder')]);
  });

  it('a runbook that mitigates by a configuration change says that, with a canary, it is a release through every step', () => {
    const changing = committed().filter((f) => read(f).includes('Configuration change:'));
    expect(changing.length).toBeGreaterThan(0);
    for (const file of changing) expect([file, read(file)]).toEqual([file, expect.stringContaining('goes through every canary step and the analysis')]);
    const others = committed().filter((f) => !changing.includes(f) && f !== 'README.md');
    expect(others.length).toBeGreaterThan(0);
    for (const file of others) expect([file, read(file)]).toEqual([file, expect.not.stringContaining('A configuration change goes into')]);
  });

  it('every alert of every environment has a runbook, and runbook_url points at it', () => {
    expect.hasAssertions();
    for (const name of kubernetesEnvironmentNames()) {
      const env = committedEnvironment(name);
      for (const rule of synthesizedRuleGroups(env).flatMap((g) => g.rules).filter((r) => r.alert)) {
        expect(committed()).toContain(`${rule.alert}.md`);
        expect(rule.annotations!.runbook_url).toBe(`${env.monitoring.runbookBaseUrl}/${rule.alert}.md`);
      }
    }
  });

  it('no runbook names an alert that does not exist', () => {
    const alerts = new Set(ALERTS.map((a) => a.name));
    expect(committed().filter((f) => f !== RUNBOOK_INDEX && !alerts.has(f.replace(/\.md$/, '')))).toEqual([]);
    const links = committed().flatMap((f) => [...read(f).matchAll(/\]\(([^)#]+)\.md\)/g)].map((m) => ({ file: f, target: m[1] })));
    expect(links.length).toBeGreaterThan(ALERTS.length);
    expect(links.filter((l) => !alerts.has(l.target))).toEqual([]);
  });

  it('every runbook gives the meaning, the level with its response time, diagnosis steps and solutions', () => {
    expect.hasAssertions();
    for (const a of ALERTS) {
      const text = read(`${a.name}.md`);
      expect(text).toContain(`# ${a.name}\n`);
      expect(text).toContain(`| Level | ${a.level} (${LEVELS[a.level].name}): response time ${LEVELS[a.level].responseTime.toLowerCase()}`);
      for (const section of ['## Meaning', '## Diagnosis', '## Solutions']) expect(text).toContain(section);
      expect(text).toMatch(/## Diagnosis\n\n1\. /);
      expect(a.solutions.length).toBeGreaterThan(0);
    }
  });

  it("the seed's mitigations that are config changes are given as config changes", () => {
    const change = (alert: string, key: string) => ALERTS.find((a) => a.name === alert)!.solutions.some((s) => s.config?.key === key);
    expect(change('HighLatency', 'app.enableRerankingDefault')).toBe(true);
    expect(change('HighLatency', 'autoscaling.maxReplicas')).toBe(true);
    expect(change('DailyCostExceeded', 'app.enableRerankingDefault')).toBe(true);
    expect(change('DailyCostExceeded', 'monitoring.dailyRerankingBudgetUsd')).toBe(true);
    expect(read('DailyCostExceeded.md')).toContain('  ```yaml\n  monitoring:\n    dailyRerankingBudgetUsd: 20\n  ```');
    expect(read('HighLatency.md')).toContain('  ```yaml\n  app:\n    enableRerankingDefault: false\n  ```');
  });

  it('every config change names a key the environment schema has', () => {
    const has = (key: string) =>
      key.split('.').reduce<TSchema | undefined>((schema, part) => (schema?.properties as Record<string, TSchema> | undefined)?.[part], EnvironmentSchema) !== undefined;
    const keys = ALERTS.flatMap((a) => a.solutions.flatMap((s) => (s.config ? [s.config.key] : [])));
    expect(keys.length).toBeGreaterThan(5);
    expect(keys.filter((k) => !has(k))).toEqual([]);
  });

  it('every dashboard panel a runbook points at exists', () => {
    const titles = new Set(
      (JSON.parse(synthesizedDashboard(committedEnvironment('production')).json).panels as { title: string }[]).map((p) => p.title),
    );
    const named = ALERTS.flatMap((a) => a.diagnosis)
      .filter((d) => /panels?\b/.test(d))
      .flatMap((d) => [...d.replace(/`[^`]*`/g, '').matchAll(/"([^"]+)"/g)].map((m) => m[1]));
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((t) => !titles.has(t))).toEqual([]);
  });

  it('every runbook names its problem, where its level goes, and exactly the alerts that mute it or that it mutes', () => {
    expect.hasAssertions();
    for (const a of ALERTS) {
      const text = read(`${a.name}.md`);
      const row = text.split('\n').find((l) => l.startsWith('| Problem |'))!;
      expect(row).toContain(`\`${a.problem}\``);
      const named = new Set([...row.matchAll(/\[(\w+)\]\(/g)].map((m) => m[1]));
      const related = ALERTS.filter((o) => mutes(o, a) || mutes(a, o)).map((o) => o.name);
      expect({ alert: a.name, named: [...named].sort() }).toEqual({ alert: a.name, named: related.sort() });
      expect(text.split('\n').find((l) => l.startsWith('| Goes to |'))).toContain(`\`${DEFAULTS_BY_TIER_GROUP.production.levelReceivers[a.level]}\``);
    }
  });

  it('no runbook of a P2, P3 or P4 alert says it pages (before issue 8, every critical P2 alert claimed to page)', () => {
    const claims = ALERTS.filter((a) => a.level !== 'P1' && /PagerDuty|pages the on-call/.test(read(`${a.name}.md`))).map((a) => a.name);
    expect(claims).toEqual([]);
    expect(read('OdooFinderMetricsAbsent.md')).toContain('`paging` (PagerDuty: pages the on-call) in production');
  });

  it('the index lists every alert', () => {
    const index = read(RUNBOOK_INDEX);
    for (const a of ALERTS) expect(index).toContain(`| [${a.name}](${a.name}.md) | ${a.level} (${LEVELS[a.level].responseTime}) | \`${a.problem}\` |`);
  });

  it('the drift check reports a changed, a missing and an unknown runbook', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-'));
    try {
      const copy = path.join(tmp, RUNBOOK_DIR);
      fs.mkdirSync(copy, { recursive: true });
      for (const [file, text] of renderRunbooks()) fs.writeFileSync(path.join(copy, file), text);
      expect(runbookDrift(tmp)).toEqual([]);
      fs.appendFileSync(path.join(copy, 'HighLatency.md'), 'edited by hand\n');
      fs.rmSync(path.join(copy, 'HighErrorRate.md'));
      fs.writeFileSync(path.join(copy, 'NoSuchAlert.md'), '# NoSuchAlert\n');
      expect(runbookDrift(tmp)).toEqual([
        'docs/runbooks/HighErrorRate.md is missing',
        'docs/runbooks/HighLatency.md differs from the generated text',
        'docs/runbooks/NoSuchAlert.md names no alert of lib/monitoring/alerts.ts',
      ]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
