import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { Level } from '../../lib/monitoring/alert-spec';
import { ALERT_CATALOG as ALERTS } from '../../lib/monitoring/catalog';
import { mutes } from '../../lib/monitoring/routing-policy';
import { committedEnvironment, find, manifestsOf, minimalEnvironment, kubernetesEnvironmentNames } from '../support/env';
import { findTool, missingToolMessage } from '../support/tools';
import { AlertmanagerConfigSpec, AlertmanagerYml, KUBE_PROMETHEUS_STACK_BASE, operatorEquivalent } from './support/alertmanager';
import { Alertmanager, AlertmanagerAlert } from '../support/alertmanager';
import { LabelSet, mutingAlert, parseMatcher } from './support/inhibition';
import { synthesizedRuleGroups } from './support/monitoring';

type Env = ReturnType<typeof committedEnvironment>;
const FIXTURES = path.join(__dirname, 'fixtures');
const specOf = (env: Env) => (find(manifestsOf(env), 'AlertmanagerConfig', 'ai-odoo-finder') as unknown as { spec: AlertmanagerConfigSpec }).spec;

/** Every alert of the synthesized PrometheusRule as Alertmanager receives it: rule labels, alertname, namespace. */
function firingAlerts(env: Env): { name: string; labels: LabelSet }[] {
  return synthesizedRuleGroups(env)
    .flatMap((g) => g.rules)
    .filter((r) => r.alert)
    .map((r) => ({ name: r.alert!, labels: { ...r.labels, alertname: r.alert!, namespace: env.namespace } }));
}

/**
 * The playbook's rule, stated here from the catalog's levels and problems (not
 * from the generator): a P1/P2 alert mutes the P3/P4 alerts of its own problem.
 */
const urgent = (level: Level) => level === 'P1' || level === 'P2';
function shouldMute(source: string, target: string): boolean {
  const [s, t] = [source, target].map((n) => ALERTS.find((a) => a.name === n)!);
  return s.problem === t.problem && urgent(s.level) && !urgent(t.level);
}

/** Every ordered pair of alerts, both firing, where Alertmanager's verdict on the target differs from the rule; and how many pairs were checked. */
function pairMismatches(config: AlertmanagerYml, alerts: { name: string; labels: LabelSet }[]): { mismatches: string[]; pairs: number; muted: number } {
  const mismatches: string[] = [];
  let pairs = 0;
  let muted = 0;
  for (const source of alerts) {
    for (const target of alerts) {
      if (source === target) continue;
      pairs++;
      const by = mutingAlert(config, [source.labels, target.labels], target.labels);
      if (by) muted++;
      const expected = shouldMute(source.name, target.name);
      if (Boolean(by) !== expected) mismatches.push(`${source.name} → ${target.name}: ${by ? `muted (by ${by.alertname})` : 'not muted'}, expected ${expected ? 'muted' : 'not muted'}`);
    }
  }
  return { mismatches, pairs, muted };
}

