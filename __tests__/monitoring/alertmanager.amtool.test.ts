import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { ALERTS } from '../../lib/monitoring/alerts';
import { receiverOf, UNLEVELLED_SEVERITY_LEVEL } from '../../lib/monitoring/routing-policy';
import { toYaml } from '../../lib/yaml/writer';
import { committedEnvironment, find, manifestsOf, minimalEnvironment } from '../support/env';
import { AlertmanagerConfigSpec, AlertmanagerYml, AMTOOL_HELP, findAmtool, operatorEquivalent } from './support/alertmanager';
import { synthesizedRuleGroups } from './support/monitoring';

type Env = ReturnType<typeof committedEnvironment>;
const FIXTURES = path.join(__dirname, 'fixtures');
const NAME = 'ai-odoo-finder';
const specOf = (env: Env) => (find(manifestsOf(env), 'AlertmanagerConfig', NAME) as unknown as { spec: AlertmanagerConfigSpec }).spec;

describe('operatorEquivalent() reproduces prometheus-operator v0.93 golden files', () => {
  const inputs = parse(fs.readFileSync(path.join(FIXTURES, 'prometheus-operator', 'inputs.yaml'), 'utf8')) as Record<string, AlertmanagerConfigSpec>;
  const skeleton: AlertmanagerYml = { route: { receiver: 'null' }, receivers: [{ name: 'null' }] };

  it.each(Object.keys(inputs))('%s', (golden) => {
    const expected = parse(fs.readFileSync(path.join(FIXTURES, 'prometheus-operator', golden), 'utf8')) as AlertmanagerYml;
    const actual = operatorEquivalent(inputs[golden], 'mynamespace', 'myamc', skeleton);
    expect(actual.route).toEqual(expected.route);
    expect(actual.inhibit_rules).toEqual(expected.inhibit_rules);
    expect(actual.mute_time_intervals).toEqual(expected.mute_time_intervals);
    expect(actual.receivers.map((r) => r.name)).toEqual(expected.receivers.map((r) => r.name));
  });
});

