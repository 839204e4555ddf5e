/**
 * `npm run e2e`: the committed monitoring of every environment (dist/<env>/)
 * in a real Prometheus and Alertmanager, against simulated API pods and
 * cluster exporters. All scenarios run at once in beforeAll; the tests then
 * read what each recorded. See docs/monitoring.md, "Live tests".
 */
import * as fs from 'fs';
import * as path from 'path';
import { findTool, missingToolMessage } from '../support/tools';
import { ROOT } from '../support/env';
import { deliveries, deliveryProblems, faultProblems, healthyProblems, PanelResult, panelProblems, rendersAlert, ruleProblems } from './support/checks';
import { DashboardJson, DistEnvironment, ENVIRONMENTS, loadDistEnvironment, RuleGroupObject } from './support/environment';
import { API_FAULTS, DATASTORE_FAULTS } from './support/faults';
import { routingPolicy } from './support/policy';
import { stopAll } from '../support/processes';
import { compressedFor, durationSeconds } from './support/alert-timing';
import { e2eAlertmanagerBase, e2eSecrets, queryPanels, runVerify, VerifyRun } from './support/run';
import { Fault, runScenario, ScenarioOptions, ScenarioRecord } from './support/scenario';
import { EXIT } from '../../lib/verify/cli';
import { isCanary } from '../../lib/delivery/settings';

const missing = (['prometheus', 'alertmanager', 'prometheusClient'] as const).filter((t) => !findTool(t));
if (missing.length) console.warn(missing.map((t) => missingToolMessage(t, 'the live monitoring tests (npm run e2e) are SKIPPED')).join('\n'));
const live = missing.length === 0 ? describe : describe.skip;

/** The fault after which npm run verify must report replicas not ready. */
const POD_DOWN = 'one pod down';

/** Healthy traffic before a fault, and in the healthy run (long enough for every panel's rate window to fill). */
const WARM_UP_MS = 15_000;
const HEALTHY_MS = 40_000;
/** After a fault: the longest `for:` of its alerts, plus time to build the burn-rate windows and for Alertmanager's group_wait. */
const SETTLE_MS = 100_000;

const environments = ENVIRONMENTS.map((name) => loadDistEnvironment(name));
/** The faults that run in an environment: those whose alerts it renders (datastore faults where it monitors them). */
const faultsFor = (e: DistEnvironment) => [...API_FAULTS, ...DATASTORE_FAULTS].filter((f) => f.alerts.every((a) => rendersAlert(e, a)));

/** A deliberately broken copy: one alert and one panel read a renamed metric. */
export const BROKEN = { metric: 'search_requests_total', renamed: 'search_requests_totals', alert: 'HighErrorRate', panel: 'Error ratio' } as const;
function broken(e: DistEnvironment): { ruleGroups: RuleGroupObject[]; dashboard: DashboardJson } {
  const rename = (s: string) => s.split(BROKEN.metric).join(BROKEN.renamed);
  return {
    ruleGroups: e.ruleGroups.map((g) => ({ ...g, rules: g.rules.map((r) => (r.alert === BROKEN.alert ? { ...r, expr: rename(r.expr) } : r)) })),
    dashboard: { ...e.dashboard, panels: e.dashboard.panels.map((p) => (p.title === BROKEN.panel ? { ...p, targets: p.targets?.map((t) => ({ ...t, expr: rename(t.expr) })) } : p)) },
  };
}

interface Plan {
  readonly key: string;
  readonly env: DistEnvironment;
  readonly fault?: Fault;
  readonly options: ScenarioOptions;
}

const common = { secrets: e2eSecrets, alertmanagerBase: e2eAlertmanagerBase };
const deadline = (groups: readonly RuleGroupObject[], fault: Fault) =>
  Math.max(...fault.alerts.map((a) => durationSeconds(groups.flatMap((g) => g.rules).find((r) => r.alert === a)?.for ?? '0s'))) * 1000 + SETTLE_MS;