describe('inhibition (Alertmanager 0.25 semantics on the operator-generated config)', () => {
  describe.each(kubernetesEnvironmentNames())('%s', (name) => {
    const env = committedEnvironment(name);
    const config = operatorEquivalent(specOf(env), env.namespace, 'ai-odoo-finder');
    const alerts = firingAlerts(env);

    it('a firing critical alert mutes exactly the warnings of its own problem, for every pair of catalog alerts', () => {
      const { mismatches, pairs, muted } = pairMismatches(config, alerts);
      expect(mismatches).toEqual([]);
      expect(pairs).toBe(alerts.length * (alerts.length - 1));
      // The committed ones, counted by hand: availability: 2 critical × 1 warning; latency: 1 × 2; scrape: 1 × 1;
      // database: 1 × 1 (connections), staging 1 × 2 (and the backup). Another environment: as the rule counts them.
      const byRule = alerts.flatMap((s) => alerts.filter((t) => s !== t && shouldMute(s.name, t.name))).length;
      expect(muted).toBe({ production: 6, staging: 7 }[name] ?? byRule);
      expect(muted).toBeGreaterThan(0);
    });

    it('an alert alone is never muted', () => {
      expect.hasAssertions();
      for (const a of alerts) expect({ alert: a.name, by: mutingAlert(config, [a.labels], a.labels) }).toEqual({ alert: a.name, by: undefined });
    });

    it("the rule is confined to this environment's namespace", () => {
      const critical = alerts.find((a) => a.name === 'HighErrorRate')!;
      const warning = alerts.find((a) => a.name === 'OdooFinderAvailabilityBudgetBurnSlow')!;
      const elsewhere = { ...critical.labels, namespace: 'somewhere-else' };
      expect(mutingAlert(config, [critical.labels, warning.labels], warning.labels)).toBe(critical.labels);
      expect(mutingAlert(config, [elsewhere, warning.labels], warning.labels)).toBeUndefined();
    });

    it("other rules' alerts in the namespace (no problem label) neither mute ours nor are muted by ours, nor by each other through our rule", () => {
      const foreign = (alertname: string, severity: string) => ({ alertname, severity, namespace: env.namespace });
      const theirCritical = foreign('KubePersistentVolumeFillingUp', 'critical');
      const theirWarning = foreign('KubeJobFailed', 'warning');
      for (const ours of alerts) {
        expect({ ours: ours.name, by: mutingAlert(config, [theirCritical, ours.labels], ours.labels) }).toEqual({ ours: ours.name, by: undefined });
        expect({ ours: ours.name, by: mutingAlert(config, [ours.labels, theirWarning], theirWarning) }).toEqual({ ours: ours.name, by: undefined });
      }
      expect(mutingAlert(config, [theirCritical, theirWarning], theirWarning)).toBeUndefined();
    });
  });

  it('lib/monitoring/routing-policy.ts mutes() states the same rule (what the live tests of issue 9 assert)', () => {
    const pairs = ALERTS.flatMap((s) => ALERTS.filter((t) => t !== s).map((t) => [s, t] as const));
    expect(pairs.filter(([s, t]) => mutes(s, t) !== shouldMute(s.name, t.name))).toEqual([]);
    expect(pairs.filter(([s, t]) => mutes(s, t)).length).toBe(7);
  });

  it('holds for an environment that overrides the routing (inhibition does not depend on receivers)', () => {
    const env = minimalEnvironment({ monitoring: { alertmanager: { levels: { P1: 'paging', P3: 'none', P4: 'none' } } } });
    expect(pairMismatches(operatorEquivalent(specOf(env), env.namespace, 'ai-odoo-finder'), firingAlerts(env)).mismatches).toEqual([]);
  });

  it('finds the defect of the config committed before issue 8 (`equal: [alertname, namespace]` inhibits nothing)', () => {
    const before = parse(fs.readFileSync(path.join(FIXTURES, 'alertmanagerconfig-before-issue8.yaml'), 'utf8')) as { spec: AlertmanagerConfigSpec };
    const env = committedEnvironment('production');
    const { mismatches, muted } = pairMismatches(operatorEquivalent(before.spec, env.namespace, 'ai-odoo-finder'), firingAlerts(env));
    expect(muted).toBe(0);
    expect(mismatches).toHaveLength(6);
    expect(mismatches).toContain('HighErrorRate → OdooFinderAvailabilityBudgetBurnSlow: not muted, expected muted');
  });
});

describe('the inhibition model follows Alertmanager', () => {
  it('parses matchers like pkg/labels/parse.go (quotes optional, spaces allowed) and anchors regexes', () => {
    expect(parseMatcher('severity =~ warning|info').matches('warning')).toBe(true);
    expect(parseMatcher('severity =~ warning|info').matches('warnings')).toBe(false);
    expect(parseMatcher('problem!=""').matches('')).toBe(false);
    expect(parseMatcher('problem!=""').matches('cost')).toBe(true);
    expect(parseMatcher('alertname = "Watchdog"').matches('Watchdog')).toBe(true);
    expect(parseMatcher('a="x\\"y"').matches('x"y')).toBe(true);
    expect(() => parseMatcher('not a matcher')).toThrow('bad matcher format');
  });

  it('a label missing on both sides counts as equal (inhibit.go hasEqual), so the source side must require `problem`', () => {
    const rule = { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['problem'] };
    const source = { severity: 'critical' };
    const target = { severity: 'warning' };
    expect(mutingAlert({ inhibit_rules: [rule] }, [source, target], target)).toBe(source);
    expect(mutingAlert({ inhibit_rules: [{ ...rule, source_matchers: [...rule.source_matchers, 'problem!=""'] }] }, [source, target], target)).toBeUndefined();
  });

  it('an alert matching both sides is not muted by another that does (excludeTwoSidedMatch)', () => {
    const rule = { source_matchers: ['team="a"'], target_matchers: ['team="a"'], equal: [] };
    const a = { alertname: 'A', team: 'a' };
    const b = { alertname: 'B', team: 'a' };
    expect(mutingAlert({ inhibit_rules: [rule] }, [a, b], b)).toBeUndefined();
  });
});

