import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ALERT_CATALOG } from '../../lib/monitoring/catalog';
import { loadDistEnvironment, ENVIRONMENTS } from '../e2e/support/environment';
import { API_FAULTS, DATASTORE_FAULTS } from '../e2e/support/faults';
import { panelQueries } from '../e2e/support/panels';
import { prometheusConfig } from '../e2e/support/prometheus';
import { toYaml } from '../../lib/yaml/writer';
import { compressedFor, COMPRESSED_FOR, durationSeconds, LONGEST_REAL_FOR_SECONDS } from '../e2e/support/alert-timing';
import { operatorAlertmanagerConfig } from '../support/prometheus-operator/alertmanager-config';
import { serviceMonitorScrapeConfigs, SimulatedPod } from '../support/prometheus-operator/scrape-config';
import { findPromtool, promtool } from './support/promtool';

/* The parts of `npm run e2e` that need no server: fast, in `npm test`. */

const environments = ENVIRONMENTS.map((n) => loadDistEnvironment(n));

describe.each(environments.map((e) => [e.name, e] as const))('live harness, %s', (_, e) => {
  it('the fault runs load the committed rules with only the long `for:` values shortened', () => {
    const compressed = compressedFor(e.ruleGroups);
    let changed = 0;
    e.ruleGroups.forEach((g, i) =>
      g.rules.forEach((r, j) => {
        const c = compressed[i].rules[j];
        const { for: originalFor, ...rest } = r;
        const { for: newFor, ...restC } = c;
        expect(restC).toEqual(rest);
        if (originalFor && durationSeconds(originalFor) > LONGEST_REAL_FOR_SECONDS) {
          expect(newFor).toBe(COMPRESSED_FOR);
          changed++;
        } else expect(newFor).toBe(originalFor);
      }),
    );
    expect(changed).toBeGreaterThan(0);
  });

  it('every panel query has its Grafana variables substituted', () => {
    const queries = panelQueries(e.dashboard);
    expect(queries.length).toBe(e.dashboard.panels.reduce((n, p) => n + (p.targets?.length ?? 0), 0));
    for (const q of queries) expect(q.expr).not.toContain('$');
    expect(queries.some((q) => q.expr.includes(`namespace="${e.env.namespace}"`))).toBe(true);
  });

  it('the ServiceMonitor becomes the operator job with its keep rules, job from the Service name', () => {
    const pods: SimulatedPod[] = [{ name: 'ai-odoo-finder-7c9f8d5b4-x2k4z', labels: e.workload('ai-odoo-finder').labels, container: 'api', address: '127.0.0.1:1' }];
    const [api] = e.serviceMonitors.filter((m) => m.metadata.name === 'ai-odoo-finder').flatMap((m) => serviceMonitorScrapeConfigs(m, e.env.namespace, e.services, pods));
    expect(api.job_name).toBe(`serviceMonitor/${e.env.namespace}/ai-odoo-finder/0`);
    expect(api.relabel_configs).toContainEqual({ action: 'keep', source_labels: ['__meta_kubernetes_endpoint_port_name'], regex: 'http' });
    expect(api.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_service_name'], target_label: 'job', replacement: '${1}' });
    // Only the API Service selects the API pod: one target, from the Service named ai-odoo-finder.
    expect(api.static_configs.map((s) => s.labels.__meta_kubernetes_service_name)).toContain('ai-odoo-finder');
    expect(api.static_configs.every((s) => s.targets[0] === '127.0.0.1:1')).toBe(true);
  });
});

it('every alert of the catalog is made to fire by at least one e2e fault', () => {
  const covered = new Set([...API_FAULTS, ...DATASTORE_FAULTS].flatMap((f) => f.alerts));
  expect(ALERT_CATALOG.map((a) => a.name).filter((a) => !covered.has(a))).toEqual([]);
});

it('the translation refuses ServiceMonitor and AlertmanagerConfig fields it does not know, instead of dropping them', () => {
  const monitor = { metadata: { name: 'm' }, spec: { selector: { matchExpressions: [{}] }, endpoints: [{ port: 'http' }] } };
  expect(() => serviceMonitorScrapeConfigs(monitor, 'ns', [], [])).toThrow('matchExpressions is not translated');
  const secrets = () => 'value';
  const spec = { route: { receiver: 'r' }, receivers: [{ name: 'r', opsgenieConfigs: [{}] }] };
  expect(() => operatorAlertmanagerConfig(spec, 'ns', 'c', { secrets })).toThrow('receiver r: opsgenieConfigs not translated');
  const slack = { route: { receiver: 'r' }, receivers: [{ name: 'r', slackConfigs: [{ channel: '#x', actions: [] }] }] };
  expect(() => operatorAlertmanagerConfig(slack, 'ns', 'c', { secrets })).toThrow('slackConfigs.actions is not translated');
  // With real receivers, Secret references take the Secret's value.
  const pd = { route: { receiver: 'p' }, receivers: [{ name: 'p', pagerdutyConfigs: [{ routingKey: { name: 's', key: 'k' }, sendResolved: true }] }] };
  expect(operatorAlertmanagerConfig(pd, 'ns', 'c', { secrets: (r) => `${r.name}/${r.key}` }).receivers.at(-1)).toEqual({ name: 'ns/c/p', pagerduty_configs: [{ routing_key: 's/k', send_resolved: true }] });
});

const promtoolFound = findPromtool();
(promtoolFound ? it : it.skip)('promtool check config accepts the e2e prometheus.yml of every environment', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-config-'));
  try {
    for (const e of environments) {
      const pods: SimulatedPod[] = [{ name: 'ai-odoo-finder-7c9f8d5b4-x2k4z', labels: e.workload('ai-odoo-finder').labels, container: 'api', address: '127.0.0.1:1' }];
      fs.writeFileSync(path.join(dir, 'rules.yml'), 'groups: []\n');
      const serviceMonitors = e.serviceMonitors.flatMap((m) => serviceMonitorScrapeConfigs(m, e.env.namespace, e.services, pods, '1s'));
      fs.writeFileSync(path.join(dir, 'prometheus.yml'), toYaml({ ...prometheusConfig({ serviceMonitors, cluster: '127.0.0.1:2', ruleGroups: [], alertmanager: '127.0.0.1:3' }), rule_files: ['rules.yml'] }));
      const run = promtool(['check', 'config', 'prometheus.yml'], dir);
      expect({ env: e.name, status: run.status, output: run.output }).toMatchObject({ status: 0 });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