const plans: Plan[] = environments.flatMap((e): Plan[] => {
  const faultRules = compressedFor(e.ruleGroups);
  const healthy: Plan = {
    key: `${e.name}/healthy`,
    env: e,
    options: {
      ...common,
      env: e,
      label: `${e.name} healthy`,
      ruleGroups: e.ruleGroups,
      healthyMs: HEALTHY_MS,
      afterHealthy: async (s) => {
        s.record.extra.panels = await queryPanels(s, e);
        s.record.extra.apiTargets = (await s.prometheus.query(`up{job="ai-odoo-finder"}`)).result.map((r) => r.metric);
        s.record.extra.deploymentReplicas = (await s.prometheus.query(`kube_deployment_spec_replicas{deployment="ai-odoo-finder"}`)).result.map((r) => Number(r.value[1]));
        s.record.extra.verify = await runVerify(s.prometheus.url, s.startedAt, e.name);
        s.record.extra.verify24h = await runVerify(s.prometheus.url, s.startedAt, e.name, ['--stage', '7d', '--json']);
        const other = environments.find((o) => o.name !== e.name);
        if (other) s.record.extra.verifyOtherEnv = await runVerify(s.prometheus.url, s.startedAt, other.name);
        s.record.extra.verifyWrongUrl = await runVerify(`http://${s.alertmanager.address}`, s.startedAt, e.name);
      },
    },
  };
  const faults = faultsFor(e).map(
    (fault): Plan => ({
      key: `${e.name}/${fault.name}`,
      env: e,
      fault,
      options: {
        ...common,
        env: e,
        label: `${e.name} ${fault.name}`,
        ruleGroups: faultRules,
        healthyMs: WARM_UP_MS,
        fault,
        faultDeadlineMs: deadline(faultRules, fault),
        afterFault: ['errors', 'slow'].includes(fault.name)
          ? async (s) => {
              s.record.extra.verify = await runVerify(s.prometheus.url, s.startedAt, e.name);
              s.record.extra.panels = await queryPanels(s, e);
            }
          : fault.name === POD_DOWN
            ? async (s) => {
                s.record.extra.verify = await runVerify(s.prometheus.url, s.startedAt, e.name);
              }
            : undefined,
      },
    }),
  );
  return [healthy, ...faults];
});

const production = environments.find((e) => e.name === 'production') ?? environments[0];
const errorsFault = API_FAULTS.find((f) => f.name === 'errors')!;
const brokenCopy = broken(production);
plans.push({
  key: 'harness/broken',
  env: production,
  fault: errorsFault,
  options: {
    ...common,
    env: production,
    label: 'broken rule and panel',
    ruleGroups: compressedFor(brokenCopy.ruleGroups),
    healthyMs: WARM_UP_MS,
    fault: errorsFault,
    faultDeadlineMs: 25_000,
    afterHealthy: async (s) => {
      s.record.extra.panels = await queryPanels(s, { ...production, dashboard: brokenCopy.dashboard });
    },
  },
});

const records = new Map<string, ScenarioRecord>();
let wallMs = 0;

afterAll(stopAll);