const alertmanager = findTool('alertmanager');
if (!alertmanager) console.warn(missingToolMessage('alertmanager', 'the inhibition test against a running Alertmanager is SKIPPED'));

/**
 * The same pair check against a running Alertmanager 0.25: one namespace
 * (one AlertmanagerConfig, as the operator merges several) per unordered pair
 * of catalog alerts, both alerts firing in it, so each pair is judged alone;
 * `GET /api/v2/alerts` evaluates inhibition per alert (api/v2/api.go
 * alertFilter → Inhibitor.Mutes). Receivers keep only their names: nothing
 * leaves the machine. (Issue 9's live harness covers delivery.)
 */
(alertmanager ? describe : describe.skip)('inhibition in a running Alertmanager', () => {
  const env = committedEnvironment('production');
  const alerts = firingAlerts(env);
  const pairs = alerts.flatMap((a, i) => alerts.slice(i + 1).map((b, j) => ({ namespace: `pair-${i}-${i + 1 + j}`, a, b })));

  /** For every ordered pair: whether Alertmanager reports the target inhibited while the source fires. */
  async function liveVerdicts(spec: AlertmanagerConfigSpec): Promise<{ mismatches: string[]; muted: number; checked: number }> {
    const quiet = { ...spec, receivers: (spec.receivers ?? []).map((r) => ({ name: r.name })) };
    const config = pairs.reduce((acc, p) => operatorEquivalent(quiet, p.namespace, 'ai-odoo-finder', acc), KUBE_PROMETHEUS_STACK_BASE);
    const am = await Alertmanager.start(config);
    try {
      await am.post(pairs.flatMap((p) => [p.a, p.b].map((x) => ({ labels: { ...x.labels, namespace: p.namespace } }))));
      // The inhibitor learns of new alerts asynchronously: read until two answers agree (bounded).
      let previous = '';
      let current: AlertmanagerAlert[] = [];
      for (let attempt = 0; attempt < 50; attempt++) {
        await new Promise((r) => setTimeout(r, 200));
        current = await am.alerts();
        const snapshot = JSON.stringify(current.map((x) => [x.fingerprint, x.status.inhibitedBy]));
        if (current.length === pairs.length * 2 && snapshot === previous) break;
        previous = snapshot;
      }
      expect(current).toHaveLength(pairs.length * 2);
      const inhibited = new Map(current.map((x) => [`${x.labels.namespace}/${x.labels.alertname}`, x.status.inhibitedBy.length > 0]));
      const mismatches: string[] = [];
      let muted = 0;
      let checked = 0;
      for (const p of pairs) {
        for (const [source, target] of [[p.a, p.b], [p.b, p.a]]) {
          const live = inhibited.get(`${p.namespace}/${target.name}`);
          checked++;
          if (live) muted++;
          if (live !== shouldMute(source.name, target.name)) mismatches.push(`${source.name} → ${target.name}: Alertmanager says ${live ? 'inhibited' : 'not inhibited'}`);
        }
      }
      return { mismatches, muted, checked };
    } finally {
      await am.stop();
    }
  }

  it('mutes exactly the warnings of a firing critical alert of the same problem, for every pair of catalog alerts', async () => {
    const { mismatches, muted, checked } = await liveVerdicts(specOf(env));
    expect(mismatches).toEqual([]);
    expect(checked).toBe(alerts.length * (alerts.length - 1));
    expect(muted).toBe(6);
  }, 60_000);

  it('the config committed before issue 8 mutes nothing there either', async () => {
    const before = parse(fs.readFileSync(path.join(FIXTURES, 'alertmanagerconfig-before-issue8.yaml'), 'utf8')) as { spec: AlertmanagerConfigSpec };
    const { muted, mismatches } = await liveVerdicts(before.spec);
    expect(muted).toBe(0);
    expect(mismatches).toHaveLength(6);
  }, 60_000);
});