const amtool = findAmtool();
if (!amtool) console.warn(AMTOOL_HELP);
(amtool ? describe : describe.skip)('amtool on the alertmanager.yml the operator would generate (in kube-prometheus-stack’s default config)', () => {
  const environments: Env[] = [
    committedEnvironment('production'),
    committedEnvironment('staging'),
    minimalEnvironment({ namespace: 'odoo-finder-custom', monitoring: { alertmanager: { levels: { P1: 'paging', P2: 'team-lead', P4: 'none' } } } }, 'custom'),
  ];
  let dir: string;
  const files = new Map<string, string>();
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amtool-'));
    const write = (name: string, config: object) => {
      const file = path.join(dir, `${name}.yml`);
      fs.writeFileSync(file, toYaml(config));
      files.set(name, file);
    };
    for (const env of environments) write(env.name, operatorEquivalent(specOf(env), env.namespace, NAME));
    const before = parse(fs.readFileSync(path.join(FIXTURES, 'alertmanagerconfig-before-issue8.yaml'), 'utf8')) as { spec: AlertmanagerConfigSpec };
    write('before-issue8', operatorEquivalent(before.spec, 'odoo-finder', NAME));
    // One Alertmanager for both environments (one cluster: dist/argocd), operator strategy None; the operator merges the configs in the order of their keys.
    const [production, staging] = environments;
    const stagingOnly = operatorEquivalent(specOf(staging), staging.namespace, NAME, undefined, 'None');
    write('shared-none', operatorEquivalent(specOf(production), production.namespace, NAME, stagingOnly, 'None'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /**
   * The receivers `amtool config routes test` finds for a label set (Alertmanager's own route matching), asked once
   * per config and label set: several tests ask about the same alerts (every alert's receiver, then which ones page).
   */
  const routed = new Map<string, string>();
  const route = (config: string, labels: Record<string, string>): string => {
    const args = ['config', 'routes', 'test', `--config.file=${files.get(config)}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
    const key = JSON.stringify(args);
    let receivers = routed.get(key);
    if (receivers === undefined) {
      const run = spawnSync('amtool', args, { encoding: 'utf8', timeout: 30_000 });
      expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
      receivers = run.stdout.trim();
      routed.set(key, receivers);
    }
    return receivers;
  };
  /** An alert's labels as the synthesized PrometheusRule gives them, plus alertname and namespace. */
  const rules = new Map(environments.map((env) => [env, synthesizedRuleGroups(env).flatMap((g) => g.rules)]));
  const alertLabelSet = (env: Env, alert: (typeof ALERTS)[number]) => {
    const rule = rules.get(env)!.find((r) => r.alert === alert.name);
    if (!rule?.labels) throw new Error(`${env.name}: no rule with labels for ${alert.name}`);
    return { ...rule.labels, alertname: alert.name, namespace: env.namespace };
  };

  it('check-config accepts the config of every environment (time intervals and matchers included)', () => {
    expect.hasAssertions();
    for (const env of environments) {
      const run = spawnSync('amtool', ['check-config', files.get(env.name)!], { encoding: 'utf8', timeout: 30_000 });
      expect({ env: env.name, status: run.status, out: run.stdout + run.stderr }).toMatchObject({ status: 0 });
    }
  });

  it.each(environments.map((e) => [e.name, e] as const))('%s: every catalog alert reaches the receiver of its level', (_name, env) => {
    let checked = 0;
    for (const alert of ALERTS) {
      expect({ alert: alert.name, receiver: route(env.name, alertLabelSet(env, alert)) }).toEqual({ alert: alert.name, receiver: `${env.namespace}/${NAME}/${receiverOf(env, alert)}` });
      checked++;
    }
    expect(checked).toBe(ALERTS.length);
  });

  it('no P2 alert reaches PagerDuty and only P1 alerts page, in any environment', () => {
    const paged = environments.flatMap((env) => ALERTS.filter((a) => route(env.name, alertLabelSet(env, a)).endsWith('/paging')).map((a) => `${env.name}: ${a.name} (${a.level})`));
    expect(paged).toEqual(['production: OdooFinderMetricsAbsent (P1)', 'custom: OdooFinderMetricsAbsent (P1)']);
  });

  it('the config committed before issue 8 fails that check: every critical P2 alert paged', () => {
    const env = environments[0];
    const paged = ALERTS.filter((a) => a.level === 'P2' && route('before-issue8', alertLabelSet(env, a)).endsWith('/paging')).map((a) => a.name);
    expect(paged).toEqual(['HighErrorRate', 'OdooFinderAvailabilityBudgetBurnFast', 'OdooFinderLatencyBudgetBurnFast']);
  });

  it('alerts without a level in the namespace go by severity (critical like P2, warning like P3, info nowhere)', () => {
    expect.hasAssertions();
    for (const env of environments.slice(0, 2)) {
      const receivers = env.monitoring.alertmanager.levels;
      const foreign = (severity: string) => route(env.name, { alertname: 'KubeJobFailed', severity, namespace: env.namespace });
      expect(foreign('critical')).toBe(`${env.namespace}/${NAME}/${receivers[UNLEVELLED_SEVERITY_LEVEL.critical]}`);
      expect(foreign('warning')).toBe(`${env.namespace}/${NAME}/${receivers[UNLEVELLED_SEVERITY_LEVEL.warning]}`);
      expect(foreign('info')).toBe(`${env.namespace}/${NAME}/none`);
    }
  });

  it("kube-prometheus-stack's copies of our workload alerts reach no one for the API's objects, and still go by severity for other objects", () => {
    // Their label sets as kube-prometheus-stack's default rules give them (templates/prometheus/rules-1.14/general.rules.yaml, kubernetes-apps.yaml).
    const apiPod = 'ai-odoo-finder-7d9f8c6b5-x2k4z';
    const ksm = 'kube-state-metrics';
    type Copy = { ours: string; theirs: Record<string, string>; other: Record<string, string> };
    const copies = (namespace: string): Copy[] => (<Copy[]>[
      { ours: 'OdooFinderTargetDown', theirs: { alertname: 'TargetDown', job: NAME, service: NAME }, other: { job: 'postgresql-exporter', service: 'postgresql-exporter' } },
      { ours: 'OdooFinderPodCrashLooping', theirs: { alertname: 'KubePodCrashLooping', job: ksm, pod: apiPod, container: 'api', reason: 'CrashLoopBackOff' }, other: { pod: 'postgresql-0', container: 'postgresql' } },
      { ours: 'OdooFinderPodsNotReady', theirs: { alertname: 'KubePodNotReady', job: ksm, pod: apiPod }, other: { pod: 'redis-0' } },
      { ours: 'OdooFinderHpaMaxedOut', theirs: { alertname: 'KubeHpaMaxedOut', job: ksm, horizontalpodautoscaler: NAME }, other: { horizontalpodautoscaler: 'another' } },
    ]).map((c) => ({ ...c, theirs: { ...c.theirs, namespace, severity: 'warning' } }));
    let checked = 0;
    for (const env of environments) {
      const ticket = `${env.namespace}/${NAME}/${env.monitoring.alertmanager.levels[UNLEVELLED_SEVERITY_LEVEL.warning]}`;
      for (const { ours, theirs, other } of copies(env.namespace)) {
        expect(ALERTS.map((a) => a.name)).toContain(ours);
        expect({ env: env.name, alert: theirs.alertname, receiver: route(env.name, theirs) }).toEqual({ env: env.name, alert: theirs.alertname, receiver: `${env.namespace}/${NAME}/none` });
        expect({ env: env.name, alert: theirs.alertname, receiver: route(env.name, { ...theirs, ...other }) }).toEqual({ env: env.name, alert: theirs.alertname, receiver: ticket });
        checked++;
      }
      // A Job pod of the API's name (the migration hook) is not one of the Deployment's pods.
      expect(route(env.name, { ...copies(env.namespace)[2].theirs, pod: 'ai-odoo-finder-migrate-x7k2b' })).toBe(ticket);
    }
    expect(checked).toBe(4 * environments.length);
  });

  it('under the operator matcher strategy None, in the Alertmanager both environments share, an alert reaches only its own environment (staging never pages)', () => {
    // prometheus-operator pkg/alertmanager/amcfg.go getEnforcer: None adds no namespace matcher; our top route carries its own.
    const run = spawnSync('amtool', ['check-config', files.get('shared-none')!], { encoding: 'utf8', timeout: 30_000 });
    expect({ status: run.status, out: run.stdout + run.stderr }).toMatchObject({ status: 0 });
    let checked = 0;
    for (const env of environments.slice(0, 2)) {
      const own = (receiver: string) => `${env.namespace}/${NAME}/${receiver}`;
      for (const level of ['P1', 'P2', 'P3', 'P4'] as const) {
        const alert = ALERTS.find((a) => a.level === level)!;
        expect({ env: env.name, alert: alert.name, receivers: route('shared-none', alertLabelSet(env, alert)) }).toEqual({ env: env.name, alert: alert.name, receivers: own(receiverOf(env, alert)) });
        checked++;
      }
      const foreign = route('shared-none', { alertname: 'KubePersistentVolumeFillingUp', severity: 'critical', namespace: env.namespace });
      expect({ env: env.name, receivers: foreign }).toEqual({ env: env.name, receivers: own(env.monitoring.alertmanager.levels[UNLEVELLED_SEVERITY_LEVEL.critical]) });
      checked++;
    }
    expect(checked).toBe(10);
  });

  it("alerts of another namespace do not reach this namespace's receivers", () => {
    const alert = ALERTS.find((a) => a.level === 'P1')!;
    expect(route('production', { ...alertLabelSet(environments[0], alert), namespace: 'elsewhere' })).toBe('null');
  });
});