live('npm run e2e', () => {
  beforeAll(async () => {
    const began = Date.now();
    await Promise.all(plans.map(async (p) => records.set(p.key, await runScenario(p.options))));
    wallMs = Date.now() - began;
    const summary = summarize();
    fs.mkdirSync(path.join(ROOT, '.build'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, '.build', 'e2e-summary.txt'), summary);
    console.log(summary);
  }, 15 * 60_000);

  const record = (key: string) => {
    const r = records.get(key);
    if (!r) throw new Error(`scenario ${key} did not run`);
    if (r.error) throw new Error(`scenario ${key} failed: ${r.error}`);
    return r;
  };

  describe.each(environments.map((e) => [e.name, e] as const))('%s', (name, e) => {
    it('every rule group of the PrometheusRule loads, every rule healthy', () => {
      const r = record(`${name}/healthy`);
      expect(e.ruleGroups.length).toBeGreaterThan(0);
      expect(ruleProblems(r, e.ruleGroups)).toEqual([]);
    });

    it('Prometheus labels the API targets as the operator does for the ServiceMonitor: job = Service name, namespace, service, pod, container, endpoint, instance', () => {
      const targets = record(`${name}/healthy`).extra.apiTargets as Record<string, string>[];
      expect(targets).toHaveLength(e.workload('ai-odoo-finder').minReplicas);
      for (const t of targets) {
        expect(Object.keys(t).sort()).toEqual(['__name__', 'container', 'endpoint', 'instance', 'job', 'namespace', 'pod', 'service']);
        expect(t).toMatchObject({ job: 'ai-odoo-finder', namespace: e.env.namespace, service: 'ai-odoo-finder', endpoint: 'http', container: 'api' });
        expect(t.pod).toMatch(new RegExp(`^${e.ctx.pods}$`));
      }
    });

    it('every dashboard panel query returns data under healthy traffic', () => {
      const panels = record(`${name}/healthy`).extra.panels as PanelResult[];
      expect(panels.length).toBeGreaterThan(10);
      expect(panelProblems(panels)).toEqual([]);
    });

    it('under errors, the firing-alerts panel shows them by level and problem (the query that is empty while healthy)', () => {
      const panels = record(`${name}/errors`).extra.panels as PanelResult[];
      expect(panelProblems(panels, [])).toEqual([]);
      const firing = panels.filter((p) => p.panel === 'Firing alerts by level and problem');
      expect(firing.map((p) => [p.refId, p.series > 0])).toEqual([
        ['A', true],
        ['B', true],
      ]);
    });

    it('nothing is pending or firing under healthy traffic, and nothing is delivered', () => {
      const r = record(`${name}/healthy`);
      expect(healthyProblems(r)).toEqual([]);
      expect(r.notifications).toEqual([]);
    });

    it('every alert the environment renders is made to fire by one of its faults', () => {
      const rendered = e.ruleGroups.flatMap((g) => g.rules.filter((r) => r.alert).map((r) => r.alert!));
      const covered = new Set(faultsFor(e).flatMap((f) => f.alerts));
      expect(rendered.length).toBeGreaterThan(15);
      expect(rendered.filter((a) => !covered.has(a))).toEqual([]);
    });

    it.each(faultsFor(e).map((f) => [f.name, f] as const))('fault "%s" makes exactly its alerts pending, then firing', (fault, f) => {
      expect(faultProblems(record(`${name}/${fault}`), f)).toEqual([]);
    });

    it.each(faultsFor(e).map((f) => [f.name] as const))('fault "%s": each firing alert reaches exactly its receiver, or is muted by a firing critical of its own', (fault) => {
      const r = record(`${name}/${fault}`);
      expect(Object.keys(r.timeline).length).toBeGreaterThan(0);
      expect(deliveryProblems(r, routingPolicy(e))).toEqual([]);
    });

    it('npm run verify passes on healthy traffic', () => {
      const v = record(`${name}/healthy`).extra.verify as VerifyRun;
      expect({ code: v.code, err: v.err }).toEqual({ code: EXIT.ok, err: '' });
      expect(v.out).toMatch(/- \[x\] Performance within SLAs — error ratio 0\.00%/);
      expect(v.out).toMatch(/- \[x\] Alerts configured — /);
      expect(v.out).not.toMatch(/FAILED/);
    });

    it('npm run verify --stage 7d --json reports every stage', () => {
      const v = record(`${name}/healthy`).extra.verify24h as VerifyRun;
      const report = JSON.parse(v.out) as { items: { stage: string; text: string; status: string; detail: string }[] };
      expect(new Set(report.items.map((i) => i.stage))).toEqual(new Set(['1h', '24h', '7d']));
      expect(report.items.filter((i) => i.status === 'fail')).toEqual([]);
      expect(report.items.find((i) => i.text === 'Cost tracking accurate')).toMatchObject({ status: 'pass' });
    });

    it('npm run verify fails under errors, naming the item and the measured error ratio', () => {
      const v = record(`${name}/errors`).extra.verify as VerifyRun;
      expect(v.code).toBe(EXIT.failed);
      expect(v.out).toMatch(/- \[ \] Performance within SLAs — FAILED: error ratio \d+\.\d% is above the 0\.50% the 99\.5% availability SLO allows/);
      expect(v.out).toMatch(/- \[ \] No alert firing — FAILED: firing in .*OdooFinderAvailabilityBudgetBurn/);
    });

    it('kube-state-metrics is simulated as the strategy runs the pods: the Deployment at 0 under a canary Rollout, else at the HPA\'s count', () => {
      const w = e.workload('ai-odoo-finder');
      expect(w.owner).toBe(isCanary(e.env) ? 'Rollout' : 'Deployment');
      expect(record(`${name}/healthy`).extra.deploymentReplicas).toEqual([w.owner === 'Rollout' ? 0 : w.minReplicas]);
    });

    it('npm run verify reports the replicas ready on healthy traffic, read from the HPA and the pods', () => {
      const v = record(`${name}/healthy`).extra.verify as VerifyRun;
      const n = e.workload('ai-odoo-finder').minReplicas;
      expect(v.out).toContain(`${n}/${n} replicas ready`);
    });

    it(`npm run verify fails with a pod not ready ("${POD_DOWN}"), naming the replicas ready`, () => {
      const v = record(`${name}/${POD_DOWN}`).extra.verify as VerifyRun;
      const n = e.workload('ai-odoo-finder').minReplicas;
      expect(v.code).toBe(EXIT.failed);
      expect(v.out).toContain(`- [ ] All services healthy — FAILED: `);
      expect(v.out).toContain(`${n - 1} of ${n} replicas ready; 1 API pod(s) Pending or not ready`);
    });

    it('npm run verify fails under slow searches, naming the item and the measured P95', () => {
      const v = record(`${name}/slow`).extra.verify as VerifyRun;
      expect(v.code).toBe(EXIT.failed);
      expect(v.out).toMatch(/- \[ \] Performance within SLAs — FAILED: P95 latency \d\.\d\ds is above the latency SLO's 2\.5s/);
    });

    it('npm run verify exits with its own code for a Prometheus without our rules and for a URL that is not Prometheus', () => {
      const r = record(`${name}/healthy`);
      const other = r.extra.verifyOtherEnv as VerifyRun | undefined;
      if (other) expect({ code: other.code, err: other.err }).toEqual({ code: EXIT.noRules, err: expect.stringMatching(/has none of the rule groups/) });
      const wrong = r.extra.verifyWrongUrl as VerifyRun;
      expect({ code: wrong.code, err: wrong.err }).toEqual({ code: EXIT.notPrometheus, err: expect.stringMatching(/not the Prometheus API|without a Prometheus API result/) });
    });
  });

  describe('the harness catches broken monitoring', () => {
    it(`an alert reading a renamed metric (${BROKEN.renamed}) loads but never fires: the fault check names it`, () => {
      const r = record('harness/broken');
      expect(ruleProblems(r, brokenCopy.ruleGroups)).toEqual([]);
      expect(faultProblems(r, errorsFault)).toContain(`${BROKEN.alert} never became pending after the fault "errors"`);
      // The same check on the committed rules finds HighErrorRate pending within the same time.
      expect(record(`${production.name}/errors`).timeline[BROKEN.alert].pending).toBeLessThan(25_000);
    });

    it('a panel reading a renamed metric: the panel check names it', () => {
      const problems = panelProblems(record('harness/broken').extra.panels as PanelResult[]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^panel "${BROKEN.panel}" query A returns no data`));
    });
  });
});

const seconds = (ms?: number) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(0)}s`);

/** The measured figures of the run (printed and written to .build/e2e-summary.txt). */
function summarize(): string {
  const lines = [`npm run e2e: ${plans.length} scenarios, wall time ${seconds(wallMs)}`];
  for (const p of plans) {
    const r = records.get(p.key);
    if (!r) continue;
    lines.push(`\n${p.key} (${seconds(r.wallMs)})${r.error ? ` ERROR: ${r.error}` : ''}`);
    const panels = r.extra.panels as PanelResult[] | undefined;
    if (panels) lines.push(`  panels with data: ${panels.filter((x) => x.series > 0 && !x.error).length}/${panels.length} queries`);
    for (const [alert, t] of Object.entries(r.timeline)) {
      const am = r.alertmanagerAlerts.find((a) => a.labels.alertname === alert);
      const d = deliveries(r).filter((x) => x.alert === alert);
      lines.push(
        `  ${alert}: pending +${seconds(t.pending)}, firing +${seconds(t.firing)}, ${am?.status.state === 'suppressed' ? 'muted' : d.length ? `delivered +${seconds(d[0].at - r.faultAt!)} to ${d[0].receivers.join(',')}` : 'not delivered'}`,
      );
    }
    for (const key of ['verify', 'verify24h']) {
      const v = r.extra[key] as VerifyRun | undefined;
      if (v) lines.push(`  ${key}: exit ${v.code}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
