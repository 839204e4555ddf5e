import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ALERTS } from '../../lib/monitoring/alerts';
import { toYaml } from '../../lib/synth/render';
import { committedEnvironment, find, manifestsOf, minimalEnvironment } from '../support/env';
import { AlertmanagerConfigSpec, AMTOOL_HELP, findAmtool, operatorEquivalent } from './support/alertmanager';
import { crdErrors } from './support/crd';

const env = committedEnvironment('production');
const config = find(manifestsOf(env), 'AlertmanagerConfig', 'ai-odoo-finder');
const spec = (config as unknown as { spec: AlertmanagerConfigSpec }).spec;

describe('AlertmanagerConfig', () => {
  it('is valid against the AlertmanagerConfig CRD (v1alpha1), unknown fields rejected', () => {
    expect(config.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(crdErrors(config)).toEqual([]);
  });

  it('routes critical to the paging receiver, warning to the ticket receiver, anything else to the null receiver', () => {
    expect(spec.route.receiver).toBe('null');
    expect(spec.route.routes!.map((r) => [r.matchers, r.receiver])).toEqual([
      [[{ name: 'severity', value: 'critical', matchType: '=' }], 'paging'],
      [[{ name: 'severity', value: 'warning', matchType: '=' }], 'ticket'],
    ]);
    expect(spec.receivers.find((r) => r.name === 'null')).toEqual({ name: 'null' });
  });

  it('every severity an alert uses has a route', () => {
    const routed = new Set(['critical', 'warning', 'info']);
    expect(ALERTS.filter((a) => !routed.has(a.severity))).toEqual([]);
  });

  it('takes receiver credentials from the configured Secrets, never inline', () => {
    const paging = spec.receivers.find((r) => r.name === 'paging') as unknown as { pagerdutyConfigs: Record<string, unknown>[] };
    const ticket = spec.receivers.find((r) => r.name === 'ticket') as unknown as { slackConfigs: Record<string, unknown>[] };
    expect(paging.pagerdutyConfigs[0].routingKey).toEqual(env.monitoring.alertmanager.pagerDutyRoutingKey);
    expect(ticket.slackConfigs[0].apiURL).toEqual(env.monitoring.alertmanager.slackApiUrl);
    for (const c of [...paging.pagerdutyConfigs, ...ticket.slackConfigs]) {
      expect(c).not.toHaveProperty('serviceKey');
      expect(c).not.toHaveProperty('url');
    }
    expect(toYaml(config)).not.toMatch(/hooks\.slack\.com|events\.pagerduty\.com/);
  });

  it('the Secret names and keys come from the environment', () => {
    const custom = minimalEnvironment({ monitoring: { alertmanager: { pagerDutyRoutingKey: { name: 'pd', key: 'rk' }, slackChannel: '#x', pageOnCritical: true } } });
    const s = (find(manifestsOf(custom), 'AlertmanagerConfig') as unknown as { spec: AlertmanagerConfigSpec }).spec;
    expect(JSON.stringify(s.receivers)).toContain('"routingKey":{"key":"rk","name":"pd"}');
    expect(JSON.stringify(s.receivers)).toContain('"channel":"#x"');
  });

  describe('paging is for production', () => {
    const routing = (e: ReturnType<typeof committedEnvironment>) => (find(manifestsOf(e), 'AlertmanagerConfig') as unknown as { spec: AlertmanagerConfigSpec }).spec;
    const criticalReceiver = (s: AlertmanagerConfigSpec) => s.route.routes!.find((r) => JSON.stringify(r.matchers).includes('"critical"'))!.receiver;
    const receivers = (s: AlertmanagerConfigSpec) => s.receivers.map((r) => r.name).sort();

    it('staging sends critical alerts to the ticket receiver and renders no pager (nor asks for its Secret)', () => {
      const staging = committedEnvironment('staging');
      const s = routing(staging);
      expect(criticalReceiver(s)).toBe('ticket');
      expect(receivers(s)).toEqual(['null', 'ticket']);
      expect(crdErrors(find(manifestsOf(staging), 'AlertmanagerConfig'))).toEqual([]);
      expect(JSON.stringify(manifestsOf(staging).filter((m) => m.kind === 'ExternalSecret'))).not.toContain('pagerduty');
    });

    it('production pages', () => {
      expect(criticalReceiver(spec)).toBe('paging');
      expect(receivers(spec)).toEqual(['null', 'paging', 'ticket']);
    });

    it('monitoring.alertmanager.pageOnCritical overrides the tier either way', () => {
      expect(criticalReceiver(routing(minimalEnvironment({ monitoring: { alertmanager: { pageOnCritical: true } } })))).toBe('paging');
      const quiet = minimalEnvironment({ tier: 'production', image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.0.0' }, ingress: { enabled: true, host: 'api.example.com' }, monitoring: { alertmanager: { pageOnCritical: false } } });
      expect(criticalReceiver(routing(quiet))).toBe('ticket');
    });
  });

  it('critical inhibits warning for the same alert name and namespace', () => {
    expect(spec.inhibitRules).toEqual([
      {
        sourceMatch: [{ name: 'severity', value: 'critical', matchType: '=' }],
        targetMatch: [{ name: 'severity', value: 'warning', matchType: '=' }],
        equal: ['alertname', 'namespace'],
      },
    ]);
  });
});

const amtool = findAmtool();
if (!amtool) console.warn(AMTOOL_HELP);
(amtool ? describe : describe.skip)('amtool on the alertmanager.yml the operator would generate', () => {
  let file: string;
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amtool-'));
    file = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(file, toYaml(operatorEquivalent(spec, env.namespace, 'ai-odoo-finder')));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const route = (...labels: string[]) => {
    const run = spawnSync('amtool', ['config', 'routes', 'test', `--config.file=${file}`, ...labels], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
    return run.stdout.trim();
  };

  it('check-config accepts it', () => {
    const run = spawnSync('amtool', ['check-config', file], { encoding: 'utf8' });
    expect({ status: run.status, out: run.stdout + run.stderr }).toMatchObject({ status: 0 });
  });

  it.each([
    ['critical', 'HighErrorRate', 'odoo-finder/ai-odoo-finder/paging'],
    ['warning', 'HighLatency', 'odoo-finder/ai-odoo-finder/ticket'],
    ['info', 'Anything', 'odoo-finder/ai-odoo-finder/null'],
  ])('severity=%s (%s) in the namespace goes to %s', (severity, alertname, receiver) => {
    expect(route(`severity=${severity}`, `alertname=${alertname}`, `namespace=${env.namespace}`)).toBe(receiver);
  });

  it("alerts of another namespace do not reach this namespace's receivers", () => {
    expect(route('severity=critical', 'alertname=HighErrorRate', 'namespace=elsewhere')).toBe('global-default');
  });
});
